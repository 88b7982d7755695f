"""What an ORCID iD and a profile's languages may be: one statement of each rule.

``Profile.clean`` applies them, so the profile page and any other writer refuse alike.
"""

import re

from django.utils.translation import gettext as _

from publications.rules import LANGUAGE_CODES

#: Four groups of four digits, the last character a digit or X (ISO 7064 MOD 11-2).
ORCID_SHAPE = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")
ORCID_PREFIXES = ("https://orcid.org/", "http://orcid.org/", "orcid.org/")


def orcid_normalize(value: str) -> str:
    """Return ``value`` without its orcid.org prefix and spaces, X in upper case."""
    value = value.strip().replace(" ", "")
    for prefix in ORCID_PREFIXES:
        if value.lower().startswith(prefix):
            value = value[len(prefix) :]
            break
    return value.upper()


def orcid_checksum(digits: str) -> str:
    """Return the check character of the first 15 digits of an ORCID iD (ISO 7064 MOD 11-2)."""
    total = 0
    for digit in digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def orcid_error(value: str) -> str | None:
    """Return why ``value`` (normalized) is not an ORCID iD, or None when it is one."""
    if not value:
        return None
    if not ORCID_SHAPE.match(value):
        return _("Give the ORCID iD as 0000-0002-1825-0097 (16 characters in four groups).")
    digits = value.replace("-", "")
    if orcid_checksum(digits[:15]) != digits[15]:
        return _("This ORCID iD's last character does not match its checksum: check for a typo.")
    return None


def languages_error(codes: list[str]) -> str | None:
    """Return why ``codes`` is not a list of ISO 639-1 languages, or None."""
    if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
        return _('Give a list of language codes, e.g. ["en", "ko"].')
    if len(codes) > 20:
        return _("Name at most 20 languages.")
    unknown = [code for code in codes if code not in LANGUAGE_CODES]
    if unknown:
        return _("Unknown language codes: %(codes)s. Use ISO 639-1 codes such as en, zh, ko.") % {
            "codes": ", ".join(unknown[:5])
        }
    return None
