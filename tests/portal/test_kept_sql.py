"""Tag codes compiled once per process (``neaspec_portal.kept_sql``) agree with Django's
relations, in a list's own query and inside another query, where they are compiled afresh."""

from django.db import connection
from django.db.models import OuterRef, Subquery
from django.test.utils import CaptureQueriesContext

from datasets.models import Dataset
from neaspec_portal import bounds
from species.models import KmgbfTarget, Species
from tests.factories import DatasetFactory


def _tagged(researcher, species_codes, targets):
    dataset = DatasetFactory(uploader=researcher)
    dataset.species.set(Species.objects.filter(code__in=species_codes))
    dataset.targets.set(KmgbfTarget.objects.filter(number__in=targets))
    return dataset


def test_kept_codes_are_the_relations_codes_in_the_models_order(researcher_a):
    species = list(Species.objects.values_list("code", flat=True))
    worlds = [_tagged(researcher_a, species[i : i + 3], [20, 4, 11][: i + 1]) for i in range(3)]
    worlds.append(DatasetFactory(uploader=researcher_a))  # no tags: empty arrays
    for _ in range(2):  # compiled the first time, kept the second
        listed = bounds.with_codes(Dataset.objects.order_by("pk"), species="code", targets="number")
        for dataset in listed:
            assert dataset.species_codes == [s.code for s in dataset.species.all()]
            assert dataset.targets_codes == [t.number for t in dataset.targets.all()]
    assert [d.targets_codes for d in listed][:3] == [[20], [4, 20], [4, 11, 20]]
    assert len(worlds) == 4


def test_inside_another_query_the_codes_are_compiled_for_that_query(researcher_a):
    tiger = Species.objects.get(code="TIGER_AMUR")
    first = _tagged(researcher_a, ["TIGER_AMUR", "LEOPARD_AMUR"], [4])
    _tagged(researcher_a, ["TIGER_AMUR"], [20])
    bounds.with_codes(Dataset.objects.all(), species="code", targets="number").first()  # kept
    # For each species, the codes of the first dataset carrying it: the inner query names
    # the dataset table by an alias of its own, so the kept SQL cannot be used there.
    first_tagged = bounds.with_codes(
        Dataset.objects.filter(species=OuterRef("pk")).order_by("pk"), targets="number"
    ).values("targets_codes")[:1]
    with CaptureQueriesContext(connection) as captured:
        found = dict(
            Species.objects.annotate(codes=Subquery(first_tagged)).values_list("code", "codes")
        )
    assert found[tiger.code] == [t.number for t in first.targets.all()] == [4]
    assert found["LEOPARD_AMUR"] == [4]
    assert '"datasets_dataset"."id"' not in captured.captured_queries[0]["sql"]
