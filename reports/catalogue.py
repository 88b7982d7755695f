"""The reports the portal offers, registered once: capacity building, participation, usage.

Add another report here with one ``register`` call (see ``reports.registry``).
"""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access import policy
from datasets import usage
from programme import selectors
from reports.registry import Chart, Column, Report, ReportFilters, register

GENDER_COLUMNS = (
    Column("women", gettext_lazy("Women")),
    Column("men", gettext_lazy("Men")),
    Column("other", gettext_lazy("Other or undisclosed")),
    Column("total", gettext_lazy("Total")),
    Column("women_share", gettext_lazy("Women (%)")),
)


def _capacity(filters: ReportFilters) -> dict[str, Any]:
    return selectors.capacity_figures(filters=filters, year=timezone.now().year)


def capacity_by_year(user, filters: ReportFilters) -> list[dict[str, Any]]:
    """Return trainees by year (trainings' start), with frontline staff and their running total."""
    return _capacity(filters)["by_year"]


def capacity_by_country(user, filters: ReportFilters) -> list[dict[str, Any]]:
    """Return trainees by member State (partners last), by gender."""
    return _capacity(filters)["by_country"]


def capacity_notes(filters: ReportFilters) -> list[str]:
    """Return the target frontline staff trained are measured against, and how far it is."""
    figures = _capacity(filters)
    target = figures["target"]
    if target is None:
        return [_("No target for frontline staff trained is set.")]
    return [
        _(
            "Frontline staff trained in %(start)d–%(end)d: %(trained)d of the target "
            "%(target)d (%(progress)s%%), whatever the filters."
        )
        % {
            "start": target.start_year,
            "end": target.end_year,
            "trained": figures["frontline"]["total"],
            "target": target.value,
            "progress": figures["progress"],
        }
    ]


def participation_by_year(user, filters: ReportFilters) -> list[dict[str, Any]]:
    """Return every event's participants by year, by gender, with the share of women."""
    return selectors.participation_figures(filters=filters)["by_year"]


def participation_by_country(user, filters: ReportFilters) -> list[dict[str, Any]]:
    """Return every event's participants by member State (partners last), by gender."""
    return selectors.participation_figures(filters=filters)["by_country"]


register(
    Report(
        slug="capacity",
        title=gettext_lazy("Capacity building by year"),
        description=gettext_lazy(
            "Trainees of trainings by the year the training started; frontline staff and "
            "their running total."
        ),
        columns=(
            Column("year", gettext_lazy("Year"), numeric=False),
            *GENDER_COLUMNS,
            Column("frontline", gettext_lazy("Frontline staff")),
            Column("running", gettext_lazy("Frontline staff, running total")),
        ),
        rows=capacity_by_year,
        chart=Chart(kind="bar", series=("frontline",), lines=("running",)),
        may_see=policy.is_secretariat,
        notes=capacity_notes,
    )
)
register(
    Report(
        slug="capacity-countries",
        title=gettext_lazy("Capacity building by country"),
        description=gettext_lazy("Trainees of trainings by member State and gender."),
        columns=(Column("label", gettext_lazy("From"), numeric=False), *GENDER_COLUMNS),
        rows=capacity_by_country,
        chart=Chart(kind="bar", series=("women", "men", "other"), stacked=True),
        may_see=policy.is_secretariat,
    )
)
register(
    Report(
        slug="participation",
        title=gettext_lazy("Participation by year"),
        description=gettext_lazy(
            "Participants of every event by the year it started, by gender, with the share "
            "of women."
        ),
        columns=(Column("year", gettext_lazy("Year"), numeric=False), *GENDER_COLUMNS),
        rows=participation_by_year,
        chart=Chart(kind="bar", series=("women", "men", "other"), stacked=True),
        may_see=policy.is_secretariat,
    )
)
register(
    Report(
        slug="participation-countries",
        title=gettext_lazy("Participation by country"),
        description=gettext_lazy("Participants of every event by member State and gender."),
        columns=(Column("label", gettext_lazy("From"), numeric=False), *GENDER_COLUMNS),
        rows=participation_by_country,
        chart=Chart(kind="bar", series=("women", "men", "other"), stacked=True),
        may_see=policy.is_secretariat,
    )
)


def _usage_rows(user, filters: ReportFilters) -> list[dict[str, Any]]:
    """Return the usage rows ``user`` may read in the filters' period and member State."""
    rows = usage.usage_figures(user=user, country=filters.country or None)
    first = f"{filters.year_from:04d}-01" if filters.year_from else ""
    last = f"{filters.year_to:04d}-12" if filters.year_to else "9999-12"
    return [row for row in rows if first <= row["month"] <= last]


def _sum_by(rows: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    totals: dict[str, dict[str, Any]] = {}
    for row in rows:
        label = row[key] if row[key] is not None else ""
        total = totals.setdefault(label, {key: label, "views": 0, "downloads": 0})
        total["views"] += row["views"]
        total["downloads"] += row["downloads"]
    return [totals[label] for label in sorted(totals)]


def usage_by_month(user, filters: ReportFilters) -> list[dict[str, Any]]:
    """Return views and downloads of datasets and publications by month, oldest first."""
    return _sum_by(_usage_rows(user, filters), "month")


def usage_by_country(user, filters: ReportFilters) -> list[dict[str, Any]]:
    """Return views and downloads by the readers' member State ("" for visitors and others)."""
    rows = _sum_by(_usage_rows(user, filters), "country")
    for row in rows:
        row["country"] = row["country"] or _("Visitors and others")
    return rows


USAGE_COLUMNS = (
    Column("views", gettext_lazy("Views")),
    Column("downloads", gettext_lazy("Downloads")),
)

register(
    Report(
        slug="usage",
        title=gettext_lazy("Views and downloads by month"),
        description=gettext_lazy(
            "Views of the pages and downloads of the files of datasets and publications; "
            "no person is counted, only their account's country."
        ),
        columns=(Column("month", gettext_lazy("Month"), numeric=False), *USAGE_COLUMNS),
        rows=usage_by_month,
        chart=Chart(kind="line", series=("views", "downloads")),
        may_see=policy.is_secretariat,
    )
)
register(
    Report(
        slug="usage-countries",
        title=gettext_lazy("Views and downloads by country"),
        description=gettext_lazy("Views and downloads by the country of the reader's account."),
        columns=(Column("country", gettext_lazy("Country"), numeric=False), *USAGE_COLUMNS),
        rows=usage_by_country,
        chart=Chart(kind="bar", series=("views", "downloads")),
        may_see=policy.is_secretariat,
    )
)
