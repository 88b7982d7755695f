"""Registration answers the same for taken and free usernames and addresses; the email
to the address says what happened (as signing in and resetting a password say nothing)."""

import pytest
from django.core import mail
from django.urls import reverse

from access.models import AuditEvent
from accounts.models import User
from tests.accounts.test_registration import FORM

pytestmark = pytest.mark.django_db


def _register(client, capture, **change):
    with capture(execute=True):
        response = client.post(reverse("accounts:register"), {**FORM, **change})
    assert response.status_code == 200
    return response


def _answer(response) -> str:
    # The page as the person registering reads it, without what they typed.
    return response.content.decode().split("<main", 1)[-1].replace(FORM["email"], "EMAIL")


def test_a_free_name_creates_the_account_and_says_so_by_email(
    client, focal_point_a, django_capture_on_commit_callbacks
):
    response = _register(client, django_capture_on_commit_callbacks)

    assert User.objects.filter(username="new-ranger").exists()
    assert "Check your email" in response.content.decode()
    to_registrant = next(message for message in mail.outbox if message.to == [FORM["email"]])
    assert "You registered the account new-ranger" in to_registrant.body


def test_a_taken_email_creates_nothing_and_tells_its_owner(
    client, researcher_a, focal_point_a, django_capture_on_commit_callbacks
):
    response = _register(client, django_capture_on_commit_callbacks, email=researcher_a.email)

    assert not User.objects.filter(username="new-ranger").exists()
    assert "Check your email" in response.content.decode()
    assert [message.to for message in mail.outbox] == [[researcher_a.email]]
    body = mail.outbox[0].body
    assert "Someone tried to register" in body and "researcher-a" in body
    assert "/accounts/login/" in body and "/accounts/password/reset/" in body
    assert AuditEvent.objects.filter(action="account.register_taken_email").exists()


def test_a_taken_username_creates_nothing_and_tells_the_registrant(
    client, researcher_a, focal_point_a, django_capture_on_commit_callbacks
):
    response = _register(client, django_capture_on_commit_callbacks, username="Researcher-A")

    assert User.objects.filter(username__iexact="researcher-a").count() == 1
    assert "Check your email" in response.content.decode()
    assert [message.to for message in mail.outbox] == [[FORM["email"]]]
    assert "That username is taken" in mail.outbox[0].body
    assert researcher_a.email not in mail.outbox[0].body


def test_the_page_reads_the_same_for_taken_and_free_names(
    client, researcher_a, django_capture_on_commit_callbacks
):
    free = _answer(_register(client, django_capture_on_commit_callbacks))
    User.objects.filter(username="new-ranger").delete()
    taken_email = _answer(
        _register(
            client,
            django_capture_on_commit_callbacks,
            username="other-ranger",
            email=researcher_a.email,
        )
    ).replace(researcher_a.email, "EMAIL")
    taken_username = _answer(
        _register(client, django_capture_on_commit_callbacks, username="researcher-a")
    )
    assert free == taken_email == taken_username
