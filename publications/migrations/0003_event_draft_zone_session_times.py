"""Events become draft → published (existing ones published), get a time zone; sessions get
start and end times; materials stop carrying the event's species."""

from django.db import migrations, models

import publications.models


def forget_inherited_species(apps, schema_editor):
    """Clear the species of event materials that were copied whole from their event.

    ``material_add`` used to tag every presentation and report with all of the event's
    species, so a crane search ranked a talk on financing above crane reports. A material
    whose species are exactly the event's (and not empty) got them that way; the
    secretariat tags it again from the event editor.
    """
    Material = apps.get_model("publications", "Material")
    for material in Material.objects.filter(publication__isnull=False).select_related(
        "publication", "event"
    ):
        own = set(material.publication.species.values_list("pk", flat=True))
        event = set(material.event.species.values_list("pk", flat=True))
        if own and own == event:
            material.publication.species.clear()


class Migration(migrations.Migration):

    dependencies = [
        ('publications', '0002_text_bounds'),
    ]

    operations = [
        migrations.AddField(
            model_name='event',
            name='published_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='published'),
        ),
        # Events were public the moment they were created: those already there stay published.
        migrations.AddField(
            model_name='event',
            name='status',
            field=models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], default='published', max_length=20, verbose_name='status'),
        ),
        migrations.AlterField(
            model_name='event',
            name='status',
            field=models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], default='draft', max_length=20, verbose_name='status'),
        ),
        migrations.AddField(
            model_name='event',
            name='time_zone',
            field=models.CharField(default='Asia/Seoul', help_text='Session times are given and shown in this zone.', max_length=64, validators=[publications.models.validate_time_zone], verbose_name='time zone'),
        ),
        migrations.AddField(
            model_name='session',
            name='ends_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='ends'),
        ),
        migrations.AddField(
            model_name='session',
            name='starts_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='starts'),
        ),
        migrations.AddConstraint(
            model_name='session',
            constraint=models.CheckConstraint(condition=models.Q(('ends_at__isnull', True), models.Q(('ends_at__gt', models.F('starts_at')), ('starts_at__isnull', False)), _connector='OR'), name='session_times_in_order'),
        ),
        migrations.RunPython(forget_inherited_species, migrations.RunPython.noop),
    ]
