"""Text stored by users never runs as script: not on the pages, not in the map's popups.

Every field the home page, the map, species and site pages show is filled with script
payloads; Chromium opens each page, hovers and clicks every map layer, and nothing may run,
be parsed as markup or even trip the Content-Security-Policy. The pages are checked twice:
as served, and with the CSP header removed, so that each defence holds on its own.
"""

import csv
import io
from datetime import date, timedelta

import pytest
from django.utils import timezone

from publications.models import Event, Publication
from species.models import Country, Species
from tests.factories import DatasetFactory
from tests.maps.conftest import processed_dataset

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAYLOADS = [
    '<img src=x onerror="window.__xss=1">',
    "<script>window.__xss=1</script>",
    '"><svg onload=window.__xss=1>',
    "</script><img src=x onerror=alert(1)>",
    "'><img src=x onerror=window.__xss=1 x='",
]
NAME_FIELDS = ["name_en", "name_zh", "name_ja", "name_ko", "name_mn", "name_ru"]

#: Runs before any page script: records what the CSP blocked.
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI + " " + event.sample);
});
"""
#: Elements a payload would have created had it been parsed as markup. JSON and JSON-LD
#: data blocks (neaspec_portal/jsonld.py) are never run; their escaping keeps them closed.
INJECTED = """() => document.querySelectorAll(
  'img[src="x"], [onerror], [onload], '
  + 'script:not([src]):not([type="application/json"]):not([type="application/ld+json"])'
).length"""


def poison(label: str, index: int = 0) -> str:
    """Return a readable label followed by one of the payloads."""
    return f"{label} {PAYLOADS[index % len(PAYLOADS)]}"


def _poison_names(item, label: str) -> None:
    for index, field in enumerate(NAME_FIELDS):
        setattr(item, field, poison(f"{label} {field}", index))


def _csv(rows: list[list[str]]) -> str:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["scientificName", "eventDate", "decimalLatitude", "decimalLongitude"])
    writer.writerows(rows)
    return text.getvalue()


@pytest.fixture
def poisoned(researcher_a, researcher_b):
    """Fill every field shown on the home, map, species and site pages with payloads."""
    cranes = processed_dataset(
        uploader=researcher_b,
        title=poison("Crane title", 1),
        title_en=poison("Crane English title", 0),
        text=_csv(
            [
                ["Grus monacha", "2023-12-10", "47.9100", "106.9200"],
                ["Grus monacha", "2024-01-14", "46.2000", "112.5000"],
                [poison("Unresolved name", 2), "2024-01-15", "48.1000", "110.1000"],
            ]
        ),
        species=["HOODED_CRANE"],
        access_level="public",
        method="bird_count",
        abstract=poison("Abstract", 3),
        citation=poison("Citation", 4),
        contact_name=poison("Contact", 0),
        contact_email="contact@example.org",
        licence_terms=poison("Licence terms", 1),
    )
    tigers = processed_dataset(
        uploader=researcher_a,
        title=poison("Tiger title", 2),
        text=_csv([["Panthera tigris altaica", "2023-03-02", "37.9000", "128.4000"]]),
        species=["TIGER_AMUR"],
        access_level="restricted",
    )
    no_points = DatasetFactory(uploader=researcher_a, title=poison("Table title", 3))
    no_points.species.set(Species.objects.filter(code="HOODED_CRANE"))

    crane = Species.objects.get(code="HOODED_CRANE")
    tiger = Species.objects.get(code="TIGER_AMUR")
    for species, label in [(crane, "Crane"), (tiger, "Tiger")]:
        _poison_names(species, label)
        species.synonyms = poison(f"{label} synonym", 4)
        species.save()

    sites = [crane.sites.first(), tiger.sites.first()]
    for site, label in zip(sites, ["Crane site", "Tiger site"], strict=True):
        _poison_names(site, label)
        site.description = poison(f"{label} description", 3)
        site.save()
    for country in Country.objects.filter(code__in=["KR", "MN"]):
        _poison_names(country, f"Country {country.code}")
        country.save()
    for dataset in [cranes, tigers, no_points]:
        dataset.sites.set(sites)

    publication = Publication.objects.create(
        type="report",
        title=poison("Publication title", 2),
        title_en=poison("Publication English title", 0),
        abstract=poison("Abstract", 1),
        year=2024,
        language="en",
        visibility="public",
        status="published",
        uploader=researcher_a,
        owner_country_id="KR",
        published_at=timezone.now(),
        featured=True,
    )
    event = Event.objects.create(
        status="published",
        title=poison("Event title", 0),
        type=Event._meta.get_field("type").choices[0][0],
        start_date=date.today(),
        end_date=date.today() + timedelta(days=1),
        city=poison("City", 2),
        summary=poison("Summary", 3),
        featured=True,
        created_by=researcher_a,
    )
    for item in [publication, event]:
        item.species.set([crane, tiger])
        item.sites.set(sites)
    return {"cranes": cranes, "sites": sites, "crane": crane, "tiger": tiger}


def _pages(poisoned) -> list[str]:
    return [
        "/",
        "/map/",
        "/map/?species=HOODED_CRANE",
        "/species/",
        "/species/HOODED_CRANE/",
        "/species/TIGER_AMUR/",
        "/sites/",
        *[f"/sites/{site.code}/" for site in poisoned["sites"]],
        "/countries/KR/",
        f"/data/{poisoned['cranes'].pk}/",
    ]


def _open_map_layers(page) -> tuple[list[str], int]:
    """Hover and click every layer of every map, splitting clusters.

    Return the texts of the tooltips and popups shown, and how many elements a payload
    created in them (counted while they are open: Leaflet removes them when they close).
    """
    if not page.locator(".site-map").count():
        return [], 0
    page.wait_for_selector(".site-map.leaflet-container")
    shown: list[str] = []
    injected = 0
    for _round in range(8):
        layers = page.locator(".leaflet-interactive:not(.marker-cluster)")
        for index in range(layers.count()):
            layers.nth(index).dispatch_event("mouseover")
            layers.nth(index).dispatch_event("click")
            shown += page.locator(".leaflet-tooltip, .leaflet-popup-content").all_text_contents()
            injected += page.evaluate(INJECTED)
        clusters = page.locator(".marker-cluster")
        if not clusters.count():
            break
        clusters.first.dispatch_event("click")  # zooms in, or spreads the points out
        page.wait_for_timeout(700)
    return shown, injected


def _watch(page) -> list[str]:
    """Record the CSP's blocks and dismiss any dialog; return the list of dialog messages."""
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.add_init_script(WATCH_VIOLATIONS)
    return dialogs


