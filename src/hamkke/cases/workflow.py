"""The case workflow in one place: a spec per stage, the transitions, and the approval kinds.

Stages (DOMAIN.md §2). Full track: 발굴 → 초기상담 → 접수 → 욕구·위기도 조사 → 사례회의 → 대상자
구분·선정 → 서비스 계획 → 서비스 제공·점검 ⇄ 재사정 → 종결 → 사후관리.
Light track (서비스연계 대상): 접수 → 서비스연계·점검 → 종결 → 사후관리.
Refused (거부) and on hold (보류) are states a case waits in; they never close it silently.

Everything the rest of the code knows about a stage is read from its ``StageSpec``: the label, the
tone it is shown in, which monitoring applies, whether moving into it needs a reason or an approved
request, whether the case type may be decided there, and where an approved decision moves it on.
Adding a stage is a change to this file plus its migration (the model's choices) and translations;
``cases/tests/test_workflow.py`` fails if a stage is left half specified.

Approval kinds (결재) are declared here too, but their handlers live in the apps that own what is
decided: the cases app (classification, closure) and the plans app (the service plan) register
them in ``AppConfig.ready``. The approvals app calls the handler through this registry, so it never
imports those apps (Zulip's rule: a registry where a lower module must call a higher one).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    IDENTIFICATION = "identification", _("발굴")
    INITIAL_CONSULTATION = "initial_consultation", _("초기상담")
    INTAKE = "intake", _("접수")
    ASSESSMENT = "assessment", _("욕구 및 위기도 조사")
    CONFERENCE = "conference", _("사례회의")
    SELECTION = "selection", _("대상자 구분·선정")
    PLANNING = "planning", _("서비스 제공계획 수립")
    DELIVERY = "delivery", _("서비스 제공 및 점검")
    REASSESSMENT = "reassessment", _("재사정")
    LINKAGE = "linkage", _("서비스연계 및 점검")
    REFUSED = "refused", _("거부(지속 방문)")
    ON_HOLD = "on_hold", _("보류")
    CLOSED = "closed", _("종결")
    FOLLOW_UP = "follow_up", _("사후관리")


class ApprovalKind(models.TextChoices):
    """What a supervisor approves (결재). Whether a district needs it: ``APPROVAL_POLICY_FIELD``."""

    CLASSIFICATION = "classification", _("사례 구분·선정")
    PLAN = "plan", _("서비스 계획")
    CLOSURE = "closure", _("종결")


# The DistrictPolicy switch that says whether the district needs the approval.
APPROVAL_POLICY_FIELD: dict[str, str] = {
    ApprovalKind.CLASSIFICATION: "approval_classification",
    ApprovalKind.PLAN: "approval_plan",
    ApprovalKind.CLOSURE: "approval_closure",
}


class Tone(models.TextChoices):
    """How a stage badge is drawn (CSS class ``badge--<tone>``)."""

    MUTED = "muted", "muted"
    INFO = "info", "info"
    OK = "ok", "ok"
    WARN = "warn", "warn"


class Monitoring(models.TextChoices):
    """Which monitoring applies in a stage (records/monitoring.py reads this)."""

    DEADLINES = "deadlines", "working deadlines only"  # before a plan the working deadlines set the pace
    CONTACT = "contact", "contact interval"  # regular contact (정기 점검)
    PLAN = "plan", "contact interval and reassessment"  # a plan is in force: also its review date
    REFUSAL = "refusal", "refused-visit interval"  # keep knocking at the refused-visit interval
    PAUSED = "paused", "none (paused)"  # the person asked for a pause
    FOLLOW_UP = "follow_up", "follow-up schedule"  # after closure


class Chapter(models.TextChoices):
    """Which chapter of the case story (사례 이야기) the time spent in a stage belongs to."""

    BEGIN = "begin", _("처음 만나기까지")
    WAITING = "waiting", _("거부와 기다림")
    LOOKING = "looking", _("함께 살펴보기")
    PLANNING = "planning", _("함께 계획하기")
    TOGETHER = "together", _("함께 한 일")
    AFTER = "after", _("마무리와 그 뒤")


class Classification(models.TextChoices):
    """Whether the case type (사례 구분) may be decided in a stage."""

    NO = "no", "no"
    ANY = "any", "any case type"
    REFERRAL_ONLY = "referral_only", "referral-only case types"  # 서비스연계 skips assessment and conference


@dataclass(frozen=True)
class StageSpec:
    stage: Stage
    tone: Tone
    monitoring: Monitoring
    next: frozenset[str]
    reason_required: bool = False  # moving INTO it needs a stated reason
    approval: str = ""  # the ApprovalKind whose approved (or auto-applied) request alone may enter it
    classification: Classification = Classification.NO
    # An approved decision of this kind moves a case waiting in this stage on to that stage.
    advances_on: dict[str, str] = field(default_factory=dict)
    open: bool = True  # False: no longer worked on (closed, follow-up)
    chapter: str = ""  # the case story's chapter (Chapter); every stage has one (tested)

    @property
    def label(self) -> str:
        return str(self.stage.label)


S, K, M, T, C, CH = Stage, ApprovalKind, Monitoring, Tone, Classification, Chapter


def _spec(stage, tone, monitoring, next_stages, **kwargs) -> StageSpec:
    return StageSpec(stage=stage, tone=tone, monitoring=monitoring, next=frozenset(next_stages), **kwargs)


# Every stage but the closed ones may be closed (the person moves, dies, withdraws...).
SPECS: dict[str, StageSpec] = {
    spec.stage: spec
    for spec in (
        _spec(
            S.IDENTIFICATION,
            T.MUTED,
            M.DEADLINES,
            {S.INITIAL_CONSULTATION, S.REFUSED, S.ON_HOLD, S.CLOSED},
            chapter=CH.BEGIN,
        ),
        _spec(
            S.INITIAL_CONSULTATION, T.MUTED, M.DEADLINES, {S.INTAKE, S.REFUSED, S.ON_HOLD, S.CLOSED}, chapter=CH.BEGIN
        ),
        _spec(
            S.INTAKE,
            T.INFO,
            M.DEADLINES,
            {S.ASSESSMENT, S.LINKAGE, S.REFUSED, S.ON_HOLD, S.CLOSED},
            classification=C.REFERRAL_ONLY,
            chapter=CH.LOOKING,
        ),
        _spec(S.ASSESSMENT, T.INFO, M.DEADLINES, {S.CONFERENCE, S.REFUSED, S.ON_HOLD, S.CLOSED}, chapter=CH.LOOKING),
        _spec(
            S.CONFERENCE,
            T.INFO,
            M.DEADLINES,
            {S.SELECTION, S.ASSESSMENT, S.ON_HOLD, S.CLOSED},
            classification=C.ANY,
            advances_on={K.CLASSIFICATION: S.SELECTION},
            chapter=CH.LOOKING,
        ),
        _spec(
            S.SELECTION,
            T.INFO,
            M.DEADLINES,
            {S.PLANNING, S.LINKAGE, S.ON_HOLD, S.CLOSED},
            classification=C.ANY,
            chapter=CH.LOOKING,
        ),
        _spec(
            S.PLANNING,
            T.INFO,
            M.CONTACT,
            {S.DELIVERY, S.REFUSED, S.ON_HOLD, S.CLOSED},
            advances_on={K.PLAN: S.DELIVERY},
            chapter=CH.PLANNING,
        ),
        _spec(S.DELIVERY, T.OK, M.PLAN, {S.REASSESSMENT, S.REFUSED, S.ON_HOLD, S.CLOSED}, chapter=CH.TOGETHER),
        _spec(
            S.REASSESSMENT,
            T.INFO,
            M.PLAN,
            {S.PLANNING, S.DELIVERY, S.CLOSED},
            classification=C.ANY,
            advances_on={K.PLAN: S.DELIVERY},
            chapter=CH.TOGETHER,
        ),
        _spec(S.LINKAGE, T.OK, M.CONTACT, {S.ASSESSMENT, S.REFUSED, S.ON_HOLD, S.CLOSED}, chapter=CH.TOGETHER),
        # The person agrees at last: the case continues from intake with its history.
        _spec(
            S.REFUSED,
            T.WARN,
            M.REFUSAL,
            {S.INITIAL_CONSULTATION, S.INTAKE, S.CLOSED},
            reason_required=True,
            chapter=CH.WAITING,
        ),
        _spec(
            S.ON_HOLD,
            T.WARN,
            M.PAUSED,
            {S.INITIAL_CONSULTATION, S.INTAKE, S.ASSESSMENT, S.PLANNING, S.DELIVERY, S.LINKAGE, S.CLOSED},
            reason_required=True,
            chapter=CH.WAITING,
        ),
        # Follow-up, or reopen with history.
        _spec(
            S.CLOSED,
            T.MUTED,
            M.FOLLOW_UP,
            {S.FOLLOW_UP, S.INTAKE},
            reason_required=True,
            approval=K.CLOSURE,
            open=False,
            chapter=CH.AFTER,
        ),
        _spec(S.FOLLOW_UP, T.MUTED, M.FOLLOW_UP, {S.INTAKE}, open=False, chapter=CH.AFTER),  # reopen
    )
}


def spec(stage: str) -> StageSpec:
    return SPECS[stage]


def stages_where(predicate: Callable[[StageSpec], bool]) -> frozenset[str]:
    return frozenset(s for s, sp in SPECS.items() if predicate(sp))


TRANSITIONS: dict[str, frozenset[str]] = {s: sp.next for s, sp in SPECS.items()}
REASON_REQUIRED = stages_where(lambda sp: sp.reason_required)
INACTIVE = stages_where(lambda sp: not sp.open)  # no longer worked on
# Stages that can be entered by a plain stage change (the rest only through their approval).
DIRECT = stages_where(lambda sp: not sp.approval)


def allowed_next(stage: str) -> list[str]:
    """Every stage reachable from ``stage``, in the stages' order."""
    return [s for s in Stage.values if s in TRANSITIONS.get(stage, frozenset())]


