"""Text preparation for multilingual full-text search on PostgreSQL.

Chinese, Japanese and Korean are written without spaces between words (Korean puts
particles on words), so their runs of characters are indexed and queried as overlapping
character bigrams: 東北虎 → 東北 北虎. Other scripts go through PostgreSQL's own
configurations: ``english`` and ``russian`` (stemming), ``simple`` for everything else,
Mongolian included (PostgreSQL has no Mongolian stemmer).
"""

import re

_CJK = (
    "\u3040-\u30ff"  # Hiragana, Katakana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Han
    "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"  # Hangul
    "\u31f0-\u31ff\uff66-\uff9f"  # Katakana extensions and half-width
)
CJK_RUN = re.compile(f"[{_CJK}]+")
#: tsquery syntax that must never reach PostgreSQL from a user's query.
_TSQUERY_SYNTAX = re.compile(r"[&|!():*'\\<>]")

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
_WORD = re.compile(r"\w{3,}")


def cjk_bigrams(text: str) -> str:
    """Return ``text`` with every CJK run replaced by its overlapping bigrams."""

    def bigrams(match: re.Match) -> str:
        run = match.group(0)
        if len(run) == 1:
            return f" {run} "
        return " " + " ".join(run[i : i + 2] for i in range(len(run) - 1)) + " "

    return CJK_RUN.sub(bigrams, text.translate(_FOLD))


def clean_query(raw: str) -> str:
    """Return a user's query safe for ``websearch_to_tsquery``: bounded, no operator syntax.

    Double quotes (phrases) and a leading minus (exclusion) keep their web-search meaning.
    """
    query = _TSQUERY_SYNTAX.sub(" ", raw[:MAX_QUERY_LENGTH])
    return " ".join(query.split())


def prefix_tsquery(query: str) -> str:
    """Return a ``to_tsquery('simple', ...)`` text matching every word of ``query`` as a prefix.

    Languages without a PostgreSQL stemmer (Mongolian above all) still find inflected forms:
    ирвэс finds ирвэсийн. ``query`` must come from ``clean_query``; CJK runs are bigrammed.
    """
    groups = []
    # Split on quotes: odd parts are quoted phrases, whose words must follow one another.
    for index, part in enumerate(query.split('"')):
        words = _prefix_words(part)
        if index % 2 and len(words) > 1:
            groups.append("(" + " <-> ".join(words) + ")")
        else:
            groups.extend(words)
    return " & ".join(groups)


def _prefix_words(text: str) -> list[str]:
    words = []
    for token in cjk_bigrams(text.replace("-", " ")).split():
        if CJK_RUN.fullmatch(token):
            words.append(token)
        elif _WORD.fullmatch(token):
            words.append(f"{token}:*")
    return words
