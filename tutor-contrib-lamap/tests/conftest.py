"""
Fixtures: a Tutor project in a temporary TUTOR_ROOT with the lamap plugin enabled, driven
through the real `tutor` command of this Python environment. Nothing here needs Docker: jobs
go to a stand-in `docker` that records what Tutor asks of it.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FAKE_DOCKER = """#!{python}
# Records each call, one JSON list of arguments a line; `docker compose ls` finds no project.
import json, os, sys
with open(os.environ["FAKE_DOCKER_LOG"], "a", encoding="utf-8") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
if "ls" in sys.argv:
    print("[]")
"""


def tutor_executable():
    """The `tutor` command installed beside this Python, so that it sees this plugin."""
    beside = Path(sys.executable).parent / "tutor"
    found = str(beside) if beside.exists() else shutil.which("tutor")
    if not found:
        pytest.fail("Tutor is not installed in this environment: pip install -e tutor-contrib-lamap")
    return found


class TutorProject:
    """A Tutor project root, and the `tutor` command run on it."""

    def __init__(self, tmp_path):
        self.root = tmp_path / "tutor-root"
        self.plugins_root = tmp_path / "tutor-plugins"  # empty: no YAML plugin of the machine's
        self.plugins_root.mkdir()
        self.bin = tmp_path / "bin"
        self.bin.mkdir()
        self.docker_log = tmp_path / "docker-calls.jsonl"
        docker = self.bin / "docker"
        docker.write_text(FAKE_DOCKER.format(python=sys.executable), encoding="utf-8")
        docker.chmod(0o755)

    def env(self):
        env = {name: value for name, value in os.environ.items() if not name.startswith("TUTOR_")}
        env.update(
            TUTOR_ROOT=str(self.root),
            TUTOR_PLUGINS_ROOT=str(self.plugins_root),
            FAKE_DOCKER_LOG=str(self.docker_log),
            PATH=f"{self.bin}{os.pathsep}{env.get('PATH', '')}",
        )
        return env

    def run(self, *args):
        result = subprocess.run(
            [tutor_executable(), *args],
            env=self.env(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, f"tutor {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
        return result

    def rendered(self, *parts):
        return (self.root / "env").joinpath(*parts).read_text(encoding="utf-8")

    def docker_calls(self):
        if not self.docker_log.exists():
            return []
        return [json.loads(line) for line in self.docker_log.read_text(encoding="utf-8").splitlines()]

    def job_scripts(self):
        """(job service, script) of each `docker compose ... run ... <service>-job sh -e -c <script>`."""
        jobs = []
        for call in self.docker_calls():
            if "run" in call and call[-3:-1] == ["-e", "-c"]:
                jobs.append((call[-5], call[-1]))
        return jobs


def enabled_project(tmp_path):
    tutor = TutorProject(tmp_path)
    tutor.run("plugins", "enable", "lamap")
    tutor.run("config", "save")
    return tutor


@pytest.fixture
def project(tmp_path):
    """A fresh project with the plugin enabled and the environment rendered with the defaults."""
    return enabled_project(tmp_path)


@pytest.fixture(scope="module")
def rendered_project(tmp_path_factory):
    """The same, shared by the tests of a module that only read what Tutor rendered."""
    return enabled_project(tmp_path_factory.mktemp("shared"))
