"""
The lamap plugin as Tutor renders it: the openedx Dockerfile, the LMS and Studio settings and
the init job. Tutor itself does the rendering (`tutor config save`, `tutor local do init`).
"""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tutorlamap.__about__ import __version__

DOCKERFILE = ("build", "openedx", "Dockerfile")
SETTINGS = [
    ("apps", "openedx", "settings", service, flavour)
    for service in ("lms", "cms")
    for flavour in ("production.py", "development.py")
]
DEFAULT_REQUIREMENT = f"lamap-xblocks=={__version__}"
GIT_REQUIREMENT = "lamap-xblocks @ git+https://git.example.org/lamap/lamap-xblocks.git@v0.1.0"
MIGRATE = "./manage.py lms migrate lamap_xblocks"
TRANSLATIONS_MARK = "# lamap-xblocks: unless atlas pulled catalogs"


def pip_install_line(requirement):
    return f"$PIP_COMMAND install '{requirement}'"


def stage_of(dockerfile, text):
    """Name of the Dockerfile stage (`FROM ... AS name`) in which ``text`` first appears."""
    stage = None
    for line in dockerfile[: dockerfile.index(text)].splitlines():
        if line.startswith("FROM ") and " AS " in line:
            stage = line.split(" AS ")[1].strip()
    return stage


def settings_line(settings):
    lines = [line for line in settings.splitlines() if line.startswith("LAMAP_XBLOCKS = ")]
    assert len(lines) == 1, lines
    return lines[0]


# The image


def test_dockerfile_installs_the_release_matching_the_plugin(rendered_project):
    dockerfile = rendered_project.rendered(*DOCKERFILE)
    assert DEFAULT_REQUIREMENT == "lamap-xblocks==0.1.0"
    assert pip_install_line(DEFAULT_REQUIREMENT) in dockerfile
    # In the stage of the platform's Python requirements, after those Tutor installs itself.
    assert stage_of(dockerfile, pip_install_line(DEFAULT_REQUIREMENT)) == "python-requirements"
    assert dockerfile.index("openedx-scorm-xblock") < dockerfile.index(pip_install_line(DEFAULT_REQUIREMENT))


def test_a_changed_requirement_reaches_the_dockerfile(project):
    project.run("config", "save", "--set", f"LAMAP_XBLOCKS_REQUIREMENT={GIT_REQUIREMENT}")
    dockerfile = project.rendered(*DOCKERFILE)
    assert pip_install_line(GIT_REQUIREMENT) in dockerfile
    assert DEFAULT_REQUIREMENT not in dockerfile
    assert f"LAMAP_XBLOCKS_REQUIREMENT: {GIT_REQUIREMENT}" in (project.root / "config.yml").read_text()


def test_a_disabled_plugin_leaves_the_image_alone(project):
    project.run("plugins", "disable", "lamap")
    project.run("config", "save")
    dockerfile = project.rendered(*DOCKERFILE)
    assert "lamap" not in dockerfile
    for path in SETTINGS:
        assert "LAMAP_XBLOCKS" not in project.rendered(*path)


# Settings


@pytest.mark.parametrize("path", SETTINGS, ids="/".join)
def test_lms_and_studio_settings_set_the_board_page_size(rendered_project, path):
    line = settings_line(rendered_project.rendered(*path))
    assert '"BOARD_PAGE_SIZE": 10}' in line


def test_a_changed_page_size_reaches_the_settings(project):
    project.run("config", "save", "--set", "LAMAP_BOARD_PAGE_SIZE=25")
    for path in SETTINGS:
        assert '"BOARD_PAGE_SIZE": 25}' in settings_line(project.rendered(*path))


def test_the_settings_line_keeps_the_apps_other_defaults(rendered_project):
    """The rendered line, run as the platform's settings module runs it."""
    line = settings_line(rendered_project.rendered("apps", "openedx", "settings", "lms", "production.py"))
    # The plugin app's defaults were loaded before (Open edX applies plugin settings first).
    module = {"LAMAP_XBLOCKS": {"BOARD_PAGE_SIZE": 10, "SOME_LATER_KEY": "kept"}}
    exec(line, module)
    assert module["LAMAP_XBLOCKS"] == {"BOARD_PAGE_SIZE": 10, "SOME_LATER_KEY": "kept"}
    # The image not rebuilt yet, the package missing: the settings still load.
    module = {}
    exec(line, module)
    assert module["LAMAP_XBLOCKS"] == {"BOARD_PAGE_SIZE": 10}


# The init job


def test_init_runs_the_store_migrations_in_the_lms(project):
    project.run("local", "do", "init", "--limit=lamap")
    jobs = project.job_scripts()
    assert len(jobs) == 1, jobs  # --limit=lamap: the plugin's task alone
    service, script = jobs[0]
    assert service == "lms-job"
    assert MIGRATE in script.splitlines()
    assert "dockerize -wait tcp://mysql:3306" in script  # rendered with the project's settings


def test_full_init_migrates_the_store_after_the_platform(project):
    project.run("local", "do", "init")
    lms_scripts = [script for service, script in project.job_scripts() if service == "lms-job"]
    platform = next(i for i, script in enumerate(lms_scripts) if "./manage.py lms migrate\n" in script)
    ours = next(i for i, script in enumerate(lms_scripts) if MIGRATE in script)
    assert platform < ours


# Translations: the shell step of the image build, run here on a stand-in edx-platform


