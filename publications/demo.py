"""Demo content: the 2024 Incheon workshop and a small multilingual library (``seed_demo``)."""

import zoneinfo
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from accounts.models import User
from datasets.models import Dataset
from publications import events_services, services
from publications.models import (
    DatasetProtocol,
    Event,
    EventStatus,
    MaterialKind,
    Publication,
    PublicationStatus,
    PublicationType,
)
from species.models import Country, KmgbfTarget, Site, Species, Theme


def simple_pdf(title: str, lines: Sequence[str] = ()) -> bytes:
    """Return a one-page PDF showing ``title`` and ``lines`` (ASCII text, Helvetica)."""

    def escape(text: str) -> str:
        ascii_text = text.encode("ascii", "replace").decode()
        return ascii_text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    commands = ["BT /F1 20 Tf 56 780 Td (" + escape(title) + ") Tj ET"]
    for number, line in enumerate(lines):
        commands.append(f"BT /F1 12 Tf 56 {740 - 18 * number} Td ({escape(line)}) Tj ET")
    stream = "\n".join(commands).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


INCHEON: dict[str, Any] = {
    "title": "Workshop on Nature Conservation and Biodiversity for Transboundary Cooperation",
    "type": "workshop",
    "start_date": date(2024, 8, 28),
    "end_date": date(2024, 8, 29),
    "city": "Incheon",
    "venue": "Holiday Inn Incheon Songdo",
    "organisers": "NEASPEC secretariat (ESCAP East and North-East Asia Office)",
    "summary": (
        "The first NEASPEC nature-conservation workshop since 2017 reviewed past and current "
        "projects on big cats and migratory birds and planned transboundary ecological "
        "connectivity work for the Strategic Plan 2026-2030. 61 participants attended."
    ),
    "outcomes": (
        "Participants agreed on the need for an information-sharing platform linking research "
        "and practice; recommended an Amur Tiger Network across the Russian Federation, China "
        "and Mongolia; asked for AI, drone and camera-trap monitoring, eco-compensation, "
        "capacity building for women and youth, and alignment with KMGBF targets 4 and 20."
    ),
}

SESSIONS = [
    (
        "Opening session",
        "Ganbold Baasanjav (ESCAP ENEA)",
        [
            ("Keynote: conserving flyway habitats in North-East Asia", "Jennifer George", "EAAFP"),
        ],
    ),
    (
        "Session 1 (plenary): policies and programmes for transboundary cooperation",
        "ESCAP secretariat",
        [
            ("Korea's NBSAP and the KMGBF", "Moon-Hyun Shin", "National Institute of Ecology"),
            (
                "Amur leopard and tiger cooperation: Land of the Leopard",
                "Yury Darman",
                "Pacific Geographical Institute, FEB RAS",
            ),
            ("Rason Summer Bird Survey", "Bernhard Seliger", "Hanns Seidel Foundation Korea"),
        ],
    ),
    ("Session 2.1: conservation of big feline species", "Jeong Eun (Anya) Lim; Mi-Jin Lee", []),
    ("Session 2.2: conservation of migratory birds", "Lyu Cai; Kazuhiko Seriu", []),
    (
        "Roundtable: strategic planning for 2026-2030",
        "Jeong Eun Lim; Kazuhiko Seriu",
        [
            (
                "Financing conservation: nature-based solutions",
                "Karen Grace C. Ochoa",
                "Asian Development Bank",
            ),
            ("CEPA and community-based wetland management", "Vivian Fu", "WWF Hong Kong"),
        ],
    ),
]

#: Local times (Asia/Seoul) of the sessions, in the order of ``SESSIONS``.
SESSION_TIMES = [
    ((2024, 8, 28, 9, 30), (2024, 8, 28, 10, 30)),
    ((2024, 8, 28, 10, 45), (2024, 8, 28, 12, 30)),
    ((2024, 8, 28, 14, 0), (2024, 8, 28, 15, 45)),
    ((2024, 8, 28, 16, 0), (2024, 8, 28, 17, 45)),
    ((2024, 8, 29, 9, 30), (2024, 8, 29, 12, 0)),
]

