"""The long timeline (장편 드라마): everything that happened in a case, across agencies and years.

A case's events come from about twenty sources (contacts, services, stage changes, the answer to a
referral, the withdrawal of a consent, ...). The page reads only what it shows (issue 15 item 2):
keyset pagination over the merged order ``(event time, source, id)``, newest first. Each source is
read with ONE query ``ORDER BY event time DESC, id DESC LIMIT page + 1`` below the cursor, with the
filters (agency, kind, year) in its WHERE; the sources' rows are merged in Python and the first
``page`` kept. The queries and the rows read are the same whether the case has 50 events or 50,000,
and jumping to a year is a cursor at the year's end: one index probe per source. The big sources
have an index ``(case, event time, id)``; the others hold a handful of rows per case.

A date-only record sorts at 09:00 Seoul of its day (``core.event_time.day_start`` shows it at now
while that is still ahead today, which sorts the same against everything that already happened).

Consultations, crisis assessments, needs, contacts and services come from their apps' selectors with
the reader, which leave out (or withhold) health data for a reader without the sensitive-data
permission. ``case_timeline`` reads every event of a case (the case story tells them all).
"""

from __future__ import annotations

import datetime
import heapq
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import islice
from typing import Any

from django.core import signing
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hamkke.access.models import EmergencyAccess
from hamkke.accounts.actor import Actor
from hamkke.approvals.models import ApprovalRequest
from hamkke.assessment.selectors import consultations_for_case, crisis_assessments_for_case, needs_for_case
from hamkke.cases.models import Case, CrisisLevel, Stage, StageChange, TeamEvent
from hamkke.cases.workflow import SPECS, Tone
from hamkke.consents.models import Consent
from hamkke.core.event_time import case_start_on, day_start, typed_late
from hamkke.plans.models import ServicePlan
from hamkke.records.models import ContactRecord, ServiceRecord
from hamkke.records.selectors import contact_records_for_case, service_records_for_case
from hamkke.referrals.models import Referral

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

PAGE_SIZE = 50
DATE_EVENT_HOUR = datetime.time(9)  # a date-only record happened at 09:00 Seoul of its day


@dataclass(frozen=True)
class Event:
    at: datetime.datetime
    kind: str
    title: str
    detail: str = ""
    agency_id: int | None = None
    tone: str = "muted"
    recorded_at: datetime.datetime | None = None  # when it was typed (the event is at ``at``)
    source: str = ""  # which source it came from, and its row there: the timeline's order and cursor
    row_id: int = 0
    sort_at: datetime.datetime | None = None  # ``at``, or 09:00 of a date-only record's day

    @property
    def kind_label(self):
        return KINDS[self.kind]

    @property
    def typed_late(self) -> bool:
        """Typed more than LATE_ENTRY_DAYS days after it happened (marked on the timeline)."""
        return typed_late(self.at, self.recorded_at)

    @property
    def key(self) -> tuple[datetime.datetime, str, int]:
        return (self.sort_at or self.at, self.source, self.row_id)


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: past the event ``(at, source, row_id)``, towards older events, or towards
    newer ones (the page before)."""

    at: datetime.datetime
    source: str
    row_id: int
    newer: bool = False


@dataclass(frozen=True)
class TimelinePage:
    events: list[Event]
    older: str | None  # the cursor of the next (older) page, None at the case's start
    newer: str | None  # the cursor of the page before, None on the newest page


def _date_sort_at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, DATE_EVENT_HOUR), timezone.get_default_timezone())


def _labels(choices) -> dict[str, str]:
    """value -> label in the active language, made once per reading.

    ``Model.get_FOO_display()`` rebuilds and hashes the field's whole list of lazy labels on every
    call (0.1-0.3 ms): on a page of a long case that was most of the time.
    """
    return {value: str(label) for value, label in choices}


class _Reading:
    """One read of a case's timeline: the reader, the filters, labels made once."""

    def __init__(self, *, actor: Actor, case: Case, agency_id: int | None, year: int | None):
        self.actor, self.case, self.agency_id, self.year = actor, case, agency_id, year
        self.lead_agency_id: int = case.lead_agency_id

    def agency(self, field: str) -> Q:
        return Q(**{field: self.agency_id}) if self.agency_id else Q()

    @cached_property
    def labels(self) -> dict[str, dict[str, str]]:
        return {
            "contact_kind": _labels(ContactRecord.Kind.choices),
            "outcome": _labels(ContactRecord.Outcome.choices),
            "domain": _labels(ServiceRecord._meta.get_field("domain").choices),
            "mode": _labels(ServiceRecord.Mode.choices),
            "crisis": _labels(CrisisLevel.choices),
            "team": _labels(TeamEvent.Kind.choices),
            "plan_status": _labels(ServicePlan.Status.choices),
            "approval_kind": _labels(ApprovalRequest.Kind.choices),
            "approval_status": _labels(ApprovalRequest.Status.choices),
        }


