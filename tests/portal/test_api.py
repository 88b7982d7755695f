import pytest

from accounts.models import ApiToken
from accounts.tokens import key_digest
from tests.two_factor import totp_code


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/species/",
        "/api/v1/species/TIGER_AMUR/",
        "/api/v1/sites/",
        "/api/v1/sites/JP_IZUMI/",
        "/api/v1/countries/",
        "/api/v1/countries/MN/",
        "/api/v1/schema/",
        "/api/v1/docs/",
    ],
)
def test_it_answers_every_read_endpoint_for_a_visitor(client, url):
    assert client.get(url).status_code == 200


def test_the_species_endpoint_lists_the_flagship_species(client):
    body = client.get("/api/v1/species/").json()
    assert body["count"] == 6
    tiger = next(item for item in body["results"] if item["code"] == "TIGER_AMUR")
    assert tiger["name_zh"] == "东北虎"
    assert tiger["sensitivity"] == "2"


def test_the_sites_endpoint_filters_by_country(client):
    body = client.get("/api/v1/sites/", {"country": "JP"}).json()
    assert [site["code"] for site in body["results"]] == ["JP_IZUMI"]
    assert body["results"][0]["countries"] == ["JP"]


def test_the_sites_list_costs_a_fixed_number_of_queries(client, django_assert_num_queries):
    # Expect 4 queries: the count, the page of sites, their countries, their species.
    with django_assert_num_queries(4):
        assert client.get("/api/v1/sites/").json()["count"] == 25


def test_a_token_from_username_and_password_authenticates(client, focal_point_a, password):
    response = client.post(
        "/api/v1/auth/token/",
        {"username": "focal-a", "password": password, "otp": totp_code(focal_point_a)},
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert ApiToken.objects.get(user=focal_point_a).digest == key_digest(token)

    me = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.status_code == 200
    assert me.json()["username"] == "focal-a"
    assert me.json()["focal_point_for"] == ["KR"]


def test_me_refuses_a_visitor_and_a_bad_token(client):
    assert client.get("/api/v1/me/").status_code in (401, 403)
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION="Token nonsense").status_code == 401


def test_me_shows_a_pending_account_as_pending_without_roles(client, pending):
    client.force_login(pending)
    body = client.get("/api/v1/me/").json()
    assert body["status"] == "pending"
    assert body["focal_point_for"] == []


def test_the_schema_documents_the_token_endpoint(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    assert "/api/v1/auth/token/" in schema["paths"]
    assert "/api/v1/species/" in schema["paths"]


def test_the_docs_page_loads_swagger_from_the_portal_not_a_cdn(client):
    content = client.get("/api/v1/docs/").content.decode()
    assert "swagger-ui" in content
    assert "cdn." not in content
    assert "/static/drf_spectacular_sidecar/" in content
