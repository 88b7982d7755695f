"""The secretariat records a workshop with its agenda and slides; a visitor downloads them."""

import pytest

from accounts.management.commands.seed_demo import seed_accounts
from publications.demo import simple_pdf
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _add_session(page, title, order, moderators=""):
    page.fill("#id_new-session-title", title)
    page.fill("#id_new-session-order", str(order))
    page.fill("#id_new-session-moderators", moderators)
    with page.expect_navigation():
        page.get_by_role("button", name="Add the session").click()
    assert page.get_by_text("Session added.").is_visible()


def _add_presentation(page, session, title, speaker, affiliation, path):
    page.select_option("#id_kind", "presentation")
    page.select_option("#id_session", label=session)
    page.fill("#id_title", title)
    page.fill("#id_material-speakers-0-name", speaker)
    page.fill("#id_material-speakers-0-affiliation", affiliation)
    page.set_input_files("#id_files", str(path))
    with page.expect_navigation():
        page.get_by_role("button", name="Add material").click()
    assert page.get_by_text("Material added.").is_visible()


def test_the_secretariat_records_an_event_and_a_visitor_downloads_its_slides(
    page, live_server, screenshot, tmp_path
):
    seed_accounts()
    slides = {
        "tiger": tmp_path / "tiger-corridors.pdf",
        "crane": tmp_path / "crane-flyway.pdf",
    }
    slides["tiger"].write_bytes(simple_pdf("Amur tiger corridors across the border"))
    slides["crane"].write_bytes(simple_pdf("White-naped crane flyway monitoring"))

    sign_in(page, live_server, "secretariat")
    page.goto(live_server.url + "/library/events/")
    with page.expect_navigation():
        page.get_by_role("link", name="Add an event").click()
    page.fill("#id_title", "Expert meeting on transboundary monitoring 2025")
    page.select_option("#id_type", "expert_meeting")
    page.fill("#id_start_date", "2025-09-16")
    page.fill("#id_end_date", "2025-09-17")
    page.fill("#id_city", "Vladivostok")
    page.fill("#id_venue", "Far Eastern Federal University")
    page.fill("#id_summary", "Focal points compare camera-trap and flyway monitoring.")
    screenshot(page, "event-form")
    with page.expect_navigation():
        page.get_by_role("button", name="Save and continue").click()

    _add_session(page, "Big cats across borders", 1, "Yury Darman")
    _add_session(page, "Migratory birds", 2, "Chen Wei")
    _add_presentation(
        page,
        "Big cats across borders",
        "Tiger corridors",
        "Ким Ирина",
        "WWF Russia",
        slides["tiger"],
    )
    _add_presentation(
        page, "Migratory birds", "Crane flyway", "Батбаяр Нямбаяр", "WSCC", slides["crane"]
    )
    page.fill("#id_RU_women", "3")
    page.fill("#id_RU_men", "4")
    page.fill("#id_MN_women", "2")
    page.fill("#id_total", "10")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the figures").click()
    assert page.get_by_text("The counts add up to 9, not 10.").is_visible()
    page.fill("#id_total", "9")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the figures").click()
    assert page.get_by_text("Participant figures saved.").is_visible()
    # A second speaker row, added and then removed, is not kept.
    page.get_by_role("button", name="Add a speaker").click()
    page.fill("#id_material-speakers-1-name", "Nobody")
    page.check("#id_material-speakers-1-DELETE")
    assert not page.locator("#id_material-speakers-1-name").is_visible()
    screenshot(page, "event-edit")
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_role("button", name="Publish the event").click()
    assert page.get_by_text("The event is published:").is_visible()
    with page.expect_navigation():
        page.get_by_role("link", name="See the public page").click()
    event_url = page.url

    page.context.clear_cookies()
    page.goto(event_url)
    assert page.get_by_role("heading", name="9 participants").is_visible()
    agenda = page.locator("main")
    assert agenda.get_by_text("Big cats across borders").is_visible()
    assert agenda.get_by_text("Ким Ирина").is_visible()
    screenshot(page, "event-page")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download tiger-corridors.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "tiger-corridors.pdf"
    assert open(download.path(), "rb").read() == slides["tiger"].read_bytes()

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(event_url)
    screenshot(page, "event-page-phone")