def translations_step(dockerfile):
    """The plugin's RUN instruction as the shell receives it (continuation lines joined)."""
    block = dockerfile[dockerfile.index(TRANSLATIONS_MARK) :].split("\n\n")[0]
    run = "\n".join(line for line in block.splitlines() if not line.startswith("#"))
    assert run.startswith("RUN ")
    return run[len("RUN ") :].replace("\\\n", "")


def test_translations_step_comes_after_the_platforms_and_before_collectstatic(rendered_project):
    dockerfile = rendered_project.rendered(*DOCKERFILE)
    ours = dockerfile.index(TRANSLATIONS_MARK)
    assert dockerfile.index("pull_xblock_translations") < ours
    assert dockerfile.index("cms --settings=tutor.i18n compile_xblock_translations") < ours
    assert ours < dockerfile.index("collectstatic")
    assert stage_of(dockerfile, TRANSLATIONS_MARK) == "production"


@pytest.fixture
def platform(tmp_path):
    """A stand-in edx-platform checkout whose ./manage.py records its arguments."""
    root = tmp_path / "edx-platform"
    root.mkdir()
    manage = root / "manage.py"
    manage.write_text(
        f"#!{sys.executable}\nimport sys\nopen('manage-calls.txt', 'a').write(' '.join(sys.argv[1:]) + '\\n')\n",
        encoding="utf-8",
    )
    manage.chmod(0o755)
    bin_dir = tmp_path / "platform-bin"
    bin_dir.mkdir()
    python_command(bin_dir / "python")
    return root, bin_dir


def python_command(path, *options):
    """`python` for the step: this environment's (a symlink would lose the virtualenv)."""
    path.write_text(f'#!/bin/sh\nexec "{sys.executable}" {" ".join(options)} "$@"\n', encoding="utf-8")
    path.chmod(0o755)


def fake_package(tmp_path):
    """A lamap_xblocks package with bundled catalogs, found ahead of any installed one."""
    site = tmp_path / "site"
    messages = site / "lamap_xblocks" / "conf" / "locale" / "fr" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    (site / "lamap_xblocks" / "__init__.py").write_text("raise ImportError('found, never imported')\n")
    (messages / "django.po").write_text('msgid "Submit"\nmsgstr "Envoyer"\n', encoding="utf-8")
    (messages / "djangojs.po").write_text('msgid "Saved"\nmsgstr "Enregistré"\n', encoding="utf-8")
    return site


def run_step(project, platform, pythonpath=None):
    root, bin_dir = platform
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    env.pop("PYTHONPATH", None)
    if pythonpath:
        env["PYTHONPATH"] = str(pythonpath)
    step = translations_step(project.rendered(*DOCKERFILE))
    result = subprocess.run(["sh", "-c", step], cwd=root, env=env, capture_output=True, text=True, check=False)
    calls = root / "manage-calls.txt"
    return result, calls.read_text().splitlines() if calls.exists() else []


CATALOGS = Path("conf/plugins-locale/xblock.v1/lamap_xblocks")
COMPILE_CALLS = [
    "lms --settings=tutor.i18n compile_xblock_translations",
    "cms --settings=tutor.i18n compile_xblock_translations",
]


def test_bundled_catalogs_become_the_platforms(rendered_project, platform, tmp_path):
    result, calls = run_step(rendered_project, platform, fake_package(tmp_path))
    assert result.returncode == 0, result.stderr
    catalogs = platform[0] / CATALOGS
    assert (catalogs / "fr/LC_MESSAGES/django.po").read_text(encoding="utf-8").endswith('"Envoyer"\n')
    assert (catalogs / "fr/LC_MESSAGES/djangojs.po").exists()
    assert calls == COMPILE_CALLS


def test_catalogs_pulled_by_atlas_win(rendered_project, platform, tmp_path):
    pulled = platform[0] / CATALOGS / "de" / "LC_MESSAGES" / "django.po"
    pulled.parent.mkdir(parents=True)
    pulled.write_text('msgid "Submit"\nmsgstr "Senden"\n', encoding="utf-8")
    result, calls = run_step(rendered_project, platform, fake_package(tmp_path))
    assert result.returncode == 0, result.stderr
    assert not (platform[0] / CATALOGS / "fr").exists()
    assert calls == []  # the platform compiled atlas's catalogs already


def test_an_empty_folder_left_by_atlas_still_gets_the_bundled_catalogs(rendered_project, platform, tmp_path):
    (platform[0] / CATALOGS).mkdir(parents=True)
    result, calls = run_step(rendered_project, platform, fake_package(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (platform[0] / CATALOGS / "fr/LC_MESSAGES/django.po").exists()
    assert calls == COMPILE_CALLS


def test_the_build_fails_when_the_package_is_missing(rendered_project, platform, tmp_path):
    # A PYTHONPATH folder without the package, and no installed one either: python -S.
    python_command(platform[1] / "python", "-S")
    result, calls = run_step(rendered_project, platform, tmp_path)
    assert result.returncode != 0
    assert calls == []


def test_the_real_packages_catalogs_are_found(rendered_project, platform):
    """The step's idea of the package's layout matches lamap-xblocks itself, when installed."""
    if importlib.util.find_spec("lamap_xblocks") is None:
        pytest.skip("lamap-xblocks is not installed here")
    result, calls = run_step(rendered_project, platform)
    assert result.returncode == 0, result.stderr
    for domain in ("django.po", "djangojs.po"):
        assert (platform[0] / CATALOGS / "fr" / "LC_MESSAGES" / domain).exists()
    assert calls == COMPILE_CALLS