#: What each talk is about (species codes); a talk not named here is about none of them.
TALK_SPECIES = {
    "Keynote: conserving flyway habitats in North-East Asia": ["WN_CRANE", "HOODED_CRANE"],
    "Amur leopard and tiger cooperation: Land of the Leopard": ["LEOPARD_AMUR", "TIGER_AMUR"],
    "Rason Summer Bird Survey": ["BF_SPOONBILL"],
}

#: A workshop the secretariat is still preparing: a draft, seen only by them.
DRAFT_EVENT: dict[str, Any] = {
    "title": "Expert meeting on the Amur Tiger Network",
    "type": "expert_meeting",
    "start_date": date(2027, 5, 18),
    "end_date": date(2027, 5, 19),
    "city": "Vladivostok",
    "time_zone": "Asia/Vladivostok",
    "organisers": "NEASPEC secretariat",
    "summary": (
        "Preparing the Amur Tiger Network across the Russian Federation, China and Mongolia."
    ),
}

PARTICIPANTS = {
    "CN": (4, 5, 0),
    "KP": (0, 0, 0),
    "JP": (2, 3, 0),
    "MN": (3, 3, 0),
    "KR": (12, 11, 1),
    "RU": (3, 4, 0),
    None: (5, 5, 0),
}

LIBRARY = [
    # (language, type, year, title, title_en, species, countries, targets, themes, visibility)
    (
        "en",
        "report",
        2024,
        "Meeting report: Workshop on Nature Conservation and Biodiversity "
        "for Transboundary Cooperation",
        "",
        ["TIGER_AMUR", "WN_CRANE"],
        ["KR"],
        [4, 20],
        ["transboundary-cooperation"],
        "public",
    ),
    (
        "zh",
        "article",
        2023,
        "东北虎豹国家公园红外相机监测东北虎种群动态",
        "Camera-trap monitoring of "
        "Amur tiger population dynamics in the Northeast China Tiger and Leopard National Park",
        ["TIGER_AMUR", "LEOPARD_AMUR"],
        ["CN"],
        [4, 21],
        ["monitoring-technology"],
        "public",
    ),
    (
        "ja",
        "report",
        2022,
        "出水平野におけるナベヅル・マナヅルの越冬個体数調査",
        "Wintering counts of hooded and white-naped cranes on the Izumi plain",
        ["HOODED_CRANE", "WN_CRANE"],
        ["JP"],
        [4],
        ["avian-influenza"],
        "public",
    ),
    (
        "ko",
        "policy_brief",
        2024,
        "저어새 번식지 보전을 위한 서해안 갯벌 관리 방안",
        "Managing west-coast tidal flats for black-faced spoonbill breeding sites",
        ["BF_SPOONBILL"],
        ["KR"],
        [3, 4],
        ["habitat-loss"],
        "registered",
    ),
    (
        "mn",
        "report",
        2021,
        "Алтай Таван Богд дахь ирвэсийн тооллого",
        "Snow leopard survey in Altai Tavan Bogd",
        ["SNOW_LEOPARD"],
        ["MN"],
        [4],
        ["monitoring-technology"],
        "public",
    ),
    (
        "ru",
        "article",
        2020,
        "Снежный барс на хребте Чихачёва: фотоловушечный учёт 2020 года",
        "Snow leopards on the Chikhachev ridge: the 2020 camera-trap count",
        ["SNOW_LEOPARD"],
        ["RU", "MN"],
        [4, 20],
        ["monitoring-technology", "transboundary-cooperation"],
        "public",
    ),
    (
        "ru",
        "report",
        2023,
        "Дальневосточный леопард: трансграничный мониторинг",
        "Amur leopard: transboundary monitoring",
        ["LEOPARD_AMUR"],
        ["RU", "CN"],
        [4, 20],
        ["transboundary-cooperation", "genetics"],
        "member_states",
    ),
    (
        "en",
        "factsheet",
        2024,
        "Black-faced spoonbill international census 2024",
        "",
        ["BF_SPOONBILL"],
        ["CN", "JP", "KR"],
        [21],
        ["monitoring-technology"],
        "public",
    ),
    (
        "en",
        "article",
        2018,
        "Migration of hooded cranes from Izumi: satellite tracking of stopover sites",
        "",
        ["HOODED_CRANE"],
        ["JP", "RU", "CN", "KR"],
        [21],
        ["climate-change-migration"],
        "public",
    ),
    (
        "zh",
        "report",
        2022,
        "黄河三角洲白枕鹤迁徙停歇地调查",
        "White-naped crane stopover survey in the Yellow River Delta",
        ["WN_CRANE"],
        ["CN"],
        [4],
        ["agriculture"],
        "public",
    ),
    (
        "en",
        "policy_brief",
        2024,
        "Wind and solar energy siting along the East Asian-Australasian Flyway",
        "",
        ["WN_CRANE", "HOODED_CRANE", "BF_SPOONBILL"],
        ["MN", "CN", "KR"],
        [14, 15],
        ["energy-infrastructure"],
        "public",
    ),
    (
        "ko",
        "report",
        2023,
        "철원평야 재두루미 월동 개체수 변화",
        "Changes in wintering white-naped crane numbers on the Cheorwon plain",
        ["WN_CRANE"],
        ["KR"],
        [4],
        ["climate-change-migration"],
        "public",
    ),  # Best practices: a guideline, a monitoring protocol (followed by demo datasets) and a
    # case study.
    (
        "en",
        "protocol",
        2023,
        "Camera-trap monitoring protocol for Amur tigers and leopards",
        "",
        ["TIGER_AMUR", "LEOPARD_AMUR"],
        ["RU", "CN"],
        [4],
        ["monitoring-technology"],
        "public",
    ),
    (
        "en",
        "guideline",
        2024,
        "Guidelines for reducing human-wildlife conflict with big cats",
        "",
        ["TIGER_AMUR", "LEOPARD_AMUR", "SNOW_LEOPARD"],
        ["RU", "CN", "MN"],
        [4],
        ["human-wildlife-conflict"],
        "public",
    ),
    (
        "mn",
        "case_study",
        2022,
        "Ирвэсийн хамгаалалд малчдын оролцоо: Тост-Тосонбумбын жишээ",
        "Herders in snow leopard conservation: the Tost-Tosonbumba case study",
        ["SNOW_LEOPARD"],
        ["MN"],
        [4, 20],
        ["human-wildlife-conflict"],
        "public",
    ),
]

