"""Import jobs (create, confirm, run) and exports: permission checks, audit, all or nothing."""

from __future__ import annotations

import datetime
import enum
import logging
import os
import socket
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

from hamkke.access.policy import CASEWORK, can_open_case, may
from hamkke.accounts.actor import Actor
from hamkke.audit.models import Action
from hamkke.audit.services import audit_export, audit_record
from hamkke.celery import app as celery_app
from hamkke.core.downloads import ChunkedFile
from hamkke.core.spreadsheet import CONTENT_TYPES, file_chunks
from hamkke.people.models import Person
from hamkke.records import exports as record_exports

from . import selectors
from .importers import COLUMNS, HOUSEHOLD_COLUMNS, IMPORTERS, SERVICE_COLUMNS
from .models import ImportJob
from .parsers import ImportFileError, format_of, read_rows

MAX_PROBLEMS_KEPT = 10_000
PROGRESS_EVERY_ROWS = 200
PROGRESS_EVERY_SECONDS = 1.0
REASON_MIN = 4
RUN_TASK = "hamkke.imports.run_import_job"  # hamkke.imports.tasks (looked up by name: tasks import services)

logger = logging.getLogger(__name__)


def may_import(actor: Actor, kind: str) -> bool:
    if kind == ImportJob.Kind.HOUSEHOLDS:
        return can_open_case(actor)
    return may(actor, CASEWORK)


def import_job_create(
    *,
    actor: Actor,
    kind: str,
    filename: str,
    content: bytes,
    mode: str = ImportJob.Mode.DRY_RUN,
    request: HttpRequest | None = None,
    enqueue: bool = True,
) -> ImportJob:
    """Queue a run over an uploaded file. A new file always starts with a dry run.

    The job is sent to the workers when the transaction that created it commits; ``enqueue=False``
    for a caller that runs it itself (``import_data``)."""
    if kind not in ImportJob.Kind.values or mode not in ImportJob.Mode.values:
        raise ValidationError({"kind": _("알 수 없는 가져오기 대상입니다.")})
    if not may_import(actor, kind) or actor.membership is None:
        raise PermissionDenied(_("이 역할로는 이 자료를 가져올 수 없습니다."))
    try:
        file_format = format_of(filename)
    except ImportFileError as error:
        raise ValidationError({"file": str(error)}) from None
    if not content:
        raise ValidationError({"file": _("파일이 비어 있습니다.")})
    if len(content) > settings.HAMKKE_IMPORT_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("파일이 너무 큽니다(최대 %(mb)dMB). 나누어 가져오세요.")
                % {"mb": settings.HAMKKE_IMPORT_MAX_BYTES // (1024 * 1024)}
            }
        )
    with transaction.atomic():
        job = ImportJob.objects.create(
            district_id=actor.district_id,
            kind=kind,
            mode=mode,
            user=actor.user,
            membership=actor.membership,
            filename=filename[-200:],
            file_format=file_format,
            content=content,
        )
        # No file name in the log: names of files often carry names of people.
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=job,
            request=request,
            detail=f"import {kind} {mode}: {len(content)} bytes",
        )
        if enqueue:
            job_id = job.pk
            transaction.on_commit(lambda: import_job_enqueue(job_id))
    return job


def import_job_enqueue(job_id: int, *, countdown: float | None = None) -> bool:
    """Send a job to the workers. A broker that cannot be reached leaves the job queued in the
    database: the sweep sends it again, nothing is lost and the upload does not fail."""
    try:
        celery_app.tasks[RUN_TASK].apply_async(args=[job_id], countdown=countdown)
    except BrokerError as error:
        logger.warning("import job %s not sent to the broker (%s); the sweep will send it", job_id, error)
        return False
    return True


