"""Hostile query strings on every URL pattern: nothing answers with a server error.

The crawler walks Django's URL resolver, fills each pattern's path converters with the ids
and codes of real rows (``_path_value``), asks each page once to learn which query
parameters it reads, then sends every hostile value of ``HOSTILE`` to each of them, as a
visitor and as a signed-in researcher. A new URL pattern whose converters the crawler
cannot fill fails the test and asks for a line in ``_path_value``.
"""

import os
import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import QueryDict
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone

from datasets import services as dataset_services
from datasets.models import Dataset
from neaspec_portal.api_params import accepted_parameters
from people import services as people_services
from projects import services as project_services
from publications import events_services
from publications import services as publication_services
from publications.demo import simple_pdf
from tests.factories import DataFileFactory, DatasetFactory

pytestmark = pytest.mark.django_db

#: Values of a query parameter, already percent-encoded as they travel in a query string.
#: ``make fuzz`` sends all of them everywhere (``CRAWL_VALUES=all``).
HOSTILE = [
    "%00",
    "%C2%B2",
    "x" * 5000,
    "-" * 400,
    "1e309",
    "%FF%FE",
    "%27%20OR%20%271%27%3D%271",
    "%E2%80%AEreversed",
    "-1",
    "..%2F..%2Fetc%2Fpasswd",
    "a%00b",
    "%2500",
    "2%C2%B2",
    "%D9%A3",
    "0",
    "99999999999999999999999",
    "---tiger---",
    "%22%20or%20-",
    "%21%28%29%3A%2A%26%7C",
    "%F0%9F%90%AF",
    "%0A%0D%09",
    "%20",
    "null",
    "1.5",
]
#: ``make test`` sends these to each parameter alone, and ``CORE`` to all of them at once.
ALONE = 4
CORE = 10
FULL = os.environ.get("CRAWL_VALUES") == "all"
#: Parameters tried on every pattern, whether or not the baseline request read them.
ALWAYS = ["page", "format", "q"]


def _walk(patterns, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern), entry


_ROUTE_PART = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
_REGEX_PART = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>[^)]*)\)")


def _path_value(template: str, name: str, ids: dict) -> str:
    """Return a real value for the converter ``name`` of the URL pattern ``template``."""
    by_prefix = {
        "api/v1/files/": ids["data_file"],
        "api/v1/datasets": ids["dataset"],
        "api/v1/access-requests": ids["access_request"],
        "api/v1/grants": ids["grant"],
        "api/v1/publications": ids["publication"],
        "api/v1/events": ids["event"],
        "api/v1/species": ids["species"],
        "api/v1/sites": ids["site"],
        "api/v1/countries": "KR",
        "api/v1/targets": "4",
        "accounts/verify/": ids["pending"],
        "accounts/": ids["user"],
        "data/requests/": ids["access_request"],
        "data/grants/": ids["grant"],
        "data/files/": ids["data_file"],
        "data/": ids["dataset"],
        "library/events/": ids["event"],
        "library/": ids["publication"],
        "species/": ids["species"],
        "sites/": ids["site"],
        "countries/": "KR",
        "targets/": "4",
        "admin/": ids["user"],
        "api/v1/projects": ids["project"],
        "api/v1/people": ids["profile"],
        "projects/": ids["project"],
        "people/": ids["profile"],
    }
    by_name = {
        "format": "json",
        "file_pk": ids["data_file"],
        "session_pk": ids["session"],
        "material_pk": ids["material"],
        "style": "bibtex",
        "uidb64": "MQ",
        "token": "set-password",
        "content_type_id": ids["content_type"],
        "url": "nothing-here/",
        "slug": "capacity",
        "extension": "csv",
    }
    if name in by_name:
        return str(by_name[name])
    if name in {"pk", "code", "object_id", "id", "slug"}:
        plain = template.replace("^", "")
        prefix = max((p for p in by_prefix if plain.startswith(p)), key=len, default=None)
        if prefix is not None:
            return str(by_prefix[prefix])
    raise AssertionError(
        f"The crawler has no value for <{name}> in {template!r}: add one to _path_value."
    )


