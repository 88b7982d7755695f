"""API tokens: a code for those who hold keys, hashed keys, expiry, revocation, audit."""

import hashlib
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from access.models import AuditEvent
from accounts.models import ApiToken
from accounts.tokens import api_token_create
from accounts.two_factor import recovery_codes_renew
from tests.factories import FocalPointFactory
from tests.two_factor import totp_code

URL = "/api/v1/auth/token/"


def _obtain(client, username, password, **extra):
    return client.post(URL, {"username": username, "password": password, **extra})


def _me(client, key):
    return client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")


def test_it_makes_a_token_for_a_researcher_from_username_and_password(
    client, researcher_a, password
):
    response = _obtain(client, "researcher-a", password, name="camera sync")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "camera sync"
    assert _me(client, body["token"]).json()["username"] == "researcher-a"

    token = ApiToken.objects.get(user=researcher_a)
    # Only the key's SHA-256 is stored, with its first characters to tell tokens apart.
    assert token.digest == hashlib.sha256(body["token"].encode()).hexdigest()
    assert body["token"] not in {token.digest, token.prefix, token.name}
    assert token.prefix == body["token"][:8]
    expected_expiry = timezone.now() + timedelta(days=30)
    assert abs(token.expires_at - expected_expiry) < timedelta(minutes=1)
    event = AuditEvent.objects.get(action="api_token.create")
    assert event.actor == researcher_a
    assert event.detail["second_factor"] is False


def test_signing_in_again_makes_a_new_token(client, researcher_a, password):
    first = _obtain(client, "researcher-a", password).json()["token"]
    second = _obtain(client, "researcher-a", password).json()["token"]
    assert first != second
    assert _me(client, first).status_code == 200
    assert _me(client, second).status_code == 200
    assert AuditEvent.objects.filter(action="api_token.create").count() == 2


def test_the_expiry_follows_the_setting(client, researcher_a, password, settings):
    settings.API_TOKEN_DAYS = 7
    _obtain(client, "researcher-a", password)
    token = ApiToken.objects.get(user=researcher_a)
    assert token.expires_at - token.created_at < timedelta(days=7, minutes=1)


def test_a_focal_point_needs_the_code(client, focal_point_a, password):
    missing = _obtain(client, "focal-a", password)
    assert missing.status_code == 400
    assert "otp" in missing.json()
    assert "code" in missing.json()["otp"][0]

    wrong = _obtain(client, "focal-a", password, otp="000000")
    assert wrong.status_code == 400
    assert "wrong" in wrong.json()["otp"][0]
    assert not ApiToken.objects.exists()

    # django-otp makes the next code wait a moment after a wrong one.
    focal_point_a.totpdevice_set.update(throttling_failure_count=0)
    made = _obtain(client, "focal-a", password, otp=totp_code(focal_point_a))
    assert made.status_code == 200
    assert _me(client, made.json()["token"]).json()["focal_point_for"] == ["KR"]
    event = AuditEvent.objects.get(action="api_token.create")
    assert event.detail["second_factor"] is True


def test_a_focal_point_without_an_authenticator_is_told_to_set_one_up(client, password):
    FocalPointFactory(username="focal-new", country_id="KR", authenticator=False)
    response = _obtain(client, "focal-new", password, otp="123456")
    assert response.status_code == 400
    assert "set up an authenticator" in response.json()["otp"][0]
    assert not ApiToken.objects.exists()


def test_a_recovery_code_may_stand_in_for_the_app(client, secretariat, password):
    codes = recovery_codes_renew(user=secretariat)
    assert _obtain(client, "secretariat", password, otp=codes[3]).status_code == 200
    assert _obtain(client, "secretariat", password, otp=codes[3]).status_code == 400


def test_wrong_codes_count_towards_the_lockout(client, focal_point_a, password):
    for _ in range(5):
        _obtain(client, "focal-a", password, otp="999999")
    focal_point_a.totpdevice_set.update(throttling_failure_count=0)
    response = _obtain(client, "focal-a", password, otp=totp_code(focal_point_a))
    # Locked: even the right password and code are refused, as for the password alone.
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_a_token_made_without_a_code_does_not_serve_someone_who_now_holds_keys(
    client, researcher_a, password
):
    key = _obtain(client, "researcher-a", password).json()["token"]
    researcher_a.is_staff = True  # as if made an administrator since
    researcher_a.save()
    response = _me(client, key)
    assert response.status_code == 403
    assert "two-factor" in response.json()["detail"]


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"revoked_at": timezone.now()}, id="revoked"),
        pytest.param({"expires_at": timezone.now() - timedelta(seconds=1)}, id="expired"),
    ],
)
def test_an_expired_or_revoked_token_answers_401(client, researcher_a, password, change):
    key = _obtain(client, "researcher-a", password).json()["token"]
    ApiToken.objects.update(**change)
    assert _me(client, key).status_code == 401


