"""The Content-Security-Policy on every response, and templates that never need it relaxed."""

import re
from pathlib import Path

import pytest
from django.test import Client

from neaspec_portal.content_security import source_of
from neaspec_portal.errors import inline_style_hashes

ROOT = Path(__file__).resolve().parents[2]


def _policy(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"No Content-Security-Policy on {response.request['PATH_INFO']}"
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in directives}


def _assert_strict(policy: dict[str, list[str]]) -> None:
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["connect-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:", "https://tile.openstreetmap.org"]


def test_it_sends_the_strict_policy_on_an_html_page(client):
    response = client.get("/")
    assert response.status_code == 200
    _assert_strict(_policy(response))
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]


def test_it_sends_the_policy_on_a_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    _assert_strict(_policy(response))


def test_it_sends_the_policy_on_an_api_response(client):
    response = client.get("/api/v1/species/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    _assert_strict(_policy(response))


def test_the_browsable_api_keeps_the_strict_policy(client):
    response = client.get("/api/v1/species/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    _assert_strict(_policy(response))


def test_the_api_docs_need_no_inline_script(client):
    response = client.get("/api/v1/docs/")
    _assert_strict(_policy(response))
    content = response.content.decode()
    inline = [body for _attributes, body in SCRIPT.findall(content) if body.strip()]
    assert not inline, f"Swagger UI is started by an inline script: {inline}"
    script = re.search(r'<script src="([^"]*script=[^"]*)"', content)
    assert script, "The docs page should load its start-up script from /api/v1/docs/?script="
    start_up = client.get(script.group(1).replace("&amp;", "&"))
    assert start_up.status_code == 200
    assert start_up["Content-Type"].startswith("application/javascript")


@pytest.mark.urls("tests.portal.crash_urls")
def test_the_500_page_may_use_its_own_stylesheet_and_nothing_else(db):
    response = Client(raise_request_exception=False).get("/crash/")
    assert response.status_code == 500
    policy = _policy(response)
    hashes = inline_style_hashes(response.content.decode())
    assert len(hashes) == 1
    assert policy["style-src"] == ["'self'", *hashes]
    assert policy["script-src"] == ["'self'"]


def test_every_page_loads_the_behaviours_script(client):
    assert '<script src="/static/js/portal.js"></script>' in client.get("/").content.decode()


@pytest.mark.parametrize(
    ("url", "sources"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", ["https://tile.openstreetmap.org"]),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", ["https://*.tile.example.org"]),
        ("http://tiles.example.org:8080/{z}/{x}/{y}.png", ["http://tiles.example.org:8080"]),
        ("/tiles/{z}/{x}/{y}.png", []),
    ],
)
def test_the_tile_server_is_the_only_other_image_source(url, sources):
    assert source_of(url) == sources


# --- Templates ------------------------------------------------------------------------------

#: An attribute such as onclick="…" or onsubmit=… inside a tag.
EVENT_HANDLER = re.compile(r"<[a-zA-Z][^>]*?\s(on[a-z]+)\s*=", re.IGNORECASE)
#: A <script> element and its body; json_script output is rendered, not written, so it never
#: shows up here, but a hand-written JSON block is fine.
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
DATA_SCRIPT_TYPE = re.compile(r"""\btype\s*=\s*["']?application/(ld\+)?json""", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"javascript\s*:", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[a-zA-Z][^>]*?\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
#: The 500 page keeps its stylesheet inline so that it shows even when static files fail;
#: neaspec_portal.errors.server_error allows exactly that stylesheet by its hash.
STYLE_ELEMENT_ALLOWED = {"500.html"}


def _template_files() -> list[Path]:
    folders = [ROOT / "templates", *sorted(ROOT.glob("*/templates"))]
    return sorted(path for folder in folders for path in folder.rglob("*") if path.is_file())


def _line(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def inline_code_problems(name: str, text: str) -> list[str]:
    """Return what in the template ``text`` the Content-Security-Policy would block."""
    problems = []
    for match in EVENT_HANDLER.finditer(text):
        problems.append(
            f"{name}:{_line(text, match.start(1))}: inline event handler {match.group(1)}=. "
            "Inline handlers are inline script, which the CSP blocks: mark the element with a "
            "data- attribute (data-confirm, data-autosubmit) and handle it in static/js/portal.js."
        )
    for match in SCRIPT.finditer(text):
        if match.group(2).strip() and not DATA_SCRIPT_TYPE.search(match.group(1)):
            problems.append(
                f"{name}:{_line(text, match.start())}: <script> with a body. The CSP runs only "
                "scripts loaded from static/js: move the code there (pass data with json_script "
                "or data- attributes)."
            )
    for match in JAVASCRIPT_URL.finditer(text):
        problems.append(
            f"{name}:{_line(text, match.start())}: javascript: URL, blocked by the CSP; use a "
            "button and a handler in static/js."
        )
    for match in STYLE_ATTRIBUTE.finditer(text):
        problems.append(
            f'{name}:{_line(text, match.start())}: style="…" attribute, blocked by the CSP '
            "(style-src 'self'): add a class to static/css/portal.css instead."
        )
    if Path(name).name not in STYLE_ELEMENT_ALLOWED:
        for match in STYLE_ELEMENT.finditer(text):
            problems.append(
                f"{name}:{_line(text, match.start())}: <style> element, blocked by the CSP: "
                "put the rules in static/css/portal.css."
            )
    return problems


def test_no_template_carries_inline_script_or_style():
    files = _template_files()
    assert len(files) > 50, "The template walk found too few files; has templates/ moved?"
    problems = [
        problem
        for path in files
        for problem in inline_code_problems(
            str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")
        )
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "markup",
    [
        """<form method="post" onsubmit="return confirm('Sure?')">""",
        """<select name="language"\n        onchange="this.form.submit()">""",
        """<button ONCLICK=go()>""",
        """<script>document.title = "x";</script>""",
        """<script type="text/javascript">\n  go();\n</script>""",
        """<a href="javascript:go()">""",
        """<span class="bar" style="height: 3px">""",
        """<style>p { color: red }</style>""",
    ],
)
def test_the_template_check_catches_inline_code(markup):
    assert inline_code_problems("templates/example.html", markup)


@pytest.mark.parametrize(
    "markup",
    [
        """<form method="post" data-confirm="Remove this file?">""",
        """<script src="/static/js/map.js"></script>""",
        """<script type="application/json" id="data">{"on": 1}</script>""",
        """<p>Turn the lights on=off.</p>""",
        """<svg class="bar" height="12" aria-hidden="true"></svg>""",
    ],
)
def test_the_template_check_lets_safe_markup_through(markup):
    assert inline_code_problems("templates/example.html", markup) == []


#: DOM calls that parse a string as markup.
MARKUP_SINK = re.compile(r"\.(innerHTML|outerHTML)\s*[+]?=|insertAdjacentHTML|document\.write")


def test_no_script_of_ours_parses_strings_as_markup():
    scripts = sorted((ROOT / "static" / "js").glob("*.js"))
    assert scripts
    problems = [
        f"{path.relative_to(ROOT)}:{_line(text, match.start())}: {match.group(0)}"
        for path in scripts
        for text in [path.read_text(encoding="utf-8")]
        for match in MARKUP_SINK.finditer(text)
    ]
    assert not problems, (
        "Text from the server may be typed by users: build elements and set textContent "
        "instead (and give Leaflet's bindPopup/bindTooltip an element, never a string).\n"
        + "\n".join(problems)
    )


def _both_headers(request_factory, view, path="/data/"):
    """Return the headers django-csp's middleware and the portal's give the same answer."""
    from csp.middleware import CSPMiddleware as Library

    from neaspec_portal.csp_header import CSPMiddleware as Portal

    answers = []
    for middleware_class in (Library, Portal):
        middleware = middleware_class(view)
        answers.append(middleware(request_factory.get(path)))
    return [{name: answer.headers.get(name) for name in CSP_HEADERS} for answer in answers]


CSP_HEADERS = ("Content-Security-Policy", "Content-Security-Policy-Report-Only")


def _views():
    from csp.decorators import csp_exempt, csp_update
    from django.http import HttpResponse

    def plain(request):
        return HttpResponse("x")

    @csp_update({"img-src": ["https://tiles.example.org"]})
    def updated(request):
        return HttpResponse("x")

    @csp_exempt()
    def exempt(request):
        return HttpResponse("x")

    def nonce(request):
        return HttpResponse(str(request.csp_nonce))

    def missing(request):
        return HttpResponse("x", status=404)

    return [plain, updated, exempt, nonce, missing]


@pytest.mark.parametrize("view", _views(), ids=lambda view: view.__name__)
@pytest.mark.parametrize("report_only", [False, True])
def test_the_header_built_once_is_django_csps_header(view, report_only, rf, settings):
    """The portal's middleware reuses the site's header: it must be the one django-csp
    builds, for a page that keeps the policy and for those that change it."""
    if report_only:
        settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {
            "DIRECTIVES": {"default-src": ["'self'"], "report-uri": "/csp-reports/"},
            "EXCLUDE_URL_PREFIXES": ["/admin/"],
        }
    library, portal = _both_headers(rf, view)
    if view.__name__ == "nonce":  # a nonce is new on every request
        library, portal = (
            {name: re.sub(r"'nonce-[^']+'", "NONCE", value or "") for name, value in h.items()}
            for h in (library, portal)
        )
    assert portal == library
    if report_only:
        assert _both_headers(rf, view, "/admin/")[1]["Content-Security-Policy-Report-Only"] is None
