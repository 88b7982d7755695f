"""Forms in Chromium: type-ahead chips, repeating author rows, and a review form whose
server-side refusal comes before any confirm question."""

import pytest

from accounts.management.commands.seed_demo import seed_accounts
from publications.models import Publication
from tests.browser.conftest import sign_in
from tests.factories import DatasetFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_publication_with_chips_and_added_author_rows(page, live_server, screenshot):
    seed_accounts()
    sign_in(page, live_server, "researcher-kr")
    page.goto(live_server.url + "/library/new/")
    page.wait_for_selector("#id_sites-ts-control")
    page.select_option("#id_type", "report")
    page.fill("#id_title", "Spoonbill colonies of Ganghwa")
    page.fill("#id_year", "2024")
    # The language list is searchable; the member States' languages come first.
    page.click("div:has(> #id_language) .ts-control")
    assert page.locator(".ts-dropdown .optgroup").first.locator(".option").first.inner_text() == (
        "English"
    )
    page.keyboard.type("한국")
    page.locator(".ts-dropdown .option.active", has_text="한국어").wait_for()
    page.keyboard.press("Enter")
    # Type-ahead chips for sites: two chosen, each shown whole as a chip.
    page.click("div:has(> #id_sites) .ts-control")
    for search in ("Khanka", "Incheon"):
        page.keyboard.type(search)
        page.locator(".ts-dropdown .option.active", has_text=search).wait_for()
        page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    assert page.locator("div:has(> #id_sites) .ts-control .item").count() == 2
    # Three empty rows, then a fourth added by the button; the second removed.
    assert page.locator("[data-remove-box]").first.is_hidden()
    for number, name in enumerate(["Kim", "Removed", "Lee"]):
        page.fill(f"#id_authors-{number}-name", name)
    page.click("[data-add-row]")
    page.fill("#id_authors-3-name", "Park")
    page.fill("#id_authors-3-affiliation", "NIBR")
    page.locator("[data-row]").nth(1).locator("[data-remove-row]").click()
    assert page.locator("[data-row]").nth(1).is_hidden()
    screenshot(page, "publication-form")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    publication = Publication.objects.get(title="Spoonbill colonies of Ganghwa")
    assert [author.name for author in publication.authors.all()] == ["Kim", "Lee", "Park"]
    assert publication.language == "ko"
    assert publication.sites.count() == 2


def test_the_review_refusal_comes_before_the_confirm_question(page, live_server):
    seed_accounts()
    from accounts.models import User

    dataset = DatasetFactory(
        uploader=User.objects.get(username="researcher-kr"), status="submitted", published_at=None
    )
    questions = []
    page.on("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    sign_in(page, live_server, "fp-kr")
    page.goto(live_server.url + dataset.get_absolute_url())
    page.check("#decision-reject")
    with page.expect_navigation():
        page.click("form[action$='/review/'] button[type=submit]")
    assert questions == []
    assert page.locator("#decision-reject").is_checked()
    assert page.locator("#review-comment-errors").is_visible()
    page.fill("#review-comment", "Wrong species list.")
    page.click("form[action$='/review/'] button[type=submit]")
    page.wait_for_timeout(300)
    assert len(questions) == 1  # the complete decision is asked about, and dismissed
    dataset.refresh_from_db()
    assert dataset.status == "submitted"
