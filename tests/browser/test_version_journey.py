"""An owner corrects a published dataset: version 2 with a replaced file, approved, current."""

import pytest
from django.core.files.base import ContentFile

from accounts.management.commands.seed_demo import seed_accounts
from accounts.models import User
from datasets.models import DataFile, Dataset
from datasets.processing import pipeline
from tests.browser.conftest import sign_in
from tests.factories import DataFileFactory, DatasetFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OLD = (
    b"scientificName,eventDate,decimalLatitude,decimalLongitude\n"
    b"Panthera uncia,2024-05-02,49.1,88.6\n"
)
NEW = OLD + b"Panthera uncia,2024-06-11,49.2,88.7\n"


def test_an_owner_publishes_version_2_and_version_1_stays_listed(
    page, live_server, screenshot, tmp_path
):
    seed_accounts()
    first = DatasetFactory(
        uploader=User.objects.get(username="researcher-mn"),
        title="Snow leopard camera survey 2024",
        access_level="restricted",
    )
    data_file = DataFileFactory(dataset=first, original_name="argut-cameras.csv")
    data_file.file.save("argut-cameras.csv", ContentFile(OLD))
    assert pipeline.process(data_file.pk) == "ready"
    corrected = tmp_path / "argut-cameras-corrected.csv"
    corrected.write_bytes(NEW)
    page.on("dialog", lambda dialog: dialog.accept())

    sign_in(page, live_server, "researcher-mn")
    page.goto(live_server.url + first.get_absolute_url())
    page.get_by_text("Correct or extend: start a new version…").click()
    page.fill("#change-note", "A second sighting in June; the first file had a wrong date.")
    with page.expect_navigation():
        page.get_by_role("button", name="Start new version").click()
    second = Dataset.objects.get(series=first)
    assert page.url.endswith(second.get_absolute_url())

    page.get_by_role("link", name="Edit description").click()
    assert page.input_value("#id_change_note").startswith("A second sighting in June")
    page.fill("#id_collaborators", "researcher-kr")
    screenshot(page, "version-2-edit")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert [user.username for user in second.collaborators.all()] == ["researcher-kr"]

    page.get_by_role("link", name="Add, replace or remove files").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Remove").click()
    page.set_input_files("#id_files", str(corrected))
    with page.expect_navigation():
        page.click("#upload-form button[type=submit]")
    page.get_by_text("argut-cameras-corrected.csv").first.wait_for()
    new_file = DataFile.objects.get(dataset=second, original_name="argut-cameras-corrected.csv")
    assert pipeline.process(new_file.pk) == "ready"  # no worker runs in the tests
    page.get_by_role("link", name="Back to the dataset").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Submit for review").click()
    # The first version's file is still stored: the draft removed only its own row.
    assert data_file.file.storage.exists(data_file.file.name)

    sign_in(page, live_server, "fp-mn")
    page.goto(live_server.url + second.get_absolute_url())
    page.check("#decision-approve")
    with page.expect_navigation():
        page.get_by_role("button", name="Send decision").click()
    assert page.locator(".badge.status-published").count() == 1
    assert page.locator('[data-version-row="2"]').get_by_text("Current").count() == 1
    assert page.locator('[data-version-row="1"] a').get_attribute("href") == (
        first.get_absolute_url()
    )

    page.goto(live_server.url + first.get_absolute_url())
    assert "A newer version of this dataset exists: version 2." in page.content()
    # The focal point's own download of the file (the archive link is named otherwise).
    assert page.get_by_role("link", name="Download", exact=True).count() == 1
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        for language in ("en", "ru"):
            for number, version in ((1, first), (2, second)):
                chosen = f"/i18n/language/?language={language}&next={version.get_absolute_url()}"
                page.goto(live_server.url + chosen)
                screenshot(page, f"version-{number}-{width}-{language}")
