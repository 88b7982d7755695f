"""What the event tests of the API share: a workshop, its page's values, and a look at every
row an event change could touch."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from publications import events_services
from publications.demo import simple_pdf
from publications.models import Event, Material, ParticipantCount, Session

#: The page's values of the workshop ``workshop`` makes, to post back with one change.
EVENT_PAGE = {
    "title": "Workshop on crane flyways",
    "type": "workshop",
    "start_date": "2025-04-07",
    "end_date": "2025-04-08",
    "city": "Ulaanbaatar",
}


def workshop(secretariat: User) -> Event:
    """Return a workshop with one session and one row of participants."""
    event = events_services.event_save(
        actor=secretariat,
        title="Workshop on crane flyways",
        type="workshop",
        start_date=date(2025, 4, 7),
        end_date=date(2025, 4, 8),
        city="Ulaanbaatar",
    )
    events_services.session_save(actor=secretariat, event=event, title="Opening")
    events_services.participants_set(actor=secretariat, event=event, counts={"MN": (3, 4, 0)})
    return event


def speaker_rows(*rows: dict[str, str], prefix: str = "material-speakers") -> dict[str, str]:
    """Return the page's POST fields of the speaker rows ``rows`` (a formset)."""
    fields = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0"}
    for number, row in enumerate(rows):
        for part, value in row.items():
            fields[f"{prefix}-{number}-{part}"] = value
    return fields


def pdf(name: str = "slides.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, simple_pdf("Crane flyways"))


def material(secretariat: User, event: Event, title: str) -> Material:
    """Return a recording added to ``event``: a material that needs no file."""
    return events_services.material_add(
        actor=secretariat, event=event, kind="recording", title=title, link="https://x.org/v"
    )


def state() -> list[list[dict]]:
    """Return every row an event change could touch."""
    return [
        list(Event.objects.order_by("pk").values()),
        list(Session.objects.order_by("pk").values()),
        list(Material.objects.order_by("pk").values()),
        list(ParticipantCount.objects.order_by("pk").values()),
    ]
