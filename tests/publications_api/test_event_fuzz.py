"""Schemathesis over the event operations as the secretariat: no input makes a 5xx.

``tests/portal/test_schemathesis.py`` runs every operation as a visitor and a researcher,
whom the event writes refuse at once; here the one person the services listen to sends
generated bodies, valid and invalid, so that they reach the services' rules.
"""

import os
from datetime import date

import pytest
import schemathesis

from neaspec_portal.wsgi import application
from publications import events_services
from tests.portal.test_schemathesis import (
    _connection_kept_between_requests,  # noqa: F401 (an autouse fixture)
    _run,
)
from tests.two_factor import SecondFactorClient

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "10"))


@pytest.fixture
def secretariat_session(secretariat) -> tuple[dict, dict]:
    client = SecondFactorClient()
    client.force_login(secretariat)
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": "x" * 32}
    return cookies, {"X-CSRFToken": "x" * 32}


def test_no_event_request_makes_a_server_error_for_the_secretariat(
    db, secretariat, secretariat_session
):
    event = events_services.event_save(
        actor=secretariat,
        title="Workshop",
        type="workshop",
        start_date=date(2025, 4, 7),
        end_date=date(2025, 4, 8),
        city="Seoul",
    )
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application).include(
        path_regex=r"^/api/v1/events/"
    )
    cookies, headers = secretariat_session

    def call(case):
        if "id" in (case.path_parameters or {}):
            case.path_parameters["id"] = event.pk
        return case.call(cookies=cookies, headers=headers)

    failures = _run(schema, call)
    assert not failures, "\n\n".join(failures)
