"""Public profiles: which ones anybody sees, and whose profile an account edits.

A profile is shown only when its owner made it public and the account is active and
verified: a pending, rejected or deactivated account has no public face. A profile that
is not shown answers 404 everywhere (page, directory, API, author and speaker links).
"""

from django.db.models import QuerySet
from django.http import Http404

from access.policy.roles import Actor, is_verified
from accounts.models import AccountStatus
from people.models import Profile


def visible_profiles(user: Actor) -> QuerySet[Profile]:
    """Return the profiles ``user`` may see: the public ones of active, verified accounts.

    The same for every viewer: a profile is public or it is nobody's business but its
    owner's, who edits it on their own page (``own_profile``), never through this list.
    """
    del user  # the answer is the same for everyone; the parameter keeps the policy's shape
    return Profile.objects.filter(
        is_public=True, user__is_active=True, user__status=AccountStatus.VERIFIED
    )


def access_profile(user: Actor, pk: int | str) -> Profile:
    """Return the public profile ``pk``; Http404 for a missing or private one alike."""
    try:
        return visible_profiles(user).select_related("country").get(pk=pk)
    except (Profile.DoesNotExist, ValueError, TypeError):
        raise Http404("No such profile.") from None


def can_have_profile(user: Actor) -> bool:
    """Return True for verified accounts, who may write (and publish) a profile."""
    return is_verified(user)


def own_profile(user: Actor) -> Profile | None:
    """Return ``user``'s own profile (public or not), or None if they have none yet."""
    if not is_verified(user):
        return None
    return Profile.objects.filter(user_id=user.pk).first()
