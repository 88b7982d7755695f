"""Schemathesis over the OpenAPI schema: generated requests, valid and invalid, never a 5xx.

Requests go in-process to the WSGI application, inside the test's transaction, as a visitor
and as a signed-in researcher (a session cookie and a CSRF token, so that writes reach
their serializers too). ``make test`` gives every operation ``SCHEMATHESIS_EXAMPLES``
examples (10) for each of the two; ``make fuzz`` many more.
"""

import os

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup

from neaspec_portal.wsgi import application
from tests.factories import DataFileFactory, DatasetFactory

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "10"))
#: Operations and examples run, printed by ``test_figures`` for the record.
FIGURES: dict = {"operations": set(), "examples": 0}


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
        case.validate_response(call(case), checks=[not_a_server_error])

    return examine


def _run(schema, call) -> list[str]:
    """Run every operation of ``schema`` on generated cases; return the server errors."""
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        try:
            _examiner(operation, call)()
        except FailureGroup as group:  # Schemathesis's failures, with the request to repeat
            failures.append(f"{operation.label}: {group}\n" + "\n".join(map(str, group.exceptions)))
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


def test_no_request_makes_a_server_error_for_a_visitor(api_schema):
    failures = _run(api_schema, lambda case: case.call())
    assert not failures, "\n\n".join(failures)


def test_no_request_makes_a_server_error_for_a_researcher(api_schema, researcher_session):
    cookies, headers = researcher_session
    failures = _run(api_schema, lambda case: case.call(cookies=cookies, headers=headers))
    assert not failures, "\n\n".join(failures)


def test_figures():
    print(
        f"Schemathesis: {len(FIGURES['operations'])} operations, "
        f"{FIGURES['examples']} examples, {EXAMPLES} per operation and person"
    )
