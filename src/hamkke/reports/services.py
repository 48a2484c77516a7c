"""Writes of the reports app: exports (each one audited) and the anonymised case stories.

Every export writes one access-log row (Action.EXPORT). Aggregate figures (xlsx, PDF) are not
personal data; the raw service records (CSV or xlsx, ``service_records_export``) are: they come
only from cases in the actor's scope and need a stated reason, which is kept in the log row
(DOMAIN.md §6: a download of personal data needs a stated reason).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkke.access.policy import APPROVE_CASE, CHANGE_CASE, DISTRICT_WIDE, VIEW_CASE, can, may
from hamkke.accounts.actor import Actor
from hamkke.audit.models import Action
from hamkke.audit.services import audit_record
from hamkke.cases.models import Case
from hamkke.core.downloads import ChunkedFile
from hamkke.core.spreadsheet import CONTENT_TYPES
from hamkke.core.validation import clean_fields
from hamkke.records import exports as record_exports

from . import exports, pdf
from .models import CaseStory
from .periods import Period
from .selectors import (
    Statistics,
    approved_stories_for_workshop,
    report_scope,
    statistics_for_actor,
    story_get_for_actor,
)
from .story import build_story, scrub_for_case

XLSX = "xlsx"
PDF = "pdf"
REASON_MIN, REASON_MAX = 5, 200


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    content: bytes


def _period_slug(period: Period) -> str:
    return f"{period.start:%Y%m%d}-{period.end:%Y%m%d}"


def _clean_reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if len(reason) < REASON_MIN:
        raise ValidationError({"reason": _("내려받는 이유를 %(n)s자 이상 적어 주세요.") % {"n": REASON_MIN}})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("이유는 %(n)s자 이내로 적어 주세요.") % {"n": REASON_MAX}})
    return reason


def report_export(
    *,
    actor: Actor,
    kind: str,
    period: Period,
    agency_ids: Iterable[int] | None = None,
    reason: str = "",
    request: HttpRequest | None = None,
) -> ExportFile:
    """Build an export within the actor's scope and record it in the access log.

    Raises PermissionDenied outside the scope, ValidationError for a missing reason (CSV) and
    pdf.KoreanFontMissing when no Korean font is installed (the view answers 503).
    """
    agency_ids = list(agency_ids or ())
    if kind in (XLSX, PDF):
        stats = statistics_for_actor(actor=actor, period=period, agency_ids=agency_ids)
        if kind == XLSX:
            content = exports.statistics_xlsx(stats)
            result = ExportFile(
                f"hamkke-figures-{_period_slug(period)}.xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                content,
            )
        else:
            content = pdf.annual_report_pdf(stats)
            result = ExportFile(f"hamkke-report-{_period_slug(period)}.pdf", "application/pdf", content)
        audit_record(
            actor=actor,
            action=Action.EXPORT,
            object_type="report",
            object_id=kind,
            request=request,
            detail=f"{kind} {period.range_label} {stats.scope.label}",
        )
        return result
    raise ValidationError({"kind": _("알 수 없는 내려받기 형식입니다.")})


def service_records_selection(
    *, actor: Actor, period: Period, agency_ids: Iterable[int] | None, file_format: str, reason: str
) -> tuple[record_exports.Selection, str]:
    """What an export of the raw service records would hold, and its cleaned reason; raises like
    ``service_records_export`` (also used to check a background export before it is queued)."""
    if file_format not in CONTENT_TYPES:
        raise ValidationError({"file_format": _("CSV 또는 엑셀(xlsx)을 고르세요.")})
    reason = _clean_reason(reason)
    agency_ids = list(agency_ids or ())
    scope = report_scope(actor=actor, agency_ids=agency_ids)  # PermissionDenied beyond the figures
    chosen = list(scope.agency_ids or ()) if agency_ids else None
    selection = record_exports.Selection(
        scope=record_exports.scope_words(actor=actor, provider_agencies=scope.agency_names if chosen else ()),
        period=period.range_label,
        start=period.start,
        end=period.end,
        provider_agency_ids=chosen,
    )
    return selection, reason


def service_records_export(
    *,
    actor: Actor,
    period: Period,
    agency_ids: Iterable[int] | None = None,
    file_format: str = "csv",
    reason: str = "",
    request: HttpRequest | None = None,
    progress: record_exports.Progress | None = None,
) -> ChunkedFile:
    """The raw service records of ``period`` (personal data): of the cases the actor may read, with a
    stated reason (DOMAIN.md §6), through the one exporter (``records.exports``), which logs it.

    Raises PermissionDenied without the figures (or for agencies beyond them) and ValidationError
    for a missing reason or an unknown format. ``progress``: see ``records.exports.rows``."""
    selection, reason = service_records_selection(
        actor=actor, period=period, agency_ids=agency_ids, file_format=file_format, reason=reason
    )
    return record_exports.service_records_export(
        actor=actor,
        selection=selection,
        layout=record_exports.REPORT_LAYOUT,
        file_format=file_format,
        reason=reason,
        name=f"hamkke-services-{_period_slug(period)}",
        request=request,
        progress=progress,
    )


# --- Case stories -------------------------------------------------------------------------------------


def _require(actor: Actor, permission: str, case: Case, message: str) -> None:
    if not can(actor, permission, case):
        raise PermissionDenied(message)


def story_write(*, actor: Actor, case: Case, request: HttpRequest | None = None) -> CaseStory:
    """Write (or write again) the anonymised story of a case from its timeline; it waits for approval."""
    _require(actor, CHANGE_CASE, case, _("주관 기관의 담당자만 사례 이야기를 만들 수 있습니다."))
    title, text = build_story(actor=actor, case=case)
    with transaction.atomic():
        written, created = CaseStory.objects.update_or_create(
            case=case,
            defaults={
                "district_id": case.district_id,
                "agency_id": case.lead_agency_id,
                "title": title[:200],
                "text": text,
                "status": CaseStory.Status.PENDING,
                "written_by": actor.user,
                "decided_by": None,
                "decided_at": None,
                "comment": "",
            },
        )
        audit_record(
            actor=actor,
            action=Action.CREATE if created else Action.UPDATE,
            obj=written,
            case_id=case.pk,
            request=request,
            detail="story written from the timeline",
        )
    return written


def story_edit(
    *, actor: Actor, story: CaseStory, title: str, text: str, request: HttpRequest | None = None
) -> CaseStory:
    """Save a worker's edit (scrubbed again with the same rules); it goes back for approval."""
    case = story.case
    _require(actor, CHANGE_CASE, case, _("주관 기관의 담당자만 사례 이야기를 고칠 수 있습니다."))
    title, text = (title or "").strip(), (text or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("제목을 적어 주세요.")
    if not text:
        errors["text"] = _("이야기 내용을 적어 주세요.")
    clean_fields(CaseStory(text=text), ["text"], errors=errors)
    with transaction.atomic():
        locked = CaseStory.objects.select_for_update().get(pk=story.pk)
        locked.title = scrub_for_case(actor=actor, case=case, text=title)[:200]
        locked.text = scrub_for_case(actor=actor, case=case, text=text)
        locked.status = CaseStory.Status.PENDING
        locked.written_by = actor.user
        locked.decided_by, locked.decided_at, locked.comment = None, None, ""
        locked.save()
        audit_record(
            actor=actor, action=Action.UPDATE, obj=locked, case_id=case.pk, request=request, detail="story edited"
        )
    return locked


def story_decide(
    *, actor: Actor, story: CaseStory, approve: bool, comment: str = "", request: HttpRequest | None = None
) -> CaseStory:
    """A supervisor of the lead agency approves the story (then it may be downloaded) or returns it."""
    comment = (comment or "").strip()
    with transaction.atomic():
        locked = CaseStory.objects.select_for_update(of=("self",)).select_related("case").get(pk=story.pk)
        _require(actor, APPROVE_CASE, locked.case, _("주관 기관의 팀장만 사례 이야기를 승인합니다."))
        if locked.status != CaseStory.Status.PENDING:
            raise ValidationError({"decision": _("승인을 기다리는 이야기가 아닙니다.")})
        if approve and locked.written_by_id == actor.user.pk:
            raise ValidationError(
                {"decision": _("자신이 쓰거나 고친 이야기는 승인할 수 없습니다. 다른 팀장이 승인합니다.")}
            )
        if not approve and not comment:
            raise ValidationError({"comment": _("반려하려면 검토 의견을 적어야 합니다.")})
        clean_fields(CaseStory(comment=comment), ["comment"])
        locked.status = CaseStory.Status.APPROVED if approve else CaseStory.Status.RETURNED
        locked.decided_by, locked.decided_at, locked.comment = actor.user, timezone.now(), comment
        locked.save(update_fields=["status", "decided_by", "decided_at", "comment", "updated_at"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=locked,
            case_id=locked.case_id,
            request=request,
            detail=f"story {locked.status}",
        )
    return locked


def story_export(*, actor: Actor, story: CaseStory, request: HttpRequest | None = None) -> ExportFile:
    """The approved story as a UTF-8 text file; anything not approved stays inside Hamkke."""
    _require(actor, VIEW_CASE, story.case, _("이 사례 이야기를 내려받을 권한이 없습니다."))
    story = story_get_for_actor(actor=actor, uuid=story.uuid)  # the text as this reader may read it
    if getattr(story, "sensitive_withheld", False):  # set by the selector (access.sensitive)
        raise PermissionDenied(_("민감정보 별도 동의가 이 기관을 포함하지 않아 이 사례 이야기를 내려받을 수 없습니다."))
    if story.status != CaseStory.Status.APPROVED:
        raise ValidationError({"status": _("팀장이 승인한 이야기만 내려받을 수 있습니다.")})
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        obj=story,
        case_id=story.case_id,
        request=request,
        detail="approved case story",
    )
    approved = _("승인: %(who)s, %(at)s") % {
        "who": _("주관 기관 팀장"),
        "at": f"{timezone.localtime(story.decided_at):%Y-%m-%d}",
    }
    body = f"{story.text.rstrip()}\n\n— {approved}\n"
    return ExportFile(
        f"hamkke-story-{story.reference}.txt", "text/plain; charset=utf-8", ("\ufeff" + body).encode("utf-8")
    )


@dataclass(frozen=True)
class WorkshopPack:
    """A practice-sharing workshop pack (사례 공유 워크숍 자료): the year's figures and chosen stories."""

    year: int
    stats: Statistics
    stories: list[CaseStory]


def workshop_pack(
    *, actor: Actor, year: int, story_uuids: Iterable, request: HttpRequest | None = None
) -> WorkshopPack:
    """The district's figures of ``year`` and the chosen approved stories, for printing together.

    For the district case-management admin (who hosts the workshops). Only approved stories go in
    (a supervisor has read each one); each one printed is written to the access log like a download.
    """
    if not may(actor, DISTRICT_WIDE):
        raise PermissionDenied(_("워크숍 자료는 시군구 통합사례관리 관리자가 만듭니다."))
    wanted = {str(u) for u in story_uuids}
    stories = [story for story in approved_stories_for_workshop(actor=actor) if str(story.uuid) in wanted]
    if not stories:
        raise ValidationError({"stories": _("승인된 사례 이야기를 하나 이상 고르세요.")})
    if not 2000 <= year <= timezone.localdate().year:
        raise ValidationError({"year": _("연도를 확인하세요 (예: 2026).")})
    stats = statistics_for_actor(actor=actor, period=Period.of_year(year))
    for story in stories:
        audit_record(
            actor=actor, action=Action.EXPORT, obj=story, case_id=story.case_id, request=request, detail="workshop pack"
        )
    return WorkshopPack(year=year, stats=stats, stories=stories)
