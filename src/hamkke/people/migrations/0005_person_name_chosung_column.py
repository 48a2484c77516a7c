"""The initial consonants of a person's name, stored (PostgreSQL), for the 초성 search (issue 6).

Indexing the expression ``hamkke_chosung(name)`` (0004) found the candidates quickly, but pg_trgm
matches are always rechecked, and the recheck ran the SQL function again on every candidate row:
tens of milliseconds for a common pattern such as ㄱㅁㅅ. A generated column keeps the value
computed once, on insert and on every change of the name, by the database itself, so nothing in
the application has to maintain it (and Django, which does not know the column, never writes it).
SQLite (the demo) computes the initials on the fly.
"""

from django.db import migrations

FORWARD = [
    "ALTER TABLE people_person ADD COLUMN IF NOT EXISTS name_chosung text "
    "GENERATED ALWAYS AS (hamkke_chosung(name)) STORED",
    "DROP INDEX IF EXISTS person_chosung_trgm",
    "CREATE INDEX person_chosung_trgm ON people_person USING gin (name_chosung gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS person_chosung_trgm",
    "ALTER TABLE people_person DROP COLUMN IF EXISTS name_chosung",
    "CREATE INDEX person_chosung_trgm ON people_person USING gin (hamkke_chosung(name) gin_trgm_ops)",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_person_search_indexes"),
    ]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD), elidable=False)]
