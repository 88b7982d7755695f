"""Versions of a dataset: what a new version copies and shares, one open draft per series,
the current version in lists, search and maps, grants carried over, and shared blobs kept
until no version names them."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404
from django.utils import timezone

from access import policy
from access.models import AuditEvent
from datasets import services
from datasets.models import AccessRequest, DataFile, Dataset, Occurrence, PublicOccurrence
from datasets.processing import pipeline
from datasets.versions import dataset_delete_draft, dataset_start_version
from neaspec_portal.api_errors import Conflict
from search import services as search_services
from species.models import Species
from tests.factories import DataFileFactory, DatasetFactory, UserFactory
from tests.processing import files

pytestmark = pytest.mark.django_db

TIGERS = (
    "scientificName,eventDate,decimalLatitude,decimalLongitude\n"
    "Panthera tigris altaica,2023-02-11,43.1234,131.5678\n"
    "Panthera tigris altaica,2023-03-02,43.2234,131.6678\n"
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def processed(dataset: Dataset, name: str, content: bytes) -> DataFile:
    """Store ``content`` as a file of ``dataset`` and process it for real."""
    data_file = DataFileFactory(dataset=dataset, original_name=name)
    data_file.file.save(name, ContentFile(content))
    assert pipeline.process(data_file.pk) == "ready"
    return DataFile.objects.get(pk=data_file.pk)


@pytest.fixture
def first(researcher_a, focal_point_b):
    """A published restricted dataset of KR, co-owned by MN, with a table and an image."""
    dataset = DatasetFactory(
        uploader=researcher_a, access_level="restricted", co_owners=["MN"], title="Tigers"
    )
    dataset.species.set(Species.objects.filter(code="TIGER_AMUR"))
    processed(dataset, "tigers.csv", TIGERS.encode())
    processed(dataset, "station.png", files.png())
    return dataset


def publish(version: Dataset, *deciders) -> Dataset:
    services.dataset_submit(actor=version.uploader, dataset=version)
    for decider in deciders:
        services.dataset_review(actor=decider, dataset=version, decision="approve")
    return Dataset.objects.get(pk=version.pk)


def test_it_copies_metadata_tags_and_rows_and_shares_the_blobs(first, researcher_a):
    second = dataset_start_version(actor=researcher_a, dataset=first, change_note="More rows.")
    assert (second.series_id, second.version, second.status) == (first.pk, 2, "draft")
    assert (second.title, second.access_level, second.change_note) == (
        "Tigers",
        "restricted",
        "More rows.",
    )
    assert list(second.co_owner_countries.values_list("code", flat=True)) == ["MN"]
    assert list(second.species.values_list("code", flat=True)) == ["TIGER_AMUR"]
    old = {f.original_name: f for f in first.files.all()}
    new = {f.original_name: f for f in second.files.all()}
    assert set(new) == {"tigers.csv", "station.png"}
    for name, twin in new.items():
        assert twin.pk != old[name].pk
        assert twin.file.name == old[name].file.name  # the same blob, no byte copied
        assert twin.thumbnail.name == old[name].thumbnail.name
        assert (twin.state, twin.row_count, twin.columns) == (
            "ready",
            old[name].row_count,
            old[name].columns,
        )
    assert Occurrence.objects.filter(dataset=second).count() == 2
    assert PublicOccurrence.objects.filter(dataset=second).exists()
    assert AuditEvent.objects.filter(action="dataset.version", object_id=str(second.pk)).exists()


def test_only_one_open_draft_per_series(first, researcher_a, focal_point_a):
    second = dataset_start_version(actor=researcher_a, dataset=first)
    with pytest.raises(Conflict) as refused:
        dataset_start_version(actor=focal_point_a, dataset=first)
    assert refused.value.data == {"draft": second.pk}


def test_it_is_started_by_the_owner_side_only(first, researcher_b, focal_point_b, secretariat):
    for outsider in (researcher_b, secretariat, UserFactory(country_id="KR")):
        with pytest.raises(Http404):
            dataset_start_version(actor=outsider, dataset=first)
    # A co-owner's focal point is on the owner side, and joins the collaborators.
    second = dataset_start_version(actor=focal_point_b, dataset=first)
    assert focal_point_b in second.collaborators.all()


def test_a_published_version_becomes_current_and_the_first_leaves_lists(
    first, researcher_a, focal_point_a, focal_point_b, visitor
):
    second = dataset_start_version(actor=researcher_a, dataset=first)
    assert list(policy.listed_datasets(visitor)) == [first]
    second = publish(second, focal_point_a, focal_point_b)
    assert second.status == "published"
    first.refresh_from_db()
    assert first.superseded_at is not None and first.status == "published"
    assert list(policy.listed_datasets(visitor)) == [second]
    assert policy.access_dataset(visitor, first.pk) == first  # its URL still answers
    search_services.index_all()
    found = policy.visible_search_documents(visitor).values_list("dataset_id", flat=True)
    assert list(found) == [second.pk]
    points = policy.occurrences_for(visitor, published_only=True)
    assert {feature["properties"]["dataset"] for feature in points} <= {second.pk}
    # A superseded version is not the base of a new one.
    with pytest.raises(Http404):
        dataset_start_version(actor=researcher_a, dataset=first)


def test_grants_carry_over_and_earlier_versions_stay_downloadable(
    first, researcher_a, researcher_b, focal_point_a, focal_point_b
):
    request = services.access_request_create(
        actor=researcher_b,
        dataset=first,
        purpose="Corridor study",
        intended_use="",
        wanted_until=timezone.localdate() + timedelta(days=30),
    )
    services.access_request_grant(actor=focal_point_a, access_request=request)
    second = dataset_start_version(actor=researcher_a, dataset=first)
    second = publish(second, focal_point_a, focal_point_b)
    stranger = UserFactory(country_id="MN")
    for version in (first, second):
        assert policy.can_download(researcher_b, Dataset.objects.get(pk=version.pk))
        assert not policy.can_download(stranger, Dataset.objects.get(pk=version.pk))
        csv = DataFile.objects.get(dataset=version, original_name="tigers.csv")
        assert policy.access_data_file(researcher_b, csv.pk) == csv
        with pytest.raises(Http404):
            policy.access_data_file(stranger, csv.pk)
    # A request made on a later version targets the series: one request per series.
    services.access_request_create(
        actor=stranger,
        dataset=second,
        purpose="Census",
        intended_use="",
        wanted_until=timezone.localdate() + timedelta(days=30),
    )
    assert AccessRequest.objects.get(requester=stranger).dataset_id == first.pk


def test_removing_a_file_from_a_new_version_keeps_the_shared_blob(
    first, researcher_a, django_capture_on_commit_callbacks
):
    second = dataset_start_version(actor=researcher_a, dataset=first)
    twin = second.files.get(original_name="station.png")
    names = [twin.file.name, twin.thumbnail.name]
    with django_capture_on_commit_callbacks(execute=True):
        services.data_file_delete(actor=researcher_a, data_file=twin)
    assert all(default_storage.exists(name) for name in names)
    # Deleting the draft keeps them too; the first version still names them.
    with django_capture_on_commit_callbacks(execute=True):
        dataset_delete_draft(actor=researcher_a, dataset=second)
    assert not Dataset.objects.filter(pk=second.pk).exists()
    assert all(default_storage.exists(name) for name in names)
    assert first.files.count() == 2


def test_deleting_a_draft_removes_its_own_blobs(
    researcher_a, researcher_b, focal_point_a, secretariat, django_capture_on_commit_callbacks
):
    draft = DatasetFactory(uploader=researcher_a, status="draft", published_at=None)
    data_file = processed(draft, "station.png", files.png())
    names = [data_file.file.name, data_file.thumbnail.name]
    for outsider in (researcher_b, secretariat):
        with pytest.raises(Http404):
            dataset_delete_draft(actor=outsider, dataset=draft)
    with django_capture_on_commit_callbacks(execute=True):
        dataset_delete_draft(actor=focal_point_a, dataset=draft)
    assert not any(default_storage.exists(name) for name in names)
    event = AuditEvent.objects.get(action="dataset.delete")
    assert event.object_id == str(draft.pk) and event.actor == focal_point_a


def test_a_published_dataset_cannot_be_deleted(first, researcher_a):
    with pytest.raises(Conflict):
        dataset_delete_draft(actor=researcher_a, dataset=first)
