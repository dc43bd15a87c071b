"""
Dates and shares as people read them in their language: "6 déc. 2026, 10:37", "Dec 6, 2026, 10:37", "62 %".

Babel (the CLDR's formats, as Open edX uses them) writes the date the way each language
does; without it, the ISO form stays readable in every language.
"""

import functools

from django.utils import translation

try:
    from babel import Locale, UnknownLocaleError
    from babel.dates import format_date, format_time
    from babel.numbers import format_percent as babel_percent
except ImportError:  # Babel is a dependency; a stripped install still shows dates
    format_date = format_time = babel_percent = None


@functools.lru_cache(maxsize=32)
def babel_locale(language):
    try:
        return Locale.parse(translation.to_locale(language or "en"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def format_moment(moment, language):
    """A timezone-aware datetime as a short date and time in ``language``."""
    if format_date is None:
        return moment.strftime("%Y-%m-%d %H:%M")
    locale = babel_locale(language)
    # The date as the language abbreviates it, then the time without seconds, joined as the
    # language joins them ("6 déc. 2026, 10:37"; Arabic's comma, Portuguese's space).
    pattern = locale.datetime_formats.get("medium") or "{1}, {0}"
    time_text = format_time(moment, "short", locale=locale)
    return str(pattern).format(time_text, format_date(moment, "medium", locale=locale))


def format_day(moment, language):
    """A timezone-aware datetime as a day only ("6 déc. 2026"): dense tables, where the hour is noise."""
    if format_date is None:
        return moment.strftime("%Y-%m-%d")
    return format_date(moment, "medium", locale=babel_locale(language))


def format_percent(value, language):
    """A whole percentage (62 for 62 %) as ``language`` writes it: "62%", "62 %" in French."""
    if babel_percent is None:
        return f"{value} %"
    return babel_percent(value / 100, locale=babel_locale(language))
