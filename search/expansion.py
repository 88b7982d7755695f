"""A query's language, and its species and site names in the six languages.

The sentence encoder does not know Mongolian, and a name is the surest bridge between
languages: a query naming a species or a site (in any of its names in the reference data,
inflected forms included, ирвэсийн for ирвэс) is expanded with its names in every other
language, which search then looks for as words (``search.selectors.hybrid``).
"""

import re
from dataclasses import dataclass

from species.models import Site, Species

LANGUAGES = ("en", "zh", "ja", "ko", "mn", "ru")
_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
#: Letters of Mongolian Cyrillic that Russian does not have.
_MONGOLIAN = re.compile(r"[өүӨҮ]")
_SPLIT = re.compile(r"\s*[;,/()（）]\s*")
#: Shorter names are too likely to be a part of another word (CJK names of two characters
#: count: 雪豹, 白鹤).
_MIN_LETTERS = 3
_MIN_CJK = 2
#: The most names a query is expanded with.
MAX_NAMES = 24


@dataclass(frozen=True)
class Expansion:
    language: str
    names: tuple[str, ...] = ()
    #: The codes of the species named (documents tagged with them are found too).
    species: tuple[str, ...] = ()

    def query(self) -> str:
        """Return the names as one query that any of them matches ("a b or c")."""
        return " or ".join(self.names)


def _terms(value: str) -> list[str]:
    return [term.strip() for term in _SPLIT.split(value or "") if term.strip()]


def _long_enough(term: str) -> bool:
    if _HAN.search(term) or _KANA.search(term) or _HANGUL.search(term):
        return len(term) >= _MIN_CJK
    return len(term) >= _MIN_LETTERS


def _names_of(objects) -> list[list[tuple[str, str]]]:
    """Return, per object, its names as (language, lowercase name); "" for synonyms."""
    every = []
    for obj in objects:
        names: list[tuple[str, str]] = []
        for language in LANGUAGES:
            names.extend((language, term) for term in _terms(getattr(obj, f"name_{language}")))
        for extra in ("scientific_name", "synonyms"):
            names.extend(("", term) for term in _terms(getattr(obj, extra, "")))
        every.append([(language, term.lower()) for language, term in names if _long_enough(term)])
    return every


def script_language(query: str) -> str:
    """Return the language the script of ``query`` suggests (Cyrillic: Russian)."""
    if _HANGUL.search(query):
        return "ko"
    if _KANA.search(query):
        return "ja"
    if _HAN.search(query):
        return "zh"
    if _CYRILLIC.search(query):
        return "mn" if _MONGOLIAN.search(query) else "ru"
    return "en"


def expand(query: str) -> Expansion:
    """Return the query's language and the names of the species and sites it names.

    One query reads the names (a few dozen species and sites). A query is Mongolian when
    it has letters only Mongolian has, or names something by its Mongolian name alone.
    """
    text = query.lower()
    language = script_language(query)
    found: list[str] = []
    mongolian_only = False
    fields = ["name_" + code for code in LANGUAGES]
    objects = [
        *Species.objects.only(*fields, "code", "scientific_name", "synonyms"),
        *Site.objects.only(*fields),
    ]
    species = []
    for obj, names in zip(objects, _names_of(objects), strict=True):
        matched = {language for language, term in names if term in text}
        if not matched:
            continue
        if isinstance(obj, Species):
            species.append(obj.code)
        mongolian_only = mongolian_only or matched == {"mn"}
        found.extend(term for _language, term in names if term not in found)
    if language == "ru" and mongolian_only:
        language = "mn"
    return Expansion(language=language, names=tuple(found[:MAX_NAMES]), species=tuple(species))
