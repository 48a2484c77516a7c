"""Behind PgBouncer in transaction mode (issue 16 item 7), with Debian's pgbouncer: gunicorn with two workers
shares ONE server connection (default_pool_size = 1), so any state kept on a connection between
transactions (server-side cursors, prepared statements, session settings) would break a request.
The app logs in, opens a case, searches a person, writes (a household registered) and exports.

PostgreSQL and the pgbouncer program needed (CI installs it); skipped with a message elsewhere."""

from __future__ import annotations

import json
import os
import shutil
import socket
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from hamkke.ops import backup as backups
from hamkke.ops.tests import web
from hamkke.ops.tests.test_production_stack import SEED, run

PGBOUNCER = shutil.which("pgbouncer") or ("/usr/sbin/pgbouncer" if os.path.exists("/usr/sbin/pgbouncer") else None)


@pytest.fixture
def bouncer_database():
    if connection.vendor != "postgresql" or not PGBOUNCER:
        message = (
            "PgBouncer test skipped: needs PostgreSQL and Debian's pgbouncer (apt-get install pgbouncer); CI runs it"
        )
        if os.environ.get("HAMKKE_REQUIRE_STACK") and connection.vendor == "postgresql":
            pytest.fail(message)
        pytest.skip(message)
    name = f"hamkke_bouncer_{os.getpid()}"
    kwargs = backups._connect_kwargs(connection.settings_dict, "postgres")
    drop = psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(psycopg.sql.Identifier(name))
    with psycopg.connect(**kwargs, autocommit=True) as conn:
        conn.execute(drop)
        conn.execute(
            psycopg.sql.SQL(
                "CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
            ).format(psycopg.sql.Identifier(name))
        )
        conn.execute(psycopg.sql.SQL("ALTER DATABASE {} SET jit = off").format(psycopg.sql.Identifier(name)))
    yield name
    with psycopg.connect(**kwargs, autocommit=True) as conn:
        conn.execute(drop)


def test_the_app_works_through_pgbouncer_in_transaction_mode(bouncer_database, tmp_path):
    settings_dict = connection.settings_dict
    # pgbouncer refuses to run as root: as root it is started with -u postgres, which cannot enter pytest's
    # private tmp_path; its files go to a folder of their own under /tmp.
    folder = Path(tempfile.mkdtemp(prefix="hamkke-pgbouncer-"))
    folder.chmod(0o777)
    port = web.free_port()
    user = settings_dict.get("USER") or "postgres"
    (folder / "userlist.txt").write_text(f'"{user}" "{settings_dict.get("PASSWORD") or ""}"\n')
    (folder / "pgbouncer.ini").write_text(
        f"""[databases]
{bouncer_database} = host={settings_dict.get("HOST") or "127.0.0.1"} port={settings_dict.get("PORT") or 5432}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {folder / "userlist.txt"}
pool_mode = transaction
default_pool_size = 1
max_client_conn = 50
server_reset_query =
ignore_startup_parameters = extra_float_digits
logfile = {folder / "pgbouncer.log"}
pidfile = {folder / "pgbouncer.pid"}
"""
    )
    for item in folder.iterdir():
        item.chmod(0o666)
    bouncer = [PGBOUNCER, *(["-u", "postgres"] if os.geteuid() == 0 else []), str(folder / "pgbouncer.ini")]
    direct = backups.database_url(settings_dict, bouncer_database)
    pooled = direct.replace(f":{settings_dict.get('PORT') or 5432}/", f":{port}/")
    if f":{port}/" not in pooled:  # no port in the URL: add it
        pooled = direct.replace(f"{settings_dict.get('HOST') or 'localhost'}/", f"127.0.0.1:{port}/")
    env = web.app_env(DATABASE_URL=direct, HAMKKE_ENV="demo")
    env.pop("CELERY_BROKER_URL", None)
    run([sys.executable, "-m", "django", "migrate", "--noinput"], env, tmp_path / "migrate.log")
    pooled_env = {**env, "DATABASE_URL": pooled, "HAMKKE_DB_POOLER": "pgbouncer-transaction"}
    web_port = web.free_port()
    with web.started(bouncer, env=env, log=tmp_path / "pgbouncer.out", name="pgbouncer") as bouncer_process:
        wait_for_port(port, bouncer_process, tmp_path / "pgbouncer.out")
        seeded = json.loads(
            run([sys.executable, "-c", SEED], pooled_env, tmp_path / "seed.log").strip().splitlines()[-1]
        )
        args = web.gunicorn_args(web_port, "--workers", "2")
        with web.started(args, env=pooled_env, log=tmp_path / "gunicorn.log", name="web") as web_process:
            web.wait_for(f"http://127.0.0.1:{web_port}/readyz", process=web_process)
            browsers = [web.Browser(f"http://127.0.0.1:{web_port}") for _ in range(2)]
            for browser in browsers:
                login = browser.post("/accounts/login/", {"username": seeded["worker"], "password": seeded["password"]})
                assert login.status == 302, (tmp_path / "gunicorn.log").read_text()[-2000:]
            for _round in range(3):  # the two sessions interleave over the one server connection
                for browser in browsers:
                    assert browser.get(f"/cases/{seeded['case']}/").status == 200
                    assert browser.post("/persons/search/", {"q": "홍길순"}).status == 200
                    assert browser.get("/cases/").status == 200
            register = browsers[0].post(
                "/cases/new/",
                {
                    "dong": str(seeded["dong"]),
                    "address": "중구 풀러로 3",
                    "name": "풀러당사자",
                    "birth_date": "1970-01-02",
                    "sex": "M",
                },
            )
            assert register.status == 302, register.text[-1500:]
            export = browsers[1].post(
                "/imports/export/",
                {"entity": "households", "file_format": "csv", "reason": "분기 점검 자료"},
                form_page="/imports/",
            )
            assert export.status == 200 and "풀러당사자" in export.body.decode("utf-8-sig")
            assert bouncer_process.poll() is None
            log = (tmp_path / "gunicorn.log").read_text(errors="replace")
            assert "Traceback" not in log, log[-3000:]
    shutil.rmtree(folder, ignore_errors=True)


def wait_for_port(port: int, process, log: Path, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"pgbouncer exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"pgbouncer did not listen on {port}")
