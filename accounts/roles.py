"""Writes of roles: who is a focal point of which member State, and who is secretariat staff.

Roles change only here. The secretariat gives and takes them on the roles page, never on
its own account; each change writes an audit row and tells the person by email. The Django
admin shows roles and cannot change them, and superusers are made on the command line
(``createsuperuser``). ``actor=None`` stands for the command line (``seed_demo``, tests):
it is recorded as such.
"""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from access import policy
from access.services import audit_record
from accounts.models import FocalPoint, User
from neaspec_portal.mail import send_templated_email
from species.models import Country

#: What the secretariat manages in the Django admin: reference data and vocabularies.
SECRETARIAT_ADMIN_MODELS = {
    "species": ["country", "species", "site", "kmgbftarget", "theme"],
    "programme": ["programmetarget"],
}
#: What it only reads there: accounts and roles change on the roles page, publications and
#: events on their own pages, through the services that check and audit them.
SECRETARIAT_ADMIN_READ_ONLY_MODELS = {
    "accounts": ["user", "focalpoint"],
    "publications": [
        "publication",
        "author",
        "publicationfile",
        "event",
        "session",
        "participantcount",
        "material",
    ],
    "auth": ["group"],
}
SECRETARIAT_GROUP = "Secretariat"


@transaction.atomic
def secretariat_group_ensure() -> Group:
    """Create or refresh the admin group that gives the secretariat its model permissions."""
    group, _created = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    permissions = Permission.objects.none()
    for app_label, models in SECRETARIAT_ADMIN_MODELS.items():
        permissions |= Permission.objects.filter(
            content_type__app_label=app_label, content_type__model__in=models
        )
    for app_label, models in SECRETARIAT_ADMIN_READ_ONLY_MODELS.items():
        permissions |= Permission.objects.filter(
            content_type__app_label=app_label,
            content_type__model__in=models,
            codename__startswith="view_",
        )
    group.permissions.set(permissions)
    return group


def _check_actor(actor: User | None, account: User) -> None:
    """Refuse unless ``actor`` manages roles and ``account`` is someone else."""
    if actor is None:
        return
    if not policy.can_manage_roles(actor):
        raise PermissionDenied(_("Only the secretariat gives and takes roles."))
    if actor.pk == account.pk:
        raise PermissionDenied(
            _("Nobody changes their own roles: ask another member of the secretariat.")
        )


def _check_verified(account: User) -> None:
    if not policy.is_verified(account):
        raise ValidationError(
            _("%(name)s is not a verified, active account: verify it before giving it a role.")
            % {"name": account.username}
        )


def _forget_cached_roles(account: User) -> None:
    # ``policy.focal_point_countries`` caches on the object; the next question must re-read.
    account.__dict__.pop("_focal_point_countries", None)


def _record(*, actor: User | None, action: str, account: User, country: str = "") -> None:
    detail = {"account": account.username}
    if actor is None:
        detail["by"] = "command line"
    audit_record(actor=actor, action=action, obj=account, country=country, detail=detail)


@transaction.atomic
def focal_point_appoint(*, actor: User | None, user: User, country: Country) -> FocalPoint:
    """Make ``user`` a focal point of ``country``, record it and tell them.

    The account must be verified and affiliated with that member State.
    """
    _check_actor(actor, user)
    _check_verified(user)
    if not country.is_member_state or user.country_id != country.code:
        raise ValidationError(
            _("A focal point of %(country)s is an account affiliated with %(country)s.")
            % {"country": country.name}
        )
    appointment, created = FocalPoint.objects.get_or_create(user=user, country=country)
    if not created:
        raise ValidationError(
            _("%(name)s is already a focal point of %(country)s.")
            % {"name": user.username, "country": country.name}
        )
    _forget_cached_roles(user)
    _record(actor=actor, action="role.focal_point.appoint", account=user, country=country.code)
    send_templated_email(
        recipients=[user], template="role-given", context={"country": country, "actor": actor}
    )
    return appointment


@transaction.atomic
def focal_point_remove(*, actor: User | None, appointment: FocalPoint) -> None:
    """End ``appointment``, record it and tell the person who held it."""
    user, country = appointment.user, appointment.country
    _check_actor(actor, user)
    deleted, _rows = FocalPoint.objects.filter(pk=appointment.pk).delete()
    if not deleted:
        raise ValidationError(
            _("%(name)s is no longer a focal point of %(country)s.")
            % {"name": user.username, "country": country.name}
        )
    _forget_cached_roles(user)
    _record(actor=actor, action="role.focal_point.remove", account=user, country=country.code)
    send_templated_email(
        recipients=[user], template="role-taken", context={"country": country, "actor": actor}
    )


@transaction.atomic
def secretariat_appoint(*, actor: User | None, user: User) -> User:
    """Make ``user`` secretariat staff (with the admin for reference data), record it, tell them."""
    _check_actor(actor, user)
    _check_verified(user)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_secretariat:
        raise ValidationError(_("%(name)s is already secretariat staff.") % {"name": user.username})
    user.is_secretariat = True
    user.is_staff = True
    user.save(update_fields=["is_secretariat", "is_staff"])
    user.groups.add(secretariat_group_ensure())
    _record(actor=actor, action="role.secretariat.appoint", account=user)
    send_templated_email(
        recipients=[user], template="role-given", context={"country": None, "actor": actor}
    )
    return user


@transaction.atomic
def secretariat_remove(*, actor: User | None, user: User) -> User:
    """Take the secretariat role (and the admin, unless a superuser) from ``user``; tell them."""
    _check_actor(actor, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_secretariat:
        raise ValidationError(_("%(name)s is not secretariat staff.") % {"name": user.username})
    user.is_secretariat = False
    user.is_staff = user.is_superuser
    user.save(update_fields=["is_secretariat", "is_staff"])
    user.groups.remove(*Group.objects.filter(name=SECRETARIAT_GROUP))
    _record(actor=actor, action="role.secretariat.remove", account=user)
    send_templated_email(
        recipients=[user], template="role-taken", context={"country": None, "actor": actor}
    )
    return user
