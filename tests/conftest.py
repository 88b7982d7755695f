"""Shared fixtures: reference data and the small cast of users of every test.

Cast: visitor (anonymous), researcher A (KR), researcher B (MN), focal point A (KR),
focal point B (MN), secretariat, partner (no country), pending (KR, not verified).
Focal points and the secretariat have an authenticator, and ``client.force_login`` gives its
code as signing in would (``tests/two_factor.py``).
"""

import os

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.utils import translation
from kombu import Connection

from accounts.models import AccountStatus
from accounts.roles import secretariat_appoint
from neaspec_portal.celery import app as celery_app
from species.models import Species
from species.services import reference_data_load
from tests.audit.writes import audited_requests  # noqa: F401  (autouse: every request)
from tests.drills import table as drill_table
from tests.factories import PASSWORD, FocalPointFactory, UserFactory
from tests.two_factor import SecondFactorClient, give_authenticator
from tests.workers import private_media, use_worker_redis

# Playwright drives the browser from the test thread while live_server answers.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    # Before any test: each xdist worker queues and caches on a Redis database of its own.
    use_worker_redis()


def pytest_runtest_logreport(report):
    drill_table.collect(report)


def pytest_terminal_summary(terminalreporter):
    # Here, not in tests/drills: with xdist only this conftest is loaded where reports end up.
    drill_table.write(terminalreporter)


@pytest.fixture(scope="session", autouse=True)
def _private_media(tmp_path_factory):
    """Files go to the session's temporary directory, of its worker alone (tests/workers.py)."""
    with private_media(tmp_path_factory.mktemp("media")) as root:
        yield root


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the reference data once into the test database."""
    with django_db_blocker.unblock():
        reference_data_load()


@pytest.fixture(autouse=True)
def _reference_data(db):
    # Transactional tests (the browser's) empty the database when they end; reload then.
    if not Species.objects.exists():
        reference_data_load()


@pytest.fixture(autouse=True)
def _empty_cache():
    # Visitor pages, throttles and policy caches must not leak from one test to the next.
    cache.clear()


@pytest.fixture(autouse=True)
def _celery_broker_as_configured():
    """Leave Celery's broker as the settings give it, after every test.

    Tests that send tasks to a closed port or to a drill's private Redis swap the broker's
    URLs and connection pools, or make a Celery app of their own (which becomes the current
    app, the one shared tasks send through); left behind, they sent a later test's tasks to
    a port nobody listened on any more (seen when pytest-xdist ran the tests in another
    order).
    """
    yield
    # A Celery app made by a test becomes the current one, which shared tasks send through.
    celery_app.set_current()
    wanted = django_settings.CELERY_BROKER_URL
    pool = celery_app._pool
    producers = celery_app.amqp._producer_pool
    elsewhere = (
        celery_app.conf.broker_url != wanted
        or celery_app.conf.broker_write_url != wanted
        or (pool is not None and pool.connection.as_uri() != Connection(wanted).as_uri())
        # Producers drawn from a pool that is no longer the app's (swapped, then put back).
        or (producers is not None and producers.connections is not pool)
    )
    if not elsewhere:
        return  # a session's in-process worker keeps its connections
    celery_app.conf.broker_url = wanted
    celery_app.conf.broker_write_url = wanted
    if pool is not None:
        pool.force_close_all()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture(autouse=True)
def _english_first():
    # A test that renders in Russian leaves the thread's language active; the next test's
    # messages must not depend on which test ran before it.
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The real hasher costs half a second per account; tests create dozens.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def client():
    """Django's test client; ``force_login`` gives the account's second factor too."""
    return SecondFactorClient()


@pytest.fixture
def admin_user(admin_user):
    """pytest-django's superuser, with the authenticator every admin must have."""
    give_authenticator(admin_user)
    return admin_user


@pytest.fixture
def admin_client(admin_user):
    client = SecondFactorClient()
    client.force_login(admin_user)
    return client


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def visitor():
    return AnonymousUser()


@pytest.fixture
def researcher_a(db):
    return UserFactory(username="researcher-a", country_id="KR")


@pytest.fixture
def researcher_b(db):
    return UserFactory(username="researcher-b", country_id="MN")


@pytest.fixture
def focal_point_a(db):
    return FocalPointFactory(username="focal-a", country_id="KR")


@pytest.fixture
def focal_point_b(db):
    return FocalPointFactory(username="focal-b", country_id="MN")


@pytest.fixture
def secretariat(db):
    user = secretariat_appoint(
        actor=None, user=UserFactory(username="secretariat", country_id=None)
    )
    give_authenticator(user)
    return user


@pytest.fixture
def partner(db):
    return UserFactory(username="partner", country_id=None, organisation="EAAFP")


@pytest.fixture
def pending(db):
    return UserFactory(
        username="pending", country_id="KR", status=AccountStatus.PENDING, verified_at=None
    )
