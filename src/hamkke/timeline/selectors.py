"""The long timeline (장편 드라마): everything that happened in a case, across agencies and years.

Each kind of record is read with ONE query (filtered by year and agency in the database), then
merged in time order: the number of queries is constant however long the case is. A five-year
case has a few thousand events at most, so merging them in Python costs milliseconds; the page
then shows one slice.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hamkke.cases.workflow import SPECS, Tone
from hamkke.core.event_time import day_start, typed_late

KINDS = {
    "stage": _("단계"),
    "team": _("사례 팀"),
    "consent": _("동의"),
    "consultation": _("초기상담"),
    "need": _("욕구"),
    "crisis": _("위기도 조사"),
    "plan": _("서비스 계획"),
    "approval": _("결재"),
    "contact": _("상담·방문"),
    "service": _("서비스"),
    "referral": _("의뢰"),
    "conference": _("사례회의"),
    "emergency": _("긴급 열람"),
}


@dataclass(frozen=True)
class Event:
    at: datetime.datetime
    kind: str
    title: str
    detail: str = ""
    agency_id: int | None = None
    tone: str = "muted"
    recorded_at: datetime.datetime | None = None  # when it was typed (the event is at ``at``)

    @property
    def kind_label(self):
        return KINDS[self.kind]

    @property
    def typed_late(self) -> bool:
        """Typed more than LATE_ENTRY_DAYS days after it happened (marked on the timeline)."""
        return typed_late(self.at, self.recorded_at)


def _labels(choices) -> dict:
    """value -> label in the active language, made once per timeline.

    ``Model.get_FOO_display()`` rebuilds and hashes the field's whole list of lazy labels on every
    call (0.1-0.3 ms): on a five-year case with thousands of records that was most of the page.
    """
    return {value: str(label) for value, label in choices}


def _at(day: datetime.date) -> datetime.datetime:
    """A date-only record sorts at 09:00 Seoul time of its day (or now, today before 09:00)."""
    return day_start(day)


def _year_range(year: int | None, field: str, is_date: bool = False) -> Q:
    if year is None:
        return Q()
    if is_date:
        return Q(**{f"{field}__gte": datetime.date(year, 1, 1), f"{field}__lt": datetime.date(year + 1, 1, 1)})
    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    end = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def _agency(agency_id: int | None, field: str) -> Q:
    return Q(**{field: agency_id}) if agency_id else Q()


def case_timeline(
    *,
    actor,
    case,
    agency_id: int | None = None,
    kinds: set[str] | None = None,
    year: int | None = None,
) -> list[Event]:
    """All events of a case the caller already holds in scope, newest first, as ``actor`` may read
    them: consultations, needs, contacts and services come from their apps' selectors, which leave
    out (or withhold) health data for a reader without the sensitive-data permission.
    """
    from hamkke.access.models import EmergencyAccess
    from hamkke.approvals.models import ApprovalRequest
    from hamkke.assessment.selectors import consultations_for_case, crisis_assessments_for_case, needs_for_case
    from hamkke.cases.models import CrisisLevel, Stage, TeamEvent
    from hamkke.consents.models import Consent
    from hamkke.plans.models import ServicePlan
    from hamkke.records.models import ContactRecord, ServiceRecord
    from hamkke.records.selectors import contact_records_for_case, service_records_for_case
    from hamkke.referrals.models import Referral

    wanted = set(KINDS) if not kinds else set(kinds) & set(KINDS)
    lead_only = agency_id is not None and agency_id != case.lead_agency_id
    events: list[Event] = []

    if "stage" in wanted and not lead_only:
        rows = case.stage_changes.filter(_year_range(year, "changed_at")).values_list(
            "changed_at", "from_stage", "to_stage", "reason", "changed_by__display_name", "created_at"
        )
        for at, from_stage, to_stage, reason, by, typed in rows:
            title = f"{Stage(from_stage).label} → {Stage(to_stage).label}" if from_stage else Stage(to_stage).label
            # Stages a case waits in (refused, on hold) stand out; every other move reads as info.
            tone = Tone.WARN if SPECS[to_stage].tone == Tone.WARN else Tone.INFO
            detail = f"{reason} · {by}".strip(" ·")
            events.append(Event(at, "stage", title, detail, case.lead_agency_id, tone, typed))

    if "team" in wanted:
        rows = TeamEvent.objects.filter(case=case).filter(_year_range(year, "at"), _agency(agency_id, "agency_id"))
        for e in rows.select_related("agency", "worker", "from_agency"):
            prefix = f"{e.from_agency.name} → " if e.from_agency else ""
            title = f"{e.get_kind_display()}: {prefix}{e.agency.name}"
            events.append(Event(e.at, "team", title, e.note, e.agency_id, recorded_at=e.created_at))

    if "consent" in wanted and not lead_only:
        given = Consent.objects.filter(case=case).filter(_year_range(year, "given_on", True))
        for c in given.select_related("person"):
            events.append(
                Event(
                    _at(c.given_on),
                    "consent",
                    _("정보제공 동의"),
                    c.person.name,
                    case.lead_agency_id,
                    "ok",
                    c.created_at,
                )
            )
        withdrawn = Consent.objects.filter(case=case, withdrawn_on__isnull=False).filter(
            _year_range(year, "withdrawn_on", True)
        )
        for c in withdrawn.select_related("person"):
            events.append(
                Event(_at(c.withdrawn_on), "consent", _("동의 철회"), c.person.name, case.lead_agency_id, "danger")
            )

    if "consultation" in wanted and not lead_only:
        for c in consultations_for_case(actor=actor, case=case):
            if year is not None and c.held_on.year != year:
                continue
            events.append(
                Event(
                    _at(c.held_on),
                    "consultation",
                    _("초기상담"),
                    c.presenting_issues[:200],
                    case.lead_agency_id,
                    recorded_at=c.created_at,
                )
            )

    if "crisis" in wanted and not lead_only:
        crisis = crisis_assessments_for_case(actor=actor, case=case).select_related(None).prefetch_related(None)
        levels = _labels(CrisisLevel.choices)
        for a in crisis.filter(_year_range(year, "assessed_on", True)):
            title = _("위기도 조사: %(level)s") % {"level": levels.get(a.level, a.level)}
            detail = a.override_reason or a.note
            tone = "warn" if a.level == CrisisLevel.HIGH else "info"
            events.append(Event(_at(a.assessed_on), "crisis", title, detail[:200], case.lead_agency_id, tone))

    if "need" in wanted and not lead_only:
        needs = needs_for_case(actor=actor, case=case).select_related(None)
        for n in needs.filter(_year_range(year, "identified_on", True)):
            events.append(
                Event(
                    _at(n.identified_on),
                    "need",
                    f"{_('욕구')}: {n.get_domain_display()}",
                    (n.agreed_text or n.expressed_text)[:200],
                    case.lead_agency_id,
                    recorded_at=n.created_at,
                )
            )

    if "plan" in wanted and not lead_only:
        for p in ServicePlan.objects.filter(case=case).filter(_year_range(year, "created_at")):
            events.append(
                Event(
                    p.created_at,
                    "plan",
                    _("서비스 계획 %(v)s판") % {"v": p.version},
                    p.get_status_display(),
                    case.lead_agency_id,
                    "info",
                )
            )

    if "approval" in wanted:
        approvals = ApprovalRequest.objects.filter(case=case).filter(
            _year_range(year, "submitted_at"), _agency(agency_id, "agency_id")
        )
        for a in approvals.select_related("decided_by"):
            events.append(
                Event(a.submitted_at, "approval", f"{_('결재 요청')}: {a.get_kind_display()}", "", a.agency_id)
            )
            if a.decided_at:
                events.append(
                    Event(
                        a.decided_at,
                        "approval",
                        f"{a.get_status_display()}: {a.get_kind_display()}",
                        a.comment,
                        a.agency_id,
                        "ok" if a.status == "approved" else "warn",
                    )
                )

    if "contact" in wanted:
        contacts = (
            contact_records_for_case(actor=actor, case=case)
            .select_related(None)
            .filter(_year_range(year, "contacted_at"), _agency(agency_id, "agency_id"))
        )
        kinds, outcomes = _labels(ContactRecord.Kind.choices), _labels(ContactRecord.Outcome.choices)
        for c in contacts.only("contacted_at", "kind", "outcome", "note", "with_whom", "agency_id", "created_at"):
            tone = {"refused": "warn", "no_answer": "muted", "met": "ok"}.get(c.outcome, "muted")
            title = f"{kinds.get(c.kind, c.kind)} · {outcomes.get(c.outcome, c.outcome)}"
            events.append(Event(c.contacted_at, "contact", title, c.note[:200], c.agency_id, tone, c.created_at))

    if "service" in wanted:
        services = (
            service_records_for_case(actor=actor, case=case)
            .select_related(None)
            .filter(_year_range(year, "provided_on", True), _agency(agency_id, "provider_agency_id"))
        )
        domains, modes = _labels(ServiceRecord._meta.get_field("domain").choices), _labels(ServiceRecord.Mode.choices)
        fields = ("provided_on", "domain", "mode", "description", "provider_agency_id", "amount", "created_at")
        for s in services.only(*fields):
            amount = f" · {s.amount:,.0f}원" if s.amount else ""
            events.append(
                Event(
                    _at(s.provided_on),
                    "service",
                    f"{domains.get(s.domain, s.domain)} · {modes.get(s.mode, s.mode)}",
                    f"{s.description}{amount}",
                    s.provider_agency_id,
                    "ok",
                    s.created_at,
                )
            )

    if "referral" in wanted:
        referrals = Referral.objects.filter(case=case).filter(_year_range(year, "sent_at"))
        if agency_id:
            referrals = referrals.filter(Q(from_agency_id=agency_id) | Q(to_agency_id=agency_id))
        answered = {"accepted": _("수락"), "completed": _("수락"), "declined": _("거절")}
        for r in referrals.select_related("from_agency", "to_agency"):
            events.append(
                Event(
                    r.sent_at,
                    "referral",
                    f"{_('의뢰')}: {r.from_agency.name} → {r.to_agency.name}",
                    r.reason[:200],
                    r.from_agency_id,
                    "info",
                )
            )
            if r.responded_at and r.status in answered:
                tone = "warn" if r.status == "declined" else "ok"
                events.append(
                    Event(
                        r.responded_at,
                        "referral",
                        f"{answered[r.status]}: {r.to_agency.name}",
                        r.response_note[:200],
                        r.to_agency_id,
                        tone,
                    )
                )
            if r.completed_at:
                events.append(
                    Event(
                        r.completed_at,
                        "referral",
                        f"{_('의뢰 완료')}: {r.to_agency.name}",
                        r.completion_note[:200],
                        r.to_agency_id,
                        "ok",
                    )
                )
            if r.status == "withdrawn":  # no time of its own is kept: shown at its last change
                events.append(
                    Event(
                        r.updated_at, "referral", f"{_('의뢰 취소')}: {r.to_agency.name}", "", r.from_agency_id, "muted"
                    )
                )

    if "conference" in wanted:
        from hamkke.conferences.selectors import conference_items_for_case, tasks_for_case

        items = conference_items_for_case(case=case).filter(_year_range(year, "conference__scheduled_at"))
        if agency_id:
            items = items.filter(conference__agencies=agency_id)
        for item in items:
            events.append(
                Event(
                    item.conference.scheduled_at,
                    "conference",
                    item.conference.title,
                    item.discussion[:200],
                    item.conference.host_agency_id,
                    "info",
                )
            )
        tasks = tasks_for_case(case=case).filter(
            _year_range(year, "conference__scheduled_at"), _agency(agency_id, "agency_id")
        )
        for task in tasks:
            events.append(
                Event(
                    task.conference.scheduled_at,
                    "conference",
                    f"{_('회의 결정')}: {task.assignee} ({task.due_on:%Y-%m-%d})",
                    task.decision[:200],
                    task.agency_id,
                )
            )

    if "emergency" in wanted:
        accesses = EmergencyAccess.objects.filter(case=case).filter(
            _year_range(year, "granted_at"), _agency(agency_id, "agency_id")
        )
        for e in accesses.select_related("user"):
            events.append(
                Event(e.granted_at, "emergency", f"{_('긴급 열람')}: {e.user}", e.reason[:200], e.agency_id, "danger")
            )

    events.sort(key=lambda e: e.at, reverse=True)
    return events


def case_timeline_years(*, case) -> list[int]:
    """The years the case spans, for the 'jump to year' control (newest first)."""
    first = case.opened_on.year
    last = (case.closed_on or timezone.localdate()).year
    return list(range(last, first - 1, -1))
