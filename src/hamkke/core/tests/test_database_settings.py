"""The demo's SQLite under concurrent writers, and production's refusals (issue 11, finding 5).

A page that reads and then writes in one transaction (a form's service call, the session, the access
log) while another process holds the write lock (the import worker) used to fail at once with
"database is locked": a deferred transaction cannot take the write lock once it has read. With
IMMEDIATE transactions, WAL and a busy timeout it waits for the other writer and succeeds.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
from django.conf import settings
from django.db import connection, connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper

from hamkke.ops.tests import web

HOLD_SECONDS = 1.5


@pytest.fixture
def demo_sqlite(tmp_path, django_db_blocker):
    """A Django connection, configured like the demo's, to a SQLite file (the test database is in memory)."""
    if connection.vendor != "sqlite":
        pytest.skip("the demo's SQLite settings")
    path = tmp_path / "demo.sqlite3"
    with sqlite3.connect(path) as setup:
        setup.execute("CREATE TABLE page (id INTEGER PRIMARY KEY, hits INTEGER)")
        setup.execute("INSERT INTO page VALUES (1, 0)")
    wrapper = DatabaseWrapper({**settings.DATABASES["default"], "NAME": str(path), "TEST": {}}, alias="demo_file")
    connections["demo_file"] = wrapper
    with django_db_blocker.unblock():  # not the test database: a file of this test's own
        wrapper.ensure_connection()  # as `migrate` does first in the demo: the file is switched to WAL
        yield path, wrapper
        wrapper.close()
    del connections["demo_file"]


def test_demo_sqlite_runs_in_wal_mode_with_a_busy_timeout(demo_sqlite):
    _path, wrapper = demo_sqlite
    with wrapper.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 20_000


def test_a_read_then_write_waits_for_the_other_writer_instead_of_failing(demo_sqlite):
    path, _wrapper = demo_sqlite
    holding, release = threading.Event(), threading.Event()

    def import_worker():  # another process's long write transaction, as the import's
        other = sqlite3.connect(path, timeout=30, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO page VALUES (2, 0)")
        holding.set()
        release.wait(10)
        time.sleep(HOLD_SECONDS)
        other.execute("COMMIT")
        other.close()

    thread = threading.Thread(target=import_worker)
    thread.start()
    assert holding.wait(10)
    started = time.monotonic()
    try:
        with transaction.atomic(using="demo_file"), connections["demo_file"].cursor() as cursor:
            release.set()
            cursor.execute("SELECT hits FROM page WHERE id = 1")  # the page reads...
            hits = cursor.fetchone()[0]
            cursor.execute("UPDATE page SET hits = %s WHERE id = 1", [hits + 1])  # ...then writes
    finally:
        release.set()
        thread.join()
    waited = time.monotonic() - started
    with sqlite3.connect(path) as check:
        assert check.execute("SELECT COUNT(*), SUM(hits) FROM page").fetchone() == (2, 1)
    assert HOLD_SECONDS * 0.5 < waited < 15  # it waited for the other writer, then went on


def _django_setup(**env: str) -> subprocess.CompletedProcess:
    production = web.app_env(
        HAMKKE_ENV="production",
        DJANGO_SECRET_KEY="test-not-demo-secret-key-0123456789-0123456789",
        HAMKKE_FIELD_ENCRYPTION_SALTS="test-not-demo-salt",
        HAMKKE_RRN_HASH_KEY="test-not-demo-rrn-key",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/hamkke",
    )
    production.update(env)
    code = "import django; django.setup(); print('started')"
    return subprocess.run([sys.executable, "-c", code], env=production, capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(os.name != "posix", reason="subprocess environment")
def test_production_refuses_sqlite_and_a_missing_broker_with_a_clear_message():
    assert _django_setup().stdout.strip() == "started"  # the production settings themselves start
    sqlite = _django_setup(DATABASE_URL="sqlite:////tmp/hamkke-production.sqlite3")
    assert sqlite.returncode != 0 and "HAMKKE_ENV=production refuses SQLite" in sqlite.stderr
    assert "운영 환경에서는 SQLite를 쓸 수 없습니다" in sqlite.stderr
    no_broker = _django_setup(CELERY_BROKER_URL="")
    assert no_broker.returncode != 0 and "needs CELERY_BROKER_URL" in no_broker.stderr
