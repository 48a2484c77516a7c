"""Writes for cases: opening, stage changes (the only way a stage changes), team membership."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkke.access.policy import CASEWORK, CHANGE_CASE, can, can_open_case, may
from hamkke.accounts.actor import Actor
from hamkke.accounts.models import Membership
from hamkke.audit.models import Action
from hamkke.audit.services import audit_record
from hamkke.core.event_time import day_start, event_at_errors, future_date_message
from hamkke.core.locking import check_version
from hamkke.core.validation import clean_fields
from hamkke.districts.models import Agency, District
from hamkke.people.models import Household, Person
from hamkke.people.services import (
    household_create,
    household_errors,
    person_create,
    person_duplicate_check,
    person_errors,
)

from . import workflow
from .closure import closure_evaluation_text
from .models import (
    DEFAULT_CASE_TYPES,
    Case,
    CaseParticipant,
    CaseType,
    ClosureReason,
    ReferralSource,
    StageChange,
    TeamEvent,
    Urgency,
)
from .workflow import INACTIVE, ApprovalKind, Stage, can_enter, spec


def case_types_ensure_defaults(*, district: District) -> list[CaseType]:
    """Create the national default case types for a district (idempotent)."""
    return [
        CaseType.objects.get_or_create(district=district, code=spec["code"], defaults=spec)[0]
        for spec in DEFAULT_CASE_TYPES
    ]


def _works_in(user, agency_id: int) -> bool:
    return Membership.objects.filter(user=user, agency_id=agency_id, is_active=True).exists()


def case_open(
    *,
    actor: Actor,
    household: Household,
    summary: str = "",
    opened_on: datetime.date | None = None,
    lead_worker=None,
    request: HttpRequest | None = None,
) -> Case:
    """Open a case for a household, led by the actor's agency, starting at identification (발굴)."""
    if not can_open_case(actor):
        raise PermissionDenied(_("이 역할로는 사례를 등록할 수 없습니다."))
    if household.district_id != actor.district_id:
        raise PermissionDenied(_("다른 시군구의 가구에는 사례를 열 수 없습니다."))
    if lead_worker is not None and not _works_in(lead_worker, actor.agency_id):
        raise ValidationError({"lead_worker": _("주 담당자는 주관 기관 소속이어야 합니다.")})
    opened_on = opened_on or timezone.localdate()
    if opened_on > timezone.localdate():
        raise ValidationError({"opened_on": future_date_message()})
    at = day_start(opened_on)
    with transaction.atomic():
        case = Case.objects.create(
            district_id=actor.district_id,
            household=household,
            lead_agency_id=actor.agency_id,
            lead_worker=lead_worker or actor.user,
            summary=summary.strip(),
            opened_on=opened_on,
            stage=Stage.IDENTIFICATION,
            stage_changed_at=at,
        )
        StageChange.objects.create(
            district_id=case.district_id,
            case=case,
            from_stage="",
            to_stage=Stage.IDENTIFICATION,
            changed_by=actor.user,
            changed_at=at,
            reason=_("사례 등록"),
        )
        audit_record(actor=actor, action=Action.CREATE, obj=case, case_id=case.pk, request=request)
    return case


# Sanity bound for a typed first-contact date (a year typo such as 0219 instead of 2019).
EARLIEST_FIRST_CONTACT = datetime.date(2000, 1, 1)