Narrow = Callable[[QuerySet], QuerySet]


@dataclass(frozen=True)
class Source:
    """One stream of events: rows of one model at one of its times, in ``(time, id)`` order."""

    name: str  # unique; breaks ties of event time in the merged order
    kind: str
    time: str  # the field (path) holding the event time
    read: Callable[[_Reading, Narrow], Iterable[Any]]  # the case's rows as the reader may see them
    event: Callable[[Any, _Reading], Event]
    is_date: bool = False  # a DateField: the event is at 09:00 of the day
    lead: bool = False  # the lead agency's record: left out when filtering by another agency


# --- the sources --------------------------------------------------------------------------------


def _stage_event(s: StageChange, r: _Reading) -> Event:
    to_stage = str(Stage(s.to_stage).label)
    title = f"{Stage(s.from_stage).label} → {to_stage}" if s.from_stage else to_stage
    # Stages a case waits in (refused, on hold) stand out; every other move reads as info.
    tone = Tone.WARN if SPECS[s.to_stage].tone == Tone.WARN else Tone.INFO
    detail = f"{s.reason} · {s.changed_by.display_name}".strip(" ·")
    return Event(s.changed_at, "stage", title, detail, r.lead_agency_id, tone, s.created_at)


def _team_event(e: TeamEvent, r: _Reading) -> Event:
    prefix = f"{e.from_agency.name} → " if e.from_agency else ""
    title = f"{r.labels['team'].get(e.kind, e.kind)}: {prefix}{e.agency.name}"
    return Event(e.at, "team", title, e.note, e.agency_id, recorded_at=e.created_at)


def _consent_given(c: Consent, r: _Reading) -> Event:
    return Event(
        day_start(c.given_on), "consent", gettext("정보제공 동의"), c.person.name, r.lead_agency_id, "ok", c.created_at
    )


def _consent_withdrawn(c: Consent, r: _Reading) -> Event:
    assert c.withdrawn_on is not None  # read only when withdrawn
    return Event(day_start(c.withdrawn_on), "consent", gettext("동의 철회"), c.person.name, r.lead_agency_id, "danger")


def _consultation(c, r: _Reading) -> Event:
    issues = c.presenting_issues[:200]
    return Event(
        day_start(c.held_on), "consultation", gettext("초기상담"), issues, r.lead_agency_id, recorded_at=c.created_at
    )


def _crisis(a, r: _Reading) -> Event:
    title = gettext("위기도 조사: %(level)s") % {"level": r.labels["crisis"].get(a.level, a.level)}
    tone = "warn" if a.level == CrisisLevel.HIGH else "info"
    detail = (a.override_reason or a.note)[:200]
    return Event(day_start(a.assessed_on), "crisis", title, detail, r.lead_agency_id, tone)