def import_job_confirm(*, actor: Actor, job: ImportJob, request: HttpRequest | None = None) -> ImportJob:
    """After a clean dry run, queue the real import of the same file."""
    if job.user_id != actor.user.pk or job.district_id != actor.district_id:
        raise PermissionDenied(_("다른 사람의 가져오기 작업입니다."))
    if job.mode != ImportJob.Mode.DRY_RUN or job.status != ImportJob.Status.DONE or job.problems:
        raise ValidationError(_("문제 없이 끝난 미리 검사만 가져오기로 이어갈 수 있습니다."))
    if job.membership_id != getattr(actor.membership, "pk", None):
        raise ValidationError(
            _("미리 검사할 때와 다른 기관으로 일하고 있습니다. 그 기관으로 바꾸거나 다시 검사하세요.")
        )
    imported = import_job_create(
        actor=actor,
        kind=job.kind,
        filename=job.filename,
        content=bytes(job.content),
        mode=ImportJob.Mode.IMPORT,
        request=request,
    )
    imported.source_job = job
    imported.save(update_fields=["source_job", "updated_at"])
    return imported


class ProgressReporter:
    """Writes how many rows are done while the run's transaction is still open, and renews the lease.

    The run's own writes are invisible until it commits, so on PostgreSQL the count goes through
    a second connection (autocommit). SQLite allows one writer at a time: there the page shows
    the count of the checks before the transaction and the result at the end, and the lease taken
    before the transaction covers the task's time limit instead of being renewed.
    """

    def __init__(self, job: ImportJob, callback: Callable[[int], None] | None = None):
        self.job, self.callback = job, callback
        self.last_rows, self.last_at = 0, time.monotonic()
        self.connection = None
        if connections["default"].vendor == "postgresql":
            self.connection = connections.create_connection("default")

    def __call__(self, done: int) -> None:
        if self.callback:
            self.callback(done)
        if self.connection is None:
            return
        now = time.monotonic()
        if done - self.last_rows >= PROGRESS_EVERY_ROWS or now - self.last_at >= PROGRESS_EVERY_SECONDS:
            self.last_rows, self.last_at = done, now
            with self.connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {ImportJob._meta.db_table} SET processed_rows = %s, lease_until = %s "
                    "WHERE id = %s AND attempts = %s",
                    [done, _lease_end(), self.job.pk, self.job.attempts],
                )

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


# --- Claiming, leases and the sweep ---------------------------------------------------------------
#
# A job is run at least once (Celery acknowledges a message after its task, and hands it out again
# when the worker died) and its data at most once: a run first claims the job in the database
# (compare-and-set on status and attempt number), holds a lease while it works, and keeps its
# transaction only if the job is still its own at the end (the fence). Everything of one run is
# one transaction, so a killed run leaves nothing half-done.


class Claim(enum.Enum):
    CLAIMED = "claimed"  # this run owns the job now
    BUSY = "busy"  # another live run holds the lease: try later
    FINISHED = "finished"  # nothing to do (done, failed, interrupted, or gone)


def _worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def _worker_gone(worker: str) -> bool:
    """The worker process that holds a lease is known dead (only decidable on the same host)."""
    host, _sep, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _lease_end() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(seconds=settings.HAMKKE_IMPORT_LEASE_SECONDS)


def _long_lease_end() -> datetime.datetime:
    """The lease over the import's transaction on SQLite, where nothing can renew it meanwhile."""
    if connections["default"].vendor == "sqlite":
        return timezone.now() + datetime.timedelta(seconds=settings.HAMKKE_IMPORT_TIME_LIMIT_SECONDS + 60)
    return _lease_end()


def import_job_is_stale(job: ImportJob, now: datetime.datetime | None = None) -> bool:
    """A running job whose lease ran out, or whose worker process is gone."""
    now = now or timezone.now()
    return job.status == ImportJob.Status.RUNNING and (
        job.lease_until is None or job.lease_until < now or _worker_gone(job.worker)
    )


