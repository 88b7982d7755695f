"""Writes of the library and of events: uploads, review, curation by the secretariat."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access import policy
from access.services import audit_record
from accounts.models import FocalPoint, User
from datasets.processing.queue import enqueue_on_commit
from datasets.storage import stored_file_create
from neaspec_portal.mail import send_templated_email
from publications.models import (
    Author,
    Event,
    Material,
    MaterialKind,
    ParticipantCount,
    Publication,
    PublicationFile,
    PublicationStatus,
    PublicationType,
    Session,
)
from search.services import index_event_on_commit, index_publication_on_commit

TAG_FIELDS = ("species", "sites", "countries", "targets", "themes")


def _reviewers(publication: Publication) -> list[User]:
    reviewers = {user for user in User.objects.filter(is_secretariat=True, is_active=True)}
    if publication.owner_country_id:
        reviewers |= {
            appointment.user
            for appointment in FocalPoint.objects.filter(
                country_id=publication.owner_country_id
            ).select_related("user")
        }
    # Four eyes: the uploader is never asked to review their own publication.
    return [user for user in reviewers if user.pk != publication.uploader_id]


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


def doi_normalize(doi: str) -> str:
    """Return a DOI without its resolver prefix, lower-cased (DOIs are case-insensitive)."""
    value = doi.strip()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:"):
        if value.lower().startswith(prefix):
            value = value[len(prefix) :]
    return value.strip().lower()


def probable_duplicates(*, user: User, doi: str, exclude_pk: int | None = None):
    """Return publications visible to ``user`` that already carry ``doi``."""
    normalized = doi_normalize(doi)
    if not normalized:
        return Publication.objects.none()
    found = policy.visible_publications(user).filter(doi__iexact=normalized)
    return found.exclude(pk=exclude_pk) if exclude_pk else found


@transaction.atomic
def publication_create(*, actor: User, **fields: Any) -> Publication:
    """Add a publication; the secretariat's are published at once, others wait for review."""
    if not policy.can_upload_publications(actor):
        raise PermissionDenied(_("Only verified accounts upload publications."))
    publication = Publication(uploader=actor, owner_country_id=actor.country_id)
    _apply(publication, fields)
    publication.doi = doi_normalize(publication.doi)
    if policy.is_secretariat(actor):
        publication.status = PublicationStatus.PUBLISHED
        publication.published_at = timezone.now()
    publication.full_clean(exclude=["uploader", "owner_country"])
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
            recipients=_reviewers(publication),
            template="publication-submitted",
            context={"publication": publication},
        )
    return publication


@transaction.atomic
def publication_update(*, actor: User, publication: Publication, **fields: Any) -> Publication:
    """Change a publication the actor may edit; a returned one goes back to review."""
    publication = policy.access_publication(actor, publication.pk)
    if not policy.can_edit_publication(actor, publication):
        raise PermissionDenied(_("You cannot change this publication."))
    _apply(publication, fields)
    publication.doi = doi_normalize(publication.doi)
    if publication.status == PublicationStatus.RETURNED and not policy.is_secretariat(actor):
        publication.status = PublicationStatus.SUBMITTED
    publication.full_clean(exclude=["uploader", "owner_country"])
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


@transaction.atomic
def publication_file_add(
    *, actor: User, publication: Publication, upload: UploadedFile
) -> PublicationFile:
    """Store a file of ``publication`` through the same mechanism as dataset files."""
    publication = policy.access_publication(actor, publication.pk)
    if not policy.can_edit_publication(actor, publication):
        raise PermissionDenied(_("You cannot add files to this publication."))
    data_file = stored_file_create(actor=actor, upload=upload)
    link = PublicationFile.objects.create(publication=publication, data_file=data_file)
    audit_record(
        actor=actor,
        action="file.upload",
        obj=data_file,
        country=publication.owner_country_id or "",
        detail={"publication": publication.pk, "sha256": data_file.sha256},
    )
    enqueue_on_commit(data_file.pk)
    index_publication_on_commit(publication.pk)
    return link


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
            raise ValidationError(_("Say what should change before the publication is returned."))
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
def event_save(*, actor: User, event: Event | None = None, **fields: Any) -> Event:
    """Create or change an event (secretariat only)."""
    _require_curator(actor)
    event = event or Event(created_by=actor)
    tags = {name: fields.pop(name) for name in ("species", "sites", "countries") if name in fields}
    for name, value in fields.items():
        setattr(event, name, value)
    event.full_clean(exclude=["created_by"])
    event.save()
    for name, values in tags.items():
        getattr(event, name).set(values)
    audit_record(actor=actor, action="event.save", obj=event)
    index_event_on_commit(event.pk)
    return event


@transaction.atomic
def session_save(*, actor: User, event: Event, session: Session | None = None, **fields) -> Session:
    """Create or change a session of ``event``'s agenda (secretariat only)."""
    _require_curator(actor)
    session = session or Session(event=event, order=event.sessions.count())
    for name, value in fields.items():
        setattr(session, name, value)
    session.full_clean(exclude=["event"])
    session.save()
    index_event_on_commit(event.pk)
    return session


@transaction.atomic
def participants_set(*, actor: User, event: Event, counts: dict[str | None, tuple[int, int, int]]):
    """Replace ``event``'s participant counts: {country code or None: (women, men, other)}."""
    _require_curator(actor)
    event.participant_counts.all().delete()
    ParticipantCount.objects.bulk_create(
        ParticipantCount(event=event, country_id=code, women=women, men=men, other=other)
        for code, (women, men, other) in counts.items()
        if women or men or other
    )


@transaction.atomic
def material_add(
    *,
    actor: User,
    event: Event,
    kind: str,
    title: str,
    session: Session | None = None,
    speakers: Iterable[dict[str, str]] = (),
    uploads: Iterable[UploadedFile] = (),
    link: str = "",
    language: str = "en",
    visibility: str = "public",
) -> Material:
    """Attach a presentation, report or recording to ``event`` (secretariat only).

    Presentations and reports become publications, published at once, with the speakers
    as authors and the uploads as their files.
    """
    _require_curator(actor)
    publication = None
    if kind in (MaterialKind.PRESENTATION, MaterialKind.REPORT):
        publication = publication_create(
            actor=actor,
            type=PublicationType.PRESENTATION if kind == MaterialKind.PRESENTATION else "report",
            title=title,
            year=event.start_date.year,
            language=language,
            visibility=visibility,
            url=link,
            authors=list(speakers),
            species=list(event.species.all()),
            countries=list(event.countries.all()),
        )
        for upload in uploads:
            publication_file_add(actor=actor, publication=publication, upload=upload)
    elif not link:
        raise ValidationError(_("A recording needs its link."))
    material = Material.objects.create(
        event=event,
        session=session,
        kind=kind,
        publication=publication,
        title=title,
        link=link if publication is None else "",
        order=event.materials.filter(session=session).count(),
    )
    audit_record(actor=actor, action="event.material.add", obj=material)
    return material


@transaction.atomic
def materials_reorder(*, actor: User, event: Event, material_ids: list[int]) -> None:
    """Put ``event``'s materials in the order of ``material_ids``."""
    _require_curator(actor)
    materials = {material.pk: material for material in event.materials.all()}
    for order, pk in enumerate(material_ids):
        if pk in materials:
            materials[pk].order = order
    Material.objects.bulk_update(materials.values(), ["order"])


@transaction.atomic
def featured_set(*, actor: User, obj: Event | Publication, featured: bool) -> None:
    """Mark an event or publication as featured on the home page (secretariat only)."""
    _require_curator(actor)
    obj.featured = featured
    obj.save(update_fields=["featured"])