def _need(n, r: _Reading) -> Event:
    title = f"{gettext('욕구')}: {r.labels['domain'].get(n.domain, n.domain)}"
    text = (n.agreed_text or n.expressed_text)[:200]
    return Event(day_start(n.identified_on), "need", title, text, r.lead_agency_id, recorded_at=n.created_at)


def _plan(p: ServicePlan, r: _Reading) -> Event:
    title = gettext("서비스 계획 %(v)s판") % {"v": p.version}
    return Event(p.created_at, "plan", title, r.labels["plan_status"].get(p.status, p.status), r.lead_agency_id, "info")


def _approval_asked(a: ApprovalRequest, r: _Reading) -> Event:
    title = f"{gettext('결재 요청')}: {r.labels['approval_kind'].get(a.kind, a.kind)}"
    return Event(a.submitted_at, "approval", title, "", a.agency_id)


def _approval_decided(a: ApprovalRequest, r: _Reading) -> Event:
    assert a.decided_at is not None  # read only when decided
    kind = r.labels["approval_kind"].get(a.kind, a.kind)
    title = f"{r.labels['approval_status'].get(a.status, a.status)}: {kind}"
    return Event(a.decided_at, "approval", title, a.comment, a.agency_id, "ok" if a.status == "approved" else "warn")


def _contact(c: ContactRecord, r: _Reading) -> Event:
    tone = {"refused": "warn", "no_answer": "muted", "met": "ok"}.get(c.outcome, "muted")
    kind, outcome = r.labels["contact_kind"], r.labels["outcome"]
    title = f"{kind.get(c.kind, c.kind)} · {outcome.get(c.outcome, c.outcome)}"
    return Event(c.contacted_at, "contact", title, c.note[:200], c.agency_id, tone, c.created_at)


def _service(s: ServiceRecord, r: _Reading) -> Event:
    amount = f" · {s.amount:,.0f}원" if s.amount else ""
    title = f"{r.labels['domain'].get(s.domain, s.domain)} · {r.labels['mode'].get(s.mode, s.mode)}"
    detail = f"{s.description}{amount}"
    return Event(day_start(s.provided_on), "service", title, detail, s.provider_agency_id, "ok", s.created_at)


ANSWERED = {"accepted": _("수락"), "completed": _("수락"), "declined": _("거절")}


def _referral_sent(x: Referral, r: _Reading) -> Event:
    title = f"{gettext('의뢰')}: {x.from_agency.name} → {x.to_agency.name}"
    return Event(x.sent_at, "referral", title, x.reason[:200], x.from_agency_id, "info")


def _referral_answered(x: Referral, r: _Reading) -> Event:
    assert x.responded_at is not None  # read only when answered
    tone = "warn" if x.status == "declined" else "ok"
    title = f"{ANSWERED[x.status]}: {x.to_agency.name}"
    return Event(x.responded_at, "referral", title, x.response_note[:200], x.to_agency_id, tone)


def _referral_completed(x: Referral, r: _Reading) -> Event:
    assert x.completed_at is not None  # read only when completed
    title = f"{gettext('의뢰 완료')}: {x.to_agency.name}"
    return Event(x.completed_at, "referral", title, x.completion_note[:200], x.to_agency_id, "ok")


def _referral_withdrawn(x: Referral, r: _Reading) -> Event:
    return Event(x.updated_at, "referral", f"{gettext('의뢰 취소')}: {x.to_agency.name}", "", x.from_agency_id, "muted")


def _conference_item(item, r: _Reading) -> Event:
    c = item.conference
    return Event(c.scheduled_at, "conference", c.title, item.discussion[:200], c.host_agency_id, "info")


def _conference_task(task, r: _Reading) -> Event:
    title = f"{gettext('회의 결정')}: {task.assignee} ({task.due_on:%Y-%m-%d})"
    return Event(task.conference.scheduled_at, "conference", title, task.decision[:200], task.agency_id)


def _emergency(e: EmergencyAccess, r: _Reading) -> Event:
    return Event(e.granted_at, "emergency", f"{gettext('긴급 열람')}: {e.user}", e.reason[:200], e.agency_id, "danger")


