"""The dataset workflow at the service layer: states, decisions, audit rows and emails."""

import hashlib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from access import policy
from access.models import AuditEvent
from datasets import services
from datasets.models import DataFile, FileState
from tests.factories import DataFileFactory, DatasetFactory


@pytest.fixture
def draft(researcher_a):
    return services.dataset_create(
        actor=researcher_a,
        title="Земля леопарда: фотоловушки 2024",
        title_en="Land of the Leopard camera traps 2024",
        method="camera_traps",
        licence="CC-BY-4.0",
        access_level="country",
        species=[],
    )


def _upload(actor, dataset, name="deployments.csv", data=b"deploymentID,latitude\nd1,43.1\n"):
    return services.data_file_add(
        actor=actor, dataset=dataset, upload=SimpleUploadedFile(name, data)
    )


def _upload_read(actor, dataset, name="deployments.csv", state=FileState.READY):
    """Upload a file and give it the state the worker leaves once it has read it."""
    data_file = _upload(actor, dataset, name=name)
    DataFile.objects.filter(pk=data_file.pk).update(state=state)
    return data_file


def test_it_creates_a_draft_owned_by_the_uploaders_country(draft, researcher_a):
    assert draft.status == "draft"
    assert draft.owner_country_id == "KR"
    assert AuditEvent.objects.filter(action="dataset.create", object_id=str(draft.pk)).exists()


def test_only_verified_member_state_accounts_create(partner, pending):
    for actor in [partner, pending]:
        with pytest.raises(PermissionDenied):
            services.dataset_create(actor=actor, title="x", method="other", licence="CC0-1.0")


def test_it_stores_a_file_under_a_generated_name_with_its_checksum(draft, researcher_a):
    data_file = _upload(researcher_a, draft, name="../../etc/passwd.csv")
    assert data_file.original_name == "passwd.csv"
    assert "passwd" not in data_file.file.name
    assert data_file.file.name.startswith("files/")
    assert data_file.sha256 == hashlib.sha256(b"deploymentID,latitude\nd1,43.1\n").hexdigest()
    assert data_file.state == "pending"


def test_an_empty_or_oversize_file_is_refused_with_a_reason(draft, researcher_a, settings):
    with pytest.raises(ValidationError, match="empty"):
        _upload(researcher_a, draft, data=b"")
    settings.MAX_UPLOAD_SIZE = 10
    with pytest.raises(ValidationError, match="largest file the hub accepts"):
        _upload(researcher_a, draft, data=b"x" * 11)


def test_submitting_needs_a_file_and_tells_the_focal_points(
    draft, researcher_a, focal_point_a, focal_point_b, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError, match="at least one file"):
        services.dataset_submit(actor=researcher_a, dataset=draft)
    _upload_read(researcher_a, draft)
    draft.co_owner_countries.set(["MN"])
    with django_capture_on_commit_callbacks(execute=True):
        services.dataset_submit(actor=researcher_a, dataset=draft)
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [focal_point_a.email, focal_point_b.email]
    )


def test_a_failed_file_blocks_submission_until_it_is_removed(draft, researcher_a):
    _upload_read(researcher_a, draft, name="stations.csv")
    failed = _upload_read(researcher_a, draft, name="x.csv", state=FileState.FAILED)
    with pytest.raises(ValidationError) as raised:
        services.dataset_submit(actor=researcher_a, dataset=draft)
    assert raised.value.messages == ["Remove or replace the files that could not be read: x.csv"]
    draft.refresh_from_db()
    assert (draft.status, draft.review_round) == ("draft", 0)

    services.data_file_delete(actor=researcher_a, data_file=failed)
    services.dataset_submit(actor=researcher_a, dataset=draft)
    draft.refresh_from_db()
    assert draft.status == "submitted"


def test_files_not_read_yet_make_the_uploader_wait(draft, researcher_a):
    _upload_read(researcher_a, draft, name="broken.csv", state=FileState.FAILED)
    _upload(researcher_a, draft, name="waiting.csv")
    _upload_read(researcher_a, draft, name="reading.csv", state=FileState.PROCESSING)
    _upload_read(researcher_a, draft, name="fine.csv")
    with pytest.raises(ValidationError) as raised:
        services.dataset_submit(actor=researcher_a, dataset=draft)
    assert raised.value.messages == [
        "Remove or replace the files that could not be read: broken.csv",
        "Wait until these files have been checked, then submit again: waiting.csv, reading.csv",
    ]
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_transboundary_dataset_needs_every_countrys_approval(
    draft, researcher_a, focal_point_a, focal_point_b
):
    _upload_read(researcher_a, draft)
    draft.co_owner_countries.set(["MN"])
    services.dataset_submit(actor=researcher_a, dataset=draft)

    services.dataset_review(actor=focal_point_a, dataset=draft, decision="approve")
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert policy.review_countries(focal_point_a, draft) == []
    assert list(policy.datasets_to_review(focal_point_b)) == [draft]

    services.dataset_review(actor=focal_point_b, dataset=draft, decision="approve")
    draft.refresh_from_db()
    assert draft.status == "published"
    assert draft.published_at is not None


