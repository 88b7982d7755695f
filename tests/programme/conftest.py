"""The programme's target, as its data migration creates it.

A transactional test elsewhere in the run empties the tables, and the migration's row with
them; the figures of these tests are measured against that target.
"""

import pytest

from programme.models import ProgrammeTarget


@pytest.fixture(autouse=True)
def frontline_target(db):
    target, _created = ProgrammeTarget.objects.get_or_create(
        measure="frontline_trained",
        start_year=2024,
        defaults={
            "value": 200,
            "end_year": 2030,
            "source": "NEASPEC workshop on nature conservation and biodiversity, Incheon, 2024",
        },
    )
    return target
