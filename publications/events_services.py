"""Writes of events: the event itself, its agenda, participants and materials.

Every rule about what an event may hold lives here (or in ``Event.clean``), so that the
secretariat's pages and the API cannot disagree: forms and serializers only parse what was
sent and call these services. A refusal is a Django ``ValidationError`` naming the
parameter at fault (pages show it beside their field, the API answers 400 with that key) or
a ``PermissionDenied`` (403 in the API). Every change writes a row to the audit trail.
"""

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
from datasets.file_store import atomic_with_blobs
from neaspec_portal.bounds import too_many
from publications.models import (
    Author,
    Event,
    EventStatus,
    Material,
    MaterialKind,
    ParticipantCount,
    Publication,
    PublicationType,
    Session,
)
from publications.services import publication_create
from search.services import index_event_on_commit
from species.models import Country, Site, Species

#: How many species, sites or countries one event may be tagged with.
MAX_TAGS = 50
#: How many speakers one presentation may name.
MAX_SPEAKERS = 20
#: How many files one material may carry.
MAX_FILES = 20
#: How many sessions one event's agenda may hold.
MAX_SESSIONS = 100
#: How many materials one event may hold (and so how long a new order may be).
MAX_MATERIALS = 500
#: The largest number of participants counted in one cell (country × gender).
MAX_COUNT = 100_000
#: The longest summary, outcomes or session description, in characters.
MAX_TEXT = 20_000

EVENT_TAGS = ("species", "sites", "countries", "targets", "themes")
EVENT_TEXTS = ("summary", "outcomes")


def too_long(text: str, limit: int) -> str | None:
    """Return why ``text`` is refused, or None when it has at most ``limit`` characters."""
    if len(text) > limit:
        return _("Write at most %(limit)d characters (it has %(count)d).") % {
            "limit": limit,
            "count": len(text),
        }
    return None


def _require_curator(actor: User) -> None:
    if not policy.can_curate_events(actor):
        raise PermissionDenied(_("Only the secretariat curates events."))


def _check_tags(tags: dict[str, list[Any]]) -> None:
    errors: dict[str, str] = {}
    for name, values in tags.items():
        if message := too_many(values, MAX_TAGS):
            errors[name] = message
    outsiders = [
        country.code
        for country in tags.get("countries", [])
        if isinstance(country, Country) and not country.is_member_state
    ]
    if outsiders and "countries" not in errors:
        errors["countries"] = _("Only member States can be named: not %(codes)s.") % {
            "codes": ", ".join(outsiders)
        }
    if errors:
        raise ValidationError(errors)


def _check_texts(fields: dict[str, Any], names: Iterable[str]) -> None:
    errors = {
        name: message
        for name in names
        if isinstance(fields.get(name), str) and (message := too_long(fields[name], MAX_TEXT))
    }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def event_save(*, actor: User, event: Event | None = None, **fields: Any) -> Event:
    """Create or change an event (secretariat only).

    ``fields`` are Event fields; ``species``, ``sites`` and ``countries`` are lists of those
    objects (countries: member States only). ``Event.clean`` holds the rules of the dates and
    of the place.
    """
    _require_curator(actor)
    tags = {name: list(fields.pop(name)) for name in EVENT_TAGS if name in fields}
    _check_tags(tags)
    _check_texts(fields, EVENT_TEXTS)
    created = event is None
    event = event or Event(created_by=actor)
    for name, value in fields.items():
        setattr(event, name, value)
    event.full_clean(exclude=["created_by"])
    event.save()
    for name, values in tags.items():
        getattr(event, name).set(values)
    audit_record(
        actor=actor,
        action="event.create" if created else "event.update",
        obj=event,
        detail={"fields": sorted([*fields, *tags])},
    )
    index_event_on_commit(event.pk)
    return event


@transaction.atomic
def event_publish(*, actor: User, event: Event) -> Event:
    """Publish a draft event with its materials (secretariat only); a published one stays."""
    _require_curator(actor)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status == EventStatus.PUBLISHED:
        return event
    event.status = EventStatus.PUBLISHED
    event.published_at = timezone.now()
    event.save(update_fields=["status", "published_at"])
    audit_record(actor=actor, action="event.publish", obj=event)
    index_event_on_commit(event.pk)
    return event


