"""Database triggers that make the access log append-only, on PostgreSQL and on SQLite.

UPDATE is always refused. DELETE is refused unless the row is older than the legal minimum
retention (2 years, DOMAIN.md §6), so a retention job can remove old rows and nothing else can.
"""

from hamkke.core.db import execute_per_vendor

TABLE = "audit_accesslog"
TRIGGER = "accesslog_append_only"  # PostgreSQL (on the partitioned table, cloned onto each month)
MIN_RETENTION = "2 years"

POSTGRES_INSTALL = f"""
CREATE OR REPLACE FUNCTION hamkke_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.at < now() - interval '{MIN_RETENTION}' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'access log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS accesslog_append_only ON {TABLE};
CREATE TRIGGER accesslog_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION hamkke_accesslog_append_only();
"""
POSTGRES_DROP = f"""
DROP TRIGGER IF EXISTS accesslog_append_only ON {TABLE};
DROP FUNCTION IF EXISTS hamkke_accesslog_append_only();
"""

SQLITE_INSTALL = [
    f"""CREATE TRIGGER IF NOT EXISTS accesslog_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'access log is append-only (UPDATE refused)'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS accesslog_no_delete BEFORE DELETE ON {TABLE}
        WHEN OLD.at > datetime('now', '-{MIN_RETENTION}')
        BEGIN SELECT RAISE(ABORT, 'access log is append-only (DELETE refused)'); END""",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS accesslog_no_update", "DROP TRIGGER IF EXISTS accesslog_no_delete"]


def install(connection) -> None:
    execute_per_vendor(connection, postgresql=[POSTGRES_INSTALL], sqlite=SQLITE_INSTALL, what="append-only access log")


def drop(connection) -> None:
    execute_per_vendor(connection, postgresql=[POSTGRES_DROP], sqlite=SQLITE_DROP, what="append-only access log")
