"""The one statement of a search: its candidates, their order, the page, the total and facets.

Ranking every match is what makes common words slow (docs/performance.md), so no tier of
candidates reads more than ``COUNT_CAP + 1`` rows, each found through an index:

- tier 1, the documents whose title matches (the newest, or where they are few the best
  ranked, see ``_title_tier``), ranked by ``ts_rank`` on the small title vector
  (``ts_rank_cd``, which rewards words close together, cost 9 µs a title against 0.5 µs,
  and a title is too short for closeness to tell much);
- tier 2, the other documents whose metadata matches, newest first, and tier 3, those whose
  file text matches where the user may download the files, newest first. Read only when
  tier 1 holds no more than ``COUNT_CAP``: otherwise no row of them could be a candidate.

Sorted by date, or without a query, the candidates are simply the newest matches.

Who finds what is the policy's decision on the live rows (``access.policy``,
``visible_search_documents``). The metadata tiers walk the documents' own columns, the
ranking data their indexes hold, and each tier's rows then pass the policy's condition
(``_LIVE_JOIN``): a few hundred key lookups, where checking every match on the way would
make PostgreSQL hash whole tables. A document whose copy lags behind its object (edited
without a reindex) may so take a candidate's place, never show what the policy hides.
The file-text tier matches only rows the policy lets the user read, before its limit.

The statement is built from constant SQL, the constant names below and Django's own
compiled querysets (``_bases``): the user's query and filters travel only as parameters.
"""

import re
from collections.abc import Sequence
from typing import Any

from django.contrib.postgres.search import SearchVectorField

from access import policy
from search.models import HEAD_INLINE_CHARS, SearchDocument
from search.selectors.filters import SearchFilters
from search.selectors.tsquery import (
    NEGATION,
    OR,
    TSQUERY,
    may_match_densely,
    pair_query,
    query_params,
)

