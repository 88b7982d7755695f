"""The API root lists every resource; every list reads exactly the filters its schema
documents, and refuses any other query parameter with a 400 naming the accepted ones."""

import pytest
from django.urls import reverse

from neaspec_portal.api_params import api_schema
from tests.factories import DatasetFactory

ROOT = "/api/v1/"


def _get_operations():
    schema, _endpoints = api_schema()
    return [
        (path, operation)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if method == "get"
    ]


LIST_OPERATIONS = [(path, op) for path, op in _get_operations() if "{" not in path]


def test_the_root_lists_every_resource_of_the_schema(client):
    response = client.get(ROOT, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    listed = set(response.json().values())
    for path, _operation in _get_operations():
        if "{" not in path:
            assert "http://testserver" + path in listed, path
    for name in ["species", "sites", "countries", "datasets", "publications", "events", "search"]:
        assert response.json()[name] == f"http://testserver{ROOT}{name}/"
    assert response.json()["schema"] == "http://testserver" + reverse("api:schema")


def test_every_documented_query_parameter_has_a_type():
    for path, operation in _get_operations():
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query":
                assert parameter["schema"].get("type"), (path, parameter["name"])


def test_the_lists_document_their_filters():
    documented = {
        path: {p["name"] for p in op.get("parameters", []) if p["in"] == "query"}
        for path, op in LIST_OPERATIONS
    }
    assert {"q", "species", "country", "mine", "year", "page"} <= documented[f"{ROOT}datasets/"]
    assert {"q", "species", "country", "page"} <= documented[f"{ROOT}search/"]
    assert {"species", "country", "mine", "page"} <= documented[f"{ROOT}publications/"]


@pytest.mark.parametrize("path, operation", LIST_OPERATIONS, ids=[p for p, _ in LIST_OPERATIONS])
def test_every_list_refuses_an_unknown_parameter_naming_the_accepted_ones(
    client, researcher_a, path, operation
):
    client.force_login(researcher_a)
    response = client.get(path, {"no_such_filter": "1"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400, path
    message = response.json()["no_such_filter"][0]
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "query":
            assert parameter["name"] in message, (path, parameter["name"])
    assert "format" in message


def test_a_search_parameter_that_is_not_a_filter_is_refused(client, researcher_a):
    DatasetFactory(uploader=researcher_a, access_level="public")
    response = client.get(f"{ROOT}datasets/", {"search": "crane"})
    assert response.status_code == 400
    assert "q," in response.json()["search"][0]
    assert client.get(f"{ROOT}datasets/", {"q": "crane", "format": "json"}).status_code == 200
    assert client.get(f"{ROOT}datasets/", {"page": "1"}).status_code == 200


def test_pages_and_the_documentation_ignore_unknown_parameters(client):
    assert client.get(reverse("datasets:list"), {"utm_source": "x"}).status_code == 200
    assert client.get(reverse("api:docs"), {"utm_source": "x"}).status_code == 200
