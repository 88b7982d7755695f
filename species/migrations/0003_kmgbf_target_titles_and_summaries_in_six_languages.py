"""KMGBF targets keep their short title and a summary in the six portal languages.

The English title keeps its values: the column is renamed, not dropped.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("species", "0002_species_vernacular_names")]

    operations = [
        migrations.RenameField(model_name="kmgbftarget", old_name="title", new_name="title_en"),
        migrations.AlterField(
            model_name="kmgbftarget",
            name="title_en",
            field=models.CharField(max_length=300, verbose_name="title (English)"),
        ),
        migrations.AddField(
            model_name="kmgbftarget",
            name="title_zh",
            field=models.CharField(blank=True, max_length=300, verbose_name="title (Chinese)"),
        ),
        migrations.AddField(
            model_name="kmgbftarget",
            name="title_ja",
            field=models.CharField(blank=True, max_length=300, verbose_name="title (Japanese)"),
        ),
        migrations.AddField(
            model_name="kmgbftarget",
            name="title_ko",
            field=models.CharField(blank=True, max_length=300, verbose_name="title (Korean)"),
        ),
        migrations.AddField(
            model_name="kmgbftarget",
            name="title_mn",
            field=models.CharField(blank=True, max_length=300, verbose_name="title (Mongolian)"),
        ),
        migrations.AddField(
            model_name="kmgbftarget",
            name="title_ru",
            field=models.CharField(blank=True, max_length=300, verbose_name="title (Russian)"),
        ),
        migrations.AddField(
            model_name="kmgbftarget",
            name="summary_en",
            field=models.TextField(blank=True, verbose_name="summary (English)"),
        ),
        migrations.AddField(
            model_name="kmgbftarget",
            name="summary_zh",
            field=models.TextField(blank=True, verbose_name="summary (Chinese)"),
        ),
        migrations.AddField(
            model_name="kmgbftarget",
            name="summary_ja",
            field=models.TextField(blank=True, verbose_name="summary (Japanese)"),
        ),
        migrations.AddField(
            model_name="kmgbftarget",
            name="summary_ko",
            field=models.TextField(blank=True, verbose_name="summary (Korean)"),
        ),
        migrations.AddField(
            model_name="kmgbftarget",
            name="summary_mn",
            field=models.TextField(blank=True, verbose_name="summary (Mongolian)"),
        ),
        migrations.AddField(
            model_name="kmgbftarget",
            name="summary_ru",
            field=models.TextField(blank=True, verbose_name="summary (Russian)"),
        ),
    ]
