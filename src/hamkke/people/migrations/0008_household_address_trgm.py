"""Trigram indexes on the household's address and its detail, for the case search's address words
(cases/search.py, issue 13 §3): without them "다산로" scanned every household of the district (metro:
280–450 ms for "행복로 297" under load). PostgreSQL only (pg_trgm, made by people 0004); SQLite scans,
which is fine at demo size. Not model state (operator-class indexes are written in SQL)."""

from django.db import migrations

FORWARD = [
    "CREATE INDEX IF NOT EXISTS household_address_trgm ON people_household USING gin (address gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS household_address_detail_trgm ON people_household "
    "USING gin (address_detail gin_trgm_ops)",
]
BACKWARD = ["DROP INDEX IF EXISTS household_address_detail_trgm", "DROP INDEX IF EXISTS household_address_trgm"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("people", "0007_unknown_person")]
    operations = [migrations.RunPython(forwards, backwards)]
