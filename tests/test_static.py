"""Static files: valid JavaScript, one init function per block, nothing fetched from elsewhere."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

PUBLIC = Path(__file__).resolve().parent.parent / "lamap_xblocks" / "public"
SCRIPTS = sorted(PUBLIC.glob("js/**/*.js"))
STYLES = sorted(PUBLIC.glob("css/*.css"))


@pytest.mark.parametrize("script", SCRIPTS, ids=[script.name for script in SCRIPTS])
def test_javascript_parses(script):
    node = shutil.which("node")
    if not node:
        pytest.skip("Node.js is not installed")
    result = subprocess.run([node, "--check", str(script)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("script", SCRIPTS + STYLES, ids=[path.name for path in SCRIPTS + STYLES])
def test_no_external_resources(script):
    text = script.read_text(encoding="utf-8").replace("http://www.w3.org/2000/svg", "")  # a namespace, not a file
    assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", text, re.IGNORECASE), "no CDN or remote file"
    assert "@import" not in text


def test_one_global_init_function_per_block():
    for script in PUBLIC.glob("js/*.js"):
        text = script.read_text(encoding="utf-8")
        top_level = re.findall(r"^function (\w+)", text, re.MULTILINE)
        if script.name == "lamap_common.js":
            assert top_level == [] and text.count("window.LamapXBlocksCommon =") == 1
        elif script.name == "studio.js":  # the editor's part of the helper: no global of its own
            assert top_level == [] and "common.studioEditor = studioEditor" in text
        else:
            assert top_level == [f"Lamap{script.stem.capitalize()}Block"], script.name


def test_css_is_scoped_to_our_blocks():
    for style in STYLES:
        text = re.sub(r"/\*.*?\*/", "", style.read_text(encoding="utf-8"), flags=re.DOTALL)
        text = re.sub(r"@[^{;]+\{", "{", text)  # @media preludes are not selectors
        for selectors in re.findall(r"([^{}@]+)\{", text):
            for raw in selectors.split(","):
                selector = raw.strip()
                if not selector or selector.startswith(("from", "to")) or selector[0].isdigit():
                    continue
                assert selector.startswith(".lamap-"), f"{style.name}: {selector!r} is not scoped"
