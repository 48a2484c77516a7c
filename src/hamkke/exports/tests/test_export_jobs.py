"""Background exports (Celery in-process, see hamkke/conftest.py): the reports page's export of raw
service records made by a worker as the requester, with progress, a requester-only download that is
logged and expires, and no file at all when a run fails."""

from __future__ import annotations

import datetime
import io

import pytest
from celery.exceptions import Retry
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from hamkke.accounts.models import Membership
from hamkke.audit.models import AccessLog, Action
from hamkke.consents.models import Consent
from hamkke.core.downloads import joined
from hamkke.exports import services, tasks
from hamkke.exports.models import ExportJob
from hamkke.records import exports as record_exports
from hamkke.records.tests.test_exports import _csv, _export, records, records_year  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("records")]

REASON = "연간 실적 점검(구청 제출)"


@pytest.fixture(autouse=True)
def export_dir(settings, tmp_path):
    settings.HAMKKE_EXPORT_DIR = tmp_path / "exports"
    return settings.HAMKKE_EXPORT_DIR


def files_in(folder) -> list:
    return sorted(p.name for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def request_job(client, world, django_capture_on_commit_callbacks, who="lead_worker", **data):
    getattr(world, who).login(client)
    form = {"period": "year", "year": str(records_year(world)), "reason": REASON, "file_format": "csv", **data}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exports:service_records"), form)
    job = ExportJob.objects.latest("created_at")
    assert response.status_code == 302 and response["Location"] == reverse("exports:job", args=[job.uuid])
    return job


def queued(world, who="lead_worker", file_format="csv") -> ExportJob:
    from hamkke.reports.periods import Period

    # The test's transaction never commits: nothing is sent, the test runs the job itself.
    return services.service_records_job_create(
        actor=getattr(world, who).actor,
        period=Period.of_year(records_year(world)),
        agency_ids=None,
        file_format=file_format,
        reason=REASON,
    )


def download(client, job):
    return client.get(reverse("exports:download", args=[job.uuid]))


def exports_logged() -> int:
    return AccessLog.objects.filter(action=Action.EXPORT, object_type=record_exports.OBJECT_TYPE).count()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_file_equals_the_direct_export_and_is_logged_once(
    world, client, django_capture_on_commit_callbacks, export_dir, file_format
):
    job = request_job(client, world, django_capture_on_commit_callbacks, file_format=file_format)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE and job.row_count == 3 and job.progress_rows == 3
    assert job.expires_at == job.finished_at + datetime.timedelta(hours=24)
    [made] = AccessLog.objects.filter(action=Action.EXPORT, object_type=record_exports.OBJECT_TYPE)
    assert made.user_id == world.lead_worker.user.pk and REASON in made.detail and "3건" in made.detail
    assert made.object_id[:8] in job.filename  # the log row names the file
    response = download(client, job)
    assert response.status_code == 200 and response["Content-Disposition"] == f'attachment; filename="{job.filename}"'
    content = b"".join(response.streaming_content)
    direct = joined(_export(world, file_format=file_format).chunks)
    if file_format == "csv":
        assert content == direct
    else:  # an xlsx carries the moment it was written: compare the cells
        cells = [[c.value for c in row] for row in load_workbook(io.BytesIO(content)).active.iter_rows()]
        assert cells == [[c.value for c in row] for row in load_workbook(io.BytesIO(direct)).active.iter_rows()]
        assert len(cells) == 4
    assert files_in(export_dir) == [f"{job.uuid.hex}.{file_format}"]  # no temporary file left


def test_a_bad_form_queues_nothing(world, client, django_capture_on_commit_callbacks):
    world.lead_worker.login(client)
    response = client.post(reverse("exports:service_records"), {"period": "year", "year": "abcd", "reason": "x"})
    assert response.status_code == 200 and response.context["form"].errors
    assert not ExportJob.objects.exists()
    world.auditor.login(client)
    assert client.post(reverse("exports:service_records"), {"reason": REASON}).status_code == 403


def test_only_the_requester_sees_and_downloads_it(world, client, django_capture_on_commit_callbacks):
    job = request_job(client, world, django_capture_on_commit_callbacks)
    for who in ("lead_supervisor", "district_admin", "b_worker"):
        getattr(world, who).login(client)
        for name in ("exports:job", "exports:progress", "exports:download"):
            assert client.get(reverse(name, args=[job.uuid])).status_code == 404, (who, name)
    assert not AccessLog.objects.filter(object_type="exportjob", action=Action.EXPORT).exists()
    assert AccessLog.objects.filter(object_type="exportjob", action=Action.DENIED).count() == 9


def test_each_download_is_logged(world, client, django_capture_on_commit_callbacks):
    job = request_job(client, world, django_capture_on_commit_callbacks)
    for _time in range(2):
        assert download(client, job).status_code == 200
    logs = AccessLog.objects.filter(action=Action.EXPORT, object_type="exportjob", object_id=str(job.uuid))
    assert logs.count() == 2 and all(log.user_id == world.lead_worker.user.pk for log in logs)
    assert {job.filename in log.detail for log in logs} == {True}
    job.refresh_from_db()
    assert job.downloaded_count == 2


def test_after_the_period_the_download_is_gone(world, client, django_capture_on_commit_callbacks, export_dir):
    job = request_job(client, world, django_capture_on_commit_callbacks)
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = download(client, job)
    assert response.status_code == 410
    text = response.content.decode()
    assert "내려받기 기한" in text and "The download period (24 hours" in text
    assert not AccessLog.objects.filter(object_type="exportjob", action=Action.EXPORT).exists()
    assert tasks.purge_expired_exports.delay().get() == 1
    assert files_in(export_dir) == []
    assert download(client, job).status_code == 410
    page = client.get(reverse("exports:job", args=[job.uuid])).content.decode()
    assert "파일을 지웠습니다" in page and reverse("exports:download", args=[job.uuid]) not in page


def test_a_file_in_its_period_is_kept_by_the_purge(world, client, django_capture_on_commit_callbacks):
    job = request_job(client, world, django_capture_on_commit_callbacks)
    assert services.expired_exports_purge() == 0
    assert download(client, job).status_code == 200


def test_progress_is_written_while_the_file_is_made_and_shown(world, client, monkeypatch):
    job = queued(world)
    world.lead_worker.login(client)
    page = client.get(reverse("exports:job", args=[job.uuid])).content.decode()
    assert "대기 중" in page and 'hx-trigger="every 2s"' in page
    monkeypatch.setattr(record_exports, "PROGRESS_EVERY_ROWS", 1)
    seen = []
    report = services.ProgressReporter.__call__

    def spy(self, done):
        report(self, done)
        seen.append(ExportJob.objects.values_list("status", "progress_rows").get(pk=job.pk))

    monkeypatch.setattr(services.ProgressReporter, "__call__", spy)
    services.export_job_run(job_id=job.pk)
    assert seen == [("running", 1), ("running", 2), ("running", 3), ("running", 3)]
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, progress_rows=1234)
    status = client.get(reverse("exports:progress", args=[job.uuid])).content.decode()
    assert "1234행 만듦" in status and "hx-get" in status