#: The demo datasets (by English title) that follow the demo monitoring protocol.
PROTOCOL_FOLLOWERS = ("Land of the Leopard camera traps, 2023",)


def _publication(secretariat: User, row) -> Publication:
    language, kind, year, title, title_en, species, countries, targets, themes, visibility = row
    existing = Publication.objects.filter(title=title).first()
    if existing:
        return existing
    publication = services.publication_create(
        actor=secretariat,
        type=kind,
        title=title,
        title_en=title_en,
        year=year,
        language=language,
        visibility=visibility,
        abstract=title_en or title,
        authors=[{"name": "NEASPEC secretariat", "affiliation": "ESCAP ENEA"}],
        species=list(Species.objects.filter(code__in=species)),
        countries=list(Country.objects.filter(code__in=countries)),
        targets=list(KmgbfTarget.objects.filter(number__in=targets)),
        themes=list(Theme.objects.filter(code__in=themes)),
    )
    services.publication_file_add(
        actor=secretariat,
        publication=publication,
        upload=SimpleUploadedFile(
            f"publication-{publication.pk}.pdf",
            simple_pdf(title_en or title, [f"NEASPEC Knowledge Hub demo document, {year}."]),
            content_type="application/pdf",
        ),
    )
    return publication


def _seed_agenda(secretariat: User, event: Event) -> None:
    """Add the Incheon sessions, at their times in Seoul, with their talks' slides."""
    seoul = zoneinfo.ZoneInfo("Asia/Seoul")
    for (title, moderators, talks), (starts, ends) in zip(SESSIONS, SESSION_TIMES, strict=True):
        session = events_services.session_save(
            actor=secretariat,
            event=event,
            title=title,
            moderators=moderators,
            starts_at=datetime(*starts, tzinfo=seoul),
            ends_at=datetime(*ends, tzinfo=seoul),
        )
        for talk, speaker, affiliation in talks:
            events_services.material_add(
                actor=secretariat,
                event=event,
                session=session,
                kind=MaterialKind.PRESENTATION,
                title=talk,
                speakers=[{"name": speaker, "affiliation": affiliation}],
                species=list(Species.objects.filter(code__in=TALK_SPECIES.get(talk, []))),
                files=[
                    SimpleUploadedFile(
                        "slides.pdf",
                        simple_pdf(talk, [speaker, affiliation, "Incheon, 28-29 August 2024"]),
                        content_type="application/pdf",
                    )
                ],
            )


