"""Multilingual search under the access policy."""

from collections import Counter
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.search import SearchVector
from django.db.models import Value
from django.utils import timezone

from access import policy
from publications.models import Publication
from search import selectors, services
from search.models import SearchDocument
from search.selectors import statement, suggestions
from search.text import pair_tsquery
from species.models import Species
from tests.factories import DatasetFactory, UserFactory
from tests.search.corpus import DOCUMENTS, QUERIES, index_corpus


@pytest.fixture
def corpus(secretariat):
    return index_corpus(secretariat)


def _found(user, query, corpus) -> set[str]:
    by_id = {pk: key for key, pk in corpus.items()}
    results = selectors.matching_documents(user=user, query=query)
    return {by_id[doc.publication_id] for doc in results if doc.publication_id in by_id}


def test_it_finds_each_language_and_nothing_else(corpus, visitor):
    scores = []
    for query, expected in QUERIES.items():
        found = _found(visitor, query, corpus)
        true_positives = len(found & expected)
        precision = true_positives / len(found) if found else 1.0
        recall = true_positives / len(expected) if expected else 1.0
        scores.append((query, precision, recall))
    print("\nquery | precision | recall")
    for query, precision, recall in scores:
        print(f"{query} | {precision:.2f} | {recall:.2f}")
    missed = [(query, p, r) for query, p, r in scores if p < 1 or r < 1]
    assert missed == []


def test_empty_long_and_hostile_queries_never_fail(corpus, visitor):
    everything = len(DOCUMENTS)
    # Syntax characters are not operators: a query of nothing else is an empty query.
    expected = {"": everything, " ": everything, "&|!():*'": everything, "x" * 5000: 0}
    found = {query: selectors.search(user=visitor, query=query).total for query in expected}
    assert found == expected
    words = selectors.search(user=visitor, query="ирвэс Алтай").total
    assert words > 0
    assert selectors.search(user=visitor, query="ирвэс & (Алтай | !)").total == words
    assert selectors.search(user=visitor, query="' OR 1=1 --").total == 0


def test_a_page_past_the_end_is_empty_not_an_error(corpus, visitor):
    assert selectors.search(user=visitor, query="", page=999).documents == []


def test_the_query_count_does_not_grow_with_the_results(corpus, visitor, django_assert_num_queries):
    # Expect 1 query: the candidates, their count, the page's documents with their
    # snippets and every facet in one statement.
    with django_assert_num_queries(1):
        few = selectors.search(user=visitor, query="ирбис")
    with django_assert_num_queries(1):
        many = selectors.search(user=visitor, query="")
    with django_assert_num_queries(1):
        selectors.search(user=visitor, query="ирбис", sort="date")
    # Expect 2 queries: PostgreSQL reads the phrase's words first (``_pair_query``).
    with django_assert_num_queries(2):
        selectors.search(user=visitor, query='"snow leopard"', page=2)
    assert few.total == 1
    assert many.total == len(DOCUMENTS)


def test_restricted_text_titles_and_facets_stay_hidden_from_outsiders(
    researcher_a, focal_point_a, researcher_b, visitor
):
    dataset = DatasetFactory(
        uploader=researcher_a,
        access_level="restricted",
        status="submitted",
        title="Secret den survey Kedrovaya",
        abstract="den coordinates",
    )
    dataset.species.set([Species.objects.get(code="TIGER_AMUR")])

    def index_with_file_text():
        # Stands in for the text the processing pipeline extracts from the files.
        services.dataset_index(dataset)
        SearchDocument.objects.filter(dataset=dataset).update(
            content=SearchVector(Value("zzsecretword"), config="simple")
        )

    index_with_file_text()
    for user in [visitor, researcher_b, focal_point_a]:
        assert selectors.search(user=user, query="Kedrovaya").total == 0

    dataset.status = "published"
    dataset.save()
    index_with_file_text()
    for user in [visitor, researcher_b]:
        results = selectors.search(user=user, query="Kedrovaya")
        assert results.total == 1  # published metadata is public
        assert selectors.search(user=user, query="zzsecretword").total == 0
        facets = selectors.search(user=user, query="zzsecretword").facets
        assert facets["species"] == []
    assert selectors.search(user=focal_point_a, query="zzsecretword").total == 1
    colleague = UserFactory(username="colleague-kr", country_id="KR")
    assert selectors.search(user=colleague, query="zzsecretword").total == 0