def _url(template: str, ids: dict) -> str:
    def route(match: re.Match) -> str:
        if match["converter"] == "drf_format_suffix":
            return ".json"
        return _path_value(template, match["name"], ids)

    def regex(match: re.Match) -> str:
        if "|" in match["body"]:
            return match["body"].split("|")[0]
        return _path_value(template, match["name"], ids)

    path = _REGEX_PART.sub(regex, template)
    path = _ROUTE_PART.sub(route, path)
    path = path.replace("^", "").replace("$", "").replace("\\.", ".").replace("/?", "/")
    return "/" + path


def urls(ids: dict) -> list[tuple[str, str]]:
    """Return (pattern, URL) for every URL pattern, each URL resolving to its pattern."""
    found = []
    for template, pattern in _walk(get_resolver().url_patterns):
        url = _url(template, ids)
        try:
            resolved = resolve(url).func
        except Resolver404:
            resolved = None
        assert resolved == pattern.callback, f"{url} does not resolve to {template}"
        found.append((template, url))
    return found


@pytest.fixture
def ids(researcher_a, researcher_b, focal_point_a, secretariat, pending):
    dataset = DatasetFactory(uploader=researcher_a, title="Amur tiger camera traps")
    data_file = DataFileFactory(dataset=dataset)
    access_request = dataset_services.access_request_create(
        actor=researcher_b,
        dataset=dataset,
        purpose="Corridor study",
        intended_use="",
        wanted_until=timezone.localdate() + timedelta(days=30),
    )
    other = DatasetFactory(uploader=researcher_a)
    grant_row = dataset_services.access_request_grant(
        actor=focal_point_a,
        access_request=dataset_services.access_request_create(
            actor=researcher_b,
            dataset=other,
            purpose="Population model",
            intended_use="",
            wanted_until=timezone.localdate() + timedelta(days=30),
        ),
    )
    publication = publication_services.publication_create(
        actor=researcher_a, type="report", title="Tiger corridors", year=2024, language="en"
    )
    event = events_services.event_save(
        actor=secretariat,
        title="Crane workshop",
        type="workshop",
        start_date=date(2024, 6, 1),
        end_date=date(2024, 6, 2),
        city="Seoul",
    )
    session = events_services.session_save(actor=secretariat, event=event, title="Opening")
    material = events_services.material_add(
        actor=secretariat,
        event=event,
        kind="presentation",
        title="Talk",
        session=session,
        speakers=[{"name": "Speaker"}],
        files=[SimpleUploadedFile("talk.pdf", simple_pdf("Talk"))],
    )
    project = project_services.project_save(
        actor=secretariat, slug="amur-network", title="Amur network", start_date=date(2024, 1, 1)
    )
    profile = people_services.profile_save(actor=researcher_a, display_name="Kim", is_public=True)
    return {
        "project": project.slug,
        "profile": profile.pk,
        "dataset": dataset.pk,
        "data_file": data_file.pk,
        "access_request": access_request.pk,
        "grant": grant_row.pk,
        "publication": publication.pk,
        "event": event.pk,
        "session": session.pk,
        "material": material.pk,
        "species": "TIGER_AMUR",
        "site": "JP_IZUMI",
        "pending": pending.pk,
        "user": researcher_a.pk,
        "content_type": ContentType.objects.get_for_model(dataset).pk,
    }


#: Marks the query string of the request whose reads ``_Reads`` records (views make other
#: requests' query dicts too: the schema generator's mock requests).
MARK = "crawler-baseline"


