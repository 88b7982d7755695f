"""Text preparation for multilingual full-text search on PostgreSQL.

Chinese, Japanese and Korean are written without spaces between words (Korean puts
particles on words), so their runs of characters are indexed and queried as overlapping
character bigrams: 東北虎 → 東北 北虎. Other scripts go through PostgreSQL's own
configurations: ``english`` and ``russian`` (stemming), ``simple`` for everything else,
Mongolian included (PostgreSQL has no Mongolian stemmer).
"""

import re

#: The CJK characters, as the inside of a regular expression's character class.
CJK_CHARS = (
    "\u3040-\u30ff"  # Hiragana, Katakana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Han
    "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"  # Hangul
    "\u31f0-\u31ff\uff66-\uff9f"  # Katakana extensions and half-width
)
CJK_RUN = re.compile(f"[{CJK_CHARS}]+")
#: tsquery syntax that must never reach PostgreSQL from a user's query, and control
#: characters (a NUL cannot even travel as a parameter).
_TSQUERY_SYNTAX = re.compile(r"[&|!():*'\\<>\x00-\x1f\x7f]")
#: Hyphens that neither exclude a word ("-tiger") nor join two ("camera-trap"): a run of
#: them would nest one NOT in another until PostgreSQL's tsquery stack overflows.
_LOOSE_HYPHENS = re.compile(r"-+(?!\w)")
_HYPHEN_RUN = re.compile(r"-{2,}")

MAX_QUERY_LENGTH = 300

# Traditional Chinese and Japanese forms folded to simplified ones, so that 東北虎 finds
# 东北虎 and 白頭鶴 finds 白头鹤. Limited to characters common in this hub's subject matter;
# a full table would come from OpenCC.
_TRADITIONAL = (
    "東鶴臉鷺護區國雲華豐龍島灣濕鳥類調測監態種園長遷頭邊環發會議報書資數據網絡際"
    "關係務農業氣變與學輿圖戰鄉縣貓獵豬禽羣群遺傳濱殘處歲齡雙齊蟲檢樣劃規結絕減溫"
)
_SIMPLIFIED = (
    "东鹤脸鹭护区国云华丰龙岛湾湿鸟类调测监态种园长迁头边环发会议报书资数据网络际"
    "关系务农业气变与学舆图战乡县猫猎猪禽群群遗传滨残处岁龄双齐虫检样划规结绝减温"
)
_FOLD = str.maketrans(_TRADITIONAL, _SIMPLIFIED)


def fold(text: str) -> str:
    """Return ``text`` with traditional characters folded to simplified, one for one."""
    return text.translate(_FOLD)


_WORD = re.compile(r"\w{3,}")


def cjk_bigrams(text: str) -> str:
    """Return ``text`` with every CJK run replaced by its overlapping bigrams."""

    def bigrams(match: re.Match) -> str:
        run = match.group(0)
        if len(run) == 1:
            return f" {run} "
        return " " + " ".join(run[i : i + 2] for i in range(len(run) - 1)) + " "

    return CJK_RUN.sub(bigrams, fold(text))


def cjk_index_text(text: str) -> str:
    """Return ``text`` as the ``simple`` configuration indexes it: CJK runs as bigrams, and
    after the whole text every CJK character once more on its own.

    A query of one character (豹, 虎, 鹤) finds its characters; a longer one asks for its
    bigrams, whose order in the text the characters at the end leave undisturbed.
    """
    characters = " ".join("".join(CJK_RUN.findall(fold(text))))
    return f"{cjk_bigrams(text)}\n{characters}" if characters else cjk_bigrams(text)


def clean_query(raw: str) -> str:
    """Return a user's query safe for ``websearch_to_tsquery``: bounded, no operator syntax.

    Double quotes (phrases) and a leading minus (exclusion) keep their web-search meaning;
    a run of hyphens counts as one, and a hyphen before no word as a space.
    """
    query = _TSQUERY_SYNTAX.sub(" ", raw[:MAX_QUERY_LENGTH])
    query = _HYPHEN_RUN.sub("-", _LOOSE_HYPHENS.sub(" ", query))
    return " ".join(query.split())


