"""Snippets: the summary around the matched words, marked as ts_headline would mark them."""

import re

import pytest
from django.db import connection

from search.selectors.tsquery import TSQUERY, query_params
from search.snippets import LEAD_CHARS, SNIPPET_CHARS, snippet_html
from search.text import clean_query
from tests.search.corpus import DOCUMENTS, QUERIES


def _tsquery(query: str) -> str:
    """Return PostgreSQL's text of the portal's tsquery of ``query``."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ({TSQUERY})::text", query_params(clean_query(query)))
        return cursor.fetchone()[0]


def _marked(html: str) -> list[str]:
    return re.findall(r"<mark>(.*?)</mark>", html)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, text, marked",
    [
        ("cranes", "Two cranes met a crane, not a crank.", ["cranes", "crane"]),
        # Inflected forms the stemmers matched: crane → cranes, снежный → снежного.
        ("crane", "Hooded cranes and a crane-watcher, not cranberries.", ["cranes", "crane"]),
        ("снежного барса", "Снежный барс; барсы", ["Снежный", "барс", "барсы"]),
        ("ирвэс", "Алтайд ирвэсийн судалгаа; ирвэс олон.", ["ирвэсийн", "ирвэс"]),
        ("tiger -leopard", "A tiger and a leopard.", ["tiger"]),
        # Traditional folded to simplified; 东北豹 shares the bigram 东北.
        ("東北虎", "在珲春监测东北虎和东北豹。", ["东北虎", "东北"]),
        ("두루미", "철원평야에서 두루미와 재두루미의 월동", ["두루미", "두루미"]),
        (
            "Panthera tigris",
            "Panthera tigris altaica, PANTHERA uncia.",
            ["Panthera", "tigris", "PANTHERA"],
        ),
        ("kangaroo", "No match here.", []),
        # A character asked for alone is found wherever it is.
        ("虎", "虎 and 东北虎", ["虎", "虎"]),
        ("虎 东北虎", "虎, 东北虎", ["虎", "东北虎"]),
    ],
)
def test_it_marks_the_words_the_query_matches(query, text, marked):
    assert _marked(snippet_html(text, _tsquery(query))) == marked


@pytest.mark.django_db
def test_it_marks_at_least_what_ts_headline_marks_in_the_corpus_outside_cjk():
    # ts_headline sees a CJK run as one word and marks none of its bigrams: compared elsewhere.
    cjk = re.compile("[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]")
    compared = 0
    for query in QUERIES:
        tsquery = _tsquery(query)
        for _language, title, abstract in DOCUMENTS.values():
            for text in (title, abstract):
                if cjk.search(text):
                    continue
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT ts_headline('simple', %s, %s::tsquery,"
                        " 'HighlightAll=true, StartSel=<mark>, StopSel=</mark>')",
                        [text, tsquery],
                    )
                    expected = _marked(cursor.fetchone()[0])
                marked = _marked(snippet_html(text, tsquery))
                assert set(expected) <= set(marked), (query, text)
                compared += bool(expected)
    assert compared >= 6


@pytest.mark.django_db
def test_a_long_summary_is_cut_around_the_first_match():
    text = " ".join(f"word{n}" for n in range(200)) + " spoonbill " + "tail " * 100
    html = snippet_html(text, _tsquery("spoonbill"))
    assert html.startswith("… ") and html.endswith(" …")
    assert "<mark>spoonbill</mark>" in html
    before = html[2 : html.index("<mark>")]
    assert LEAD_CHARS - 20 <= len(before) <= LEAD_CHARS
    assert len(re.sub(r"</?mark>", "", html)) <= SNIPPET_CHARS + 4
    # Cut between words, not inside one.
    assert re.fullmatch(r"… (word\d+ )+<mark>spoonbill</mark>( tail)+ …", html)


@pytest.mark.django_db
def test_without_a_match_it_shows_the_start_and_escapes_it():
    text = "<b>Counts</b> & notes " + "more " * 100
    html = snippet_html(text, _tsquery("spoonbill"))
    assert html.startswith("&lt;b&gt;Counts&lt;/b&gt; &amp; notes more")
    assert html.endswith(" …") and "<mark>" not in html
