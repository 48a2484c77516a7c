"""Database triggers that mark the months a change touches (``reports_rollupdirty``), on PostgreSQL and SQLite.

Why triggers and not marks written by the services, nor a changed-at watermark: a watermark
(``updated_at`` > last refresh) finds the *new* month of an edited record but not the month it left,
and finds nothing of a deleted record; marks written by the services miss every write that does not
pass through them — cascades when a case is deleted, imports, household merges moving cases (the
services' dong), the admin, a bulk ``update()``. A trigger sees every one of them, in the transaction
of the change, so the month is live from the moment the change commits.

What is marked (the month of the row before and after the change):
- a service record inserted, deleted, or changed in what is counted (date, domain, mode, provider,
  amount, case); a contact record likewise (moment, kind, outcome, agency) — its month in Seoul time;
- a case moved to another household, a household moved to another dong: every month of the services
  of those cases, since the rollups count services by the household's current dong.
Text-only changes (a note, anonymisation per retention) mark nothing: they change no figure.

PostgreSQL: statement-level triggers over the transition tables (one INSERT … SELECT DISTINCT per
statement, so a COPY of a million rows costs one trigger call). SQLite: row-level triggers. SQLite
drops a table's triggers when a migration rebuilds the table, so ``install`` also runs after every
``migrate`` (reports.apps) — it is idempotent.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from hamkke.core.db import execute_per_vendor

DIRTY = "reports_rollupdirty"
SERVICES = "records_servicerecord"
CONTACTS = "records_contactrecord"
SERVICE_COUNTED = ("district_id", "provided_on", "domain", "mode", "provider_agency_id", "amount", "case_id")
CONTACT_COUNTED = ("district_id", "contacted_at", "kind", "outcome", "agency_id")


def _changed(columns: tuple[str, ...], old: str = "o", new: str = "n") -> str:
    return f"({', '.join(f'{old}.{c}' for c in columns)}) IS DISTINCT FROM ({', '.join(f'{new}.{c}' for c in columns)})"


def _pg_month(expression: str) -> str:
    return f"date_trunc('month', {expression})::date"


def _pg_contact_month(alias: str) -> str:
    return _pg_month(f"{alias}.contacted_at AT TIME ZONE '{settings.TIME_ZONE}'")


def _pg_service_month(alias: str) -> str:
    return _pg_month(f"{alias}.provided_on::timestamp")


def _pg_record_function(name: str, source: str, month, counted: tuple[str, ...]) -> str:
    insert = f"INSERT INTO {DIRTY} (district_id, source, month)"
    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {insert} SELECT DISTINCT n.district_id, '{source}', {month("n")} FROM new_rows n;
    ELSIF TG_OP = 'DELETE' THEN
        {insert} SELECT DISTINCT o.district_id, '{source}', {month("o")} FROM old_rows o;
    ELSE
        {insert} SELECT DISTINCT v.district_id, '{source}', v.month
        FROM old_rows o JOIN new_rows n ON n.id = o.id
        CROSS JOIN LATERAL (VALUES (o.district_id, {month("o")}), (n.district_id, {month("n")}))
            AS v(district_id, month)
        WHERE {_changed(counted)};
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""


def _pg_record_triggers(table: str, function: str) -> str:
    return f"""
