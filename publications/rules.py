"""What a publication's year, DOI and language may be: one statement of each rule.

``Publication.clean`` applies them, so the library's form (a ``ModelForm``) and the API
(the services run ``full_clean``) refuse the same input with the same message.
"""

from django.conf.locale import LANG_INFO
from django.utils import timezone
from django.utils.translation import gettext as _

#: The six languages of the member States first; any other ISO 639-1 language after them.
MAIN_LANGUAGES = [
    ("en", "English"),
    ("zh", "中文"),
    ("ja", "日本語"),
    ("ko", "한국어"),
    ("mn", "Монгол"),
    ("ru", "Русский"),
]
OTHER_LANGUAGES = sorted(
    (
        (
            code,
            info["name_local"]
            if info["name_local"] == info["name"]
            else f"{info['name_local']} ({info['name']})",
        )
        for code, info in LANG_INFO.items()
        if len(code) == 2 and "name" in info and code not in dict(MAIN_LANGUAGES)
    ),
    key=lambda choice: LANG_INFO[choice[0]]["name"],
)
LANGUAGE_CODES = {code for code, _label in MAIN_LANGUAGES + OTHER_LANGUAGES}

#: The longest lists a publication or an event takes (``neaspec_portal.bounds``).
LIST_LIMITS = {
    "species": 500,
    "sites": 500,
    "countries": 50,
    "targets": 50,
    "themes": 50,
    "authors": 100,
}


def latest_year() -> int:
    """Return the latest year a publication may carry: next year (in press)."""
    return timezone.localdate().year + 1


def year_error(year: int) -> str | None:
    """Return why ``year`` is not a publication year, or None when it is one."""
    if not 1900 <= year <= latest_year():
        return _("Give a year between 1900 and %(latest)d.") % {"latest": latest_year()}
    return None


def doi_normalize(doi: str) -> str:
    """Return a DOI without its resolver prefix, lower-cased (DOIs are case-insensitive)."""
    value = doi.strip()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:"):
        if value.lower().startswith(prefix):
            value = value[len(prefix) :]
    return value.strip().lower()


def doi_error(doi: str) -> str | None:
    """Return why the normalized ``doi`` is not a DOI, or None when it looks like one."""
    if doi and (not doi.startswith("10.") or "/" not in doi or any(ch.isspace() for ch in doi)):
        return _("A DOI looks like 10.1000/xyz123 (a web address from doi.org is fine too).")
    return None


def language_error(code: str) -> str | None:
    """Return why ``code`` is not an ISO 639-1 language code, or None when it is one."""
    if code not in LANGUAGE_CODES:
        return _("Give an ISO 639-1 code, e.g. en, zh, ja, ko, mn, ru.")
    return None
