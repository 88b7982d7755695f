"""Writes of an event's existing materials: change one, or remove it with its files.

The same rules as ``events_services.material_add`` (which this module borrows), so that a
material cannot be changed into one the secretariat could not have added.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from access.services import audit_record
from accounts.models import User
from datasets import blobs
from datasets.models import DataFile
from publications.events_services import _check_speakers, _check_tags, _require_curator
from publications.models import Material, MaterialKind, Session
from publications.services import publication_update
from search.services import index_event_on_commit
from species.models import Site, Species


@transaction.atomic
def material_update(
    *,
    actor: User,
    material: Material,
    title: str,
    session: Session | None = None,
    speakers: Iterable[dict[str, str]] = (),
    link: str = "",
    language: str = "en",
    visibility: str = "public",
    species: Iterable[Species] = (),
    sites: Iterable[Site] = (),
) -> Material:
    """Change a material of an event (secretariat only); its kind and files stay.

    The same rules as ``material_add``: a presentation names a speaker, a recording keeps
    a link. A presentation's or report's title, speakers, language, visibility, species and
    sites are its publication's.
    """
    _require_curator(actor)
    event = material.event
    speakers, species, sites = list(speakers), list(species), list(sites)
    if session is not None and session.event_id != event.pk:
        raise ValidationError({"session": _("This session belongs to another event.")})
    _check_speakers(speakers)
    _check_tags({"species": species, "sites": sites})
    named = [speaker for speaker in speakers if speaker.get("name", "").strip()]
    if material.kind == MaterialKind.PRESENTATION and not named:
        raise ValidationError({"speakers": _("Name the speaker of the presentation.")})
    if material.kind == MaterialKind.RECORDING and not link:
        raise ValidationError({"link": _("A recording needs its link.")})
    if material.publication is not None:
        publication_update(
            actor=actor,
            publication=material.publication,
            title=title,
            url=link,
            language=language,
            visibility=visibility,
            authors=speakers,
            species=species,
            sites=sites,
        )
    moved = material.session_id != (session.pk if session else None)
    material.title = title
    material.link = link if material.publication is None else ""
    material.session = session
    if moved:
        material.order = event.materials.filter(session=session).count()
    material.full_clean(exclude=["event", "session", "publication"])
    material.save()
    audit_record(
        actor=actor,
        action="event.material.update",
        obj=material,
        detail={"event": event.pk, "session": session.pk if session else None},
    )
    index_event_on_commit(event.pk)
    return material


@transaction.atomic
def material_remove(*, actor: User, material: Material) -> None:
    """Remove a material from its event (secretariat only), with its publication and files.

    A presentation's or report's publication exists for the event alone: it goes too, and
    the stored bytes of its files once the removal commits.
    """
    _require_curator(actor)
    event_pk = material.event_id
    publication = material.publication
    audit_record(
        actor=actor,
        action="event.material.remove",
        obj=material,
        detail={"event": event_pk, "kind": material.kind, "title": str(material)},
    )
    material.delete()
    if publication is not None:
        files = list(DataFile.objects.filter(publication_link__publication=publication))
        for data_file in files:
            audit_record(
                actor=actor,
                action="file.delete",
                obj=data_file,
                detail={"publication": publication.pk, "name": data_file.original_name},
            )
        audit_record(
            actor=actor,
            action="publication.delete",
            obj=publication,
            detail={"title": publication.title, "event": event_pk},
        )
        names = [
            name for data_file in files for name in (data_file.file.name, data_file.thumbnail.name)
        ]
        DataFile.objects.filter(pk__in=[data_file.pk for data_file in files]).delete()
        publication.delete()
        blobs.delete_on_commit_unless_named(DataFile._meta.get_field("file").storage, names)
    index_event_on_commit(event_pk)
