"""Demo datasets for ``seed_demo``: a few per country, in several states and access levels."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from datasets import services
from datasets.models import CountKind, CountSubject, DailyCount, Dataset, DatasetStatus
from datasets.processing import pipeline
from publications.models import Publication, PublicationStatus
from species.models import KmgbfTarget, Site, Species

DATASETS = [
    # (uploader, title, title_en, method, species, sites, level, co-owners, final state, csv)
    (
        "researcher-ru",
        "Фотоловушки «Земли леопарда», 2023",
        "Land of the Leopard camera traps, 2023",
        "camera_traps",
        ["LEOPARD_AMUR", "TIGER_AMUR"],
        ["RU_LAND_OF_LEOPARD"],
        "restricted",
        ["CN"],
        "published",
        "scientificName,eventDate,decimalLatitude,decimalLongitude\n"
        "Panthera pardus orientalis,2023-02-11,43.1234,131.4567\n"
        "Panthera tigris altaica (Temminck 1844),2023-03-02,43.2101,131.3876\n"
        "Амурский тигр,2023-03-09,43.1877,131.4122\n"
        "tiger?,2023-04-17,43.1502,131.5013\n",
    ),
    (
        "researcher-jp",
        "出水ツル類越冬数 2023-24",
        "Izumi crane winter counts 2023-24",
        "bird_count",
        ["HOODED_CRANE", "WN_CRANE"],
        ["JP_IZUMI"],
        "public",
        [],
        "published",
        "scientificName,eventDate,decimalLatitude,decimalLongitude,individualCount\n"
        "Grus monacha,2023-12-10,32.1,130.27,15218\nAntigone vipio,2023-12-10,32.1,130.27,2402\n",
    ),
    (
        "researcher-mn",
        "Тост уулын ирвэсийн камерын судалгаа",
        "Tost snow leopard camera survey",
        "camera_traps",
        ["SNOW_LEOPARD"],
        ["MN_TOST"],
        "member_states",
        [],
        "published",
        "scientificName,eventDate,decimalLatitude,decimalLongitude\n"
        "Panthera uncia,2022-10-04,43.21,101.07\n",
    ),
    (
        "researcher-kr",
        "저어새 번식 집단 조사 2024",
        "Black-faced spoonbill colony survey 2024",
        "bird_count",
        ["BF_SPOONBILL"],
        ["KR_INCHEON_GANGHWA"],
        "country",
        [],
        "submitted",
        "scientificName,eventDate,decimalLatitude,decimalLongitude,individualCount\n"
        "Platalea minor,2024-05-20,37.55,126.45,212\n",
    ),
    (
        "researcher-cn",
        "扎龙白枕鹤繁殖调查",
        "Zhalong white-naped crane breeding survey",
        "sign_survey",
        ["WN_CRANE"],
        ["CN_ZHALONG"],
        "registered",
        [],
        "draft",
        "scientificName,eventDate,decimalLatitude,decimalLongitude\n"
        "Antigone vipio,2024-06-01,47.1,124.3\n",
    ),
]


@transaction.atomic
def seed_datasets() -> int:
    """Create the demo datasets once (matched on their titles) and walk them through review."""
    created = 0
    for (
        uploader_name,
        title,
        title_en,
        method,
        species,
        sites,
        level,
        co_owners,
        state,
        csv,
    ) in DATASETS:
        if Dataset.objects.filter(title=title).exists():
            continue
        uploader = User.objects.get(username=uploader_name)
        dataset = services.dataset_create(
            actor=uploader,
            title=title,
            title_en=title_en,
            abstract=f"{title_en}. Demo data of the NEASPEC Knowledge Hub.",
            method=method,
            temporal_start=date(2023, 1, 1),
            temporal_end=date(2024, 6, 30),
            licence="CC-BY-4.0",
            access_level=level,
            citation=f"{uploader.organisation} (2024). {title_en}. NEASPEC Knowledge Hub.",
            contact_name=uploader.get_full_name(),
            contact_email=uploader.email,
            species=list(Species.objects.filter(code__in=species)),
            sites=list(Site.objects.filter(code__in=sites)),
            co_owner_countries=co_owners,
            # Monitoring data of threatened species: Target 4 (species) and 21 (knowledge).
            targets=list(KmgbfTarget.objects.filter(number__in=[4, 21])),
        )
        data_file = services.data_file_add(
            actor=uploader,
            dataset=dataset,
            upload=SimpleUploadedFile("occurrences.csv", csv.encode(), content_type="text/csv"),
        )
        if state in ("submitted", "published"):
            # A dataset is submitted only once its files are read: read this one now
            # rather than wait for a worker (the queued task then finds it done).
            pipeline.process(data_file.pk)
            services.dataset_submit(actor=uploader, dataset=dataset)
        if state == "published":
            for code in dataset.country_codes():
                focal_point = User.objects.get(username=f"fp-{code.lower()}")
                services.dataset_review(
                    actor=focal_point, dataset=dataset, decision="approve", country=code
                )
        created += 1
    return created


#: Demo readers' countries ("" = visitors) and how many months back the demo counts go.
_DEMO_READERS = ("", "CN", "JP", "KR", "MN", "RU")
_DEMO_MONTHS = 6


@transaction.atomic
def seed_usage_counts() -> int:
    """Give the published demo items made-up views and downloads over the last six months,
    so that the usage figures show something; only on a database with no counts yet.

    Deterministic (no random numbers): the same demo data gives the same figures.
    """
    if DailyCount.objects.exists():
        return 0
    items = [
        (CountSubject.DATASET, pk)
        for pk in Dataset.objects.filter(status=DatasetStatus.PUBLISHED).values_list(
            "pk", flat=True
        )
    ] + [
        (CountSubject.PUBLICATION, pk)
        for pk in Publication.objects.filter(status=PublicationStatus.PUBLISHED).values_list(
            "pk", flat=True
        )
    ]
    today = timezone.localdate()
    rows = []
    for number, (subject, pk) in enumerate(sorted(items)):
        for back in range(_DEMO_MONTHS):
            year, month = divmod(today.year * 12 + today.month - 1 - back, 12)
            day = date(year, month + 1, 1 + (number * 3 + back) % 27)
            for place, country in enumerate(_DEMO_READERS):
                # Interest grows towards the present month; some places read more.
                views = (pk * 7 + back * 5 + place * 3) % 9 + max(0, 4 - back) * (place % 3)
                if views:
                    rows.append(
                        DailyCount(
                            subject=subject,
                            object_id=pk,
                            day=day,
                            country=country,
                            kind=CountKind.VIEW,
                            count=views,
                        )
                    )
                if views > 5:
                    rows.append(
                        DailyCount(
                            subject=subject,
                            object_id=pk,
                            day=day,
                            country=country,
                            kind=CountKind.DOWNLOAD,
                            count=views - 5,
                        )
                    )
    DailyCount.objects.bulk_create(rows)
    return len(rows)
