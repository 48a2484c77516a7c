"""Background exports: queue a job, run it as its requester, hand the file to the requester, purge it.

A job is run at least once (Celery acknowledges its message after the task and hands it out again
when the worker died) and makes its file at most once: a run claims the job in the database
(compare-and-set on status and attempt number) and holds a lease it renews with each progress
update; another delivery waits while the lease is alive. The file is written to a temporary name
in the same folder and renamed when complete, so a reader never sees half a file; a delivery that
finds the finished file of a run killed after the rename only marks the job done.

The export itself is the page's exporter (``reports.services.service_records_export``), run as the
requester rebuilt from the user and agency the job recorded: the scope and the sensitive-data rule
are theirs at run time, and the exporter writes the export's one access-log row. Each download is
one more row.
"""

from __future__ import annotations

import datetime
import enum
import logging
import os
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

from hamkke.accounts.actor import Actor, active_memberships
from hamkke.audit.models import Action
from hamkke.audit.services import audit_record
from hamkke.celery import app as celery_app
from hamkke.core.downloads import ChunkedFile
from hamkke.records.exports import Progress
from hamkke.reports import services as report_services
from hamkke.reports.periods import Period

from .models import ExportJob

RUN_TASK = "hamkke.exports.run_export_job"  # hamkke.exports.tasks (looked up by name: tasks import services)
MAX_ATTEMPTS = 3

logger = logging.getLogger(__name__)


class ExportExpired(Exception):
    """The file's download period is over (or the file was purged): the page answers 410."""


class JobTakenOver(Exception):
    """Another run took the job (this one's lease ran out): this run stops and leaves the file to it."""


# --- Queueing ---------------------------------------------------------------------------------------


def service_records_job_create(
    *,
    actor: Actor,
    period: Period,
    agency_ids: list[int] | None,
    file_format: str,
    reason: str,
    request: HttpRequest | None = None,
) -> ExportJob:
    """Queue the reports page's export of raw service records. Checked now as the direct export
    would be (reason, format, scope: ValidationError / PermissionDenied), checked again when it runs."""
    if actor.membership is None:
        raise PermissionDenied(_("소속 기관이 없어 내려받을 수 없습니다."))
    _selection, reason = report_services.service_records_selection(
        actor=actor, period=period, agency_ids=agency_ids, file_format=file_format, reason=reason
    )
    parameters = {
        "period_kind": period.kind,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "agency_ids": list(agency_ids or ()),
        "file_format": file_format,
        "reason": reason,
        "language": translation.get_language() or settings.LANGUAGE_CODE,
    }
    with transaction.atomic():
        job = ExportJob.objects.create(
            district_id=actor.district_id,
            requested_by=actor.user,
            agency_id=actor.agency_id,
            kind=ExportJob.Kind.SERVICE_RECORDS,
            parameters=parameters,
        )
        audit_record(
            actor=actor, action=Action.CREATE, obj=job, request=request, detail=f"export job {job.kind} {file_format}"
        )
        job_id = job.pk
        transaction.on_commit(lambda: export_job_enqueue(job_id))
    return job


def export_job_enqueue(job_id: int) -> bool:
    """Send a job to the workers; a broker that cannot be reached leaves it queued (logged)."""
    try:
        celery_app.tasks[RUN_TASK].apply_async(args=[job_id])
    except BrokerError as error:
        logger.warning("export job %s not sent to the broker (%s)", job_id, error)
        return False
    return True


# --- Running ----------------------------------------------------------------------------------------


class Claim(enum.Enum):
    CLAIMED = "claimed"  # this run owns the job now
    BUSY = "busy"  # another live run holds the lease: try later
    FINISHED = "finished"  # nothing to do (done, failed, or gone)


def _lease_end() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(seconds=settings.HAMKKE_EXPORT_LEASE_SECONDS)


def export_root() -> Path:
    return Path(settings.HAMKKE_EXPORT_DIR)


def _relative_path(job: ExportJob) -> str:
    return f"{job.district_id}/{job.uuid.hex}.{job.parameters.get('file_format', 'csv')}"


def _ours(job: ExportJob):
    return ExportJob.objects.filter(pk=job.pk, attempts=job.attempts, status=ExportJob.Status.RUNNING)


