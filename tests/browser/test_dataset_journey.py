"""A restricted snow-leopard dataset from upload to an approved download, in Chromium."""

import pytest

from accounts.management.commands.seed_demo import seed_accounts
from datasets.models import DataFile
from datasets.processing import pipeline
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSV = (
    b"scientificName,eventDate,decimalLatitude,decimalLongitude\n"
    b"Panthera uncia,2024-05-02,49.1,88.6\n"
)


def test_a_restricted_dataset_is_shared_reviewed_requested_and_downloaded(
    page, live_server, screenshot, tmp_path
):
    seed_accounts()
    csv_path = tmp_path / "argut-cameras.csv"
    csv_path.write_bytes(CSV)

    sign_in(page, live_server, "researcher-mn")
    page.goto(live_server.url + "/data/new/")
    page.fill("#id_title", "Ирвэсийн камерын судалгаа 2024")
    page.fill("#id_title_en", "Snow leopard camera survey 2024")
    page.select_option("#id_method", "camera_traps")
    page.select_option("#id_species", "SNOW_LEOPARD")
    page.select_option("#id_licence", "CC-BY-4.0")
    page.select_option("#id_access_level", "restricted")
    screenshot(page, "dataset-form")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.set_input_files("#id_files", str(csv_path))
    with page.expect_navigation():
        page.click("#upload-form button[type=submit]")
    page.get_by_text("argut-cameras.csv").first.wait_for()
    # No worker runs in the tests: read the file here, as one would, so that it may be submitted.
    assert pipeline.process(DataFile.objects.get(original_name="argut-cameras.csv").pk) == "ready"
    screenshot(page, "dataset-files")
    page.get_by_role("link", name="Back to the dataset").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Submit for review").click()
    dataset_url = page.url

    sign_in(page, live_server, "fp-mn")
    page.goto(dataset_url)
    page.check("#decision-approve")
    with page.expect_navigation():
        page.get_by_role("button", name="Send decision").click()
    assert page.locator(".badge.status-published").count() == 1

    sign_in(page, live_server, "researcher-kr")
    page.goto(dataset_url)
    assert page.get_by_role("link", name="Download", exact=True).count() == 0
    assert "Restricted to Mongolia" in page.content()
    screenshot(page, "dataset-restricted-for-kr")
    page.get_by_role("link", name="Request access").click()
    page.fill("#id_purpose", "Transboundary Altai snow leopard estimate")
    with page.expect_navigation():
        page.click("main button[type=submit]")

    sign_in(page, live_server, "fp-mn")
    page.goto(live_server.url + "/data/requests/")
    screenshot(page, "access-requests")
    with page.expect_navigation():
        page.get_by_role("button", name="Grant").click()

    sign_in(page, live_server, "researcher-kr")
    page.goto(dataset_url)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download", exact=True).click()
    downloaded = download_info.value.path().read_bytes()
    assert downloaded == CSV
    screenshot(page, "dataset-downloadable-for-kr")
