"""Imports on Celery (run in-process: task_always_eager, see hamkke/conftest.py): the upload sends the
job after its commit; runs are idempotent; a run that died is taken up again or shown interrupted."""

import datetime
import subprocess
import sys

import pytest
from celery.exceptions import Retry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hamkke.imports import services, tasks
from hamkke.imports.models import ImportedKey, ImportJob
from hamkke.people.models import Person

from .helpers import HOUSEHOLD_HEADER, csv_bytes, household_row

pytestmark = pytest.mark.django_db

ROWS = [household_row("T-1", "작업하나", "1955-05-05"), household_row("T-1", "작업둘", "1956-06-06", relation="배우자")]


def dead_worker() -> str:
    """The host:pid of a process that has ended."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return f"{services._worker_id().rpartition(':')[0]}:{process.pid}"


def queued(world, mode=ImportJob.Mode.IMPORT) -> ImportJob:
    return services.import_job_create(
        actor=world.lead_worker.actor,
        kind="households",
        filename="t.csv",
        content=csv_bytes(HOUSEHOLD_HEADER, ROWS),
        mode=mode,
        enqueue=False,
    )


def test_upload_sends_the_job_to_the_workers_after_the_commit(world, client, django_capture_on_commit_callbacks):
    world.lead_worker.login(client)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(
            "/imports/upload/",
            {"kind": "households", "file": SimpleUploadedFile("h.csv", csv_bytes(HOUSEHOLD_HEADER, ROWS))},
        )
    assert len(callbacks) == 1
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE and job.attempts == 1 and job.total_rows == 2
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/imports/{job.uuid}/confirm/")
    imported = ImportJob.objects.get(mode=ImportJob.Mode.IMPORT)
    assert imported.status == ImportJob.Status.DONE and imported.created_count == 2
    assert Person.objects.filter(name__in=["작업하나", "작업둘"]).count() == 2


def test_a_message_delivered_twice_imports_once(world):
    job = queued(world)
    assert tasks.run_import_job.delay(job.pk).get() == ImportJob.Status.DONE
    assert tasks.run_import_job.delay(job.pk).get() == "finished"
    job.refresh_from_db()
    assert job.attempts == 1 and job.created_count == 2
    assert ImportedKey.objects.filter(key="T-1").count() == 1 and Person.objects.filter(name="작업하나").count() == 1


def test_a_job_held_by_a_live_run_is_retried_later_not_run_twice(world):
    job = queued(world)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING,
        attempts=1,
        worker=services._worker_id(),
        lease_until=timezone.now() + datetime.timedelta(minutes=2),
    )
    with pytest.raises(Retry):
        tasks.run_import_job.apply(args=[job.pk], throw=True)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING and job.attempts == 1 and not Person.objects.filter(name="작업하나")


@pytest.mark.parametrize("lease", ["expired", "dead_process"])
def test_a_run_that_died_is_taken_up_again_and_ends_cleanly(world, lease):
    job = queued(world)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING,
        attempts=1,
        worker=dead_worker() if lease == "dead_process" else "elsewhere:1",
        lease_until=timezone.now() + datetime.timedelta(minutes=-1 if lease == "expired" else 30),
    )
    assert tasks.run_import_job.delay(job.pk).get() == ImportJob.Status.DONE
    job.refresh_from_db()
    assert job.attempts == 2 and job.created_count == 2 and ImportedKey.objects.filter(key="T-1").count() == 1


def test_sweep_requeues_a_dead_run_then_interrupts_after_the_last_attempt(world, client, settings):
    settings.HAMKKE_IMPORT_MAX_ATTEMPTS = 2
    job = queued(world)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, attempts=1, worker=dead_worker())
    sweep = services.import_jobs_sweep()
    assert sweep.requeue == [job.pk] and sweep.interrupted == 0
    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, attempts=2, worker=dead_worker())
    assert tasks.sweep_import_jobs.delay().get() == {"requeued": 0, "interrupted": 1}
    job.refresh_from_db()
    assert job.status == ImportJob.Status.INTERRUPTED and job.finished and not Person.objects.filter(name="작업하나")
    world.lead_worker.login(client)
    page = client.get(f"/imports/{job.uuid}/").content.decode()
    assert "중단됨 — 저장되지 않음" in page and "every 1s" not in page


def test_sweep_sends_again_a_job_queued_too_long(world):
    job = queued(world)
    assert services.import_jobs_sweep().requeue == []
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - datetime.timedelta(minutes=10))
    assert tasks.sweep_import_jobs.delay().get() == {"requeued": 1, "interrupted": 0}
    job.refresh_from_db()  # sent again, and run here (eager)
    assert job.status == ImportJob.Status.DONE and job.created_count == 2
