"""Import jobs (create, confirm, run) and exports: permission checks, audit, all or nothing."""

from __future__ import annotations

import csv
import datetime
import io
import time
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hamkke.access.policy import CASEWORK, can_open_case, may
from hamkke.accounts.actor import Actor
from hamkke.api.selectors import person_ids_of_cases
from hamkke.audit.models import Action
from hamkke.audit.services import audit_record
from hamkke.core.spreadsheet import escape_formula

from . import selectors
from .importers import COLUMNS, HOUSEHOLD_COLUMNS, IMPORTERS, SERVICE_COLUMNS
from .models import ImportJob
from .parsers import ImportFileError, format_of, read_rows

MAX_PROBLEMS_KEPT = 10_000
PROGRESS_EVERY_ROWS = 200
PROGRESS_EVERY_SECONDS = 1.0
REASON_MIN = 4


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
) -> ImportJob:
    """Queue a run over an uploaded file. A new file always starts with a dry run."""
    if kind not in ImportJob.Kind.values or mode not in ImportJob.Mode.values:
        raise ValidationError({"kind": _("알 수 없는 가져오기 대상입니다.")})
    if not may_import(actor, kind):
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
    return job


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
    """Writes how many rows are done while the run's transaction is still open.

    The run's own writes are invisible until it commits, so on PostgreSQL the count goes through
    a second connection (autocommit). SQLite allows one writer at a time: there the page shows
    the count of the checks before the transaction and the result at the end.
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
                    f"UPDATE {ImportJob._meta.db_table} SET processed_rows = %s WHERE id = %s", [done, self.job.pk]
                )

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


def _finish(job: ImportJob, *, status: str, problems: list[dict], created: int = 0, skipped: int = 0) -> ImportJob:
    job.status, job.problems = status, problems[:MAX_PROBLEMS_KEPT]
    job.created_count, job.skipped_count = created, skipped
    job.processed_rows, job.finished_at = job.total_rows, timezone.now()
    job.save(
        update_fields=[
            "status",
            "problems",
            "created_count",
            "skipped_count",
            "processed_rows",
            "finished_at",
            "updated_at",
        ]
    )
    return job


def _file_problem(message: str) -> list[dict]:
    return [{"row": 1, "column": "", "message": message}]


def import_job_run(*, job: ImportJob, progress: Callable[[int], None] | None = None) -> ImportJob:
    """Run a queued job to the end (the worker or the command line). Returns the finished job."""
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now()
    )
    job.refresh_from_db()
    if not claimed:
        return job  # another worker took it
    membership = job.membership
    actor = Actor(user=job.user, membership=membership)
    with translation.override(settings.LANGUAGE_CODE):
        if not (job.user.is_active and membership.is_active and membership.agency.is_active):
            return _finish(
                job,
                status=ImportJob.Status.FAILED,
                problems=_file_problem(_("요청한 사람의 소속이 더 이상 유효하지 않습니다.")),
            )
        try:
            rows = read_rows(bytes(job.content), job.file_format, COLUMNS[job.kind])
        except ImportFileError as error:
            return _finish(job, status=ImportJob.Status.FAILED, problems=_file_problem(str(error)))
        job.total_rows = len(rows)
        job.save(update_fields=["total_rows", "updated_at"])
        reporter = ProgressReporter(job, progress)
        try:
            result = IMPORTERS[job.kind](actor, progress=reporter).run(rows, commit=job.mode == ImportJob.Mode.IMPORT)
        except PermissionDenied as error:
            return _finish(job, status=ImportJob.Status.FAILED, problems=_file_problem(str(error)))
        finally:
            reporter.close()
    problems = [p.as_dict() for p in result.problems]
    committed = job.mode == ImportJob.Mode.IMPORT and not problems
    status = ImportJob.Status.FAILED if job.mode == ImportJob.Mode.IMPORT and problems else ImportJob.Status.DONE
    job = _finish(job, status=status, problems=problems, created=result.created, skipped=result.skipped)
    if committed:
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=job,
            detail=f"imported {job.kind}: {job.created_count} created, {job.skipped_count} skipped",
        )
    return job


def import_jobs_fail_stale(*, older_than_hours: int = 6) -> int:
    """Jobs left 'running' by a worker that died: nothing of theirs was committed (one transaction)."""
    limit = timezone.now() - datetime.timedelta(hours=older_than_hours)
    return ImportJob.objects.filter(status=ImportJob.Status.RUNNING, started_at__lt=limit).update(
        status=ImportJob.Status.FAILED,
        finished_at=timezone.now(),
        problems=_file_problem(_("작업이 중단되었습니다. 아무것도 저장하지 않았습니다. 다시 시도하세요.")),
    )


# --- Export ---------------------------------------------------------------------------------------

EXPORT_ENTITIES = (ImportJob.Kind.HOUSEHOLDS, ImportJob.Kind.SERVICES)


def _label(instance, field: str) -> str:
    return str(getattr(instance, f"get_{field}_display")()) if getattr(instance, field) else ""


def _household_rows(actor: Actor) -> tuple[list[list], list[int]]:
    households = list(selectors.households_for_export(actor=actor))
    keys = selectors.household_keys(actor=actor, household_ids=[h.pk for h in households])
    rows, person_ids = [], []
    for household in households:
        for person in household.members.all():
            person_ids.append(person.pk)
            rows.append(
                [
                    keys.get(household.pk, str(household.uuid)),
                    household.dong.name,
                    household.address,
                    household.address_detail,
                    person.name,
                    person.birth_date.isoformat(),
                    person.sex,
                    _label(person, "relation"),
                    person.phone,
                    "",
                    "",
                    "",
                    "",
                ]
            )
    return rows, person_ids


def _service_rows(actor: Actor) -> tuple[list[list], list[int]]:
    records = list(selectors.service_records_for_export(actor=actor))
    rows = [
        [
            str(r.uuid),
            str(r.case.uuid),
            "",
            r.provided_on.isoformat(),
            _label(r, "domain"),
            _label(r, "mode"),
            r.provider_agency.name,
            r.resource.name if r.resource else "",
            r.description,
            _label(r, "amount_kind"),
            "" if r.amount is None else int(r.amount),
        ]
        for r in records
    ]
    return rows, person_ids_of_cases(r.case_id for r in records)


def _write(file_format: str, header: list[str], rows: list[list]) -> bytes:
    rows = [[escape_formula(value) for value in row] for row in rows]
    if file_format == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
        return out.getvalue().encode("utf-8-sig")  # with a BOM: Excel then reads Hangul correctly
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export_file(
    *, actor: Actor, entity: str, file_format: str, reason: str, request: HttpRequest | None = None
) -> tuple[str, bytes]:
    """Everything of ``entity`` the actor may read, in the import's columns (RRNs never included).

    A download of personal data needs a stated reason (DOMAIN.md §6): it goes into the access log
    with the persons exported.
    """
    reason = (reason or "").strip()
    errors = {}
    if entity not in EXPORT_ENTITIES:
        errors["entity"] = _("알 수 없는 내보내기 대상입니다.")
    if file_format not in ("csv", "xlsx"):
        errors["file_format"] = _("CSV 또는 엑셀(xlsx)을 고르세요.")
    if len(reason) < REASON_MIN:
        errors["reason"] = _("내려받는 이유를 구체적으로 적으세요(개인정보 내려받기는 사유를 기록합니다).")
    if errors:
        raise ValidationError(errors)
    if actor.membership is None:
        raise PermissionDenied(_("소속 기관이 없어 내려받을 수 없습니다."))
    with translation.override(settings.LANGUAGE_CODE):
        if entity == ImportJob.Kind.HOUSEHOLDS:
            columns, (rows, person_ids) = HOUSEHOLD_COLUMNS, _household_rows(actor)
        else:
            columns, (rows, person_ids) = SERVICE_COLUMNS, _service_rows(actor)
        content = _write(file_format, [c.header for c in columns], rows)
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type=entity,
        person_ids=person_ids,
        request=request,
        detail=f"{entity} {file_format}, {len(rows)} rows; reason: {reason}",
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    return f"hamkke-{entity}-{stamp}.{file_format}", content
