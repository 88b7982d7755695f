"""Reads of search: ranked, policy-aware results with facet counts, and autocomplete."""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.search import SearchVectorField
from django.db import connection
from django.db.models import BooleanField, FloatField, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.utils.safestring import mark_safe

from access import policy
from neaspec_portal import params
from search.models import HEAD_INLINE_CHARS, Kind, SearchDocument
from search.snippets import snippet_html
from search.text import (
    MAX_QUERY_LENGTH,
    cjk_bigrams,
    clean_query,
    hyphens_as_phrases,
    pair_tsquery,
    prefix_tsquery,
)
from species.models import Site, Species

#: The tsquery of a user's query in every configuration the documents are indexed with.
#: ``search_tsquery`` (migration 0004) drops repeated readings.
_TSQUERY = (
    "search_tsquery(websearch_to_tsquery('simple', %s), to_tsquery('simple', %s),"
    " websearch_to_tsquery('english', %s), websearch_to_tsquery('russian', %s))"
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
__all__ = ["MAX_QUERY_LENGTH"]
_ARRAY_FACETS = ("species", "sites", "countries", "targets", "themes")
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
    "SELECT b.id, b.date, {rank}::float8 AS rank FROM ({{base}}) b"
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
    "SELECT b.id, b.date, ts_rank(b.head, {{q}})::float8 AS rank FROM ({{base}}) b"
    " WHERE {condition} OFFSET 0"
)
_INLINE_HEAD = "length(b.head::text) < {chars}"
_LONG_HEAD = "length(b.head::text) >= {chars}"
_TIER_CTE = "{name} AS MATERIALIZED (SELECT {columns} FROM ({sql}) s WHERE {condition})"
_TIER_UNION = "SELECT {tier} AS tier, {columns} FROM {name}"
_ALWAYS = "true"


_NOT_IN = "s.id NOT IN (SELECT id FROM {name})"
_COUNT = "(SELECT count(*) FROM {name})"


def _not_in(*names: str) -> str:
    """Return the condition of a tier's rows that no tier ``names`` holds."""
    return " AND ".join(_NOT_IN.format(name=name) for name in names)


def _when_short(*names: str) -> str:
    """Return the condition that tiers ``names`` hold no more than ``COUNT_CAP`` rows."""
    return " + ".join(_COUNT.format(name=name) for name in names) + " <= {cap}"


#: The answer, as (row kind, value, number, the page document's columns) rows: the page's
#: documents first (their columns give the union its types), then the total with the text
#: of the query's tsquery (for the snippets), then the facet values and their counts.
_CANDIDATES_SQL = (
    "WITH {ctes}, candidates AS MATERIALIZED (SELECT c.*,"
    " row_number() OVER (ORDER BY {order}) AS n FROM ({union}) c)"
    " SELECT 'page', NULL, c.n, {columns} FROM candidates c"
    " JOIN search_searchdocument d ON d.id = c.id WHERE c.n <= {last} AND c.n > %s AND c.n <= %s"
    " UNION ALL SELECT 'total', {tsquery}, count(*), {empty} FROM candidates"
    " UNION ALL {facets}"
)
#: websearch_to_tsquery reads a minus before a word as NOT, and "or" between words as OR.
_NEGATION = re.compile(r"(?:^|\s)-\w")
_OR = re.compile(r"(?<!\S)or(?!\S)", re.IGNORECASE)


#: The query parameters of a search besides its words (``SEARCH_QUERY``).
SEARCH_FILTERS = (
    params.choice("type", Kind.values, key="kind"),
    params.code("species", description="Species code, e.g. TIGER_AMUR."),
    params.code("site", max_length=60),
    params.country(),
    params.year(),
    params.integer("target", minimum=1, maximum=23, description="KMGBF target number."),
    params.code("theme", max_length=60),
    params.code("language", max_length=8),
    params.code("access", max_length=20),
)
#: The words of a search (shortened to ``MAX_QUERY_LENGTH``), its order and its page.
SEARCH_QUERY = (
    params.text(
        "q",
        max_length=MAX_QUERY_LENGTH,
        shorten=True,
        description="Words in any of the six languages.",
    ),
    params.choice("sort", ["relevance", "date"], default="relevance"),
    params.page(),
)


