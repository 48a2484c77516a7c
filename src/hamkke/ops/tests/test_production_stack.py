"""The production stack, started for real and driven over HTTP (issue 16 item 2).

gunicorn (deploy/gunicorn.conf.py), a Celery worker and Celery beat, with ``HAMKKE_ENV=production`` and
freshly generated keys, on a new PostgreSQL database and Redis as the broker. Requests carry what nginx
adds (X-Forwarded-Proto, X-Real-IP, X-Request-ID). The test logs in (a worker, and a district admin
through TOTP two-factor), registers a household, queues an import and waits for the worker to run it
(dry run, then the import), downloads an export, reads /healthz, /readyz and /metrics, and stops
everything it started.

Needs PostgreSQL (DATABASE_URL) and Redis on 127.0.0.1:6379: CI has both (.ci/run starts them and sets
HAMKKE_REQUIRE_STACK=1, which turns a skip into a failure). Elsewhere it is skipped with a message.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django_otp.oath import totp

from hamkke.imports.tests.helpers import HOUSEHOLD_HEADER, csv_bytes, household_row
from hamkke.ops import backup as backups
from hamkke.ops.tests import web

REDIS = ("127.0.0.1", 6379)
REDIS_DB = int(os.environ.get("HAMKKE_STACK_REDIS_DB", "13"))

SEED = """
import json
import django
django.setup()
from django_otp.plugins.otp_totp.models import TOTPDevice
from hamkke.testing.factories import build_world
world = build_world()
admin = world.district_admin.user
device = TOTPDevice.objects.create(user=admin, name="stack test", confirmed=True)
print(json.dumps({
    "worker": world.lead_worker.username,
    "admin": admin.username,
    "password": world.password,
    "totp_key": device.key,
    "dong": world.dong_a.pk,
    "case": str(world.case.uuid),
}))
"""


def _missing() -> str:
    if connection.vendor != "postgresql":
        return "needs PostgreSQL (DATABASE_URL=postgres://...)"
    try:
        with socket.create_connection(REDIS, timeout=1):
            pass
    except OSError:
        return "needs Redis on 127.0.0.1:6379"
    try:
        import celery  # noqa: F401

        import hamkke.celery  # noqa: F401
    except ImportError:
        return "needs Celery (hamkke.celery)"
    return ""


@pytest.fixture
def stack_requirements():
    missing = _missing()
    if missing:
        message = f"production-stack test skipped: it {missing}; CI runs it"
        if os.environ.get("HAMKKE_REQUIRE_STACK"):
            pytest.fail(message.replace("skipped", "cannot run") + " (HAMKKE_REQUIRE_STACK=1)")
        pytest.skip(message)


def redis_command(*words: str) -> bytes:
    """One Redis command over a socket (RESP): enough for FLUSHDB without a client library in the test."""
    with socket.create_connection(REDIS, timeout=5) as s:
        payload = f"*{len(words)}\r\n" + "".join(f"${len(w.encode())}\r\n{w}\r\n" for w in words)
        s.sendall(payload.encode())
        return s.recv(1024)


@pytest.fixture
def stack_database(stack_requirements):
    name = f"hamkke_stack_{os.getpid()}"
    kwargs = backups._connect_kwargs(connection.settings_dict, "postgres")
    drop = psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(psycopg.sql.Identifier(name))
    with psycopg.connect(**kwargs, autocommit=True) as conn:
        conn.execute(drop)
        conn.execute(
            psycopg.sql.SQL(
                "CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
            ).format(psycopg.sql.Identifier(name))
        )
    assert redis_command("SELECT", str(REDIS_DB)).startswith(b"+OK")
    yield name
    with psycopg.connect(**kwargs, autocommit=True) as conn:
        conn.execute(drop)


def flush_redis() -> None:
    with socket.create_connection(REDIS, timeout=5) as s:
        s.sendall(f"*2\r\n$6\r\nSELECT\r\n${len(str(REDIS_DB))}\r\n{REDIS_DB}\r\n*1\r\n$7\r\nFLUSHDB\r\n".encode())
        s.recv(1024)


def run(args: list[str], env: dict[str, str], log: Path, seconds: int = 300) -> str:
    result = subprocess.run(args, env=env, cwd=web.ROOT, capture_output=True, text=True, timeout=seconds)
    log.write_text(result.stdout + result.stderr)
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


def wait_for_job(database: str, seconds: float = 180) -> dict:
    """The newest import job once it is finished (the worker ran it)."""
    deadline = time.monotonic() + seconds
    query = "SELECT uuid, status, mode, created_count, problems FROM imports_importjob ORDER BY id DESC LIMIT 1"
    kwargs = backups._connect_kwargs(connection.settings_dict, database)
    while time.monotonic() < deadline:
        with psycopg.connect(**kwargs) as conn:
            row = conn.execute(query).fetchone()
        if row and row[1] in ("done", "failed"):
            return {"uuid": str(row[0]), "status": row[1], "mode": row[2], "created": row[3], "problems": row[4]}
        time.sleep(0.5)
    raise TimeoutError(f"no import job finished within {seconds} s (last: {row})")


def tail(path: Path, chars: int = 3000) -> str:
    return path.read_text(errors="replace")[-chars:] if path.exists() else "(no log)"


def test_production_stack_end_to_end(stack_database, tmp_path):
    flush_redis()
    metrics_token = secrets.token_urlsafe(24)
    port = web.free_port()
    env = web.app_env(
        HAMKKE_ENV="production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        HAMKKE_FIELD_ENCRYPTION_SALTS=secrets.token_urlsafe(30),
        HAMKKE_RRN_HASH_KEY=secrets.token_urlsafe(30),
        DATABASE_URL=backups.database_url(connection.settings_dict, stack_database),
        CELERY_BROKER_URL=f"redis://{REDIS[0]}:{REDIS[1]}/{REDIS_DB}",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        HAMKKE_BEHIND_HTTPS_PROXY="1",
        HAMKKE_TRUSTED_PROXIES="127.0.0.1",
        HAMKKE_METRICS_TOKEN=metrics_token,
        HAMKKE_LOG_LEVEL="INFO",
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "prometheus"),
        HAMKKE_BIND=f"127.0.0.1:{port}",
        HAMKKE_WEB_WORKERS="2",
    )
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    python = [sys.executable, "-m"]
    began = time.monotonic()
    run([*python, "django", "migrate", "--noinput"], env, tmp_path / "migrate.log")
    run([*python, "django", "collectstatic", "--noinput"], env, tmp_path / "collectstatic.log")
    seeded = json.loads(run([sys.executable, "-c", SEED], env, tmp_path / "seed.log").strip().splitlines()[-1])
    prepared = time.monotonic() - began

    web_log, worker_log, beat_log = tmp_path / "gunicorn.log", tmp_path / "worker.log", tmp_path / "beat.log"
    gunicorn = [*python, "gunicorn", "-c", str(web.ROOT / "deploy" / "gunicorn.conf.py"), "hamkke.wsgi"]
    worker = [*python, "celery", "-A", "hamkke", "worker", "--loglevel", "INFO", "--concurrency", "1"]
    beat = [*python, "celery", "-A", "hamkke", "beat", "--loglevel", "INFO", "--schedule", str(tmp_path / "beat")]
    base = f"http://127.0.0.1:{port}"
    with (
        web.started(gunicorn, env=env, log=web_log, name="web") as web_process,
        web.started(worker, env=env, log=worker_log, name="worker") as worker_process,
        web.started(beat, env=env, log=beat_log, name="beat") as beat_process,
    ):
        started = time.monotonic()
        web.wait_for(f"{base}/healthz", process=web_process)
        try:
            web.wait_for(f"{base}/readyz", process=web_process, seconds=30)
        except TimeoutError:
            raise AssertionError(web.Browser(base).get("/readyz").text) from None
        ready = time.monotonic() - started
        proxy = {"X-Forwarded-Proto": "https", "X-Real-IP": "198.51.100.20"}
        readyz = web.Browser(base, proxy).get("/readyz")
        assert readyz.status == 200 and set(json.loads(readyz.body).values()) == {"OK"}, readyz.text
        assert "Broker" in readyz.text

        # A case worker: log in, register a household
        worker_browser = web.SecureBrowser(base, proxy)
        assert worker_browser.get("/accounts/login/").status == 200
        login = worker_browser.post("/accounts/login/", {"username": seeded["worker"], "password": seeded["password"]})
        assert login.status == 302, tail(web_log)
        register = worker_browser.post(
            "/cases/new/",
            {
                "dong": str(seeded["dong"]),
                "address": "서울특별시 중구 스택로 1",
                "name": "스택당사자",
                "birth_date": "1960-02-03",
                "sex": "F",
                "referral_source": "",
                "urgency": "",
            },
        )
        assert register.status == 302 and "/cases/" in register.headers["Location"], register.text[-2000:]
        case_page = worker_browser.get(urllib.parse.urlparse(register.headers["Location"]).path)
        assert case_page.status == 200 and "스택당사자" in case_page.text

        # An import, queued to the Celery worker: the dry run, then the import itself
        rows = [household_row("STACK-1", "스택가져옴", "1950-05-06", dong="소공동", address="중구 스택길 2")]
        request_id = secrets.token_hex(16)
        upload = worker_browser.post_multipart(
            "/imports/upload/",
            {"kind": "households"},
            {"file": ("households.csv", csv_bytes(HOUSEHOLD_HEADER, rows))},
            form_page="/imports/",
            headers={"X-Request-ID": request_id},
        )
        assert upload.status == 302, upload.text[-2000:]
        dry_run = wait_for_job(stack_database)
        assert dry_run["status"] == "done" and dry_run["mode"] == "dry_run", dry_run
        confirm = worker_browser.post(
            f"/imports/{dry_run['uuid']}/confirm/", {}, form_page=f"/imports/{dry_run['uuid']}/"
        )
        assert confirm.status == 302, confirm.text[-2000:]
        imported = wait_for_job(stack_database)
        assert imported["mode"] == "import" and imported["status"] == "done" and imported["created"] >= 1, imported
        job_page = worker_browser.get(f"/imports/{imported['uuid']}/")
        assert job_page.status == 200

        # An export, downloaded
        export = worker_browser.post(
            "/imports/export/",
            {"entity": "households", "file_format": "csv", "reason": "분기 점검 자료 확인용"},
            form_page="/imports/",
        )
        if export.status == 302:  # exported in the background: follow the job to its download link
            export = follow_export(worker_browser, export, worker_log)
        assert export.status == 200 and "csv" in export.headers.get("Content-Type", ""), export.text[:500]
        exported = list(csv.reader(io.StringIO(export.body.decode("utf-8-sig"))))
        assert any("스택가져옴" in row for row in exported) and any("스택당사자" in row for row in exported)

        # A district admin: password, then the TOTP code (two-factor), then the access log
        admin_browser = web.SecureBrowser(base, proxy)
        login = admin_browser.post("/accounts/login/", {"username": seeded["admin"], "password": seeded["password"]})
        assert login.status == 302
        target = urllib.parse.urlparse(admin_browser.get("/").headers.get("Location", "")).path
        assert target.startswith("/accounts/2fa/"), target
        code = f"{totp(bytes.fromhex(seeded['totp_key'])):06d}"
        verified = admin_browser.post(target, {"token": code})
        assert verified.status == 302, verified.text[-1500:]
        assert admin_browser.get("/audit/").status == 200

        # The access log has the client's address (from the proxy) and the upload's request id
        with psycopg.connect(**backups._connect_kwargs(connection.settings_dict, stack_database)) as conn:
            ips = {row[0] for row in conn.execute("SELECT DISTINCT host(ip) FROM audit_accesslog WHERE ip IS NOT NULL")}
            upload_rows = conn.execute("SELECT count(*) FROM audit_accesslog WHERE request_id = %s", [request_id])
            assert ips == {"198.51.100.20"} and upload_rows.fetchone()[0] >= 1

        # Metrics for Prometheus: not without the token; with it, latency per view and the job queue
        assert web.Browser(base).get("/metrics").status == 403
        metrics = web.Browser(base, {"Authorization": f"Bearer {metrics_token}"}).get("/metrics")
        assert metrics.status == 200
        assert 'view="imports:upload"' in metrics.text and 'hamkke_import_jobs{status="done"}' in metrics.text

        # Beat is up and scheduling; every process is still alive
        deadline = time.monotonic() + 30
        while "beat: Starting" not in beat_log.read_text(errors="replace") and time.monotonic() < deadline:
            time.sleep(0.5)
        assert "beat: Starting" in beat_log.read_text(errors="replace"), tail(beat_log)
        for process, log in ((web_process, web_log), (worker_process, worker_log), (beat_process, beat_log)):
            assert process.poll() is None, tail(log)
        # JSON log lines with the request id, from the web server and from the job the upload queued
        assert request_id in web_log.read_text(errors="replace")
        job_lines = [line for line in worker_log.read_text(errors="replace").splitlines() if request_id in line]
        assert any('"request_id"' in line and "import job" in line for line in job_lines), tail(worker_log)
        print(
            f"\nproduction stack: prepared (migrate, collectstatic, seed) in {prepared:.0f} s, "
            f"ready {ready:.1f} s after start, flow done in {time.monotonic() - started:.0f} s"
        )
    for process in (web_process, worker_process, beat_process):
        assert process.poll() is not None  # stopped
    assert "Worker exiting" in web_log.read_text(errors="replace") or web_process.returncode == 0
    flush_redis()


def follow_export(browser: web.Browser, answer: web.Response, log: Path) -> web.Response:
    """A background export: the job page shows a download link once the worker has written the file."""
    page_path = urllib.parse.urlparse(answer.headers["Location"]).path
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        page = browser.get(page_path)
        link = re.search(r'href="([^"]+/download/[^"]*)"', page.text)
        if link:
            return browser.get(link.group(1).replace("&amp;", "&"))
        time.sleep(0.5)
    raise AssertionError(f"no download link on {page_path}\n{tail(log)}")
