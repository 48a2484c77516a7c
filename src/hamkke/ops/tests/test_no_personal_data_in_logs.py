"""No personal data in any log line (issue 16 item 3): the log output of representative flows, formatted
exactly as in production (JSON, request id), at DEBUG level, must not contain a name, an RRN or an address.

The flows: a failed and a successful log-in, opening a case, a household and a person, searching a person by
name and by birth date, another district's worker opening the case by URL (404), an import of a file full of
names and RRNs (dry run and import, plus a file with errors), and an export.
"""

from __future__ import annotations

import io
import json
import logging
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django_guid.log_filters import CorrelationId

from hamkke.imports.models import ImportJob
from hamkke.imports.services import import_job_run
from hamkke.imports.tests.helpers import HOUSEHOLD_HEADER, csv_bytes, household_row
from hamkke.ops.logs import JsonFormatter, RedactQueryString
from hamkke.testing import make_rrn

pytestmark = pytest.mark.django_db

IMPORTED_RRN = make_rrn(__import__("datetime").date(1951, 3, 9), "F", serial="34567")
IMPORTED = [
    household_row("LOG-1", "로그금지", "1951-03-09", rrn=IMPORTED_RRN, address="중구 비밀로 77"),
    household_row("LOG-1", "로그배우자", "1950-01-02", relation="배우자", address="중구 비밀로 77"),
]
BROKEN = [household_row("LOG-2", "오류당사자", "1951-13-45", rrn="901301-1234567", address="중구 오류길 5")]


@pytest.fixture
def log_output():
    """Root handler formatted and filtered as settings.LOGGING's console handler, everything at DEBUG."""
    conf = settings.LOGGING["formatters"]["json"]
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter(fmt=conf["fmt"], datefmt=conf["datefmt"], rename_fields=conf["rename_fields"]))
    handler.addFilter(CorrelationId(correlation_id_field="request_id"))
    handler.addFilter(RedactQueryString())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def run_jobs():
    for job in ImportJob.objects.filter(status=ImportJob.Status.QUEUED).order_by("pk"):
        import_job_run(job=job)


def test_representative_flows_log_no_personal_data(world, client, log_output):
    from hamkke.testing.factories import CASE_ADDRESS, HEAD_PHONE

    worker = world.lead_worker
    # log-in: a wrong password first (axes logs the failure), then the right one
    client.post("/accounts/login/", {"username": worker.username, "password": "wrong-password-123"})
    client.post("/accounts/login/", {"username": worker.username, "password": world.password})
    # a case, its household and person
    assert client.get(f"/cases/{world.case.uuid}/").status_code == 200
    assert client.get(f"/households/{world.household.uuid}/").status_code == 200
    assert client.get(f"/persons/{world.head.uuid}/").status_code == 200
    # person search by name, by birth date
    assert client.post("/persons/search/", {"q": world.head.name}).status_code == 200
    assert client.post("/persons/search/", {"q": world.head.birth_date.isoformat()}).status_code == 200
    # an import full of names, RRNs and addresses; and a broken one
    upload = {"kind": "households", "file": SimpleUploadedFile("households.csv", csv_bytes(HOUSEHOLD_HEADER, IMPORTED))}
    assert client.post("/imports/upload/", upload).status_code in (200, 302)
    run_jobs()
    dry_run = ImportJob.objects.latest("pk")
    assert dry_run.status == ImportJob.Status.DONE, dry_run.problems
    client.post(f"/imports/{dry_run.uuid}/confirm/")
    run_jobs()
    assert ImportJob.objects.latest("pk").created_count > 0
    broken = {"kind": "households", "file": SimpleUploadedFile("broken.csv", csv_bytes(HOUSEHOLD_HEADER, BROKEN))}
    client.post("/imports/upload/", broken)
    run_jobs()
    assert ImportJob.objects.latest("pk").problems
    # an export
    response = client.post(
        "/imports/export/", {"entity": "households", "file_format": "csv", "reason": "분기 점검 자료 확인용"}
    )
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    # a mistyped address with a name in its query string (Django logs "Not Found" with the request)
    assert client.get(f"/persons/search/x?q={world.head_rrn}&name={world.head.name}").status_code == 404
    # another district's worker tries the case by URL
    client.logout()
    world.b_worker.login(client)
    assert client.get(f"/cases/{world.case.uuid}/").status_code == 404

    output = log_output.getvalue()
    lines = [json.loads(line) for line in output.splitlines()]
    assert len(lines) > 10, "the flows logged (almost) nothing: the test would prove nothing"
    assert any(line.get("request_id") for line in lines)
    assert any(line["logger"] == "hamkke.request" for line in lines)
    assert any(line["logger"] == "django.request" for line in lines)
    secrets = [
        world.head.name,
        world.head_rrn,
        world.head_rrn.replace("-", ""),
        world.head_rrn[-7:],
        CASE_ADDRESS,
        HEAD_PHONE,
        "로그금지",
        "로그배우자",
        "오류당사자",
        IMPORTED_RRN,
        IMPORTED_RRN.replace("-", ""),
        "비밀로",
        "오류길",
        "901301",
    ]
    # json.dumps escapes Hangul, so look at the decoded text as well as the raw output
    decoded = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines)
    leaked = [secret for secret in secrets if secret in output or secret in decoded or quote(secret) in output]
    assert not leaked, f"personal data in the log: {leaked}"


def test_server_request_lines_lose_their_query_string():
    """runserver logs '"GET /path?query HTTP/1.1" 200 123' through django.server."""
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        ("GET /persons/x?q=홍길순&page=2 HTTP/1.1", "200", "5"),
        None,
    )
    RedactQueryString().filter(record)
    assert record.getMessage() == '"GET /persons/x?q=&page= HTTP/1.1" 200 5'
