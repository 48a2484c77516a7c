"""/healthz, /readyz, /metrics: what a load balancer and Prometheus see (hamkke.ops)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings

from hamkke.imports.models import ImportJob
from hamkke.ops import health

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_a_log_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_reports_each_check(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    checks = response.json()
    assert set(checks.values()) == {"OK"}
    names = " ".join(checks)
    for check in ("Database", "Migrations", "DiskSpace"):
        assert check in names


def test_readyz_is_503_when_the_disk_is_nearly_full(client):
    with override_settings(HAMKKE_READY_MIN_FREE_MB=10**12):  # a petabyte free: no disk has that
        response = client.get("/readyz")
    assert response.status_code == 503
    failed = {name: state for name, state in response.json().items() if state != "OK"}
    assert list(failed) == [next(name for name in failed if name.startswith("DiskSpace"))]
    assert "MB free" in next(iter(failed.values()))


def test_readyz_is_503_while_a_migration_is_not_applied(client, monkeypatch):
    monkeypatch.setattr(health, "_migrated", set())  # this process has not seen the database migrated yet
    recorder = MigrationRecorder(connection)
    last = recorder.migration_qs.filter(app="audit").order_by("-name").first()
    last.delete()  # as if the release's `migrate` step had not run (rolled back with the test)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert any("1 migrations not applied" in state for state in response.json().values()), response.content


def test_readyz_in_plain_http_is_not_redirected_in_production(client):
    with override_settings(SECURE_SSL_REDIRECT=True):
        assert client.get("/readyz").status_code == 200
        assert client.get("/healthz").status_code == 200
        assert client.get("/accounts/login/").status_code == 301  # everything else goes to HTTPS


@pytest.mark.parametrize("header", [None, "Bearer wrong-token", "secret-metrics-token", "Basic secret-metrics-token"])
def test_metrics_need_the_token(client, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    with override_settings(HAMKKE_METRICS_TOKEN="secret-metrics-token"):
        response = client.get("/metrics", **extra)
    assert response.status_code == 403
    assert b"django_http" not in response.content


def test_metrics_are_off_without_a_configured_token(client):
    with override_settings(HAMKKE_METRICS_TOKEN=""):
        assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 403


def test_metrics_show_latency_per_view_and_the_job_queue(world, client):
    ImportJob.objects.create(
        district=world.district_a,
        kind=ImportJob.Kind.HOUSEHOLDS,
        mode=ImportJob.Mode.DRY_RUN,
        user=world.lead_worker.user,
        membership=world.lead_worker.membership,
        filename="households.csv",
        file_format="csv",
        content=b"",
    )
    world.lead_worker.login(client)
    client.get("/cases/")
    with override_settings(HAMKKE_METRICS_TOKEN="secret-metrics-token"):
        response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer secret-metrics-token")
    assert response.status_code == 200
    body = response.content.decode()
    latency = [
        line
        for line in body.splitlines()
        if line.startswith("django_http_requests_latency_seconds_by_view_method_count")
        and 'view="cases:caseload"' in line
    ]
    assert latency and float(latency[0].rsplit(" ", 1)[1]) >= 1
    assert 'hamkke_import_jobs{status="queued"} 1.0' in body
    assert 'hamkke_import_jobs{status="failed"} 0.0' in body
    assert "/cases/" not in body  # views are labelled by URL name, never by path


def test_request_id_is_in_the_response_and_the_access_log_row(world, client):
    from hamkke.audit.models import AccessLog, Action

    response = client.post("/accounts/login/", {"username": world.lead_worker.username, "password": world.password})
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    row = AccessLog.objects.filter(action=Action.LOGIN).latest("pk")
    assert row.request_id == request_id
    # nginx's $request_id (32 hex digits) is kept; anything that is not a UUID is replaced
    given = "0123456789abcdef0123456789abcdef"
    assert client.get("/healthz", HTTP_X_REQUEST_ID=given)["X-Request-ID"] == given
    forged = client.get("/healthz", HTTP_X_REQUEST_ID='x" injected=1')["X-Request-ID"]
    assert forged != 'x" injected=1' and len(forged) == 32


def test_a_slow_request_logs_one_line_with_the_view_and_the_request_id(world, client, caplog):
    world.lead_worker.login(client)
    with override_settings(HAMKKE_SLOW_REQUEST_MS=0), caplog.at_level("INFO", logger="hamkke.request"):
        response = client.get("/cases/")
    slow = [record for record in caplog.records if record.getMessage() == "slow request"]
    assert len(slow) == 1
    assert slow[0].view == "cases:caseload" and slow[0].status == 200 and slow[0].duration_ms >= 0
    assert slow[0].user_id == world.lead_worker.user.pk
    assert response["X-Request-ID"]
    with override_settings(HAMKKE_SLOW_REQUEST_MS=60_000), caplog.at_level("INFO", logger="hamkke.request"):
        caplog.clear()
        client.get("/cases/")
    assert [record.getMessage() for record in caplog.records if record.name == "hamkke.request"] == ["request"]


def test_the_access_log_records_the_client_behind_a_trusted_proxy_only(world, client):
    from hamkke.audit.models import AccessLog, Action

    login = {"username": world.lead_worker.username, "password": world.password}
    client.post("/accounts/login/", login, HTTP_X_REAL_IP="203.0.113.7")  # not from a trusted proxy: ignored
    assert AccessLog.objects.filter(action=Action.LOGIN).latest("pk").ip == "127.0.0.1"
    with override_settings(HAMKKE_TRUSTED_PROXIES=["127.0.0.1"]):
        client.logout()
        client.post("/accounts/login/", login, HTTP_X_REAL_IP="203.0.113.7")
        assert AccessLog.objects.filter(action=Action.LOGIN).latest("pk").ip == "203.0.113.7"
        client.logout()
        client.post("/accounts/login/", login, HTTP_X_REAL_IP="not-an-address")
        assert AccessLog.objects.filter(action=Action.LOGIN).latest("pk").ip == "127.0.0.1"


def test_a_task_carries_the_request_id_and_an_in_process_run_keeps_it():
    from celery import shared_task
    from django_guid import clear_guid, get_guid, set_guid

    from hamkke.ops import signals

    @shared_task(name="hamkke.ops.tests.current_request_id")
    def current_request_id():
        return get_guid()

    set_guid("0123456789abcdef0123456789abcdef")
    try:
        headers: dict = {}
        signals.carry_request_id(headers=headers)
        assert headers == {"X-Request-ID": "0123456789abcdef0123456789abcdef"}
        assert current_request_id.apply().get() == "0123456789abcdef0123456789abcdef"  # eager: same id
        assert get_guid() == "0123456789abcdef0123456789abcdef"  # and the request keeps it afterwards
    finally:
        clear_guid()


def test_readyz_checks_the_broker(client, monkeypatch):
    from hamkke.celery import app as celery_app

    assert "Broker" in " ".join(client.get("/readyz").json())
    monkeypatch.setitem(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")  # nothing listens on port 1
    response = client.get("/readyz")
    assert response.status_code == 503
    assert any("broker not reachable" in state for state in response.json().values()), response.content
