"""
Translations: every string in French, Spanish (Latin America), Brazilian Portuguese and Arabic;
catalogs complete and compiled; each block declares its language and direction; buttons say
what screen readers say.
"""

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


LANGUAGES = {"fr": ("fr", "ltr"), "es-419": ("es-419", "ltr"), "pt-br": ("pt-BR", "ltr"), "ar": ("ar", "rtl")}


def test_catalogs_are_complete_checked_and_compiled_in_every_language():
    """French, Spanish (Latin America), Brazilian Portuguese and Arabic: nothing missing, fuzzy or broken."""
    assert set(i18n_tool.TRANSLATED) == {"fr", "es_419", "pt_BR", "ar"}
    assert i18n_tool.problems() == []
    for language in i18n_tool.TRANSLATED:
        for domain in ("django", "djangojs"):
            catalog = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / f"{domain}.po"))
            assert catalog.percent_translated() == 100 and not catalog.fuzzy_entries(), (language, domain)


def test_a_dropped_placeholder_is_reported(tmp_path, monkeypatch):
    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    catalog.append(polib.POEntry(msgid="Remove row {number}", msgstr="Quitar la fila"))
    assert i18n_tool.placeholder_problems(catalog[0]) == ["placeholders [] instead of ['{number}']"]
    arabic = polib.POEntry(
        msgid="{count} learner", msgid_plural="{count} learners", msgstr_plural={0: "لا أحد", 1: "مشارك {name}"}
    )
    assert "plural form 1 has ['{name}']" in i18n_tool.placeholder_problems(arabic)[0]


@pytest.mark.parametrize("language", sorted(LANGUAGES))
@pytest.mark.parametrize("block_type", sorted(BLOCKS))
def test_every_block_declares_its_language_and_direction(make_block, block_type, language):
    block = make_block(block_type)
    with translation.override(language):
        root = html.fromstring(block.render("student_view", {}).content).cssselect(".lamap-step")[0]
        editor = html.fromstring(block.render("studio_view", {}).content).cssselect(".lamap-editor")[0]
    assert (root.get("lang"), root.get("dir")) == LANGUAGES[language]
    assert (editor.get("lang"), editor.get("dir")) == LANGUAGES[language]


class PlatformCatalog:
    """A platform whose own catalog translates common words its own way (as Django's "Enlever" for "Remove")."""

    WORDS = {"Remove": "OTHER-REMOVE", "Submit": "OTHER-SUBMIT", "Save draft": "OTHER-SAVE", "Repeat": "OTHER-REPEAT"}
    WORDS |= {"Mark": "OTHER-MARK", "Play": "OTHER-PLAY", "Show": "OTHER-SHOW", "Print": "OTHER-PRINT"}

    def gettext(self, message):
        return self.WORDS.get(message, translation.gettext(message))

    def ngettext(self, singular, plural, number):
        return translation.ngettext(singular, plural, number)

    def pgettext(self, context, message):
        return translation.pgettext(context, message)


@pytest.mark.parametrize("language", ["en", *sorted(LANGUAGES)])
def test_a_buttons_visible_text_and_its_accessible_name_agree(make_block, runtime, language, monkeypatch):
    """WCAG 2.5.3: the name a screen reader says starts with the words on the button, in every language."""
    monkeypatch.setitem(runtime._services, "i18n", PlatformCatalog())
    pairs = []
    with translation.override(language):
        for block_type in ("lamap_question", "lamap_hypothesis", "lamap_experiment", "lamap_analysis"):
            content = make_block(block_type).render("student_view", {}).content
            for button in html.fromstring(content).cssselect("button[aria-label]"):
                visible = " ".join(button.text_content().split())
                if visible and not button.cssselect("[aria-hidden]"):
                    pairs.append((block_type, visible, button.get("aria-label")))
    names = {visible for _block, visible, _name in pairs}
    assert len(names) >= 3, pairs  # Remove, Repeat, Mark... each block has its labelled buttons
    assert not [pair for pair in pairs if pair[1].startswith("OTHER-")], "the block's own translation is shown"
    mismatched = [pair for pair in pairs if not pair[2].casefold().startswith(pair[1].casefold())]
    assert mismatched == [], mismatched


@pytest.mark.parametrize(
    ("language", "month"),
    [
        ("fr", "mars 2026, 14:30"),
        ("es-419", "mar"),
        ("pt-br", "mar. de 2026 14:30"),
        ("ar", "05\u200f/03\u200f/2026، "),
    ],
)
def test_dates_are_written_in_each_language(language, month):
    from datetime import UTC, datetime  # noqa: PLC0415

    from lamap_xblocks import dates  # noqa: PLC0415

    written = dates.format_moment(datetime(2026, 3, 5, 14, 30, tzinfo=UTC), language)
    assert month in written and "2026" in written  # Arabic's medium date is numeric, marked right to left (CLDR)


def test_arabic_has_its_six_plural_forms():
    translator = Translator(None, "ar")
    singular, plural = "{count} mark, shown after submission", "{count} marks, shown after submission"
    forms = [translator.ngettext(singular, plural, count) for count in (0, 1, 2, 3, 11, 100)]
    # zero, one, two, few (3-10), many (11-99), other (100...): "many" and "other" take the same
    # singular noun without vowel marks ("11 إشارة", "100 إشارة").
    assert len(set(forms)) == 5 and forms[3] != forms[4] and forms[4] == forms[5], forms
    assert Translator(None, "pt-br").ngettext(singular, plural, 0) == Translator(None, "pt-br").ngettext(
        singular, plural, 1
    ), "Brazilian Portuguese says 0 like 1"


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
    assert Translator(None, "fr-ca").pgettext("button", "Submit") == "Soumettre"
    assert Translator(None, "es-mx").pgettext("button", "Submit") == "Enviar", "other Spanish reads Latin American"
    assert bundled_js_catalog("pt") == "public/js/translations/pt_BR/text.js"
    assert Translator(None, "de").pgettext("button", "Submit") == "Submit"


def test_platform_catalog_comes_first():
    """Catalogs the platform provides (pulled by atlas) win over the bundled ones."""

    class PlatformService:
        def gettext(self, message):
            return "Envoyez vos questions" if message == "Your questions" else message

    translator = Translator(PlatformService(), "fr")
    assert translator.gettext("Your questions") == "Envoyez vos questions"
    assert translator.gettext("Results table") == "Tableau de résultats"


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


def test_a_partner_starts_a_new_language_with_one_command(tmp_path, monkeypatch):
    shutil.copytree(LOCALE / "en", tmp_path / "en")
    monkeypatch.setattr(i18n_tool, "LOCALE", tmp_path)
    i18n_tool.start("uk")
    catalog = polib.pofile(str(tmp_path / "uk/LC_MESSAGES/django.po"))
    assert catalog.metadata["Language"] == "uk"
    assert catalog.metadata["Plural-Forms"].startswith("nplurals=3;"), "Ukrainian's three forms, from the CLDR"
    assert catalog.percent_translated() == 0 and len(catalog) > 500
    with pytest.raises(SystemExit, match="exists already"):
        i18n_tool.start("uk")
    with pytest.raises(SystemExit, match="not a language"):
        i18n_tool.start("xx_nowhere")


@pytest.mark.parametrize(
    ("language", "written"), [("en", "0.75"), ("fr", "0,75"), ("es-419", "0.75"), ("pt-br", "0,75"), ("ar", "0.75")]
)
def test_numbers_are_written_as_each_language_writes_them(language, written):
    from lamap_xblocks import charts  # noqa: PLC0415

    assert charts.Formatter(language).value(0.75) == written  # the CLDR's decimal symbol
