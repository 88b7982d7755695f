"""The download rule compiled to SQL once per reader, and reused on every list they read.

``datasets._download_condition`` is a tree of subqueries (grants, their permissions, group
grants, collaborators, co-owners). Building it and compiling it to SQL cost more than the
database took to answer a page of 20 rows (~5 ms of Python on every signed-in list, against
~1 ms for the rest of the query). The SQL depends on nothing but who is reading — their id,
their country, whether they are verified and which countries they are focal point of — and,
judged by the database's clock (``Now()``), not on the moment either. So it is compiled once
for that combination and kept in this process; every query still asks the database, so a
grant, a revocation or an expiry counts on the next request as before.

Nothing is decided here: the condition is ``_download_condition``'s, word for word, and
``tests/datasets_core/test_download_forms.py`` checks that the compiled form and the others
agree on generated worlds of datasets, versions and grants.
"""

from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS
from django.db.models import BooleanField, Case, Expression, Q, Value, When
from django.db.models.functions import Now

from datasets.models import Dataset

#: Readers whose rule is kept; past it, the kept rules are dropped and compiled again.
MAX_READERS = 2048

_compiled: dict[tuple, tuple[str, tuple]] = {}


class CompiledRule(Expression):
    """A true-or-false value of each dataset row, its SQL compiled before.

    The kept SQL names the row by the dataset table's own name, and its subqueries by
    aliases of their own. In a query that names the table otherwise (when the query sits
    inside another one), the condition is compiled afresh for that query instead.
    """

    def __init__(self, sql: str, params: tuple, condition_for: Callable[[Now], Q]) -> None:
        super().__init__(output_field=BooleanField())
        self.sql = sql
        self.params = params
        self.condition_for = condition_for

    def as_sql(self, compiler, connection):
        if compiler.query.get_initial_alias() == Dataset._meta.db_table:
            return self.sql, list(self.params)
        case = _case(self.condition_for(Now())).resolve_expression(compiler.query)
        return compiler.compile(case)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CompiledRule) and (self.sql, self.params) == (
            other.sql,
            other.params,
        )

    def __hash__(self) -> int:
        return hash((self.sql, self.params))


def rule(reader: tuple, condition_for: Callable[[Now], Q]) -> CompiledRule:
    """Return ``condition_for(Now())`` as a compiled true-or-false value of each row.

    ``reader`` is everything the condition depends on (the cache's key): the caller
    guarantees that the same ``reader`` always gives the same condition.
    """
    found = _compiled.get(reader)
    if found is None:
        if len(_compiled) >= MAX_READERS:
            _compiled.clear()
        found = _compiled[reader] = _compile(condition_for(Now()))
    return CompiledRule(*found, condition_for)


def _case(condition: Q) -> Case:
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def _compile(condition: Q) -> tuple[str, tuple]:
    query = Dataset.objects.annotate(rule=_case(condition)).query
    compiler = query.get_compiler(using=DEFAULT_DB_ALIAS)
    sql, params = compiler.compile(query.annotations["rule"])
    return sql, tuple(params)
