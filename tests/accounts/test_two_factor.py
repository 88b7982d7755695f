"""Two-factor sign-in: required for those who hold keys, offered to everyone, audited."""

import time

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from access.models import AuditEvent
from accounts.middleware import LAST_ACTIVITY
from accounts.two_factor import SECOND_FACTOR_AT, recovery_codes_renew
from tests.factories import FocalPointFactory
from tests.two_factor import totp_code

LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:two_factor_verify")
SETUP = reverse("accounts:two_factor_setup")
RESET = reverse("accounts:two_factor_reset")


def _password_step(client, username, password, next_url=""):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data)


@pytest.fixture
def new_focal_point(db):
    """A focal point who has not set up an authenticator yet."""
    return FocalPointFactory(username="focal-new", country_id="KR", authenticator=False)


def test_it_leads_a_focal_point_without_authenticator_to_set_one_up(client, new_focal_point):
    client.force_login(new_focal_point)

    page = client.get("/data/?page=1")
    assert page.status_code == 302
    assert page["Location"] == f"{SETUP}?next=%2Fdata%2F%3Fpage%3D1"
    assert client.get(reverse("accounts:profile"))["Location"].startswith(SETUP)

    api = client.get("/api/v1/me/")
    assert api.status_code == 403
    assert "two-factor" in api.json()["detail"]

    # What leads there stays open: the set-up page, the language switch, signing out.
    assert client.get(SETUP).status_code == 200
    assert client.post("/i18n/setlang/", {"language": "ru", "next": SETUP}).status_code == 302
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_it_leaves_a_researcher_without_authenticator_alone(client, researcher_a):
    client.force_login(researcher_a)
    assert client.get("/data/").status_code == 200
    assert client.get("/api/v1/me/").status_code == 200


def test_set_up_shows_the_secret_and_a_qr_code_and_confirms_with_a_code(client, new_focal_point):
    client.force_login(new_focal_point)
    page = client.get(SETUP)
    content = page.content.decode()
    device = TOTPDevice.objects.get(user=new_focal_point, confirmed=False)
    assert page.context["secret"] in content.replace(" ", "")
    assert 'src="data:image/svg+xml' in content
    # A second look at the page keeps the same secret, so that a slow phone can catch up.
    assert client.get(SETUP).context["secret"] == page.context["secret"]

    wrong = client.post(SETUP, {"code": "000000"})
    assert wrong.status_code == 200
    assert "not the code the app shows" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    device.throttling_failure_count = 0  # django-otp makes one wait after a wrong code
    device.throttling_failure_timestamp = None
    device.save()

    confirmed = client.post(SETUP, {"code": totp_code(new_focal_point, confirmed=False)})
    assert confirmed.status_code == 302
    assert confirmed["Location"].startswith(reverse("accounts:two_factor_recovery_codes"))
    device.refresh_from_db()
    assert device.confirmed

    codes_page = client.get(confirmed["Location"])
    codes = codes_page.context["codes"]
    assert len(codes) == 10
    assert all(code in codes_page.content.decode() for code in codes)
    assert client.get(confirmed["Location"]).context["codes"] is None  # shown once only

    assert client.get("/data/").status_code == 200
    assert client.get("/api/v1/me/").status_code == 200
    assert AuditEvent.objects.filter(
        action="two_factor.enable", actor=new_focal_point, object_id=str(new_focal_point.pk)
    ).exists()


def test_signing_in_asks_for_the_code_after_the_password(client, focal_point_a, password):
    response = _password_step(client, "focal-a", password, next_url="/data/review/")
    assert response.status_code == 302
    assert response["Location"] == VERIFY
    assert "_auth_user_id" not in client.session  # not signed in on the password alone
    page = client.get(VERIFY)
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.content.decode()

    signed_in = client.post(VERIFY, {"code": totp_code(focal_point_a)})

    assert signed_in.status_code == 302
    assert signed_in["Location"] == "/data/review/"
    assert client.session["_auth_user_id"] == str(focal_point_a.pk)
    assert client.get("/data/").status_code == 200


def test_a_code_is_good_only_once(client, focal_point_a, password):
    code = totp_code(focal_point_a)
    _password_step(client, "focal-a", password)
    client.post(VERIFY, {"code": code})
    client.post(reverse("accounts:logout"))

    _password_step(client, "focal-a", password)
    again = client.post(VERIFY, {"code": code})
    assert again.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_recovery_code_signs_in_once_instead_of_the_app(client, focal_point_a, password):
    codes = recovery_codes_renew(user=focal_point_a)
    _password_step(client, "focal-a", password)
    response = client.post(VERIFY, {"code": codes[0].upper()})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(focal_point_a.pk)
    assert "9 are left" in client.get("/").content.decode()

    client.post(reverse("accounts:logout"))
    _password_step(client, "focal-a", password)
    StaticDevice.objects.filter(user=focal_point_a).update(throttling_failure_count=0)
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 200
    assert "_auth_user_id" not in client.session