def _mark_done(job: ExportJob, rows: int | None = None) -> bool:
    now = timezone.now()
    values = {"row_count": rows, "progress_rows": rows} if rows is not None else {"progress_rows": F("row_count")}
    return bool(
        _ours(job).update(
            status=ExportJob.Status.DONE,
            file_path=_relative_path(job),
            finished_at=now,
            expires_at=now + datetime.timedelta(hours=settings.HAMKKE_EXPORT_KEEP_HOURS),
            lease_until=None,
            updated_at=now,
            **values,
        )
    )


def _mark_failed(job: ExportJob, message: str) -> None:
    _ours(job).update(
        status=ExportJob.Status.FAILED,
        message=message,
        finished_at=timezone.now(),
        lease_until=None,
        updated_at=timezone.now(),
    )


def export_job_claim(*, job_id: int) -> tuple[Claim, ExportJob | None]:
    """Take a queued job, or a running one whose run's lease ran out, for this process."""
    job = ExportJob.objects.filter(pk=job_id).first()
    if job is None or job.finished:
        return Claim.FINISHED, job
    now = timezone.now()
    if job.status == ExportJob.Status.RUNNING and job.lease_until is not None and job.lease_until >= now:
        return Claim.BUSY, job
    taken = ExportJob.objects.filter(pk=job.pk, status=job.status, attempts=job.attempts).update(
        status=ExportJob.Status.RUNNING,
        attempts=job.attempts + 1,
        lease_until=_lease_end(),
        started_at=now,
        progress_rows=0,
        updated_at=now,
    )
    if not taken:
        return Claim.BUSY, job  # another run claimed it a moment ago
    job.refresh_from_db()
    if (export_root() / _relative_path(job)).exists():
        # A run killed after its file was complete (renamed into place): the job is done.
        _mark_done(job)
        job.refresh_from_db()
        return Claim.FINISHED, job
    if job.attempts > MAX_ATTEMPTS:  # it killed its worker every time (memory, a crash): stop trying
        with translation.override(settings.LANGUAGE_CODE):
            _mark_failed(job, _("작업이 여러 번 중단되어 멈췄습니다. 기간을 나누어 다시 요청하세요."))
        job.refresh_from_db()
        return Claim.FINISHED, job
    return Claim.CLAIMED, job


class ProgressReporter:
    """The exporter's progress callback: rows made so far, and the lease renewed; stops the run
    when another run took the job over."""

    def __init__(self, job: ExportJob):
        self.job, self.rows = job, 0

    def __call__(self, done: int) -> None:
        self.rows = done
        if not _ours(self.job).update(progress_rows=done, lease_until=_lease_end(), updated_at=timezone.now()):
            raise JobTakenOver


def requester_actor(job: ExportJob) -> Actor:
    """The requester as they are now: their active membership in the agency the job was asked from."""
    membership = active_memberships(job.requested_by).filter(agency_id=job.agency_id).first()
    if not job.requested_by.is_active or membership is None or membership.district_id != job.district_id:
        raise PermissionDenied(_("요청한 사람의 소속이 더 이상 유효하지 않습니다."))
    return Actor(user=job.requested_by, membership=membership)


def _service_records(actor: Actor, parameters: dict, progress: Progress) -> ChunkedFile:
    period = Period(
        parameters["period_kind"],
        datetime.date.fromisoformat(parameters["start"]),
        datetime.date.fromisoformat(parameters["end"]),
    )
    return report_services.service_records_export(
        actor=actor,
        period=period,
        agency_ids=parameters.get("agency_ids") or None,
        file_format=parameters["file_format"],
        reason=parameters["reason"],
        progress=progress,
    )


EXPORTERS: dict[str, Callable[[Actor, dict, Progress], ChunkedFile]] = {
    ExportJob.Kind.SERVICE_RECORDS: _service_records,
}


