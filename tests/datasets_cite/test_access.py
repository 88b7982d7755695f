"""Who may cite which dataset version, through the API and the page, and what it costs."""

import pytest

from tests.factories import DatasetFactory, UserFactory

STYLES = ["text", "bibtex", "ris", "csl-json", "datacite"]


@pytest.fixture
def draft(researcher_a):
    return DatasetFactory(uploader=researcher_a, status="draft", published_at=None)


@pytest.mark.parametrize("style", STYLES)
def test_it_hides_an_unpublished_dataset_from_outsiders(client, draft, researcher_b, style):
    assert client.get(f"/api/v1/datasets/{draft.pk}/cite/", {"format": style}).status_code == 404
    client.force_login(researcher_b)
    assert client.get(f"/api/v1/datasets/{draft.pk}/cite/", {"format": style}).status_code == 404
    assert client.get(f"/data/{draft.pk}/cite/{style}/").status_code == 404


def test_the_owner_side_cites_its_draft(client, draft, researcher_a, focal_point_a):
    for user in (researcher_a, focal_point_a):
        client.force_login(user)
        response = client.get(f"/api/v1/datasets/{draft.pk}/cite/", {"format": "ris"})
        assert response.status_code == 200
        assert "TY  - DATA" in response.content.decode()


def test_a_missing_dataset_answers_404_like_a_forbidden_one(client):
    assert client.get("/api/v1/datasets/999999/cite/").status_code == 404


def test_an_unknown_format_is_a_400_naming_the_accepted_ones(client, researcher_a):
    dataset = DatasetFactory(uploader=researcher_a)
    response = client.get(f"/api/v1/datasets/{dataset.pk}/cite/", {"format": "endnote"})
    assert response.status_code == 400
    message = response.content.decode()
    for style in STYLES:
        assert style in message


def test_text_is_the_default_format(client, researcher_a):
    dataset = DatasetFactory(uploader=researcher_a)
    response = client.get(f"/api/v1/datasets/{dataset.pk}/cite/")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "NEASPEC Knowledge Hub. Dataset." in response.content.decode()


def test_citing_costs_a_fixed_number_of_queries(client, researcher_a, django_assert_num_queries):
    dataset = DatasetFactory(uploader=researcher_a)
    dataset.collaborators.set([UserFactory(country_id="MN") for _ in range(5)])
    # Expect 4 queries: the dataset (with its uploader) through the policy, the uploader's
    # country, the collaborators with their countries, the species. None per collaborator.
    with django_assert_num_queries(4):
        response = client.get(f"/api/v1/datasets/{dataset.pk}/cite/", {"format": "datacite"})
    assert response.status_code == 200


def test_the_dataset_page_has_a_cite_block(client, researcher_a):
    dataset = DatasetFactory(uploader=researcher_a, version=3)
    page = client.get(f"/data/{dataset.pk}/").content.decode()
    assert "Cite this version" in page
    assert "Version 3. NEASPEC Knowledge Hub. Dataset. http://" in page
    for style in STYLES:
        assert f'href="/data/{dataset.pk}/cite/{style}/"' in page
    download = client.get(f"/data/{dataset.pk}/cite/bibtex/")
    assert download["Content-Disposition"] == (
        f'attachment; filename="neaspec-dataset-{dataset.pk}-v3.bib"'
    )
    assert download.content.decode().startswith("@misc{neaspec_dataset_")
    assert client.get(f"/data/{dataset.pk}/cite/endnote/").status_code == 404


@pytest.mark.parametrize("collaborators", [0, 6])
def test_the_dataset_page_cites_without_a_query_per_creator(
    client, researcher_a, collaborators, django_assert_num_queries
):
    dataset = DatasetFactory(uploader=researcher_a)
    dataset.collaborators.set([UserFactory(country_id="MN") for _ in range(collaborators)])
    # Expect 18 queries for a visitor: the dataset through the policy; species, sites, KMGBF
    # targets, themes, co-owners, collaborators (with their countries), files, decisions and the
    # monitoring protocols the reader may see prefetched; the uploader's country, which the citation
    # names; the series' versions; the profile, counts and JSON-LD parts that
    # tests/datasets_preview/test_profile_page.py lists. The same with six collaborators.
    with django_assert_num_queries(18):
        assert client.get(f"/data/{dataset.pk}/").status_code == 200
    client.force_login(researcher_a)
    # Expect 24 for the uploader: the session, the account and its focal-point countries,
    # the same 18, the uploader's own pending access request, and the usage table by month
    # and country (the counts grouped, the title).
    with django_assert_num_queries(24):
        assert client.get(f"/data/{dataset.pk}/").status_code == 200
