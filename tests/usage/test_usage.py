"""Usage figures: every surface counts, figures equal the counts, and the policy holds.

Figures by country go to the owner side of an item and the secretariat; everyone else who
sees the item reads its totals by month; an item someone may not see is in none of their
figures (API, item page, public summary).
"""

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.db.models import Sum

from datasets import usage
from datasets.models import DailyCount
from publications.models import Publication
from tests.factories import DataFileFactory, DatasetFactory

API = "/api/v1/reports/usage/"


def _count(subject, object_id, day, country, kind, count):
    DailyCount.objects.create(
        subject=subject, object_id=object_id, day=day, country=country, kind=kind, count=count
    )


def _publication(uploader, *, status="published", country="KR"):
    return Publication.objects.create(
        type="report",
        title="Crane census",
        title_en="Crane census (English)",
        year=2024,
        language="en",
        visibility="public",
        status=status,
        uploader=uploader,
        owner_country_id=country,
    )


@pytest.fixture
def figures(db, researcher_a):
    """A published dataset of KR with views from KR, MN and visitors in two months, and a
    draft of KR counted too (as if viewed by its owner side)."""
    published = DatasetFactory(uploader=researcher_a, title="Tiger survey")
    draft = DatasetFactory(uploader=researcher_a, title="Secret den survey", status="draft")
    _count("dataset", published.pk, date(2026, 3, 2), "KR", "view", 4)
    _count("dataset", published.pk, date(2026, 3, 9), "KR", "view", 1)
    _count("dataset", published.pk, date(2026, 3, 9), "MN", "view", 2)
    _count("dataset", published.pk, date(2026, 3, 9), "MN", "download", 1)
    _count("dataset", published.pk, date(2026, 4, 1), "", "view", 3)
    _count("dataset", published.pk, date(2025, 12, 31), "KR", "download", 7)
    _count("dataset", draft.pk, date(2026, 3, 2), "KR", "view", 50)
    return published, draft


def _api_rows(client, user=None, **query):
    if user is not None:
        client.force_login(user)
    response = client.get(API, query)
    assert response.status_code == 200, response.content
    return response.json()


def test_it_counts_every_view_and_download_surface(client, db, researcher_a, researcher_b):
    dataset = DatasetFactory(uploader=researcher_a, access_level="public")
    data_file = DataFileFactory(dataset=dataset, state="ready")
    data_file.file.save("stations.csv", ContentFile(b"station,lat,lon\nA,43.1,131.2\n"))
    publication = _publication(researcher_a)
    client.force_login(researcher_b)
    client.get(f"/data/{dataset.pk}/")  # page
    client.get(f"/api/v1/datasets/{dataset.pk}/")  # API record
    client.get(f"/data/files/{data_file.pk}/download/")  # page download
    client.get(f"/api/v1/files/{data_file.pk}/download/")  # API download
    assert client.get(f"/api/v1/datasets/{dataset.pk}/export/dwca/").status_code == 200
    client.get(publication.get_absolute_url())
    client.get(f"/api/v1/publications/{publication.pk}/")
    recorded = {
        (subject, kind): total
        for subject, kind, total in DailyCount.objects.values_list("subject", "kind")
        .annotate(total=Sum("count"))
        .order_by()
    }
    assert recorded == {
        ("dataset", "view"): 2,
        ("dataset", "download"): 3,
        ("publication", "view"): 2,
    }
    assert set(DailyCount.objects.values_list("country", flat=True)) == {"MN"}
    month = date.today().strftime("%Y-%m")
    rows = _api_rows(client, researcher_a)
    assert rows == [
        {
            "item_type": "dataset",
            "item_id": dataset.pk,
            "title": dataset.title,
            "month": month,
            "country": "MN",
            "views": 2,
            "downloads": 3,
        },
        {
            "item_type": "publication",
            "item_id": publication.pk,
            "title": "Crane census (English)",
            "month": month,
            "country": "MN",
            "views": 2,
            "downloads": 0,
        },
    ]


@pytest.mark.parametrize("who", ["researcher_a", "focal_point_a", "secretariat"])
def test_it_gives_the_owner_side_and_the_secretariat_figures_by_country(
    client, figures, request, who
):
    published, draft = figures
    rows = _api_rows(client, request.getfixturevalue(who), type="dataset", id=published.pk)
    assert [(r["month"], r["country"], r["views"], r["downloads"]) for r in rows] == [
        ("2025-12", "KR", 0, 7),
        ("2026-03", "KR", 5, 0),
        ("2026-03", "MN", 2, 1),
        ("2026-04", "", 3, 0),
    ]
    # The owner side sees its draft's figures too.
    assert _api_rows(client, type="dataset", id=draft.pk)[0]["views"] == 50


