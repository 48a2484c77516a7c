"""Indexes for the person search (hamkke.people.search, issue 6).

PostgreSQL: pg_trgm GIN indexes on the name and on its initial consonants (``hamkke_chosung``, an
IMMUTABLE SQL function indexed as an expression), and b-trees starting with the district for the
birth date and the phone's last four digits. SQLite (the demo): the birth-date b-tree only; the
search scans, which is fine at demo size. None of this is model state (expression and operator-
class indexes are written in SQL), so ``makemigrations`` has nothing to say about it.
"""

import sys

from django.db import migrations

CHOSUNG_FUNCTION = r"""
CREATE OR REPLACE FUNCTION hamkke_chosung(name text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(string_agg(
        CASE WHEN ascii(ch) BETWEEN 44032 AND 55203
             THEN substr('ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ', (ascii(ch) - 44032) / 588 + 1, 1)
             ELSE ch END, '' ORDER BY i), '')
    FROM unnest(string_to_array(name, NULL)) WITH ORDINALITY AS t(ch, i)
$$
"""

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    CHOSUNG_FUNCTION,
    "CREATE INDEX IF NOT EXISTS person_name_trgm ON people_person USING gin (name gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS person_chosung_trgm ON people_person USING gin (hamkke_chosung(name) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS person_district_birth ON people_person (district_id, birth_date)",
    "CREATE INDEX IF NOT EXISTS person_district_phone_tail ON people_person (district_id, right(phone, 4))",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS person_district_phone_tail",
    "DROP INDEX IF EXISTS person_district_birth",
    "DROP INDEX IF EXISTS person_chosung_trgm",
    "DROP INDEX IF EXISTS person_name_trgm",
    "DROP FUNCTION IF EXISTS hamkke_chosung(text)",
]
OTHER_FORWARD = ["CREATE INDEX IF NOT EXISTS person_district_birth ON people_person (district_id, birth_date)"]
OTHER_BACKWARD = ["DROP INDEX IF EXISTS person_district_birth"]


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        for sql in OTHER_FORWARD:
            schema_editor.execute(sql)
        return
    from hamkke.people.search import trigram_locale_problem

    problem = trigram_locale_problem(connection)
    if problem:  # the indexes are still made (the search stays correct), but say clearly why it will be slow
        sys.stderr.write(f"\nWARNING (people.0004): {problem}\n")
    for sql in POSTGRES_FORWARD:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    for sql in POSTGRES_BACKWARD if schema_editor.connection.vendor == "postgresql" else OTHER_BACKWARD:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_person_view_full_rrn_permission"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