FACETS = (
    "kind",
    "species",
    "sites",
    "countries",
    "year",
    "targets",
    "themes",
    "language",
    "access",
)
PAGE_SIZE = 20
#: Ranking, counts, facets and pages work on at most this many candidates (+1 to say
#: "more"): the title matches first, then the other matches, each newest first (title
#: matches of a query that needs several words: the best ranked, see ``_title_tier``). Beyond it
#: the count says "more than", facets count these candidates only and no further page exists.
COUNT_CAP = 300
_ARRAY_FACETS = ("species", "sites", "countries", "targets", "themes")
#: Every column of a search document but its vectors, which no page shows (a few KB each).
PAGE_FIELDS = tuple(
    field.attname
    for field in SearchDocument._meta.concrete_fields
    if not isinstance(field, SearchVectorField)
)
#: Columns every tier of candidates carries: enough to order them. A title tier reads no
#: more, so that it is answered from the covering index ``search_title_date`` alone.
_CANDIDATE_COLUMNS = ("id", "date", "rank")
#: Every facet value of every candidate as one (facet, value) row: one pass, one GROUP BY.
_FACET_SQL = (
    "SELECT f.facet, f.value, count(*), {empty} FROM candidates c"
    " JOIN search_searchdocument d ON d.id = c.id,"
    " unnest({names}, {values}) AS f(facet, value)"
    " WHERE c.n <= {cap} AND f.value <> '' GROUP BY f.facet, f.value"
)
_TIER_SQL = (
    "SELECT b.id, b.date, {rank}::float8 AS rank FROM ({{{base}}}) b"
    " WHERE {condition} ORDER BY b.date DESC, b.id DESC LIMIT {limit}"
)
#: Title matches: those the covering index holds, newest first, and the few long titles,
#: found through their own index (unordered: an order would make PostgreSQL walk the dates).
#: The first part is planned alone (materialized): under the outer LIMIT, PostgreSQL would
#: take walking the dates for cheap even where the matches are few and far apart.
_TITLE_SQL = (
    "WITH inline AS MATERIALIZED ({inline}) SELECT * FROM"
    " (SELECT * FROM inline UNION ALL ({long})) u ORDER BY u.date DESC, u.id DESC LIMIT {limit}"
)
#: All of them are read and ranked anyway: keep the best ranked, as the page shows them.
_TITLE_SQL_SPARSE = (
    "SELECT * FROM ({long}) u ORDER BY u.rank DESC, u.date DESC, u.id DESC LIMIT {limit}"
)
_LONG_TITLES_SQL = (
    "SELECT b.id, b.date, ts_rank(b.head, {{q}})::float8 AS rank FROM ({{metadata}}) b"
    " WHERE {condition} OFFSET 0"
)
_INLINE_HEAD = "length(b.head::text) < {chars}"
_LONG_HEAD = "length(b.head::text) >= {chars}"
#: A tier's rows; those of a metadata tier joined to the documents the user may find.
_TIER_CTE = "{name} AS MATERIALIZED (SELECT {columns} FROM ({sql}) s{live} WHERE {condition})"
_LIVE_JOIN = " JOIN ({live}) v ON v.id = s.id"
_LIVE_BY_KEY = ", LATERAL (SELECT v.id FROM ({live}) v WHERE v.id = s.id OFFSET 0) v"
_TIER_UNION = "SELECT {tier} AS tier, {columns} FROM {name}"
_ALWAYS = "true"
_NOT_IN = "s.id NOT IN (SELECT id FROM {name})"
_COUNT = "(SELECT count(*) FROM {name})"
#: The answer, as (row kind, value, number, the page document's columns) rows: the page's
#: documents first (their columns give the union its types), then the total with the text
#: of the query's tsquery (for the snippets), then the facet values and their counts.
_CANDIDATES_SQL = (
    "WITH {ctes}, candidates AS MATERIALIZED (SELECT c.*,"
    " row_number() OVER (ORDER BY {order}) AS n FROM ({union}) c)"
    " SELECT 'page', {lists}, c.n, {columns} FROM candidates c"
    " JOIN search_searchdocument d ON d.id = c.id WHERE c.n <= {last} AND c.n > %s AND c.n <= %s"
    " UNION ALL SELECT 'total', {tsquery}, count(*), {empty} FROM candidates"
    " UNION ALL {facets}"
)
#: Cross-language search (``search.selectors.hybrid``): the lists of candidates, each ranked,
#: fused by reciprocal rank (each list adds 1 / (``RRF_K`` + its rank of the document)). A
#: document's ``lists`` name those that hold it: "words" (the user's words, the tiers above),
#: "meaning" (the nearest vectors, ``semantic``), "names" (species and site names).
RRF_K = 60
_FUSED_SQL = (
    "SELECT f.id, max(f.date) AS date, sum(1.0 / ({k} + f.r))::float8 AS rank,"
    " string_agg(f.list, ',' ORDER BY f.list) AS lists FROM ({lists}) f GROUP BY f.id"
)
_FUSED_LIST = (
    "SELECT l.id, l.date, '{name}'::text AS list,"
    " row_number() OVER (ORDER BY {order}) AS r FROM ({union}) l{join}"
)
_TIERS_ORDER = "l.tier, l.rank DESC, l.date DESC, l.id DESC"
#: Names find documents in the other languages only: those in the query's own are found by
#: its words (same-language precision stays that of the words).
_OTHER_LANGUAGES = (
    " WHERE (SELECT o.language FROM search_searchdocument o WHERE o.id = l.id) IS DISTINCT FROM %s"
)
#: The nearest documents, as (id, cosine) arrays, among those under the filters whose copy
#: says published, and then those the user may find, like the metadata tiers. Each is looked
#: up by its key (``OFFSET 0`` keeps PostgreSQL from joining the whole base instead).
_MEANING_SQL = (
    "SELECT b.id, b.date, x.cosine AS rank FROM unnest(%s::bigint[], %s::float8[])"
    " AS x(id, cosine), LATERAL (SELECT b.id, b.date FROM ({metadata}) b"
    " WHERE b.id = x.id OFFSET 0) b"
)
#: Names: the newest documents whose title holds one of them, and the newest tagged with the
#: species named (through the index of tags), each under the filters and the policy.
_TAGGED_SQL = (
    "SELECT t.id, t.date, 0.0::float8 AS rank FROM (SELECT d.id, d.date"
    " FROM search_searchdocument d WHERE d.published AND d.species && %s::varchar(40)[]"
    " ORDER BY d.date DESC, d.id DESC LIMIT {limit}) t,"
    " LATERAL (SELECT b.id FROM ({{metadata}}) b WHERE b.id = t.id OFFSET 0) b"
)
#: Titles holding a name, the first ``NAMES_LIMIT`` PostgreSQL finds (through the title
#: index for a rare name, reading the table until enough for a common one): how many titles
#: a name is in is unknown in advance, and walking the dates for a rare one or ranking every
#: title of a common one would each read up to every title. A page fuses the first twenty.
NAMES_LIMIT = 50
_NAMED_TITLES_SQL = (
    "SELECT * FROM (SELECT b.id, b.date, ts_rank(b.head, {{q}})::float8 AS rank"
    " FROM ({{metadata}}) b WHERE b.head @@ {{q}} OFFSET 0) u LIMIT {limit}"
)
#: The marks of a statement's parameters: the user's tsquery (``q``), that of all its words
#: (``qa``), its pairs (``p``), and the SQL of each base (``_bases``).
_PLACEHOLDERS = re.compile(r"(\{(?:q|qa|p|metadata|content|live)\})")

