"""Backup and restore of the PostgreSQL database (pg_dump / pg_restore), keys kept apart.

``backup`` writes two files: ``NAME.dump`` (pg_dump custom format: compressed, restorable table by
table and in parallel) and ``NAME.json``, the manifest: the row count of every table counted in the
very snapshot pg_dump reads (``pg_export_snapshot``, so the counts are exact on a live database),
the applied migrations, and fingerprints of the keys. The keys themselves (DJANGO_SECRET_KEY,
HAMKKE_FIELD_ENCRYPTION_SALTS, HAMKKE_RRN_HASH_KEY) are never in the dump or the manifest: they live
in the server's environment file and are backed up separately (README, "Backups"). A dump without
its keys restores, but its RRNs cannot be read or searched; that is the point of keeping them apart.

``restore`` loads a dump into a new, empty database (it refuses one with tables) and then runs the
verification against it in a separate process (``verify_restore``, with DATABASE_URL pointing at the
restored database): every table's row count as in the manifest, every migration applied, every
stored RRN decrypts with the configured keys and hashes to its stored lookup hash, and the access
log's append-only trigger still refuses UPDATE and DELETE.

pg_dump and pg_restore are the PostgreSQL client programs (Debian: postgresql-client), called rather
than re-implemented; their major version must be at least the server's.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from psycopg import sql

from hamkke.core import rrn as rrn_rules
from hamkke.people.models import Person

MANIFEST_VERSION = 1


class BackupError(Exception):
    """A backup or restore step failed; the message says which and what to do."""


def _require_postgresql(settings_dict: dict) -> None:
    if settings_dict["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError(
            "backup/restore work on PostgreSQL only (SQLite: copy var/hamkke.sqlite3 while the server is stopped)"
        )


def libpq_env(settings_dict: dict) -> dict[str, str]:
    """The environment that points pg_dump/pg_restore/psql at a Django database (no password on a command line)."""
    env = dict(os.environ)
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    env["PGDATABASE"] = settings_dict["NAME"]
    return env


def key_fingerprints() -> dict[str, str]:
    """One-way fingerprints of the configured keys, to tell at restore time whether they are the same keys."""

    def fingerprint(secret: str) -> str:
        return hmac.new(secret.encode(), b"hamkke backup key check", hashlib.sha256).hexdigest()[:16]

    return {
        "secret_key": fingerprint(settings.SECRET_KEY),
        "field_salts": [fingerprint(settings.SECRET_KEY + salt) for salt in settings.SALT_KEY],
        "rrn_hash_key": fingerprint(settings.RRN_HASH_KEY),
    }


def _tables(cursor) -> list[str]:
    """Every ordinary and partitioned table of the public schema (partitions counted through their parent)."""
    cursor.execute(
        """
        SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        ORDER BY c.relname
        """
    )
    return [row[0] for row in cursor.fetchall()]


def _row_counts(cursor) -> dict[str, int]:
    counts = {}
    for table in _tables(cursor):
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        counts[table] = cursor.fetchone()[0]
    return counts


@dataclass
class BackupResult:
    dump: Path
    manifest: Path
    seconds: float
    size_bytes: int
    tables: int
    rows: int


def backup(*, output_dir: Path, name: str = "") -> BackupResult:
    """pg_dump of the default database into ``output_dir`` (mode 0600 files), with its manifest."""
    settings_dict = connection.settings_dict
    _require_postgresql(settings_dict)
    output_dir.mkdir(parents=True, exist_ok=True)
    name = name or f"hamkke-{settings_dict['NAME']}-{timezone.now():%Y%m%d-%H%M%S}"
    dump, manifest = output_dir / f"{name}.dump", output_dir / f"{name}.json"
    started = time.monotonic()
    # One transaction exports its snapshot: pg_dump reads exactly what is counted here.
    with psycopg.connect(**_connect_kwargs(settings_dict), autocommit=False) as conn, conn.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = _row_counts(cursor)
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        migrations = [f"{app}.{migration}" for app, migration in cursor.fetchall()]
        old_umask = os.umask(0o077)  # the dump holds personal data: readable by its owner only
        try:
            result = subprocess.run(
                ["pg_dump", "--format=custom", f"--snapshot={snapshot}", "--no-owner", "--file", str(dump)],
                env=libpq_env(settings_dict),
                capture_output=True,
                text=True,
            )
        finally:
            os.umask(old_umask)
        conn.rollback()
    if result.returncode != 0:
        dump.unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    data = {
        "version": MANIFEST_VERSION,
        "created_at": timezone.now().isoformat(),
        "database": settings_dict["NAME"],
        "row_counts": counts,
        "migrations": migrations,
        "keys": key_fingerprints(),
    }
    manifest.write_text(json.dumps(data, indent=1, sort_keys=True))
    manifest.chmod(0o600)
    return BackupResult(
        dump=dump,
        manifest=manifest,
        seconds=time.monotonic() - started,
        size_bytes=dump.stat().st_size,
        tables=len(counts),
        rows=sum(counts.values()),
    )


def _connect_kwargs(settings_dict: dict, dbname: str | None = None) -> dict:
    kwargs = {"dbname": dbname or settings_dict["NAME"]}
    for key, name in (("HOST", "host"), ("PORT", "port"), ("USER", "user"), ("PASSWORD", "password")):
        if settings_dict.get(key):
            kwargs[name] = settings_dict[key]
    return kwargs


def database_url(settings_dict: dict, dbname: str) -> str:
    """A postgres:// URL for DATABASE_URL naming another database on the same server."""
    user = settings_dict.get("USER") or ""
    password = settings_dict.get("PASSWORD") or ""
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "localhost"
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{dbname}"


