"""Reads of the programme's figures: participation in events and capacity building.

Both add up ``publications.ParticipantCount`` rows, in the database, with one grouped query
each: participation every event's rows, capacity building only the rows of trainings.
Only published events count (``access.policy.listed_events``: a draft waits unseen until
the secretariat publishes it), and only sums leave these functions, never a person; so the
figures are the same for everyone.

An event counts in the year it starts. A country filter leaves out partners' rows (they
have no country); the totals then are those of the member State alone.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from access import policy
from neaspec_portal import params
from programme.models import ProgrammeTarget, TargetMeasure
from publications.models import AgeGroup, EventType, ParticipantCount, ParticipantRole
from species.models import Country

GENDERS = ("women", "men", "other")
#: The query parameters of the pages and of the reports: a period and a member State.
FIGURE_FILTERS = (
    params.year("year_from", description="First year (events that start in it or later)."),
    params.year("year_to", description="Last year (events that start in it or earlier)."),
    params.country(),
)
#: The API's: a single ``year`` as well, the issue's name for a one-year period.
API_FIGURE_FILTERS = (
    params.year(description="One year: the same as year_from and year_to both set to it."),
    *FIGURE_FILTERS,
)


@dataclass(frozen=True)
class FigureFilters:
    """A period (years, inclusive, either end open) and a member State ('' for all)."""

    year_from: int | None = None
    year_to: int | None = None
    country: str = ""

    @classmethod
    def from_values(cls, values: dict[str, Any]) -> "FigureFilters":
        """Return the filters read by ``params.read`` (``year`` sets both ends)."""
        year = values.get("year")
        return cls(
            year_from=year or values.get("year_from"),
            year_to=year or values.get("year_to"),
            country=values.get("country") or "",
        )

    def as_params(self) -> dict[str, Any]:
        return {"year_from": self.year_from, "year_to": self.year_to, "country": self.country}


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _row(women: int = 0, men: int = 0, other: int = 0, **extra: Any) -> dict[str, Any]:
    total = women + men + other
    return {
        **extra,
        "women": women,
        "men": men,
        "other": other,
        "total": total,
        "women_share": _share(women, total),
    }


def _counts(filters: FigureFilters, *, trainings: bool) -> QuerySet[ParticipantCount]:
    rows = ParticipantCount.objects.filter(
        event__in=policy.listed_events(AnonymousUser()).values("pk")
    )
    if trainings:
        rows = rows.filter(event__type=EventType.TRAINING)
    if filters.year_from:
        rows = rows.filter(event__start_date__year__gte=filters.year_from)
    if filters.year_to:
        rows = rows.filter(event__start_date__year__lte=filters.year_to)
    if filters.country:
        rows = rows.filter(country_id=filters.country)
    return rows


def _grouped(rows: QuerySet[ParticipantCount], *fields: str) -> list[dict[str, Any]]:
    return list(
        rows.annotate(year=ExtractYear("event__start_date"))
        .values("year", *fields)
        .annotate(women=Sum("women"), men=Sum("men"), other=Sum("other"))
        .order_by("year", *fields)
    )


def _add_up(groups: Iterable[dict[str, Any]], key: str) -> dict[Any, dict[str, int]]:
    sums: dict[Any, dict[str, int]] = defaultdict(lambda: dict.fromkeys(GENDERS, 0))
    for group in groups:
        for gender in GENDERS:
            sums[group[key]][gender] += group[gender]
    return sums


def _by_country(groups: list[dict[str, Any]], names: dict[str, str]) -> list[dict[str, Any]]:
    sums = _add_up(groups, "country_id")
    ordered = sorted(sums, key=lambda code: (code is None, names.get(code or "", "")))
    partners = _("Partners and others")
    return [
        _row(
            **sums[code],
            country=code,
            name=names.get(code or "", ""),
            label=names.get(code or "") or partners,
        )
        for code in ordered
    ]


def country_names() -> dict[str, str]:
    """Return the member States' names in the active language, by code."""
    return {country.code: country.name for country in Country.objects.all()}