Bases = dict[str, tuple[str, Sequence[Any]]]
#: The lists fused with the words: meaning (id, cosine), names, the query's language, species.
Fused = tuple[list[tuple[int, float]], str, str, list[str]]


def _not_in(*names: str) -> str:
    """Return the condition of a tier's rows that no tier ``names`` holds."""
    return " AND ".join(_NOT_IN.format(name=name) for name in names)


def _when_short(*names: str) -> str:
    """Return the condition that tiers ``names`` hold no more than ``COUNT_CAP`` rows."""
    return " + ".join(_COUNT.format(name=name) for name in names) + " <= {cap}"


def search_statement(
    *,
    user,
    query: str,
    filters: SearchFilters | None = None,
    sort: str = "relevance",
    page: int = 1,
    meaning: Sequence[tuple[int, float]] | None = None,
    names: str = "",
    language: str = "",
    species: Sequence[str] = (),
) -> tuple[str, list]:
    """Return the statement of ``search`` and its parameters.

    ``query`` must come from ``clean_query``. With ``meaning`` (the nearest documents and
    their cosines) or ``names`` (a query of names, ``search.expansion``, matched in documents
    not in the query's ``language``), the candidates are those of the words, of the meaning
    and of the names, fused by reciprocal rank.
    """
    bases = _bases(user=user, filters=filters or SearchFilters())
    first = max(page - 1, 0) * PAGE_SIZE
    fused = None
    if meaning is not None or names or species:
        fused = (list(meaning or []), names, language, list(species))
    return _candidates_sql(
        bases=bases,
        query=query,
        sort=sort,
        pairs=pair_query(query),
        page=(first, PAGE_SIZE),
        fused=fused,
    )


#: Compiled SQL of the bases of a search, by (policy key, filters); see ``_bases``.
#: Cleared when full: compiling again is the only cost.
_BASES: dict[tuple, Bases] = {}
_BASES_LIMIT = 2048