def direct_next(stage: str) -> list[str]:
    """Stages reachable from ``stage`` by a plain stage change (not through an approval)."""
    return [s for s in allowed_next(stage) if s in DIRECT]


def can_enter(from_stage: str, to_stage: str) -> bool:
    return to_stage in TRANSITIONS.get(from_stage, frozenset())


# --- Approval kinds: handlers registered by the apps that own what is decided ------------------


@dataclass(frozen=True)
class ApprovalHandler:
    """What happens to the decided thing.

    ``apply(actor=, case=, payload=, plan=, request=)``: put it into force (approved, or submitted
    where the district needs no approval). ``withdraw(actor=, plan=, comment=, returned=, request=)``:
    the request ended without being applied (returned by the supervisor when ``returned``; recalled
    or cancelled otherwise): give the thing back to the worker. None where there is nothing to undo.
    ``url(approval)``: where the decided thing itself is shown; None: the case's approvals tab.
    """

    apply: Callable[..., Any]
    withdraw: Callable[..., Any] | None = None
    url: Callable[[Any], str] | None = None


def approval_applies_in(kind: str, stage: str) -> bool:
    """Whether a pending request of ``kind`` still makes sense for a case now in ``stage``.

    A request that no longer does (the case was classified elsewhere, moved on, was closed) is
    cancelled rather than left "결재 대기" for ever.
    """
    sp = SPECS[stage]
    if kind == ApprovalKind.CLASSIFICATION:
        return sp.classification != Classification.NO
    if kind == ApprovalKind.PLAN:
        return sp.open
    # A kind that enters a stage (closure): only while that stage can still be entered from here.
    return any(SPECS[target].approval == kind for target in sp.next)