def test_changes_requested_go_back_to_the_uploader_and_a_new_round_starts(
    draft, researcher_a, focal_point_a, django_capture_on_commit_callbacks
):
    _upload_read(researcher_a, draft)
    services.dataset_submit(actor=researcher_a, dataset=draft)
    with pytest.raises(ValidationError):
        services.dataset_review(actor=focal_point_a, dataset=draft, decision="request_changes")
    with django_capture_on_commit_callbacks(execute=True):
        services.dataset_review(
            actor=focal_point_a,
            dataset=draft,
            decision="request_changes",
            comment="Add the camera station list.",
        )
    draft.refresh_from_db()
    assert draft.status == "changes_requested"
    assert "Add the camera station list." in mail.outbox[-1].body
    services.dataset_update(actor=researcher_a, dataset=draft, abstract="With stations.")
    services.dataset_submit(actor=researcher_a, dataset=draft)
    draft.refresh_from_db()
    assert draft.review_round == 2
    assert policy.review_countries(focal_point_a, draft) == ["KR"]


def test_a_focal_point_of_another_country_cannot_decide(draft, researcher_a, focal_point_b):
    _upload_read(researcher_a, draft)
    services.dataset_submit(actor=researcher_a, dataset=draft)
    with pytest.raises(Exception) as raised:
        services.dataset_review(actor=focal_point_b, dataset=draft, decision="approve")
    assert raised.type.__name__ in {"Http404", "PermissionDenied"}


def test_a_submitted_dataset_is_frozen_for_its_uploader(draft, researcher_a):
    _upload_read(researcher_a, draft)
    services.dataset_submit(actor=researcher_a, dataset=draft)
    with pytest.raises(PermissionDenied):
        services.dataset_update(actor=researcher_a, dataset=draft, title="Changed")


def test_withdrawing_needs_the_owner_side_and_a_reason(
    researcher_a, researcher_b, focal_point_a, focal_point_b
):
    dataset = DatasetFactory(uploader=researcher_a, access_level="public")
    for outsider in (researcher_b, focal_point_b):
        with pytest.raises(PermissionDenied):
            services.dataset_withdraw(actor=outsider, dataset=dataset, reason="x")
    with pytest.raises(ValidationError):
        services.dataset_withdraw(actor=focal_point_a, dataset=dataset, reason=" ")
    services.dataset_withdraw(actor=focal_point_a, dataset=dataset, reason="Poaching risk")
    assert not policy.listed_datasets(focal_point_b).filter(pk=dataset.pk).exists()


def test_the_uploader_pulls_the_emergency_brake(researcher_a, focal_point_b):
    dataset = DatasetFactory(uploader=researcher_a, access_level="public")
    services.dataset_withdraw(actor=researcher_a, dataset=dataset, reason="Den sites visible")
    dataset.refresh_from_db()
    assert dataset.status == "withdrawn"
    assert not policy.listed_datasets(focal_point_b).filter(pk=dataset.pk).exists()


def test_an_access_request_is_granted_then_revoked(
    researcher_a, researcher_b, focal_point_a, django_capture_on_commit_callbacks
):
    dataset = DatasetFactory(uploader=researcher_a, access_level="restricted")
    data_file = DataFileFactory(dataset=dataset)
    request = services.access_request_create(
        actor=researcher_b,
        dataset=dataset,
        purpose="Transboundary population estimate",
        intended_use="Joint report",
        wanted_until=timezone.localdate() + timedelta(days=90),
    )
    with pytest.raises(ValidationError, match="asked already"):
        services.access_request_create(
            actor=researcher_b,
            dataset=dataset,
            purpose="again",
            intended_use="",
            wanted_until=timezone.localdate() + timedelta(days=90),
        )
    with django_capture_on_commit_callbacks(execute=True):
        grant = services.access_request_grant(actor=focal_point_a, access_request=request)
    assert grant.expires_at.date() == timezone.localdate() + timedelta(days=365)
    assert policy.access_data_file(researcher_b, data_file.pk) == data_file
    assert mail.outbox[-1].to == [researcher_b.email]

    services.grant_revoke(actor=focal_point_a, grant_row=grant)
    assert not policy.can_download(researcher_b, dataset)
    actions = list(
        AuditEvent.objects.filter(object_id=str(dataset.pk)).values_list("action", flat=True)
    )
    assert {"access.grant", "access.revoke"} <= set(actions)


def test_a_declined_request_says_why(
    researcher_a, researcher_b, focal_point_a, focal_point_b, django_capture_on_commit_callbacks
):
    dataset = DatasetFactory(uploader=researcher_a, access_level="restricted")
    request = services.access_request_create(
        actor=researcher_b,
        dataset=dataset,
        purpose="Thesis",
        intended_use="",
        wanted_until=timezone.localdate() + timedelta(days=30),
    )
    with pytest.raises(Exception) as raised:
        services.access_request_decline(actor=focal_point_b, access_request=request, reason="no")
    assert raised.type.__name__ == "Http404"
    with django_capture_on_commit_callbacks(execute=True):
        services.access_request_decline(
            actor=focal_point_a, access_request=request, reason="Den sites in the data"
        )
    assert "Den sites in the data" in mail.outbox[-1].body