def test_a_failed_run_leaves_a_message_and_no_file(world, client, monkeypatch, export_dir):
    job = queued(world)

    def broken(row, labels):
        raise RuntimeError("a cell that cannot be written")

    monkeypatch.setitem(record_exports.FIELDS, "description", broken)
    assert tasks.run_export_job.delay(job.pk).get() == ExportJob.Status.FAILED
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and "예상하지 못한 오류" in job.message and job.finished_at
    assert files_in(export_dir) == [] and job.file_path == ""
    world.lead_worker.login(client)
    assert "예상하지 못한 오류" in client.get(reverse("exports:job", args=[job.uuid])).content.decode()
    assert download(client, job).status_code == 302  # no file: back to the job page


@pytest.mark.parametrize("ticked", [False, True])
def test_a_partner_gets_health_records_only_with_the_sensitive_consent_item_at_run_time(
    world, client, ticked, export_dir
):
    Consent.objects.filter(pk=world.consent.pk).update(sensitive_data=not ticked)  # as it was when asked
    job = queued(world, "participant_worker")
    Consent.objects.filter(pk=world.consent.pk).update(sensitive_data=ticked)  # as it is when it runs
    services.export_job_run(job_id=job.pk)
    job.refresh_from_db()
    world.participant_worker.login(client)
    shown = {row[7] for row in _csv(b"".join(download(client, job).streaming_content))[1:]}
    assert "주거 청소 연계" in shown
    assert ("정신건강 상담 연계" in shown) is ticked


def test_a_requester_who_left_the_agency_gets_nothing(world, export_dir):
    job = queued(world)
    Membership.objects.filter(pk=world.lead_worker.membership.pk).update(is_active=False)
    services.export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and "소속" in job.message
    assert files_in(export_dir) == [] and exports_logged() == 0


def test_a_message_delivered_twice_makes_the_file_once(world):
    job = queued(world)
    assert tasks.run_export_job.delay(job.pk).get() == ExportJob.Status.DONE
    assert tasks.run_export_job.delay(job.pk).get() == "finished"
    job.refresh_from_db()
    assert job.attempts == 1 and exports_logged() == 1


def test_a_run_killed_after_its_file_was_complete_is_done_on_redelivery(world, export_dir):
    job = queued(world)
    services.export_job_run(job_id=job.pk)
    job.refresh_from_db()
    # As if the worker died between renaming the file into place and marking the job done.
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.RUNNING, lease_until=timezone.now() - datetime.timedelta(seconds=1), file_path=""
    )
    assert tasks.run_export_job.delay(job.pk).get() == "finished"
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE and job.row_count == 3 and job.file_path
    assert exports_logged() == 1  # not read a second time


def test_a_job_held_by_a_live_run_is_retried_later(world):
    job = queued(world)
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.RUNNING, attempts=1, lease_until=timezone.now() + datetime.timedelta(minutes=2)
    )
    with pytest.raises(Retry):
        tasks.run_export_job.apply(args=[job.pk], throw=True)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.RUNNING and job.attempts == 1 and exports_logged() == 0


def test_a_run_whose_lease_ran_out_is_taken_over(world):
    job = queued(world)
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.RUNNING, attempts=1, lease_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert tasks.run_export_job.delay(job.pk).get() == ExportJob.Status.DONE
    job.refresh_from_db()
    assert job.attempts == 2 and exports_logged() == 1