def _bases(*, user, filters: SearchFilters) -> Bases:
    """Return the SQL of the three sets a search reads, by name.

    ``metadata``: the documents under ``filters`` whose copy says published, with their
    metadata vectors, which the metadata tiers walk; ``live``: the documents ``user`` may
    find (``access.policy.visible_search_documents``), which those tiers' rows are joined
    to; ``content``: the documents ``user`` may find under ``filters``, with their file
    text and the policy's ``can_read_content``, which only the file-text tier reads.
    Building and compiling the policy's queryset costs more than the rest of a search, so
    the result is kept under the key ``access.policy.search_documents_key`` says determines it.
    """
    key = (policy.search_documents_key(user), filters)
    bases = _BASES.get(key)
    if bases is None:
        visible = policy.visible_search_documents(user)
        copies = filters.apply(SearchDocument.objects.filter(published=True))
        querysets = {
            "metadata": copies.values_list("id", "date", "head", "meta", "pairs"),
            "live": visible.values_list("id"),
            "content": filters.apply(visible).values_list(
                "id", "date", "content", "can_read_content"
            ),
        }
        bases = {name: queryset.query.sql_with_params() for name, queryset in querysets.items()}
        if len(_BASES) >= _BASES_LIMIT:
            _BASES.clear()
        _BASES[key] = bases
    return bases


def _tier(condition: str, *, ranked: bool = False, base: str = "metadata") -> str:
    """Return the SQL of the newest ``COUNT_CAP + 1`` documents of base ``base`` matching.

    ``condition`` is constant SQL with ``{q}`` for the user's tsquery.
    """
    rank = "ts_rank(b.head, {q})" if ranked else "0.0"
    return _TIER_SQL.format(rank=rank, condition=condition, limit=COUNT_CAP + 1, base=base)


def _title_tier(condition: str, *, dense: bool) -> str:
    """Return the SQL of ``COUNT_CAP + 1`` documents whose title matches, ranked.

    ``condition`` is constant SQL with ``{q}`` that includes ``b.head @@ {q}``. ``dense``
    says that the matches may be many (see ``may_match_densely``): they are then found by
    walking the covering index newest first, which stops after the newest candidates;
    otherwise all are read through the title index and the best ranked kept. The choice
    is not left to PostgreSQL: its defaults price a page read so far above a row checked
    that it walks the index for a two-word query too, checking tens of thousands of
    titles to find a few hundred.
    """
    if not dense:
        return _TITLE_SQL_SPARSE.format(
            long=_LONG_TITLES_SQL.format(condition=condition), limit=COUNT_CAP + 1
        )
    inline = _INLINE_HEAD.format(chars=HEAD_INLINE_CHARS)
    long = _LONG_HEAD.format(chars=HEAD_INLINE_CHARS)
    return _TITLE_SQL.format(
        inline=_tier(f"{condition} AND {inline}", ranked=True),
        long=_LONG_TITLES_SQL.format(condition=f"{condition} AND {long}"),
        limit=COUNT_CAP + 1,
    )


def _tiers(query: str, *, sort: str, pairs: str) -> list[tuple[str, int, str, str]]:
    """Return the tiers of candidates as (name, rank tier, SQL, condition on other tiers).

    ``pairs`` (``pair_query``) narrows the metadata matches of a phrase through the pairs
    index before the phrase is checked on their vectors.
    """
    meta_match = "b.meta @@ {q}"
    if pairs:
        # Checked on the few rows the pairs index returns, not looked up: the metadata
        # index would read every document holding the words to intersect with them.
        meta_match = "b.pairs @@ {p} AND coalesce(b.meta @@ {q}, false)"
    content_match = _tier("b.content @@ {q} AND b.can_read_content", base="content")
    if not query:
        return [("t1", 1, _tier("true"), _ALWAYS)]
    if sort == "date":
        return [("t1", 1, _tier(meta_match), _ALWAYS), ("t2", 1, content_match, _not_in("t1"))]
    title = "b.head @@ {q}"
    if NEGATION.search(query):
        # A title without the excluded word may belong to a document whose text has it.
        title += " AND b.meta @@ {q}"
    other = f"{meta_match} AND NOT coalesce(b.head @@ {{q}}, false)"
    dense = may_match_densely(query)
    tiers, titles = [], ["t1"]
    if dense and OR.search(query):
        # The newest titles with any of the words would miss the older ones with all of
        # them, which rank first: those are read through the title index and ranked.
        all_titles = _title_tier(title.replace("{q}", "{qa}"), dense=False)
        tiers.append(("t0", 1, all_titles, _ALWAYS))
        titles = ["t0", "t1"]
    short = _when_short(*titles)
    return [
        *tiers,
        ("t1", 1, _title_tier(title, dense=dense), _not_in(*titles[:-1]) or _ALWAYS),
        ("t2", 2, _tier(other), short),
        ("t3", 2, content_match, f"{short} AND {_not_in(*titles, 't2')}"),
    ]


