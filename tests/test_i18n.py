"""Translations: every string in French, catalogs complete and compiled, French used when asked for."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.utils import translation
from lxml import html

from lamap_xblocks.i18n import Translator, bundled_js_catalog

from .conftest import BLOCKS, VALID_WORK, call

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "lamap_xblocks" / "conf" / "locale"
sys.path.insert(0, str(ROOT / "tools"))
import i18n as i18n_tool  # noqa: E402

FRENCH_LABELS = {
    "lamap_question": ["Vos questions", "Ajouter une question", "Soumettre", "Enregistrer le brouillon"],
    "lamap_hypothesis": ["Je pense que…", "Ajouter une hypothèse", "Soumettre"],
    "lamap_experiment": ["Tableau de résultats", "Ajouter une ligne", "Essai 1", "Soumettre"],
    "lamap_argumentation": ["Ajouter une preuve", "Soumettre"],
    "lamap_analysis": ["Vos repères", "Ajouter un repère", "Transcription", "Repérer", "Pas observé", "Soumettre"],
}


def test_french_catalogs_are_complete_and_compiled():
    assert i18n_tool.problems() == []


def test_catalogs_hold_every_string_of_the_sources(tmp_path):
    """Extraction from the current sources finds nothing the committed catalogs lack."""
    if not shutil.which("xgettext"):
        pytest.skip("GNU gettext is not installed")
    copy = tmp_path / "lamap_xblocks"
    shutil.copytree(ROOT / "lamap_xblocks", copy, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.rmtree(copy / "conf" / "locale")
    (copy / "conf" / "locale").mkdir(parents=True)
    script = (
        "import django; from django.conf import settings; settings.configure(USE_I18N=True); django.setup();"
        "from django.core.management import call_command;"
        "call_command('makemessages', locale=['en'], domain='django', extensions=['html', 'py'],"
        " ignore_patterns=['demo/*'], verbosity=0);"
        "call_command('makemessages', locale=['en'], domain='djangojs',"
        " ignore_patterns=['public/js/translations/*'], verbosity=0)"
    )
    subprocess.run([sys.executable, "-c", script], cwd=copy, check=True)
    for domain in ("django", "djangojs"):
        extracted = {entry.msgid for entry in polib.pofile(str(copy / "conf/locale/en/LC_MESSAGES" / f"{domain}.po"))}
        committed = {entry.msgid for entry in polib.pofile(str(LOCALE / "fr/LC_MESSAGES" / f"{domain}.po"))}
        assert extracted - committed == set(), f"run make extract_translations ({domain})"


def test_placeholders_survive_translation():
    for domain in ("django", "djangojs"):
        for entry in polib.pofile(str(LOCALE / "fr" / "LC_MESSAGES" / f"{domain}.po")):
            source = entry.msgid + entry.msgid_plural
            targets = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
            for target in targets:
                for token in ("{field}", "{number}", "{count}", "{date}", "%(count)s", "%(number)s", "{item}"):
                    if token in source:
                        assert token in target, (entry.msgid, target)


@pytest.mark.parametrize("block_type", sorted(BLOCKS))
def test_blocks_render_in_french(make_block, block_type):
    block = make_block(block_type)
    with translation.override("fr"):
        document = html.fromstring(block.render("student_view", {}).content)
        text = document.text_content()
        for label in FRENCH_LABELS[block_type]:
            assert label in text, label
        assert "Not submitted yet." not in text and "Pas encore soumis." in text
        urls = [resource.data for resource in block.render("student_view", {}).resources]
        assert f"/resource/{block_type}/public/js/translations/fr/text.js" in urls
        studio = block.render("studio_view", {}).content
        assert "Enregistrer" in studio and "Annuler" in studio
    with translation.override("en"):
        urls = [resource.data for resource in block.render("student_view", {}).resources]
        assert not any("translations" in url for url in urls), "no catalog to load in English"


@pytest.mark.parametrize("block_type", sorted(BLOCKS))
def test_errors_and_statuses_in_french(make_block, block_type):
    block = make_block(block_type)
    with translation.override("fr"):
        status, reply = call(block, "save_draft", {"surprise": True})
        assert status == 400
        assert reply["error"].startswith("La requête"), reply
        status, reply = call(block, "submit_step", VALID_WORK[block_type])
        assert status == 200
        assert reply["status"].startswith("Travail soumis le")


def test_regional_variants_fall_back_to_the_language():
    assert bundled_js_catalog("fr-ca") == "public/js/translations/fr/text.js"
    assert Translator(None, "fr-ca").gettext("Submit") == "Soumettre"
    assert Translator(None, "de").gettext("Submit") == "Submit"


def test_platform_catalog_comes_first():
    """Catalogs the platform provides (pulled by atlas) win over the bundled ones."""

    class PlatformService:
        def gettext(self, message):
            return "Envoyer" if message == "Submit" else message

    translator = Translator(PlatformService(), "fr")
    assert translator.gettext("Submit") == "Envoyer"
    assert translator.gettext("Save draft") == "Enregistrer le brouillon"


def test_javascript_catalog_is_a_namespaced_script():
    text = (ROOT / "lamap_xblocks" / "public" / "js" / "translations" / "fr" / "text.js").read_text(encoding="utf-8")
    assert "globals.LamapI18N = {" in text
    assert '"Trial {number}": "Essai {number}"' in text
    assert "var index = (n > 1);" in text


def test_french_uses_one_apostrophe_everywhere():
    """The straight apostrophe, as in the French course texts: never two kinds on one page."""
    import polib  # noqa: PLC0415

    for name in ("django.po", "djangojs.po"):
        catalog = polib.pofile(
            str(Path(__file__).resolve().parent.parent / "lamap_xblocks/conf/locale/fr/LC_MESSAGES" / name)
        )
        curly = [entry.msgstr for entry in catalog if "’" in entry.msgstr]
        assert curly == [], name


def test_the_platforms_xblock_i18n_service_finds_the_bundled_catalog():
    """
    Open edX's XBlockI18nService, when atlas pulled no catalog for a block, loads the domain
    ``text`` from ``translations/`` beside the block's module: the French catalog is there.
    """
    import gettext  # noqa: PLC0415
    from importlib.resources import files  # noqa: PLC0415

    from lamap_xblocks.question import QuestionBlock  # noqa: PLC0415

    locale_dir = files(QuestionBlock.__module__.rsplit(".", 1)[0]) / "translations"
    catalog = gettext.translation("text", str(locale_dir), ["fr"])
    assert (
        catalog.gettext("Only the course team can change this block.")
        == "Seule l'équipe du cours peut modifier ce bloc."
    )
    assert QuestionBlock.i18n_js_namespace == "LamapI18N", "the platform compiles JavaScript catalogs in this namespace"
