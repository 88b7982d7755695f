"""Datasets with processed occurrence files: a restricted big-cat survey and public crane counts."""

import pytest
from django.core.files.base import ContentFile

from datasets.processing import pipeline
from species.models import Species
from tests.factories import DataFileFactory, DatasetFactory

#: Exact coordinates of the restricted survey; they must never reach a visitor.
TIGER_LAT, TIGER_LON = "43.2101", "131.3876"
LEOPARD_LAT, LEOPARD_LON = "43.1234", "131.4567"

CATS = (
    "scientificName,eventDate,decimalLatitude,decimalLongitude\n"
    f"Panthera tigris altaica,2023-03-02,{TIGER_LAT},{TIGER_LON}\n"
    f"Panthera pardus orientalis,2022-02-11,{LEOPARD_LAT},{LEOPARD_LON}\n"
)
CRANES = (
    "scientificName,eventDate,decimalLatitude,decimalLongitude,individualCount\n"
    "Grus monacha,2023-12-10,32.1234,130.2712,15218\n"
    "Grus monacha,2024-01-14,32.1301,130.2655,14100\n"
)


def processed_dataset(*, uploader, title, text, species, **fields):
    """Create a published dataset with one processed occurrence file."""
    dataset = DatasetFactory(uploader=uploader, title=title, **fields)
    dataset.species.set(Species.objects.filter(code__in=species))
    data_file = DataFileFactory(dataset=dataset, original_name="occurrences.csv")
    data_file.file.save("occurrences.csv", ContentFile(text.encode()))
    assert pipeline.process(data_file.pk) == "ready"
    return dataset


@pytest.fixture
def cats(researcher_a):
    """A restricted camera-trap survey of Korea (focal point A may download it)."""
    return processed_dataset(
        uploader=researcher_a,
        title="Restricted big-cat survey",
        text=CATS,
        species=["TIGER_AMUR", "LEOPARD_AMUR"],
        access_level="restricted",
    )


@pytest.fixture
def cranes(researcher_b):
    """Public hooded-crane counts of Mongolia: everyone sees exact points."""
    return processed_dataset(
        uploader=researcher_b,
        title="Public crane counts",
        text=CRANES,
        species=["HOODED_CRANE"],
        access_level="public",
        method="bird_count",
    )
