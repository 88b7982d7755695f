"""Dates nobody misreads: ISO in data contexts, CLDR long forms in prose, in six languages."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from neaspec_portal.dates import iso_date, iso_datetime, long_date
from tests.factories import DatasetFactory

DAY = datetime.date(2025, 1, 10)

LONG = {
    "en": "January 10, 2025",
    "zh-hans": "2025年1月10日",
    "ja": "2025年1月10日",
    "ko": "2025년 1월 10일",
    # CLDR's Mongolian: the month in the genitive, lower case, after the year; CLDR keeps
    # the year and its word together with a narrow no-break space.
    "mn": "2025\u202fоны нэгдүгээр сарын 10",
    "ru": "10 января 2025\u202fг.",
}


@pytest.mark.parametrize(("language", "expected"), LONG.items())
def test_it_writes_the_long_form_of_each_language(language, expected):
    assert long_date(DAY, language) == expected
    with translation.override(language):
        assert long_date(DAY) == expected


@pytest.mark.parametrize("language", LONG)
def test_iso_is_the_same_in_every_language(language):
    noon = datetime.datetime(2025, 1, 10, 12, 5, tzinfo=datetime.UTC)
    with translation.override(language):
        assert iso_date(DAY) == "2025-01-10"
        assert iso_date(noon) == "2025-01-10"
        assert iso_datetime(noon) == "2025-01-10 12:05"


def test_it_shows_nothing_for_no_date():
    assert iso_date(None) == iso_datetime(None) == long_date(None) == ""


def test_an_unknown_language_falls_back_to_english():
    assert long_date(DAY, "xx") == "January 10, 2025"


@pytest.mark.parametrize(("language", "expected"), LONG.items())
def test_the_template_filters_follow_the_active_language(language, expected):
    template = Template("{% load portal %}{{ day|iso_date }}|{{ day|long_date }}")
    with translation.override(language):
        assert template.render(Context({"day": DAY})) == f"2025-01-10|{expected}"


@pytest.mark.django_db
@pytest.mark.parametrize("language", LONG)
def test_a_dataset_page_shows_the_coverage_in_iso(client, language):
    dataset = DatasetFactory(
        temporal_start=datetime.date(2025, 1, 10), temporal_end=datetime.date(2025, 6, 12)
    )
    client.cookies["django_language"] = language
    html = client.get(dataset.get_absolute_url()).content.decode()
    assert "2025-01-10 – 2025-06-12" in html
    assert "01/10/2025" not in html
