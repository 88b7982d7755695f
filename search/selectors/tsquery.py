"""The user's words as PostgreSQL's tsquery: the SQL that reads them, and what they ask for.

The words only ever travel as bound parameters, never inside the SQL text.
"""

import re

from django.db import connection
from django.db.models.expressions import RawSQL

from search.text import cjk_bigrams, hyphens_as_phrases, pair_tsquery, prefix_tsquery

#: The tsquery of a user's query in every configuration the documents are indexed with.
#: ``search_tsquery`` (migration 0004) drops repeated readings.
TSQUERY = (
    "search_tsquery(websearch_to_tsquery('simple', %s), to_tsquery('simple', %s),"
    " websearch_to_tsquery('english', %s), websearch_to_tsquery('russian', %s))"
)
#: websearch_to_tsquery reads a minus before a word as NOT, and "or" between words as OR.
NEGATION = re.compile(r"(?:^|\s)-\w")
OR = re.compile(r"(?<!\S)or(?!\S)", re.IGNORECASE)
#: Only quotes and hyphens make websearch_to_tsquery join words into phrases.
_PHRASE_MARKS = re.compile(r"[\"-]")


def query_params(query: str) -> list[str]:
    """Return the four readings' inputs of ``TSQUERY`` for a cleaned query."""
    query = hyphens_as_phrases(query)
    return [cjk_bigrams(query), prefix_tsquery(query), query, query]


def tsquery_sql(template: str, query: str, output_field) -> RawSQL:
    """Return ``template`` (constant SQL with one or more ``{q}``) bound to the user's query."""
    params = query_params(query) * template.count("{q}")
    return RawSQL(template.format(q=TSQUERY), params, output_field)  # noqa: S611


def pair_query(query: str) -> str:
    """Return the pair tsquery of ``query``'s phrases (``search.text.pair_tsquery``), or "".

    PostgreSQL reads the phrases (its parsers and stemmers decide the words): one round
    trip, made only where the query may hold a phrase.
    """
    if not query or not _PHRASE_MARKS.search(query):
        return ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ({TSQUERY})::text", query_params(query))
        return pair_tsquery(cursor.fetchone()[0])


def may_match_densely(query: str) -> bool:
    """Return True when no match of ``query`` needs two words at once.

    One word, or words joined by "or", may match a large share of the documents; words
    that must all occur (CJK bigrams and phrases included) rarely do.
    """
    words = cjk_bigrams(re.sub(r'["-]', " ", query)).split()
    return all(word.lower() == "or" for word in words[1::2])
