"""A focal point reviews a dataset by its profile and preview, without downloading it; a
grantee finds the end of their access on "My access". In Chromium, English and Russian,
at desktop and phone widths."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from access import policy
from access.models import AuditEvent
from accounts.management.commands.seed_demo import seed_accounts
from accounts.models import User
from datasets.models import DataFile, Dataset
from datasets.processing import pipeline
from species.models import Species
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSV = (
    "scientificName,eventDate,decimalLatitude,decimalLongitude,locality,individualCount\n"
    "Panthera tigris altaica,2024-02-11,43.1234,131.5678,Ranger hut 7,1\n"
    "Panthera tigris altaica,2024-02-14,43.2011,131.4422,Ridge trail,2\n"
    "Grus japonensis,2024-03-01,42.9876,131.1111,Marsh edge,4\n"
)
WIDTHS = {"desktop": 1366, "phone": 390}


def _submitted_dataset() -> Dataset:
    uploader = User.objects.get(username="researcher-kr")
    dataset = Dataset.objects.create(
        title="호랑이 카메라 조사 2024",
        title_en="Amur tiger camera survey 2024",
        method="camera_traps",
        licence="CC-BY-4.0",
        access_level="country",
        status="submitted",
        submitted_at=timezone.now(),
        review_round=1,
        owner_country_id="KR",
        uploader=uploader,
    )
    dataset.species.set(Species.objects.filter(code="TIGER_AMUR"))
    data_file = DataFile(dataset=dataset, original_name="tiger-records.csv", size=len(CSV))
    data_file.uploaded_by = uploader
    data_file.file.save("tiger-records.csv", ContentFile(CSV.encode()), save=True)
    assert pipeline.process(data_file.pk) == "ready"
    return dataset


def _shots(page, live_server, screenshot, path: str, name: str) -> None:
    """Screenshot ``path`` in English and Russian at both widths, previews open."""
    for language in ("en", "ru"):
        page.goto(f"{live_server.url}/i18n/language/?language={language}&next={path}")
        for label, width in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": 900})
            for details in page.locator("details.profile-preview").all():
                details.evaluate("element => { element.open = true; }")
            screenshot(page, f"{name}-{language}-{label}")
    page.goto(f"{live_server.url}/i18n/language/?language=en&next={path}")
    page.set_viewport_size({"width": 1366, "height": 900})


def test_a_focal_point_approves_by_the_preview_and_a_grantee_finds_the_end(
    page, live_server, screenshot
):
    seed_accounts()
    dataset = _submitted_dataset()
    path = f"/data/{dataset.pk}/"

    sign_in(page, live_server, "fp-kr")
    page.goto(live_server.url + path)
    assert page.get_by_role("heading", name="What the data holds").is_visible()
    page.locator("details.profile-preview summary").click()
    table = page.locator("details.profile-preview table")
    assert "43.1234" in table.inner_text()  # a focal point of the owner reads exact values
    assert page.locator("#profile-map .leaflet-interactive").count() >= 1
    _shots(page, live_server, screenshot, path, "review-by-preview")
    page.check("#decision-approve")
    with page.expect_navigation():
        page.get_by_role("button", name="Send decision").click()
    assert page.locator(".badge.status-published").count() == 1
    assert not AuditEvent.objects.filter(action="file.download").exists()

    page.context.clear_cookies()
    page.goto(live_server.url + path)
    page.locator("details.profile-preview summary").click()
    public = page.locator("details.profile-preview table").inner_text()
    assert "43.1" in public and "43.1234" not in public and "Ranger hut" not in public
    _shots(page, live_server, screenshot, path, "visitor-public-preview")

    grantee = User.objects.get(username="researcher-mn")
    policy.grant(
        dataset=dataset,
        user=grantee,
        until=timezone.now() + timedelta(days=45),
        granted_by=User.objects.get(username="fp-kr"),
    )
    sign_in(page, live_server, "researcher-mn")
    page.locator("nav .dropdown-toggle").last.click()
    with page.expect_navigation():
        page.get_by_role("link", name="My access").click()
    row = page.locator(f'tr[data-grant] >> text="{dataset.title_en}"')
    assert row.count() == 1
    end = (timezone.now() + timedelta(days=45)).year
    assert str(end) in page.locator("tr[data-grant]").inner_text()
    _shots(page, live_server, screenshot, "/data/my-access/", "my-access")