def _referrals(r: _Reading) -> QuerySet[Referral]:
    referrals = Referral.objects.filter(district_id=r.case.district_id, case=r.case)
    if r.agency_id:
        referrals = referrals.filter(Q(from_agency_id=r.agency_id) | Q(to_agency_id=r.agency_id))
    return referrals.select_related("from_agency", "to_agency")


def _conference_items(r: _Reading) -> QuerySet:
    from hamkke.conferences.selectors import conference_items_for_case

    items = conference_items_for_case(case=r.case)
    return items.filter(conference__agencies=r.agency_id) if r.agency_id else items


def _conference_tasks(r: _Reading) -> QuerySet:
    from hamkke.conferences.selectors import tasks_for_case

    return tasks_for_case(case=r.case).filter(r.agency("agency_id"))


def _of_case(model) -> Callable[[_Reading], QuerySet]:
    return lambda r: model.objects.filter(district_id=r.case.district_id, case=r.case)


CONTACT_FIELDS = ("contacted_at", "kind", "outcome", "note", "with_whom", "agency_id", "created_at")
SERVICE_FIELDS = ("provided_on", "domain", "mode", "description", "provider_agency_id", "amount", "created_at")

SOURCES: tuple[Source, ...] = (
    Source(
        "stage",
        "stage",
        "changed_at",
        lambda r, narrow: narrow(_of_case(StageChange)(r).select_related("changed_by")),
        _stage_event,
        lead=True,
    ),
    Source(
        "team",
        "team",
        "at",
        lambda r, narrow: narrow(
            _of_case(TeamEvent)(r).filter(r.agency("agency_id")).select_related("agency", "from_agency")
        ),
        _team_event,
    ),
    Source(
        "consent",
        "consent",
        "given_on",
        lambda r, narrow: narrow(_of_case(Consent)(r).select_related("person")),
        _consent_given,
        is_date=True,
        lead=True,
    ),
    Source(
        "consent_withdrawn",
        "consent",
        "withdrawn_on",
        lambda r, narrow: narrow(_of_case(Consent)(r).filter(withdrawn_on__isnull=False).select_related("person")),
        _consent_withdrawn,
        is_date=True,
        lead=True,
    ),
    Source(
        "consultation",
        "consultation",
        "held_on",
        lambda r, narrow: consultations_for_case(actor=r.actor, case=r.case, narrow=narrow),
        _consultation,
        is_date=True,
        lead=True,
    ),
    Source(
        "crisis",
        "crisis",
        "assessed_on",
        lambda r, narrow: narrow(
            crisis_assessments_for_case(actor=r.actor, case=r.case).select_related(None).prefetch_related(None)
        ),
        _crisis,
        is_date=True,
        lead=True,
    ),
    Source(
        "need",
        "need",
        "identified_on",
        lambda r, narrow: narrow(needs_for_case(actor=r.actor, case=r.case).select_related(None)),
        _need,
        is_date=True,
        lead=True,
    ),
    Source("plan", "plan", "created_at", lambda r, narrow: narrow(_of_case(ServicePlan)(r)), _plan, lead=True),
    Source(
        "approval",
        "approval",
        "submitted_at",
        lambda r, narrow: narrow(_of_case(ApprovalRequest)(r).filter(r.agency("agency_id"))),
        _approval_asked,
    ),
    Source(
        "approval_decided",
        "approval",
        "decided_at",
        lambda r, narrow: narrow(_of_case(ApprovalRequest)(r).filter(r.agency("agency_id"), decided_at__isnull=False)),
        _approval_decided,
    ),
    Source(
        "contact",
        "contact",
        "contacted_at",
        lambda r, narrow: narrow(
            contact_records_for_case(actor=r.actor, case=r.case)
            .select_related(None)
            .filter(r.agency("agency_id"))
            .only(*CONTACT_FIELDS)
        ),
        _contact,
    ),
    Source(
        "service",
        "service",
        "provided_on",
        lambda r, narrow: narrow(
            service_records_for_case(actor=r.actor, case=r.case)
            .select_related(None)
            .filter(r.agency("provider_agency_id"))
            .only(*SERVICE_FIELDS)
        ),
        _service,
        is_date=True,
    ),
    Source("referral", "referral", "sent_at", lambda r, narrow: narrow(_referrals(r)), _referral_sent),
    Source(
        "referral_answered",
        "referral",
        "responded_at",
        lambda r, narrow: narrow(_referrals(r).filter(responded_at__isnull=False, status__in=list(ANSWERED))),
        _referral_answered,
    ),
    Source(
        "referral_completed",
        "referral",
        "completed_at",
        lambda r, narrow: narrow(_referrals(r).filter(completed_at__isnull=False)),
        _referral_completed,
    ),
    # No time of its own is kept for a withdrawal: shown at the referral's last change.
    Source(
        "referral_withdrawn",
        "referral",
        "updated_at",
        lambda r, narrow: narrow(_referrals(r).filter(status="withdrawn")),
        _referral_withdrawn,
    ),
    Source(
        "conference",
        "conference",
        "conference__scheduled_at",
        lambda r, narrow: narrow(_conference_items(r)),
        _conference_item,
    ),
    Source(
        "conference_task",
        "conference",
        "conference__scheduled_at",
        lambda r, narrow: narrow(_conference_tasks(r)),
        _conference_task,
    ),
    Source(
        "emergency",
        "emergency",
        "granted_at",
        lambda r, narrow: narrow(_of_case(EmergencyAccess)(r).filter(r.agency("agency_id")).select_related("user")),
        _emergency,
    ),
)


