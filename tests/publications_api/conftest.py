"""Fixtures of the API tests of publications and events."""

import pytest

from tests.publications_api.event_support import workshop


@pytest.fixture
def event(secretariat):
    return workshop(secretariat)