@pytest.mark.parametrize("who", ["visitor", "researcher_b", "focal_point_b", "pending"])
def test_it_gives_everyone_else_totals_by_month_and_nothing_of_a_draft(
    client, figures, request, who
):
    published, draft = figures
    user = request.getfixturevalue(who)
    rows = _api_rows(client, None if who == "visitor" else user)
    assert [(r["item_id"], r["month"], r["country"], r["views"], r["downloads"]) for r in rows] == [
        (published.pk, "2025-12", None, 0, 7),
        (published.pk, "2026-03", None, 7, 1),
        (published.pk, "2026-04", None, 3, 0),
    ]
    assert _api_rows(client, type="dataset", id=draft.pk) == []
    # Asking by country reveals nothing of items they do not answer for.
    assert _api_rows(client, country="MN") == []
    assert all("Secret" not in r["title"] for r in rows)


def test_the_year_and_country_filters_keep_their_rows(client, figures, secretariat):
    published, draft = figures
    rows = _api_rows(client, secretariat, year=2026, country="mn")
    assert [(r["item_id"], r["month"], r["country"], r["views"]) for r in rows] == [
        (published.pk, "2026-03", "MN", 2)
    ]
    rows = _api_rows(client, year=2025)
    assert [(r["month"], r["downloads"]) for r in rows] == [("2025-12", 7)]


def test_the_figures_equal_the_counts_recorded(figures, secretariat):
    rows = usage.usage_figures(user=secretariat)
    recorded = DailyCount.objects.aggregate(total=Sum("count"))["total"]
    assert sum(r["views"] + r["downloads"] for r in rows) == recorded


@pytest.mark.parametrize(
    "query",
    [{"year": "last"}, {"country": "Korea"}, {"type": "event"}, {"id": "3"}, {"id": "-1"}],
)
def test_it_refuses_bad_parameters_with_a_400(client, db, query):
    response = client.get(API, {**query, **({"type": "dataset"} if query == {"id": "-1"} else {})})
    assert response.status_code == 400
    assert next(iter(query)) in response.json()


def test_an_unpublished_publication_leaks_nowhere(client, db, researcher_a, researcher_b):
    waiting = _publication(researcher_a, status="submitted")
    _count("publication", waiting.pk, date(2026, 5, 5), "KR", "view", 9)
    assert _api_rows(client, researcher_b) == []
    assert usage.usage_by_month(user=researcher_b) == []
    page = client.get("/data/usage/").content.decode()
    assert "May 2026" not in page
    assert [r["views"] for r in _api_rows(client, researcher_a)] == [9]


def test_the_public_summary_sums_the_visible_items_by_month(client, figures):
    assert usage.usage_by_month(user=client.get("/").wsgi_request.user) == [
        {"month": "2025-12", "views": 0, "downloads": 7},
        {"month": "2026-03", "views": 7, "downloads": 1},
        {"month": "2026-04", "views": 3, "downloads": 0},
    ]
    page = client.get("/data/usage/?year=2026").content.decode()
    assert "March 2026" in page and "December 2025" not in page
    assert "50" not in page  # the draft's views


def test_the_item_page_shows_the_table_to_the_owner_side_only(
    client, figures, researcher_a, researcher_b
):
    published, _draft = figures
    client.force_login(researcher_b)
    page = client.get(f"/data/{published.pk}/").content.decode()
    assert "by month and country" not in page
    assert "(KR " not in page and "MN 1" not in page
    client.force_login(researcher_a)
    page = client.get(f"/data/{published.pk}/").content.decode()
    assert "Views and downloads by month and country" in page
    assert "March 2026" in page and "5 / 0" in page and "2 / 1" in page


def test_the_publication_page_shows_the_table_to_its_country_focal_point(
    client, db, researcher_a, focal_point_a, focal_point_b
):
    publication = _publication(researcher_a)
    _count("publication", publication.pk, date(2026, 2, 2), "JP", "download", 3)
    client.force_login(focal_point_b)
    assert "by month and country" not in client.get(publication.get_absolute_url()).content.decode()
    client.force_login(focal_point_a)
    page = client.get(publication.get_absolute_url()).content.decode()
    assert "by month and country" in page and "JP" in page


def test_the_figures_take_a_fixed_number_of_queries(
    client, figures, focal_point_a, django_assert_num_queries
):
    for number in range(5):
        _count(
            "publication", _publication(focal_point_a).pk, date(2026, 1, 1), "KR", "view", number
        )
    # Expect 4 queries: the focal point's countries, the counts grouped (visibility and
    # detail as subqueries), the datasets' titles, the publications' titles.
    with django_assert_num_queries(4):
        rows = usage.usage_figures(user=focal_point_a)
    assert len(rows) == 10


def test_the_item_table_has_a_column_per_country_and_a_row_per_month(figures, researcher_a):
    published, _draft = figures
    rows = usage.usage_figures(user=researcher_a, item_type="dataset", item_id=published.pk)
    table = usage.usage_table(rows)
    assert table["countries"] == ["KR", "MN", ""]
    assert [
        (row["month"], row["cells"], row["views"], row["downloads"]) for row in table["months"]
    ] == [
        (date(2026, 4, 1), [(0, 0), (0, 0), (3, 0)], 3, 0),
        (date(2026, 3, 1), [(5, 0), (2, 1), (0, 0)], 7, 1),
        (date(2025, 12, 1), [(0, 7), (0, 0), (0, 0)], 0, 7),
    ]
