"""Who is who: verified accounts, focal points, the secretariat, and who gives roles.

Every other section of the policy starts from these answers. A pending account is a
visitor for every decision; only a verified account (or an admin) is anyone.
"""

from typing import TypeGuard, cast

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import AccountStatus, FocalPoint, User

Actor = User | AnonymousUser


def is_verified(user: Actor) -> TypeGuard[User]:
    """Return True for a signed-in, active account that has been verified (or an admin)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.status == AccountStatus.VERIFIED


def is_secretariat(user: Actor) -> bool:
    """Return True for verified secretariat staff and admins."""
    return is_verified(user) and (user.is_superuser or user.is_secretariat)


def is_member_state_researcher(user: Actor) -> bool:
    """Return True for a verified account affiliated with a member State."""
    return is_verified(user) and user.country_id is not None


def focal_point_countries(user: Actor) -> frozenset[str]:
    """Return the codes of the member States the user is a focal point of (cached per object)."""
    if not is_verified(user):
        return frozenset()
    user = cast(User, user)  # only accounts are verified, never AnonymousUser
    cached = getattr(user, "_focal_point_countries", None)
    if cached is None:
        cached = frozenset(
            FocalPoint.objects.filter(user=user).values_list("country_id", flat=True)
        )
        user._focal_point_countries = cached
    return cached


def is_focal_point(user: Actor, country_code: str | None = None) -> bool:
    """Return True when the user is a focal point of ``country_code`` (of any State if None)."""
    countries = focal_point_countries(user)
    return bool(countries) if country_code is None else country_code in countries


def accounts_to_verify(user: Actor) -> QuerySet[User]:
    """Return the pending accounts this user may verify.

    Focal points verify their countries' new accounts; the secretariat verifies partner
    accounts (no country) and, as a fallback, accounts of a country with no focal point yet.
    """
    pending = User.objects.filter(status=AccountStatus.PENDING, is_active=True).select_related(
        "country"
    )
    countries = focal_point_countries(user)
    if is_secretariat(user):
        uncovered = FocalPoint.objects.values_list("country_id", flat=True)
        return (
            pending.filter(country__isnull=True)
            | pending.filter(country_id__in=countries)
            | pending.exclude(country_id__in=uncovered).exclude(country__isnull=True)
        )
    if countries:
        return pending.filter(country_id__in=countries)
    return pending.none()


def access_account_to_verify(user: Actor, pk: int) -> User:
    """Return the pending account ``pk`` if ``user`` may verify it; raise Http404 otherwise."""
    try:
        return accounts_to_verify(user).get(pk=pk)
    except User.DoesNotExist:
        raise Http404("No such account awaits your verification.") from None


def can_review_accounts(user: Actor) -> bool:
    """Return True when the user is someone who verifies accounts (focal point or secretariat)."""
    return is_secretariat(user) or is_focal_point(user)


# --- Roles ----------------------------------------------------------------------------------
#
# The secretariat gives and takes the focal-point and secretariat roles (``accounts.roles``),
# never its own: nobody changes their own roles.


def can_manage_roles(user: Actor) -> bool:
    """Return True for those who give and take roles: the secretariat (and admins)."""
    return is_secretariat(user)


def role_accounts(user: Actor) -> QuerySet[User]:
    """Return the accounts whose roles ``user`` may change: all but their own, if any."""
    if not can_manage_roles(user):
        return User.objects.none()
    user = cast(User, user)  # only accounts manage roles, never AnonymousUser
    return User.objects.exclude(pk=user.pk).select_related("country")


def access_role_account(user: Actor, pk: int | str) -> User:
    """Return the account ``pk`` if ``user`` may change its roles; raise Http404 otherwise."""
    try:
        return role_accounts(user).get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404("No such account, or it is your own.") from None


def secretariat_members(user: Actor) -> QuerySet[User]:
    """Return the secretariat staff and admins, for those who manage roles."""
    if not can_manage_roles(user):
        return User.objects.none()
    return (
        User.objects.filter(Q(is_secretariat=True) | Q(is_superuser=True))
        .select_related("country")
        .order_by("username")
    )


def focal_point_appointments(user: Actor) -> QuerySet[FocalPoint]:
    """Return every focal-point appointment, for those who manage roles."""
    if not can_manage_roles(user):
        return FocalPoint.objects.none()
    return FocalPoint.objects.select_related("user", "country").order_by(
        "country__name_en", "user__username"
    )


def access_focal_point_appointment(user: Actor, pk: int | str) -> FocalPoint:
    """Return the appointment ``pk`` if ``user`` may take it away; raise Http404 otherwise."""
    appointments = focal_point_appointments(user)
    if can_manage_roles(user):
        appointments = appointments.exclude(user_id=cast(User, user).pk)
    try:
        return appointments.get(pk=pk)
    except (FocalPoint.DoesNotExist, ValueError, TypeError):
        raise Http404("No such appointment, or it is your own.") from None


def account_verifiers(account: User) -> list[User]:
    """Return who is told that ``account`` waits for verification.

    Its country's active focal points; the secretariat when it has no country or its
    country has no focal point yet (who then verifies it, see ``accounts_to_verify``).
    """
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
