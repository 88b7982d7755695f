"""Best practices: guidelines, protocols and case studies, and datasets following a protocol.

The library filters best practices; a dataset names the monitoring protocols it follows
(page form, API), its page links them, and a protocol's page lists the datasets following
it — each reader sees only the protocols and datasets the policy shows them.
"""

import pytest

from datasets.models import Dataset
from publications.models import DatasetProtocol, Publication
from tests.factories import DatasetFactory

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


def _publication(uploader, type_, title, *, status="published"):
    return Publication.objects.create(
        type=type_,
        title=title,
        year=2024,
        language="en",
        visibility="public",
        status=status,
        uploader=uploader,
        owner_country_id=uploader.country_id,
    )


@pytest.fixture
def library(db, secretariat):
    return {
        type_: _publication(secretariat, type_, title)
        for type_, title in [
            ("guideline", "Guideline for snow leopard surveys"),
            ("protocol", "Camera-trap protocol for Amur tigers"),
            ("case_study", "Case study: crane roosts in Mongolia"),
            ("report", "Annual report 2024"),
        ]
    }


def test_the_library_filters_best_practices(client, library):
    page = client.get("/library/?best_practices=1").content.decode()
    assert "Guideline for snow leopard surveys" in page
    assert "Camera-trap protocol for Amur tigers" in page
    assert "Case study: crane roosts" in page
    assert "Annual report 2024" not in page
    assert '<h1 class="h2 mb-1">Best practices</h1>' in page
    everything = client.get("/library/").content.decode()
    assert "Annual report 2024" in everything and 'href="/library/?best_practices=1"' in everything


def test_the_api_filters_best_practices_and_refuses_a_bad_value(client, library):
    response = client.get("/api/v1/publications/", {"best_practices": "1"})
    titles = {row["title"] for row in response.json()["results"]}
    assert titles == {
        "Guideline for snow leopard surveys",
        "Camera-trap protocol for Amur tigers",
        "Case study: crane roosts in Mongolia",
    }
    assert client.get("/api/v1/publications/", {"type": "protocol"}).json()["count"] == 1
    response = client.get("/api/v1/publications/", {"best_practices": "maybe"})
    assert response.status_code == 400 and "best_practices" in response.json()