def _interrupt(job: ImportJob) -> bool:
    """Show a run that died as interrupted; nothing of it was saved (its transaction never committed)."""
    return bool(
        ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.RUNNING, attempts=job.attempts).update(
            status=ImportJob.Status.INTERRUPTED,
            finished_at=timezone.now(),
            lease_until=None,
            updated_at=timezone.now(),
            problems=_file_problem(
                _("작업이 중단되어 아무것도 저장하지 않았습니다(작업자가 멈췄습니다). 파일을 다시 올려 주세요.")
            ),
        )
    )


def import_job_claim(*, job_id: int) -> tuple[Claim, ImportJob | None]:
    """Take a queued job, or a running one whose run died, for this process."""
    job = ImportJob.objects.defer("content").filter(pk=job_id).first()
    if job is None or job.finished:
        return Claim.FINISHED, job
    now = timezone.now()
    if job.status == ImportJob.Status.RUNNING:
        if not import_job_is_stale(job, now):
            return Claim.BUSY, job
        if job.attempts >= settings.HAMKKE_IMPORT_MAX_ATTEMPTS:
            _interrupt(job)  # it killed its worker every time (memory, a crash): stop trying
            return Claim.FINISHED, job
    taken = ImportJob.objects.filter(pk=job.pk, status=job.status, attempts=job.attempts).update(
        status=ImportJob.Status.RUNNING,
        attempts=job.attempts + 1,
        worker=_worker_id(),
        lease_until=_lease_end(),
        started_at=now,
        processed_rows=0,
        updated_at=now,
    )
    if not taken:
        return Claim.BUSY, job  # another run claimed it a moment ago
    job.refresh_from_db()
    return Claim.CLAIMED, job


