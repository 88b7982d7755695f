"""Four eyes: nobody approves what they submitted, through services, pages and the API.

A focal point's own dataset or publication is decided by another focal point of their
country or, when there is none, by the secretariat; co-owner countries each still decide.
"""

import json

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from access import policy
from datasets import services
from datasets.models import DataFile, Dataset, FileState
from publications import services as publication_services
from tests.factories import FocalPointFactory, UserFactory


@pytest.fixture
def focal_point_a2(db):
    """A second focal point of researcher A's country (KR)."""
    return FocalPointFactory(username="focal-a2", country_id="KR")


def _submitted(uploader, *, co_owners=(), collaborators=()):
    dataset = services.dataset_create(
        actor=uploader,
        title="Camera traps along the border 2024",
        method="camera_traps",
        licence="CC-BY-4.0",
        access_level="country",
        species=[],
        co_owner_countries=list(co_owners),
        collaborators=list(collaborators),
    )
    data_file = services.data_file_add(
        actor=uploader,
        dataset=dataset,
        upload=SimpleUploadedFile("deployments.csv", b"deploymentID,latitude\nd1,43.1\n"),
    )
    DataFile.objects.filter(pk=data_file.pk).update(state=FileState.READY)  # as the worker does
    return services.dataset_submit(actor=uploader, dataset=dataset)


def _status(dataset):
    return Dataset.objects.values_list("status", flat=True).get(pk=dataset.pk)


def _publication(actor):
    return publication_services.publication_create(
        actor=actor, type="report", title="Tiger corridors", year=2024, language="en"
    )


# --- Datasets, at the service layer --------------------------------------------------------


def test_a_focal_point_cannot_approve_their_own_dataset(focal_point_a, secretariat):
    dataset = _submitted(focal_point_a)

    assert policy.review_countries(focal_point_a, dataset) == []
    assert dataset not in policy.datasets_to_review(focal_point_a)
    with pytest.raises(PermissionDenied, match="Nobody decides on a dataset they uploaded"):
        services.dataset_review(actor=focal_point_a, dataset=dataset, decision="approve")
    assert _status(dataset) == "submitted"
    assert not dataset.decisions.exists()


def test_another_focal_point_of_the_same_country_decides(
    focal_point_a, focal_point_a2, secretariat
):
    dataset = _submitted(focal_point_a)

    assert policy.review_countries(focal_point_a2, dataset) == ["KR"]
    assert list(policy.datasets_to_review(focal_point_a2)) == [dataset]
    # Another focal point can decide: the secretariat is not asked.
    assert policy.review_countries(secretariat, dataset) == []
    assert dataset not in policy.datasets_to_review(secretariat)

    services.dataset_review(actor=focal_point_a2, dataset=dataset, decision="approve")
    assert _status(dataset) == "published"


def test_the_secretariat_decides_when_the_country_has_no_other_focal_point(
    focal_point_a, secretariat
):
    dataset = _submitted(focal_point_a)

    assert policy.review_countries(secretariat, dataset) == ["KR"]
    assert list(policy.datasets_to_review(secretariat)) == [dataset]
    services.dataset_review(actor=secretariat, dataset=dataset, decision="approve")
    assert _status(dataset) == "published"
    (decision,) = dataset.decisions.all()
    assert (decision.country_id, decision.decider) == ("KR", secretariat)


def test_an_inactive_or_unverified_focal_point_does_not_count(focal_point_a, secretariat):
    FocalPointFactory(username="focal-a-gone", country_id="KR", is_active=False)
    FocalPointFactory(username="focal-a-pending", country_id="KR", status="pending")
    dataset = _submitted(focal_point_a)
    assert policy.review_countries(secretariat, dataset) == ["KR"]


def test_co_owner_countries_still_each_decide(focal_point_a, focal_point_b, secretariat):
    dataset = _submitted(focal_point_a, co_owners=["MN"])

    assert policy.review_countries(focal_point_b, dataset) == ["MN"]
    assert policy.review_countries(secretariat, dataset) == ["KR"]
    assert policy.review_countries(focal_point_a, dataset) == []

    services.dataset_review(actor=focal_point_b, dataset=dataset, decision="approve")
    assert _status(dataset) == "submitted"
    assert dataset not in policy.datasets_to_review(focal_point_b)
    assert list(policy.datasets_to_review(secretariat)) == [dataset]

    services.dataset_review(actor=secretariat, dataset=dataset, decision="approve")
    assert _status(dataset) == "published"


def test_a_co_owners_own_submission_leaves_the_owner_to_its_focal_point(
    focal_point_a, focal_point_b, secretariat
):
    dataset = _submitted(focal_point_b, co_owners=["KR"])
    assert policy.review_countries(focal_point_a, dataset) == ["KR"]
    assert policy.review_countries(secretariat, dataset) == ["MN"]
    assert policy.review_countries(focal_point_b, dataset) == []


