"""Writes of the library: uploads, review, featuring (those of events: ``events_services``)."""

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access import policy
from access.services import audit_record
from accounts.models import User
from datasets.file_store import atomic_with_blobs, files_store
from neaspec_portal.api_errors import Conflict
from neaspec_portal.bounds import check_lengths
from neaspec_portal.mail import send_templated_email
from publications.models import (
    Author,
    Event,
    Publication,
    PublicationFile,
    PublicationStatus,
)
from publications.rules import LIST_LIMITS, doi_normalize
from search.services import index_publication_on_commit

TAG_FIELDS = ("species", "sites", "countries", "targets", "themes")


def _set_authors(publication: Publication, authors: Iterable[dict[str, str]]) -> None:
    publication.authors.all().delete()
    Author.objects.bulk_create(
        Author(
            publication=publication,
            name=author["name"].strip(),
            affiliation=author.get("affiliation", "").strip(),
            order=order,
        )
        for order, author in enumerate(authors)
        if author.get("name", "").strip()
    )


def _apply(publication: Publication, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        if name not in TAG_FIELDS and name != "authors":
            setattr(publication, name, value)


def _apply_tags(publication: Publication, fields: dict[str, Any]) -> None:
    for name in TAG_FIELDS:
        if name in fields:
            getattr(publication, name).set(fields[name])
    if "authors" in fields:
        _set_authors(publication, fields["authors"])


def probable_duplicates(*, user: User, doi: str, exclude_pk: int | None = None):
    """Return publications visible to ``user`` that already carry ``doi``."""
    normalized = doi_normalize(doi)
    if not normalized:
        return Publication.objects.none()
    found = policy.visible_publications(user).filter(doi__iexact=normalized)
    return found.exclude(pk=exclude_pk) if exclude_pk else found


class DuplicateDoi(Conflict):
    """The DOI is already in the library: 409 in the API, a warning with the list on the page.

    ``publications`` are the rows for the page; the API's body lists them under
    ``duplicates`` (id, title, year, doi).
    """

    def __init__(self, publications: list[Publication]) -> None:
        super().__init__(
            _("This DOI is already in the library; confirm it is a different publication to save."),
            {
                "duplicates": [
                    {"id": p.pk, "title": p.title, "year": p.year, "doi": p.doi}
                    for p in publications
                ]
            },
        )
        self.publications = publications


#: How many of the publications with the same DOI a refusal lists.
MAX_DUPLICATES_SHOWN = 10


def doi_duplicates_check(*, actor: User, publication: Publication, confirmed: bool) -> None:
    """Refuse to save ``publication`` with a DOI the library has, unless ``confirmed``.

    The one check of duplicate DOIs, for the page and the API alike.
    """
    if confirmed or not publication.doi:
        return
    found = probable_duplicates(user=actor, doi=publication.doi, exclude_pk=publication.pk)
    duplicates = list(found.order_by("pk")[:MAX_DUPLICATES_SHOWN])
    if duplicates:
        raise DuplicateDoi(duplicates)


def _check_people(authors: Sequence[dict[str, str]]) -> None:
    errors = []
    for number, author in enumerate(authors, start=1):
        name, affiliation = author.get("name", "").strip(), author.get("affiliation", "").strip()
        if not name and affiliation:
            errors.append(
                _("Author %(n)d: give the name, or clear the affiliation.") % {"n": number}
            )
        elif len(name) > 200 or len(affiliation) > 300:
            errors.append(
                _("Author %(n)d: at most 200 characters for a name, 300 for an affiliation.")
                % {"n": number}
            )
    if errors:
        raise ValidationError({"authors": errors})


def _check_lists(fields: dict[str, Any]) -> None:
    check_lengths(fields, LIST_LIMITS)
    if "authors" in fields:
        _check_people(fields["authors"])


def publication_create(
    *,
    actor: User,
    confirm_duplicate: bool = False,
    uploads: Sequence[UploadedFile] = (),
    refused: Sequence[str] = (),
    **fields: Any,
) -> Publication:
    """Add a publication with its files, all or nothing; the secretariat's are published at
    once, others wait for review.

    A DOI already in the library is refused (``DuplicateDoi``) unless ``confirm_duplicate``.
    ``uploads`` and ``refused`` are as ``file_store.files_store`` takes them.
    """
    with atomic_with_blobs():
        publication = _publication_create(
            actor=actor, confirm_duplicate=confirm_duplicate, fields=fields
        )
        if uploads or refused:
            files_store(actor=actor, target=publication, uploads=uploads, refused=refused)
    return publication


def _publication_create(
    *, actor: User, confirm_duplicate: bool, fields: dict[str, Any]
) -> Publication:
    if not policy.can_upload_publications(actor):
        raise PermissionDenied(_("Only verified accounts upload publications."))
    _check_lists(fields)
    publication = Publication(uploader=actor, owner_country_id=actor.country_id)
    _apply(publication, fields)
    if policy.is_secretariat(actor):
        publication.status = PublicationStatus.PUBLISHED
        publication.published_at = timezone.now()
    publication.full_clean(exclude=["uploader", "owner_country"])
    doi_duplicates_check(actor=actor, publication=publication, confirmed=confirm_duplicate)
    publication.save()
    _apply_tags(publication, fields)
    audit_record(
        actor=actor,
        action="publication.create",
        obj=publication,
        country=publication.owner_country_id or "",
    )
    index_publication_on_commit(publication.pk)
    if publication.status == PublicationStatus.SUBMITTED:
        send_templated_email(
            recipients=policy.publication_reviewers(publication),
            template="publication-submitted",
            context={"publication": publication},
        )
    return publication


@transaction.atomic
def publication_update(
    *, actor: User, publication: Publication, confirm_duplicate: bool = False, **fields: Any
) -> Publication:
    """Change a publication the actor may edit; a returned one goes back to review.

    A DOI already in the library is refused (``DuplicateDoi``) unless ``confirm_duplicate``.
    """
    publication = policy.access_publication(actor, publication.pk)
    if not policy.can_edit_publication(actor, publication):
        raise PermissionDenied(_("You cannot change this publication."))
    _check_lists(fields)
    _apply(publication, fields)
    if publication.status == PublicationStatus.RETURNED and not policy.is_secretariat(actor):
        publication.status = PublicationStatus.SUBMITTED
    publication.full_clean(exclude=["uploader", "owner_country"])
    doi_duplicates_check(actor=actor, publication=publication, confirmed=confirm_duplicate)
    publication.save()
    _apply_tags(publication, fields)
    audit_record(
        actor=actor,
        action="publication.update",
        obj=publication,
        country=publication.owner_country_id or "",
        detail={"fields": sorted(fields)},
    )
    index_publication_on_commit(publication.pk)
    return publication


def publication_file_add(
    *, actor: User, publication: Publication, upload: UploadedFile
) -> PublicationFile:
    """Store one file of ``publication`` through the upload service of every surface."""
    data_file = files_store(actor=actor, target=publication, uploads=[upload])[0]
    return data_file.publication_link


@transaction.atomic
def publication_review(
    *, actor: User, publication: Publication, decision: str, comment: str = ""
) -> Publication:
    """Publish (``approve``) or return (``return``) a submitted publication."""
    publication = policy.access_publication(actor, publication.pk)
    if not policy.can_review_publication(actor, publication):
        if publication.uploader_id == actor.pk and policy.can_review_publications(actor):
            raise PermissionDenied(
                _(
                    "Nobody reviews their own publication: another focal point of your "
                    "country or the secretariat decides."
                )
            )
        raise PermissionDenied(_("You cannot review this publication."))
    if decision == "approve":
        publication.status = PublicationStatus.PUBLISHED
        publication.published_at = timezone.now()
    elif decision == "return":
        if not comment.strip():
            raise ValidationError(
                {"comment": _("Say what should change before the publication is returned.")}
            )
        publication.status = PublicationStatus.RETURNED
    else:
        raise ValidationError(_("Decide approve or return."))
    publication.review_comment = comment
    publication.reviewed_by = actor
    publication.save(update_fields=["status", "published_at", "review_comment", "reviewed_by"])
    audit_record(
        actor=actor,
        action=f"publication.{decision}",
        obj=publication,
        country=publication.owner_country_id or "",
        detail={"comment": comment},
    )
    send_templated_email(
        recipients=[publication.uploader],
        template="publication-decision",
        context={"publication": publication, "decision": decision, "comment": comment},
    )
    index_publication_on_commit(publication.pk)
    return publication


def _require_curator(actor: User) -> None:
    if not policy.can_curate_events(actor):
        raise PermissionDenied(_("Only the secretariat curates events."))


@transaction.atomic
def featured_set(*, actor: User, obj: Event | Publication, featured: bool) -> None:
    """Mark an event or publication as featured on the home page (secretariat only)."""
    _require_curator(actor)
    if obj.featured == featured:
        return
    obj.featured = featured
    obj.save(update_fields=["featured"])
    audit_record(actor=actor, action="featured.set" if featured else "featured.unset", obj=obj)