def participation_figures(*, filters: FigureFilters) -> dict[str, Any]:
    """Return every event's participants added up: in all, by year and by country, by gender.

    Each part holds women, men, other (or undisclosed), total and the share of women (in
    per cent, None when nobody was counted). ``events`` is how many events have counts.
    """
    rows = _counts(filters, trainings=False)
    groups = _grouped(rows, "country_id")
    names = country_names()
    by_year = _add_up(groups, "year")
    return {
        "filters": filters,
        "total": _row(**{g: sum(group[g] for group in groups) for g in GENDERS}),
        "events": rows.values("event_id").distinct().count(),
        "by_year": [_row(**by_year[year], year=year, label=str(year)) for year in sorted(by_year)],
        "by_country": _by_country(groups, names),
    }


def current_target(
    *, measure: str = TargetMeasure.FRONTLINE_TRAINED, year: int | None = None
) -> ProgrammeTarget | None:
    """Return the target of ``measure`` whose period holds ``year`` (else the latest set)."""
    targets = ProgrammeTarget.objects.filter(measure=measure)
    if year is not None:
        found = targets.filter(start_year__lte=year, end_year__gte=year).first()
        if found is not None:
            return found
    return targets.order_by("-start_year").first()


def capacity_figures(*, filters: FigureFilters, year: int) -> dict[str, Any]:
    """Return trainings' trainees added up, and frontline staff trained against the target.

    ``frontline`` is the running total of frontline staff trained in the target's period
    (``year`` picks the target: the current year's), whatever the filters, so the headline
    cannot be narrowed by mistake; the parts below follow the filters: ``by_year`` (with
    the running total of frontline staff), ``by_country``, ``by_age_group`` and ``by_role``,
    each by gender. ``frontline_by_*`` count frontline staff only.
    """
    rows = _counts(filters, trainings=True)
    groups = _grouped(rows, "country_id", "age_group", "role")
    frontline_groups = [group for group in groups if group["role"] == ParticipantRole.FRONTLINE]
    names = country_names()
    target = current_target(year=year)
    in_period = _counts(FigureFilters(), trainings=True).filter(role=ParticipantRole.FRONTLINE)
    if target is not None:
        in_period = in_period.filter(
            event__start_date__year__gte=target.start_year,
            event__start_date__year__lte=target.end_year,
        )
    sums = in_period.aggregate(women=Sum("women"), men=Sum("men"), other=Sum("other"))
    trained = sum(sums[gender] or 0 for gender in GENDERS)
    by_year = _add_up(groups, "year")
    frontline_by_year = _add_up(frontline_groups, "year")
    running = 0
    years = []
    for year_ in sorted(by_year):
        frontline = sum(frontline_by_year[year_].values())
        running += frontline
        years.append(
            _row(
                **by_year[year_], year=year_, label=str(year_), frontline=frontline, running=running
            )
        )
    by_age = _add_up(groups, "age_group")
    by_role = _add_up(groups, "role")
    frontline_by_age = _add_up(frontline_groups, "age_group")
    return {
        "filters": filters,
        "target": target,
        "frontline": _row(**{g: sums[g] or 0 for g in GENDERS}),
        "progress": _share(trained, target.value) if target is not None else None,
        "total": _row(**{g: sum(group[g] for group in groups) for g in GENDERS}),
        "trainings": rows.values("event_id").distinct().count(),
        "by_year": years,
        "by_country": _by_country(groups, names),
        "frontline_by_country": _by_country(frontline_groups, names),
        "by_age_group": [
            _row(**by_age[code], code=code, label=label)
            for code, label in AgeGroup.choices
            if code in by_age
        ],
        "frontline_by_age_group": [
            _row(**frontline_by_age[code], code=code, label=label)
            for code, label in AgeGroup.choices
            if code in frontline_by_age
        ],
        "by_role": [
            _row(**by_role[code], code=code, label=label)
            for code, label in ParticipantRole.choices
            if code in by_role
        ],
    }
