"""Two-syllable parts of names, stored and indexed (PostgreSQL), for the person search (issue 6).

pg_trgm needs three characters to narrow a LIKE: a search for 민수 (a given name, the most common
thing typed after a full name) scanned every person of the district. The distinct two-character
pieces of each name are kept in a generated array column with a GIN index, so that
``name_bigrams @> ARRAY['민수']`` finds exactly the names containing 민수. SQLite: a plain LIKE.
"""

from django.db import migrations

BIGRAMS_FUNCTION = r"""
CREATE OR REPLACE FUNCTION hamkke_bigrams(name text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT substr(name, i, 2)), '{}')
    FROM generate_series(1, length(name) - 1) AS i
$$
"""
FORWARD = [
    BIGRAMS_FUNCTION,
    "ALTER TABLE people_person ADD COLUMN IF NOT EXISTS name_bigrams text[] "
    "GENERATED ALWAYS AS (hamkke_bigrams(name)) STORED",
    "CREATE INDEX IF NOT EXISTS person_name_bigrams ON people_person USING gin (name_bigrams)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS person_name_bigrams",
    "ALTER TABLE people_person DROP COLUMN IF EXISTS name_bigrams",
    "DROP FUNCTION IF EXISTS hamkke_bigrams(text)",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0005_person_name_chosung_column"),
    ]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD), elidable=False)]