def _bind(
    sql: str, *, query: str, bases: Bases, pairs: str = "", all_words: str = ""
) -> tuple[str, list]:
    """Return ``sql`` with its marks (``_PLACEHOLDERS``) replaced, and its parameters in order."""
    parts, params = [], []
    for part in _PLACEHOLDERS.split(sql):
        if part in ("{q}", "{qa}"):
            parts.append(TSQUERY)
            params.extend(query_params(query if part == "{q}" else all_words))
        elif part == "{p}":
            parts.append("%s::tsquery")
            params.append(pairs)
        elif _PLACEHOLDERS.fullmatch(part):
            base_sql, base_params = bases[part[1:-1]]
            parts.append(base_sql)
            params.extend(base_params)
        else:
            parts.append(part)
    return "".join(parts), params


def _facets_sql(empty: str) -> str:
    """Return the SQL of every facet's values and counts among the first ``COUNT_CAP``."""
    scalars = [name for name in FACETS if name not in _ARRAY_FACETS]
    names = [f"ARRAY[{', '.join(repr(name) for name in scalars)}]::text[]"]
    values = [f"ARRAY[{', '.join(f'd.{name}::text' for name in scalars)}]"]
    for name in _ARRAY_FACETS:
        names.append(f"array_fill('{name}'::text, ARRAY[cardinality(d.{name})])")
        values.append(f"d.{name}::text[]")
    return _FACET_SQL.format(
        names=" || ".join(names), values=" || ".join(values), cap=COUNT_CAP, empty=empty
    )


def _candidates_sql(
    *,
    bases: Bases,
    query: str,
    sort: str,
    pairs: str = "",
    page: tuple[int, int] = (0, PAGE_SIZE),
    fused: "Fused | None" = None,
) -> tuple[str, list]:
    """Return one statement answering the page's documents, the total and the facets."""
    ctes: list[str] = []
    params: list[Any] = []
    union = _tier_ctes(ctes, params, bases=bases, query=query, sort=sort, pairs=pairs)
    order = "c.date DESC, c.id DESC"
    if query and sort != "date":
        order = "c.tier, c.rank DESC, " + order
    union_sql, lists = " UNION ALL ".join(union), "NULL"
    if fused is not None:
        union_sql = _fused_sql(ctes, params, union_sql, bases=bases, sort=sort, fused=fused)
        lists = "c.lists"
        order = (
            "c.date DESC, c.id DESC" if sort == "date" else "c.rank DESC, c.date DESC, c.id DESC"
        )
    empty = ", ".join(["NULL"] * len(PAGE_FIELDS))
    sql = _CANDIDATES_SQL.format(
        ctes=", ".join(ctes),
        order=order,
        union=union_sql,
        lists=lists,
        columns=", ".join(f"d.{name}" for name in PAGE_FIELDS),
        tsquery=f"({TSQUERY})::text" if query else "NULL",
        last=COUNT_CAP + 1,
        empty=empty,
        facets=_facets_sql(empty),
    )
    # The page's bounds, then the query of the total's row: the order they appear in.
    first, size = page
    params.extend([first, first + size])
    if query:
        params.extend(query_params(query))
    return sql, params