def test_a_focal_point_who_collaborates_does_not_decide(researcher_a, focal_point_a, secretariat):
    dataset = _submitted(researcher_a, collaborators=[focal_point_a])
    assert policy.review_countries(focal_point_a, dataset) == []
    assert dataset not in policy.datasets_to_review(focal_point_a)
    assert policy.review_countries(secretariat, dataset) == ["KR"]
    with pytest.raises(PermissionDenied, match="Nobody decides"):
        services.dataset_review(actor=focal_point_a, dataset=dataset, decision="approve")


def test_a_secretariat_collaborator_does_not_decide_either(focal_point_a, secretariat):
    dataset = _submitted(focal_point_a, collaborators=[secretariat])
    assert policy.review_countries(secretariat, dataset) == []
    assert dataset not in policy.datasets_to_review(secretariat)


def test_a_country_without_a_focal_point_is_decided_by_the_secretariat(researcher_b, secretariat):
    dataset = _submitted(researcher_b)
    assert policy.review_countries(secretariat, dataset) == ["MN"]


def test_a_researchers_dataset_still_goes_to_the_focal_point_alone(
    researcher_a, focal_point_a, secretariat
):
    dataset = _submitted(researcher_a)
    assert policy.review_countries(focal_point_a, dataset) == ["KR"]
    assert policy.review_countries(secretariat, dataset) == []


def test_the_queue_and_the_single_answer_agree(
    researcher_a, researcher_b, focal_point_a, focal_point_a2, focal_point_b, secretariat
):
    datasets = [
        _submitted(focal_point_a),
        _submitted(focal_point_a, co_owners=["MN"]),
        _submitted(focal_point_b, co_owners=["KR"]),
        _submitted(researcher_a, collaborators=[focal_point_a2]),
        _submitted(researcher_b),
    ]
    FocalPointFactory(username="focal-b2", country_id="MN", is_active=False)
    for user in [researcher_a, focal_point_a, focal_point_a2, focal_point_b, secretariat]:
        expected = {dataset.pk for dataset in datasets if policy.review_countries(user, dataset)}
        assert set(policy.datasets_to_review(user).values_list("pk", flat=True)) == expected