@transaction.atomic
def seed_protocol_links() -> int:
    """Let the demo camera-trap datasets follow the demo protocol; return the new links."""
    protocol = Publication.objects.filter(type=PublicationType.PROTOCOL, status="published").first()
    if protocol is None:
        return 0
    created = 0
    for dataset in Dataset.objects.filter(title_en__in=PROTOCOL_FOLLOWERS):
        created += DatasetProtocol.objects.get_or_create(protocol=protocol, dataset=dataset)[1]
    return created


@transaction.atomic
def seed_library(*, secretariat: User) -> dict[str, int]:
    """Create the Incheon workshop and the demo library once; later runs change nothing."""
    publications = [_publication(secretariat, row) for row in LIBRARY]
    publications[0].featured = True
    publications[0].save(update_fields=["featured"])
    event = Event.objects.filter(title=INCHEON["title"], start_date=INCHEON["start_date"]).first()
    if event is None:
        event = events_services.event_save(
            actor=secretariat,
            **INCHEON,
            featured=True,
            time_zone="Asia/Seoul",
            species=list(Species.objects.filter(is_flagship=True)),
            countries=list(Country.objects.all()),
            sites=list(Site.objects.filter(code="KR_INCHEON_GANGHWA")),
            targets=list(KmgbfTarget.objects.filter(number__in=[4, 20, 21, 23])),
            themes=list(
                Theme.objects.filter(code__in=["capacity-building", "transboundary-cooperation"])
            ),
        )
        _seed_agenda(secretariat, event)
        events_services.participants_set(actor=secretariat, event=event, counts=PARTICIPANTS)
        events_services.material_add(
            actor=secretariat,
            event=event,
            kind=MaterialKind.RECORDING,
            title="Workshop page with all presentations",
            link="https://neaspec.org/content/workshop-nature-conservation-and-biodiversity-transboundary-cooperation",
        )
        events_services.event_publish(actor=secretariat, event=event)
    if not Event.objects.filter(title=DRAFT_EVENT["title"]).exists():
        events_services.event_save(
            actor=secretariat,
            **DRAFT_EVENT,
            species=list(Species.objects.filter(code="TIGER_AMUR")),
            countries=list(Country.objects.filter(code__in=["RU", "CN", "MN"])),
        )
    return {
        "publications": Publication.objects.filter(status=PublicationStatus.PUBLISHED).count(),
        "events": Event.objects.filter(status=EventStatus.PUBLISHED).count(),
        "participants": event.participants_total,
    }