def test_facets_count_what_the_user_may_see(corpus, visitor):
    results = selectors.search(user=visitor, query="")
    languages = dict(results.facets["language"])
    assert languages == dict(Counter(language for language, _title, _text in DOCUMENTS.values()))
    filtered = selectors.search(
        user=visitor, query="", filters=selectors.SearchFilters(language="ru")
    )
    assert filtered.total == 2


def test_autocomplete_suggests_species_sites_and_visible_titles(corpus, visitor, researcher_a):
    labels = [s["label"] for s in selectors.autocomplete(user=visitor, query="spoon")]
    assert any("Black-faced spoonbill" in label for label in labels)
    hidden = DatasetFactory(uploader=researcher_a, status="draft", title="Spoonbill nests draft")
    services.dataset_index(hidden)
    labels = [s["label"] for s in selectors.autocomplete(user=visitor, query="spoon")]
    assert "Spoonbill nests draft / " not in " ".join(labels)
    assert not any("draft" in label for label in labels)


def test_autocomplete_reads_the_typed_text_literally_among_the_newest_titles(
    secretariat, visitor, monkeypatch
):
    older = _indexed_report(secretariat, title="Crane counts 2019")
    newer = _indexed_report(secretariat, title="Crane counts: 100% of sites_done")
    SearchDocument.objects.filter(publication_id=older).update(date="2019-01-01")
    SearchDocument.objects.filter(publication_id=newer).update(date="2024-01-01")

    def titles(query):
        return [s["label"] for s in selectors.autocomplete(user=visitor, query=query)]

    assert titles("crane counts") == ["Crane counts: 100% of sites_done", "Crane counts 2019"]
    assert titles("0%") == ["Crane counts: 100% of sites_done"]
    assert titles("s_d") == ["Crane counts: 100% of sites_done"]
    assert titles("%%") == []
    monkeypatch.setattr(suggestions, "AUTOCOMPLETE_RECENT", 1)
    assert titles("crane counts") == ["Crane counts: 100% of sites_done"]


def test_search_finds_exactly_what_matching_documents_finds(corpus, visitor):
    for query in [*QUERIES, "", "-kangaroo", "ирбис -Аргуте"]:
        for sort in ("relevance", "date"):
            expected = {doc.pk for doc in selectors.matching_documents(user=visitor, query=query)}
            results = selectors.search(user=visitor, query=query, sort=sort)
            assert {doc.pk for doc in results.documents} == expected, (query, sort)
            assert results.total == len(expected), (query, sort)


def test_title_matches_rank_first_then_the_newest(secretariat, visitor):
    def publication(title, abstract, year):
        created = Publication.objects.create(
            type="report",
            title=title,
            abstract=abstract,
            year=year,
            language="en",
            status="published",
            uploader=secretariat,
        )
        services.publication_index(created)
        SearchDocument.objects.filter(publication=created).update(date=f"{year}-01-01")
        return created.pk

    in_title = publication("Spoonbill census", "Counting birds in Mai Po.", 2001)
    twice = publication("Spoonbill nests, spoonbill chicks", "Mai Po.", 2000)
    newest = publication("Wetland birds", "Spoonbill seen once.", 2024)
    older = publication("Wetland survey", "A spoonbill flew by.", 2010)
    results = selectors.search(user=visitor, query="spoonbill")
    order = [doc.publication_id for doc in results.documents]
    assert order == [twice, in_title, newest, older]
    by_date = selectors.search(user=visitor, query="spoonbill", sort="date")
    assert [doc.publication_id for doc in by_date.documents] == [newest, older, in_title, twice]


def test_past_the_candidate_cap_the_count_says_more_and_facets_count_the_candidates(
    secretariat, visitor, monkeypatch
):
    monkeypatch.setattr(statement, "COUNT_CAP", 3)
    for number in range(5):
        created = Publication.objects.create(
            type="report",
            title=f"Crane count {number}",
            abstract="",
            year=2020,
            language="en",
            status="published",
            uploader=secretariat,
        )
        services.publication_index(created)
    results = selectors.search(user=visitor, query="crane")
    assert results.total == 4  # COUNT_CAP + 1: "more than 3"
    assert dict(results.facets["language"]) == {"en": 3}
    assert len(results.documents) == 4
    assert selectors.search(user=visitor, query="crane", page=2).documents == []