# --- reading ------------------------------------------------------------------------------------


def _year_range(year: int | None, source: Source) -> Q:
    if year is None:
        return Q()
    if source.is_date:
        start: datetime.date = datetime.date(year, 1, 1)
        end: datetime.date = datetime.date(year + 1, 1, 1)
    else:
        start = timezone.make_aware(datetime.datetime(year, 1, 1))
        end = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
    return Q(**{f"{source.time}__gte": start, f"{source.time}__lt": end})


def _past(cursor: Cursor | None, source: Source) -> Q:
    """The rows of ``source`` past ``cursor`` in the reading direction, as a range on the event time
    (an index range) and, only for rows at the cursor's very time, the tie-break on (source, id)."""
    if cursor is None:
        return Q()
    older = not cursor.newer
    bound: datetime.date | datetime.datetime = cursor.at
    at_bound = cursor.at  # when the bound value's rows happened
    if source.is_date:
        bound = timezone.localtime(cursor.at, timezone.get_default_timezone()).date()
        at_bound = _date_sort_at(bound)
    inclusive = Q(**{f"{source.time}__{'lte' if older else 'gte'}": bound})
    strict = Q(**{f"{source.time}__{'lt' if older else 'gt'}": bound})
    if at_bound != cursor.at:
        return inclusive if (at_bound < cursor.at) == older else strict
    if source.name != cursor.source:
        return inclusive if (source.name < cursor.source) == older else strict
    return inclusive & (strict | Q(**{f"id__{'lt' if older else 'gt'}": cursor.row_id}))


def _stream(source: Source, r: _Reading, cursor: Cursor | None, limit: int | None) -> list[Event]:
    """One source's events past the cursor in reading order: one query."""
    direction = "" if cursor is not None and cursor.newer else "-"

    def narrow(qs: QuerySet) -> QuerySet:
        qs = qs.filter(_year_range(r.year, source), _past(cursor, source))
        qs = qs.order_by(f"{direction}{source.time}", f"{direction}id")
        return qs[:limit] if limit is not None else qs

    events = []
    for row in source.read(r, narrow):
        event = source.event(row, r)
        day = getattr(row, source.time) if source.is_date else None
        sort_at = _date_sort_at(day) if day is not None else event.at
        events.append(replace(event, source=source.name, row_id=row.pk, sort_at=sort_at))
    return events


