"""Visitor list pages served from the cache: fresh after every change, never to accounts."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from datasets import services
from datasets.models import Dataset
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
    # "· Amur tiger" is the card's species line; the filter lists the name without the dot.
    assert "· Amur tiger" not in client.get("/data/").content.decode()
    dataset.species.set([Species.objects.get(code="TIGER_AMUR")])
    assert "· Amur tiger" in client.get("/data/").content.decode()


@pytest.mark.parametrize("query", [{"species": "TIGER_AMUR"}, {"q": "tiger"}, {"page": "51"}])
def test_filtered_and_far_pages_are_rendered_each_time(query, client, researcher_a):
    DatasetFactory(uploader=researcher_a)
    client.get("/data/", query)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/data/", query).status_code == 200
    assert len(queries) > 0


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


def test_a_page_holding_a_csrf_token_is_not_kept(rf, db):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.db import connection
    from django.http import HttpResponse
    from django.middleware.csrf import get_token
    from django.test.utils import CaptureQueriesContext

    from neaspec_portal.page_cache import visitor_page

    rendered = []

    @visitor_page
    def view(request):
        rendered.append(request)
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        token = get_token(request) if request.GET.get("form") else ""
        return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{token}">' if token else "x")

    def get(query):
        request = rf.get("/list/", query)
        request.user = AnonymousUser()
        request.session = {}
        request._messages = FallbackStorage(request)
        return view(request)

    for _ in range(2):
        get({"form": "1"})
    assert len(rendered) == 2
    for _ in range(2):
        get({})
    assert len(rendered) == 3
    with CaptureQueriesContext(connection) as queries:
        get({})
    assert len(queries) == 0


@pytest.mark.parametrize("url", LISTS)
def test_a_kept_page_answered_early_carries_the_same_headers(url, client, db):
    first = client.get(url)
    kept = client.get(url)  # stores the headers with the page
    early = client.get(url)  # answered by the middleware, before the rest
    assert hasattr(first, "kept_for_visitors") and not hasattr(early, "kept_for_visitors")
    for response in (kept, early):
        assert response.content == first.content
        for header in ("X-Frame-Options", "Content-Security-Policy", "Content-Type"):
            assert response.headers.get(header) == first.headers.get(header), header


def test_a_visitor_with_a_message_waiting_gets_the_page_drawn(client, rf, db):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage

    for _ in range(3):
        client.get("/data/")  # kept, and kept with its headers
    storage = CookieStorage(rf.get("/"))
    client.cookies["messages"] = storage._encode([Message(constants.INFO, "Signed out.")])
    assert "Signed out." in client.get("/data/").content.decode()


def test_a_process_copy_is_dropped_as_soon_as_the_content_changes(
    client, researcher_a, focal_point_a
):
    dataset = DatasetFactory(uploader=researcher_a, title="Lazovsky camera grid")
    for _ in range(3):  # drawn and kept, then answered from the process's copy
        page = client.get("/data/")
    assert not hasattr(page, "kept_for_visitors")
    assert "Lazovsky camera grid" in page.content.decode()
    services.dataset_withdraw(actor=focal_point_a, dataset=dataset, reason="Duplicate upload")
    assert "Lazovsky camera grid" not in client.get("/data/").content.decode()


def test_a_process_copy_lasts_no_longer_than_the_shared_one(rf, db):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.core.cache import cache
    from django.http import HttpResponse

    from neaspec_portal.page_cache import VisitorPageMiddleware, _visitor_key, visitor_page

    drawn = []

    @visitor_page
    def view(request):
        drawn.append(request)
        return HttpResponse("the list")

    def get_response(request):
        request.user = AnonymousUser()
        request.session = {}
        request._messages = FallbackStorage(request)
        return view(request)

    middleware = VisitorPageMiddleware(get_response)
    for _ in range(3):
        assert middleware(rf.get("/list/")).content == b"the list"
    assert len(drawn) == 1  # the others came from the process's copy
    key = _visitor_key(rf.get("/list/"))
    *stamp, _deadline = middleware.local[key]
    middleware.local[key] = (*stamp, 0.0)  # its deadline has passed
    cache.delete(key)  # and so has the shared copy's
    assert middleware(rf.get("/list/")).content == b"the list"
    assert len(drawn) == 2


def test_the_kept_count_of_the_list_follows_a_withdrawal_and_a_publication_at_once(
    client, researcher_a, researcher_b, focal_point_a
):
    first, _second = (DatasetFactory(uploader=researcher_a) for _ in range(2))
    reader = Client()
    reader.force_login(researcher_b)
    for browser in (client, reader):
        assert "2 datasets" in browser.get("/data/").content.decode()
    services.dataset_withdraw(actor=focal_point_a, dataset=first, reason="Duplicate upload")
    for browser in (client, reader):
        assert "1 dataset<" in browser.get("/data/").content.decode()
    DatasetFactory(uploader=researcher_a, status="published")
    for browser in (client, reader):
        assert "2 datasets" in browser.get("/data/").content.decode()


def test_the_api_lists_count_follows_a_withdrawal_and_a_publication_at_once(
    client, researcher_a, researcher_b, focal_point_a
):
    """The API's unfiltered list keeps its count under the page's name: both change at once."""
    first, _second = (DatasetFactory(uploader=researcher_a) for _ in range(2))
    reader = Client()
    reader.force_login(researcher_b)

    def counts() -> set[int]:
        return {browser.get("/api/v1/datasets/").json()["count"] for browser in (client, reader)}

    assert counts() == {2}
    assert "2 datasets" in client.get("/data/").content.decode()
    services.dataset_withdraw(actor=focal_point_a, dataset=first, reason="Duplicate upload")
    assert counts() == {1}
    DatasetFactory(uploader=researcher_a, status="published")
    assert counts() == {2}
    # A filtered list is counted, never kept.
    filtered = client.get("/api/v1/datasets/", {"method": first.method}).json()
    assert (
        filtered["count"]
        == Dataset.objects.filter(
            status="published", superseded_at=None, method=first.method
        ).count()
    )
