"""Standard files in: Darwin Core Archives, Camtrap DP packages and Movebank tables are
profiled like a CSV and their records stored with the location rules."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from access import policy
from datasets.messages import file_report
from datasets.models import Occurrence
from datasets.processing import pipeline
from tests.factories import DataFileFactory, DatasetFactory
from tests.standards import archives

TIGER = ["t1", "Panthera tigris altaica", "2023-02-11", "43.1234", "131.5678"]
CRANE = ["c1", "Grus monacha", "2023-03-02T06:00:00Z", "45.2", "132.6"]


def _processed(owner, name: str, data: bytes, **fields):
    dataset = DatasetFactory(uploader=owner, **fields)
    data_file = DataFileFactory(dataset=dataset, original_name=name)
    data_file.file.save(name, ContentFile(data))
    pipeline.process(data_file.pk)
    data_file.refresh_from_db()
    return data_file


@pytest.mark.django_db
def test_it_profiles_a_darwin_core_archive_and_stores_its_occurrences(researcher_a, researcher_b):
    data_file = _processed(
        researcher_a, "birds.zip", archives.occurrence_dwca([TIGER, CRANE]), access_level="country"
    )
    assert data_file.state == "ready", data_file.error
    assert data_file.detected_type == "dwca"
    assert data_file.row_count == 2
    assert data_file.bbox == [131.5678, 43.1234, 132.6, 45.2]
    assert (str(data_file.date_start), str(data_file.date_end)) == ("2023-02-11", "2023-03-02")
    assert data_file.species_counts == {"TIGER_AMUR": 1, "HOODED_CRANE": 1}
    eml = data_file.standard_metadata["eml"]
    assert eml["title"] == "Cranes of Khanka"
    assert eml["abstract"] == "Counts of cranes on the lake shore.\n\nSpring 2023."
    assert (eml["temporal_start"], eml["temporal_end"]) == ("2023-03-01", "2023-05-31")
    assert sorted(Occurrence.objects.values_list("latitude", "row")) == [(43.1234, 2), (45.2, 3)]
    # The location rules hold: the tiger is generalized for someone who may not download.
    outside = {f["properties"]["scientificName"]: f for f in policy.occurrences_for(researcher_b)}
    assert outside["Panthera tigris altaica"]["geometry"]["coordinates"] == [131.6, 43.1]


@pytest.mark.django_db
def test_it_joins_an_event_core_to_its_occurrences(researcher_a):
    data_file = _processed(researcher_a, "events.zip", archives.event_dwca())
    assert data_file.state == "ready", data_file.error
    assert data_file.row_count == 3
    assert data_file.species_counts["HOODED_CRANE"] == 17
    points = sorted(Occurrence.objects.values_list("scientific_name", "latitude", "event_date"))
    assert [(name, lat, str(day)) for name, lat, day in points] == [
        ("Grus monacha", 45.1, "2023-04-02"),
        ("Grus monacha", 45.2, "2023-04-09"),
        ("Grus vipio", 45.1, "2023-04-02"),
    ]


@pytest.mark.django_db
def test_a_bad_cell_in_an_archive_is_a_row_numbered_problem(researcher_a, researcher_b):
    bad = ["c2", "Grus monacha", "2023-03-02", "95.5", "132.6"]
    data_file = _processed(researcher_a, "birds.zip", archives.occurrence_dwca([CRANE, bad]))
    assert data_file.state == "failed"
    assert Occurrence.objects.count() == 0
    owner = file_report(data_file, with_values=True)
    assert owner.problems == ["row 3: latitude 95.5 is outside −90..90"]
    outsider = file_report(data_file, with_values=False)
    assert "95.5" not in " ".join(outsider.problems)


@pytest.mark.django_db
def test_an_archive_without_occurrences_says_so(researcher_a):
    data = archives.zip_of(
        {
            "meta.xml": '<archive xmlns="http://rs.tdwg.org/dwc/text/"><core rowType='
            '"http://rs.tdwg.org/dwc/terms/Event"><files><location>e.csv</location></files>'
            "</core></archive>",
            "e.csv": "eventID\ne1\n",
        }
    )
    data_file = _processed(researcher_a, "events.zip", data)
    assert (data_file.state, data_file.error_code) == ("failed", "dwca_no_occurrences")


@pytest.mark.django_db
def test_a_camtrap_package_puts_detections_at_withheld_camera_stations(researcher_a, researcher_b):
    data_file = _processed(researcher_a, "survey.zip", archives.camtrap(), access_level="country")
    assert data_file.state == "ready", data_file.error
    assert data_file.detected_type == "camtrap-dp"
    # Event-level animal detections only: the media-level copy and the blank are not records.
    assert data_file.row_count == 2
    assert data_file.standard_metadata["deployments"] == 2
    assert data_file.standard_metadata["camera_days"] == 40.0
    assert (str(data_file.date_start), str(data_file.date_end)) == ("2023-01-01", "2023-02-11")
    stored = sorted(Occurrence.objects.values_list("latitude", "context"))
    assert stored == [(43.12, "camera_station"), (43.3, "camera_station")]
    outside = {f["properties"]["scientificName"]: f for f in policy.occurrences_for(researcher_b)}
    tiger = outside["Panthera tigris altaica"]  # a sensitive species' station is withheld
    assert tiger["geometry"] is None, tiger
    assert len(policy.occurrences_for(researcher_a)) == 2


@pytest.mark.django_db
def test_the_real_camtrap_dp_example_is_accepted(researcher_a):
    data_file = _processed(researcher_a, "example.zip", archives.camtrap_example())
    assert data_file.state == "ready", data_file.error
    assert data_file.standard_metadata["deployments"] == 4
    assert data_file.row_count > 0
    assert data_file.date_start is not None


@pytest.mark.django_db
def test_a_camtrap_package_against_its_schemas(researcher_a):
    broken = _processed(researcher_a, "survey.zip", archives.camtrap(latitude="north"))
    assert (broken.state, broken.error_code) == ("failed", "camtrap_bad_table")
    assert broken.error_params["name"] == "deployments"
    descriptor = _processed(
        researcher_a, "survey.zip", archives.camtrap(descriptor_changes={"created": 5})
    )
    assert (descriptor.state, descriptor.error_code) == ("failed", "camtrap_bad_descriptor")


@pytest.mark.django_db
def test_a_movebank_table_counts_individuals_and_tags(researcher_a):
    data_file = _processed(researcher_a, "collars.csv", archives.MOVEBANK.encode())
    assert data_file.state == "ready", data_file.error
    assert data_file.detected_type == "csv/movebank"
    assert data_file.standard_metadata == {"individuals": 2, "tags": 3}
    assert set(Occurrence.objects.values_list("context", flat=True)) == {"collar_fix"}


@pytest.mark.django_db
def test_the_archive_eml_is_offered_to_prefill_the_description(client, researcher_a, researcher_b):
    data_file = _processed(
        researcher_a, "birds.zip", archives.occurrence_dwca([CRANE]), status="draft"
    )
    url = reverse("datasets:edit", args=[data_file.dataset_id])
    client.force_login(researcher_a)
    offer = client.get(url).content.decode()
    assert f"?from_eml={data_file.pk}" in offer
    filled = client.get(url, {"from_eml": data_file.pk}).content.decode()
    assert "Cranes of Khanka" in filled
    assert "Point counts at dawn." in filled
    assert 'value="2023-03-01"' in filled
    client.force_login(researcher_b)
    assert client.get(url, {"from_eml": data_file.pk}).status_code == 404
