"""The datasets pages: browse, share, review, request access, grants, audit."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from access.models import AuditEvent
from datasets.models import DataFile, Dataset
from species.models import Site, Species
from tests.factories import DataFileFactory, DatasetFactory

FORM = {
    "title": "Camera traps of Land of the Leopard",
    "title_en": "",
    "abstract": "Stations along the border.",
    "method": "camera_traps",
    "temporal_start": "2024-01-01",
    "temporal_end": "2024-06-30",
    "licence": "CC-BY-4.0",
    "licence_terms": "",
    "access_level": "restricted",
    "citation": "",
    "contact_name": "",
    "contact_email": "",
}


def test_the_list_shows_published_datasets_only(client, researcher_a):
    published = DatasetFactory(uploader=researcher_a, title="Open tiger survey")
    DatasetFactory(uploader=researcher_a, title="Draft den survey", status="draft")
    DatasetFactory(uploader=researcher_a, title="Withdrawn survey", status="withdrawn")
    content = client.get(reverse("datasets:list")).content.decode()
    assert published.title in content
    assert "Draft den survey" not in content
    assert "Withdrawn survey" not in content


def test_the_list_filters_and_says_what_to_do_when_empty(client, researcher_a):
    DatasetFactory(uploader=researcher_a, method="bird_count", title="Crane count")
    response = client.get(reverse("datasets:list"), {"method": "telemetry"})
    assert "No datasets match these filters." in response.content.decode()
    response = client.get(reverse("datasets:list"), {"method": "bird_count", "year": "abc"})
    assert "Crane count" in response.content.decode()


@pytest.mark.parametrize("rows", [1, 12])
def test_the_list_costs_the_same_queries_for_any_number_of_rows(
    client, researcher_a, rows, django_assert_num_queries
):
    for number in range(rows):
        DatasetFactory(uploader=researcher_a, title=f"Survey {number}")
    # Expect 9 queries: the count, the page of datasets (owner joined, the download
    # decision in SQL), the species and co-owners of the cards drawn (none is kept yet), and
    # the filter form's species, sites, countries, KMGBF targets and themes. None per row.
    with django_assert_num_queries(9):
        response = client.get(reverse("datasets:list"))
    assert response.status_code == 200


def test_a_restricted_dataset_page_explains_who_may_download(client, researcher_a, researcher_b):
    dataset = DatasetFactory(uploader=researcher_a, access_level="restricted")
    DataFileFactory(dataset=dataset)
    content = client.get(dataset.get_absolute_url()).content.decode()
    assert "Restricted to Republic of Korea&#x27;s focal points and approved users." in content
    assert "Sign in to request access" in content
    assert "/download/" not in content
    client.force_login(researcher_b)
    content = client.get(dataset.get_absolute_url()).content.decode()
    assert "Request access" in content


@pytest.mark.parametrize("who", ["visitor", "researcher_b", "focal_point_b", "secretariat"])
def test_an_unpublished_dataset_is_404_for_outsiders(client, researcher_a, who, request):
    dataset = DatasetFactory(uploader=researcher_a, status="submitted")
    if who != "visitor":
        client.force_login(request.getfixturevalue(who))
    sees_metadata = who == "secretariat"
    assert client.get(dataset.get_absolute_url()).status_code == (200 if sees_metadata else 404)
    edit = client.get(reverse("datasets:edit", args=[dataset.pk])).status_code
    assert edit == (403 if sees_metadata else 302 if who == "visitor" else 404)


def test_the_whole_workflow_through_the_pages(
    client, researcher_a, focal_point_a, focal_point_b, django_capture_on_commit_callbacks
):
    client.force_login(researcher_a)
    response = client.post(reverse("datasets:create"), {**FORM, "co_owner_countries": ["MN"]})
    dataset = Dataset.objects.get(title=FORM["title"])
    assert response["Location"] == reverse("datasets:files", args=[dataset.pk])

    upload = SimpleUploadedFile("stations.csv", b"deploymentID,latitude\nd1,43.1\n")
    client.post(reverse("datasets:files", args=[dataset.pk]), {"files": [upload]})
    assert dataset.files.count() == 1
    dataset.files.update(state="ready")  # as the worker leaves it once read
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("datasets:submit", args=[dataset.pk]))
    dataset.refresh_from_db()
    assert dataset.status == "submitted"
    assert {m.to[0] for m in mail.outbox} >= {focal_point_a.email, focal_point_b.email}

    for focal_point in [focal_point_a, focal_point_b]:
        client.force_login(focal_point)
        queue = client.get(reverse("datasets:review_queue")).content.decode()
        assert dataset.title in queue
        client.post(reverse("datasets:review", args=[dataset.pk]), {"decision": "approve"})
    dataset.refresh_from_db()
    assert dataset.status == "published"

    client.logout()
    assert dataset.title in client.get(reverse("datasets:list")).content.decode()


def test_bad_input_is_explained_and_kept(client, researcher_a):
    client.force_login(researcher_a)
    form = {**FORM, "licence": "custom", "temporal_end": "2023-01-01", "title": "Kept title"}
    response = client.post(reverse("datasets:create"), form)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Write the terms of the custom licence." in errors["licence_terms"]
    assert "The end of the coverage is before its start." in errors["temporal_end"]
    assert 'value="Kept title"' in response.content.decode()


def test_pending_and_partner_accounts_cannot_share_datasets(client, pending, partner):
    for user in [pending, partner]:
        client.force_login(user)
        response = client.get(reverse("datasets:create"))
        assert response.status_code == 403
        assert "Only verified researchers of a member State" in response.content.decode()


def test_an_oversize_file_refuses_the_whole_upload(client, researcher_a, settings):
    settings.MAX_UPLOAD_SIZE = 100
    dataset = DatasetFactory(uploader=researcher_a, status="draft")
    client.force_login(researcher_a)
    response = client.post(
        reverse("datasets:files", args=[dataset.pk]),
        {
            "files": [
                SimpleUploadedFile("big.csv", b"x" * 500),
                SimpleUploadedFile("small.csv", b"a,b\n1,2\n"),
            ]
        },
        HTTP_ACCEPT="application/json",
    )
    body = response.json()
    assert response.status_code == 400
    assert body["added"] == []
    assert "largest file the hub accepts" in body["errors"][0]
    assert not DataFile.objects.exists()


def test_access_request_grant_download_and_revoke(
    client, researcher_a, researcher_b, focal_point_a, django_capture_on_commit_callbacks
):
    dataset = DatasetFactory(uploader=researcher_a, access_level="restricted")
    data_file = DataFileFactory(dataset=dataset)
    download = reverse("datasets:download", args=[data_file.pk])
    client.force_login(researcher_b)
    assert client.get(download).status_code == 404
    until = (timezone.localdate() + timedelta(days=30)).isoformat()
    client.post(
        reverse("datasets:request_access", args=[dataset.pk]),
        {"purpose": "Joint estimate", "intended_use": "", "wanted_until": until},
    )
    access_request = dataset.access_requests.get()

    client.force_login(focal_point_a)
    assert "Joint estimate" in client.get(reverse("datasets:access_requests")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("datasets:access_request_decide", args=[access_request.pk]),
            {"decision": "grant", "until": until},
        )
    assert mail.outbox[-1].to == [researcher_b.email]

    client.force_login(researcher_b)
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"station")
    assert AuditEvent.objects.filter(action="file.download", actor=researcher_b).exists()

    client.force_login(focal_point_a)
    grant = dataset.grants.get()
    client.post(reverse("datasets:grant_revoke", args=[grant.pk]))
    client.force_login(researcher_b)
    assert client.get(download).status_code == 404


def test_production_downloads_go_through_nginx(
    client, researcher_a, settings, django_assert_num_queries
):
    settings.PROTECTED_DOWNLOADS = "accel"
    dataset = DatasetFactory(uploader=researcher_a, access_level="public")
    data_file = DataFileFactory(dataset=dataset, original_name='../../etc/pass"wd\r\n.csv')
    # Expect 5 queries: the file with its dataset and the policy's answer in one, then
    # the count and the audit row in one transaction (its savepoint and release, in a test).
    with django_assert_num_queries(5):
        response = client.get(reverse("datasets:download", args=[data_file.pk]))
    assert response["X-Accel-Redirect"] == "/protected/" + data_file.file.name
    assert response.content == b""
    assert "\n" not in response["Content-Disposition"]
    assert '"' not in response["Content-Disposition"].split("filename=")[1].split(";")[0][1:-1]


@pytest.mark.parametrize(
    "url_name",
    ["datasets:review_queue", "datasets:access_requests", "datasets:grants", "datasets:audit"],
)
def test_focal_point_pages_are_404_for_researchers(client, researcher_b, url_name):
    client.force_login(researcher_b)
    assert client.get(reverse(url_name)).status_code == 404


def test_withdrawal_needs_the_owner_focal_point(client, researcher_a, focal_point_a, focal_point_b):
    dataset = DatasetFactory(uploader=researcher_a, access_level="public")
    client.force_login(focal_point_b)
    client.post(reverse("datasets:withdraw", args=[dataset.pk]), {"reason": "no"})
    dataset.refresh_from_db()
    assert dataset.status == "published"
    client.force_login(focal_point_a)
    client.post(reverse("datasets:withdraw", args=[dataset.pk]), {"reason": "Poaching risk"})
    dataset.refresh_from_db()
    assert dataset.status == "withdrawn"


def test_the_audit_log_shows_each_country_its_own(
    client, researcher_a, focal_point_a, focal_point_b
):
    dataset = DatasetFactory(uploader=researcher_a, access_level="public")
    data_file = DataFileFactory(dataset=dataset)
    client.get(reverse("datasets:download", args=[data_file.pk]))
    client.force_login(focal_point_a)
    assert "file.download" in client.get(reverse("datasets:audit")).content.decode()
    client.force_login(focal_point_b)
    assert "file.download" not in client.get(reverse("datasets:audit")).content.decode()


def test_file_states_are_polled_under_the_policy(client, researcher_a, researcher_b):
    dataset = DatasetFactory(uploader=researcher_a, status="draft")
    data_file = DataFileFactory(dataset=dataset)
    url = reverse("datasets:file_states", args=[dataset.pk])
    client.force_login(researcher_b)
    assert client.get(url).status_code == 404
    client.force_login(researcher_a)
    assert client.get(url).json()["files"] == [
        {"id": data_file.pk, "state": "pending", "label": "Pending", "error": "", "problems": []}
    ]


@pytest.mark.django_db
def test_a_dataset_with_several_tags_is_listed_once_under_each_filter(client, researcher_a):
    dataset = DatasetFactory(uploader=researcher_a, access_level="public", co_owners=["MN", "RU"])
    dataset.species.set(Species.objects.filter(code__in=["TIGER_AMUR", "LEOPARD_AMUR"]))
    dataset.sites.set(Site.objects.all()[:3])
    DatasetFactory(uploader=researcher_a, access_level="public", title="Untagged")
    site = dataset.sites.first()
    for params in ({}, {"species": "TIGER_AMUR"}, {"site": site.code}, {"country": "MN"}):
        listed = [item["id"] for item in client.get("/api/v1/datasets/", params).json()["results"]]
        expected = [dataset.pk] if params else sorted(listed)
        assert listed.count(dataset.pk) == 1, params
        if params:
            assert listed == expected, params
    assert client.get("/data/", {"country": "RU"}).content.decode().count(dataset.title) == 1
