"""Search: which index documents a user finds, and whose file text they may match.

The search app reads its documents only through here; ``search_documents_key`` names
everything about a user that the statement depends on, so that it can be reused.
"""

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Now

from access.policy.datasets import _download_condition
from access.policy.roles import Actor, focal_point_countries, is_secretariat, is_verified
from datasets.models import Dataset
from search.models import SearchDocument


def visible_search_documents(user: Actor) -> QuerySet[SearchDocument]:
    """Return the search documents of objects ``user`` may find, with ``can_read_content``.

    Only published datasets and publications are found, and events; their metadata is
    public. A document's extracted file text may be matched only by someone who may
    download the files: decided from the document's copies of the access level, owner
    country and uploader, and for datasets from the full download rule (grants,
    collaborators, focal points) evaluated for the matching rows only. Grants are judged
    at the database's clock, so that the statement depends on ``search_documents_key(user)``
    alone.
    """
    by_level = Q(access="public")
    people = Q(pk__isnull=True)
    if is_verified(user):
        by_level |= Q(access="registered")
        if user.country_id:
            by_level |= Q(access="member_states")
            by_level |= Q(kind="dataset", access="country", owner_country=user.country_id)
        people = Q(uploader_id=user.pk)
        countries = focal_point_countries(user)
        if countries:
            people |= Q(owner_country__in=countries)
        if is_secretariat(user):
            people |= Q(publication__isnull=False)
    dataset_rule = Q(
        Exists(
            Dataset.objects.filter(pk=OuterRef("dataset_id")).filter(
                _download_condition(user, now=Now())
            )
        )
    )
    readable = by_level | people | (Q(dataset__isnull=False) & dataset_rule)
    return SearchDocument.objects.filter(published=True).annotate(
        can_read_content=Case(
            When(readable, then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    )


def search_documents_key(user: Actor) -> tuple:
    """Return everything about ``user`` that ``visible_search_documents`` reads.

    Users with equal keys get the same SQL with the same parameters (grants, collaborators
    and co-owners are read by the statement itself), so a statement compiled for one may
    be reused for the other. Change this together with ``visible_search_documents``.
    """
    if not is_verified(user):
        return ("visitor",)
    return (
        "verified",
        user.pk,
        user.country_id,
        tuple(sorted(focal_point_countries(user))),
        is_secretariat(user),
    )