class _Reads:
    """Record the names of the query parameters a view asks for."""

    def __init__(self, monkeypatch) -> None:
        self.names: set[str] = set()
        for method in ("get", "getlist", "__getitem__", "__contains__"):
            original = getattr(QueryDict, method)
            monkeypatch.setattr(QueryDict, method, self._recording(original))

    def _recording(self, original):
        def read(query, key, *args, **kwargs):
            if isinstance(key, str) and key != MARK and dict.__contains__(query, MARK):
                self.names.add(key)
            return original(query, key, *args, **kwargs)

        return read


def _documented(url: str) -> set[str]:
    # An API operation refuses the crawler's mark (an undocumented parameter) before it
    # reads anything: the parameters it reads are those its schema documents.
    try:
        match = resolve(url.split("?")[0])
    except Resolver404:
        return set()
    return set(accepted_parameters().get((match.func, "GET"), frozenset())) - {"format"}


def _get(client: Client, url: str, failures: list[str]) -> None:
    # A savepoint per request: a failed query must not abort the test's transaction.
    savepoint = transaction.savepoint()
    status = client.get(url).status_code
    if status >= 500:
        failures.append(f"{status} GET {url[:120]}")
        transaction.savepoint_rollback(savepoint)
    else:
        transaction.savepoint_commit(savepoint)


def _crawl(
    client: Client, ids: dict, monkeypatch, *, one_by_one: bool
) -> tuple[int, int, int, list[str]]:
    """Send hostile values to the query parameters of every URL pattern.

    With ``one_by_one``, each parameter a page reads gets values alone and given twice; the
    parameters read and those of ``ALWAYS`` get values all at once. Return (patterns, parameters,
    requests, failures).
    """
    alone = HOSTILE if FULL else HOSTILE[:ALONE]
    reads = _Reads(monkeypatch)
    patterns, parameters, failures = urls(ids), 0, []
    requests = 0
    for _template, url in patterns:
        reads.names.clear()
        _get(client, f"{url}?{MARK}=1", failures)
        read = sorted(reads.names | _documented(url))
        parameters += len(read)
        queries = []
        if one_by_one or FULL:
            queries += [f"{name}={value}" for name in read for value in alone]
            queries += [f"{name}=1&{name}=2" for name in read]
        everything = sorted(set(read) | set(ALWAYS))
        # A page that reads no parameter meets them only in the middleware and the cache.
        together = HOSTILE if FULL else HOSTILE[: CORE if read else ALONE]
        queries += ["&".join(f"{name}={value}" for name in everything) for value in together]
        for query in queries:
            _get(client, f"{url}?{query}", failures)
        requests += 1 + len(queries)
    return len(patterns), parameters, requests, failures


def test_no_query_string_makes_a_server_error_for_a_visitor(ids, monkeypatch):
    client = Client(raise_request_exception=False)
    patterns, parameters, requests, failures = _crawl(client, ids, monkeypatch, one_by_one=True)
    print(f"{patterns} URL patterns, {parameters} parameters read, {requests} requests")
    assert patterns > 100 and requests > 2000
    assert not failures, "\n".join(failures)


def test_no_query_string_makes_a_server_error_for_a_researcher(ids, researcher_a, monkeypatch):
    client = Client(raise_request_exception=False)
    client.force_login(researcher_a)
    # The pages a researcher sees besides a visitor's read the same parameters: all at once.
    patterns, parameters, requests, failures = _crawl(client, ids, monkeypatch, one_by_one=False)
    print(f"{patterns} URL patterns, {parameters} parameters read, {requests} requests")
    assert patterns > 100 and requests > 1000
    assert not failures, "\n".join(failures)


