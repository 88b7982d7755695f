"""Publications: whose metadata is visible, who downloads the files, who reviews and edits.

Metadata is visible once published, or to the uploader, focal points of the uploader's
country and the secretariat (who review it). Files follow the visibility level while
published, and always go to those same people. A published publication that is a material
of a draft event waits with its event: only those same people see it until the event is
published.
"""

from collections.abc import Hashable
from typing import cast

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import BooleanField, Case, OuterRef, Q, QuerySet, Value, When
from django.http import Http404

from access.policy.roles import (
    Actor,
    focal_point_countries,
    is_focal_point,
    is_secretariat,
    is_verified,
)
from accounts.models import FocalPoint, User
from datasets.models import Dataset
from neaspec_portal.kept_sql import KeptExpression
from publications.models import EventStatus, Publication, PublicationStatus, Visibility


def _public_condition() -> Q:
    """Return which publications are public: published, and not a material of a draft event."""
    return Q(status=PublicationStatus.PUBLISHED) & ~Q(materials__event__status=EventStatus.DRAFT)


def _publication_people_condition(user: Actor) -> Q | None:
    """Return who sees an unpublished publication: None when everything (secretariat)."""
    if is_secretariat(user):
        return None
    condition = Q(uploader_id=user.pk)
    countries = focal_point_countries(user)
    if countries:
        condition |= Q(owner_country_id__in=countries)
    return condition


def _publication_download_condition(user: Actor) -> Q:
    published = _public_condition()
    if not is_verified(user):
        return published & Q(visibility=Visibility.PUBLIC)
    user = cast(User, user)  # only accounts are verified, never AnonymousUser
    levels = [Visibility.PUBLIC, Visibility.REGISTERED]
    if user.country_id:
        levels.append(Visibility.MEMBER_STATES)
    people = _publication_people_condition(user)
    if people is None:
        return Q(pk__isnull=False)
    return (published & Q(visibility__in=levels)) | people


def visible_publications(user: Actor) -> QuerySet[Publication]:
    """Return the publications ``user`` may see, annotated with ``can_download``."""
    publications = Publication.objects.all()
    if is_verified(user):
        people = _publication_people_condition(user)
        if people is not None:
            publications = publications.filter(_public_condition() | people)
    else:
        publications = publications.filter(_public_condition())
    return publications.annotate(
        can_download=Case(
            When(_publication_download_condition(user), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def _metadata_reader(user: Actor) -> Hashable:
    """Return everything ``visible_publications``' rows depend on: the key under which
    SQL selecting them may be kept (``visible_protocol_ids``)."""
    if not is_verified(user):
        return "not verified"
    if is_secretariat(user):
        return "secretariat"
    return (user.pk, tuple(sorted(focal_point_countries(user))))


def visible_protocol_ids(user: Actor) -> KeptExpression:
    """Return, for each dataset row, the ids of the monitoring protocols it follows that
    ``user`` may see, ordered by title (an array column for a list of datasets).

    The rows are ``visible_publications``'; the SQL is compiled once per reader
    (``neaspec_portal.kept_sql``), keyed on what those rows depend on.
    """

    def build() -> ArraySubquery:
        followed = visible_publications(user).filter(followed_by=OuterRef("pk"))
        return ArraySubquery(followed.order_by("title", "pk").values("pk"))

    return KeptExpression(("visible-protocols", _metadata_reader(user)), Dataset, build)


def listed_publications(user: Actor) -> QuerySet[Publication]:
    """Return the publications of the library: visible, published, not waiting with a draft
    event (even for the secretariat, who finds those in the event editor)."""
    return visible_publications(user).filter(_public_condition())


def access_publication(user: Actor, pk: int | str) -> Publication:
    """Return the publication ``pk`` (with ``can_download``) if visible; Http404 otherwise."""
    try:
        return visible_publications(user).select_related("uploader", "owner_country").get(pk=pk)
    except (Publication.DoesNotExist, ValueError, TypeError):
        raise Http404("No such publication.") from None


def can_download_publication(user: Actor, publication: Publication) -> bool:
    """Return True when ``user`` may download the files of ``publication``, as of now.

    Reads the ``can_download`` annotation of ``visible_publications`` when the row has it.
    """
    annotated = getattr(publication, "can_download", None)
    if annotated is not None:
        return bool(annotated)
    return (
        Publication.objects.filter(pk=publication.pk)
        .filter(_publication_download_condition(user))
        .exists()
    )


def can_review_publication(user: Actor, publication: Publication) -> bool:
    """Return True for the secretariat and the uploader's country's focal points, while waiting.

    Never for the uploader (four eyes): a focal point's own publication is reviewed by
    another focal point of their country or by the secretariat.
    """
    if publication.status != PublicationStatus.SUBMITTED:
        return False
    if not is_verified(user) or publication.uploader_id == user.pk:
        return False
    return is_secretariat(user) or is_focal_point(user, publication.owner_country_id)


def can_read_publication_review(user: Actor, publication: Publication) -> bool:
    """Return True when ``user`` may read the reviewer's comment on ``publication``.

    The uploader, focal points of its country and the secretariat: as for datasets, a
    comment is written for the people who answer it, not for the public.
    """
    if is_secretariat(user):
        return True
    if not is_verified(user):
        return False
    return publication.uploader_id == user.pk or is_focal_point(user, publication.owner_country_id)


def can_review_publications(user: Actor) -> bool:
    """Return True for those who review publications: the secretariat and focal points."""
    return is_secretariat(user) or is_focal_point(user)


def publications_to_review(user: Actor) -> QuerySet[Publication]:
    """Return the submitted publications ``user`` reviews (never their own uploads)."""
    waiting = (
        visible_publications(user)
        .filter(status=PublicationStatus.SUBMITTED)
        .exclude(uploader_id=user.pk)
    )
    if is_secretariat(user):
        return waiting
    countries = focal_point_countries(user)
    return waiting.filter(owner_country_id__in=countries) if countries else waiting.none()


def can_edit_publication(user: Actor, publication: Publication) -> bool:
    """Return True for the uploader while waiting or returned, and for the secretariat."""
    if is_secretariat(user):
        return True
    return (
        is_verified(user)
        and publication.uploader_id == user.pk
        and publication.status != PublicationStatus.PUBLISHED
    )


def can_upload_publications(user: Actor) -> bool:
    """Return True for verified accounts (researchers of a State or a partner organisation)."""
    return is_verified(user)


def publication_reviewers(publication: Publication) -> list[User]:
    """Return who is told that ``publication`` waits for review.

    The active secretariat and the focal points of its country, never its uploader (four
    eyes); ``can_review_publication`` decides which of them may then review it.
    """
    reviewers = set(User.objects.filter(is_secretariat=True, is_active=True))
    if publication.owner_country_id:
        reviewers |= {
            appointment.user
            for appointment in FocalPoint.objects.filter(
                country_id=publication.owner_country_id
            ).select_related("user")
        }
    return [user for user in reviewers if user.pk != publication.uploader_id]
