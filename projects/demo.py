"""Demo projects: the Amur tiger and leopard network and the migratory birds project.

Made once (matched on their slugs) through ``project_save``, so the audit trail shows them
too. Their items are the demo library's and datasets', found by title.
"""

from datetime import date
from typing import Any

from django.db import transaction

from accounts.models import User
from datasets.models import Dataset
from projects.models import Project, ProjectKind
from projects.services import project_save
from publications.models import Event, Publication
from species.models import Country, KmgbfTarget, Site, Species, Theme

PROJECTS: list[dict[str, Any]] = [
    {
        "slug": "amur-tiger-leopard-network",
        "title": "Transboundary Amur tiger and leopard monitoring network",
        "kind": ProjectKind.NETWORK,
        "start_date": date(2024, 9, 1),
        "end_date": None,
        "description": (
            "A joint monitoring network for Amur tigers and leopards across the Russian "
            "Federation, China and Mongolia, recommended by the 2024 Incheon workshop: shared "
            "camera-trap protocols, exchange of identified individuals and coordinated "
            "anti-poaching work along the border landscapes."
        ),
        "partners": "Land of the Leopard National Park\nNortheast China Tiger and Leopard "
        "National Park Administration\nWWF",
        "countries": ["RU", "CN", "MN"],
        "people": ["researcher-ru", "researcher-cn", "researcher-mn", "fp-ru"],
        "sites": ["RU_LAND_OF_LEOPARD", "CN_NE_TIGER_LEOPARD_NP", "RU_CN_LESSER_KHINGAN"],
        "species": ["TIGER_AMUR", "LEOPARD_AMUR"],
        "targets": [4, 20],
        "themes": ["transboundary-cooperation", "monitoring-technology", "anti-poaching"],
        "datasets": ["Фотоловушки «Земли леопарда», 2023"],
        "publications": ["Amur leopard: transboundary monitoring", "Camera-trap monitoring of"],
    },
    {
        "slug": "migratory-birds",
        "title": "Conservation of migratory birds and their flyway habitats",
        "kind": ProjectKind.PROJECT,
        "start_date": date(2022, 1, 1),
        "end_date": date(2026, 12, 31),
        "description": (
            "Counts and habitat management for white-naped and hooded cranes and the "
            "black-faced spoonbill at their breeding, stop-over and wintering sites across "
            "the East Asian-Australasian Flyway."
        ),
        "partners": "East Asian-Australasian Flyway Partnership\nHanns Seidel Foundation Korea",
        "countries": ["CN", "JP", "KP", "KR", "MN", "RU"],
        "people": ["researcher-jp", "researcher-kr", "partner"],
        "sites": ["JP_IZUMI", "KR_CHEORWON", "KR_INCHEON_GANGHWA", "CN_ZHALONG", "KP_RASON"],
        "species": ["WN_CRANE", "HOODED_CRANE", "BF_SPOONBILL"],
        "targets": [3, 4, 20],
        "themes": ["climate-change-migration", "avian-influenza", "habitat-loss"],
        "datasets": ["出水ツル類越冬数 2023-24", "저어새 번식 집단 조사 2024"],
        "publications": ["Wintering counts of hooded", "Managing west-coast tidal flats"],
        "events": True,
    },
]


def _publications(starts: list[str]) -> list[Publication]:
    found: list[Publication] = []
    for start in starts:
        found.extend(Publication.objects.filter(title_en__startswith=start))
    return found


@transaction.atomic
def seed_projects(*, secretariat: User) -> int:
    """Create the demo projects that are missing; return how many were made."""
    made = 0
    for row in PROJECTS:
        if Project.objects.filter(slug=row["slug"]).exists():
            continue
        project_save(
            actor=secretariat,
            slug=row["slug"],
            title=row["title"],
            kind=row["kind"],
            start_date=row["start_date"],
            end_date=row["end_date"],
            description=row["description"],
            partners=row["partners"],
            countries=list(Country.objects.filter(code__in=row["countries"])),
            people=list(User.objects.filter(username__in=row["people"])),
            sites=list(Site.objects.filter(code__in=row["sites"])),
            species=list(Species.objects.filter(code__in=row["species"])),
            targets=list(KmgbfTarget.objects.filter(number__in=row["targets"])),
            themes=list(Theme.objects.filter(code__in=row["themes"])),
            datasets=list(Dataset.objects.filter(title__in=row["datasets"])),
            publications=_publications(row["publications"]),
            events=list(Event.objects.all()[:1]) if row.get("events") else [],
        )
        made += 1
    return made