@dataclass
class RestoreResult:
    database: str
    restore_seconds: float
    verify_seconds: float
    report: str


def restore(*, dump: Path, manifest: Path | None, target: str, create: bool = False, jobs: int = 2) -> RestoreResult:
    """pg_restore ``dump`` into the database ``target`` (same server as the default one), then verify it.

    The target must be new or empty: a restore never writes over tables that exist.
    """
    settings_dict = dict(connection.settings_dict)
    _require_postgresql(settings_dict)
    if not re.fullmatch(r"[A-Za-z0-9_]+", target):
        raise BackupError(f"database name {target!r}: letters, digits and _ only")
    if not dump.is_file():
        raise BackupError(f"no dump at {dump}")
    manifest = manifest or dump.with_suffix(".json")
    if not manifest.is_file():
        raise BackupError(f"no manifest at {manifest} (written by manage.py backup beside the dump)")
    if create:
        with psycopg.connect(**_connect_kwargs(settings_dict, "postgres"), autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [target]).fetchone()
            if not exists:
                # UTF-8 ctype: pg_trgm ignores Hangul under C (README, Configuration).
                conn.execute(
                    sql.SQL(
                        "CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
                    ).format(sql.Identifier(target))
                )
    try:
        with psycopg.connect(**_connect_kwargs(settings_dict, target)) as conn, conn.cursor() as cursor:
            if _tables(cursor):
                raise BackupError(f"database {target} is not empty: restore only into a new database")
    except psycopg.OperationalError as error:
        raise BackupError(f"cannot connect to database {target} (create it, or pass --create): {error}") from None
    started = time.monotonic()
    result = subprocess.run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            f"--jobs={jobs}",
            "--dbname",
            target,
            str(dump),
        ],
        env=libpq_env({**settings_dict, "NAME": target}),
        capture_output=True,
        text=True,
    )
    restore_seconds = time.monotonic() - started
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    started = time.monotonic()
    verification = subprocess.run(
        [sys.executable, "-m", "django", "verify_restore", "--manifest", str(manifest)],
        env={
            **os.environ,
            "DATABASE_URL": database_url(settings_dict, target),
            "DJANGO_SETTINGS_MODULE": "hamkke.settings",
            "PYTHONPATH": os.pathsep.join(
                filter(None, [str(settings.PACKAGE_DIR.parent), os.environ.get("PYTHONPATH")])
            ),
        },
        capture_output=True,
        text=True,
    )
    verify_seconds = time.monotonic() - started
    if verification.returncode != 0:
        raise BackupError(
            f"the restored database {target} failed verification:\n{verification.stdout}{verification.stderr}"
        )
    return RestoreResult(target, restore_seconds, verify_seconds, verification.stdout)


# --- verification (run with the restored database as the default one) --------------------------------------


@dataclass
class Verification:
    problems: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(*, manifest: dict) -> Verification:
    """Check the default database against a backup manifest: counts, migrations, keys, append-only log."""
    report = Verification()
    with connection.cursor() as cursor:
        counts = _row_counts(cursor)
    expected = manifest["row_counts"]
    for table in sorted(set(expected) | set(counts)):
        if expected.get(table) != counts.get(table):
            report.problems.append(
                f"table {table}: {counts.get(table, 'missing')} rows, backup had {expected.get(table, 'none')}"
            )
    report.lines.append(
        f"{len(counts)} tables, {sum(counts.values())} rows: as in the backup" if report.ok else "row counts differ"
    )
    applied = {f"{app}.{name}" for app, name in MigrationRecorder(connection).migration_qs.values_list("app", "name")}
    if applied != set(manifest["migrations"]):
        report.problems.append("the applied migrations differ from the backup's")
    if manifest.get("keys") != key_fingerprints():
        report.problems.append(
            "the configured keys are not the ones of the backup (DJANGO_SECRET_KEY, HAMKKE_FIELD_ENCRYPTION_SALTS, "
            "HAMKKE_RRN_HASH_KEY): restore them from the key backup"
        )
    readable = unreadable = 0
    for value, stored_hash in (
        Person.objects.filter(rrn_encrypted__isnull=False).values_list("rrn_encrypted", "rrn_hash").iterator()
    ):
        digits = rrn_rules.normalize(value or "")
        if re.fullmatch(r"\d{13}", digits) and rrn_rules.rrn_hash(digits) == stored_hash:
            readable += 1
        else:
            unreadable += 1
    if unreadable:
        report.problems.append(
            f"{unreadable} of {readable + unreadable} stored RRNs do not decrypt to their lookup hash"
        )
    report.lines.append(f"RRNs: {readable} decrypt with the configured keys and match their lookup hash")
    for statement in ("UPDATE audit_accesslog SET detail = detail", "DELETE FROM audit_accesslog"):
        if not _refused(statement):
            report.problems.append(f"the access log accepted '{statement}': its append-only trigger is missing")
    report.lines.append("access log: UPDATE and DELETE refused (append-only trigger in force)")
    return report


def _refused(statement: str) -> bool:
    """Run ``statement`` on a fresh access-log row inside a transaction that is always rolled back."""
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO audit_accesslog"
                    " (at, action, username, object_type, object_id, person_ids, path, detail)"
                    " VALUES (%s, 'view', '', 'restore-check', '', '[]', '', '')",
                    [datetime.datetime.now(datetime.UTC)],
                )
                cursor.execute(statement)
            transaction.set_rollback(True)
    except DatabaseError:
        return True
    return False
