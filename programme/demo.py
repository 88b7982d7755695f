"""Demo trainings with trainees, so that the capacity and participation pages show figures.

Two trainings of frontline staff (made up for the demo, in the spirit of the 2024 Incheon
workshop's recommendation to train at least 200 frontline conservation staff), written
through the same services as the secretariat's pages. Later runs change nothing.
"""

from datetime import date
from typing import Any

from django.db import transaction

from accounts.models import User
from publications import events_services
from publications.models import Event
from publications.training_services import trainees_set
from species.models import Country, KmgbfTarget, Species

#: (country or None for partners, age group, role, women, men, other or undisclosed)
TrainingRow = tuple[str | None, str, str, int, int, int]

TRAININGS: list[tuple[dict[str, Any], list[str], list[str], list[TrainingRow]]] = [
    (
        {
            "title": "Snow leopard monitoring and conflict response: training for rangers",
            "type": "training",
            "start_date": date(2025, 6, 10),
            "end_date": date(2025, 6, 13),
            "city": "Ulaanbaatar",
            "venue": "Ministry of Environment and Tourism training centre",
            "organisers": "NEASPEC secretariat with the Ministry of Environment and Tourism",
            "summary": (
                "Four days of sign surveys, camera-trap placement and livestock-conflict "
                "response for rangers of the Altai and Gobi protected areas, with a field day."
            ),
        },
        ["MN", "RU"],
        ["SNOW_LEOPARD"],
        [
            ("MN", "youth", "frontline", 6, 14, 0),
            ("MN", "other", "frontline", 3, 9, 0),
            ("MN", "undisclosed", "frontline", 0, 1, 1),
            ("RU", "youth", "frontline", 2, 5, 0),
            ("RU", "other", "frontline", 1, 4, 0),
            ("MN", "other", "community", 4, 3, 0),
            ("MN", "other", "official", 2, 2, 0),
        ],
    ),
    (
        {
            "title": "Camera traps and SMART patrols for Amur tiger and leopard ranger teams",
            "type": "training",
            "start_date": date(2026, 10, 20),
            "end_date": date(2026, 10, 23),
            "city": "Vladivostok",
            "venue": "Land of the Leopard National Park visitor centre",
            "organisers": "NEASPEC secretariat with Land of the Leopard National Park",
            "summary": (
                "Camera-trap survey design, individual identification from stripe and rosette "
                "patterns, and SMART patrol data for ranger teams on both sides of the border."
            ),
        },
        ["RU", "CN", "KR"],
        ["TIGER_AMUR", "LEOPARD_AMUR"],
        [
            ("RU", "youth", "frontline", 4, 11, 0),
            ("RU", "other", "frontline", 2, 10, 0),
            ("CN", "youth", "frontline", 3, 7, 0),
            ("CN", "other", "frontline", 1, 5, 0),
            ("CN", "youth", "researcher", 3, 2, 0),
            ("KR", "other", "researcher", 1, 1, 0),
            (None, "other", "official", 1, 1, 0),
        ],
    ),
]


@transaction.atomic
def seed_trainings(*, secretariat: User) -> dict[str, int]:
    """Create the demo trainings with their trainees once; return how many trainees exist."""
    for fields, countries, species, rows in TRAININGS:
        if Event.objects.filter(title=fields["title"], start_date=fields["start_date"]).exists():
            continue
        event = events_services.event_save(
            actor=secretariat,
            **fields,
            countries=list(Country.objects.filter(code__in=countries)),
            species=list(Species.objects.filter(code__in=species)),
            # Training frontline staff is capacity building (target 20) for species
            # conservation (target 4).
            targets=list(KmgbfTarget.objects.filter(number__in=[4, 20])),
        )
        event = events_services.event_publish(actor=secretariat, event=event)
        trainees_set(
            actor=secretariat,
            event=event,
            rows=[
                {
                    "country": country,
                    "age_group": age_group,
                    "role": role,
                    "women": women,
                    "men": men,
                    "other": other,
                }
                for country, age_group, role, women, men, other in rows
            ],
        )
    trainings = Event.objects.filter(type="training").prefetch_related("participant_counts")
    return {
        "trainings": len(trainings),
        "trainees": sum(event.participants_total for event in trainings),
    }
