"""Writes of accounts: registration, verification, profile edits and password changes.

Roles are in ``accounts.roles``, second factors in ``accounts.two_factor``, API tokens in
``accounts.tokens``; each write there and here records an audit event. What is not audited
is what the sign-in keeps for itself (``last_login``, sessions, django-axes' failure
counters, django-otp's throttling and drift): bookkeeping, not a change anyone made.
"""

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils import timezone

from access import policy
from access.services import audit_record
from accounts.models import AccountStatus, User
from accounts.tokens import api_tokens_revoke_all
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
) -> User | None:
    """Create a pending account, tell its owner and the people who can verify it.

    When the email address or the username is taken, create nothing and tell the address
    what happened instead: the address's account holder that someone tried to register
    with it, or the registrant that the username is taken. The person registering gets the
    same answer either way (``None`` instead of the account), so registration never says
    which usernames or addresses exist, as signing in and resetting a password do not.
    """
    holder = User.objects.filter(email__iexact=email).order_by("pk").first()
    if holder is None:
        try:
            with transaction.atomic():
                user = _account_create(
                    username=username,
                    email=email,
                    password=password,
                    country=country,
                    organisation=organisation,
                    first_name=first_name,
                    last_name=last_name,
                    preferred_language=preferred_language,
                )
        except IntegrityError:
            user = None  # the username was taken meanwhile
        if user is not None:
            return user
    # The same work as a registration, so that the time taken does not tell either.
    make_password(password)
    if holder is not None:
        audit_record(actor=None, action="account.register_taken_email", obj=holder)
        send_templated_email(
            recipients=[holder], template="registration-email-taken", context={"account": holder}
        )
        return None
    taken = User.objects.filter(username__iexact=username).order_by("pk").first()
    if taken is not None:
        audit_record(actor=None, action="account.register_taken_username", obj=taken)
    registrant = User(username=username, email=email, preferred_language=preferred_language)
    send_templated_email(
        recipients=[registrant], template="registration-username-taken", context={}
    )
    return None


def _account_create(*, username: str, email: str, password: str, **fields) -> User | None:
    if User.objects.filter(username__iexact=username).exists():
        return None
    user = User(username=username, email=email, status=AccountStatus.PENDING, **fields)
    user.set_password(password)
    user.save()
    audit_record(actor=user, action="account.register", obj=user, country=user.country_id or "")
    send_templated_email(
        recipients=policy.account_verifiers(user),
        template="account-pending",
        context={"account": user},
    )
    send_templated_email(recipients=[user], template="account-registered", context={})
    return user


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


#: The fields of an account its owner changes on the profile page; none of them is a role.
PROFILE_FIELDS = ("first_name", "last_name", "email", "organisation", "preferred_language")


@transaction.atomic
def profile_update(
    *, actor: User, changes: dict[str, str], ip_address: str | None = None
) -> list[str]:
    """Change ``actor``'s own profile fields to ``changes``; return the names that changed.

    The audit event names the fields changed, not their values, except the previous email
    address: password resets go to the address, so a changed one must be traceable.
    """
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {', '.join(sorted(unknown))}.")
    account = User.objects.select_for_update().get(pk=actor.pk)
    changed = [
        name
        for name in PROFILE_FIELDS
        if name in changes and getattr(account, name) != changes[name]
    ]
    if not changed:
        return []
    detail: dict[str, object] = {"fields": changed}
    if "email" in changed:
        detail["previous_email"] = account.email
    for name in changed:
        setattr(account, name, changes[name])
        setattr(actor, name, changes[name])
    account.save(update_fields=changed)
    audit_record(
        actor=actor,
        action="account.profile",
        obj=account,
        country=account.country_id or "",
        ip_address=ip_address,
        detail=detail,
    )
    return changed


@transaction.atomic
def account_password_changed(*, account: User, reason: str, ip_address: str | None = None) -> int:
    """Record that Django's password form just set ``account``'s password, and revoke its tokens.

    ``reason`` is ``password.change`` (the owner, signed in) or ``password.reset`` (by the
    emailed link). Return how many API tokens were revoked.
    """
    revoked = api_tokens_revoke_all(
        user=account, actor=account, reason=reason, ip_address=ip_address
    )
    audit_record(
        actor=account,
        action=reason,
        obj=account,
        country=account.country_id or "",
        ip_address=ip_address,
        detail={"tokens_revoked": revoked},
    )
    return revoked
