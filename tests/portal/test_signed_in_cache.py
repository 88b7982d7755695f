"""Signed-in list pages and the menu kept per account: every change shows at once.

Each cache (``access.page_cache`` for the list pages, ``neaspec_portal.context_processors``
for the menu's roles and counts) is shown a grant, a revocation, a withdrawal and a change
of language, and the list page also the lapse of a grant, which no write announces.
"""

import time
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from access import policy
from accounts.services import account_verify
from datasets import services
from datasets.models import AccessGrant
from tests.factories import DatasetFactory

LISTS = ["/data/", "/library/", "/library/events/"]
CAN_DOWNLOAD = "You can download"


def _page(client, url: str = "/data/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _kept(client, url: str = "/data/") -> str:
    """Return the page once it is kept: the first visit sets the CSRF cookie (not kept)."""
    _page(client, url)
    return _page(client, url)


def _ask_and_grant(requester, dataset, focal_point) -> AccessGrant:
    access_request = services.access_request_create(
        actor=requester,
        dataset=dataset,
        purpose="Population estimate of the Amur tiger",
        intended_use="A joint paper",
        wanted_until=date.today() + timedelta(days=30),
    )
    return services.access_request_grant(actor=focal_point, access_request=access_request)


@pytest.fixture
def restricted(researcher_a):
    return DatasetFactory(uploader=researcher_a, title="Hunchun collars", access_level="restricted")


@pytest.mark.parametrize("url", LISTS)
def test_a_kept_page_costs_the_same_few_queries_whatever_the_list(
    url, client, researcher_b, django_assert_num_queries
):
    DatasetFactory.create_batch(3, uploader=DatasetFactory().uploader)
    client.force_login(researcher_b)
    first = _kept(client, url)
    # Expect 3 queries: the session, the account, and its focal-point roles (for the
    # second-factor check); the page itself comes from the cache.
    with django_assert_num_queries(3):
        second = _page(client, url)
    assert second == first


def test_a_grant_and_its_revocation_show_at_once(client, researcher_b, focal_point_a, restricted):
    client.force_login(researcher_b)
    assert "Hunchun collars" in _kept(client) and CAN_DOWNLOAD not in _kept(client)
    grant_row = _ask_and_grant(researcher_b, restricted, focal_point_a)
    assert CAN_DOWNLOAD in _page(client)
    assert CAN_DOWNLOAD in _page(client)  # kept again, with the grant
    services.grant_revoke(actor=focal_point_a, grant_row=grant_row)
    assert CAN_DOWNLOAD not in _page(client)


def test_a_withdrawal_shows_at_once(client, researcher_b, focal_point_a, restricted):
    client.force_login(researcher_b)
    assert "Hunchun collars" in _kept(client)
    services.dataset_withdraw(actor=focal_point_a, dataset=restricted, reason="Duplicate upload")
    assert "Hunchun collars" not in _page(client)


@pytest.mark.parametrize("url", LISTS)
def test_a_change_of_language_shows_at_once(url, client, researcher_b):
    client.force_login(researcher_b)
    assert '<html lang="en"' in _kept(client, url)
    client.cookies["django_language"] = "ru"
    assert '<html lang="ru"' in _page(client, url)
    client.cookies["django_language"] = "en"
    assert '<html lang="en"' in _page(client, url)


def test_a_lapsing_grant_ends_the_kept_page_with_no_write(
    client, researcher_b, focal_point_a, restricted
):
    policy.grant(
        dataset=restricted,
        user=researcher_b,
        until=timezone.now() + timedelta(seconds=2),
        granted_by=focal_point_a,
    )
    client.force_login(researcher_b)
    assert CAN_DOWNLOAD in _kept(client)
    time.sleep(2.1)
    assert CAN_DOWNLOAD not in _page(client)


def test_a_verification_shows_at_once(client, pending, focal_point_a):
    DatasetFactory(uploader=focal_point_a, title="Tumen River cranes", access_level="registered")
    client.force_login(pending)
    assert CAN_DOWNLOAD not in _kept(client)
    account_verify(actor=focal_point_a, account=pending)
    assert CAN_DOWNLOAD in _page(client)


def test_one_account_never_gets_anothers_page(client, researcher_a, researcher_b, restricted):
    client.force_login(researcher_a)  # the uploader downloads their own data
    assert CAN_DOWNLOAD in _kept(client)
    client.force_login(researcher_b)
    assert CAN_DOWNLOAD not in _kept(client)


def test_the_kept_pages_can_be_turned_off(client, researcher_b, settings):
    settings.FAST_PAGES = False
    client.force_login(researcher_b)
    _kept(client)
    with CaptureQueriesContext(connection) as queries:
        _page(client)
    assert any("datasets_dataset" in query["sql"] for query in queries.captured_queries)


def test_a_rendered_list_costs_the_same_queries_for_2_or_20_rows(client, researcher_b):
    def rendered_queries() -> int:
        cache.clear()  # a first visit: nothing kept
        with CaptureQueriesContext(connection) as queries:
            _page(client)
        return len(queries)

    uploader = DatasetFactory.create_batch(2)[0].uploader
    client.force_login(researcher_b)
    _page(client)  # the CSRF cookie
    few = rendered_queries()
    DatasetFactory.create_batch(20, uploader=uploader)
    assert rendered_queries() == few


def _requests_badge(client) -> str:
    """Return the menu's "Access requests" entry of a page that is never kept."""
    page = _page(client, "/accounts/profile/")
    start = page.index('href="/data/requests/"')
    return page[start : page.index("</li>", start)]


def _shows_live_count(client, focal_point) -> bool:
    live = policy.access_requests_to_answer(focal_point).count()
    badge = _requests_badge(client)
    return f'text-bg-warning">{live}</span>' in badge if live else "text-bg-warning" not in badge


def test_the_menu_counts_follow_requests_grants_and_withdrawals(
    client, researcher_b, focal_point_a, restricted
):
    client.force_login(focal_point_a)
    assert _shows_live_count(client, focal_point_a)
    grant_row = _ask_and_grant(researcher_b, restricted, focal_point_a)
    assert _shows_live_count(client, focal_point_a)
    services.grant_revoke(actor=focal_point_a, grant_row=grant_row)
    services.access_request_create(
        actor=researcher_b,
        dataset=restricted,
        purpose="Population estimate, again",
        intended_use="A joint paper",
        wanted_until=date.today() + timedelta(days=30),
    )
    assert 'text-bg-warning">1</span>' in _requests_badge(client)
    other = DatasetFactory(uploader=restricted.uploader, access_level="restricted")
    services.access_request_create(
        actor=researcher_b,
        dataset=other,
        purpose="Population estimate",
        intended_use="A joint paper",
        wanted_until=date.today() + timedelta(days=30),
    )
    assert 'text-bg-warning">2</span>' in _requests_badge(client)
    services.dataset_withdraw(actor=focal_point_a, dataset=restricted, reason="Duplicate upload")
    assert _shows_live_count(client, focal_point_a)
    client.cookies["django_language"] = "ru"
    assert "Access requests" not in _requests_badge(client)


def test_the_menu_follows_a_role_at_once(client, secretariat, researcher_a):
    from accounts.roles import focal_point_appoint

    client.force_login(researcher_a)
    assert 'href="/data/requests/"' not in _page(client, "/accounts/profile/")
    focal_point_appoint(actor=secretariat, user=researcher_a, country=researcher_a.country)
    # A focal point must first set up a second factor: the page is no longer the same.
    assert client.get("/accounts/profile/").status_code == 302


@pytest.mark.parametrize("signed_in", [False, True])
def test_kept_cards_and_filters_follow_the_language(client, researcher_a, signed_in):
    DatasetFactory(uploader=researcher_a, title="Lazovsky camera traps")
    if signed_in:
        client.force_login(researcher_a)
    english = _kept(client)
    assert "· Camera traps" in english and ">Species</label>" in english
    assert (CAN_DOWNLOAD in english) is signed_in
    client.cookies["django_language"] = "ru"
    russian = _page(client)
    assert "· Фотоловушки" in russian and ">Виды</label>" in russian
    assert "· Camera traps" not in russian
    assert ("Вы можете скачать" in russian) is signed_in


def test_a_kept_card_never_carries_anothers_download_right(
    client, researcher_a, researcher_b, focal_point_a, restricted
):
    client.force_login(researcher_a)
    assert CAN_DOWNLOAD in _kept(client)  # the uploader's card
    client.force_login(researcher_b)
    assert CAN_DOWNLOAD not in _kept(client)
    grant_row = _ask_and_grant(researcher_b, restricted, focal_point_a)
    assert CAN_DOWNLOAD in _page(client)
    services.grant_revoke(actor=focal_point_a, grant_row=grant_row)
    assert CAN_DOWNLOAD not in _page(client)
    client.force_login(researcher_a)
    assert CAN_DOWNLOAD in _page(client)


def test_a_new_site_shows_in_the_kept_filters(client, researcher_b):
    from species.models import Site

    client.force_login(researcher_b)
    assert "Bikin valley" not in _kept(client)
    Site.objects.create(code="BIKIN_TEST", name_en="Bikin valley", latitude=46.5, longitude=134.5)
    assert "Bikin valley" in _page(client)


def test_cards_drawn_for_one_account_serve_the_next(client, researcher_a, researcher_b, partner):
    DatasetFactory.create_batch(3, uploader=researcher_a)
    client.force_login(researcher_b)
    _kept(client)
    client.force_login(partner)  # neither downloads these: the same cards
    with CaptureQueriesContext(connection) as queries:
        _page(client)
    sql = [query["sql"] for query in queries.captured_queries]
    assert not [statement for statement in sql if "datasets_dataset_species" in statement]
