"""The download rule has two SQL forms that must always agree.

``visible_datasets`` annotates each row it reads with ``can_download`` by looking up that
row's grants by index (fast on a page of a list), while ``downloadable_datasets`` filters
many rows with two sets read once (fast over thousands). Generated worlds of datasets,
versions and grants — live, expired, revoked, to a person or to their group, with or
without the guardian permission, on a first version or a later one — must give the same
answer through both forms and through ``can_download`` of a single dataset.

``listed_datasets`` leaves the ways of seeing an unpublished dataset out of its SQL (a
listed row is published, and published metadata is everyone's): for the holder, the owner
and a focal point it must list exactly the visible rows that are published and current,
each with the same ``can_download``. The per-row form is SQL compiled once per reader
(``access.policy.compiled``); it must also hold inside another query, whose alias for the
dataset table differs.
"""

import os
from datetime import timedelta

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from access import policy
from datasets.models import (
    AccessGrant,
    Dataset,
    DatasetGroupObjectPermission,
    DatasetUserObjectPermission,
)
from tests.factories import DatasetFactory

CASES = int(os.environ.get("TRUST_EXAMPLES", "12"))
LEVELS = ["public", "registered", "member_states", "country", "restricted"]
STATUSES = ["published", "published", "submitted", "withdrawn"]

datasets_drawn = st.lists(
    st.tuples(
        st.sampled_from(["restricted", "restricted", *LEVELS]),
        st.sampled_from(STATUSES),
        st.one_of(st.none(), st.integers(0, 2)),  # a later version of that earlier one
        st.booleans(),  # superseded by a later version
    ),
    min_size=1,
    max_size=6,
)
grants_drawn = st.lists(
    st.tuples(
        st.integers(0, 3),  # which dataset
        st.sampled_from(["user", "group"]),
        st.sampled_from(["live", "live", "expired", "revoked"]),
        st.sampled_from(["both", "both", "grant only", "permission only"]),
    ),
    max_size=8,
)


class _Rollback(Exception):
    """Undo one generated world."""


def _build(datasets_spec, grants_spec, *, owner, holder, group, decider) -> list[Dataset]:
    rows: list[Dataset] = []
    versions: dict[int, int] = {}
    for level, status, earlier, superseded in datasets_spec:
        root = None
        if earlier is not None and earlier < len(rows):
            root = rows[earlier].series or rows[earlier]
            versions[root.pk] = versions.get(root.pk, 1) + 1
        rows.append(
            DatasetFactory(
                uploader=owner,
                access_level=level,
                status=status,
                series=root,
                version=versions[root.pk] if root else 1,
                superseded_at=timezone.now() if superseded else None,
            )
        )
    permission = Permission.objects.get(codename=policy.DOWNLOAD_PERMISSION)
    now = timezone.now()
    for index, to, state, parts in grants_spec:
        target = rows[index % len(rows)]
        if parts != "permission only":
            AccessGrant.objects.create(
                dataset=target,
                user=holder if to == "user" else None,
                group=group if to == "group" else None,
                granted_by=decider,
                expires_at=now + timedelta(days=-1 if state == "expired" else 30),
                revoked_at=now if state == "revoked" else None,
            )
        if parts != "grant only":
            if to == "user":
                DatasetUserObjectPermission.objects.get_or_create(
                    user=holder, permission=permission, content_object=target
                )
            else:
                DatasetGroupObjectPermission.objects.get_or_create(
                    group=group, permission=permission, content_object=target
                )
    return rows


def test_it_gives_the_same_answer_per_row_per_set_and_per_dataset(
    researcher_a, researcher_b, focal_point_b
):
    group = Group.objects.create(name="Survey partners")
    researcher_a.groups.add(group)
    checked = []

    @settings(
        max_examples=CASES * 3,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(datasets_spec=datasets_drawn, grants_spec=grants_drawn)
    def agree(datasets_spec, grants_spec):
        try:
            with transaction.atomic():
                rows = _build(
                    datasets_spec,
                    grants_spec,
                    owner=researcher_b,
                    holder=researcher_a,
                    group=group,
                    decider=focal_point_b,
                )
                ids = {row.pk for row in rows}
                visible = policy.visible_datasets(researcher_a).filter(pk__in=ids)
                per_row = {row.pk for row in visible if row.can_download}
                per_set = set(
                    policy.downloadable_datasets(researcher_a, visible).values_list("pk", flat=True)
                )
                one_by_one = {
                    row.pk
                    for row in Dataset.objects.filter(pk__in=visible.values("pk"))
                    if policy.can_download(researcher_a, row)
                }
                # The compiled rule inside another query (its table then has another alias).
                nested = set(
                    Dataset.objects.filter(
                        pk__in=visible.filter(can_download=True).values("pk")
                    ).values_list("pk", flat=True)
                )
                assert per_row == per_set == one_by_one == nested, (datasets_spec, grants_spec)
                for reader in (researcher_a, researcher_b, focal_point_b):
                    listed = policy.listed_datasets(reader).filter(pk__in=ids)
                    expected = {
                        (row.pk, row.can_download)
                        for row in policy.visible_datasets(reader).filter(pk__in=ids)
                        if row.status == "published" and row.superseded_at is None
                    }
                    assert {(row.pk, row.can_download) for row in listed} == expected, reader
                checked.append(len(per_row))
                raise _Rollback
        except _Rollback:
            pass

    agree()
    assert checked, "no world was generated"