def test_hostile_query_strings_leave_nothing_in_the_page_cache(client, ids):
    kept = re.compile(
        r"page-cache:(generation|people|[\w-]+:/(data|library|library/events)/\?(page=\d+)?)$"
    )
    for url in ("/data/", "/library/", "/library/events/"):
        assert client.get(url).status_code == 200
        for value in HOSTILE:
            for query in (f"page={value}", f"page=1&q={value}", f"page=1&page={value}"):
                assert client.get(f"{url}?{query}").status_code == 200
    keys = [key for key in cache._cache if "page-cache:" in key]  # type: ignore[attr-defined]
    # Kept drawings of parts (the dataset cards, the unfiltered filters and count) are named
    # by rows and fixed names, never by what a query asks: at most one per dataset and
    # download right, the filters and the count.
    drawn = re.compile(
        r"page-cache:fragment:[\w-]+:(datasets:filters|datasets:listed-count|dataset:\d+:[01])$"
    )
    pages = [key for key in keys if not drawn.search(key)]
    assert len(pages) <= 5, pages  # the generations and the three unfiltered lists
    assert all(kept.search(key) for key in pages), pages
    assert len(keys) - len(pages) <= 2 * Dataset.objects.count() + 2, keys


@pytest.mark.parametrize(
    ("url", "status"),
    [
        # The inputs of issue 13, one by one.
        ("/search/?q=tiger%00crane", 200),
        ("/api/v1/search/?q=tiger%00crane", 400),
        ("/search/?q=" + "-" * 400, 200),
        ("/api/v1/search/?q=" + "-" * 400, 200),
        ("/api/v1/search/?q=a" + "-" * 300 + "b", 200),
        ("/data/?page=%C2%B2&year=2%C2%B2", 200),
        ("/api/v1/datasets/?year=2%C2%B2", 400),
        ("/api/v1/datasets/?page=%C2%B2", 400),
        ("/library/?year=%C2%B2%C2%B2&country=%00", 200),
        ("/api/v1/publications/?year=%C2%B2&country=%00", 400),
        ("/api/v1/events/?year=%C2%B2", 400),
        ("/library/events/?year=%C2%B2", 200),
        ("/sites/?country=%00&species=%00", 200),
        ("/api/v1/sites/?country=%00", 400),
        ("/api/v1/species/?is_flagship=%00", 400),
        ("/api/v1/occurrences/?bbox=1e309,0,1,1", 400),
        ("/api/v1/datasets/1.json", 404),
        ("/api/v1/datasets/?format=xyz", 406),
        ("/api/v1/schema/?lang=%00", 400),
        ("/i18n/language/?language=%00&next=%00", 302),
    ],
)
def test_the_reported_inputs_are_answered(client, ids, url, status):
    assert client.get(url).status_code == status


def test_the_api_names_each_bad_parameter_and_what_to_give(client):
    body = client.get("/api/v1/datasets/?year=2%C2%B2&page=0&country=Korea&species=%00").json()
    assert body == {
        "country": ["Give a country's two-letter code, e.g. KR."],
        "year": ["Give a whole number from 1900 to 2100."],
        "species": ["Remove the control characters (such as NUL) from this value."],
    }
    assert client.get("/api/v1/datasets/?page=0").json() == {
        "page": ["Give a whole number from 1 to 10000."]
    }
    assert client.get("/api/v1/search/?page=1&page=2").json() == {
        "page": ["Give this parameter only once."]
    }


def test_a_page_ignores_bad_values_and_keeps_good_ones(client, researcher_a):
    DatasetFactory(uploader=researcher_a, title="Crane count", method="bird_count")
    DatasetFactory(uploader=researcher_a, title="Tiger traps")
    response = client.get("/data/?method=bird_count&year=%C2%B2&country=%00")
    titles = [dataset.title for dataset in response.context["datasets"]]
    assert titles == ["Crane count"]


def test_links_carry_the_parameters_as_read_never_the_raw_query(client):
    response = client.get("/data/?year=2023&country=%00&evil=%22%3E")
    assert response.context["query_string"] == "year=2023"
    response = client.get("/search/?q=tiger&species=%00&evil=x&type=dataset&items=1")
    assert response.context["page_query"] == "type=dataset&q=tiger"
    assert response.context["hidden_filters"] == [("type", "dataset")]