def _finish(job: ImportJob, *, status: str, problems: list[dict], created: int = 0, skipped: int = 0) -> ImportJob:
    """Record the end of this run, unless the job was taken over by another run meanwhile."""
    ImportJob.objects.filter(pk=job.pk, attempts=job.attempts, status=ImportJob.Status.RUNNING).update(
        status=status,
        problems=problems[:MAX_PROBLEMS_KEPT],
        created_count=created,
        skipped_count=skipped,
        processed_rows=job.total_rows,
        finished_at=timezone.now(),
        lease_until=None,
        updated_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


def _file_problem(message: str) -> list[dict]:
    return [{"row": 1, "column": "", "message": message}]


def import_job_run(*, job: ImportJob, progress: Callable[[int], None] | None = None) -> ImportJob:
    """Claim and run a job to the end (the Celery task, the command line, tests). Returns the job.

    When another live run holds the job, returns it unchanged (still running). Whatever goes wrong
    inside, the job ends failed with a message and nothing saved; the worker carries on.
    """
    claim, claimed = import_job_claim(job_id=job.pk)
    if claim is not Claim.CLAIMED or claimed is None:
        job.refresh_from_db()
        return job
    return import_job_run_claimed(job=claimed, progress=progress)


def import_job_run_claimed(*, job: ImportJob, progress: Callable[[int], None] | None = None) -> ImportJob:
    """Run a job this process has claimed (``import_job_claim``) to its end."""
    try:
        with translation.override(settings.LANGUAGE_CODE):
            return _run_claimed(job, progress)
    except ImportFileError as error:
        return _finish(job, status=ImportJob.Status.FAILED, problems=_file_problem(str(error)))
    except MemoryError:
        with translation.override(settings.LANGUAGE_CODE):
            message = _(
                "파일을 읽는 데 메모리가 너무 많이 들어 멈췄습니다. 아무것도 저장하지 않았습니다. 파일을 나누어 주세요."
            )
        return _finish(job, status=ImportJob.Status.FAILED, problems=_file_problem(message))
    except SoftTimeLimitExceeded:
        with translation.override(settings.LANGUAGE_CODE):
            message = _("시간이 너무 오래 걸려 멈췄습니다. 아무것도 저장하지 않았습니다. 파일을 나누어 주세요.")
        return _finish(job, status=ImportJob.Status.FAILED, problems=_file_problem(message))
    except Exception as error:  # never leave a job running, never take the worker down
        # The class and the frames, not the message: a cell's value (a name) may be in it.
        logger.error(
            "import job %s failed: %s\n%s",
            job.uuid,
            type(error).__name__,
            "".join(traceback.format_tb(error.__traceback__)),
        )
        with translation.override(settings.LANGUAGE_CODE):
            message = _("예상하지 못한 오류로 멈췄습니다. 아무것도 저장하지 않았습니다. 관리자에게 알려 주세요.")
        return _finish(job, status=ImportJob.Status.FAILED, problems=_file_problem(message))


def _still_ours(job: ImportJob) -> Callable[[], bool]:
    def check() -> bool:
        return (
            ImportJob.objects.select_for_update()
            .filter(pk=job.pk, attempts=job.attempts, status=ImportJob.Status.RUNNING)
            .exists()
        )

    return check


def _run_claimed(job: ImportJob, progress: Callable[[int], None] | None) -> ImportJob:
    membership = job.membership
    actor = Actor(user=job.user, membership=membership)
    if not (job.user.is_active and membership.is_active and membership.agency.is_active):
        return _finish(
            job,
            status=ImportJob.Status.FAILED,
            problems=_file_problem(_("요청한 사람의 소속이 더 이상 유효하지 않습니다.")),
        )
    content = ImportJob.objects.values_list("content", flat=True).get(pk=job.pk)
    rows = read_rows(bytes(content), job.file_format, COLUMNS[ImportJob.Kind(job.kind)])
    del content
    job.total_rows = len(rows)
    ImportJob.objects.filter(pk=job.pk, attempts=job.attempts).update(
        total_rows=job.total_rows, lease_until=_long_lease_end(), updated_at=timezone.now()
    )
    reporter = ProgressReporter(job, progress)
    try:
        result = IMPORTERS[ImportJob.Kind(job.kind)](actor, progress=reporter).run(
            rows, commit=job.mode == ImportJob.Mode.IMPORT, still_ours=_still_ours(job)
        )
    except PermissionDenied as error:
        return _finish(job, status=ImportJob.Status.FAILED, problems=_file_problem(str(error)))
    finally:
        reporter.close()
    problems = [p.as_dict() for p in result.problems]
    committed = job.mode == ImportJob.Mode.IMPORT and not problems
    status = ImportJob.Status.FAILED if job.mode == ImportJob.Mode.IMPORT and problems else ImportJob.Status.DONE
    job = _finish(job, status=status, problems=problems, created=result.created, skipped=result.skipped)
    if committed and job.status == status:
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=job,
            detail=f"imported {job.kind}: {job.created_count} created, {job.skipped_count} skipped",
        )
    return job


@dataclass
class Sweep:
    requeue: list[int] = field(default_factory=list)  # job ids to send to the workers again
    interrupted: int = 0


def import_jobs_sweep(*, queued_older_than_seconds: int = 300) -> Sweep:
    """The periodic look at the queue (celery beat, every minute).

    - a running job whose lease ran out or whose worker died: queued again (its run left nothing),
      or, after HAMKKE_IMPORT_MAX_ATTEMPTS runs, shown as interrupted ("중단됨 — 저장되지 않음");
    - a job queued for a while: its message may have been lost (a broker restarted, a worker killed
      holding it): sent again. Claiming is idempotent, so a second message costs one query.
    """
    now = timezone.now()
    sweep = Sweep()
    for job in ImportJob.objects.defer("content", "problems").filter(status=ImportJob.Status.RUNNING):
        if not import_job_is_stale(job, now):
            continue
        if job.attempts >= settings.HAMKKE_IMPORT_MAX_ATTEMPTS:
            sweep.interrupted += _interrupt(job)
        elif ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.RUNNING, attempts=job.attempts).update(
            status=ImportJob.Status.QUEUED, worker="", lease_until=None, processed_rows=0, updated_at=now
        ):
            sweep.requeue.append(job.pk)
    waiting = ImportJob.objects.filter(
        status=ImportJob.Status.QUEUED, updated_at__lt=now - datetime.timedelta(seconds=queued_older_than_seconds)
    )
    for job_id in waiting.order_by("created_at").values_list("pk", flat=True)[:1000]:
        ImportJob.objects.filter(pk=job_id).update(updated_at=now)
        sweep.requeue.append(job_id)
    return sweep


