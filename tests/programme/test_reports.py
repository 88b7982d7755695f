"""The reports page and its files: the secretariat's alone; figures as the selectors add them."""

import csv
import io

import pytest
from django.http import Http404
from django.urls import reverse
from openpyxl import load_workbook

from datasets import counts
from datasets.models import CountKind, CountSubject
from reports import exports, registry
from reports.catalogue import capacity_by_year
from tests.factories import DatasetFactory
from tests.programme.support import event_with, training_with

pytestmark = pytest.mark.django_db

SLUGS = [
    "capacity",
    "capacity-countries",
    "participation",
    "participation-countries",
    "usage",
    "usage-countries",
]


@pytest.fixture
def events(secretariat):
    event_with(secretariat, year=2024, counts={"KR": (12, 11, 1), "MN": (3, 3, 0)})
    training_with(
        secretariat,
        [("MN", "youth", "frontline", 6, 14, 0), ("RU", "other", "researcher", 2, 1, 0)],
        year=2025,
    )


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_secretariat_sees_every_report_with_chart_table_and_downloads(
    client, secretariat, events
):
    client.force_login(secretariat)

    response = client.get(reverse("reports:reports"))

    assert response.status_code == 200
    content = response.content.decode()
    for slug in SLUGS:
        assert f'data-report-chart="chart-{slug}"' in content
        assert f'id="chart-{slug}"' in content  # the chart's data, as JSON
        assert reverse("reports:download", args=[slug, "csv"]) in content
        assert reverse("reports:download", args=[slug, "xlsx"]) in content
    assert "/static/vendor/chart.js/chart.umd.min.js" in content
    assert "<caption" in content


@pytest.mark.parametrize("who", ["visitor", "researcher_a", "focal_point_a", "partner", "pending"])
def test_the_reports_do_not_exist_for_anyone_else(client, request, events, who):
    if who != "visitor":
        client.force_login(request.getfixturevalue(who))

    assert client.get(reverse("reports:reports")).status_code == 404
    for slug in SLUGS:
        for extension in ("csv", "xlsx"):
            response = client.get(reverse("reports:download", args=[slug, extension]))
            assert response.status_code == 404


def test_an_unknown_report_or_format_is_missing(client, secretariat):
    client.force_login(secretariat)

    assert client.get("/reports/nothing.csv").status_code == 404
    assert client.get("/reports/capacity.pdf").status_code == 404


def test_the_csv_holds_the_figures_of_the_chosen_period_and_country(client, secretariat, events):
    client.force_login(secretariat)

    everything = _csv(client.get(reverse("reports:download", args=["participation", "csv"])))
    response = client.get(
        reverse("reports:download", args=["participation-countries", "csv"]),
        {"year_from": "2025", "year_to": "2025", "country": "MN"},
    )

    assert everything == [
        ["Year", "Women", "Men", "Other or undisclosed", "Total", "Women (%)"],
        ["2024", "15", "14", "1", "30", "50.0"],
        ["2025", "8", "15", "0", "23", "34.8"],
    ]
    assert response["Content-Type"] == "text/csv"
    assert "neaspec_participation-countries_2025-2025_MN.csv" in response["Content-Disposition"]
    assert _csv(response)[1:] == [["Mongolia", "6", "14", "0", "20", "30.0"]]


def test_the_capacity_csv_gives_the_running_total_and_the_xlsx_the_same_rows_and_target(
    client, secretariat, events
):
    client.force_login(secretariat)

    rows = _csv(client.get(reverse("reports:download", args=["capacity", "csv"])))
    response = client.get(reverse("reports:download", args=["capacity", "xlsx"]))

    assert rows[0][-2:] == ["Frontline staff", "Frontline staff, running total"]
    assert rows[1] == ["2025", "8", "15", "0", "23", "34.8", "20", "20"]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert [str(value) for value in values[1]] == rows[1]
    assert "of the target 200" in values[-1][0]


def test_the_files_are_in_the_users_language(client, secretariat, events):
    client.force_login(secretariat)
    client.cookies["django_language"] = "ru"

    rows = _csv(client.get(reverse("reports:download", args=["participation-countries", "csv"])))

    # Country names come from the reference data in six languages; the column labels are
    # gettext's (their catalogs are made when the branches are merged).
    assert [row[0] for row in rows[1:]] == ["Монголия", "Республика Корея", "Российская Федерация"]


def test_text_that_a_spreadsheet_would_run_is_written_as_text():
    report = registry.Report(
        slug="formula",
        title="Formula",
        columns=(registry.Column("name", "Name", numeric=False), registry.Column("n", "N")),
        rows=lambda user, filters: [],
        chart=registry.Chart(series=("n",)),
        may_see=lambda user: True,
    )

    lines = exports.table(report, [{"name": "=HYPERLINK(1)", "n": 12}, {"name": "Mongolia"}])

    assert lines[1:] == [["'=HYPERLINK(1)", 12], ["Mongolia", ""]]


def test_a_report_is_added_with_one_register_call_and_only_once(secretariat, researcher_a):
    report = registry.Report(
        slug="test-only",
        title="Test",
        columns=(registry.Column("year", "Year", numeric=False),),
        rows=lambda user, filters: [{"year": 2025}],
        chart=registry.Chart(series=("year",)),
        may_see=lambda user: user == secretariat,
    )
    registry.register(report)
    try:
        assert report in registry.reports_for(secretariat)
        assert report not in registry.reports_for(researcher_a)
        with pytest.raises(Http404):
            registry.access_report(researcher_a, "test-only")
        with pytest.raises(ValueError, match="registered already"):
            registry.register(registry.Report(**{**report.__dict__}))
    finally:
        registry._REPORTS.pop("test-only")


def test_a_report_is_drawn_from_its_rows(events, secretariat):
    report = registry.access_report(secretariat, "capacity")
    rows = capacity_by_year(secretariat, registry.ReportFilters())

    spec = registry.chart_spec(report, rows)

    assert spec["labels"] == ["2025"]
    assert [(series["label"], series["data"], series["line"]) for series in spec["series"]] == [
        ("Frontline staff", [20], False),
        ("Frontline staff, running total", [20], True),
    ]


def test_the_usage_reports_add_up_the_counts_recorded(client, secretariat, researcher_a):
    dataset = DatasetFactory(uploader=researcher_a, access_level="public")
    for reader, kind in [
        (researcher_a, CountKind.VIEW),
        (researcher_a, CountKind.DOWNLOAD),
        (secretariat, CountKind.VIEW),
    ]:
        counts.count_add(
            subject=CountSubject.DATASET, object_id=dataset.pk, kind=kind, reader=reader
        )
    client.force_login(secretariat)

    by_month = _csv(client.get(reverse("reports:download", args=["usage", "csv"])))
    by_country = _csv(client.get(reverse("reports:download", args=["usage-countries", "csv"])))

    assert [row[1:] for row in by_month[1:]] == [["2", "1"]]
    countries = {row[0]: row[1:] for row in by_country[1:]}
    assert countries["KR"] == ["1", "1"]
    assert sum(int(row[0]) for row in countries.values()) == 2
