"""Monitoring (점검) and working deadlines: derived from the data, never stored as reminders.

Everything here is computed from the case, its stage changes, its contact records, its active
plan and the district's policy (``DistrictPolicy``). The rules are pure functions that take
``today`` (a Seoul date), so they can be tested with fixed dates; two loaders feed them:
``monitoring_for_case`` (one case) and ``overdue_for_actor`` (a worker's or a team's caseload),
both with a constant number of queries.

Which stage gets which check is its monitoring class in the workflow (cases/workflow.py):
- **Contact interval** (정기 점검): CONTACT, PLAN and REFUSAL stages — planning, delivery,
  reassessment, linkage (the referral-only track keeps monitoring) and refused (keep knocking, at
  the refused-visit interval). Before planning (DEADLINES) the working deadlines set the pace; on
  hold (PAUSED) means the person asked for a pause; after closure (FOLLOW_UP) the follow-up
  schedule takes over.
- **Working deadlines** (접수→사정 10일, 사례회의→선정 5일, 선정→계획 15일, 접수→계획 30일): only
  while the case still waits in one of the stages the step covers, so a case that went to the
  referral-only track, was refused or put on hold is not reported late for a step it skips.
- **Reassessment** (재사정): the review date of the active plan, while the plan is in force
  (PLAN stages: delivery, reassessment).
- **No-contact prompt** (3개월 이상 연락 두절): every open stage (not closed, not follow-up).
- **Follow-up** (사후관리): FOLLOW_UP stages (closed, follow-up).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hamkke.access.policy import SUPERVISE_TEAM, may
from hamkke.accounts.actor import Actor
from hamkke.cases.models import Case, CrisisLevel
from hamkke.cases.selectors import case_list_for_actor
from hamkke.cases.workflow import INACTIVE, Stage, stages_where
from hamkke.cases.workflow import Monitoring as Watch
from hamkke.districts.models import DistrictPolicy

from .selectors import (
    SCOPE_AGENCY,
    SCOPE_MINE,
    TRACKED_STAGES,
    follow_up_contact_dates,
    local_date,
    with_monitoring_facts,
)

S = Stage
CONTACT_STAGES = stages_where(lambda sp: sp.monitoring in (Watch.CONTACT, Watch.PLAN, Watch.REFUSAL))
REFUSAL_STAGES = stages_where(lambda sp: sp.monitoring == Watch.REFUSAL)
PLAN_STAGES = stages_where(lambda sp: sp.monitoring == Watch.PLAN)
FOLLOW_UP_STAGES = stages_where(lambda sp: sp.monitoring == Watch.FOLLOW_UP)
DEFAULT_INTERVAL_DAYS = 30


class ItemKind(models.TextChoices):
    CONTACT = "contact", _("정기 점검(접촉)")
    ASSESSMENT_DEADLINE = "assessment_deadline", _("접수→사정 완료 기한")
    SELECTION_DEADLINE = "selection_deadline", _("사례회의→대상자 선정 기한")
    PLANNING_DEADLINE = "planning_deadline", _("선정→서비스 계획 수립 기한")
    PLAN_DEADLINE = "plan_deadline", _("접수→계획 완료 기한")
    REASSESSMENT = "reassessment", _("재사정 예정일")
    NO_CONTACT = "no_contact", _("3개월 이상 연락 두절: 종결 검토")
    FOLLOW_UP = "follow_up", _("사후관리 접촉")


@dataclass(frozen=True)
class Deadline:
    """A working deadline: reach ``done`` within ``policy_field`` days of last entering ``start``."""

    kind: str
    start: str
    done: str
    policy_field: str
    waiting_in: frozenset[str]


DEADLINES = (
    Deadline(
        ItemKind.ASSESSMENT_DEADLINE,
        S.INTAKE,
        S.CONFERENCE,
        "intake_to_assessment_days",
        frozenset({S.INTAKE, S.ASSESSMENT}),
    ),
    Deadline(
        ItemKind.SELECTION_DEADLINE,
        S.CONFERENCE,
        S.SELECTION,
        "conference_to_selection_days",
        frozenset({S.CONFERENCE}),
    ),
    Deadline(
        ItemKind.PLANNING_DEADLINE, S.SELECTION, S.DELIVERY, "planning_days", frozenset({S.SELECTION, S.PLANNING})
    ),
    Deadline(
        ItemKind.PLAN_DEADLINE,
        S.INTAKE,
        S.DELIVERY,
        "intake_to_plan_days",
        frozenset({S.INTAKE, S.ASSESSMENT, S.CONFERENCE, S.SELECTION, S.PLANNING}),
    ),
)


@dataclass(frozen=True)
class Item:
    """Something due on a case: overdue when ``due_on`` is before today (the prompt: from its day)."""

    kind: str
    due_on: datetime.date
    overdue: bool
    days_late: int = 0

    @property
    def label(self) -> str:
        return ItemKind(self.kind).label


def _item(kind: str, due_on: datetime.date, today: datetime.date) -> Item:
    late = (today - due_on).days
    return Item(kind=kind, due_on=due_on, overdue=late > 0, days_late=max(late, 0))


# --- The rules (pure) ---------------------------------------------------------------------------


def contact_interval_days(
    *, stage: str, crisis_level: str, case_type_days: int | None, policy: DistrictPolicy
) -> int | None:
    """Days between contacts for a case in ``stage``; None where no contact interval applies."""
    if stage not in CONTACT_STAGES:
        return None
    if stage in REFUSAL_STAGES:
        return policy.refused_visit_days
    if crisis_level == CrisisLevel.HIGH:
        return policy.high_crisis_monitoring_days
    if case_type_days:
        return case_type_days
    return DEFAULT_INTERVAL_DAYS


def next_contact_due(
    *,
    interval_days: int,
    last_contact_on: datetime.date | None,
    planned_next_on: datetime.date | None,
    since: datetime.date,
) -> datetime.date:
    """The one rule for the next contact (issue 13 item 7): the worker's explicit date wins, else
    last contact (any outcome; else ``since``) + interval.

    The explicit date is the worker's judgement about this household (a later date too: "after the
    hospital stay"); a planned date on or before the last contact was already met by that contact,
    and the derived date applies again.
    """
    base = last_contact_on or since
    if planned_next_on is not None and planned_next_on > base:
        return planned_next_on
    return base + datetime.timedelta(days=interval_days)


def deadline_items(
    *, stage: str, entered: Mapping[str, datetime.datetime], policy: DistrictPolicy, today: datetime.date
) -> list[Item]:
    """The working deadlines still open for a case (overdue or not).

    ``entered`` maps a stage to the LAST time the case entered it. A step is done when the case
    entered its ``done`` stage at or after its last entry into ``start``.
    """
    items = []
    for rule in DEADLINES:
        started = entered.get(rule.start)
        if stage not in rule.waiting_in or started is None:
            continue
        done = entered.get(rule.done)
        if done is not None and done >= started:
            continue
        due = local_date(started) + datetime.timedelta(days=getattr(policy, rule.policy_field))
        items.append(_item(rule.kind, due, today))
    return items


def reassessment_item(*, stage: str, review_on: datetime.date | None, today: datetime.date) -> Item | None:
    """The active plan's review date (재사정 예정일), while that plan is in force."""
    if stage not in PLAN_STAGES or review_on is None:
        return None
    return _item(ItemKind.REASSESSMENT, review_on, today)