@transaction.atomic
def session_save(
    *, actor: User, event: Event, session: Session | None = None, **fields: Any
) -> Session:
    """Create or change a session of ``event``'s agenda (secretariat only).

    A new session goes last unless ``order`` is given; an agenda holds at most
    ``MAX_SESSIONS`` sessions.
    """
    _require_curator(actor)
    if session is not None and session.event_id != event.pk:
        raise ValidationError({"session": _("This session belongs to another event.")})
    _check_texts(fields, ["description"])
    created = session is None
    if session is None:
        count = event.sessions.count()
        if count >= MAX_SESSIONS:
            raise ValidationError(
                _("An agenda holds at most %(limit)d sessions.") % {"limit": MAX_SESSIONS}
            )
        session = Session(event=event, order=count)
    for name, value in fields.items():
        setattr(session, name, value)
    session.full_clean(exclude=["event"])
    _check_session_days(event, session)
    session.save()
    audit_record(
        actor=actor,
        action="event.session.add" if created else "event.session.update",
        obj=session,
        detail={"event": event.pk, "fields": sorted(fields)},
    )
    index_event_on_commit(event.pk)
    return session


def _check_session_days(event: Event, session: Session) -> None:
    """Refuse session times outside the event's days, read in the event's time zone."""
    for name in ("starts_at", "ends_at"):
        moment = getattr(session, name)
        if moment is None:
            continue
        day = moment.astimezone(event.zone).date()
        if not event.start_date <= day <= event.end_date:
            raise ValidationError(
                {
                    name: _("Choose a time between %(first)s and %(last)s (%(zone)s).")
                    % {
                        "first": event.start_date.isoformat(),
                        "last": event.end_date.isoformat(),
                        "zone": event.time_zone,
                    }
                }
            )


def _check_counts(counts: dict[str | None, tuple[int, int, int]], total: int | None) -> None:
    members = set(Country.objects.filter(is_member_state=True).values_list("code", flat=True))
    unknown = sorted(code for code in counts if code is not None and code not in members)
    if unknown:
        raise ValidationError(
            {"counts": _("Unknown member State code: %(codes)s.") % {"codes": ", ".join(unknown)}}
        )
    for code, row in counts.items():
        if len(row) != 3 or any(not 0 <= value <= MAX_COUNT for value in row):
            raise ValidationError(
                {
                    "counts": _(
                        "Counts of %(who)s must be three whole numbers from 0 to %(limit)d."
                    )
                    % {"who": code or _("partners"), "limit": MAX_COUNT}
                }
            )
    counted = sum(sum(row) for row in counts.values())
    if total is not None and counted != total:
        raise ValidationError(
            {
                "total": _("The counts add up to %(counted)d, not %(total)d.")
                % {"counted": counted, "total": total}
            }
        )


@transaction.atomic
def participants_set(
    *,
    actor: User,
    event: Event,
    counts: dict[str | None, tuple[int, int, int]],
    total: int | None = None,
) -> None:
    """Replace ``event``'s participant counts: {member State code or None: (women, men, other)}.

    ``None`` stands for partners and others. When ``total`` (as reported) is given, the counts
    must add up to it; nothing changes otherwise.
    """
    _require_curator(actor)
    _check_counts(counts, total)
    event.participant_counts.all().delete()
    ParticipantCount.objects.bulk_create(
        ParticipantCount(event=event, country_id=code, women=women, men=men, other=other)
        for code, (women, men, other) in counts.items()
        if women or men or other
    )
    audit_record(
        actor=actor,
        action="event.participants.set",
        obj=event,
        detail={
            "counts": {code or "partners": list(row) for code, row in counts.items() if any(row)}
        },
    )


def _check_speakers(speakers: list[dict[str, str]]) -> None:
    if message := too_many(speakers, MAX_SPEAKERS):
        raise ValidationError({"speakers": message})
    limits = {
        "name": Author._meta.get_field("name").max_length or 0,
        "affiliation": Author._meta.get_field("affiliation").max_length or 0,
    }
    for number, speaker in enumerate(speakers, start=1):
        name = speaker.get("name", "").strip()
        if not name and speaker.get("affiliation", "").strip():
            raise ValidationError(
                {"speakers": _("Give the name of speaker %(n)d.") % {"n": number}}
            )
        for part, limit in limits.items():
            if message := too_long(speaker.get(part, ""), limit):
                raise ValidationError({"speakers": f"{number}. {message}"})


