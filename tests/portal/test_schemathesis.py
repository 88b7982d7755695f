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
from neaspec_portal.wsgi import application
from tests.factories import DataFileFactory, DatasetFactory

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "5"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
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


def test_figures():
    print(
        f"Schemathesis: {len(FIGURES['operations'])} operations, "
        f"{FIGURES['examples']} examples, {FIGURES['checks']} checks, "
        f"{EXAMPLES} examples per operation and person"
    )
