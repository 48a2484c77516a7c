"""The upload page only queues; the worker runs; the page polls; exports are scoped and audited with a reason."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import load_workbook

from hamkke.audit.models import AccessLog, Action
from hamkke.core.downloads import joined
from hamkke.imports import services
from hamkke.imports.models import ImportJob
from hamkke.people.models import Person
from hamkke.records.services import service_record_add
from hamkke.testing.factories import PersonFactory

from .helpers import HOUSEHOLD_HEADER, csv_bytes, household_row, run

pytestmark = pytest.mark.django_db

ROWS = [household_row("W-1", "웹하나", "1955-05-05"), household_row("W-1", "웹둘", "1956-06-06", relation="배우자")]


def upload(client, content, name="households.csv", kind="households"):
    return client.post("/imports/upload/", {"kind": kind, "file": SimpleUploadedFile(name, content)})


def test_upload_queues_a_dry_run_without_running_it(world, client):
    world.lead_worker.login(client)
    response = upload(client, csv_bytes(HOUSEHOLD_HEADER, ROWS))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{job.uuid}/"
    assert job.status == ImportJob.Status.QUEUED and job.mode == ImportJob.Mode.DRY_RUN
    page = client.get(f"/imports/{job.uuid}/")
    assert b'hx-trigger="every 1s"' in page.content  # the browser polls while the worker has not finished
    call_command("run_import_jobs", "--once", stdout=io.StringIO(), stderr=io.StringIO())
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and not Person.objects.filter(name="웹하나").exists()
    fragment = client.get(f"/imports/{job.uuid}/progress/")
    assert b"every 1s" not in fragment.content and "가져오기".encode() in fragment.content
    response = client.post(f"/imports/{job.uuid}/confirm/")
    imported = ImportJob.objects.get(mode=ImportJob.Mode.IMPORT)
    assert response["Location"] == f"/imports/{imported.uuid}/" and imported.source_job == job
    call_command("run_import_jobs", "--once", stdout=io.StringIO(), stderr=io.StringIO())
    imported.refresh_from_db()
    assert imported.status == ImportJob.Status.DONE and imported.created_count == 2
    assert Person.objects.filter(name="웹하나").exists()


def test_a_dry_run_with_problems_cannot_be_confirmed(world, client):
    world.lead_worker.login(client)
    job = run(world.lead_worker.actor, "households", csv_bytes(HOUSEHOLD_HEADER, [household_row("X", "", "bad")]))
    page = client.get(f"/imports/{job.uuid}/")
    assert "문제".encode() in page.content and b"/confirm/" not in page.content
    client.post(f"/imports/{job.uuid}/confirm/")
    assert not ImportJob.objects.filter(mode=ImportJob.Mode.IMPORT).exists()


def test_someone_elses_job_is_404_and_audited(world, client):
    job = run(world.lead_worker.actor, "households", csv_bytes(HOUSEHOLD_HEADER, ROWS))
    world.lead_supervisor.login(client)
    assert client.get(f"/imports/{job.uuid}/").status_code == 404
    assert client.post(f"/imports/{job.uuid}/confirm/").status_code == 404
    assert AccessLog.objects.filter(action=Action.DENIED, object_id=str(job.uuid)).exists()


def test_bad_upload_shows_the_error_on_the_form(world, client):
    world.lead_worker.login(client)
    response = upload(client, b"x", name="notes.txt")
    assert response.status_code == 200 and b"xlsx" in response.content
    assert not ImportJob.objects.exists()
    world.auditor.login(client)
    assert upload(client, b"a,b").status_code == 200 and not ImportJob.objects.exists()


def test_command_line_import_with_progress(world, tmp_path):
    path = tmp_path / "households.csv"
    path.write_bytes(csv_bytes(HOUSEHOLD_HEADER, ROWS))
    out = io.StringIO()
    call_command("import_data", "households", str(path), "--user", "lead_worker", stdout=out, stderr=io.StringIO())
    assert "2 created" in out.getvalue()
    assert Person.objects.filter(name="웹둘").exists()


def _csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def export_file(**kwargs) -> tuple[str, bytes]:
    export = services.export_file(**kwargs)
    return export.filename, joined(export.chunks)


def test_export_is_scoped_audited_with_the_reason_and_never_has_rrns(world):
    name, content = export_file(
        actor=world.lead_worker.actor, entity="households", file_format="csv", reason="분기 보고 집계"
    )
    rows = _csv(content)
    assert rows[0] == HOUSEHOLD_HEADER and name.endswith(".csv")
    assert [r[4] for r in rows[1:]] == [world.head.name]
    assert world.head_rrn not in content.decode("utf-8-sig") and rows[1][9] == ""
    log = AccessLog.objects.get(action=Action.EXPORT)
    assert log.object_id[:8] in name and "분기 보고 집계" in log.detail and "1건" in log.detail
    assert log.object_type == "household" and "중구청 희망복지지원단의 열람 범위" in log.detail
    _name, content = export_file(
        actor=world.b_worker.actor, entity="households", file_format="csv", reason="다른 구 시험"
    )
    assert len(_csv(content)) == 1  # header only: nothing of district A


def test_a_person_registered_unknown_is_exported_without_a_birth_date(world):
    """An unknown person (no birth date, issue 13) made the households export fail."""
    PersonFactory(household=world.household, name="성명 미상", birth_date=None, identity_known=False, sex="U")
    _name, content = export_file(
        actor=world.lead_worker.actor, entity="households", file_format="csv", reason="분기 보고 집계"
    )
    rows = _csv(content)
    assert sorted(r[5] for r in rows[1:]) == ["", world.head.birth_date.isoformat()]


def test_export_needs_a_reason(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        export_file(actor=world.lead_worker.actor, entity="households", file_format="csv", reason=" ")
    assert "reason" in error.value.message_dict
    assert not AccessLog.objects.filter(action=Action.EXPORT).exists()


def test_exported_files_reimport_without_duplicates(world):
    lead = world.lead_worker.actor
    service_record_add(
        actor=lead,
        case=world.case,
        provided_on=world.today,
        domain="livelihood",
        mode="direct",
        description="긴급 생계비",
        amount_kind="money",
        amount=300000,
    )
    for entity in ("households", "services"):
        _name, content = export_file(actor=lead, entity=entity, file_format="xlsx", reason="이관 시험")
        assert load_workbook(io.BytesIO(content)).active.max_row == 2
        job = run(lead, entity, content, filename="export.xlsx", mode=ImportJob.Mode.IMPORT)
        assert (job.status, job.created_count, job.skipped_count) == (ImportJob.Status.DONE, 0, 1), job.problems


def test_export_page_downloads_a_file(world, client):
    world.lead_worker.login(client)
    response = client.post("/imports/export/", {"entity": "services", "file_format": "csv", "reason": "월말 점검"})
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    response = client.post("/imports/export/", {"entity": "services", "file_format": "csv", "reason": ""})
    assert response.status_code == 200 and "text/html" in response["Content-Type"]


def test_exported_text_never_becomes_a_spreadsheet_formula(world):
    lead = world.lead_worker.actor
    service_record_add(
        actor=lead,
        case=world.case,
        provided_on=world.today,
        domain="livelihood",
        mode="direct",
        description='=HYPERLINK("http://example.invalid","x")',
    )
    for file_format in ("csv", "xlsx"):
        _name, content = export_file(actor=lead, entity="services", file_format=file_format, reason="수식 시험")
        if file_format == "csv":
            assert _csv(content)[1][8].startswith("'=")
        else:
            cell = load_workbook(io.BytesIO(content)).active.cell(row=2, column=9)
            assert cell.data_type == "s" and cell.value.startswith("'=")
        job = run(lead, "services", content, filename=f"e.{file_format}", mode=ImportJob.Mode.IMPORT)
        assert (job.created_count, job.skipped_count) == (0, 1), job.problems