_HANDLERS: dict[str, ApprovalHandler] = {}


def register_approval(kind: str, handler: ApprovalHandler) -> None:
    if kind not in ApprovalKind.values:
        raise ValueError(f"unknown approval kind {kind!r}")
    _HANDLERS[kind] = handler


def approval_handler(kind: str) -> ApprovalHandler:
    try:
        return _HANDLERS[kind]
    except KeyError:  # an app forgot to register in AppConfig.ready: a programming error, loudly
        raise LookupError(f"no handler registered for approval kind {kind!r}") from None


def registered_approval_kinds() -> frozenset[str]:
    return frozenset(_HANDLERS)


# --- Where the cases and approvals apps need the plan (plans imports cases, not back) ----------

_ACTIVE_PLAN_GOALS: list[Callable[..., tuple[Any, list]]] = []


def register_active_plan_goals(provider: Callable[..., tuple[Any, list]]) -> None:
    """The plans app says how to find a case's plan in force and its goals (for the closure)."""
    _ACTIVE_PLAN_GOALS[:] = [provider]


def active_plan_goals(*, case) -> tuple[Any, list]:
    """The case's plan in force and its goals; (None, []) where no plans app registered."""
    return _ACTIVE_PLAN_GOALS[0](case=case) if _ACTIVE_PLAN_GOALS else (None, [])


# --- Events the approvals app listens to (it sits above cases and districts, which tell it) -------

_STAGE_LISTENERS: list[Callable[..., None]] = []
_SWITCH_OFF_LISTENERS: list[Callable[..., None]] = []


def on_stage_changed(listener: Callable[..., None]) -> None:
    """``listener(actor=, case=, from_stage=, to_stage=, request=)`` runs inside every stage change."""
    if listener not in _STAGE_LISTENERS:
        _STAGE_LISTENERS.append(listener)


def stage_changed(*, actor, case, from_stage: str, to_stage: str, request=None) -> None:
    for listener in _STAGE_LISTENERS:
        listener(actor=actor, case=case, from_stage=from_stage, to_stage=to_stage, request=request)


def on_approval_switched_off(listener: Callable[..., None]) -> None:
    """``listener(actor=, district_id=, kinds=, request=)`` runs when a district drops approval steps."""
    if listener not in _SWITCH_OFF_LISTENERS:
        _SWITCH_OFF_LISTENERS.append(listener)


def approval_switched_off(*, actor, district_id: int, kinds: list[str], request=None) -> None:
    for listener in _SWITCH_OFF_LISTENERS:
        listener(actor=actor, district_id=district_id, kinds=kinds, request=request)
