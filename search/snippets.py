"""Snippets of search results: the part of a summary around its first matched word.

Made in Python from the words of the query's tsquery rather than by ``ts_headline``,
which parses the whole summary again for every result (4 ms a page of twenty). The words
``ts_headline`` with the ``simple`` configuration marks are marked: a word equal to a
lexeme of the query, or beginning with a prefix lexeme; in CJK text, every character of a
matched bigram, and a character the query asks for alone (``cjk_index_text``). So are the
inflected forms the stemmers matched (see ``_STEM_CHARS``), which ``ts_headline`` misses.
"""

import functools
import re

from django.utils.html import escape

from search.text import CJK_CHARS, CJK_RUN, fold, tsquery_words

#: Characters of the summary a snippet shows, and how many of them come before the first
#: matched word.
SNIPPET_CHARS = 240
LEAD_CHARS = 60
#: How far a cut may move to fall between words; CJK text has no spaces to find.
_SNAP_CHARS = 20
#: A lexeme of this many letters or more also marks the words it begins with up to this
#: many letters more: the stemmers' lexemes are mostly such beginnings (crane → cranes,
#: леопард → леопардов), and a snippet cannot ask PostgreSQL to stem each of its words.
_STEM_CHARS = 4
_ENDING_CHARS = 3


def snippet_html(text: str, tsquery: str) -> str:
    """Return HTML of up to ``SNIPPET_CHARS`` of ``text``, its matched words in ``<mark>``.

    ``tsquery`` is PostgreSQL's text of the query; the rest of ``text`` is escaped.
    """
    marks = _marks(text, tsquery)
    start = 0
    if marks and marks[0][0] > LEAD_CHARS:
        start = _snap_forward(text, marks[0][0] - LEAD_CHARS, limit=marks[0][0])
    end = len(text)
    if end - start > SNIPPET_CHARS:
        end = _snap_back(text, start + SNIPPET_CHARS, limit=start)
    parts = ["… " if start else ""]
    position = start
    for mark_start, mark_end in marks:
        if mark_start >= end:
            break
        if mark_end <= position:
            continue
        mark_start, mark_end = max(mark_start, position), min(mark_end, end)
        parts.append(escape(text[position:mark_start]))
        parts.append(f"<mark>{escape(text[mark_start:mark_end])}</mark>")
        position = mark_end
    parts.append(escape(text[position:end]))
    if end < len(text):
        parts.append(" …")
    return "".join(parts).strip()


def _marks(text: str, tsquery: str) -> list[tuple[int, int]]:
    """Return the (start, end) character spans of ``text`` that match, in order, merged."""
    lexemes, words, cjk = _patterns(tsquery)
    lowered = fold(text).lower()
    spans: list[tuple[int, int]] = []
    # Most summaries of title matches hold no word of the query: a substring test is
    # cheaper than the expressions, which test every position.
    if not any(lexeme in lowered for lexeme in lexemes):
        return spans
    if words:
        spans.extend(match.span() for match in words.finditer(text))
    if cjk:
        for match in cjk.finditer(lowered):
            if match.lastgroup == "pair":
                spans.append((match.start(), match.start() + 2))
            else:
                spans.append(match.span("one"))
        spans.sort()
    merged: list[tuple[int, int]] = []
    for span in spans:
        if merged and span[0] <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], span[1]))
        else:
            merged.append(span)
    return merged


#: A letter or digit of a word outside CJK text.
_LETTER = f"[^\\W{CJK_CHARS}]"


@functools.lru_cache(maxsize=256)
def _patterns(tsquery: str) -> tuple[list[str], re.Pattern | None, re.Pattern | None]:
    """Return the lexemes of ``tsquery`` and the expressions of what it marks: whole words
    and prefixes, case aside; then CJK bigrams (overlapping, as a lookahead) and single CJK
    characters."""
    words_of_query = tsquery_words(tsquery)
    whole: list[str] = []
    stems: list[str] = []
    prefixes: list[str] = []
    bigrams: list[str] = []
    singles: list[str] = []
    for lexeme, is_prefix in words_of_query:
        if CJK_RUN.fullmatch(lexeme):
            (bigrams if len(lexeme) > 1 else singles).append(re.escape(lexeme))
        elif is_prefix:
            prefixes.append(re.escape(lexeme))
        else:
            (stems if len(lexeme) >= _STEM_CHARS else whole).append(re.escape(lexeme))
    parts = []
    if whole:
        parts.append(f"(?:{'|'.join(whole)})(?!{_LETTER})")
    if stems:
        parts.append(f"(?:{'|'.join(stems)}){_LETTER}{{0,{_ENDING_CHARS}}}(?!{_LETTER})")
    if prefixes:
        parts.append(f"(?:{'|'.join(prefixes)}){_LETTER}*")
    words = re.compile(f"(?<!{_LETTER})(?:{'|'.join(parts)})", re.IGNORECASE) if parts else None
    cjk_parts = []
    if bigrams:
        cjk_parts.append(f"(?=(?P<pair>{'|'.join(bigrams)}))")
    if singles:
        cjk_parts.append(f"(?P<one>{'|'.join(singles)})")
    cjk = re.compile("|".join(cjk_parts)) if cjk_parts else None
    return [lexeme for lexeme, _prefix in words_of_query], words, cjk


def _snap_forward(text: str, position: int, *, limit: int) -> int:
    """Return ``position`` moved forward to the start of a word, if one is near."""
    space = text.find(" ", position, min(position + _SNAP_CHARS, limit))
    return space + 1 if space >= 0 else position


def _snap_back(text: str, position: int, *, limit: int) -> int:
    """Return ``position`` moved back to the end of a word, if one is near."""
    space = text.rfind(" ", max(position - _SNAP_CHARS, limit + 1), position + 1)
    return space if space >= 0 else position