def _indexed_report(uploader, *, title: str, abstract: str = "") -> int:
    """Return the pk of a published English report, indexed for search."""
    created = Publication.objects.create(
        type="report",
        title=title,
        abstract=abstract,
        year=2022,
        language="en",
        status="published",
        uploader=uploader,
    )
    services.publication_index(created)
    return created.pk


def test_a_quoted_phrase_finds_the_words_side_by_side_only(secretariat, visitor):
    adjacent = _indexed_report(secretariat, title="Camera trap survey in Hunchun")
    apart = _indexed_report(secretariat, title="Trap lines checked by camera crews")
    quoted = selectors.search(user=visitor, query='"camera trap"')
    assert [doc.publication_id for doc in quoted.documents] == [adjacent]
    loose = selectors.search(user=visitor, query="camera trap")
    assert {doc.publication_id for doc in loose.documents} == {adjacent, apart}


@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_it_finds_a_phrase_of_the_abstract_through_its_pairs_only_side_by_side(
    secretariat, visitor, sort
):
    def publication(abstract):
        return _indexed_report(secretariat, title="Hunchun report", abstract=abstract)

    adjacent = publication("Results of the camera trap survey along the border.")
    inflected = publication("Camera traps were set along the border.")
    apart = publication("Trap lines were checked, and a camera survey was run.")
    hyphenated = publication("A camera-trap survey along the border.")
    broken = publication("Camera trap checks; a survey followed.")
    mongolian = publication("Ирвэсийн камерын судалгаа хилийн дагуу.")
    assert SearchDocument.objects.get(publication_id=adjacent).pairs is not None

    english = {adjacent, inflected, apart, hyphenated, broken}
    expected = {
        '"camera trap"': {adjacent, inflected, hyphenated, broken},
        # Latin words match whole (stemmed); Cyrillic ones as prefixes too (Mongolian).
        '"camera tra"': set(),
        '"ирвэс камер"': {mongolian},
        '"камер ирвэс"': set(),
        '"camera trap survey"': {adjacent, hyphenated},
        # A hyphenated word is read as the phrase of its parts.
        "camera-trap": {adjacent, inflected, hyphenated, broken},
        '"trap camera"': set(),
        '"camera trap" or lines': english,
        # A minus excludes the word in every reading.
        '"camera trap" -checks': {adjacent, inflected, hyphenated},
        '"camera trap" -survey': {inflected},
    }
    for query, documents in expected.items():
        results = selectors.search(user=visitor, query=query, sort=sort)
        assert {doc.publication_id for doc in results.documents} == documents, query
        unnarrowed = selectors.matching_documents(user=visitor, query=query)
        assert set(unnarrowed.values_list("publication_id", flat=True)) == documents, query


def test_only_a_query_with_a_phrase_is_narrowed_through_the_pairs(db, visitor):
    sql, params = selectors.search_statement(user=visitor, query='"camera trap"')
    assert "b.pairs @@" in sql
    assert "'came trap'" in params
    sql, params = selectors.search_statement(user=visitor, query="camera trap")
    assert "b.pairs @@" not in sql


@pytest.mark.parametrize(
    ("tsquery", "pairs"),
    [
        ("'camera' <-> 'trap' | 'camera':* <-> 'trap':*", "'came trap'"),
        ("'camera' <-> 'trap' <-> 'survey'", "'came trap' & 'trap surv'"),
        ("'a' <-> ( 'b' <-> 'c' )", "'b c' & 'a b'"),
        ("'cam':* <-> 'tr':*", "'cam':*"),
        ("'camera' <-> 'tr':*", "'came tr':*"),
        ("'it''s' <-> 'a\\\\b'", "'it''s a\\\\b'"),
        ("'x' | 'a' <-> 'b'", ""),
        ("!'a' <-> 'b'", ""),
        ("'camera' <2> 'trap'", ""),
        ("'a' & 'b'", ""),
        ("", ""),
        ("'a' <->", ""),
    ],
)
def test_pair_tsquery_asks_only_for_pairs_every_match_holds(tsquery, pairs):
    assert pair_tsquery(tsquery) == pairs


