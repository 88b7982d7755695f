"""Writes of projects: create and change a project, and what belongs to it (secretariat only).

The rules live here and in ``Project.clean``, so the pages and anything else that writes a
project refuse alike. A refusal is a ``ValidationError`` naming the field at fault or a
``PermissionDenied``. Every change writes a row to the audit trail.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from access import policy
from access.services import audit_record
from accounts.models import User
from neaspec_portal.bounds import check_lengths
from projects.models import Project

#: The many-to-many fields a project takes, with the longest list each may hold.
PROJECT_LISTS = {
    "countries": 6,
    "people": 500,
    "sites": 500,
    "species": 500,
    "targets": 23,
    "themes": 50,
    "datasets": 1000,
    "publications": 1000,
    "events": 500,
}


def _check_countries(countries: list[Any]) -> None:
    outsiders = [country.code for country in countries if not country.is_member_state]
    if outsiders:
        raise ValidationError(
            {
                "countries": _("Only member States can be named: not %(codes)s.")
                % {"codes": ", ".join(outsiders)}
            }
        )


@transaction.atomic
def project_save(*, actor: User, project: Project | None = None, **fields: Any) -> Project:
    """Create or change a project (secretariat only) and set the lists it was given.

    ``fields`` are Project fields; the many-to-many ones (``PROJECT_LISTS``) are lists of
    objects. Countries are member States only. ``Project.clean`` judges the period.
    """
    if not policy.can_curate_projects(actor):
        raise PermissionDenied(_("Only the secretariat curates projects."))
    lists = {name: list(fields.pop(name)) for name in PROJECT_LISTS if name in fields}
    check_lengths(lists, PROJECT_LISTS)
    _check_countries(lists.get("countries", []))
    created = project is None
    project = project or Project(created_by=actor)
    for name, value in fields.items():
        setattr(project, name, value)
    project.full_clean(exclude=["created_by"])
    project.save()
    for name, values in lists.items():
        getattr(project, name).set(values)
    audit_record(
        actor=actor,
        action="project.create" if created else "project.update",
        obj=project,
        detail={"fields": sorted([*fields, *lists])},
    )
    return project