def _tier_ctes(
    ctes: list, params: list, *, bases: Bases, query: str, sort: str, pairs: str
) -> list[str]:
    """Append the CTEs of the tiers of ``query``; return their union."""
    columns = ", ".join(_CANDIDATE_COLUMNS)
    union = []
    all_words = OR.sub(" ", query)
    for name, tier, tier_sql, condition in _tiers(query, sort=sort, pairs=pairs):
        # The file-text tier reads the policy's documents already.
        live = "" if "{content}" in tier_sql else _LIVE_JOIN
        cte = _TIER_CTE.format(
            name=name,
            columns=", ".join(f"s.{column}" for column in _CANDIDATE_COLUMNS),
            sql=tier_sql,
            live=live,
            condition=condition.format(cap=COUNT_CAP),
        )
        sql, cte_params = _bind(cte, query=query, bases=bases, pairs=pairs, all_words=all_words)
        ctes.append(sql)
        params.extend(cte_params)
        union.append(_TIER_UNION.format(name=name, columns=columns, tier=tier))
    return union


def _fused_sql(
    ctes: list,
    params: list,
    words: str,
    *,
    bases: Bases,
    sort: str,
    fused: "Fused",
) -> str:
    """Append the CTEs of the meaning and names lists; return the SQL of the fused candidates.

    Every list's rows pass the same conditions as the words' (filters, copies, live rows).
    """
    meaning, names, language, species = fused
    lists = [_FUSED_LIST.format(name="words", order=_TIERS_ORDER, union=words, join="")]
    if meaning:
        cte = _TIER_CTE.format(
            name="m1",
            columns=", ".join(f"s.{column}" for column in _CANDIDATE_COLUMNS),
            sql=_MEANING_SQL,
            live=_LIVE_BY_KEY,
            condition=_ALWAYS,
        )
        sql, cte_params = _bind(cte, query="", bases=bases)
        ctes.append(sql)
        ids, cosines = zip(*meaning, strict=True)
        params.extend([list(ids), list(cosines), *cte_params])
        order = "l.rank DESC, l.id DESC"
        lists.append(
            _FUSED_LIST.format(name="meaning", order=order, union="SELECT * FROM m1", join="")
        )
    if names or species:
        lists.append(_names_list(ctes, params, bases=bases, names=names, species=species))
        params.append(language)
    return _FUSED_SQL.format(k=RRF_K, lists=" UNION ALL ".join(lists))


def _names_list(ctes: list, params: list, *, bases: Bases, names: str, species: list[str]) -> str:
    """Append the CTEs of the names list (titles, tags); return the list's ranked SQL."""
    columns = ", ".join(f"s.{column}" for column in _CANDIDATE_COLUMNS)
    union = []
    if names:
        cte = _TIER_CTE.format(
            name="e1",
            columns=columns,
            sql=_NAMED_TITLES_SQL.format(limit=NAMES_LIMIT),
            live=_LIVE_JOIN,
            condition=_ALWAYS,
        )
        sql, cte_params = _bind(cte, query=names, bases=bases)
        ctes.append(sql)
        params.extend(cte_params)
        union.append(_TIER_UNION.format(name="e1", columns=", ".join(_CANDIDATE_COLUMNS), tier=1))
    if species:
        tagged = _TAGGED_SQL.format(limit=COUNT_CAP + 1)
        cte = _TIER_CTE.format(
            name="e2",
            columns=columns,
            sql=tagged,
            live=_LIVE_BY_KEY,
            condition=_not_in("e1") if names else _ALWAYS,
        )
        sql, cte_params = _bind(cte, query="", bases=bases)
        ctes.append(sql)
        params.extend([species, *cte_params])
        union.append(_TIER_UNION.format(name="e2", columns=", ".join(_CANDIDATE_COLUMNS), tier=2))
    return _FUSED_LIST.format(
        name="names", order=_TIERS_ORDER, union=" UNION ALL ".join(union), join=_OTHER_LANGUAGES
    )
