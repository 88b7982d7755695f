"""Search asks the live rows: an edit that no reindex followed never widens what is found.

Each test indexes an object through ``search.services`` with the text extracted from its
file, then changes the live row directly (``QuerySet.update``: no service, no signal, no
reindex, as an admin edit or a reindex that failed would leave it) and searches again.
"""

import pytest

from datasets.models import DataFile, Dataset
from publications.models import Publication, PublicationFile
from search import selectors, services
from search.models import SearchDocument
from tests.factories import DataFileFactory, DatasetFactory

pytestmark = pytest.mark.django_db

TITLE_WORD = "Hunchun"
FILE_WORD = "zzdenword"


def _publication(uploader, *, visibility: str = "public") -> Publication:
    """Return a published KR report whose file's extracted text holds ``FILE_WORD``, indexed."""
    publication = Publication.objects.create(
        type="report",
        title=f"{TITLE_WORD} tiger report",
        year=2024,
        language="en",
        visibility=visibility,
        status="published",
        uploader=uploader,
        owner_country_id="KR",
    )
    data_file = DataFile.objects.create(
        original_name="report.pdf",
        size=10,
        uploaded_by=uploader,
        state="ready",
        extracted_text=f"The den lies north of the station: {FILE_WORD}.",
    )
    PublicationFile.objects.create(publication=publication, data_file=data_file)
    services.publication_index(publication)
    return publication


def _dataset(uploader, *, access_level: str = "public") -> Dataset:
    """Return a published dataset of ``uploader``'s country whose file text holds
    ``FILE_WORD``, indexed."""
    dataset = DatasetFactory(
        uploader=uploader, access_level=access_level, title=f"{TITLE_WORD} camera stations"
    )
    DataFileFactory(dataset=dataset, state="ready", extracted_text=f"Station K7, den: {FILE_WORD}.")
    services.dataset_index(dataset)
    return dataset


def _found(user, query: str) -> int:
    """Return how many documents ``user`` finds for ``query``, checked on both readers."""
    results = selectors.search(user=user, query=query)
    assert results.total == selectors.matching_documents(user=user, query=query).count()
    return results.total


def test_it_finds_the_file_text_only_while_the_live_publication_allows_its_download(
    visitor, partner, researcher_a, researcher_b, focal_point_a, secretariat
):
    publication = _publication(researcher_a)
    everyone = [visitor, partner, researcher_a, researcher_b, focal_point_a, secretariat]
    assert [_found(user, FILE_WORD) for user in everyone] == [1] * 6

    Publication.objects.filter(pk=publication.pk).update(visibility="member_states")
    # Member States' verified accounts still download it, and the uploader's side; the
    # visitor and the partner organisation no longer do, and see only its description.
    assert [_found(user, FILE_WORD) for user in everyone] == [0, 0, 1, 1, 1, 1]
    assert [_found(user, TITLE_WORD) for user in everyone] == [1] * 6

    Publication.objects.filter(pk=publication.pk).update(visibility="registered")
    assert [_found(user, FILE_WORD) for user in everyone] == [0, 1, 1, 1, 1, 1]


def test_a_publication_returned_without_a_reindex_is_found_by_nobody(
    visitor, researcher_a, focal_point_a, secretariat
):
    publication = _publication(researcher_a)
    Publication.objects.filter(pk=publication.pk).update(status="returned")
    # Search lists what the library lists: published publications only.
    for user in [visitor, researcher_a, focal_point_a, secretariat]:
        assert (_found(user, FILE_WORD), _found(user, TITLE_WORD)) == (0, 0)
    labels = [s["label"] for s in selectors.autocomplete(user=visitor, query=TITLE_WORD)]
    assert labels == []


def test_it_finds_the_file_text_only_while_the_live_dataset_allows_its_download(
    visitor, researcher_a, researcher_b, focal_point_a, focal_point_b
):
    dataset = _dataset(researcher_a)
    people = [visitor, researcher_a, researcher_b, focal_point_a, focal_point_b]
    assert [_found(user, FILE_WORD) for user in people] == [1] * 5

    Dataset.objects.filter(pk=dataset.pk).update(access_level="country")
    assert [_found(user, FILE_WORD) for user in people] == [0, 1, 0, 1, 0]
    Dataset.objects.filter(pk=dataset.pk).update(access_level="restricted")
    assert [_found(user, FILE_WORD) for user in people] == [0, 1, 0, 1, 0]
    assert [_found(user, TITLE_WORD) for user in people] == [1] * 5

    Dataset.objects.filter(pk=dataset.pk).update(status="withdrawn")
    assert [_found(user, TITLE_WORD) for user in people] == [0] * 5
    assert [_found(user, FILE_WORD) for user in people] == [0] * 5


def test_copies_that_claim_more_than_the_live_rows_widen_nothing(
    visitor, researcher_b, focal_point_a
):
    publication = _publication(focal_point_a, visibility="member_states")
    dataset = _dataset(focal_point_a, access_level="restricted")
    # A reindex gone wrong: every copy says published and public.
    Dataset.objects.filter(pk=dataset.pk).update(status="submitted")
    SearchDocument.objects.update(published=True, access="public")
    assert _found(visitor, FILE_WORD) == 0
    assert _found(researcher_b, FILE_WORD) == 1  # the publication, to a Member State's account
    assert _found(visitor, TITLE_WORD) == 1  # the publication's description is public
    assert _found(focal_point_a, FILE_WORD) == 1  # the submitted dataset is not listed
    assert publication.pk in {
        document.publication_id for document in selectors.search(user=visitor, query="").documents
    }
    facets = selectors.search(user=visitor, query=FILE_WORD).facets
    assert facets["kind"] == [] and facets["access"] == []


def test_the_kept_statement_reads_the_visibility_at_every_search(visitor, researcher_a):
    publication = _publication(researcher_a)
    assert _found(visitor, FILE_WORD) == 1
    # The statement compiled for visitors is kept (``statement._bases``): it must read the
    # visibility from the row at every search, not remember it.
    Publication.objects.filter(pk=publication.pk).update(visibility="registered")
    assert _found(visitor, FILE_WORD) == 0
    Publication.objects.filter(pk=publication.pk).update(visibility="public")
    assert _found(visitor, FILE_WORD) == 1


def test_the_live_rows_cost_no_extra_query(visitor, researcher_a, django_assert_num_queries):
    _publication(researcher_a)
    _dataset(researcher_a)
    selectors.search(user=visitor, query=TITLE_WORD)  # compiles the policy's statement once
    # Expect 1 query: the candidates, judged on the live rows, the page and the facets.
    with django_assert_num_queries(1):
        results = selectors.search(user=visitor, query=TITLE_WORD)
    assert results.total == 2