def no_contact_item(
    *,
    stage: str,
    last_met_on: datetime.date | None,
    opened_on: datetime.date,
    policy: DistrictPolicy,
    today: datetime.date,
) -> Item | None:
    """The stopping-rule prompt: nobody has met the person for ``no_contact_alert_days`` or more.

    Counted from the last contact whose outcome was "met" (else from the day the case opened).
    """
    if stage in INACTIVE:
        return None
    due = (last_met_on or opened_on) + datetime.timedelta(days=policy.no_contact_alert_days)
    if today < due:
        return None
    return Item(kind=ItemKind.NO_CONTACT, due_on=due, overdue=True, days_late=(today - due).days)


def follow_up_slots(
    *, closed_on: datetime.date, follow_up_days: Sequence[int], contact_dates: Iterable[datetime.date]
) -> list[tuple[int, datetime.date, datetime.date | None]]:
    """The follow-up schedule after closure: (days, due date, date of the contact that met it).

    A due date is met by a follow-up contact on or after it; one contact meets one due date
    (the earliest still open), so a single late visit does not tick off the whole schedule.
    The one rule for the monitoring lists and the closure tab (approvals).
    """
    unused = sorted(d for d in contact_dates if d >= closed_on)
    slots = []
    for days in sorted({int(d) for d in follow_up_days}):
        due = closed_on + datetime.timedelta(days=days)
        match = next((d for d in unused if d >= due), None)
        if match is not None:
            unused.remove(match)
        slots.append((days, due, match))
    return slots


def follow_up_items(
    *,
    stage: str,
    closed_on: datetime.date | None,
    follow_up_days: Sequence[int],
    contact_dates: Iterable[datetime.date],
    today: datetime.date,
) -> list[Item]:
    """Follow-up contacts due after closure that are not yet met (see ``follow_up_slots``)."""
    if stage not in FOLLOW_UP_STAGES or closed_on is None:
        return []
    return [
        _item(ItemKind.FOLLOW_UP, due, today)
        for _days, due, met in follow_up_slots(
            closed_on=closed_on, follow_up_days=follow_up_days, contact_dates=contact_dates
        )
        if met is None
    ]