# --- Export ---------------------------------------------------------------------------------------

EXPORT_ENTITIES = (ImportJob.Kind.HOUSEHOLDS, ImportJob.Kind.SERVICES)


def _household_rows(actor: Actor) -> Iterator[list]:
    households = list(selectors.households_for_export(actor=actor))
    keys = selectors.household_keys(actor=actor, household_ids=[h.pk for h in households])
    relations = {key: str(label) for key, label in Person.Relation.choices}
    for household in households:
        for person in household.members.all():
            yield [
                keys.get(household.pk, str(household.uuid)),
                household.dong.name,
                household.address,
                household.address_detail,
                person.name,
                person.birth_date.isoformat() if person.birth_date else "",  # unknown persons have none
                person.sex,
                relations.get(person.relation, "") if person.relation else "",
                person.phone,
                "",
                "",
                "",
                "",
            ]


def _households_export(
    *, actor: Actor, file_format: str, reason: str, name: str, request: HttpRequest | None
) -> ChunkedFile:
    """Every household the actor may read, one row per member, in the importer's columns."""
    export_id = uuid.uuid4().hex
    audit_export(
        actor=actor,
        object_type="household",
        export_id=export_id,
        file_format=file_format,
        scope=record_exports.scope_words(actor=actor),
        period=_("전체 기간"),
        rows=selectors.household_members_count(actor=actor),
        reason=reason,
        request=request,
    )
    chunks = file_chunks(file_format, [c.header for c in HOUSEHOLD_COLUMNS], _household_rows(actor))
    return ChunkedFile(f"{name}-{export_id[:8]}.{file_format}", CONTENT_TYPES[file_format], chunks)


def export_file(
    *, actor: Actor, entity: str, file_format: str, reason: str, request: HttpRequest | None = None
) -> ChunkedFile:
    """Everything of ``entity`` the actor may read, in the import's columns (RRNs never included), so
    that the file imports again without duplicates. Service records come from the one exporter
    (``records.exports``); the households from the same writer (``core.spreadsheet``).

    A download of personal data needs a stated reason (DOMAIN.md §6): it goes into the access log
    row of the export, with the scope and the number of rows.
    """
    reason = (reason or "").strip()
    errors = {}
    if entity not in EXPORT_ENTITIES:
        errors["entity"] = _("알 수 없는 내보내기 대상입니다.")
    if file_format not in CONTENT_TYPES:
        errors["file_format"] = _("CSV 또는 엑셀(xlsx)을 고르세요.")
    if len(reason) < REASON_MIN:
        errors["reason"] = _("내려받는 이유를 구체적으로 적으세요(개인정보 내려받기는 사유를 기록합니다).")
    if errors:
        raise ValidationError(errors)
    if actor.membership is None:
        raise PermissionDenied(_("소속 기관이 없어 내려받을 수 없습니다."))
    name = f"hamkke-{entity}-{timezone.localdate():%Y%m%d}"
    # The importer's columns and labels are Korean whatever the page's language: the file imports again.
    with translation.override(settings.LANGUAGE_CODE):
        if entity == ImportJob.Kind.HOUSEHOLDS:
            return _households_export(actor=actor, file_format=file_format, reason=reason, name=name, request=request)
        return record_exports.service_records_export(
            actor=actor,
            selection=record_exports.Selection(scope=record_exports.scope_words(actor=actor), period=_("전체 기간")),
            layout=[(c.key, c.header) for c in SERVICE_COLUMNS],
            file_format=file_format,
            reason=reason,
            name=name,
            request=request,
        )
