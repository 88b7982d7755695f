"""Schemathesis over the OpenAPI schema: the API answers what the schema says it answers.

Requests go in-process to the WSGI application, inside the test's transaction, as a visitor,
as a signed-in researcher (a session cookie and a CSRF token, so that writes reach their
serializers too) and as a researcher sending an API token. Every operation gets
``SCHEMATHESIS_EXAMPLES`` generated cases, valid and invalid, for each of the three
(``make test``: 5; ``make fuzz``: many more), and every answer must pass the conformance
checks: no server error, a documented status code, a documented content type, a body that
matches the documented schema and documented headers.
"""

import os
from collections.abc import Callable

import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup

from accounts.tokens import api_token_create
from datasets.models import DataFile
from neaspec_portal.wsgi import application
from publications.services import publication_create
from tests.factories import DataFileFactory, DatasetFactory

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "5"))
#: The conformance checks. Not among them, for reasons a schema cannot carry:
#: ``positive_data_acceptance`` (a schema-valid body is refused when a rule spans fields,
#: e.g. a custom licence without its terms, or needs the database: a wrong password, an
#: unknown species code) and ``negative_data_rejection`` (an empty query parameter takes
#: its default, by the rule of ``neaspec_portal.params``, where the schema says integer).
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
SUCCESS = {"200", "201", "202", "204"}
#: Operations, examples and checks run, printed by ``test_figures`` for the record.
FIGURES: dict = {"operations": set(), "examples": 0, "checks": 0}


@pytest.fixture
def api_schema(db, researcher_a):
    # A few rows, so that lists and filters have something to answer with.
    DataFileFactory(dataset=DatasetFactory(uploader=researcher_a, access_level="public"))
    return schemathesis.openapi.from_wsgi("/api/v1/schema/", application)


@pytest.fixture
def researcher_session(researcher_a) -> tuple[dict, dict]:
    client = Client()
    client.force_login(researcher_a)
    csrf = _get_new_csrf_string()
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf}
    return cookies, {"X-CSRFToken": csrf}


BUDGET = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def _examiner(operation, call):
    @BUDGET
    @given(
        case=st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        )
    )
    def examine(case) -> None:
        FIGURES["operations"].add(operation.label)
        FIGURES["examples"] += 1
        FIGURES["checks"] += len(CHECKS)
        case.validate_response(call(case), checks=CHECKS)

    return examine


def _run(schema, call: Callable) -> list[str]:
    """Run every operation of ``schema`` on generated cases; return what failed a check.

    An operation for which no case could be generated fails too: it was not checked.
    """
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        before = FIGURES["examples"]
        try:
            _examiner(operation, call)()
        except FailureGroup as group:  # Schemathesis's failures, with the request to repeat
            failures.append(f"{operation.label}: {group}\n" + "\n".join(map(str, group.exceptions)))
        if FIGURES["examples"] == before:
            failures.append(f"{operation.label}: no case was generated, nothing was checked")
    return failures


@pytest.fixture(autouse=True)
def _connection_kept_between_requests():
    # The WSGI handler closes the database connection after each request; like Django's
    # test client, keep it: the test's transaction holds the rows.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_the_api_answers_as_documented_for_a_visitor(api_schema):
    failures = _run(api_schema, lambda case: case.call())
    assert not failures, "\n\n".join(failures)


def test_the_api_answers_as_documented_for_a_signed_in_researcher(api_schema, researcher_session):
    cookies, headers = researcher_session
    failures = _run(api_schema, lambda case: case.call(cookies=cookies, headers=headers))
    assert not failures, "\n\n".join(failures)


def test_the_api_answers_as_documented_for_a_token(api_schema, researcher_a):
    def call(case):
        # A new token for each request: ``DELETE /auth/token/`` revokes the one it is sent.
        _token, key = api_token_create(user=researcher_a, second_factor=False)
        return case.call(headers={"Authorization": f"Token {key}"})

    failures = _run(api_schema, call)
    assert not failures, "\n\n".join(failures)


def _validated(schema, label: str, **case):
    """Send one request described by ``case``, check it as the fuzzing does, return it."""
    method, path = label.split(" ", 1)
    operation = schema[path][method]
    response = operation.Case(**case).call()
    operation.Case(**case).validate_response(response, checks=CHECKS)
    return response


def _content_type(response) -> str:
    [value] = response.headers["content-type"]
    return value