def test_wrong_codes_lock_the_account_like_wrong_passwords(client, focal_point_a, password):
    _password_step(client, "focal-a", password)
    for _ in range(4):
        response = client.post(VERIFY, {"code": "123456"})
        assert response.status_code == 200
        assert "code" in response.context["form"].errors
    locked = client.post(VERIFY, {"code": "123456"})
    assert locked.status_code == 429

    # The right password and the right code are refused while the lock lasts.
    assert _password_step(client, "focal-a", password).status_code == 429
    assert client.post(VERIFY, {"code": totp_code(focal_point_a)}).status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_code_step_does_not_outlive_its_password(client, focal_point_a, password):
    _password_step(client, "focal-a", password)
    session = client.session
    session["second_factor_pending"]["at"] = time.time() - 600
    session.save()
    response = client.post(VERIFY, {"code": totp_code(focal_point_a)})
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session


def test_a_session_signed_in_with_the_password_alone_is_asked_for_the_code(
    client, secretariat, password
):
    # The admin's own sign-in form knows nothing of codes.
    signed_in = client.post("/admin/login/", {"username": "secretariat", "password": password})
    assert signed_in.status_code == 302
    assert client.session["_auth_user_id"] == str(secretariat.pk)
    assert client.get("/admin/")["Location"] == f"{VERIFY}?next=%2Fadmin%2F"
    response = client.get("/data/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Fdata%2F"
    assert client.get("/api/v1/me/").status_code == 403

    assert (
        client.post(VERIFY, {"code": totp_code(secretariat), "next": "/data/"})["Location"]
        == "/data/"
    )
    assert client.get("/data/").status_code == 200


def test_a_researcher_may_turn_it_on_and_is_then_asked_at_sign_in(client, researcher_a, password):
    client.force_login(researcher_a)
    assert "Set up two-factor sign-in" in client.get(reverse("accounts:profile")).content.decode()
    client.get(SETUP)
    client.post(SETUP, {"code": totp_code(researcher_a, confirmed=False)})
    client.post(reverse("accounts:logout"))

    assert _password_step(client, "researcher-a", password)["Location"] == VERIFY
    client.post(VERIFY, {"code": totp_code(researcher_a)})
    assert client.session["_auth_user_id"] == str(researcher_a.pk)


def _age_second_factor(client, minutes):
    session = client.session
    session[SECOND_FACTOR_AT] = time.time() - minutes * 60
    session.save()


def test_resetting_asks_for_a_fresh_code_when_the_last_is_old(
    client, secretariat, focal_point_a, settings
):
    settings.OTP_FRESH_MINUTES = 15
    client.force_login(secretariat)
    assert client.get(RESET).status_code == 200
    _age_second_factor(client, 16)

    stale = client.get(f"{RESET}?username=focal-a")
    assert stale.status_code == 302
    assert (
        stale["Location"]
        == f"{VERIFY}?next=%2Faccounts%2Ftwo-factor%2Freset%2F%3Fusername%3Dfocal-a"
    )
    # A form sent with a stale code is not acted on either.
    post = client.post(
        RESET, {"username": "focal-a", "reason": "Lost phone", "identity_checked": "on"}
    )
    assert post.status_code == 302
    assert TOTPDevice.objects.filter(user=focal_point_a).exists()

    back = client.post(
        VERIFY, {"code": totp_code(secretariat), "next": f"{RESET}?username=focal-a"}
    )
    assert back["Location"] == f"{RESET}?username=focal-a"
    assert client.get(back["Location"]).status_code == 200


def test_the_secretariat_resets_a_focal_points_second_factor(
    client, secretariat, focal_point_a, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            RESET,
            {"username": "focal-a", "reason": "Phone lost in the field", "identity_checked": "on"},
        )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=focal_point_a).exists()
    event = AuditEvent.objects.get(action="two_factor.reset")
    assert event.actor == secretariat
    assert event.object_id == str(focal_point_a.pk)
    assert event.detail["reason"] == "Phone lost in the field"
    assert mail.outbox[-1].to == [focal_point_a.email]
    assert "reset" in mail.outbox[-1].subject

    # The focal point's next visit leads to a new set-up.
    client.force_login(focal_point_a)
    assert client.get("/data/")["Location"].startswith(SETUP)