def _check_material(
    *,
    event: Event,
    kind: str,
    session: Session | None,
    speakers: list[dict[str, str]],
    uploads: list[UploadedFile],
    link: str,
) -> None:
    """Raise ValidationError when a material of ``kind`` lacks what it needs."""
    if kind not in MaterialKind.values:
        raise ValidationError({"kind": _("Choose presentation, report or recording.")})
    if session is not None and session.event_id != event.pk:
        raise ValidationError({"session": _("This session belongs to another event.")})
    if event.materials.count() >= MAX_MATERIALS:
        raise ValidationError(
            _("An event holds at most %(limit)d materials.") % {"limit": MAX_MATERIALS}
        )
    _check_speakers(speakers)
    if message := too_many(uploads, MAX_FILES):
        raise ValidationError({"files": message})
    if kind == MaterialKind.RECORDING and not link:
        raise ValidationError({"link": _("A recording needs its link.")})
    if kind != MaterialKind.RECORDING and not (uploads or link):
        raise ValidationError({"files": _("Add the file(s), or a link where they can be read.")})
    named = [speaker for speaker in speakers if speaker.get("name", "").strip()]
    if kind == MaterialKind.PRESENTATION and not named:
        raise ValidationError({"speakers": _("Name the speaker of the presentation.")})


@atomic_with_blobs()
def material_add(
    *,
    actor: User,
    event: Event,
    kind: str,
    title: str,
    session: Session | None = None,
    speakers: Iterable[dict[str, str]] = (),
    files: Iterable[UploadedFile] = (),
    link: str = "",
    language: str = "en",
    visibility: str = "public",
    species: Iterable[Species] = (),
    sites: Iterable[Site] = (),
) -> Material:
    """Attach a presentation, report or recording to ``event`` (secretariat only).

    A presentation names at least one speaker; a presentation or report brings its files or
    a link; a recording brings its link. Presentations and reports become publications,
    published at once (seen once the event is), with the speakers as authors and ``files``
    (uploads) as their files. They carry their own ``species`` and ``sites``, none by
    default: a talk on financing at a crane workshop is not about cranes.
    """
    _require_curator(actor)
    speakers, uploads = list(speakers), list(files)
    species, sites = list(species), list(sites)
    _check_tags({"species": species, "sites": sites})
    _check_material(
        event=event, kind=kind, session=session, speakers=speakers, uploads=uploads, link=link
    )
    publication = None
    if kind != MaterialKind.RECORDING:
        publication = publication_create(
            actor=actor,
            type=PublicationType.PRESENTATION if kind == MaterialKind.PRESENTATION else "report",
            title=title,
            year=event.start_date.year,
            language=language,
            visibility=visibility,
            url=link,
            authors=speakers,
            species=species,
            sites=sites,
            countries=list(event.countries.all()),
            uploads=uploads,
        )
    return _material_create(
        actor=actor,
        event=event,
        session=session,
        kind=kind,
        title=title,
        link=link,
        publication=publication,
    )


def _material_create(
    *,
    actor: User,
    event: Event,
    session: Session | None,
    kind: str,
    title: str,
    link: str,
    publication: Publication | None,
) -> Material:
    material = Material(
        event=event,
        session=session,
        kind=kind,
        publication=publication,
        title=title,
        link=link if publication is None else "",
        order=event.materials.filter(session=session).count(),
    )
    material.full_clean(exclude=["event", "session", "publication"])
    material.save()
    audit_record(
        actor=actor,
        action="event.material.add",
        obj=material,
        detail={"event": event.pk, "kind": kind, "session": session.pk if session else None},
    )
    index_event_on_commit(event.pk)
    return material


@transaction.atomic
def materials_reorder(*, actor: User, event: Event, material_ids: Sequence[int]) -> None:
    """Put ``event``'s materials in the order of ``material_ids``.

    Every id must be a material of ``event`` and appear once; materials left out keep their
    place after those given.
    """
    _require_curator(actor)
    if message := too_many(material_ids, MAX_MATERIALS):
        raise ValidationError({"material_ids": message})
    if len(set(material_ids)) != len(material_ids):
        raise ValidationError({"material_ids": _("Name each material once.")})
    materials = {material.pk: material for material in event.materials.order_by("order", "pk")}
    strangers = [str(pk) for pk in material_ids if pk not in materials]
    if strangers:
        raise ValidationError(
            {
                "material_ids": _("Not materials of this event: %(ids)s.")
                % {"ids": ", ".join(strangers)}
            }
        )
    rest = [pk for pk in materials if pk not in set(material_ids)]
    for order, pk in enumerate([*material_ids, *rest]):
        materials[pk].order = order
    Material.objects.bulk_update(materials.values(), ["order"])
    audit_record(
        actor=actor,
        action="event.materials.reorder",
        obj=event,
        detail={"order": list(material_ids)},
    )
