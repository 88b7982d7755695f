"""DOI registration against a local server speaking DataCite's REST API."""

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from access.models import AuditEvent
from datasets import doi
from datasets.cite import stable_url
from neaspec_portal.celery import app as celery_app
from tests.datasets_cite.fake_datacite import FakeDataCite, serve
from tests.factories import DatasetFactory

PREFIX = "10.80000"


@pytest.fixture
def datacite(settings):
    state = FakeDataCite(user="NEASPEC.HUB", password="s3cret")
    server, thread = serve(state)
    settings.DATACITE_PREFIX = PREFIX
    settings.DATACITE_USER = state.user
    settings.DATACITE_PASSWORD = state.password
    settings.DATACITE_URL = state.url
    yield state
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def eager_tasks():
    """Run queued tasks at once, in this process, as a worker would run them."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


@pytest.fixture
def submitted(researcher_a):
    return DatasetFactory(
        uploader=researcher_a,
        status="submitted",
        review_round=1,
        submitted_at=timezone.now(),
        published_at=None,
        title="Amur leopard camera traps",
    )


def _approve(client, focal_point, dataset, capture):
    client.force_login(focal_point)
    with capture(execute=True):
        response = client.post(
            f"/api/v1/datasets/{dataset.pk}/review/",
            {"decision": "approve"},
            content_type="application/json",
        )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "published"
    dataset.refresh_from_db()


def _actions(dataset):
    return list(
        AuditEvent.objects.filter(object_id=str(dataset.pk), action__startswith="dataset.doi")
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_publishing_a_version_registers_its_doi(
    client, datacite, eager_tasks, submitted, focal_point_a, django_capture_on_commit_callbacks
):
    _approve(client, focal_point_a, submitted, django_capture_on_commit_callbacks)
    expected = f"{PREFIX}/neaspec-ds-{submitted.pk}"
    assert (submitted.doi, submitted.doi_state, submitted.doi_attempts) == (
        expected,
        "registered",
        1,
    )
    sent = datacite.dois[expected]
    assert sent["event"] == "publish"
    assert sent["url"] == stable_url(submitted.pk)
    assert sent["publisher"] == "NEASPEC Knowledge Hub"
    assert sent["types"]["resourceTypeGeneral"] == "Dataset"
    assert sent["titles"] == [{"title": "Amur leopard camera traps"}]
    assert _actions(submitted) == ["dataset.doi_registered"]

    page = client.get(f"/data/{submitted.pk}/").content.decode()
    assert f'href="https://doi.org/{expected}"' in page
    text = client.get(f"/api/v1/datasets/{submitted.pk}/cite/").content.decode()
    assert text.endswith(f"Dataset. https://doi.org/{expected}")


def test_a_failed_registration_publishes_anyway_and_the_retry_task_registers_later(
    client, datacite, eager_tasks, submitted, focal_point_a, django_capture_on_commit_callbacks
):
    datacite.failures = [500]
    _approve(client, focal_point_a, submitted, django_capture_on_commit_callbacks)
    assert (submitted.status, submitted.doi_state, submitted.doi) == ("published", "pending", "")
    assert "500" in submitted.doi_error
    page = client.get(f"/data/{submitted.pk}/").content.decode()
    assert "A DOI is being registered for this version" in page

    datacite.failures = [422]
    assert doi.retry_doi_registrations() == 0
    submitted.refresh_from_db()
    assert (submitted.doi_state, submitted.doi_attempts) == ("pending", 2)
    assert "422" in submitted.doi_error

    assert doi.retry_doi_registrations() == 1
    submitted.refresh_from_db()
    assert (submitted.doi_state, submitted.doi_attempts, submitted.doi_error) == (
        "registered",
        3,
        "",
    )
    assert submitted.doi == f"{PREFIX}/neaspec-ds-{submitted.pk}"
    assert _actions(submitted) == [
        "dataset.doi_failed",
        "dataset.doi_failed",
        "dataset.doi_registered",
    ]
    # Nothing left to do: the next run sends nothing.
    sent = len(datacite.requests)
    assert doi.retry_doi_registrations() == 0
    assert len(datacite.requests) == sent


def test_a_registration_whose_answer_was_lost_updates_the_same_doi(datacite, researcher_a):
    dataset = DatasetFactory(uploader=researcher_a, doi_state="pending")
    taken = f"{PREFIX}/neaspec-ds-{dataset.pk}"
    datacite.dois[taken] = {"doi": taken, "state": "findable"}
    assert doi.retry_doi_registrations() == 1
    dataset.refresh_from_db()
    assert (dataset.doi, dataset.doi_state) == (taken, "registered")
    assert datacite.requests == [("POST", "/dois"), ("PUT", f"/dois/{taken}")]
    assert list(datacite.dois) == [taken]


def test_wrong_credentials_and_an_unreachable_datacite_leave_the_version_pending(
    datacite, researcher_a, settings
):
    dataset = DatasetFactory(uploader=researcher_a, doi_state="pending")
    settings.DATACITE_PASSWORD = "wrong"
    doi.retry_doi_registrations()
    dataset.refresh_from_db()
    assert (dataset.doi_state, dataset.doi_error) == (
        "pending",
        "DataCite answered 401: Bad credentials",
    )
    settings.DATACITE_URL = "http://127.0.0.1:9"  # the discard port: nothing listens
    doi.retry_doi_registrations()
    dataset.refresh_from_db()
    assert dataset.doi_state == "pending"
    assert dataset.doi_error.startswith("DataCite could not be reached")


def test_only_published_versions_are_registered(datacite, researcher_a):
    withdrawn = DatasetFactory(uploader=researcher_a, status="withdrawn", doi_state="pending")
    assert doi.retry_doi_registrations() == 0
    assert datacite.requests == []
    withdrawn.refresh_from_db()
    assert withdrawn.doi_attempts == 0


def test_without_a_datacite_account_nothing_is_queued_and_the_url_identifies(
    client, submitted, focal_point_a, django_capture_on_commit_callbacks
):
    _approve(client, focal_point_a, submitted, django_capture_on_commit_callbacks)
    assert (submitted.doi_state, submitted.doi) == ("", "")
    assert doi.retry_doi_registrations() == 0
    text = client.get(f"/api/v1/datasets/{submitted.pk}/cite/").content.decode()
    assert text.endswith(f"Dataset. {stable_url(submitted.pk)}")


def test_a_half_configured_account_stops_the_start():
    environment = {**os.environ, "DEBUG": "1", "DATACITE_PREFIX": PREFIX}
    for name in ("DATACITE_USER", "DATACITE_PASSWORD", "DATACITE_URL"):
        environment.pop(name, None)
    started = subprocess.run(
        [sys.executable, "-c", "import neaspec_portal.settings"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert started.returncode != 0
    assert "missing: DATACITE_USER, DATACITE_PASSWORD, DATACITE_URL" in started.stderr


def test_the_operator_command_registers_versions_published_before_the_account(
    datacite, researcher_a
):
    earlier = DatasetFactory(uploader=researcher_a)
    draft = DatasetFactory(uploader=researcher_a, status="draft", published_at=None)
    listed = StringIO()
    call_command("register_dois", "--dry-run", stdout=listed)
    assert f"[{earlier.pk}]" in listed.getvalue()
    assert datacite.requests == []

    done = StringIO()
    call_command("register_dois", stdout=done)
    assert "1 version(s) newly asked for; 1 DOI(s) registered now" in done.getvalue()
    earlier.refresh_from_db()
    draft.refresh_from_db()
    assert (earlier.doi_state, draft.doi_state) == ("registered", "")
    assert _actions(earlier) == ["dataset.doi_requested", "dataset.doi_registered"]


def test_the_command_says_what_to_set_without_an_account(db):
    with pytest.raises(CommandError, match="set DATACITE_PREFIX"):
        call_command("register_dois")
