"""axe-core over the main pages, as a visitor and signed in: no serious or critical
violation of WCAG 2.1 A and AA, in English and in another script, on a laptop and a phone.

axe-core is the npm package vendored in static/vendor/axe-core (no CDN); it is evaluated
in the page by Playwright. Moderate and minor findings are printed for the record.
"""

import io
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from datasets.models import Dataset
from publications.models import Event
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(settings.BASE_DIR) / "static/vendor/axe-core/axe.min.js").read_text(encoding="utf-8")
RUN_AXE = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
    resultTypes: ['violations'],
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')),
  }));
}"""
BLOCKING = {"serious", "critical"}


def _pages() -> dict[str, str]:
    dataset = Dataset.objects.filter(status="published", access_level="public").first()
    event = Event.objects.first()
    return {
        "home": "/",
        "library": "/library/",
        "data": "/data/",
        "dataset": f"/data/{dataset.pk}/",
        "event": f"/library/events/{event.pk}/",
        "search": "/search/?q=crane",
        "map": "/map/",
        "species": "/species/",
        "sites": "/sites/",
        "sign-in": "/accounts/login/",
        "register": "/accounts/register/",
    }


SIGNED_IN_FORMS = {"new dataset": "/data/new/", "new publication": "/library/new/"}


def _audit(page, base_url: str, pages: dict[str, str]) -> list[tuple[str, dict]]:
    found = []
    for name, path in pages.items():
        page.goto(base_url + path)
        page.wait_for_load_state("load")
        page.evaluate(AXE)
        found.extend((name, violation) for violation in page.evaluate(RUN_AXE))
    return found


def _report(label: str, found: list[tuple[str, dict]]) -> list[str]:
    counts = Counter(violation["impact"] for _name, violation in found)
    print(f"axe-core {label}: {dict(counts) or 'no violations'}")
    for name, violation in found:
        print(f"  {violation['impact']:9} {violation['id']} on {name}: {violation['nodes']}")
    return [
        f"{name}: {violation['id']} {violation['nodes']}"
        for name, violation in found
        if violation["impact"] in BLOCKING
    ]


@pytest.fixture
def axe_page(browser, live_server):
    # Playwright evaluates the vendored axe-core in the page; the portal's CSP, which allows
    # no inline or evaluated script, is bypassed for that only.
    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, locale="en-GB", bypass_csp=True
    )
    context.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def test_the_main_pages_have_no_serious_accessibility_violation(axe_page, live_server):
    call_command("seed_demo", force=True, stdout=io.StringIO())
    pages = _pages()
    blocking = []
    for language, width in [("en", 1366), ("ru", 390), ("ko", 1366), ("mn", 390)]:
        axe_page.set_viewport_size({"width": width, "height": 900})
        axe_page.context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
        found = _audit(axe_page, live_server.url, pages)
        blocking += _report(f"visitor {language} {width}px", found)

    sign_in(axe_page, live_server, "researcher-kr")
    axe_page.context.add_cookies(
        [{"name": "django_language", "value": "en", "url": live_server.url}]
    )
    axe_page.set_viewport_size({"width": 1366, "height": 900})
    signed_in = {**pages, **SIGNED_IN_FORMS}
    signed_in.pop("sign-in")
    signed_in.pop("register")
    found = _audit(axe_page, live_server.url, signed_in)
    blocking += _report("researcher en 1366px", found)
    assert not blocking, "Serious or critical violations:\n" + "\n".join(blocking)