def _read(
    *,
    actor: Actor,
    case: Case,
    agency_id: int | None,
    kinds: set[str] | None,
    year: int | None,
    cursor: Cursor | None,
    limit: int | None,
) -> Iterator[Event]:
    wanted = set(KINDS) if not kinds else set(kinds) & set(KINDS)
    lead_only = agency_id is not None and agency_id != case.lead_agency_id
    r = _Reading(actor=actor, case=case, agency_id=agency_id, year=year)
    streams = [_stream(s, r, cursor, limit) for s in SOURCES if s.kind in wanted and not (s.lead and lead_only)]
    merged = heapq.merge(*streams, key=lambda e: e.key, reverse=not (cursor is not None and cursor.newer))
    return islice(merged, limit)


def case_timeline(
    *,
    actor: Actor,
    case: Case,
    agency_id: int | None = None,
    kinds: set[str] | None = None,
    year: int | None = None,
) -> list[Event]:
    """Every event of a case the caller already holds in scope, newest first, as ``actor`` may read
    them (the case story tells them all). A page reads ``case_timeline_page``."""
    return list(_read(actor=actor, case=case, agency_id=agency_id, kinds=kinds, year=year, cursor=None, limit=None))


def _salt(case: Case) -> str:
    return f"hamkke.timeline.cursor:{case.uuid}"


def cursor_token(case: Case, event: Event, *, newer: bool = False) -> str:
    """The signed position after (or, ``newer``, before) ``event``, for a page link."""
    return signing.dumps([event.key[0].isoformat(), event.source, event.row_id, newer], salt=_salt(case))


def cursor_from_token(case: Case, token: str) -> Cursor | None:
    """The cursor of a page link of this case; None when the token is not one (edited, of another case)."""
    try:
        at, source, row_id, newer = signing.loads(token, salt=_salt(case))
        cursor = Cursor(datetime.datetime.fromisoformat(at), str(source), int(row_id), bool(newer))
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return cursor if timezone.is_aware(cursor.at) else None


def year_cursor(year: int) -> Cursor:
    """The position just after the year's last moment: the page starts with the year's newest event."""
    end = timezone.make_aware(datetime.datetime(year + 1, 1, 1), timezone.get_default_timezone())
    return Cursor(end, "", 0)


def case_timeline_page(
    *,
    actor: Actor,
    case: Case,
    agency_id: int | None = None,
    kinds: set[str] | None = None,
    year: int | None = None,
    cursor: Cursor | None = None,
    size: int = PAGE_SIZE,
) -> TimelinePage:
    """``size`` events past ``cursor`` (from the newest without one), newest first, with the cursors
    of the pages after and before: one query per source, whatever the length of the case."""
    filters: dict[str, Any] = {"actor": actor, "case": case, "agency_id": agency_id, "kinds": kinds, "year": year}
    rows = list(_read(**filters, cursor=cursor, limit=size + 1))
    if cursor is not None and cursor.newer:
        if len(rows) <= size:  # nothing newer beyond this: it is the newest page
            return case_timeline_page(**filters, size=size)
        events = rows[:size][::-1]
        return TimelinePage(events, cursor_token(case, events[-1]), cursor_token(case, events[0], newer=True))
    events = rows[:size]
    older = cursor_token(case, events[-1]) if len(rows) > size else None
    newer = cursor_token(case, events[0], newer=True) if cursor is not None and events else None
    return TimelinePage(events, older, newer)


def case_timeline_years(*, case: Case) -> list[int]:
    """The years the case spans, for the 'jump to year' control (newest first)."""
    first = case_start_on(case).year  # outreach before registration is on the timeline too
    last = (case.closed_on or timezone.localdate()).year
    return list(range(last, first - 1, -1))