def _intake_errors(
    *,
    referral_source: str,
    referral_note: str,
    first_contact_on: datetime.date | None,
    urgency: str,
    opened_on: datetime.date,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if referral_source and referral_source not in ReferralSource.values:
        errors["referral_source"] = [_("알 수 없는 발굴 경로입니다. 목록에서 고르세요.")]
    elif referral_source == ReferralSource.OTHER and not referral_note:
        errors["referral_note"] = [_("발굴 경로가 ‘기타’이면 어떤 경로인지 적어 주세요.")]
    if urgency and urgency not in Urgency.values:
        errors["urgency"] = [_("알 수 없는 긴급도입니다. 목록에서 고르세요.")]
    if first_contact_on is not None:
        if first_contact_on > timezone.localdate():
            errors["first_contact_on"] = [future_date_message()]
        elif first_contact_on > opened_on:
            errors["first_contact_on"] = [
                _("첫 접촉일은 사례 개시일(%(date)s)보다 늦을 수 없습니다 — 그날 또는 그 전 날짜를 입력하세요")
                % {"date": opened_on.isoformat()}
            ]
        elif first_contact_on < EARLIEST_FIRST_CONTACT:
            errors["first_contact_on"] = [_("첫 접촉일이 너무 이릅니다 — 2000-01-01 이후인지 연도를 확인하세요")]
    return errors


def case_register(
    *,
    actor: Actor,
    dong,
    address: str,
    address_detail: str = "",
    head: dict,
    summary: str = "",
    opened_on: datetime.date | None = None,
    referral_source: str = "",
    referral_note: str = "",
    first_contact_on: datetime.date | None = None,
    urgency: str = "",
    confirm_not_duplicate: bool = False,
    duplicate_check: bool = True,
    request: HttpRequest | None = None,
) -> Case:
    """Register a household found by outreach or referral, with its head, and open its case.

    Intake (발굴·접수): how the household was found (``referral_source`` and a note), the first
    contact (not after the opening date) and the urgency screening. The case opens on the first
    contact when one is given and no opening date is (issue 13: work typed after the fact — the
    outreach visits before registration are part of the case). All or nothing: a bad RRN or
    date leaves no half-made household behind. The duplicate-person rule runs first
    (``people.services.person_duplicate_check``): the same RRN in the district is a hard stop, a
    match by name and birth date raises ``DuplicatePersonFound`` with the candidates for the caller
    to show unless ``confirm_not_duplicate`` says the worker checked it is someone else.
    A head registered unknown (``identity_known=False`` in ``head``: "성명 미상" with a description)
    is checked when the identity is completed (``people.services.person_complete_identity``).
    ``duplicate_check=False`` is for bulk loaders only (the file import checks a whole file against
    the district in one pass and logs it once; the demo seeder); an RRN stays unique either way.
    """
    if not can_open_case(actor):
        raise PermissionDenied(_("이 역할로는 사례를 등록할 수 없습니다."))
    referral_note = (referral_note or "").strip()
    opened_on = opened_on or first_contact_on or timezone.localdate()
    # Every problem of the registration in one answer (issue 13 item 8): the intake, the household's
    # place and its head, not one round each.
    errors = _intake_errors(
        referral_source=referral_source,
        referral_note=referral_note,
        first_contact_on=first_contact_on,
        urgency=urgency,
        opened_on=opened_on,
    )
    errors |= household_errors(actor=actor, dong=dong, address=address)
    errors |= person_errors(actor=actor, **head)
    # The case's own fields, checked before anything is written (the case is opened further down).
    clean_fields(Case(referral_note=referral_note), ["referral_note"], errors=errors)
    identified = head.get("identity_known", True) and head.get("name") and head.get("birth_date")
    if duplicate_check and identified:  # outside the transaction: the lookup stays in the log when it stops here
        person_duplicate_check(
            actor=actor,
            name=head.get("name", ""),
            birth_date=head.get("birth_date"),
            rrn=head.get("rrn", ""),
            confirm_not_duplicate=confirm_not_duplicate,
            request=request,
        )
    with transaction.atomic():
        household = household_create(
            actor=actor, dong=dong, address=address, address_detail=address_detail, request=request
        )
        person_create(actor=actor, household=household, relation=Person.Relation.HEAD, request=request, **head)
        case = case_open(actor=actor, household=household, summary=summary, opened_on=opened_on, request=request)
        if referral_source or referral_note or first_contact_on or urgency:
            # Part of the registration audited by case_open; saved through the model for the change history.
            case.referral_source, case.referral_note = referral_source, referral_note
            case.first_contact_on, case.urgency = first_contact_on, urgency
            case.save(update_fields=["referral_source", "referral_note", "first_contact_on", "urgency", "updated_at"])
        return case


def _same_minute(a: datetime.datetime, b: datetime.datetime) -> bool:
    return a.replace(second=0, microsecond=0) == b.replace(second=0, microsecond=0)


def case_change_stage(
    *,
    actor: Actor,
    case: Case,
    to_stage: str,
    reason: str = "",
    closure_reason: str = "",
    occurred_at: datetime.datetime | None = None,
    expected_version: int | None = None,
    approval: str = "",
    request: HttpRequest | None = None,
) -> Case:
    """Move a case to another stage if the transition is allowed; record who, when and why.

    A stage whose spec names an approval kind (closing: ``ApprovalKind.CLOSURE``) is entered only
    by that kind's handler, which passes ``approval`` once the request is approved (or the district
    needs no approval); a plain stage change into it is refused. Closing needs a closure reason
    (ClosureReason); the closure handler adds the evaluation.

    ``occurred_at`` is when the change happened (default: now): never in the future, never before
    the case's previous stage change (``core.event_time``). The StageChange keeps who typed it and
    when (``changed_by``, ``created_at``); counts and deadlines read ``changed_at``.
    """
    reason = (reason or "").strip()
    if to_stage not in Stage.values:
        raise ValidationError({"to_stage": _("알 수 없는 단계입니다.")})
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if not can(actor, CHANGE_CASE, case):
            raise PermissionDenied(_("이 사례의 단계를 바꿀 권한이 없습니다."))
        check_version(case, expected_version)
        if not can_enter(case.stage, to_stage):
            raise ValidationError(
                {
                    "to_stage": _("‘%(from)s’에서 ‘%(to)s’(으)로는 바꿀 수 없습니다.")
                    % {"from": Stage(case.stage).label, "to": Stage(to_stage).label}
                }
            )
        target = spec(to_stage)
        if target.approval and approval != target.approval:
            raise ValidationError(
                {"to_stage": _("‘%(to)s’(으)로는 결재 절차로만 바꿀 수 있습니다.") % {"to": Stage(to_stage).label}}
            )
        if target.reason_required and not reason:
            raise ValidationError(
                {"reason": _("‘%(to)s’(으)로 바꾸려면 사유를 적어야 합니다.") % {"to": Stage(to_stage).label}}
            )
        if to_stage == Stage.CLOSED and closure_reason not in ClosureReason.values:
            raise ValidationError({"closure_reason": _("종결 사유를 고르세요.")})
        at = occurred_at or timezone.now()
        previous = case.stage_changed_at
        if previous and isinstance(at, datetime.datetime) and _same_minute(at, previous) and at < previous:
            at = previous  # typed to the minute (the form's default): just after the change made that minute
        errors = event_at_errors(case, "occurred_at", at)
        if not errors and case.stage_changed_at and at < case.stage_changed_at:
            errors = {
                "occurred_at": _("단계 변경 일시는 직전 단계 변경(%(at)s) 이후여야 합니다.")
                % {"at": timezone.localtime(case.stage_changed_at).strftime("%Y-%m-%d %H:%M")}
            }
        if errors:
            raise ValidationError(errors)
        from_stage = case.stage
        case.stage = to_stage
        case.stage_changed_at = at
        if to_stage == Stage.CLOSED:
            case.closed_on = timezone.localtime(at).date()
            case.closure_reason = closure_reason
        elif to_stage == Stage.INTAKE and from_stage in INACTIVE:
            case.closed_on = None  # reopened: the history (stage changes, change log) stays
            case.closure_reason = ""
        case.save(
            update_fields=["stage", "stage_changed_at", "closed_on", "closure_reason", "lock_version", "updated_at"]
        )
        StageChange.objects.create(
            district_id=case.district_id,
            case=case,
            from_stage=from_stage,
            to_stage=to_stage,
            changed_by=actor.user,
            changed_at=at,
            reason=reason,
        )
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=case,
            case_id=case.pk,
            request=request,
            detail=f"stage {from_stage} -> {to_stage}",
        )
        # Pending approvals that no longer make sense in the new stage end here (approvals app).
        workflow.stage_changed(actor=actor, case=case, from_stage=from_stage, to_stage=to_stage, request=request)
    return case


