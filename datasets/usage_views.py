"""The public summary of usage: views and downloads of the hub's items by month.

Anyone may read it: it sums the items the reader may see (for a visitor, the published
ones) and names no country; figures by country are on the item pages of the people who
answer for them and in ``/api/v1/reports/usage/``.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from datasets import usage
from neaspec_portal import params

USAGE_PAGE_FILTERS = (params.year(),)


@require_GET
def usage_summary(request: HttpRequest) -> HttpResponse:
    year = params.read(request.GET, USAGE_PAGE_FILTERS, strict=False)["year"]
    rows = usage.usage_by_month(user=request.user, year=year)
    context = {
        "rows": [{**row, "month_start": usage.month_start(row["month"])} for row in rows],
        "year": year,
        "years": usage.usage_years(user=request.user),
        "total_views": sum(row["views"] for row in rows),
        "total_downloads": sum(row["downloads"] for row in rows),
    }
    return render(request, "datasets/usage.html", context)
