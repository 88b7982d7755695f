"""A focal point sets up two-factor sign-in, signs in again with a code and grants a request."""

import re
from base64 import b32decode
from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from access.models import AuditEvent
from accounts.management.commands.seed_demo import DEMO_PASSWORD, seed_accounts
from accounts.models import User
from datasets.models import AccessRequest
from datasets.services import access_request_create
from tests.browser.conftest import sign_in
from tests.factories import DatasetFactory
from tests.two_factor import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _code_from_secret(secret: str) -> str:
    """Compute the code an authenticator app holding the base32 ``secret`` shows now."""
    return f"{TOTP(b32decode(secret)).token():06d}"


def test_a_focal_point_sets_up_two_factor_signs_in_with_it_and_grants_a_request(
    page, live_server, screenshot
):
    accounts = {user.username: user for user in seed_accounts()}
    focal_point, researcher = accounts["fp-mn"], accounts["researcher-kr"]
    TOTPDevice.objects.filter(user=focal_point).delete()  # a focal point new to the hub
    dataset = DatasetFactory(
        uploader=accounts["researcher-mn"], access_level="restricted", title="Argut cameras"
    )
    access_request_create(
        actor=researcher,
        dataset=dataset,
        purpose="Transboundary Altai snow leopard estimate",
        intended_use="",
        wanted_until=timezone.localdate() + timedelta(days=90),
    )

    # The password alone leads to the set-up page: nothing else opens before it.
    sign_in(page, live_server, "fp-mn")
    page.goto(live_server.url + "/data/requests/")
    assert "/accounts/two-factor/" in page.url
    secret = page.locator("#totp-secret").get_attribute("data-secret")
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    assert page.locator("img.qr-code").get_attribute("src").startswith("data:image/svg+xml")
    screenshot(page, "two-factor-setup")
    page.fill("#id_code", _code_from_secret(secret))
    with page.expect_navigation():
        page.get_by_role("button", name="Turn on two-factor sign-in").click()
    assert page.locator("ol.recovery-codes li").count() == 10
    with page.expect_navigation():
        page.get_by_role("link", name="I have kept them, go on").click()
    assert page.url.endswith("/data/requests/")

    # Sign out, then in again: the password, then the code.
    page.locator("a.dropdown-toggle", has_text="Focal point MN").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    page.goto(live_server.url + "/accounts/login/?next=/data/requests/")
    page.fill("#id_username", "fp-mn")
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "/accounts/login/code/" in page.url
    screenshot(page, "two-factor-code")
    page.fill("#id_code", totp_code(User.objects.get(username="fp-mn")))
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    assert page.url.endswith("/data/requests/")

    with page.expect_navigation():
        page.get_by_role("button", name="Grant").click()
    assert AccessRequest.objects.get().status == "granted"
    assert AuditEvent.objects.filter(action="two_factor.enable", actor=focal_point).exists()
