"""Backup round trip (issue 16 item 4), PostgreSQL only: dump seeded data, restore it into a new database,
then check every table's row count, that the RRNs decrypt, that the access log is still append-only, and that
the application serves from the restored database (a real gunicorn, over HTTP). Times are printed."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
import time

import psycopg
import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from hamkke.bench.generator import generate_synthetic
from hamkke.ops import backup as backups
from hamkke.ops.tests import web
from hamkke.testing.factories import build_world

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("backup and restore use pg_dump/pg_restore: PostgreSQL only (CI runs this on PostgreSQL)")


@pytest.fixture
def restored_name(postgresql):
    name = f"{connection.settings_dict['NAME']}_restored"[:63]
    kwargs = backups._connect_kwargs(connection.settings_dict, "postgres")
    drop = psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(psycopg.sql.Identifier(name))
    with psycopg.connect(**kwargs, autocommit=True) as conn:
        conn.execute(drop)
    yield name
    with psycopg.connect(**kwargs, autocommit=True) as conn:
        conn.execute(drop)


def counts(dbname: str) -> dict[str, int]:
    with psycopg.connect(**backups._connect_kwargs(connection.settings_dict, dbname)) as conn, conn.cursor() as cursor:
        return backups._row_counts(cursor)


def test_backup_restores_into_a_new_database_that_serves(restored_name, tmp_path):
    world = build_world()
    generate_synthetic(factor=0.001, seed=5, today=datetime.date.today())
    # The server started below uses Django's default hashers (the test run's fast MD5 one is not among them).
    user = world.lead_worker.user
    user.password = PBKDF2PasswordHasher().encode(world.password, "restoretest", iterations=1000)
    user.save(update_fields=["password"])

    result = backups.backup(output_dir=tmp_path)
    manifest = json.loads(result.manifest.read_text())
    assert result.dump.stat().st_mode & 0o077 == 0, "the dump holds personal data: owner-only"
    assert "DEMO-ONLY" not in result.manifest.read_text()  # keys stay out of the backup
    assert manifest["row_counts"]["people_person"] > 100 and manifest["row_counts"]["audit_accesslog"] > 0

    restored = backups.restore(dump=result.dump, manifest=None, target=restored_name, create=True)
    print(
        f"\nbackup: {result.rows} rows in {result.tables} tables, {result.size_bytes / 1e6:.1f} MB, "
        f"dump {result.seconds:.1f} s; pg_restore {restored.restore_seconds:.1f} s, "
        f"verification {restored.verify_seconds:.1f} s"
    )
    assert "RRNs: " in restored.report and "append-only trigger in force" in restored.report

    # every table, counted again from outside the application
    assert counts(restored_name) == counts(connection.settings_dict["NAME"]) == manifest["row_counts"]
    # the append-only trigger, tried directly
    kwargs = backups._connect_kwargs(connection.settings_dict, restored_name)
    for statement in ("UPDATE audit_accesslog SET detail = 'x'", "DELETE FROM audit_accesslog"):
        with psycopg.connect(**kwargs) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(statement)

    # the application serves from the restored database: ready, log-in, a case with its person
    port = web.free_port()
    env = web.app_env(DATABASE_URL=backups.database_url(connection.settings_dict, restored_name), HAMKKE_ENV="demo")
    with web.started(
        web.gunicorn_args(port, "--workers", "1"), env=env, log=tmp_path / "gunicorn.log", name="web"
    ) as p:
        started = time.monotonic()
        web.wait_for(f"http://127.0.0.1:{port}/readyz", process=p)
        browser = web.Browser(f"http://127.0.0.1:{port}")
        login = browser.post("/accounts/login/", {"username": user.username, "password": world.password})
        assert login.status == 302, (tmp_path / "gunicorn.log").read_text()[-2000:]
        page = browser.get(f"/cases/{world.case.uuid}/")
        assert page.status == 200 and world.head.name in page.text
        person = browser.get(f"/persons/{world.head.uuid}/")
        assert person.status == 200 and world.head.rrn_masked in person.text  # masked from the decrypted number
        print(f"restored database served in {time.monotonic() - started:.1f} s after gunicorn started")


def test_verification_fails_on_a_missing_row_and_on_other_keys(restored_name, tmp_path):
    build_world()
    result = backups.backup(output_dir=tmp_path)
    backups.restore(dump=result.dump, manifest=None, target=restored_name, create=True)
    manifest = json.loads(result.manifest.read_text())
    manifest["row_counts"]["people_person"] += 1  # as if a row had been lost
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(manifest))
    env = web.app_env(DATABASE_URL=backups.database_url(connection.settings_dict, restored_name))
    verify = [sys.executable, "-m", "django", "verify_restore", "--manifest"]
    lost = subprocess.run([*verify, str(tampered)], env=env, capture_output=True, text=True)
    assert lost.returncode != 0 and "table people_person" in lost.stderr
    other_keys = subprocess.run(
        [*verify, str(result.manifest)],
        env={**env, "HAMKKE_FIELD_ENCRYPTION_SALTS": "another-salt"},
        capture_output=True,
        text=True,
    )
    assert other_keys.returncode != 0
    assert "keys are not the ones of the backup" in other_keys.stderr
    assert "stored RRNs do not decrypt" in other_keys.stderr


def test_restore_refuses_a_database_with_tables(postgresql, tmp_path):
    result = backups.backup(output_dir=tmp_path)
    with pytest.raises(backups.BackupError, match="not empty"):
        backups.restore(dump=result.dump, manifest=None, target=connection.settings_dict["NAME"])


def test_backup_on_sqlite_says_what_to_do_instead(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's message")
    with pytest.raises(backups.BackupError, match="PostgreSQL only"):
        backups.backup(output_dir=tmp_path)