def case_add_participant(
    *,
    actor: Actor,
    case: Case,
    agency: Agency,
    worker=None,
    role: str = "",
    joined_on: datetime.date | None = None,
    request: HttpRequest | None = None,
) -> CaseParticipant:
    """The lead agency adds a participating agency to the case team."""
    if not can(actor, CHANGE_CASE, case):
        raise PermissionDenied(_("이 사례의 팀을 바꿀 권한이 없습니다."))
    return case_team_join(
        actor=actor, case=case, agency=agency, worker=worker, role=role, joined_on=joined_on, request=request
    )


def case_team_join(
    *,
    actor: Actor,
    case: Case,
    agency: Agency,
    worker=None,
    role: str = "",
    joined_on: datetime.date | None = None,
    note: str = "",
    request: HttpRequest | None = None,
) -> CaseParticipant:
    """Put an agency on the team. Callers have established their authority already: the lead
    adding a partner (case_add_participant) or an accepted referral (the referred agency joins)."""
    if agency.district_id != case.district_id or agency.pk == case.lead_agency_id:
        raise ValidationError({"agency": _("같은 시군구의 다른 기관만 참여 기관이 될 수 있습니다.")})
    if case.participants.filter(agency=agency, left_on__isnull=True).exists():
        raise ValidationError({"agency": _("이미 참여 중인 기관입니다.")})
    if worker is not None and not _works_in(worker, agency.pk):
        raise ValidationError({"worker": _("담당자는 참여 기관 소속이어야 합니다.")})
    joined_on = joined_on or timezone.localdate()
    if joined_on < case.opened_on or joined_on > timezone.localdate():
        raise ValidationError({"joined_on": _("참여일은 사례 개시일과 오늘 사이여야 합니다.")})
    with transaction.atomic():
        participant = CaseParticipant.objects.create(
            district_id=case.district_id,
            case=case,
            agency=agency,
            worker=worker,
            role=role.strip(),
            joined_on=joined_on,
        )
        _team_event(actor, case, TeamEvent.Kind.JOINED, agency=agency, worker=worker, note=note or role, day=joined_on)
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=case,
            case_id=case.pk,
            request=request,
            detail=f"participant +{agency.pk}",
        )
    return participant


