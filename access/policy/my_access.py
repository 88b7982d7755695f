"""A researcher's own access: their requests and grants, and the requests on their datasets.

The requester reads their requests (pending, granted until, declined with the reason) and
their current grants, direct or through a group, on datasets they may still see. The
uploader of a dataset reads the pending requests on it and recommends; the owner country's
focal points decide, or the uploader when a focal point lets them (``grants``).
"""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from access.policy.datasets import visible_datasets
from access.policy.grants import can_manage_access
from access.policy.roles import Actor, is_verified
from datasets.models import AccessGrant, AccessRequest, Dataset, RequestStatus


def own_access_requests(user: Actor) -> QuerySet[AccessRequest]:
    """Return ``user``'s access requests, newest first, on datasets they may still see."""
    if not is_verified(user):
        return AccessRequest.objects.none()
    return (
        AccessRequest.objects.filter(
            requester_id=user.pk, dataset__in=visible_datasets(user).values("pk")
        )
        .select_related("dataset", "grant")
        .order_by("-created_at", "-pk")
    )


def own_grants(user: Actor) -> QuerySet[AccessGrant]:
    """Return the unexpired, unrevoked grants to ``user`` or a group of theirs, soonest end first.

    Only grants on datasets ``user`` may still see: a grant on a withdrawn dataset works no
    longer and names nothing the user may read.
    """
    if not is_verified(user):
        return AccessGrant.objects.none()
    return (
        AccessGrant.objects.filter(
            Q(user_id=user.pk) | Q(group__in=user.groups.all()),
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            dataset__in=visible_datasets(user).values("pk"),
        )
        .select_related("dataset", "group")
        .order_by("expires_at", "pk")
    )


def access_requests_to_recommend(user: Actor) -> QuerySet[AccessRequest]:
    """Return the pending requests on datasets ``user`` uploaded (they recommend)."""
    if not is_verified(user):
        return AccessRequest.objects.none()
    return AccessRequest.objects.filter(
        status=RequestStatus.PENDING, dataset__uploader_id=user.pk
    ).select_related("dataset", "requester", "requester__country")


def access_request_to_recommend(user: Actor, pk: int | str) -> AccessRequest:
    """Return the pending request ``pk`` if ``user`` recommends on it; Http404 otherwise."""
    try:
        return access_requests_to_recommend(user).get(pk=pk)
    except (AccessRequest.DoesNotExist, ValueError, TypeError):
        raise Http404("No such access request.") from None


def can_delegate_access(user: Actor, dataset: Dataset) -> bool:
    """Return True when ``user`` may let ``dataset``'s uploader answer its access requests.

    The focal points of the owner country, who answer them otherwise.
    """
    return can_manage_access(user, dataset)
