"""Writes of accounts: registration and verification. Roles are in ``accounts.roles``."""

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils import timezone

from access import policy
from access.services import audit_record
from accounts.models import AccountStatus, User
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