def _team_event(actor: Actor, case: Case, kind: str, *, agency, worker=None, from_agency=None, note="", day=None):
    today = timezone.localdate()
    at = (
        timezone.now()
        if day is None or day == today
        else timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    )
    return TeamEvent.objects.create(
        district_id=case.district_id,
        case=case,
        kind=kind,
        agency=agency,
        worker=worker,
        from_agency=from_agency,
        note=note.strip(),
        at=at,
        by=actor.user,
    )


def case_participant_leave(
    *,
    actor: Actor,
    participant: CaseParticipant,
    left_on: datetime.date | None = None,
    note: str = "",
    request: HttpRequest | None = None,
) -> CaseParticipant:
    """A participating agency leaves the team: the lead decides, or the agency itself withdraws."""
    case = participant.case
    own_agency = participant.agency_id == actor.agency_id and may(actor, CASEWORK)
    if not (own_agency or can(actor, CHANGE_CASE, case)):
        raise PermissionDenied(_("이 사례의 팀을 바꿀 권한이 없습니다."))
    left_on = left_on or timezone.localdate()
    with transaction.atomic():
        # The caller's copy may be stale. (No select_related here: PostgreSQL refuses FOR UPDATE on
        # the nullable side of an outer join, and the worker is optional.)
        participant = CaseParticipant.objects.select_for_update().get(pk=participant.pk)
        if participant.left_on:
            raise ValidationError(_("이미 참여를 마친 기관입니다."))
        if left_on < participant.joined_on or left_on > timezone.localdate():
            raise ValidationError({"left_on": _("종료일은 참여일과 오늘 사이여야 합니다.")})
        participant.left_on = left_on
        participant.save(update_fields=["left_on", "updated_at"])
        _team_event(
            actor,
            case,
            TeamEvent.Kind.LEFT,
            agency=participant.agency,
            worker=participant.worker,
            note=note,
            day=left_on,
        )
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=case,
            case_id=case.pk,
            request=request,
            detail=f"participant -{participant.agency_id}",
        )
    return participant


def case_transfer_lead(
    *,
    actor: Actor,
    case: Case,
    to_agency: Agency,
    to_worker,
    note: str,
    keep_previous_as_participant: bool = True,
    request: HttpRequest | None = None,
) -> Case:
    """Hand the lead to another agency and worker, with a note. The previous lead agency stays on
    the team by default (it keeps its own records either way)."""
    if not can(actor, CHANGE_CASE, case):
        raise PermissionDenied(_("주관 기관만 주관을 이관할 수 있습니다."))
    if not (note or "").strip():
        raise ValidationError({"note": _("이관 사유를 적으세요.")})
    if to_agency.district_id != case.district_id or not to_agency.is_active:
        raise ValidationError({"to_agency": _("같은 시군구의 기관에만 이관할 수 있습니다.")})
    if not _works_in(to_worker, to_agency.pk):
        raise ValidationError({"to_worker": _("새 주 담당자는 새 주관 기관 소속이어야 합니다.")})
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        previous = case.lead_agency
        if to_agency.pk == previous.pk and to_worker.pk == case.lead_worker_id:
            raise ValidationError({"to_worker": _("지금의 주관 기관·담당자와 같습니다.")})
        today = timezone.localdate()
        if to_agency.pk != previous.pk:
            case.participants.filter(agency=to_agency, left_on__isnull=True).update(left_on=today)
            if keep_previous_as_participant:
                CaseParticipant.objects.create(
                    district_id=case.district_id,
                    case=case,
                    agency=previous,
                    worker=case.lead_worker,
                    role=_("이전 주관 기관"),
                    joined_on=today,
                )
        case.lead_agency, case.lead_worker = to_agency, to_worker
        case.save(update_fields=["lead_agency", "lead_worker", "updated_at"])
        _team_event(
            actor,
            case,
            TeamEvent.Kind.LEAD_TRANSFERRED,
            agency=to_agency,
            worker=to_worker,
            from_agency=previous,
            note=note,
        )
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=case,
            case_id=case.pk,
            request=request,
            detail=f"lead {previous.pk} -> {to_agency.pk}",
        )
    return case


