"""The secretariat opens the reports, downloads a CSV, and the charts are drawn in six languages."""

import csv
import io

import pytest

from accounts.management.commands.seed_demo import seed_accounts
from accounts.models import User
from programme.demo import seed_trainings
from programme.models import ProgrammeTarget
from publications import events_services
from publications.demo import INCHEON, PARTICIPANTS
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["en", "zh-hans", "ja", "ko", "mn", "ru"]

#: Return, for each chart, whether Chart.js owns it and has painted pixels on it.
CHARTS_DRAWN = """() => [...document.querySelectorAll('canvas[data-report-chart]')].map(canvas => {
  const chart = Chart.getChart(canvas);
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) { painted++; } }
  const legend = chart ? chart.data.datasets.map(d => d.label) : [];
  return {drawn: Boolean(chart) && painted > 1000, legend: legend};
})"""


def _seed():
    seed_accounts()
    secretariat = User.objects.get(username="secretariat")
    workshop = events_services.event_save(actor=secretariat, **INCHEON)
    workshop = events_services.event_publish(actor=secretariat, event=workshop)
    events_services.participants_set(actor=secretariat, event=workshop, counts=PARTICIPANTS)
    seed_trainings(secretariat=secretariat)
    # A transactional test empties the tables, the migration's target with them.
    ProgrammeTarget.objects.get_or_create(
        measure="frontline_trained", start_year=2024, defaults={"value": 200, "end_year": 2030}
    )


def test_the_secretariat_downloads_a_report_and_sees_its_charts_in_every_language(
    page, live_server, screenshot
):
    _seed()
    sign_in(page, live_server, "secretariat")
    page.goto(live_server.url + "/reports/")
    assert page.get_by_role("heading", name="Reports", level=1).is_visible()

    with page.expect_download() as download_info:
        page.locator("#participation-countries").get_by_role("link", name="CSV").click()
    download = download_info.value
    assert download.suggested_filename == "neaspec_participation-countries.csv"
    rows = list(csv.reader(io.StringIO(open(download.path(), encoding="utf-8-sig").read())))
    assert rows[0] == ["From", "Women", "Men", "Other or undisclosed", "Total", "Women (%)"]
    assert rows[-1] == ["Partners and others", "6", "6", "0", "12", "50.0"]
    assert sum(int(row[4]) for row in rows[1:]) == 61 + 109

    for language in LANGUAGES:
        page.context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
        page.goto(live_server.url + "/reports/?year_from=2024&year_to=2030")
        charts = page.evaluate(CHARTS_DRAWN)
        assert len(charts) == 6 and all(chart["drawn"] for chart in charts), (language, charts)
        assert page.evaluate("document.documentElement.lang") == language
        if language in ("en", "ru"):
            screenshot(page, f"reports-{language}")
    # The legends are the columns' labels, in the page's language (English here; the other
    # catalogs are filled in when the branches are merged).
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(live_server.url + "/reports/")
    assert page.evaluate(CHARTS_DRAWN)[2]["legend"] == ["Women", "Men", "Other or undisclosed"]

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/reports/")
    assert all(chart["drawn"] for chart in page.evaluate(CHARTS_DRAWN))
    screenshot(page, "reports-phone")


def test_a_visitor_finds_no_reports_but_reads_capacity_and_participation(
    page, live_server, screenshot
):
    _seed()

    response = page.goto(live_server.url + "/reports/")
    assert response.status == 404
    page.goto(live_server.url + "/capacity/")
    assert page.get_by_role("heading", name="89 of 200 frontline staff trained").is_visible()
    screenshot(page, "capacity")
    page.goto(live_server.url + "/participation/")
    assert page.get_by_role("heading", name="170 participants at 3 events").is_visible()
    screenshot(page, "participation")
