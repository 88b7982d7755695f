"""Writes of accounts: registration and verification."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from access import policy
from access.services import audit_record
from accounts.models import AccountStatus, FocalPoint, User
from neaspec_portal.mail import send_templated_email
from species.models import Country


@transaction.atomic
def account_register(
    *,
    username: str,
    email: str,
    password: str,
    country: Country | None,
    organisation: str = "",
    first_name: str = "",
    last_name: str = "",
    preferred_language: str = "",
) -> User:
    """Create a pending account and tell the people who can verify it."""
    user = User(
        username=username,
        email=email,
        country=country,
        organisation=organisation,
        first_name=first_name,
        last_name=last_name,
        preferred_language=preferred_language,
        status=AccountStatus.PENDING,
    )
    user.set_password(password)
    user.save()
    audit_record(actor=user, action="account.register", obj=user, country=user.country_id or "")
    send_templated_email(
        recipients=account_verifiers(user), template="account-pending", context={"account": user}
    )
    return user


def account_verifiers(account: User) -> list[User]:
    """Return who verifies ``account``: its country's focal points, else the secretariat."""
    if account.country_id:
        focal_points = [
            appointment.user
            for appointment in FocalPoint.objects.filter(
                country_id=account.country_id, user__is_active=True
            ).select_related("user")
        ]
        if focal_points:
            return focal_points
    return list(User.objects.filter(is_secretariat=True, is_active=True))


@transaction.atomic
def account_verify(*, actor: User, account: User) -> User:
    """Mark ``account`` verified by ``actor`` (who must be allowed to) and tell its owner."""
    account = policy.access_account_to_verify(actor, account.pk)
    account.status = AccountStatus.VERIFIED
    account.verified_by = actor
    account.verified_at = timezone.now()
    account.save(update_fields=["status", "verified_by", "verified_at"])
    audit_record(
        actor=actor, action="account.verify", obj=account, country=account.country_id or ""
    )
    send_templated_email(recipients=[account], template="account-verified", context={})
    return account


@transaction.atomic
def account_reject(*, actor: User, account: User, reason: str) -> User:
    """Refuse ``account``'s verification with a reason, and tell its owner."""
    account = policy.access_account_to_verify(actor, account.pk)
    account.status = AccountStatus.REJECTED
    account.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="account.reject",
        obj=account,
        country=account.country_id or "",
        detail={"reason": reason},
    )
    send_templated_email(
        recipients=[account], template="account-rejected", context={"reason": reason}
    )
    return account


#: What the secretariat manages in the Django admin: reference data, vocabularies, accounts.
SECRETARIAT_ADMIN_MODELS = {
    "species": ["country", "species", "site", "kmgbftarget", "theme"],
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
    group.permissions.set(permissions)
    return group


@transaction.atomic
def secretariat_appoint(*, user: User) -> User:
    """Make ``user`` secretariat staff with access to the admin for reference data and accounts."""
    user.is_secretariat = True
    user.is_staff = True
    user.save(update_fields=["is_secretariat", "is_staff"])
    user.groups.add(secretariat_group_ensure())
    return user
