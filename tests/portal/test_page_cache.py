"""Visitor list pages served from the cache: fresh after every change, never to accounts."""

import re

import pytest
from django.test import Client

from datasets import services
from tests.factories import DatasetFactory

LISTS = ["/data/", "/library/", "/library/events/"]


@pytest.mark.parametrize("url", LISTS)
def test_it_serves_a_visitor_the_second_time_without_a_query(
    url, client, db, django_assert_num_queries
):
    first = client.get(url, {"page": "1"})
    # Expect 0 queries: the page comes from the cache, and a visitor has no session.
    with django_assert_num_queries(0):
        second = client.get(url, {"page": "1"})
    assert second.status_code == 200
    assert _without_token(second.content.decode()) == _without_token(first.content.decode())


def _without_token(html: str) -> str:
    # The CSRF token differs between responses; it is the only thing that may.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "TOKEN", html)


def test_a_withdrawn_dataset_leaves_the_cached_list_at_once(client, researcher_a, focal_point_a):
    dataset = DatasetFactory(uploader=researcher_a, title="Kedrovaya Pad transects")
    assert "Kedrovaya Pad transects" in client.get("/data/").content.decode()
    services.dataset_withdraw(actor=focal_point_a, dataset=dataset, reason="Duplicate upload")
    assert "Kedrovaya Pad transects" not in client.get("/data/").content.decode()


def test_a_new_tag_shows_on_the_cached_list(client, researcher_a):
    from species.models import Species

    dataset = DatasetFactory(uploader=researcher_a, title="Hunchun transects")
    tiger = {"species": "TIGER_AMUR"}
    assert "Hunchun transects" not in client.get("/data/", tiger).content.decode()
    dataset.species.set([Species.objects.get(code="TIGER_AMUR")])
    assert "Hunchun transects" in client.get("/data/", tiger).content.decode()


def test_an_account_never_gets_the_visitors_page(client, researcher_a):
    DatasetFactory(uploader=researcher_a, title="Ussuri survey")
    visitor_page = client.get("/data/").content.decode()
    assert "Sign in" in visitor_page
    client.force_login(researcher_a)
    page = client.get("/data/").content.decode()
    assert "Sign in" not in page and "My datasets" in page


def test_each_language_is_cached_apart(client, db):
    assert 'lang="en"' in client.get("/library/").content.decode()
    client.cookies["django_language"] = "ru"
    assert '<html lang="ru"' in client.get("/library/").content.decode()


def test_the_cached_page_carries_a_csrf_token_good_for_its_own_visitor(db):
    Client().get("/library/")
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/library/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    answer = visitor.post(
        "/i18n/setlang/", {"language": "ja", "next": "/library/", "csrfmiddlewaretoken": token}
    )
    assert answer.status_code == 302
    assert '<html lang="ja"' in visitor.get("/library/").content.decode()
