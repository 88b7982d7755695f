"""Resolving the names people write in their tables to the portal's species.

A camera-trap or telemetry export names its animal in many ways: with authorship
(``Panthera tigris altaica (Temminck, 1844)``), in other case or spacing, at species rather
than subspecies rank, by a synonym, or by a vernacular name in any of the six languages
(Amur tiger, 东北虎, アムールトラ, 호랑이, Амурский тигр). Each is normalized the same way
(``normalize``) and looked up in one table built from the species list
(``NameResolver.from_species``). A name that cannot be resolved stays unresolved: the
caller decides what that means, and for locations it means "sensitive" (fail closed).
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

#: Rank and qualifier markers dropped from scientific names ("subsp.", "cf.", "var.").
RANK_MARKERS = frozenset({"subsp", "ssp", "var", "f", "forma", "cf", "aff", "nothosubsp"})
#: Separators of alternative names inside one vernacular or synonym field.
ALTERNATIVES = re.compile(r"[;/,()（）]")
_PARENTHESES = re.compile(r"[(（][^)）]*[)）]")
_AUTHOR_YEAR = re.compile(r"\b\d{4}\b")
_NOT_WORD = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Return ``text`` in the form names are compared in.

    Unicode compatibility forms are folded (full-width letters, 東 and 東), case is
    folded, ё reads as е, authorship in parentheses and punctuation are dropped, and
    runs of spaces, hyphens and underscores become one space.
    """
    text = unicodedata.normalize("NFKC", text or "")
    text = _PARENTHESES.sub(" ", text)
    text = text.casefold().replace("ё", "е").replace("_", " ")
    text = _NOT_WORD.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def _scientific_tokens(text: str) -> list[str]:
    """Return the normalized words of a scientific name, up to its authorship's year.

    Rank markers are dropped. Authors' names cannot be told from epithets in every
    spelling (``PANTHERA TIGRIS ALTAICA TEMMINCK``, ``Panthera Pardus Orientalis
    Temminck``), so ``name_keys`` tries the name's trinomial and binomial prefixes.
    """
    text = _PARENTHESES.sub(" ", unicodedata.normalize("NFKC", text or ""))
    tokens: list[str] = []
    for word in text.split():
        if _AUTHOR_YEAR.search(word) or "&" in word:
            break
        folded = normalize(word)
        if folded and folded not in RANK_MARKERS:
            tokens.extend(folded.split())
    return tokens


def name_keys(text: str) -> list[str]:
    """Return the lookup keys of ``text``, most specific first.

    The whole normalized text comes first (vernacular names, exact scientific names),
    then the scientific name without authorship, then its trinomial and binomial prefixes,
    so that ``Panthera tigris`` at species rank finds the tiger listed as a subspecies.
    """
    keys: list[str] = []
    whole = normalize(text)
    if whole:
        keys.append(whole)
    tokens = _scientific_tokens(text)
    for length in (len(tokens), 3, 2):
        if length >= 2 and len(tokens) >= length:
            key = " ".join(tokens[:length])
            if key not in keys:
                keys.append(key)
    return keys


@dataclass
class NameResolver:
    """A lookup table from normalized names to species codes.

    ``strictness`` orders species from the most to the least sensitive, so that a name
    shared by two species (a binomial, a vernacular name) resolves to the stricter one.
    Picklable, so that the processes reading one table share it.
    """

    names: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_species(cls, species: Iterable) -> "NameResolver":
        """Build the table from species rows (scientific name, synonyms, vernacular names).

        ``species`` should be ordered from the least to the most sensitive: later rows win
        a shared name.
        """
        resolver = cls()
        for item in species:
            for key in _species_keys(item):
                resolver.names[key] = item.code
        return resolver

    def resolve(self, text: str) -> str | None:
        """Return the species code ``text`` names, or None when it names none we know.

        A question mark marks an uncertain identification ("tiger?"): it resolves to nothing,
        so that its rows take the strictest rule of their dataset.
        """
        if "?" in text or "？" in text:
            return None
        for key in name_keys(text):
            code = self.names.get(key)
            if code is not None:
                return code
        return None

    def get(self, text: str, default: str | None = None) -> str | None:
        """Return ``resolve(text)``, or ``default``: the interface of a plain name table."""
        code = self.resolve(text)
        return default if code is None else code


def _species_keys(item) -> list[str]:
    """Return every key under which ``item`` (a Species) is found."""
    scientific = [item.scientific_name, *item.synonyms.split(";")]
    vernacular = [
        getattr(item, f"name_{suffix}", "") for suffix in ("en", "zh", "ja", "ko", "mn", "ru")
    ]
    vernacular += (getattr(item, "vernacular_names", "") or "").split(";")
    keys: list[str] = []
    for name in scientific:
        if name.strip():
            keys.extend(name_keys(name))
    for field_value in vernacular:
        # "호랑이 (아무르호랑이)", "Снежный барс (ирбис)": each part is a name of its own.
        for name in [field_value, *ALTERNATIVES.split(field_value or "")]:
            key = normalize(name)
            if key:
                keys.append(key)
    return keys
