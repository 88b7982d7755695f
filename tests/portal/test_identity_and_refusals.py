"""The hub's identity (logo, icon, a home page event card) and its refusal pages."""

from datetime import date, timedelta

import pytest
from django.test import Client

from publications.models import Event


def _event(*, title, start, featured=False, user):
    return Event.objects.create(
        status="published",
        title=title,
        type=Event._meta.get_field("type").choices[0][0],
        start_date=start,
        end_date=start + timedelta(days=1),
        city="Incheon",
        featured=featured,
        created_by=user,
    )


@pytest.mark.urls("tests.portal.crash_urls")
def test_a_refusal_is_the_styled_page_in_the_readers_language(db):
    client = Client()
    client.cookies["django_language"] = "ru"
    response = client.get("/refuse/")
    assert response.status_code == 403
    content = response.content.decode()
    assert '<html lang="ru"' in content
    assert "Forbidden" not in content
    assert 'class="navbar' in content  # the portal's frame, not a bare page
    assert "/accounts/login/?next=/refuse/" in content


@pytest.mark.urls("tests.portal.crash_urls")
def test_a_refusal_under_the_api_is_json(db):
    response = Client().get("/api/v1/refuse/")
    assert response.status_code == 403
    assert response.json() == {"detail": "You do not have permission to do this."}


def test_a_form_without_its_csrf_token_gets_the_styled_expired_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    content = response.content.decode()
    assert "The form expired" in content
    assert "Nothing was saved" in content
    assert "CSRF verification failed" not in content


def test_the_icon_is_served_at_the_address_browsers_ask(db):
    response = Client().get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith(".ico")
    page = Client().get("/").content.decode()
    assert 'rel="icon"' in page
    assert "img/logo.svg" in page


def test_the_home_page_event_card_falls_back_to_the_latest_event(db, secretariat):
    today = date.today()
    _event(title="Older workshop", start=today - timedelta(days=400), user=secretariat)
    _event(title="Newest meeting", start=today - timedelta(days=30), user=secretariat)
    page = Client().get("/").content.decode()
    assert "Latest event" in page
    assert "Newest meeting" in page

    _event(
        title="Chosen workshop", start=today - timedelta(days=200), featured=True, user=secretariat
    )
    page = Client().get("/").content.decode()
    assert "Featured event" in page
    assert "Chosen workshop" in page
