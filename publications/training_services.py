"""Writes of a training's trainees: counts by country, age group, role and gender.

A training (an event of type ``training``) records who was trained in more detail than a
workshop records its participants: one row per country (or partners), age group and role,
each with its women, men and other or undisclosed. The rows are the event's
``ParticipantCount`` rows, so participation (every event) and capacity building (trainings)
add up the same records. The secretariat's editing page and the admin (read-only) show
them; the rules are stated here once, as ``events_services`` states those of workshops.
"""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from access import policy
from access.services import audit_record
from accounts.models import User
from publications.events_services import MAX_COUNT
from publications.models import AgeGroup, Event, EventType, ParticipantCount, ParticipantRole
from species.models import Country

#: How many rows (country × age group × role) one training may hold.
MAX_ROWS = 200
COUNT_PARTS = ("women", "men", "other")


def _label(row: dict[str, Any]) -> str:
    return " · ".join(
        [
            row.get("country") or _("partners"),
            str(AgeGroup(row["age_group"]).label),
            str(ParticipantRole(row["role"]).label),
        ]
    )


def _check_rows(rows: Sequence[dict[str, Any]], total: int | None) -> None:
    if len(rows) > MAX_ROWS:
        raise ValidationError(
            {"rows": _("Give at most %(limit)d rows of trainees.") % {"limit": MAX_ROWS}}
        )
    members = set(Country.objects.filter(is_member_state=True).values_list("code", flat=True))
    seen: set[tuple[str | None, str, str]] = set()
    for number, row in enumerate(rows, start=1):
        code = row.get("country") or None
        if code is not None and code not in members:
            raise ValidationError(
                {
                    "rows": _("Row %(n)d: unknown member State code %(code)s.")
                    % {"n": number, "code": code}
                }
            )
        if (
            row.get("age_group") not in AgeGroup.values
            or row.get("role") not in ParticipantRole.values
        ):
            raise ValidationError(
                {
                    "rows": _("Row %(n)d: choose an age group and a role from the lists.")
                    % {"n": number}
                }
            )
        if any(
            not isinstance(row.get(part, 0), int) or not 0 <= row.get(part, 0) <= MAX_COUNT
            for part in COUNT_PARTS
        ):
            raise ValidationError(
                {
                    "rows": _("Row %(n)d: counts must be whole numbers from 0 to %(limit)d.")
                    % {"n": number, "limit": MAX_COUNT}
                }
            )
        key = (code, row["age_group"], row["role"])
        if key in seen:
            raise ValidationError(
                {
                    "rows": _("Row %(n)d repeats %(what)s: put those trainees in one row.")
                    % {"n": number, "what": _label(row)}
                }
            )
        seen.add(key)
    counted = sum(row.get(part, 0) for row in rows for part in COUNT_PARTS)
    if total is not None and counted != total:
        raise ValidationError(
            {
                "total": _("The counts add up to %(counted)d, not %(total)d.")
                % {"counted": counted, "total": total}
            }
        )


@transaction.atomic
def trainees_set(
    *,
    actor: User,
    event: Event,
    rows: Sequence[dict[str, Any]],
    total: int | None = None,
) -> None:
    """Replace the trainees of the training ``event`` (secretariat only).

    Each row is ``{"country": code or None, "age_group", "role", "women", "men", "other"}``;
    ``None`` stands for partners and others, missing counts for 0, and rows of zeros are
    dropped. Nothing changes when a row is refused or, ``total`` given, the rows do not add
    up to it.
    """
    if not policy.can_curate_events(actor):
        raise PermissionDenied(_("Only the secretariat curates events."))
    if event.type != EventType.TRAINING:
        raise ValidationError(
            {"rows": _("Trainees are recorded for trainings: make this event a training first.")}
        )
    kept = [row for row in rows if any(row.get(part, 0) for part in COUNT_PARTS)]
    _check_rows(kept, total)
    event.participant_counts.all().delete()
    ParticipantCount.objects.bulk_create(
        ParticipantCount(
            event=event,
            country_id=row.get("country") or None,
            age_group=row["age_group"],
            role=row["role"],
            **{part: row.get(part, 0) for part in COUNT_PARTS},
        )
        for row in kept
    )
    audit_record(
        actor=actor,
        action="event.trainees.set",
        obj=event,
        detail={
            "rows": [
                [row.get("country") or "partners", row["age_group"], row["role"]]
                + [row.get(part, 0) for part in COUNT_PARTS]
                for row in kept
            ]
        },
    )
