"""Expressions of a row compiled to SQL once per process, for the lists that read them.

Building a subquery and compiling it to SQL costs Django more than PostgreSQL takes to
answer it: the five arrays of tag codes of the API's dataset list cost 3.3 ms of Python
on every request (1 ms to build, 2.2 ms to compile), against well under 1 ms in the
database. Their SQL depends on nothing but the model and the relation, so it is compiled
once and kept here. Nothing is kept but the text of a query: every request still asks the
database. ``access.policy.compiled`` keeps the download rule here too, per reader.

An expression may be kept only under a key that names everything its SQL depends on: a
relation's name, or for the policy's expressions everything about the reader that the
rule reads (``access.policy.publications.visible_protocol_ids``). Nothing of a moment:
SQL that reads the clock says ``now()``.
"""

from collections.abc import Callable, Hashable

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Expression, Model
from django.db.models.expressions import BaseExpression
from django.db.models.fields import Field

#: Keys kept; past it, all are dropped and compiled again (keys may name readers).
MAX_KEPT = 4096

_kept: dict[Hashable, tuple[str, tuple, Field]] = {}


class KeptExpression(Expression):
    """A value of each row of ``model``'s table whose SQL was compiled before.

    The kept SQL names the row by the table's own name. In a query that names it otherwise
    (when the query sits inside another one), the expression is built and compiled afresh.
    """

    def __init__(self, key: Hashable, model: type[Model], make: Callable[[], BaseExpression]):
        found = _kept.get(key)
        if found is None:
            if len(_kept) >= MAX_KEPT:
                _kept.clear()
            found = _kept[key] = _compile(model, make())
        sql, params, output_field = found
        super().__init__(output_field=output_field)
        self.key, self.model, self.make = key, model, make
        self.sql, self.params = sql, params

    def as_sql(self, compiler, connection):
        if compiler.query.get_initial_alias() == self.model._meta.db_table:
            return self.sql, list(self.params)
        return compiler.compile(self.make().resolve_expression(compiler.query))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, KeptExpression) and self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)


def _compile(model: type[Model], expression: BaseExpression) -> tuple[str, tuple, Field]:
    query = model._default_manager.annotate(kept=expression).query
    resolved = query.annotations["kept"]
    sql, params = query.get_compiler(using=DEFAULT_DB_ALIAS).compile(resolved)
    return sql, tuple(params), resolved.output_field
