"""The programme's first target: at least 200 frontline conservation staff trained.

From the 2024 Incheon workshop's report; the secretariat changes it in the admin.
"""

from django.db import migrations


def add_target(apps, schema_editor) -> None:
    ProgrammeTarget = apps.get_model("programme", "ProgrammeTarget")
    ProgrammeTarget.objects.get_or_create(
        measure="frontline_trained",
        start_year=2024,
        defaults={
            "value": 200,
            "end_year": 2030,
            "source": "NEASPEC workshop on nature conservation and biodiversity, Incheon, 2024",
        },
    )


def remove_target(apps, schema_editor) -> None:
    ProgrammeTarget = apps.get_model("programme", "ProgrammeTarget")
    ProgrammeTarget.objects.filter(measure="frontline_trained", start_year=2024).delete()


class Migration(migrations.Migration):
    dependencies = [("programme", "0001_programme_target")]

    operations = [migrations.RunPython(add_target, remove_target)]
