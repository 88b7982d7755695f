"""``/api/v1/reports/capacity/`` and ``/api/v1/reports/participation/``: the programme's figures.

Anyone may read them, signed in or not. They are sums of participant counts of events, and
published events are public records (the events pages and ``/api/v1/events/`` show each
with its participants by country and gender to everyone; drafts count nowhere); no
figure here says more than those already do, and none names a person. The secretariat's
reports page charts and exports the same sums (``reports``). Filters: ``year`` (or
``year_from`` and ``year_to``) and ``country``; an invalid value is a 400 that says what
to give.
"""

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from neaspec_portal import params
from programme import selectors

GENDER_FIELDS = {
    "women": serializers.IntegerField(),
    "men": serializers.IntegerField(),
    "other": serializers.IntegerField(help_text="Other or undisclosed."),
    "total": serializers.IntegerField(),
    "women_share": serializers.FloatField(
        allow_null=True, help_text="Women in per cent of the total; null when it is 0."
    ),
}


def _gender_row(name: str, **extra: serializers.Field) -> serializers.Serializer:
    return inline_serializer(name, {**extra, **GENDER_FIELDS})


def _year_rows(name: str, **extra: serializers.Field) -> serializers.Serializer:
    return inline_serializer(
        name, {"year": serializers.IntegerField(), **extra, **GENDER_FIELDS}, many=True
    )


def _country_rows(name: str) -> serializers.Serializer:
    return inline_serializer(
        name,
        {
            "country": serializers.CharField(
                allow_null=True, help_text="ISO code; null for partners and others."
            ),
            **GENDER_FIELDS,
        },
        many=True,
    )


def _coded_rows(name: str) -> serializers.Serializer:
    return inline_serializer(name, {"code": serializers.CharField(), **GENDER_FIELDS}, many=True)


def _filters(request: Request) -> selectors.FigureFilters:
    values = params.read(request.query_params, selectors.API_FIGURE_FILTERS, strict=True)
    return selectors.FigureFilters.from_values(values)


def _filters_out(filters: selectors.FigureFilters) -> dict:
    return {"year_from": filters.year_from, "year_to": filters.year_to, "country": filters.country}


def _gender(row: dict) -> dict:
    return {key: row[key] for key in GENDER_FIELDS}


def _countries(rows: list[dict]) -> list[dict]:
    return [{"country": row["country"], **_gender(row)} for row in rows]


def _coded(rows: list[dict]) -> list[dict]:
    return [{"code": row["code"], **_gender(row)} for row in rows]


FILTERS_OUT = inline_serializer(
    "ReportFilters",
    {
        "year_from": serializers.IntegerField(allow_null=True),
        "year_to": serializers.IntegerField(allow_null=True),
        "country": serializers.CharField(),
    },
)


class ParticipationView(APIView):
    """Participants of every event, added up by year and by country, by gender (public)."""

    @extend_schema(
        parameters=params.openapi(selectors.API_FIGURE_FILTERS),
        responses=inline_serializer(
            "ParticipationReport",
            {
                "filters": FILTERS_OUT,
                "events": serializers.IntegerField(help_text="Events with participants counted."),
                "total": _gender_row("ParticipationTotal"),
                "by_year": _year_rows("ParticipationYear"),
                "by_country": _country_rows("ParticipationCountry"),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        figures = selectors.participation_figures(filters=_filters(request))
        return Response(
            {
                "filters": _filters_out(figures["filters"]),
                "events": figures["events"],
                "total": _gender(figures["total"]),
                "by_year": [{"year": row["year"], **_gender(row)} for row in figures["by_year"]],
                "by_country": _countries(figures["by_country"]),
            }
        )


class CapacityView(APIView):
    """Trainees of trainings, and frontline staff trained against the target (public)."""

    @extend_schema(
        parameters=params.openapi(selectors.API_FIGURE_FILTERS),
        responses=inline_serializer(
            "CapacityReport",
            {
                "filters": FILTERS_OUT,
                "target": inline_serializer(
                    "CapacityTarget",
                    {
                        "measure": serializers.CharField(),
                        "value": serializers.IntegerField(),
                        "start_year": serializers.IntegerField(),
                        "end_year": serializers.IntegerField(),
                    },
                    allow_null=True,
                ),
                "frontline_trained": _gender_row(
                    "CapacityFrontline",
                ),
                "progress": serializers.FloatField(
                    allow_null=True,
                    help_text="Frontline staff trained in the target's period, in per cent of "
                    "the target (whatever the filters); null without a target.",
                ),
                "trainings": serializers.IntegerField(),
                "total": _gender_row("CapacityTotal"),
                "by_year": _year_rows(
                    "CapacityYear",
                    frontline=serializers.IntegerField(),
                    running=serializers.IntegerField(
                        help_text="Frontline staff trained up to this year (within the filters)."
                    ),
                ),
                "by_country": _country_rows("CapacityCountry"),
                "frontline_by_country": _country_rows("CapacityFrontlineCountry"),
                "by_age_group": _coded_rows("CapacityAgeGroup"),
                "frontline_by_age_group": _coded_rows("CapacityFrontlineAgeGroup"),
                "by_role": _coded_rows("CapacityRole"),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        figures = selectors.capacity_figures(filters=_filters(request), year=timezone.now().year)
        target = figures["target"]
        return Response(
            {
                "filters": _filters_out(figures["filters"]),
                "target": None
                if target is None
                else {
                    "measure": target.measure,
                    "value": target.value,
                    "start_year": target.start_year,
                    "end_year": target.end_year,
                },
                "frontline_trained": _gender(figures["frontline"]),
                "progress": figures["progress"],
                "trainings": figures["trainings"],
                "total": _gender(figures["total"]),
                "by_year": [
                    {
                        "year": row["year"],
                        "frontline": row["frontline"],
                        "running": row["running"],
                        **_gender(row),
                    }
                    for row in figures["by_year"]
                ],
                "by_country": _countries(figures["by_country"]),
                "frontline_by_country": _countries(figures["frontline_by_country"]),
                "by_age_group": _coded(figures["by_age_group"]),
                "frontline_by_age_group": _coded(figures["frontline_by_age_group"]),
                "by_role": _coded(figures["by_role"]),
            }
        )


urlpatterns = [
    path("reports/capacity/", CapacityView.as_view(), name="report_capacity"),
    path("reports/participation/", ParticipationView.as_view(), name="report_participation"),
]
