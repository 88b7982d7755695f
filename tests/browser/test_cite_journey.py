"""A reader cites a dataset version from its page, in a reference manager's format."""

import bibtexparser
import pytest

from tests.factories import DatasetFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_copies_the_citation_and_downloads_it_as_bibtex(page, live_server, screenshot):
    uploader = UserFactory(first_name="Minji", last_name="Kim", organisation="NIE")
    dataset = DatasetFactory(
        uploader=uploader, title="Spoonbill colony counts", access_level="public", version=2
    )
    page.goto(f"{live_server.url}/data/{dataset.pk}/")
    citation = page.locator("#citation-text").input_value()
    assert citation.startswith("Kim, Minji (")
    assert "Spoonbill colony counts. Version 2. NEASPEC Knowledge Hub. Dataset." in citation
    screenshot(page, "dataset-cite")

    with page.expect_download() as download:
        page.get_by_role("link", name="BibTeX").click()
    assert download.value.suggested_filename == f"neaspec-dataset-{dataset.pk}-v2.bib"
    with open(download.value.path(), encoding="utf-8") as saved:
        (entry,) = bibtexparser.parse_string(saved.read()).entries
    assert (entry["title"], entry["version"]) == ("Spoonbill colony counts", "2")