def test_a_dataset_follows_a_protocol_through_the_api(client, library, researcher_a):
    protocol = library["protocol"]
    client.force_login(researcher_a)
    body = {"title": "Tracks", "method": "camera_traps", "licence": "CC0-1.0"}
    response = client.post(
        "/api/v1/datasets/",
        {**body, "protocols": [protocol.pk]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["protocols"] == [protocol.pk]
    dataset = Dataset.objects.get(pk=response.json()["id"])
    assert list(dataset.protocols.all()) == [protocol]
    response = client.patch(
        f"/api/v1/datasets/{dataset.pk}/", {"protocols": []}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["protocols"] == []
    assert not DatasetProtocol.objects.exists()


@pytest.mark.parametrize("which", ["report", "hidden", "missing"])
def test_only_a_visible_protocol_can_be_followed(
    client, library, researcher_a, researcher_b, which
):
    hidden = _publication(researcher_b, "protocol", "Draft protocol", status="submitted")
    chosen = {"report": library["report"].pk, "hidden": hidden.pk, "missing": 999_999}[which]
    client.force_login(researcher_a)
    response = client.post(
        "/api/v1/datasets/",
        {"title": "Tracks", "method": "camera_traps", "licence": "CC0-1.0", "protocols": [chosen]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "protocol" in response.json()["protocols"][0]
    assert not Dataset.objects.exists()


def test_the_page_form_attaches_a_protocol(client, library, researcher_a):
    protocol = library["protocol"]
    client.force_login(researcher_a)
    form_page = client.get("/data/new/").content.decode()
    assert "Monitoring protocols followed" in form_page and protocol.title in form_page
    assert "Annual report 2024" not in form_page
    response = client.post("/data/new/", {**FORM, "protocols": [str(protocol.pk)]})
    assert response.status_code == 302
    dataset = Dataset.objects.get()
    assert list(dataset.protocols.all()) == [protocol]
    page = client.get(f"/data/{dataset.pk}/").content.decode()
    assert "Monitoring protocol" in page and protocol.get_absolute_url() in page
    edit = client.get(f"/data/{dataset.pk}/edit/").content.decode()
    assert f'<option value="{protocol.pk}" selected>' in edit


def test_the_protocol_page_lists_the_datasets_following_it_through_the_policy(
    client, library, researcher_a, researcher_b
):
    protocol = library["protocol"]
    published = DatasetFactory(uploader=researcher_a, title="Published tiger survey")
    draft = DatasetFactory(uploader=researcher_a, title="Draft den survey", status="draft")
    for dataset in (published, draft):
        DatasetProtocol.objects.create(protocol=protocol, dataset=dataset)
    for user in (None, researcher_b, researcher_a):
        if user is not None:
            client.force_login(user)
        page = client.get(protocol.get_absolute_url()).content.decode()
        assert "Datasets following this protocol" in page
        assert "Published tiger survey" in page
        assert "Draft den survey" not in page
    report = client.get(library["report"].get_absolute_url()).content.decode()
    assert "Datasets following this protocol" not in report


def test_a_hidden_protocol_is_not_shown_on_the_dataset_page(client, db, researcher_a, researcher_b):
    waiting = _publication(researcher_a, "protocol", "Protocol awaiting review", status="submitted")
    dataset = DatasetFactory(uploader=researcher_a)
    DatasetProtocol.objects.create(protocol=waiting, dataset=dataset)
    client.force_login(researcher_b)
    assert "Protocol awaiting review" not in client.get(f"/data/{dataset.pk}/").content.decode()
    assert client.get(f"/api/v1/datasets/{dataset.pk}/").json()["protocols"] == []
    shown = _api_list_protocols(client)
    assert shown == {dataset.pk: []}
    client.force_login(researcher_a)
    assert "Protocol awaiting review" in client.get(f"/data/{dataset.pk}/").content.decode()
    # The list reads them in its own query, the record through a prefetch: the same ids.
    assert client.get(f"/api/v1/datasets/{dataset.pk}/").json()["protocols"] == [waiting.pk]
    assert _api_list_protocols(client) == {dataset.pk: [waiting.pk]}


def _api_list_protocols(client) -> dict[int, list[int]]:
    rows = client.get("/api/v1/datasets/").json()["results"]
    return {row["id"]: row["protocols"] for row in rows}


def test_a_new_version_follows_the_same_protocols(client, library, researcher_a):
    dataset = DatasetFactory(uploader=researcher_a)
    DatasetProtocol.objects.create(protocol=library["protocol"], dataset=dataset)
    client.force_login(researcher_a)
    response = client.post(
        f"/api/v1/datasets/{dataset.pk}/versions/", {}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["protocols"] == [library["protocol"].pk]


def test_each_reader_lists_the_protocols_their_record_shows(
    client, db, researcher_a, researcher_b, focal_point_a, focal_point_b, secretariat
):
    """The API list keeps its protocols' SQL per reader (``policy.visible_protocol_ids``):
    read one after the other in one process, every reader's list agrees with their record,
    which asks ``visible_publications`` afresh."""
    published = _publication(researcher_b, "protocol", "Published protocol")
    waiting_a = _publication(researcher_a, "protocol", "A's protocol", status="submitted")
    waiting_b = _publication(researcher_b, "protocol", "B's protocol", status="submitted")
    dataset = DatasetFactory(uploader=researcher_a)
    for protocol in (published, waiting_a, waiting_b):
        DatasetProtocol.objects.create(protocol=protocol, dataset=dataset)
    readers = [None, researcher_a, researcher_b, focal_point_a, focal_point_b, secretariat]
    seen = {}
    for _round in range(2):  # compiled the first time, kept the second
        for reader in readers:
            client.logout()
            if reader is not None:
                client.force_login(reader)
            record = client.get(f"/api/v1/datasets/{dataset.pk}/").json()["protocols"]
            assert _api_list_protocols(client)[dataset.pk] == record
            seen[getattr(reader, "username", "visitor")] = set(record)
    assert seen["visitor"] == {published.pk}
    assert seen[researcher_a.username] == {published.pk, waiting_a.pk}
    assert seen[researcher_b.username] == {published.pk, waiting_b.pk}
    assert seen[secretariat.username] == {published.pk, waiting_a.pk, waiting_b.pk}
