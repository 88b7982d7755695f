"""Search across languages under the access policy.

Only a document's title and summary are embedded, and every list of candidates (the
words, the meaning, the names) passes the same filters and live-row conditions in SQL:
a document the user may not find never appears, whichever list would have ranked it.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datasets.models import DataFile
from publications.models import Publication
from search import selectors, semantic, services, vectors
from search.models import SearchVector
from search.selectors import SearchFilters, hybrid
from search.tasks import embed_search_documents
from tests.factories import DataFileFactory, DatasetFactory

pytestmark = pytest.mark.django_db

TIGER_RU = ("ru", "Мониторинг амурского тигра с помощью фотоловушек", "Фотоловушки и полосы.")
TIGER_ZH = ("zh", "利用红外相机监测东北虎", "红外触发相机连续三个冬季识别东北虎个体。")
IRBIS_ZH = ("zh", "阿尔泰山雪豹种群调查", "通过样线和痕迹调查估算雪豹数量。")
IRBIS_JA = ("ja", "アルタイ山脈におけるユキヒョウの個体数調査", "痕跡調査で数を推定した。")
IRBIS_EN = ("en", "Snow leopard population survey in the Altai", "Sign surveys on ridges.")
QUERY_KO = "호랑이 카메라 트랩"


@pytest.fixture(autouse=True)
def _fresh_codes():
    semantic.forget_codes()
    yield
    semantic.forget_codes()


def _publication(uploader, document, *, status="published", **fields) -> Publication:
    language, title, abstract = document
    publication = Publication.objects.create(
        type="report",
        title=title,
        abstract=abstract,
        year=2025,
        language=language,
        status=status,
        uploader=uploader,
        **fields,
    )
    services.publication_index(publication)
    vectors.search_vectors_compute(document_ids=[publication.search_document.pk])
    return publication


def _titles(user, query, **options) -> list[str]:
    results = selectors.search(user=user, query=query, cross_language=True, **options)
    return [document.title for document in results.documents]


def test_a_korean_query_finds_the_russian_and_chinese_reports(researcher_a, visitor):
    _publication(researcher_a, TIGER_RU)
    _publication(researcher_a, TIGER_ZH)
    results = selectors.search(user=visitor, query=QUERY_KO, cross_language=True)
    assert {d.title for d in results.documents} == {TIGER_RU[1], TIGER_ZH[1]}
    assert all(d.cross_language for d in results.documents)
    assert results.language == "ko"
    assert selectors.search(user=visitor, query=QUERY_KO).total == 0


def test_a_draft_is_never_a_candidate(researcher_a, focal_point_a, secretariat, visitor):
    _publication(researcher_a, TIGER_RU, status="draft")
    for user in (visitor, researcher_a, focal_point_a, secretariat):
        assert _titles(user, QUERY_KO) == []


def test_a_document_unpublished_without_a_reindex_leaves_every_list(researcher_a, visitor):
    # The document's copy and its vector still say published; the live row decides.
    publication = _publication(researcher_a, TIGER_RU)
    assert _titles(visitor, QUERY_KO) == [TIGER_RU[1]]
    Publication.objects.filter(pk=publication.pk).update(status="draft")
    assert SearchVector.objects.get(document__publication=publication).published
    assert _titles(visitor, QUERY_KO) == []
    assert hybrid.meaning_candidates(user=visitor, query=QUERY_KO, filters=SearchFilters()) == []


def test_file_text_is_in_no_vector(researcher_a, focal_point_a, visitor):
    # A restricted dataset whose file tells of a tiger den: the focal point of its country
    # finds it by that text (the words), nobody by its meaning.
    dataset = DatasetFactory(
        uploader=researcher_a, access_level="restricted", title="Station K7 records"
    )
    services.dataset_index(dataset)
    document_id = dataset.search_document.pk
    vectors.search_vectors_compute(document_ids=[document_id])
    before = bytes(SearchVector.objects.get(pk=document_id).vector)
    DataFileFactory(
        dataset=dataset, state="ready", extracted_text="Логово тигрицы с котятами у ручья."
    )
    services.dataset_index(dataset)
    vectors.search_vectors_compute(document_ids=[document_id])
    assert bytes(SearchVector.objects.get(pk=document_id).vector) == before
    assert DataFile.objects.filter(dataset=dataset).exists()
    for user in (visitor, focal_point_a):
        results = selectors.search(user=user, query="tiger den with cubs", cross_language=True)
        assert "meaning" not in {f for d in results.documents for f in d.found_by}
    assert _titles(focal_point_a, "логово тигрицы") == ["Station K7 records"]
    assert _titles(visitor, "логово тигрицы") == []


def test_a_mongolian_name_finds_the_species_in_every_language(researcher_a, visitor):
    for document in (IRBIS_ZH, IRBIS_JA, IRBIS_EN, TIGER_RU):
        _publication(researcher_a, document)
    results = selectors.search(user=visitor, query="ирвэсийн", cross_language=True)
    assert {d.title for d in results.documents} == {IRBIS_ZH[1], IRBIS_JA[1], IRBIS_EN[1]}
    assert results.language == "mn"
    # The encoder knows no Mongolian: found by the names alone.
    assert {tuple(d.found_by) for d in results.documents} == {("names",)}


def test_filters_and_facets_count_only_what_the_user_finds(researcher_a, visitor):
    _publication(researcher_a, TIGER_RU)
    _publication(researcher_a, TIGER_ZH)
    _publication(
        researcher_a, ("ja", "アムールトラのカメラ調査", "自動撮影カメラ。"), status="draft"
    )
    results = selectors.search(user=visitor, query=QUERY_KO, cross_language=True)
    assert results.total == 2
    assert dict(results.facets["language"]) == {"ru": 1, "zh": 1}
    narrowed = selectors.search(
        user=visitor, query=QUERY_KO, cross_language=True, filters=SearchFilters(language="zh")
    )
    assert [d.title for d in narrowed.documents] == [TIGER_ZH[1]]


def test_the_queries_of_a_cross_language_search(researcher_a, visitor, django_assert_num_queries):
    _publication(researcher_a, TIGER_RU)
    selectors.search(user=visitor, query=QUERY_KO, cross_language=True)  # loads the codes
    for _ in range(3):
        _publication(researcher_a, TIGER_ZH)
    # Expect 5 queries: the species and the sites named, the codes written since, the
    # vectors of the shortlist under the policy, and the one statement of the search.
    with django_assert_num_queries(5):
        results = selectors.search(user=visitor, query=QUERY_KO, cross_language=True)
    assert results.total == 4


def test_the_api_searches_across_languages_unless_told_not_to(client, researcher_a):
    _publication(researcher_a, TIGER_RU)
    body = client.get("/api/v1/search/", {"q": QUERY_KO}).json()
    assert [r["title"] for r in body["results"]] == [TIGER_RU[1]]
    assert body["results"][0]["cross_language"] is True
    assert body["query_language"] == "ko"
    lexical = client.get("/api/v1/search/", {"q": QUERY_KO, "cross_language": "false"}).json()
    assert lexical["count"] == 0
    response = client.get("/api/v1/search/", {"q": QUERY_KO, "cross_language": "maybe"})
    assert response.status_code == 400
    assert "cross_language" in response.json()


def test_the_page_marks_hits_in_other_languages(client, researcher_a):
    _publication(researcher_a, TIGER_RU)
    page = client.get("/search/", {"q": QUERY_KO}).content.decode()
    assert TIGER_RU[1] in page and "Other language: Русский" in page
    only_words = client.get("/search/", {"q": QUERY_KO, "cross_language": "0"})
    assert TIGER_RU[1] not in only_words.content.decode()


DOCUMENTS = (TIGER_RU, TIGER_ZH, IRBIS_ZH, IRBIS_JA, IRBIS_EN)
QUERIES = (QUERY_KO, "snow leopard", "ирвэс", "雪豹", "тигр", "camera traps")


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    hidden=st.sets(st.integers(min_value=0, max_value=len(DOCUMENTS) - 1)),
    query=st.sampled_from(QUERIES),
)
def test_no_list_shows_a_document_its_live_row_hides(researcher_a, visitor, hidden, query):
    publications = list(Publication.objects.filter(uploader=researcher_a).order_by("pk"))
    if not publications:
        publications = [_publication(researcher_a, document) for document in DOCUMENTS]
    Publication.objects.filter(pk__in=[p.pk for p in publications]).update(status="published")
    Publication.objects.filter(pk__in=[publications[i].pk for i in hidden]).update(status="draft")
    shown = {p.title for i, p in enumerate(publications) if i not in hidden}
    results = selectors.search(user=visitor, query=query, cross_language=True)
    assert {d.title for d in results.documents} <= shown
    assert sum(count for _kind, count in results.facets["kind"]) == results.total


def test_the_worker_and_the_command_compute_the_vectors(
    researcher_a, django_capture_on_commit_callbacks
):
    publication = Publication.objects.create(
        type="report",
        title=TIGER_ZH[1],
        year=2025,
        language="zh",
        status="published",
        uploader=researcher_a,
    )
    with django_capture_on_commit_callbacks() as callbacks:
        services.publication_index(publication)
    assert len(callbacks) == 1  # the embedding, queued once the index commits
    document = publication.search_document
    assert not SearchVector.objects.filter(pk=document.pk).exists()
    assert embed_search_documents.apply(args=[[document.pk]]).get() == 1
    SearchVector.objects.all().delete()
    call_command("rebuild_search_index", "--vectors-only", stdout=StringIO())
    vector = SearchVector.objects.get(pk=document.pk)
    assert vector.published and len(bytes(vector.code)) == 64 and len(bytes(vector.vector)) == 512
