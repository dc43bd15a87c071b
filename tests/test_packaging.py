"""
The package as operators install it: a wheel carries the templates, static files and
compiled catalogs and the store's migrations, registers the five blocks and the plugin
app, and works from a clean virtual environment.
"""

import site
import subprocess
import sys
import tarfile
import textwrap
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
ENTRY_POINTS = {
    "lamap_question",
    "lamap_hypothesis",
    "lamap_experiment",
    "lamap_argumentation",
    "lamap_analysis",
    "lamap_notebook",
}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("lamap_xblocks-*.whl")
    return built


def test_wheel_contents(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for step in ("question", "hypothesis", "experiment", "argumentation", "notebook"):
        assert f"lamap_xblocks/templates/{step}/student.html" in names
        assert f"lamap_xblocks/public/css/{step}.css" in names
        assert f"lamap_xblocks/public/js/{step}.js" in names
    for shared in (
        "templates/common/step.html",
        "templates/common/studio.html",
        "public/js/lamap_common.js",
        "public/css/lamap_common.css",
        "public/js/translations/fr/text.js",
    ):
        assert f"lamap_xblocks/{shared}" in names
    for domain in ("django", "djangojs"):
        assert f"lamap_xblocks/conf/locale/fr/LC_MESSAGES/{domain}.mo" in names
        assert f"lamap_xblocks/conf/locale/fr/LC_MESSAGES/{domain}.po" in names
    assert "lamap_xblocks/migrations/0001_initial.py" in names
    assert "lamap_xblocks/translations/fr/LC_MESSAGES/text.mo" in names, "the XBlock layout the platform reads"
    assert "lamap_xblocks/management/commands/lamap_recount.py" in names
    for preview in ("templates/lamap_preview/unit.html", "static/lamap_preview/preview.css"):
        assert f"lamap_xblocks/course/preview/{preview}" in names
    for packaged in ("course/kit_templates/kit.css", "demo/static/lamap-demo/notebook-sample.svg"):
        assert f"lamap_xblocks/{packaged}" in names, packaged
    assert not any(name.startswith("tests/") for name in names)
    entry_points = next(name for name in names if name.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "[xblock.v1]" in text
    for project in ("lms.djangoapp", "cms.djangoapp"):
        assert f"[{project}]\nlamap_xblocks = lamap_xblocks.apps:LamapXBlocksConfig" in text
    assert {line.split("=")[0].strip() for line in text.splitlines() if "=" in line} >= ENTRY_POINTS
    assert "[console_scripts]\nlamap-course = lamap_xblocks.course.cli:main" in text


CHECK = textwrap.dedent("""
    import os, sys
    from importlib.metadata import entry_points
    os.environ["DJANGO_SETTINGS_MODULE"] = "lamap_xblocks.demo.settings"
    os.environ["LAMAP_VAR_DIR"] = sys.argv[1]
    import django
    django.setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=0)  # the store's tables, from the wheel's migrations
    from django.utils import translation
    from xblock.field_data import DictFieldData
    from xblock.fields import ScopeIds
    from xblock.test.tools import TestRuntime
    import lamap_xblocks
    assert sys.prefix in lamap_xblocks.__file__, lamap_xblocks.__file__
    found = {ep.name: ep.load() for ep in entry_points(group="xblock.v1") if ep.name.startswith("lamap_")}
    steps = {"lamap_question", "lamap_hypothesis", "lamap_experiment", "lamap_argumentation", "lamap_analysis"}
    assert set(found) == steps | {"lamap_notebook"}, found

    class I18n:
        def __getattr__(self, name):
            return getattr(translation, name)

    class Runtime(TestRuntime):
        def local_resource_url(self, block, uri):
            return "/r/" + uri

        def handler_url(self, block, handler_name, suffix="", query="", thirdparty=False):
            return "/h/" + handler_name

    for name, cls in sorted(found.items()):
        runtime = Runtime(services={"field-data": DictFieldData({}), "i18n": I18n()})
        block = runtime.construct_xblock_from_class(cls, ScopeIds("u", name, "d-" + name, "u-" + name))
        with translation.override("fr"):
            content = block.render("student_view", {}).content
            studio = block.render("studio_view", {}).content
        assert ("Soumettre" if name in steps else "Mon cahier") in content, name
        assert "Enregistrer" in studio, name
    print("ok", len(found))
""")


def test_wheel_works_in_a_clean_virtualenv(wheel, tmp_path):
    venv = tmp_path / "clean"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True, capture_output=True
    )
    # Dependencies come from the test environment's site-packages, added after the clean
    # environment's own: the package itself can only be the wheel's copy.
    clean_site = next((venv / "lib").glob("python3.*/site-packages"))
    (clean_site / "zz_dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    result = subprocess.run(
        [str(python), "-c", CHECK, str(tmp_path / "var")], check=False, capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok 6"
    # The course command comes with the wheel and builds the French course with the wheel's
    # catalogs: the about page's headings are French.
    french = Path(__file__).resolve().parent.parent / "courses" / "inquiry-trainers-fr"
    archive = tmp_path / "fr.tar.gz"
    command = [str(venv / "bin" / "lamap-course"), "build", str(french), "-o", str(archive)]
    result = subprocess.run(command, check=False, capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Built {archive}")
    with tarfile.open(archive) as tar:
        overview = tar.extractfile("course/about/overview.html").read().decode()
    assert "<h2>À propos de ce cours</h2>" in overview
