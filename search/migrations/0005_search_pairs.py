import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations

# Every two words that follow one another in a vector (positions p and p + 1), as one
# lexeme of their first four characters each ("camera traps" → 'came trap'), so that a
# phrase is found through a GIN index instead of rechecking every document that holds its
# words. search.text.PAIR_CHARS repeats the four. IMMUTABLE: the indexer and the backfill
# below compute the same pairs.
CREATE = """
CREATE FUNCTION search_pairs(vector tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    WITH word AS (
        SELECT left(u.lexeme, 4) AS part, position
        FROM unnest(vector) AS u, unnest(u.positions) AS position
    )
    SELECT coalesce(array_to_tsvector(array_agg(DISTINCT a.part || ' ' || b.part)), '')
    FROM word a JOIN word b ON b.position = a.position + 1
$$
"""
DROP = "DROP FUNCTION search_pairs(tsvector)"
BACKFILL = "UPDATE search_searchdocument SET pairs = search_pairs(meta) WHERE meta IS NOT NULL"


class Migration(migrations.Migration):
    dependencies = [("search", "0004_search_tsquery")]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="pairs",
            field=django.contrib.postgres.search.SearchVectorField(null=True),
        ),
        migrations.RunSQL(CREATE, DROP),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="searchdocument",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["pairs"], name="search_pairs_gin"
            ),
        ),
    ]