def test_the_submission_notice_goes_to_who_decides(
    focal_point_a, secretariat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _submitted(focal_point_a)
    assert [message.to for message in mail.outbox] == [[secretariat.email]]

    mail.outbox.clear()
    other = FocalPointFactory(username="focal-a2", country_id="KR")
    with django_capture_on_commit_callbacks(execute=True):
        _submitted(focal_point_a)
    assert [message.to for message in mail.outbox] == [[other.email]]


# --- Publications, at the service layer ----------------------------------------------------


def test_a_focal_points_own_publication_waits_for_someone_else(
    focal_point_a, focal_point_a2, secretariat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publication = _publication(focal_point_a)
    assert publication.status == "submitted"  # not published by its own uploader
    assert focal_point_a.email not in {message.to[0] for message in mail.outbox}
    assert {message.to[0] for message in mail.outbox} == {focal_point_a2.email, secretariat.email}

    assert not policy.can_review_publication(focal_point_a, publication)
    assert publication not in policy.publications_to_review(focal_point_a)
    with pytest.raises(PermissionDenied, match="Nobody reviews their own publication"):
        publication_services.publication_review(
            actor=focal_point_a, publication=publication, decision="approve"
        )

    assert policy.can_review_publication(focal_point_a2, publication)
    assert list(policy.publications_to_review(focal_point_a2)) == [publication]
    publication_services.publication_review(
        actor=focal_point_a2, publication=publication, decision="approve"
    )
    publication.refresh_from_db()
    assert (publication.status, publication.reviewed_by) == ("published", focal_point_a2)


def test_the_secretariat_reviews_a_focal_points_publication_when_none_other(
    focal_point_a, secretariat
):
    publication = _publication(focal_point_a)
    assert list(policy.publications_to_review(secretariat)) == [publication]
    publication_services.publication_review(
        actor=secretariat, publication=publication, decision="return", comment="Add the DOI."
    )
    publication.refresh_from_db()
    assert publication.status == "returned"


# --- Pages ---------------------------------------------------------------------------------


def test_the_page_offers_no_decision_on_ones_own_dataset(client, focal_point_a, secretariat):
    dataset = _submitted(focal_point_a)
    client.force_login(focal_point_a)
    page = client.get(dataset.get_absolute_url())
    assert page.status_code == 200
    assert "Your decision" not in page.content.decode()
    assert dataset.title not in client.get(reverse("datasets:review_queue")).content.decode()

    response = client.post(
        reverse("datasets:review", args=[dataset.pk]), {"decision": "approve"}, follow=True
    )
    assert "Nobody decides on a dataset they uploaded" in response.content.decode()
    assert _status(dataset) == "submitted"


def test_the_secretariat_decides_on_the_page_when_no_other_focal_point(
    client, focal_point_a, secretariat
):
    dataset = _submitted(focal_point_a)
    client.force_login(secretariat)
    assert dataset.title in client.get(reverse("datasets:review_queue")).content.decode()
    assert "Your decision" in client.get(dataset.get_absolute_url()).content.decode()
    client.post(reverse("datasets:review", args=[dataset.pk]), {"decision": "approve"})
    assert _status(dataset) == "published"


def test_another_focal_point_decides_on_the_page(client, focal_point_a, focal_point_a2):
    dataset = _submitted(focal_point_a)
    client.force_login(focal_point_a2)
    assert dataset.title in client.get(reverse("datasets:review_queue")).content.decode()
    client.post(reverse("datasets:review", args=[dataset.pk]), {"decision": "approve"})
    assert _status(dataset) == "published"


@pytest.mark.parametrize("rows", [1, 3])
def test_the_secretariats_queue_costs_the_same_queries_for_any_number_of_rows(
    client, focal_point_a, secretariat, rows, django_assert_num_queries
):
    for _ in range(rows):
        _submitted(focal_point_a)
    client.force_login(secretariat)
    client.get(reverse("datasets:review_queue"))  # the session's first reads
    # Expect 10 queries: session, account, device (django-otp), focal-point lookup, the queue
    # and its five tag lists (species, sites, KMGBF targets, themes, co-owners). The menu's
    # roles and counts were kept by the first request (context_processors).
    with django_assert_num_queries(10):
        response = client.get(reverse("datasets:review_queue"))
    assert response.status_code == 200


def test_the_publication_page_refuses_its_own_uploader(client, focal_point_a, focal_point_a2):
    publication = _publication(focal_point_a)
    url = reverse("publications:review", args=[publication.pk])
    client.force_login(focal_point_a)
    assert (
        publication.title not in client.get(reverse("publications:review_queue")).content.decode()
    )
    assert client.post(url, {"decision": "approve"}).status_code == 404
    publication.refresh_from_db()
    assert publication.status == "submitted"

    client.force_login(focal_point_a2)
    assert client.post(url, {"decision": "approve"}).status_code == 302
    publication.refresh_from_db()
    assert publication.status == "published"


# --- API -----------------------------------------------------------------------------------


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_api_refuses_a_decision_on_ones_own_dataset(client, focal_point_a, secretariat):
    dataset = _submitted(focal_point_a)
    url = f"/api/v1/datasets/{dataset.pk}/review/"
    client.force_login(focal_point_a)
    refused = _post(client, url, {"decision": "approve"})
    assert refused.status_code == 403
    assert "Nobody decides on a dataset they uploaded" in refused.json()["detail"]
    assert _status(dataset) == "submitted"

    client.force_login(secretariat)
    approved = _post(client, url, {"decision": "approve"})
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "published"


def test_the_api_lets_another_focal_point_decide_and_co_owners_each(
    client, focal_point_a, focal_point_a2, focal_point_b
):
    dataset = _submitted(focal_point_a, co_owners=["MN"])
    url = f"/api/v1/datasets/{dataset.pk}/review/"
    client.force_login(focal_point_a2)
    assert _post(client, url, {"decision": "approve"}).json()["status"] == "submitted"
    client.force_login(focal_point_b)
    assert _post(client, url, {"decision": "approve"}).json()["status"] == "published"


def test_the_api_refuses_a_review_of_ones_own_publication(client, focal_point_a, secretariat):
    publication = _publication(focal_point_a)
    url = f"/api/v1/publications/{publication.pk}/review/"
    client.force_login(focal_point_a)
    refused = _post(client, url, {"decision": "approve"})
    assert refused.status_code == 403
    assert "Nobody reviews their own publication" in refused.json()["detail"]

    client.force_login(secretariat)
    assert _post(client, url, {"decision": "approve"}).json()["status"] == "published"


def test_a_researcher_uploader_is_still_refused_plainly(client, researcher_a):
    publication = _publication(researcher_a)
    client.force_login(researcher_a)
    refused = _post(
        client, f"/api/v1/publications/{publication.pk}/review/", {"decision": "approve"}
    )
    assert refused.status_code == 403
    assert "Nobody reviews" not in refused.json()["detail"]


def test_an_outsider_is_not_a_decider(client, focal_point_a):
    outsider = UserFactory(username="outsider", country_id="JP")
    dataset = _submitted(focal_point_a)
    assert policy.review_countries(outsider, dataset) == []
    assert not policy.datasets_to_review(outsider).exists()
