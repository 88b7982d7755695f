"""Search: which index documents a user finds, and whose file text they may match.

A search document holds copies of its object's fields for ranking, facets and its indexes;
who finds a document, and who may match its file text, is decided here on the live rows of
its publication, dataset or event, by the same conditions as lists and downloads. An edit
that no reindex followed can therefore hide a document, never show one.

The search app reads its documents only through here; ``search_documents_key`` names
everything about a user that the statement depends on, so that it can be reused.
"""

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Now

from access.policy.datasets import _download_condition
from access.policy.publications import _publication_download_condition
from access.policy.roles import Actor, focal_point_countries, is_secretariat, is_verified
from datasets.models import Dataset, DatasetStatus
from publications.models import EventStatus, PublicationStatus
from search.models import SearchDocument


def _on_related(condition: Q, relation: str) -> Q:
    """Return ``condition``, written for a model, as a condition on its ``relation``.

    Only lookups are rewritten: a condition holding a subquery raises TypeError, since its
    references to the outer row would still point at the model.
    """
    related = Q(_connector=condition.connector, _negated=condition.negated)
    for child in condition.children:
        if isinstance(child, Q):
            related.children.append(_on_related(child, relation))
        elif isinstance(child, tuple):
            lookup, value = child
            related.children.append((f"{relation}__{lookup}", value))
        else:
            raise TypeError(f"Cannot rewrite {child!r} for {relation}: write it as lookups.")
    return related


def _search_found_condition() -> Q:
    """Return the documents anyone may find: published events, publications and datasets.

    Search lists what lists list (``listed_publications``, ``listed_datasets``): published
    objects, whose metadata is public, in their current version. Read through joins on the
    documents' own keys.
    """
    return (
        Q(event__status=EventStatus.PUBLISHED)
        | (
            Q(publication__status=PublicationStatus.PUBLISHED)
            & ~Q(publication__materials__event__status=EventStatus.DRAFT)
        )
        | Q(dataset__status=DatasetStatus.PUBLISHED, dataset__superseded_at__isnull=True)
    )


def _search_content_condition(user: Actor) -> Q:
    """Return the documents whose file text ``user`` may match: those whose files they may
    download, by the download rule of the live publication or dataset (events have none).

    The publication's rule is read on the joined row; the dataset's, which asks grants,
    collaborators and co-owners, as a subquery. Grants are judged at the database's clock
    (``Now()``), so that the statement depends on ``search_documents_key(user)`` alone.
    """
    downloadable_dataset = Dataset.objects.filter(pk=OuterRef("dataset_id")).filter(
        _download_condition(user, now=Now())
    )
    publication_rule = _on_related(_publication_download_condition(user), "publication")
    return (Q(publication_id__isnull=False) & publication_rule) | (
        Q(dataset_id__isnull=False) & Q(Exists(downloadable_dataset))
    )


def visible_search_documents(user: Actor) -> QuerySet[SearchDocument]:
    """Return the search documents of objects ``user`` may find, with ``can_read_content``.

    Found: events, publications and datasets published now (``_search_found_condition``);
    a document's file text may be matched only by someone who may download its files now
    (``_search_content_condition``). Both read the live rows. The document's own
    ``published`` copy narrows the candidates to those its partial indexes hold: a copy
    that lags behind its object hides it until the reindex, and cannot widen access.
    """
    return (
        SearchDocument.objects.filter(published=True)
        .filter(_search_found_condition())
        .annotate(
            can_read_content=Case(
                When(_search_content_condition(user), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    )


def search_documents_key(user: Actor) -> tuple:
    """Return everything about ``user`` that ``visible_search_documents`` reads.

    Users with equal keys get the same SQL with the same parameters (the objects' state,
    grants, collaborators and co-owners are read by the statement itself), so a statement
    compiled for one may be reused for the other. Change this together with
    ``visible_search_documents``.
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
