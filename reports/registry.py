"""The secretariat's reports: a small registry that the reports page, its downloads and
its charts read.

A report is a table with a chart: a slug, a title, its columns, a function that returns
its rows for a user and the filters (a period and a member State), the chart to draw from
those rows, and who may see it. The reports page (``/reports/``) shows every report the
user may see, each as a chart with its table beside it, and offers it as CSV and XLSX
(``/reports/<slug>.csv``, ``.xlsx``). Someone who may see none of them gets a 404 there,
as on every page that is not theirs.

To add a report, call ``register`` once, e.g. at the end of ``reports/catalogue.py``::

    register(
        Report(
            slug="usage",
            title=_("Views and downloads"),
            columns=(Column("month", _("Month"), numeric=False), Column("views", _("Views"))),
            rows=usage_rows,  # (user, ReportFilters) -> list of dicts keyed by column
            chart=Chart(kind="line", series=("views",)),
            may_see=policy.is_secretariat,
        )
    )

``rows`` must itself obey the access policy for ``user`` (the registry only hides the
report from those ``may_see`` refuses). The first column labels the chart's x axis.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404
from django.utils.functional import Promise

from programme.selectors import FigureFilters

#: What a report's rows function is given: the same filters as the programme's pages.
ReportFilters = FigureFilters


@dataclass(frozen=True)
class Column:
    """One column of a report: the key of its value in each row, and its (translated) label."""

    key: str
    label: str | Promise
    numeric: bool = True


@dataclass(frozen=True)
class Chart:
    """How to draw a report: ``bar`` or ``line``, the columns drawn as series, stacked or not."""

    kind: str = "bar"
    series: tuple[str, ...] = ()
    stacked: bool = False
    #: Columns drawn as a line over the bars (e.g. a running total), on the same axis.
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Report:
    slug: str
    title: str | Promise
    columns: tuple[Column, ...]
    rows: Callable[[Any, ReportFilters], list[dict[str, Any]]]
    chart: Chart
    may_see: Callable[[Any], bool]
    description: str | Promise = ""
    #: Lines said under the table (e.g. the target the figures are measured against).
    notes: Callable[[ReportFilters], Sequence[str]] = field(default=lambda filters: ())


_REPORTS: dict[str, Report] = {}


def register(report: Report) -> Report:
    """Add ``report`` to the reports page; a slug may be registered only once."""
    if report.slug in _REPORTS and _REPORTS[report.slug] is not report:
        raise ValueError(f"A report {report.slug!r} is registered already: choose another slug.")
    _REPORTS[report.slug] = report
    return report


def reports_for(user) -> list[Report]:
    """Return the reports ``user`` may see, in the order they were registered."""
    return [report for report in _REPORTS.values() if report.may_see(user)]


def access_report(user, slug: str) -> Report:
    """Return the report ``slug`` if ``user`` may see it; raise Http404 otherwise."""
    report = _REPORTS.get(slug)
    if report is None or not report.may_see(user):
        raise Http404("No such report.")
    return report


def chart_spec(report: Report, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Return what ``static/js/reports.js`` draws: labels, series (translated) and kind."""
    labels_column = report.columns[0]
    titles = {column.key: str(column.label) for column in report.columns}
    return {
        "kind": report.chart.kind,
        "stacked": report.chart.stacked,
        "labels": [str(row[labels_column.key]) for row in rows],
        "series": [
            {"label": titles[key], "data": [row.get(key) or 0 for row in rows], "line": False}
            for key in report.chart.series
        ]
        + [
            {"label": titles[key], "data": [row.get(key) or 0 for row in rows], "line": True}
            for key in report.chart.lines
        ],
        "xTitle": str(labels_column.label),
    }