def case_set_classification(
    *,
    actor: Actor,
    case: Case,
    case_type: CaseType,
    crisis_level: str,
    request: HttpRequest | None = None,
) -> Case:
    """Apply the case type (사례 구분) and crisis level (위기도) decided at selection.

    Callers: the approval service once a supervisor approves, or directly where the district
    does not require approval. The permission check is the caller's (approval or change).
    """
    from .models import CrisisLevel

    if case_type.district_id != case.district_id or not case_type.is_active:
        raise ValidationError({"case_type": _("이 시군구의 사례 구분이 아닙니다.")})
    if crisis_level not in CrisisLevel.values:
        raise ValidationError({"crisis_level": _("알 수 없는 위기도입니다.")})
    with transaction.atomic():
        case.case_type, case.crisis_level = case_type, crisis_level
        case.save(update_fields=["case_type", "crisis_level", "updated_at"])  # keeps the change history
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=case,
            case_id=case.pk,
            request=request,
            detail=f"classification {case_type.code}/{crisis_level}",
        )
    return case


# --- Approval handlers (registered in CasesConfig.ready; the approvals app calls them) -------------


def case_apply_classification(
    *, actor: Actor, case: Case, payload: dict, plan=None, request: HttpRequest | None = None
) -> Case:
    """Apply an approved (or not approval-bound) classification; a case waiting for it moves on."""
    case_type_id = payload.get("case_type")
    case_type = CaseType.objects.filter(pk=case_type_id, district_id=case.district_id).first() if case_type_id else None
    if case_type is None:
        raise ValidationError({"case_type": _("이 시군구의 사례 구분이 아닙니다.")})
    case = case_set_classification(
        actor=actor, case=case, case_type=case_type, crisis_level=payload.get("crisis_level", ""), request=request
    )
    to_stage = spec(case.stage).advances_on.get(ApprovalKind.CLASSIFICATION)
    if to_stage:
        case = case_change_stage(
            actor=actor,
            case=case,
            to_stage=to_stage,
            reason=_("사례 구분·선정: %(type)s") % {"type": case_type.name},
            approval=ApprovalKind.CLASSIFICATION,
            request=request,
        )
    return case


def case_apply_closure(
    *, actor: Actor, case: Case, payload: dict, plan=None, request: HttpRequest | None = None
) -> Case:
    """Close the case with its approved (or not approval-bound) closure: evaluation, reason, stage,
    and the case type it proposes where the district requires one on closure."""
    if payload.get("case_type"):
        case_type = CaseType.objects.filter(pk=payload["case_type"], district_id=case.district_id).first()
        if case_type is None:
            raise ValidationError({"case_type": _("이 시군구의 사례 구분이 아닙니다.")})
        case = case_set_classification(
            actor=actor, case=case, case_type=case_type, crisis_level=payload.get("crisis_level", ""), request=request
        )
    case.closure_evaluation = closure_evaluation_text(payload)
    case.save(update_fields=["closure_evaluation", "updated_at"])
    audit_record(
        actor=actor, action=Action.UPDATE, obj=case, case_id=case.pk, request=request, detail="closure evaluation"
    )
    reason = ClosureReason(payload["closure_reason"]).label
    return case_change_stage(
        actor=actor,
        case=case,
        to_stage=Stage.CLOSED,
        closure_reason=payload["closure_reason"],
        reason=_("종결: %(reason)s") % {"reason": reason},
        approval=ApprovalKind.CLOSURE,
        request=request,
    )