@dataclass(frozen=True)
class CaseFacts:
    """What the rules need to know about one case (see ``facts_from_case`` for the loader)."""

    stage: str
    opened_on: datetime.date
    stage_entered_on: datetime.date | None = None
    crisis_level: str = ""
    case_type_days: int | None = None
    closed_on: datetime.date | None = None
    entered: Mapping[str, datetime.datetime] = field(default_factory=dict)
    last_contact_at: datetime.datetime | None = None
    last_met_at: datetime.datetime | None = None
    last_consultation_on: datetime.date | None = None  # an initial consultation is a meeting too
    last_conference_attended_at: datetime.datetime | None = None  # so is a case conference they attended
    planned_next_on: datetime.date | None = None
    attempts_since_refusal: int = 0
    review_on: datetime.date | None = None
    follow_up_contact_dates: tuple[datetime.date, ...] = ()


@dataclass(frozen=True)
class Monitoring:
    """The monitoring status of one case on ``today``."""

    today: datetime.date
    stage: str
    interval_days: int | None
    next_contact_on: datetime.date | None
    last_contact_on: datetime.date | None
    last_met_on: datetime.date | None
    refused_on: datetime.date | None
    attempts_since_refusal: int | None
    last_attempt_on: datetime.date | None
    items: tuple[Item, ...]

    @property
    def overdue(self) -> list[Item]:
        return [item for item in self.items if item.overdue]

    @property
    def upcoming(self) -> list[Item]:
        return sorted((item for item in self.items if not item.overdue), key=lambda item: item.due_on)

    @property
    def no_contact_prompt(self) -> Item | None:
        return next((item for item in self.items if item.kind == ItemKind.NO_CONTACT), None)

    @property
    def contact_overdue(self) -> bool:
        return self.next_contact_on is not None and self.next_contact_on < self.today


def last_met_on(facts: CaseFacts) -> datetime.date | None:
    """When the worker last met the person: a contact that met them, an initial consultation, or a
    case conference about the case that the person or their family attended, on the conference's
    date (issue 13 item 7: these are meetings, the '3 months without meeting' prompt must know them)."""
    meetings = (
        local_date(facts.last_met_at),
        facts.last_consultation_on,
        local_date(facts.last_conference_attended_at),
    )
    return max((d for d in meetings if d is not None), default=None)


def last_contact_on(facts: CaseFacts) -> datetime.date | None:
    """The last contact of any outcome; a meeting (see ``last_met_on``) is a contact too, so the next
    contact is counted from it as well."""
    dates = [d for d in (local_date(facts.last_contact_at), last_met_on(facts)) if d is not None]
    return max(dates, default=None)


def evaluate(facts: CaseFacts, *, policy: DistrictPolicy, today: datetime.date) -> Monitoring:
    """Every monitoring rule applied to one case."""
    last_contact = last_contact_on(facts)
    items: list[Item] = []
    interval = contact_interval_days(
        stage=facts.stage, crisis_level=facts.crisis_level, case_type_days=facts.case_type_days, policy=policy
    )
    next_on = None
    if interval is not None:
        next_on = next_contact_due(
            interval_days=interval,
            last_contact_on=last_contact,
            planned_next_on=facts.planned_next_on,
            since=facts.stage_entered_on or facts.opened_on,
        )
        items.append(_item(ItemKind.CONTACT, next_on, today))
    items += deadline_items(stage=facts.stage, entered=facts.entered, policy=policy, today=today)
    optional = [
        reassessment_item(stage=facts.stage, review_on=facts.review_on, today=today),
        no_contact_item(
            stage=facts.stage,
            last_met_on=last_met_on(facts),
            opened_on=facts.opened_on,
            policy=policy,
            today=today,
        ),
    ]
    items += [item for item in optional if item is not None]
    items += follow_up_items(
        stage=facts.stage,
        closed_on=facts.closed_on,
        follow_up_days=policy.follow_up_days,
        contact_dates=facts.follow_up_contact_dates,
        today=today,
    )

    refused_at = facts.entered.get(S.REFUSED) if facts.stage == S.REFUSED else None
    last_attempt = (
        facts.last_contact_at if refused_at and facts.last_contact_at and facts.last_contact_at >= refused_at else None
    )
    return Monitoring(
        today=today,
        stage=facts.stage,
        interval_days=interval,
        next_contact_on=next_on,
        last_contact_on=last_contact,
        last_met_on=last_met_on(facts),
        refused_on=local_date(refused_at),
        attempts_since_refusal=facts.attempts_since_refusal if refused_at else None,
        last_attempt_on=local_date(last_attempt),
        items=tuple(sorted(items, key=lambda item: (not item.overdue, item.due_on))),
    )