def _check_pages(page, live_server, urls: list[str], dialogs: list[str]):
    """Open each page and its map layers; return problems, map texts and the responses."""
    problems, shown, responses = [], [], []
    for url in urls:
        response = page.goto(live_server.url + url)
        assert response is not None and response.status == 200, url
        responses.append(response)
        texts, injected = _open_map_layers(page)
        shown += texts
        page.wait_for_timeout(200)  # let a broken image fire its onerror
        if page.evaluate("window.__xss") is not None:
            problems.append(f"{url}: a payload ran (window.__xss is set)")
        if injected or page.evaluate(INJECTED):
            problems.append(f"{url}: a payload was parsed into elements")
        violations = page.evaluate("window.__violations")
        if violations:
            problems.append(f"{url}: the CSP had to block {violations}")
        if dialogs:
            problems.append(f"{url}: a dialog opened: {dialogs}")
            dialogs.clear()
    return problems, shown, responses


def _assert_map_texts(shown: list[str], poisoned) -> None:
    """The names and titles must have been shown on the map, as plain text."""
    expected = [
        poisoned["sites"][0].name_en,  # a site's tooltip and popup
        poisoned["cranes"].title_en,  # an extent's tooltip and popup, a point's popup
        poisoned["crane"].name_en,  # a point's popup
    ]
    text = "\n".join(shown)
    for value in expected:
        assert value in text, f"{value!r} was not shown as text on a map"


def test_stored_markup_stays_text_under_the_policy(page, live_server, poisoned):
    dialogs = _watch(page)
    problems, shown, responses = _check_pages(page, live_server, _pages(poisoned), dialogs)
    assert not problems, "\n".join(problems)
    _assert_map_texts(shown, poisoned)
    for response in responses:
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self';" in policy + ";", response.url
        assert "unsafe-inline" not in policy, response.url


def test_stored_markup_stays_text_even_without_the_policy(page, live_server, poisoned):
    def without_policy(route):
        if route.request.resource_type != "document":
            route.fallback()
            return
        response = route.fetch(max_redirects=0)
        headers = {
            name: value
            for name, value in response.headers.items()
            if name.lower() != "content-security-policy"
        }
        route.fulfill(response=response, headers=headers)

    page.route("**/*", without_policy)
    dialogs = _watch(page)
    problems, shown, responses = _check_pages(page, live_server, _pages(poisoned), dialogs)
    assert not problems, "\n".join(problems)
    _assert_map_texts(shown, poisoned)
    assert "content-security-policy" not in responses[0].headers

    # In Russian the map shows the other name fields.
    page.context.add_cookies([{"name": "django_language", "value": "ru", "url": live_server.url}])
    problems, shown, _responses = _check_pages(page, live_server, ["/map/"], dialogs)
    assert not problems, "\n".join(problems)
    assert poisoned["sites"][0].name_ru in "\n".join(shown), "no Russian tooltip was opened"