@dataclass(frozen=True)
class SearchFilters:
    kind: str = ""
    species: str = ""
    site: str = ""
    country: str = ""
    year: int | None = None
    target: int | None = None
    theme: str = ""
    language: str = ""
    access: str = ""

    @classmethod
    def from_params(cls, query, *, strict: bool = False) -> "SearchFilters":
        """Build filters from query parameters (``params.read``: the API refuses invalid
        values, the page ignores them)."""
        return cls(**params.read(query, SEARCH_FILTERS, strict=strict))

    def is_empty(self) -> bool:
        """Return True when no filter narrows the search."""
        return self == SearchFilters()

    def apply(self, documents: QuerySet) -> QuerySet:
        if self.kind:
            documents = documents.filter(kind=self.kind)
        if self.species:
            documents = documents.filter(species__contains=[self.species])
        if self.site:
            documents = documents.filter(sites__contains=[self.site])
        if self.country:
            documents = documents.filter(countries__contains=[self.country])
        if self.year:
            documents = documents.filter(year=self.year)
        if self.target:
            documents = documents.filter(targets__contains=[self.target])
        if self.theme:
            documents = documents.filter(themes__contains=[self.theme])
        if self.language:
            documents = documents.filter(language=self.language)
        if self.access:
            documents = documents.filter(access=self.access)
        return documents


@dataclass
class SearchResults:
    query: str
    documents: list
    total: int
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    @property
    def capped(self) -> bool:
        """Return True when more documents match than were counted (see ``COUNT_CAP``)."""
        return self.total > COUNT_CAP

    @property
    def shown_total(self) -> int:
        """Return the number of matches, or the cap when there are more."""
        return min(self.total, COUNT_CAP)


def _query_params(query: str) -> list[str]:
    """Return the four readings' inputs of ``_TSQUERY`` for a cleaned query."""
    query = hyphens_as_phrases(query)
    return [cjk_bigrams(query), prefix_tsquery(query), query, query]


def _tsquery_sql(template: str, query: str, output_field) -> RawSQL:
    """Return ``template`` (constant SQL with one ``{q}``) bound to the user's query.

    The query only ever travels as a bound parameter, never inside the SQL text.
    """
    params = _query_params(query) * template.count("{q}")
    return RawSQL(template.format(q=_TSQUERY), params, output_field)  # noqa: S611


def matching_documents(*, user, query: str, filters: SearchFilters | None = None) -> QuerySet:
    """Return the documents ``user`` may find that match ``query`` (all of them if empty).

    The extracted file text is matched only where the user may download the files.
    """
    documents = policy.visible_search_documents(user)
    documents = (filters or SearchFilters()).apply(documents)
    query = clean_query(query)
    if not query:
        return documents.annotate(rank=Value(0.0, output_field=FloatField()))
    meta_match = _tsquery_sql("search_searchdocument.meta @@ {q}", query, BooleanField())
    content_match = _tsquery_sql("search_searchdocument.content @@ {q}", query, BooleanField())
    documents = documents.filter(Q(meta_match) | (Q(content_match) & Q(can_read_content=True)))
    return documents.annotate(
        rank=_tsquery_sql("ts_rank(search_searchdocument.head, {q})", query, FloatField())
    )


def search(
    *,
    user,
    query: str,
    filters: SearchFilters | None = None,
    sort: str = "relevance",
    page: int = 1,
) -> SearchResults:
    """Return one page of results with facet counts, in one query.

    The query finds the candidates (see ``COUNT_CAP``), orders them, and returns their
    count, the page's documents with their snippets and the facet counts. A phrase costs
    one query more (``_pair_query``).
    """
    cleaned = clean_query(query)
    sql, params = search_statement(user=user, query=cleaned, filters=filters, sort=sort, page=page)
    total, tsquery, page_rows = 0, "", []
    counts: dict[str, list[tuple[str, int]]] = {name: [] for name in FACETS}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, value, number, *columns in cursor.fetchall():
            if kind == "page":
                page_rows.append((number, columns))
            elif kind == "total":
                total, tsquery = min(number, COUNT_CAP + 1), value or ""
            else:
                counts[kind].append((value, number))
    for values in counts.values():
        values.sort(key=lambda item: (-item[1], item[0]))
    documents = []
    for _n, columns in sorted(page_rows, key=lambda row: row[0]):
        document = SearchDocument.from_db(connection.alias, _PAGE_FIELDS, columns)
        if tsquery:
            html = snippet_html(document.summary, tsquery)
            document.snippet = mark_safe(html)  # type: ignore[attr-defined] # noqa: S308 - escaped
        documents.append(document)
    return SearchResults(query=cleaned, documents=documents, total=total, facets=counts)