_HYPHENATED = re.compile(r"\w+(?:-\w+)+")


def hyphens_as_phrases(query: str) -> str:
    """Return ``query`` with each hyphenated word as the quoted phrase of its parts.

    websearch_to_tsquery would ask for the hyphenated word itself: "camera-trap" would not
    find "camera trap". ``query`` must come from ``clean_query``.
    """
    parts = query.split('"')
    for index, part in enumerate(parts):
        if index % 2:
            parts[index] = re.sub(r"(?<=\w)-(?=\w)", " ", part)
        else:
            parts[index] = _HYPHENATED.sub(lambda m: '"' + m[0].replace("-", " ") + '"', part)
    return '"'.join(parts)


def prefix_tsquery(query: str) -> str:
    """Return a ``to_tsquery('simple', ...)`` text of ``query`` with its Cyrillic words as
    prefixes, or "" if it has none.

    Mongolian has no PostgreSQL stemmer: ирвэс finds ирвэсийн only as a prefix. Latin words
    stay whole: the English stemmer finds their inflected forms, and scientific names and
    site codes must match exactly; a prefix of a common word would also cost every search
    a scan of every word it begins (docs/performance.md). A word after a minus
    is excluded, as ``websearch_to_tsquery`` excludes it. ``query`` must come from
    ``clean_query``; CJK runs are bigrammed.
    """
    groups = []
    # Split on quotes: odd parts are quoted phrases, whose words must follow one another.
    for index, part in enumerate(query.split('"')):
        if index % 2:
            words = _prefix_words(part)
            groups.append("(" + " <-> ".join(words) + ")" if len(words) > 1 else "".join(words))
            continue
        for chunk in part.split():
            words = _prefix_words(chunk)
            if words and chunk.startswith("-"):
                groups.append("!(" + " & ".join(words) + ")")
            else:
                groups.extend(words)
    reading = " & ".join(group for group in groups if group)
    return reading if ":*" in reading else ""


_CYRILLIC = re.compile("[\u0400-\u04ff]")


def _prefix_words(text: str) -> list[str]:
    words = []
    for token in cjk_bigrams(text.replace("-", " ")).split():
        if CJK_RUN.fullmatch(token):
            words.append(token)
        elif _WORD.fullmatch(token):
            words.append(f"{token}:*" if _CYRILLIC.search(token) else token)
    return words


#: Characters of each word a pair lexeme keeps (``search_pairs``, migration 0005, says 4 too):
#: enough to tell pairs apart, few enough that a prefix word of four letters or more still
#: names its pairs exactly.
PAIR_CHARS = 4
_TSQUERY_TOKEN = re.compile(
    r"\s*(?:'(?P<lexeme>(?:[^'\\]|''|\\.)*)'(?::(?P<flags>[*A-Da-d]+))?|<(?P<distance>-|\d+)>"
    r"|(?P<operator>[!&|()]))"
)
_Node = tuple


def pair_tsquery(tsquery: str) -> str:
    """Return a tsquery of pair lexemes every document matching ``tsquery`` has, or "".

    ``tsquery`` is PostgreSQL's text of a tsquery. Each ``a <-> b`` of two words adds the
    pair of their first ``PAIR_CHARS`` characters (a prefix shorter than that, a prefix of
    the pair): a document matching ``tsquery`` through its metadata vector holds these pairs
    in ``pairs`` (``search_pairs``), so the result only narrows the documents that the
    real phrase operator must still check. "" when the query requires no pair.
    """
    node = _parse_tsquery(tsquery)
    return (_pairs_of(node) or "") if node else ""


