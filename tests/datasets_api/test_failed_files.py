"""A file that failed processing, on the page and in the API.

It blocks the submission of its dataset until it is removed or replaced, and it is not
offered for download as if it were data: only its uploader and the dataset's collaborators
may fetch it back; everyone else, reviewers included, gets no link and a 404.
"""

import pytest
from django.urls import reverse

from tests.factories import DataFileFactory, DatasetFactory, UserFactory

REFUSAL = "Remove or replace the files that could not be read: x.csv"
CONTRIBUTORS = {"uploader", "collaborator"}
#: Who may download the files of a restricted dataset under review (docs/access-policy.md).
INSIDERS = {*CONTRIBUTORS, "focal_point_a"}
PEOPLE = ["visitor", "researcher_b", "focal_point_b", "secretariat", *sorted(INSIDERS)]


def _sign_in(client, who, request, dataset):
    if who == "visitor":
        return
    users = {"uploader": dataset.uploader, "collaborator": dataset.collaborators.get()}
    client.force_login(users[who] if who in users else request.getfixturevalue(who))


def _dataset_with_a_failed_file(researcher_a, **fields):
    dataset = DatasetFactory(uploader=researcher_a, **fields)
    dataset.collaborators.add(UserFactory(username="collaborator", country_id="JP"))
    ready = DataFileFactory(dataset=dataset, original_name="stations.csv", state="ready")
    failed = DataFileFactory(
        dataset=dataset,
        original_name="x.csv",
        state="failed",
        error="The file is not a table the hub can read.",
    )
    return dataset, ready, failed


def test_a_failed_file_blocks_submission_on_the_page(client, researcher_a):
    dataset, _ready, failed = _dataset_with_a_failed_file(researcher_a, status="draft")
    client.force_login(researcher_a)
    response = client.post(reverse("datasets:submit", args=[dataset.pk]), follow=True)
    assert REFUSAL in response.content.decode()
    dataset.refresh_from_db()
    assert dataset.status == "draft"

    client.post(reverse("datasets:file_delete", args=[dataset.pk, failed.pk]))
    client.post(reverse("datasets:submit", args=[dataset.pk]))
    dataset.refresh_from_db()
    assert dataset.status == "submitted"


def test_a_collaborator_may_remove_the_uploaders_failed_file(client, researcher_a):
    dataset, _ready, failed = _dataset_with_a_failed_file(researcher_a, status="draft")
    client.force_login(dataset.collaborators.get())
    client.post(reverse("datasets:file_delete", args=[dataset.pk, failed.pk]))
    assert list(dataset.files.values_list("original_name", flat=True)) == ["stations.csv"]


def test_a_failed_file_blocks_submission_in_the_api(client, researcher_a):
    dataset, _ready, failed = _dataset_with_a_failed_file(researcher_a, status="draft")
    client.force_login(researcher_a)
    response = client.post(f"/api/v1/datasets/{dataset.pk}/submit/")
    assert response.status_code == 400
    assert response.json() == {"detail": [REFUSAL]}
    failed.delete()
    response = client.post(f"/api/v1/datasets/{dataset.pk}/submit/")
    assert response.json()["status"] == "submitted"


def test_a_file_still_being_read_makes_the_uploader_wait(client, researcher_a):
    dataset = DatasetFactory(uploader=researcher_a, status="draft")
    DataFileFactory(dataset=dataset, original_name="waiting.csv", state="pending")
    client.force_login(researcher_a)
    response = client.post(reverse("datasets:submit", args=[dataset.pk]), follow=True)
    assert "Wait until these files have been checked, then submit again: waiting.csv" in (
        response.content.decode()
    )
    response = client.post(f"/api/v1/datasets/{dataset.pk}/submit/")
    assert response.status_code == 400


@pytest.mark.parametrize("state", ["submitted", "published"])
@pytest.mark.parametrize("who", PEOPLE)
def test_a_failed_file_goes_only_to_those_who_uploaded_it(
    client, researcher_a, focal_point_a, who, state, request
):
    # A restricted dataset under review, or a public one already published (e.g. a file
    # read again after publication): the failed file's link and bytes reach no reviewer.
    level = "restricted" if state == "submitted" else "public"
    dataset, ready, failed = _dataset_with_a_failed_file(
        researcher_a, status=state, access_level=level
    )
    _sign_in(client, who, request, dataset)
    sees = state == "published" or who in INSIDERS or who == "secretariat"
    downloads = state == "published" or who in INSIDERS
    fetches_failed = who in CONTRIBUTORS

    page = client.get(dataset.get_absolute_url())
    assert page.status_code == (200 if sees else 404)
    if sees:
        content = page.content.decode()
        assert "x.csv" in content
        assert (ready.get_download_url() in content) is downloads
        assert (failed.get_download_url() in content) is fetches_failed
        files = client.get(f"/api/v1/datasets/{dataset.pk}/").json()["files"]
        urls = {item["name"]: item["download_url"] for item in files}
        assert (urls["stations.csv"] is not None) is downloads
        assert (urls["x.csv"] is not None) is fetches_failed
        assert urls["x.csv"] is None or urls["x.csv"].endswith(f"/files/{failed.pk}/download/")

    for url in [failed.get_download_url(), f"/api/v1/files/{failed.pk}/download/"]:
        assert client.get(url).status_code == (200 if fetches_failed else 404), url
    for url in [ready.get_download_url(), f"/api/v1/files/{ready.pk}/download/"]:
        assert client.get(url).status_code == (200 if downloads else 404), url


def test_the_files_own_uploader_may_fetch_it_back_wherever_the_dataset_allows(
    client, researcher_a, researcher_b, focal_point_b
):
    # researcher B uploaded the file as a collaborator, then left the dataset; the dataset
    # is public, so B may still fetch back that upload, but no other reader may.
    dataset, _ready, failed = _dataset_with_a_failed_file(researcher_a, access_level="public")
    failed.uploaded_by = researcher_b
    failed.save()
    client.force_login(researcher_b)
    assert client.get(failed.get_download_url()).status_code == 200
    client.force_login(focal_point_b)
    assert client.get(failed.get_download_url()).status_code == 404
