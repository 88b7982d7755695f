"""Every request that changes the programme's data writes an audit event naming what it changed.

``audited_requests`` (autouse, through ``tests/conftest.py``) wraps every request the test
clients make: it watches the SQL the request runs and, when the response is back, fails the
test if a row was inserted, updated or deleted without an audit event naming the row's model,
or the object the row belongs to. So every test that exercises a page, an API operation or
the admin also checks that the change it makes is audited, and a new surface that forgets
``access.services.audit_record`` fails the tests that exercise it.

"Belongs to" follows foreign keys: an author row belongs to its publication, a session to its
event, a recovery code to its device and the device to its account. Reference vocabularies
and accounts named by a foreign key (an uploader, a decider) do not count as owners: an audit
event about the person is not an audit event about their dataset. The writes that are not
state changes of the programme are listed in ``BOOKKEEPING`` with the reason.

The check reads the SQL (``connection.execute_wrapper``) rather than model signals, so that
``QuerySet.update``, ``bulk_create`` and ``bulk_update``, which send no signal, are seen too.
It runs no query of its own, so query budgets asserted around requests are unchanged.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.apps import apps
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.db.models import Model
from django.test.client import ClientHandler

#: Models a foreign key may point to without making them the owner of the row.
NOT_OWNERS = {
    "accounts.user",
    "auth.permission",
    "contenttypes.contenttype",
    "species.country",
    "species.species",
    "species.site",
    "species.kmgbftarget",
    "species.theme",
}
#: Apps whose rows belong to the account they point to (devices, tokens, appointments).
ACCOUNT_APPS = {"accounts", "otp_totp", "otp_static"}


@dataclass(frozen=True)
class Write:
    """One INSERT, UPDATE or DELETE seen on the database."""

    verb: str
    model: str
    columns: frozenset[str] = frozenset()
    values: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


def _columns_only(*names: str) -> Callable[[Write], bool]:
    return lambda write: write.verb == "UPDATE" and write.columns <= set(names)


#: Writes that are not state changes of the programme, each with why.
BOOKKEEPING: dict[str, tuple[str, Callable[[Write], bool]]] = {
    "sessions.session": ("the browser's session, written by signing in and out", bool),
    "axes.accessattempt": ("django-axes' failure counters of the sign-in lockout", bool),
    "axes.accessattemptexpiration": ("django-axes' failure counters", bool),
    "axes.accesslog": ("django-axes' log of sign-ins, itself a record", bool),
    "axes.accessfailurelog": ("django-axes' log of failed sign-ins, itself a record", bool),
    "admin.logentry": ("Django's admin history, kept beside the audit trail", bool),
    "access.idempotentrequest": (
        "the kept answer of a retried create (Idempotency-Key); the create itself is audited",
        bool,
    ),
    "search.searchdocument": ("the search index, derived from the rows it indexes", bool),
    "search.searchvector": ("the vectors of the search index, derived from its documents", bool),
    "datasets.occurrence": ("records read from a file by processing, derived", bool),
    "datasets.publicoccurrence": ("the public form of records, derived from them", bool),
    "datasets.dailycount": (
        "the day's number of views or downloads of an object, by country; no person",
        bool,
    ),
    "accounts.user": ("the time of the last sign-in", _columns_only("last_login")),
    "accounts.apitoken": ("when a token was last used", _columns_only("last_used_at")),
    # django-otp saves the whole device when it checks a code (throttling, drift, last
    # counter): bookkeeping. Adding and removing devices is still checked; confirming one
    # is audited by ``two_factor_confirm``.
    "otp_totp.totpdevice": (
        "django-otp's counters; an unconfirmed authenticator signs nobody in",
        lambda write: (
            write.verb == "UPDATE"
            or (write.verb == "INSERT" and write.values.get("confirmed") is False)
        ),
    ),
    "otp_static.staticdevice": ("django-otp's counters", lambda write: write.verb == "UPDATE"),
}

_INSERT = re.compile(r'^\s*INSERT INTO "(\w+)" \(([^)]*)\)', re.IGNORECASE)
_UPDATE = re.compile(r'^\s*UPDATE "(\w+)" SET (.*)$', re.IGNORECASE | re.DOTALL)
_DELETE = re.compile(r'^\s*DELETE FROM "(\w+)"', re.IGNORECASE)
_SAVEPOINT = re.compile(
    r'^\s*(SAVEPOINT|ROLLBACK TO SAVEPOINT|RELEASE SAVEPOINT) "?(\w+)"?', re.IGNORECASE
)
_SET_COLUMN = re.compile(r'(?:^|,)\s*"(\w+)" = ')


def _models_by_table() -> dict[str, type[Model]]:
    return {model._meta.db_table: model for model in apps.get_models(include_auto_created=True)}


def parse(sql: str, params: Any, tables: dict[str, type[Model]]) -> Write | None:
    """Return the write ``sql`` makes, or None for a read or a table of no model."""
    if match := _INSERT.match(sql):
        table, columns = match[1], [name.strip().strip('"') for name in match[2].split(",")]
        values = dict(zip(columns, params, strict=False)) if params else {}
        verb, names = "INSERT", frozenset(columns)
    elif match := _UPDATE.match(sql):
        table = match[1]
        verb, names, values = "UPDATE", frozenset(_SET_COLUMN.findall(match[2])), {}
    elif match := _DELETE.match(sql):
        table, verb, names, values = match[1], "DELETE", frozenset(), {}
    else:
        return None
    model = tables.get(table)
    if model is None:
        return None
    return Write(verb=verb, model=model._meta.label_lower, columns=names, values=values)


def owners(label: str) -> set[str]:
    """Return ``label`` and the models its rows belong to, following foreign keys."""
    found, todo = {label}, [label]
    while todo:
        model = apps.get_model(todo.pop())
        for relation in model._meta.fields:
            target = relation.related_model
            if target is None or not (relation.many_to_one or relation.one_to_one):
                continue
            name = target._meta.label_lower
            owns = (
                model._meta.auto_created
                or name not in NOT_OWNERS
                or (name == "accounts.user" and model._meta.app_label in ACCOUNT_APPS)
            )
            if owns and name not in found:
                found.add(name)
                todo.append(name)
    return found


class Recorder:
    """Collect the writes of one request and the object types its audit events name."""

    def __init__(self) -> None:
        self.tables = _models_by_table()
        self.writes: list[Write] = []
        self.audited: list[str] = []
        self.savepoints: dict[str, tuple[int, int]] = {}

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if isinstance(sql, str):
            self._see(sql, params)
        return result

    def _see(self, sql: str, params: Any) -> None:
        # What a rolled-back savepoint wrote was never a change: forget it.
        if match := _SAVEPOINT.match(sql):
            verb, name = match[1].upper(), match[2]
            if verb == "SAVEPOINT":
                self.savepoints[name] = (len(self.writes), len(self.audited))
            elif verb == "ROLLBACK TO SAVEPOINT" and name in self.savepoints:
                writes, audited = self.savepoints[name]
                del self.writes[writes:], self.audited[audited:]
            return
        write = parse(sql, params, self.tables)
        if write is not None and write.model == "access.auditevent":
            self.audited.append(str(write.values.get("object_type")))
        elif write is not None:
            self.writes.append(write)

    def unaudited(self) -> list[Write]:
        """Return the writes that are neither bookkeeping nor named by an audit event."""
        missing: list[Write] = []
        for write in self.writes:
            bookkeeping = BOOKKEEPING.get(write.model)
            if bookkeeping is not None and bookkeeping[1](write):
                continue
            if not owners(write.model) & set(self.audited) and write not in missing:
                missing.append(write)
        return missing


@pytest.fixture(autouse=True)
def audited_requests(monkeypatch) -> Iterator[None]:
    """Fail any request that changes data without auditing it.

    Requests of Django's and DRF's test clients, and those made to the WSGI application
    directly (the schema fuzzing does).
    """
    for handler in (ClientHandler, WSGIHandler):
        monkeypatch.setattr(handler, "__call__", _checked(handler.__call__))
    yield


def _checked(handle):
    def checked(self, environ, *args):
        recorder = Recorder()
        with connection.execute_wrapper(recorder):
            response = handle(self, environ, *args)
        missing = recorder.unaudited()
        assert not missing, (
            f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']} changed "
            + ", ".join(f"{write.model} ({write.verb})" for write in missing)
            + " without an audit event naming it (or what it belongs to)"
            + (
                f"; audit events named: {', '.join(sorted(set(recorder.audited)))}"
                if recorder.audited
                else ""
            )
            + ". Call access.services.audit_record in the service that writes it, or, if the"
            " write is not a state change of the programme, add it to BOOKKEEPING in"
            " tests/audit/writes.py with the reason."
        )
        return response

    return checked
