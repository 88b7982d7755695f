"""Events with counted participants, made through the secretariat's services."""

from datetime import date

from publications import events_services
from publications.training_services import trainees_set


def event_with(secretariat, *, type="workshop", year=2024, counts=None, title="", published=True):
    """Return an event of ``type`` starting in ``year`` with ``counts`` {code: (w, m, o)},
    published unless asked for a draft (a draft counts nowhere)."""
    event = events_services.event_save(
        actor=secretariat,
        title=title or f"{type} {year}",
        type=type,
        start_date=date(year, 5, 1),
        end_date=date(year, 5, 2),
        city="Seoul",
    )
    if published:
        event = events_services.event_publish(actor=secretariat, event=event)
    if counts:
        events_services.participants_set(actor=secretariat, event=event, counts=counts)
    return event


def training_with(secretariat, rows, *, year=2025, title=""):
    """Return a training starting in ``year`` with trainee ``rows``.

    Each row is (country, age group, role, women, men, other).
    """
    event = event_with(secretariat, type="training", year=year, title=title)
    trainees_set(
        actor=secretariat,
        event=event,
        rows=[
            {
                "country": country,
                "age_group": age,
                "role": role,
                "women": women,
                "men": men,
                "other": other,
            }
            for country, age, role, women, men, other in rows
        ],
    )
    return event
