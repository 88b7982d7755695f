"""QuickSelect renders what Django's Select renders."""

import pytest
from django import forms
from django.test.html import parse_html

from neaspec_portal.widgets import QuickSelect

CHOICES = [("", "All"), ("a&b", "Tom & <Jerry>"), ("2", "Второй"), ("3", "三")]
GROUPED = [("", "All"), ("Cats", [("t", "Tiger"), ("l", "Leopard")]), ("c", "Crane")]


@pytest.mark.parametrize("choices", [CHOICES, GROUPED])
@pytest.mark.parametrize("value", ["", "a&b", "l", "missing"])
def test_it_renders_the_markup_of_djangos_select(choices, value):
    attrs = {"class": "form-select", "aria-describedby": "x_help", "id": "id_x"}
    django = forms.Select(choices=choices).render("x", value, attrs=attrs)
    quick = QuickSelect(choices=choices).render("x", value, attrs=attrs)
    assert parse_html(quick) == parse_html(django)
    assert "<Jerry>" not in quick


def test_the_dataset_filters_keep_the_chosen_value(client, db):
    page = client.get("/data/", {"species": "TIGER_AMUR", "access_level": "restricted"})
    html = page.content.decode()
    assert '<option value="TIGER_AMUR" selected>' in html
    assert '<option value="restricted" selected>' in html