def test_occurrences_answer_geojson_and_their_errors_json(api_schema):
    label = "GET /api/v1/occurrences/"
    geojson = _validated(api_schema, label)
    asked_json = _validated(api_schema, label, headers={"Accept": "application/json"})
    refused = _validated(api_schema, label, query={"bbox": "1e309,0,1,1"})
    assert _content_type(geojson) == "application/geo+json"
    assert geojson.json()["type"] == "FeatureCollection"
    assert _content_type(asked_json) == "application/json"
    assert (refused.status_code, _content_type(refused)) == (400, "application/json")
    assert "bbox" in refused.json()


@pytest.mark.parametrize(
    ("style", "content_type"),
    [
        ("bibtex", "application/x-bibtex"),
        ("ris", "application/x-research-info-systems"),
        ("csl-json", "application/vnd.citationstyles.csl+json"),
    ],
)
def test_each_citation_style_answers_as_documented(api_schema, secretariat, style, content_type):
    publication = publication_create(
        actor=secretariat, type="report", title="Tiger corridors", year=2024, language="en"
    )
    label = "GET /api/v1/publications/{id}/cite/"
    response = _validated(
        api_schema, label, path_parameters={"id": publication.pk}, query={"format": style}
    )
    assert _content_type(response) == f"{content_type}; charset=utf-8"


def test_a_download_answers_the_files_own_type(api_schema):
    data_file = DataFile.objects.get()
    label = "GET /api/v1/files/{id}/download/"
    response = _validated(api_schema, label, path_parameters={"id": data_file.pk})
    assert (response.status_code, _content_type(response)) == (200, "text/csv")


def test_errors_of_the_negotiation_and_the_routes_are_documented_json(api_schema):
    unknown_format = _validated(api_schema, "GET /api/v1/datasets/", query={"format": "xyz"})
    no_route = _validated(api_schema, "GET /api/v1/datasets/{id}/", path_parameters={"id": 0.5})
    assert (unknown_format.status_code, no_route.status_code) == (406, 404)
    assert _content_type(no_route) == "application/json"


def test_a_body_django_refuses_to_read_is_a_documented_json_400(api_schema, settings):
    # Django refuses the body before any view (RequestDataTooBig); the API still answers
    # with its error body, not the HTML page.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    body = {"username": "researcher-a", "password": "x" * 200}
    response = _validated(
        api_schema, "POST /api/v1/auth/token/", body=body, media_type="application/json"
    )
    assert (response.status_code, _content_type(response)) == (400, "application/json")


def test_revoking_a_token_answers_204_without_a_body(api_schema, researcher_a):
    _token, key = api_token_create(user=researcher_a, second_factor=False)
    response = _validated(
        api_schema, "DELETE /api/v1/auth/token/", headers={"Authorization": f"Token {key}"}
    )
    assert (response.status_code, response.content) == (204, b"")


def test_every_operation_documents_how_it_can_fail(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    operations = {
        f"{method.upper()} {path}": operation
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    }
    assert len(operations) >= 40
    silent = [label for label, op in operations.items() if not set(op["responses"]) - SUCCESS]
    assert not silent, f"Document the error answers of {silent} (neaspec_portal/schema.py)."


def test_each_operation_documents_the_errors_of_what_it_takes(client):
    paths = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()["paths"]

    def statuses(path: str, method: str) -> set[str]:
        return set(paths[path][method]["responses"]) - SUCCESS

    # No input, no id, no page: only authentication and negotiation can fail.
    assert statuses("/api/v1/countries/", "get") == {"401", "403", "406"}
    # Making a token reads only its body: no 401 or 403 from a stale header.
    assert statuses("/api/v1/auth/token/", "post") == {"400", "406", "415"}
    assert {"400", "404"} <= statuses("/api/v1/datasets/", "get")  # filters, pages
    assert "404" in statuses("/api/v1/datasets/{id}/", "get")
    # What a view documents itself is kept: the duplicates of a DOI.
    conflict = paths["/api/v1/publications/"]["post"]["responses"]["409"]
    assert conflict["content"]["application/json"]["schema"]["$ref"].endswith("DuplicatesFound")
    error = paths["/api/v1/me/"]["get"]["responses"]["401"]["content"]["application/json"]
    assert error["schema"] == {"$ref": "#/components/schemas/Error"}


def test_the_schema_is_valid_openapi_and_made_without_warnings(tmp_path):
    # drf-spectacular's own validation against the OpenAPI 3 meta-schema; a warning (an
    # unresolved type, a name collision) fails too: fix it where the schema is made.
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml")
    )
    assert (tmp_path / "schema.yml").read_text().startswith("openapi: 3.0")


def test_figures():
    print(
        f"Schemathesis: {len(FIGURES['operations'])} operations, "
        f"{FIGURES['examples']} examples, {FIGURES['checks']} checks, "
        f"{EXAMPLES} examples per operation and person"
    )