def _write_complete(target: Path, chunks) -> Path:
    """The whole file in a temporary file beside ``target`` (renamed into place by the caller once
    the job row knows its size), or nothing: a reader never sees half a file under ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{target.stem}.", suffix=".part", delete=False) as out:
        try:
            for chunk in chunks:
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        except BaseException:
            out.close()
            Path(out.name).unlink(missing_ok=True)
            raise
    return Path(out.name)


def export_job_run_claimed(*, job: ExportJob) -> ExportJob:
    """Run a job this process has claimed to its end. Whatever goes wrong, the job ends failed with a
    message and no file (the worker carries on)."""
    reporter = ProgressReporter(job)
    try:
        actor = requester_actor(job)
        with translation.override(job.parameters.get("language") or settings.LANGUAGE_CODE):
            export = EXPORTERS[job.kind](actor, job.parameters, reporter)
            target = export_root() / _relative_path(job)
            complete = _write_complete(target, export.chunks)
        try:
            _ours(job).update(row_count=reporter.rows, filename=export.filename[:200])
            os.replace(complete, target)
        finally:
            complete.unlink(missing_ok=True)
        _mark_done(job, reporter.rows)
    except JobTakenOver:
        logger.warning("export job %s taken over by another run", job.uuid)
    except (PermissionDenied, ValidationError) as error:
        _mark_failed(job, " ".join(getattr(error, "messages", None) or [str(error)]))
    except (SoftTimeLimitExceeded, MemoryError) as error:
        logger.error("export job %s stopped: %s", job.uuid, type(error).__name__)
        with translation.override(settings.LANGUAGE_CODE):
            _mark_failed(job, _("파일이 너무 커서 멈췄습니다. 기간을 나누어 다시 요청하세요."))
    except Exception as error:  # never leave a job running, never take the worker down
        # The class and the frames, not the message: a value (a name) may be in it.
        logger.error(
            "export job %s failed: %s\n%s",
            job.uuid,
            type(error).__name__,
            "".join(traceback.format_tb(error.__traceback__)),
        )
        with translation.override(settings.LANGUAGE_CODE):
            _mark_failed(job, _("예상하지 못한 오류로 멈췄습니다. 파일은 만들지 않았습니다. 관리자에게 알려 주세요."))
    job.refresh_from_db()
    return job


def export_job_run(*, job_id: int) -> ExportJob | None:
    """Claim and run a job (tests, the command line); a job another live run holds is left to it."""
    claim, job = export_job_claim(job_id=job_id)
    if claim is Claim.CLAIMED and job is not None:
        return export_job_run_claimed(job=job)
    return job


# --- Downloading and purging ------------------------------------------------------------------------


def export_job_file(*, actor: Actor, job: ExportJob, request: HttpRequest | None = None) -> Path:
    """The finished file of the actor's own job, logged (one access-log row per download).

    Raises ExportExpired after the download period (or when the file is gone)."""
    if job.requested_by_id != actor.user.pk or job.district_id != actor.district_id:
        raise PermissionDenied(_("다른 사람의 내보내기 작업입니다."))
    if job.status != ExportJob.Status.DONE:
        raise ValidationError(_("파일이 아직 준비되지 않았습니다."))
    path = export_root() / job.file_path if job.file_path else None
    if job.expires_at is None or job.expires_at <= timezone.now() or path is None or not path.exists():
        raise ExportExpired
    ExportJob.objects.filter(pk=job.pk).update(downloaded_count=F("downloaded_count") + 1)
    job.refresh_from_db(fields=["downloaded_count"])
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        obj=job,
        request=request,
        detail=_("백그라운드 내보내기 파일 %(name)s 내려받기(%(n)s번째)")
        % {"name": job.filename, "n": job.downloaded_count},
    )
    return path


def expired_exports_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the files whose download period is over (hourly, beat) and the leftovers of runs that
    died mid-file; returns the number of job files deleted."""
    now = now or timezone.now()
    deleted = 0
    expired = ExportJob.objects.filter(status=ExportJob.Status.DONE, expires_at__lte=now).exclude(file_path="")
    for job in expired.only("pk", "file_path"):
        (export_root() / job.file_path).unlink(missing_ok=True)
        ExportJob.objects.filter(pk=job.pk).update(file_path="", updated_at=now)
        deleted += 1
    stale = now.timestamp() - settings.HAMKKE_EXPORT_TIME_LIMIT_SECONDS - 3600
    for leftover in export_root().glob("*/.*.part"):
        if leftover.stat().st_mtime < stale:
            leftover.unlink(missing_ok=True)
    return deleted