def test_delete_revokes_the_callers_own_token(client, researcher_a, researcher_b, password):
    mine = _obtain(client, "researcher-a", password).json()["token"]
    other = _obtain(client, "researcher-b", password).json()["token"]

    assert client.delete(URL, HTTP_AUTHORIZATION=f"Token {mine}").status_code == 204
    assert _me(client, mine).status_code == 401
    assert _me(client, other).status_code == 200
    assert client.delete(URL, HTTP_AUTHORIZATION=f"Token {mine}").status_code == 401
    assert client.delete(URL).status_code == 401
    assert AuditEvent.objects.filter(action="api_token.revoke", actor=researcher_a).count() == 1


def test_a_password_change_revokes_every_token(client, researcher_a, password):
    keys = [_obtain(client, "researcher-a", password).json()["token"] for _ in range(2)]
    client.force_login(researcher_a)
    client.post(
        reverse("accounts:password_change"),
        {
            "old_password": password,
            "new_password1": "Tundra-fox-92",
            "new_password2": "Tundra-fox-92",
        },
    )
    assert all(_me(client, key).status_code == 401 for key in keys)
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 0
    event = AuditEvent.objects.get(action="api_token.revoke_all")
    assert event.detail == {"reason": "password.change", "count": 2}


def test_a_password_reset_revokes_every_token(client, researcher_a, password):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    key = _obtain(client, "researcher-a", password).json()["token"]
    uid = urlsafe_base64_encode(force_bytes(researcher_a.pk))
    url = reverse(
        "accounts:password_reset_confirm",
        args=[uid, default_token_generator.make_token(researcher_a)],
    )
    form_url = client.get(url)["Location"]
    client.post(form_url, {"new_password1": "Tundra-fox-92", "new_password2": "Tundra-fox-92"})
    researcher_a.refresh_from_db()
    assert researcher_a.check_password("Tundra-fox-92")
    assert _me(client, key).status_code == 401
    assert ApiToken.objects.get().revoked_at is not None


def test_a_password_set_anywhere_else_ends_the_tokens_too(client, researcher_a, password):
    key = _obtain(client, "researcher-a", password).json()["token"]
    researcher_a.set_password("Tundra-fox-92")  # as manage.py changepassword does
    researcher_a.save()
    assert _me(client, key).status_code == 401


def test_a_deactivated_account_cannot_use_its_tokens(client, researcher_a, password):
    key = _obtain(client, "researcher-a", password).json()["token"]
    researcher_a.is_active = False
    researcher_a.save()
    assert _me(client, key).status_code == 401


def test_last_used_is_written_at_most_once_a_minute(
    client, researcher_a, password, django_assert_num_queries
):
    key = _obtain(client, "researcher-a", password).json()["token"]
    _me(client, key)
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    # Expect 2 queries: the token with its owner, and the focal-point lookup; no write.
    with django_assert_num_queries(2):
        _me(client, key)
    assert ApiToken.objects.get().last_used_at == first

    ApiToken.objects.update(last_used_at=first - timedelta(minutes=2))
    _me(client, key)
    assert ApiToken.objects.get().last_used_at > first


def test_the_profile_lists_tokens_and_revokes_ones_own(
    client, researcher_a, researcher_b, password
):
    key = _obtain(client, "researcher-a", password, name="field laptop").json()["token"]
    others = api_token_create(user=researcher_b, name="theirs", second_factor=False)[0]
    client.force_login(researcher_a)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "field laptop" in page
    assert key[:8] in page
    assert key not in page
    assert "theirs" not in page

    token = ApiToken.objects.get(user=researcher_a)
    assert client.post(reverse("accounts:token_revoke", args=[others.pk])).status_code == 404
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    assert _me(client, key).status_code == 401
    assert "revoked" in client.get(reverse("accounts:profile")).content.decode()


def test_the_profile_page_makes_a_token_and_shows_its_key_once(client, focal_point_a):
    client.force_login(focal_point_a)
    response = client.post(reverse("accounts:token_create"), {"name": "R script"})
    assert response.status_code == 200
    key = response.context["key"]
    assert key in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")
    assert _me(client, key).json()["username"] == "focal-a"
    assert key not in client.get(reverse("accounts:profile")).content.decode()
    assert AuditEvent.objects.filter(action="api_token.create", actor=focal_point_a).exists()


def test_visitors_cannot_make_or_revoke_tokens_on_the_pages(client, researcher_a):
    token = api_token_create(user=researcher_a, name="x", second_factor=False)[0]
    assert client.post(reverse("accounts:token_create"), {"name": "x"}).status_code == 302
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is None
