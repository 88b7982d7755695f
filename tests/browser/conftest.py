"""Playwright on Debian's Chromium against the live test server."""

import os
import shutil
from pathlib import Path

import pytest

from accounts.management.commands.seed_demo import DEMO_PASSWORD
from accounts.models import User
from tests.two_factor import totp_code

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: Where screenshots go; set SCREENSHOT_DIR to keep them after the run.
SCREENSHOT_DIR = os.environ.get("SCREENSHOT_DIR")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    # The map tiles come from the internet, which tests do not reach: answer them locally.
    context.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def screenshot(tmp_path):
    """Return a function that saves a full-page screenshot and returns its path."""

    def take(page, name: str) -> Path:
        directory = Path(SCREENSHOT_DIR) if SCREENSHOT_DIR else tmp_path
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def sign_in(page, live_server, username: str) -> None:
    """Sign ``username`` in with the demo password, dropping any earlier session.

    Accounts with an authenticator (the demo focal points and secretariat) then give its code.
    """
    page.context.clear_cookies()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    if "/accounts/login/code/" in page.url:
        page.fill("#id_code", totp_code(User.objects.get(username=username)))
        with page.expect_navigation():
            page.click("main button[type=submit]")