DROP TRIGGER IF EXISTS {table}_rollup_insert ON {table};
DROP TRIGGER IF EXISTS {table}_rollup_update ON {table};
DROP TRIGGER IF EXISTS {table}_rollup_delete ON {table};
CREATE TRIGGER {table}_rollup_insert AFTER INSERT ON {table}
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();
CREATE TRIGGER {table}_rollup_update AFTER UPDATE ON {table}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();
CREATE TRIGGER {table}_rollup_delete AFTER DELETE ON {table}
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();
"""


def _pg_moved(table: str, function: str, column: str, join: str) -> str:
    """A case moved to another household, or a household to another dong: its services' months."""
    return f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
    INSERT INTO {DIRTY} (district_id, source, month)
    SELECT DISTINCT s.district_id, 'services', {_pg_service_month("s")}
    FROM old_rows o JOIN new_rows n ON n.id = o.id {join}
    WHERE o.{column} IS DISTINCT FROM n.{column};
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS {table}_rollup_moved ON {table};
CREATE TRIGGER {table}_rollup_moved AFTER UPDATE ON {table}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();
"""


CASE_JOIN = f"JOIN {SERVICES} s ON s.case_id = n.id"
HOUSEHOLD_JOIN = f"JOIN cases_case c ON c.household_id = n.id JOIN {SERVICES} s ON s.case_id = c.id"


def postgres_install() -> str:
    return "\n".join(
        [
            _pg_record_function("hamkke_rollup_mark_services", "services", _pg_service_month, SERVICE_COUNTED),
            _pg_record_triggers(SERVICES, "hamkke_rollup_mark_services"),
            _pg_record_function("hamkke_rollup_mark_contacts", "contacts", _pg_contact_month, CONTACT_COUNTED),
            _pg_record_triggers(CONTACTS, "hamkke_rollup_mark_contacts"),
            _pg_moved("cases_case", "hamkke_rollup_mark_case_moved", "household_id", CASE_JOIN),
            _pg_moved("people_household", "hamkke_rollup_mark_household_moved", "dong_id", HOUSEHOLD_JOIN),
        ]
    )


POSTGRES_DROP = "\n".join(
    [
        *(
            f"DROP TRIGGER IF EXISTS {table}_rollup_{op} ON {table};"
            for table in (SERVICES, CONTACTS)
            for op in ("insert", "update", "delete")
        ),
        "DROP TRIGGER IF EXISTS cases_case_rollup_moved ON cases_case;",
        "DROP TRIGGER IF EXISTS people_household_rollup_moved ON people_household;",
        "DROP FUNCTION IF EXISTS hamkke_rollup_mark_services();",
        "DROP FUNCTION IF EXISTS hamkke_rollup_mark_contacts();",
        "DROP FUNCTION IF EXISTS hamkke_rollup_mark_case_moved();",
        "DROP FUNCTION IF EXISTS hamkke_rollup_mark_household_moved();",
    ]
)


def _seoul_offset() -> str:
    """SQLite has no time zones: the project zone's offset (Asia/Seoul: +9 hours, no daylight saving since 1988)."""
    offset = timezone.get_default_timezone().utcoffset(datetime.datetime(2000, 1, 1))
    return f"{int(offset.total_seconds() // 60):+d} minutes" if offset is not None else "+0 minutes"


def _sqlite_service_month(row: str) -> str:
    return f"date({row}.provided_on, 'start of month')"


def _sqlite_contact_month(row: str) -> str:
    return f"date({row}.contacted_at, '{_seoul_offset()}', 'start of month')"


def _sqlite_record_triggers(table: str, source: str, month, counted: tuple[str, ...]) -> list[str]:
    insert = f"INSERT INTO {DIRTY} (district_id, source, month) VALUES"
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in counted)
    return [
        f"""CREATE TRIGGER IF NOT EXISTS {table}_rollup_insert AFTER INSERT ON {table}
            BEGIN {insert} (NEW.district_id, '{source}', {month("NEW")}); END""",
        f"""CREATE TRIGGER IF NOT EXISTS {table}_rollup_delete AFTER DELETE ON {table}
            BEGIN {insert} (OLD.district_id, '{source}', {month("OLD")}); END""",
        f"""CREATE TRIGGER IF NOT EXISTS {table}_rollup_update AFTER UPDATE ON {table} WHEN {changed}
            BEGIN {insert} (OLD.district_id, '{source}', {month("OLD")}),
                           (NEW.district_id, '{source}', {month("NEW")}); END""",
    ]


def _sqlite_moved(table: str, column: str, services: str) -> str:
    return f"""CREATE TRIGGER IF NOT EXISTS {table}_rollup_moved AFTER UPDATE OF {column} ON {table}
        WHEN OLD.{column} IS NOT NEW.{column}
        BEGIN INSERT INTO {DIRTY} (district_id, source, month)
              SELECT DISTINCT s.district_id, 'services', {_sqlite_service_month("s")} FROM {services}; END"""


def sqlite_install() -> list[str]:
    return [
        *_sqlite_record_triggers(SERVICES, "services", _sqlite_service_month, SERVICE_COUNTED),
        *_sqlite_record_triggers(CONTACTS, "contacts", _sqlite_contact_month, CONTACT_COUNTED),
        _sqlite_moved("cases_case", "household_id", f"{SERVICES} s WHERE s.case_id = NEW.id"),
        _sqlite_moved(
            "people_household",
            "dong_id",
            f"{SERVICES} s JOIN cases_case c ON c.id = s.case_id WHERE c.household_id = NEW.id",
        ),
    ]


SQLITE_DROP = [
    *(f"DROP TRIGGER IF EXISTS {t}_rollup_{op}" for t in (SERVICES, CONTACTS) for op in ("insert", "update", "delete")),
    "DROP TRIGGER IF EXISTS cases_case_rollup_moved",
    "DROP TRIGGER IF EXISTS people_household_rollup_moved",
]


def install(connection) -> None:
    # both texts are built (strings only, cheap); the one for this database is run
    execute_per_vendor(connection, postgresql=[postgres_install()], sqlite=sqlite_install(), what="rollup triggers")


def drop(connection) -> None:
    execute_per_vendor(connection, postgresql=[POSTGRES_DROP], sqlite=SQLITE_DROP, what="rollup triggers")