def search_statement(
    *,
    user,
    query: str,
    filters: SearchFilters | None = None,
    sort: str = "relevance",
    page: int = 1,
) -> tuple[str, list]:
    """Return the statement of ``search`` and its parameters.

    ``query`` must come from ``clean_query``.
    """
    bases = _policy_bases(user=user, filters=filters or SearchFilters())
    first = max(page - 1, 0) * PAGE_SIZE
    return _candidates_sql(
        bases=bases, query=query, sort=sort, pairs=_pair_query(query), page=(first, PAGE_SIZE)
    )


#: Only quotes and hyphens make websearch_to_tsquery join words into phrases.
_PHRASE_MARKS = re.compile(r"[\"-]")


def _pair_query(query: str) -> str:
    """Return the pair tsquery of ``query``'s phrases (``search.text.pair_tsquery``), or "".

    PostgreSQL reads the phrases (its parsers and stemmers decide the words): one round
    trip, made only where the query may hold a phrase.
    """
    if not query or not _PHRASE_MARKS.search(query):
        return ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ({_TSQUERY})::text", _query_params(query))
        return pair_tsquery(cursor.fetchone()[0])


#: Compiled SQL of the documents a user may find, by (policy key, filters); see
#: ``_policy_bases``. Cleared when full: compiling again is the only cost.
_BASES: dict[tuple, tuple[tuple[str, tuple], tuple[str, tuple]]] = {}
_BASES_LIMIT = 2048


def _policy_bases(*, user, filters: SearchFilters) -> tuple[tuple[str, tuple], tuple[str, tuple]]:
    """Return the SQL of the documents ``user`` may find under ``filters``, twice.

    The first carries the metadata vectors, the second the file text with the policy's
    ``can_read_content``, which only the file-text tier needs: the other tiers are then
    planned without the download rule's subqueries. Building and compiling the policy's
    queryset costs more than the rest of a search, so the result is kept under the key
    ``access.policy.search_documents_key`` says determines it.
    """
    key = (policy.search_documents_key(user), filters)
    bases = _BASES.get(key)
    if bases is None:
        documents = filters.apply(policy.visible_search_documents(user))
        metadata = documents.values_list("id", "date", "head", "meta", "pairs")
        content = documents.values_list("id", "date", "content", "can_read_content")
        bases = (metadata.query.sql_with_params(), content.query.sql_with_params())
        if len(_BASES) >= _BASES_LIMIT:
            _BASES.clear()
        _BASES[key] = bases
    return bases


#: Every column of a search document but its vectors, which no page shows (a few KB each).
_PAGE_FIELDS = tuple(
    field.attname
    for field in SearchDocument._meta.concrete_fields
    if not isinstance(field, SearchVectorField)
)


def _tier(condition: str, *, ranked: bool = False) -> str:
    """Return the SQL of the newest ``COUNT_CAP + 1`` documents of ``{base}`` matching.

    ``condition`` is constant SQL with ``{q}`` for the user's tsquery.
    """
    rank = "ts_rank(b.head, {q})" if ranked else "0.0"
    return _TIER_SQL.format(rank=rank, condition=condition, limit=COUNT_CAP + 1)


