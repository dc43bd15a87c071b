"""
Translations: the runtime's i18n service first, this package's bundled catalogs second.

Open edX's XBlockI18nService loads catalogs pulled by atlas (OEP-58) for this package;
when an operator has not pulled them, the service falls back to Django's global
catalog, which knows nothing of our strings. The bundled catalogs in conf/locale fill
that gap, so French works straight after ``pip install``.
"""

import functools
import gettext
from pathlib import Path

from django.utils import translation

LOCALE_DIR = Path(__file__).resolve().parent / "conf" / "locale"
JS_CATALOG_DIR = Path(__file__).resolve().parent / "public" / "js" / "translations"
DOMAIN = "django"
JS_NAMESPACE = "LamapI18N"


def current_language():
    """The active request language, e.g. ``fr`` or ``en-us``."""
    return translation.get_language() or "en"


def language_tag(language):
    """The BCP 47 tag of a Django language code, for ``lang``: ``pt-br`` -> ``pt-BR``, ``es-419`` stays."""
    parts = (language or "en").replace("_", "-").split("-")
    return "-".join([parts[0].lower(), *(part.upper() if len(part) == 2 else part for part in parts[1:])])


def direction(language):
    """``rtl`` for a language written right to left (Arabic...), else ``ltr``: the CLDR's, through Babel."""
    from .dates import babel_locale  # noqa: PLC0415

    return "rtl" if babel_locale(language).character_order == "right-to-left" else "ltr"


# The regional catalog a language's other variants read when we have no catalog of theirs:
# Spanish (es, es-mx, es-ar...) reads Latin American Spanish, Portuguese reads Brazilian.
REGIONAL = {"es": "es_419", "pt": "pt_BR"}


def locale_candidates(language):
    """``fr-ca`` -> ``["fr_CA", "fr"]``: the exact locale first, then the bare language (then REGIONAL)."""
    locale = translation.to_locale(language)
    base = locale.split("_")[0]
    found = [locale] if locale == base else [locale, base]
    if base in REGIONAL and REGIONAL[base] not in found:
        found.append(REGIONAL[base])
    return found


@functools.lru_cache(maxsize=32)
def bundled_translations(language):
    """This package's compiled catalog for ``language`` (a null catalog if we have none)."""
    return gettext.translation(DOMAIN, str(LOCALE_DIR), languages=locale_candidates(language), fallback=True)


def bundled_js_catalog(language):
    """Relative path of our compiled JavaScript catalog for ``language``, or None."""
    for locale in locale_candidates(language):
        path = JS_CATALOG_DIR / locale / "text.js"
        if path.exists():
            return f"public/js/translations/{locale}/text.js"
    return None


# Translations already looked up, per service class and language: catalogs are loaded
# once per process, so a message translates the same way for every request.
_LOOKED_UP = {}
MAX_LOOKED_UP = 5000  # our catalogs hold about 700 messages; plural counts add a few


class Translator:
    """
    gettext for one block and one language. A message the service leaves untranslated
    is looked up in the bundled catalog.
    """

    def __init__(self, service, language):
        self.language = language
        self.service = service
        self.bundled = bundled_translations(language)
        self.looked_up = _LOOKED_UP.setdefault((type(service).__qualname__, language), {})

    def gettext(self, message):
        translated = self.looked_up.get(message)
        if translated is None:
            translated = self._service_call("gettext", message)
            if translated is None or translated == message:
                translated = self.bundled.gettext(message)
            if len(self.looked_up) < MAX_LOOKED_UP:
                self.looked_up[message] = translated
        return translated

    def ngettext(self, singular, plural, number):
        key = (singular, plural, number)
        translated = self.looked_up.get(key)
        if translated is None:
            translated = self._service_call("ngettext", singular, plural, number)
            if translated is None or translated in (singular, plural):
                translated = self.bundled.ngettext(singular, plural, number)
            if len(self.looked_up) < MAX_LOOKED_UP:
                self.looked_up[key] = translated
        return translated

    def pgettext(self, context, message):
        """A message with its context ("button"...): the block's own, whatever a platform catalog says of the word."""
        key = (context, message)
        translated = self.looked_up.get(key)
        if translated is None:
            translated = self._service_call("pgettext", context, message)
            if translated is None or translated == message:
                translated = self.bundled.pgettext(context, message)
            if len(self.looked_up) < MAX_LOOKED_UP:
                self.looked_up[key] = translated
        return translated

    def _service_call(self, name, *args):
        method = getattr(self.service, name, None) if self.service is not None else None
        if method is None:
            return None
        try:
            return str(method(*args))
        except (TypeError, ValueError):  # a service stub that cannot translate
            return None

    def __call__(self, message):
        return self.gettext(message)
