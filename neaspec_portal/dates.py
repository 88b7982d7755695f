"""Dates that nobody misreads: ISO 8601 in data, the reader's long form in prose.

``01/10/2025`` is January in Washington and October in Moscow, so data contexts (tables,
metadata, date ranges read from files) show ``2025-01-10``; sentences show the active
language's long form from CLDR through Babel (``10 января 2025 г.``, ``2025년 1월 10일``,
Mongolian month names in the genitive case), which Django's own formats get wrong.
Templates use the ``iso_date``, ``iso_datetime`` and ``long_date`` filters of ``portal``.
"""

import datetime

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from django.utils import timezone
from django.utils.translation import get_language, to_locale

DateLike = datetime.date | datetime.datetime | None


def _as_date(value: DateLike) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def babel_locale(language: str | None = None) -> Locale:
    """Return the Babel locale of the Django ``language`` code (the active one by default)."""
    code = to_locale(language or get_language() or "en")
    try:
        return Locale.parse(code)
    except (ValueError, UnknownLocaleError):
        return Locale.parse("en")


def iso_date(value: DateLike) -> str:
    """Return ``value`` as ``YYYY-MM-DD`` (in the portal's time zone for a datetime), or ""."""
    day = _as_date(value)
    return day.isoformat() if day else ""


def iso_datetime(value: DateLike) -> str:
    """Return ``value`` as ``YYYY-MM-DD HH:MM`` in the portal's time zone, or ""."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M")
    return iso_date(value)


def long_date(value: DateLike, language: str | None = None) -> str:
    """Return ``value`` in the long form of ``language`` (the active one by default), or ""."""
    day = _as_date(value)
    if not day:
        return ""
    return format_date(day, format="long", locale=babel_locale(language))