def _title_tier(condition: str, *, dense: bool) -> str:
    """Return the SQL of ``COUNT_CAP + 1`` documents whose title matches, ranked.

    ``condition`` is constant SQL with ``{q}`` that includes ``b.head @@ {q}``. ``dense``
    says that the matches may be many (see ``_may_match_densely``): they are then found by
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


def _may_match_densely(query: str) -> bool:
    """Return True when no match of ``query`` needs two words at once.

    One word, or words joined by "or", may match a large share of the documents; words
    that must all occur (CJK bigrams and phrases included) rarely do.
    """
    words = cjk_bigrams(re.sub(r'["-]', " ", query)).split()
    return all(word.lower() == "or" for word in words[1::2])


def _bind(
    sql: str,
    *,
    query: str,
    base: tuple[str, Sequence[Any]],
    pairs: str = "",
    all_words: str = "",
) -> tuple[str, list]:
    """Return ``sql`` with ``{q}``, ``{qa}`` (``all_words``' tsquery), ``{p}`` (the pairs)
    and ``{base}`` replaced, and its parameters in order."""
    parts, params = [], []
    for part in re.split(r"(\{q\}|\{qa\}|\{p\}|\{base\})", sql):
        if part in ("{q}", "{qa}"):
            parts.append(_TSQUERY)
            params.extend(_query_params(query if part == "{q}" else all_words))
        elif part == "{p}":
            parts.append("%s::tsquery")
            params.append(pairs)
        elif part == "{base}":
            parts.append(base[0])
            params.extend(base[1])
        else:
            parts.append(part)
    return "".join(parts), params


def _candidates_sql(
    *,
    bases: tuple[tuple[str, Sequence[Any]], tuple[str, Sequence[Any]]],
    query: str,
    sort: str,
    pairs: str = "",
    page: tuple[int, int] = (0, PAGE_SIZE),
) -> tuple[str, list]:
    """Return one statement answering the page's documents, the total and the facets.

    Ranking every match is what makes common words slow (docs/performance.md), so no tier
    reads more than ``COUNT_CAP + 1`` rows, each found through an index:

    - tier 1, the documents whose title matches (the newest, or where they are few
      the best ranked, see ``_title_tier``), ranked by ``ts_rank`` on the small
      title vector (``ts_rank_cd``, which rewards words close together, cost 9 µs a title
      against 0.5 µs, and a title is too short for closeness to tell much);
    - tier 2, the other documents whose metadata matches, and those whose file text
      matches where the user may read it, newest first. Read only when tier 1 holds no
      more than ``COUNT_CAP``: otherwise no row of it could be a candidate.

    Sorted by date, or without a query, the candidates are simply the newest matches.
    ``pairs`` (``_pair_query``) narrows the metadata matches of a phrase through the pairs
    index before the phrase is checked on their vectors.
    The statement is built from constant SQL, the constant names above and Django's own
    compiled querysets of the documents the user may find (``bases``, see
    ``_policy_bases``): the user's query and filters travel only as parameters.
    """
    metadata, content = bases
    meta_match = "b.meta @@ {q}"
    if pairs:
        # Checked on the few rows the pairs index returns, not looked up: the metadata
        # index would read every document holding the words to intersect with them.
        meta_match = "b.pairs @@ {p} AND coalesce(b.meta @@ {q}, false)"
    content_match = _tier("b.content @@ {q} AND b.can_read_content")
    if not query:
        tiers = [("t1", 1, _tier("true"), _ALWAYS, metadata)]
    elif sort == "date":
        tiers = [
            ("t1", 1, _tier(meta_match), _ALWAYS, metadata),
            ("t2", 1, content_match, _not_in("t1"), content),
        ]
    else:
        title = "b.head @@ {q}"
        if _NEGATION.search(query):
            # A title without the excluded word may belong to a document whose text has it.
            title += " AND b.meta @@ {q}"
        other = f"{meta_match} AND NOT coalesce(b.head @@ {{q}}, false)"
        dense = _may_match_densely(query)
        tiers, titles = [], ["t1"]
        if dense and _OR.search(query):
            # The newest titles with any of the words would miss the older ones with all of
            # them, which rank first: those are read through the title index and ranked.
            all_titles = _title_tier(title.replace("{q}", "{qa}"), dense=False)
            tiers.append(("t0", 1, all_titles, _ALWAYS, metadata))
            titles = ["t0", "t1"]
        short = _when_short(*titles)
        tiers += [
            ("t1", 1, _title_tier(title, dense=dense), _not_in(*titles[:-1]) or _ALWAYS, metadata),
            ("t2", 2, _tier(other), short, metadata),
            ("t3", 2, content_match, f"{short} AND {_not_in(*titles, 't2')}", content),
        ]
    columns = ", ".join(_CANDIDATE_COLUMNS)
    ctes, params, union = [], [], []
    all_words = _OR.sub(" ", query)
    for name, tier, tier_sql, condition, base in tiers:
        sql, tier_params = _bind(tier_sql, query=query, base=base, pairs=pairs, all_words=all_words)
        condition = condition.format(cap=COUNT_CAP)
        ctes.append(_TIER_CTE.format(name=name, columns=columns, sql=sql, condition=condition))
        union.append(_TIER_UNION.format(name=name, columns=columns, tier=tier))
        params.extend(tier_params)
    order = "c.date DESC, c.id DESC"
    if query and sort != "date":
        order = "c.tier, c.rank DESC, " + order
    scalars = [name for name in FACETS if name not in _ARRAY_FACETS]
    names = [f"ARRAY[{', '.join(repr(name) for name in scalars)}]::text[]"]
    values = [f"ARRAY[{', '.join(f'd.{name}::text' for name in scalars)}]"]
    for name in _ARRAY_FACETS:
        names.append(f"array_fill('{name}'::text, ARRAY[cardinality(d.{name})])")
        values.append(f"d.{name}::text[]")
    empty = ", ".join(["NULL"] * len(_PAGE_FIELDS))
    facets = _FACET_SQL.format(
        names=" || ".join(names), values=" || ".join(values), cap=COUNT_CAP, empty=empty
    )
    sql = _CANDIDATES_SQL.format(
        ctes=", ".join(ctes),
        order=order,
        union=" UNION ALL ".join(union),
        columns=", ".join(f"d.{name}" for name in _PAGE_FIELDS),
        tsquery=f"({_TSQUERY})::text" if query else "NULL",
        last=COUNT_CAP + 1,
        empty=empty,
        facets=facets,
    )
    # The page's bounds, then the query of the total's row: the order they appear in.
    first, size = page
    params.extend([first, first + size])
    if query:
        params.extend(_query_params(query))
    return sql, params


#: Autocomplete looks for titles among this many of the newest documents only: a text
#: found in no title made it read every title (0.4-0.5 s at 120,000 documents), for every
#: key pressed. The search itself still finds the older ones.
AUTOCOMPLETE_RECENT = 5000
_RECENT_TITLES_SQL = "SELECT * FROM ({recent}) r WHERE r.title ILIKE %s LIMIT %s"


def autocomplete(*, user, query: str, limit: int = 10) -> list[dict[str, str]]:
    """Return species, sites and recent titles ``user`` may see that contain ``query``.

    Titles come from the policy-filtered search documents, never from the raw tables, and
    from the newest ``AUTOCOMPLETE_RECENT`` of them.
    """
    text = " ".join(query.split())[:100]
    if len(text) < 2:
        return []
    name_fields = ("name_en", "name_zh", "name_ja", "name_ko", "name_mn", "name_ru")
    name_match = Q()
    for name in name_fields:
        name_match |= Q(**{f"{name}__icontains": text})
    suggestions: list[dict[str, str]] = []
    for species in Species.objects.filter(name_match | Q(scientific_name__icontains=text))[:4]:
        suggestions.append(
            {
                "type": "species",
                "label": f"{species.name} ({species.scientific_name})",
                "url": species.get_absolute_url(),
            }
        )
    for site in Site.objects.filter(name_match | Q(code__icontains=text))[:3]:
        suggestions.append({"type": "site", "label": site.name, "url": site.get_absolute_url()})
    fields = ("kind", "title", "dataset_id", "publication_id", "event_id")
    recent = policy.visible_search_documents(user).order_by("-date", "-id").values_list(*fields)
    sql, params = recent[:AUTOCOMPLETE_RECENT].query.sql_with_params()
    pattern = "%" + re.sub(r"([\\%_])", r"\\\1", text) + "%"
    with connection.cursor() as cursor:
        # The newest first, through the date index, until enough titles contain the text.
        cursor.execute(
            _RECENT_TITLES_SQL.format(recent=sql),
            [*params, pattern, max(limit - len(suggestions), 0)],
        )
        for row in cursor.fetchall():
            document = SearchDocument(**dict(zip(fields, row, strict=True)))
            suggestions.append(
                {"type": document.kind, "label": document.title, "url": document_url(document)}
            )
    return suggestions[:limit]


def document_url(document) -> str:
    """Return the page of the object a search document describes."""
    from django.urls import reverse

    if document.dataset_id:
        return reverse("datasets:detail", args=[document.dataset_id])
    if document.publication_id:
        return reverse("publications:detail", args=[document.publication_id])
    return reverse("publications:event_detail", args=[document.event_id])