def test_a_grant_opens_the_file_text_and_its_revocation_closes_it_at_once(
    researcher_a, researcher_b, focal_point_a
):
    dataset = DatasetFactory(
        uploader=researcher_a, access_level="restricted", status="published", title="Den survey"
    )
    services.dataset_index(dataset)
    SearchDocument.objects.filter(dataset=dataset).update(
        content=SearchVector(Value("zzgrantedword"), config="simple")
    )
    # The statement compiled for researcher B is reused: grants must be read by it, not baked in.
    assert selectors.search(user=researcher_b, query="zzgrantedword").total == 0
    grant = policy.grant(
        dataset=dataset,
        user=researcher_b,
        until=timezone.now() + timedelta(days=30),
        granted_by=focal_point_a,
    )
    assert selectors.search(user=researcher_b, query="zzgrantedword").total == 1
    policy.revoke(grant_row=grant, revoked_by=focal_point_a)
    assert selectors.search(user=researcher_b, query="zzgrantedword").total == 0


def test_users_with_the_same_policy_key_get_the_same_statement(visitor, researcher_a, researcher_b):
    def statement(user):
        documents = policy.visible_search_documents(user)
        return documents.values_list("id", "can_read_content").query.sql_with_params()

    assert policy.search_documents_key(visitor) == policy.search_documents_key(AnonymousUser())
    assert statement(visitor) == statement(AnonymousUser())
    assert policy.search_documents_key(researcher_a) != policy.search_documents_key(researcher_b)
    assert statement(researcher_a) != statement(researcher_b)
    assert statement(researcher_a) == statement(type(researcher_a).objects.get(pk=researcher_a.pk))


def test_past_the_cap_a_two_word_query_keeps_its_best_ranked_titles(
    secretariat, visitor, monkeypatch
):
    monkeypatch.setattr(statement, "COUNT_CAP", 1)

    def publication(title, year):
        created = Publication.objects.create(
            type="report",
            title=title,
            year=year,
            language="en",
            status="published",
            uploader=secretariat,
        )
        services.publication_index(created)
        SearchDocument.objects.filter(publication=created).update(date=f"{year}-01-01")
        return created.pk

    best = publication("Crane census: crane counts, crane nests", 2001)
    publication("Crane census in Dauria", 2024)
    publication("A census of the crane", 2023)
    results = selectors.search(user=visitor, query="crane census")
    assert [doc.publication_id for doc in results.documents][:1] == [best]


def test_past_the_cap_an_or_query_keeps_the_titles_with_all_its_words_first(
    secretariat, visitor, monkeypatch
):
    monkeypatch.setattr(statement, "COUNT_CAP", 2)

    def publication(title, year):
        created = _indexed_report(secretariat, title=title)
        SearchDocument.objects.filter(publication_id=created).update(date=f"{year}-01-01")
        return created

    both = publication("Crane and stork census", 2001)
    for year in range(2020, 2025):
        publication(f"Crane census {year}", year)
    publication("Stork census", 2019)
    results = selectors.search(user=visitor, query="crane or stork")
    assert [doc.publication_id for doc in results.documents][:1] == [both]
    assert results.total == 3  # the cap and one more
    # Every match ranked the slow way puts it first as well.
    exact = selectors.matching_documents(user=visitor, query="crane or stork")
    assert exact.order_by("-rank", "-date").first().publication_id == both


def test_it_escapes_the_markup_of_a_snippet_and_marks_only_the_matched_words(secretariat, client):
    _indexed_report(
        secretariat,
        title="Spoonbill census",
        abstract='<img src=x onerror="alert(1)"> Five spoonbill <b>pairs</b> & chicks.',
    )
    page = client.get("/search/", {"q": "spoonbill"}).content.decode()
    api = client.get("/api/v1/search/", {"q": "spoonbill"}).json()["results"][0]["snippet"]
    for html in (page, api):
        assert "<img src=x" not in html  # the page's own logo is the only image
        assert "&lt;img" in html
        assert "<mark>spoonbill</mark>" in html
        assert "&lt;b&gt;pairs&lt;/b&gt; &amp; chicks" in html
    assert api.count("<mark>") == 1