# --- Loading (constant number of queries) ---------------------------------------------------------


def facts_from_case(case: Case, follow_up_dates: Iterable[datetime.date] = ()) -> CaseFacts:
    """CaseFacts of a case annotated by ``records.selectors.with_monitoring_facts``."""
    return CaseFacts(
        stage=case.stage,
        opened_on=case.opened_on,
        stage_entered_on=local_date(case.stage_changed_at),
        crisis_level=case.crisis_level,
        case_type_days=case.case_type.monitoring_days if case.case_type_id else None,
        closed_on=case.closed_on,
        entered={
            stage: getattr(case, f"entered_{stage}")
            for stage in TRACKED_STAGES
            if getattr(case, f"entered_{stage}") is not None
        },
        last_contact_at=case.last_contact_at,
        last_met_at=case.last_met_at,
        last_consultation_on=case.last_consultation_on,
        last_conference_attended_at=case.last_conference_attended_at,
        planned_next_on=case.planned_next_on,
        attempts_since_refusal=case.attempts or 0,
        review_on=case.active_review_on,
        follow_up_contact_dates=tuple(follow_up_dates),
    )


def _monitor(cases, *, policy: DistrictPolicy, today: datetime.date) -> list[tuple[Case, Monitoring]]:
    cases = list(with_monitoring_facts(cases))
    dates = follow_up_contact_dates(case_ids=[c.pk for c in cases if c.stage in FOLLOW_UP_STAGES])
    return [
        (case, evaluate(facts_from_case(case, dates.get(case.pk, ())), policy=policy, today=today)) for case in cases
    ]


def monitoring_for_case(*, case: Case, today: datetime.date | None = None) -> Monitoring:
    """The monitoring status of one case. ``case`` must come from a scoped selector."""
    today = today or timezone.localdate()
    policy = DistrictPolicy.for_district(case.district_id)
    [(_case, monitoring)] = _monitor(
        Case.objects.filter(pk=case.pk).select_related("case_type"), policy=policy, today=today
    )
    return monitoring


@dataclass(frozen=True)
class OverdueRow:
    case: Case
    kind: str
    label: str
    due_on: datetime.date
    days_late: int

    @property
    def worker(self):
        return self.case.lead_worker


def overdue_for_actor(*, actor: Actor, scope: str = SCOPE_MINE, today: datetime.date | None = None) -> list[OverdueRow]:
    """What is late: for the actor's own cases, or (supervisors) for every case their agency leads.

    Rows are ordered longest overdue first. A constant number of queries, whatever the caseload.
    """
    if scope not in (SCOPE_MINE, SCOPE_AGENCY):
        raise ValueError(f"unknown scope {scope!r}")
    if actor.membership is None:
        return []
    if scope == SCOPE_AGENCY:
        if not may(actor, SUPERVISE_TEAM):
            raise PermissionDenied(_("기관 전체의 지연 목록은 팀장만 볼 수 있습니다."))
        cases = case_list_for_actor(actor=actor, include_inactive=True).filter(lead_agency_id=actor.agency_id)
    else:
        cases = case_list_for_actor(actor=actor, mine_only=True, include_inactive=True)
    today = today or timezone.localdate()
    policy = DistrictPolicy.for_district(actor.district_id)
    rows = [
        OverdueRow(case=case, kind=item.kind, label=item.label, due_on=item.due_on, days_late=item.days_late)
        for case, monitoring in _monitor(cases, policy=policy, today=today)
        for item in monitoring.overdue
    ]
    return sorted(rows, key=lambda row: (-row.days_late, row.due_on, row.case.pk))


@dataclass(frozen=True)
class WorkerOverdue:
    worker: object
    count: int
    cases: int
    oldest_due_on: datetime.date
    max_days_late: int


def overdue_by_worker(rows: Iterable[OverdueRow]) -> list[WorkerOverdue]:
    """The supervisor's table: per lead worker, how much is late and since when (most late first)."""
    grouped: dict[int, list[OverdueRow]] = defaultdict(list)
    for row in rows:
        grouped[row.worker.pk].append(row)
    table = [
        WorkerOverdue(
            worker=worker_rows[0].worker,
            count=len(worker_rows),
            cases=len({row.case.pk for row in worker_rows}),
            oldest_due_on=min(row.due_on for row in worker_rows),
            max_days_late=max(row.days_late for row in worker_rows),
        )
        for worker_rows in grouped.values()
    ]
    return sorted(table, key=lambda w: (-w.count, -w.max_days_late, str(w.worker)))
