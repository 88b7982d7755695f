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

from django.db.models import BooleanField, Case, Q, Value, When
from django.db.models.functions import Now

from datasets.models import Dataset
from neaspec_portal.kept_sql import KeptExpression


def rule(reader: tuple, condition_for: Callable[[Now], Q]) -> KeptExpression:
    """Return ``condition_for(Now())`` as a true-or-false value of each dataset row, its SQL
    compiled once per ``reader`` (``neaspec_portal.kept_sql``; afresh inside another query).

    ``reader`` is everything the condition depends on (the cache's key): the caller
    guarantees that the same ``reader`` always gives the same condition.
    """
    return KeptExpression(("download-rule", reader), Dataset, lambda: _case(condition_for(Now())))


def _case(condition: Q) -> Case:
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )
