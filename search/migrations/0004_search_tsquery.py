from django.db import migrations

# The OR of a query's four readings (simple, prefix, English, Russian) without repeats:
# a word that no configuration changes otherwise appears three times, and every document
# checked pays for each copy. IMMUTABLE, so PostgreSQL folds it into a constant when planning.
CREATE = """
CREATE FUNCTION search_tsquery(simple tsquery, prefix tsquery, english tsquery, russian tsquery)
RETURNS tsquery LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    -- All readings empty (stop words only): return one of them, itself empty.
    SELECT coalesce(string_agg(DISTINCT '(' || reading::text || ')', ' | ')::tsquery, simple)
    FROM unnest(ARRAY[simple, prefix, english, russian]) AS reading
    WHERE reading::text <> ''
$$
"""
DROP = "DROP FUNCTION search_tsquery(tsquery, tsquery, tsquery, tsquery)"


class Migration(migrations.Migration):
    dependencies = [("search", "0003_search_title_covering_index")]

    operations = [migrations.RunSQL(CREATE, DROP)]
