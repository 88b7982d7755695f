"""The secretariat's reports page and its downloads (CSV, XLSX).

Which reports exist and who sees them is ``reports.registry``'s (filled by
``reports.catalogue``); someone who may see none gets a 404, as on every page not theirs.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from neaspec_portal import params
from programme.selectors import FIGURE_FILTERS, FigureFilters
from reports import catalogue, exports, registry
from species.selectors import country_list

#: Imported for its side effect: the catalogue registers the reports.
CATALOGUE = catalogue


def _filters(request: HttpRequest) -> FigureFilters:
    return FigureFilters.from_values(params.read(request.GET, FIGURE_FILTERS, strict=False))


def reports_page(request: HttpRequest) -> HttpResponse:
    reports = registry.reports_for(request.user)
    if not reports:
        raise Http404("No reports for you.")
    filters = _filters(request)
    sections = []
    for report in reports:
        rows = report.rows(request.user, filters)
        sections.append(
            {
                "report": report,
                "rows": [[row.get(column.key) for column in report.columns] for row in rows],
                "chart": registry.chart_spec(report, rows),
                "chart_id": f"chart-{report.slug}",
                "notes": report.notes(filters),
            }
        )
    context = {
        "sections": sections,
        "filters": filters,
        "filters_active": filters != FigureFilters(),
        "countries": country_list(),
        "query_string": params.encode(FIGURE_FILTERS, filters.as_params()).urlencode(),
    }
    return render(request, "reports/reports.html", context)


def _filename(slug: str, filters: FigureFilters, extension: str) -> str:
    parts = ["neaspec", slug]
    if filters.year_from or filters.year_to:
        parts.append(f"{filters.year_from or ''}-{filters.year_to or ''}")
    if filters.country:
        parts.append(filters.country)
    return "_".join(parts) + "." + extension


def report_download(request: HttpRequest, slug: str, extension: str) -> HttpResponse:
    report = registry.access_report(request.user, slug)
    filters = _filters(request)
    rows = report.rows(request.user, filters)
    if extension == "csv":
        response = HttpResponse(exports.as_csv(report, rows), content_type="text/csv")
    else:
        content = exports.as_xlsx(report, rows, notes=list(report.notes(filters)))
        response = HttpResponse(content, content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{_filename(slug, filters, extension)}"'
    )
    return response
