"""The dataset list's side filters show what ``neaspec_portal.params`` read, and parse
nothing of their own: an invalid value is ignored, as the API would name it."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_filters_show_the_values_read(client):
    response = client.get(reverse("datasets:list"), {"year": "2023", "country": "kr", "q": "tiger"})
    form = response.context["form"]
    assert not form.is_bound
    assert (form["year"].value(), form["country"].value(), form["q"].value()) == (
        2023,
        "KR",
        "tiger",
    )


@pytest.mark.parametrize("year", ["²⁰²³", "1e3", "-1", "20233"])
def test_an_invalid_value_is_ignored_on_the_page_and_named_by_the_api(client, year):
    page = client.get(reverse("datasets:list"), {"year": year})
    assert page.status_code == 200
    assert page.context["form"]["year"].value() is None
    assert "Give a whole number" not in page.content.decode()
    api = client.get("/api/v1/datasets/", {"year": year})
    assert api.status_code == 400
    assert api.json() == {"year": ["Give a whole number from 1900 to 2100."]}