def test_the_reset_page_needs_the_identity_check_and_an_existing_other_account(client, secretariat):
    client.force_login(secretariat)
    unchecked = client.post(RESET, {"username": "focal-a", "reason": "Lost"})
    assert "identity_checked" in unchecked.context["form"].errors
    own = client.post(RESET, {"username": "secretariat", "reason": "x", "identity_checked": "on"})
    assert "username" in own.context["form"].errors
    assert not AuditEvent.objects.filter(action="two_factor.reset").exists()


@pytest.mark.parametrize("who", ["researcher_a", "focal_point_b"])
def test_only_the_secretariat_resets_someone_else(client, request, who, focal_point_a):
    client.force_login(request.getfixturevalue(who))
    assert client.get(RESET).status_code == 404
    response = client.post(RESET, {"username": "focal-a", "reason": "x", "identity_checked": "on"})
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(user=focal_point_a).exists()


def test_replacing_ones_own_authenticator_needs_a_fresh_code_and_is_recorded(client, focal_point_a):
    client.force_login(focal_point_a)
    _age_second_factor(client, 60)
    assert client.get(SETUP)["Location"].startswith(VERIFY)

    client.post(VERIFY, {"code": totp_code(focal_point_a)})
    page = client.get(SETUP)
    assert page.status_code == 200
    assert "Replace your authenticator app" in page.content.decode()
    old = TOTPDevice.objects.get(user=focal_point_a, confirmed=True)
    client.post(SETUP, {"code": totp_code(focal_point_a, confirmed=False)})

    new = TOTPDevice.objects.get(user=focal_point_a)
    assert new.pk != old.pk and new.confirmed
    assert AuditEvent.objects.filter(action="two_factor.replace", actor=focal_point_a).exists()
    assert client.get("/data/").status_code == 200


def test_new_recovery_codes_replace_the_old_ones(client, focal_point_a):
    old = recovery_codes_renew(user=focal_point_a)
    client.force_login(focal_point_a)
    response = client.post(reverse("accounts:two_factor_recovery_codes_renew"))
    new = client.get(response["Location"]).context["codes"]
    assert set(new).isdisjoint(old)
    assert (
        AuditEvent.objects.filter(action="two_factor.recovery_codes", actor=focal_point_a).count()
        == 2
    )


def test_a_privileged_session_ends_after_the_idle_time(client, focal_point_a, settings):
    settings.PRIVILEGED_SESSION_IDLE_MINUTES = 30
    client.force_login(focal_point_a)
    session = client.session
    session[LAST_ACTIVITY] = time.time() - 120
    session.save()
    assert client.get("/data/").status_code == 200
    assert client.session.get_expiry_age() == 30 * 60

    session = client.session
    session[LAST_ACTIVITY] = time.time() - 31 * 60
    session.save()
    response = client.get("/data/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in client.session


def test_a_researchers_session_keeps_djangos_age(client, researcher_a, settings):
    client.force_login(researcher_a)
    client.get("/data/")
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


@pytest.mark.parametrize(
    ("who", "new_password", "accepted"),
    [
        ("focal_point_a", "Tundra-fox9", False),  # 11 characters
        ("focal_point_a", "Tundra-fox-9", True),  # 12
        ("secretariat", "Tundra-fox9", False),
        ("researcher_a", "Tundra-f9", True),  # 9: Django's 8 suffice for researchers
        ("researcher_a", "password123", False),  # common for everyone
    ],
)
def test_those_who_hold_keys_need_a_password_of_twelve_characters(
    client, request, password, who, new_password, accepted
):
    user = request.getfixturevalue(who)
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": new_password, "new_password2": new_password},
    )
    user.refresh_from_db()
    assert user.check_password(new_password) is accepted
    if not accepted:
        assert "new_password2" in response.context["form"].errors


def test_the_audit_log_shows_resets_and_token_creations(
    client, secretariat, focal_point_a, password
):
    client.post(
        "/api/v1/auth/token/",
        {"username": "focal-a", "password": password, "otp": totp_code(focal_point_a)},
    )
    client.force_login(secretariat)
    client.post(RESET, {"username": "focal-a", "reason": "Lost phone", "identity_checked": "on"})

    page = client.get(reverse("datasets:audit")).content.decode()
    assert "<code>api_token.create</code>" in page
    assert "<code>two_factor.reset</code>" in page
    assert "<code>api_token.revoke_all</code>" in page
