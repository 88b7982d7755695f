"""The dataset page and the API refuse the same input with the same message, under the same
field: each rule is stated once (``Dataset.clean``, ``datasets.services``,
``neaspec_portal.bounds``), and the form and the serializer only shape input."""

import json
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from datasets import services
from datasets.models import LIST_LIMITS, Dataset
from neaspec_portal.bounds import too_many_message
from species.models import Species

pytestmark = pytest.mark.django_db

PAGE = {
    "title": "Camera traps of Land of the Leopard",
    "method": "camera_traps",
    "licence": "CC-BY-4.0",
    "access_level": "restricted",
}
TOO_MANY_SPECIES = ["TIGER_AMUR"] * (LIST_LIMITS["species"] + 1)

CASES = [
    pytest.param(
        {"licence": "custom", "licence_terms": ""},
        "licence_terms",
        "Write the terms of the custom licence.",
        id="custom-licence-without-terms",
    ),
    pytest.param(
        {"temporal_start": "2024-06-30", "temporal_end": "2024-01-01"},
        "temporal_end",
        "The end of the coverage is before its start.",
        id="coverage-ends-before-it-starts",
    ),
    pytest.param(
        {"species": TOO_MANY_SPECIES},
        "species",
        too_many_message(LIST_LIMITS["species"]),
        id="too-many-species",
    ),
    pytest.param(
        {"co_owner_countries": ["CN", "JP", "MN", "RU", "KR", "CN"]},
        "co_owner_countries",
        too_many_message(LIST_LIMITS["co_owner_countries"]),
        id="too-many-co-owners",
    ),
    pytest.param(
        {"abstract": "x" * 10_001},
        "abstract",
        None,  # both say "at most 10000 characters", each in its framework's words
        id="abstract-too-long",
    ),
]


def _page_errors(client, values: dict) -> dict:
    response = client.post(reverse("datasets:create"), {**PAGE, **values})
    assert response.status_code == 200
    return response.context["form"].errors


def _api_errors(client, values: dict) -> dict:
    response = client.post(
        "/api/v1/datasets/", json.dumps({**PAGE, **values}), content_type="application/json"
    )
    assert response.status_code == 400, response.content
    return response.json()


@pytest.mark.parametrize(("values", "field", "message"), CASES)
def test_page_and_api_agree(client, researcher_a, values, field, message):
    client.force_login(researcher_a)
    page, api = _page_errors(client, values), _api_errors(client, values)
    if message is None:
        assert "10000" in page[field][0] and "10000" in api[field][0]
    else:
        assert page[field] == api[field] == [message]
    assert not Dataset.objects.exists()


def test_the_owner_country_cannot_co_own_on_the_page_or_in_the_api(client, researcher_a):
    client.force_login(researcher_a)
    values = {"co_owner_countries": ["KR"]}  # researcher A's own country
    message = "The owner country cannot also be a co-owner."
    assert message in _page_errors(client, values)["co_owner_countries"]
    assert _api_errors(client, values)["co_owner_countries"] == [message]
    assert not Dataset.objects.exists()


def test_a_dataset_with_200000_species_codes_is_refused_at_once(client, researcher_a):
    """It once took 275 s of lookups and was then created."""
    client.force_login(researcher_a)
    body = json.dumps({**PAGE, "species": ["TIGER_AMUR"] * 200_000})
    started = time.monotonic()
    response = client.post("/api/v1/datasets/", body, content_type="application/json")
    elapsed = time.monotonic() - started
    assert response.status_code == 400
    assert response.json()["species"] == [too_many_message(LIST_LIMITS["species"])]
    assert elapsed < 5, f"{elapsed:.1f} s"
    assert not Dataset.objects.exists()


def test_the_services_refuse_a_long_list_from_any_caller(researcher_a):
    with pytest.raises(ValidationError) as refused:
        services.dataset_create(actor=researcher_a, **PAGE, species=TOO_MANY_SPECIES)
    assert refused.value.message_dict["species"] == [too_many_message(LIST_LIMITS["species"])]


def _create_queries(client, species: list[str]) -> int:
    body = json.dumps({**PAGE, "species": species})
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/api/v1/datasets/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    return len(queries)


def test_the_species_codes_are_looked_up_in_one_query(client, researcher_a):
    client.force_login(researcher_a)
    codes = list(Species.objects.values_list("code", flat=True)[:5])
    assert len(codes) == 5
    assert _create_queries(client, codes) == _create_queries(client, codes[:1])


def test_an_unknown_code_is_named(client, researcher_a):
    client.force_login(researcher_a)
    body = json.dumps({**PAGE, "species": ["TIGER_AMUR", "NO_SUCH_CAT"]})
    response = client.post("/api/v1/datasets/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"species": ["Object with code=NO_SUCH_CAT does not exist."]}