def tsquery_words(tsquery: str) -> list[tuple[str, bool]]:
    """Return the (lexeme, is a prefix) pairs of ``tsquery`` but those under a NOT.

    ``tsquery`` is PostgreSQL's text of a tsquery; [] if it cannot be read.
    """
    words: list[tuple[str, bool]] = []

    def collect(node: _Node) -> None:
        if node[0] == "lexeme":
            words.append((node[1], node[2]))
        elif node[0] != "not":
            for child in node[1:3]:
                collect(child)

    node = _parse_tsquery(tsquery)
    if node:
        collect(node)
    return words


def _parse_tsquery(tsquery: str) -> _Node | None:
    tokens = []
    position = 0
    while position < len(tsquery.rstrip()):
        match = _TSQUERY_TOKEN.match(tsquery, position)
        if match is None:
            return None
        tokens.append(match)
        position = match.end()
    parser = _TsqueryParser(tokens)
    try:
        node = parser.parse_or()
    except ValueError:
        return None
    return node if parser.index == len(tokens) else None


class _TsqueryParser:
    """Read a tsquery's text into nodes; precedence ``!`` over ``<->`` over ``&`` over ``|``."""

    def __init__(self, tokens: list[re.Match]) -> None:
        self.tokens = tokens
        self.index = 0

    def _peek(self, group: str) -> str | None:
        if self.index < len(self.tokens):
            return self.tokens[self.index].group(group)
        return None

    def parse_or(self) -> _Node:
        node = self.parse_and()
        while self._peek("operator") == "|":
            self.index += 1
            node = ("or", node, self.parse_and())
        return node

    def parse_and(self) -> _Node:
        node = self.parse_phrase()
        while self._peek("operator") == "&":
            self.index += 1
            node = ("and", node, self.parse_phrase())
        return node

    def parse_phrase(self) -> _Node:
        node = self.parse_unary()
        while (distance := self._peek("distance")) is not None:
            self.index += 1
            node = ("phrase", node, self.parse_unary(), 1 if distance == "-" else int(distance))
        return node

    def parse_unary(self) -> _Node:
        if self.index >= len(self.tokens):
            raise ValueError("tsquery ends early")
        token = self.tokens[self.index]
        self.index += 1
        if token.group("operator") == "!":
            return ("not", self.parse_unary())
        if token.group("operator") == "(":
            node = self.parse_or()
            if self._peek("operator") != ")":
                raise ValueError("unbalanced tsquery")
            self.index += 1
            return node
        lexeme = token.group("lexeme")
        if lexeme is None:
            raise ValueError("unexpected tsquery operator")
        lexeme = re.sub(r"''|\\(.)", lambda m: m.group(1) or "'", lexeme)
        return ("lexeme", lexeme, "*" in (token.group("flags") or ""))


def _edge(node: _Node, side: int) -> _Node | None:
    """Return the word a phrase node starts (side 1) or ends (side 2) with, if one word."""
    while node[0] == "phrase":
        node = node[side]
    return node if node[0] == "lexeme" else None


def _quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def _pair(left: _Node, right: _Node) -> str:
    def part(node: _Node) -> tuple[str, bool]:
        _kind, lexeme, prefix = node
        return lexeme[:PAIR_CHARS], prefix and len(lexeme) < PAIR_CHARS

    first, first_open = part(left)
    second, second_open = part(right)
    if first_open:
        return _quote(first) + ":*"
    return _quote(f"{first} {second}") + (":*" if second_open else "")


def _pairs_of(node: _Node) -> str | None:
    kind = node[0]
    if kind == "and":
        parts = [part for part in (_pairs_of(node[1]), _pairs_of(node[2])) if part]
        return " & ".join(parts) or None
    if kind == "or":
        left, right = _pairs_of(node[1]), _pairs_of(node[2])
        if left == right:
            return left
        return f"( {left} ) | ( {right} )" if left and right else None
    if kind != "phrase":
        return None
    parts = [part for part in (_pairs_of(node[1]), _pairs_of(node[2])) if part]
    end, start = _edge(node[1], 2), _edge(node[2], 1)
    if node[3] == 1 and end and start:
        parts.append(_pair(end, start))
    return " & ".join(parts) or None
