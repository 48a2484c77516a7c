"""Event time against recorded time (issue 13 item 1): the one rule for when a case record may say
it happened.

Work is often typed after the fact: a refusal typed on Friday about Monday's door, visits entered
from a notebook a week later. Each record keeps two times: when it happened (the worker says; the
default is now) and when it was typed, with whom (``created_at``/``recorded_by`` or ``changed_by``).
Counts, deadlines, monitoring, refusal attempts, statistics and the timeline read the event time.

An event may lie anywhere from the case's start (its first contact, outreach before registration
included) up to now; never in the future. Stage changes are also never before the previous one
(``cases.services.case_change_stage``).
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

# Typed more than this many days after it happened: the timeline marks the entry as entered late.
LATE_ENTRY_DAYS = 7


def case_start_on(case) -> datetime.date:
    """The earliest day a record of the case may be dated: its first contact, else its opening."""
    if case.first_contact_on and case.first_contact_on < case.opened_on:
        return case.first_contact_on
    return case.opened_on


def _start_label(case) -> str:
    if case.first_contact_on and case.first_contact_on <= case.opened_on:
        return _("첫 접촉일")
    return _("사례 개시일")


def future_date_message() -> str:
    """The one message for a date or moment in the future, saying what to do instead."""
    return _("미래 날짜는 입력할 수 없습니다 — 오늘 또는 이전 날짜를 입력하세요")


def event_day_errors(case, field: str, day: datetime.date, *, today: datetime.date | None = None) -> dict[str, str]:
    """``{field: message}`` when ``day`` is in the future or before the case's start, else ``{}``."""
    if day > (today or timezone.localdate()):
        return {field: future_date_message()}
    start = case_start_on(case)
    if day < start:
        return {
            field: _("%(what)s(%(date)s) 이전 날짜는 기록할 수 없습니다 — %(date)s 또는 그 뒤 날짜를 입력하세요")
            % {"what": _start_label(case), "date": start.isoformat()}
        }
    return {}


def event_at_errors(case, field: str, at) -> dict[str, str]:
    """The same rule for a moment (aware datetime); a missing or naive value is refused too."""
    if not isinstance(at, datetime.datetime) or timezone.is_naive(at):
        return {field: _("일시를 입력하세요 (예: %(date)s 14:30)") % {"date": timezone.localdate().isoformat()}}
    if at > timezone.now():
        return {field: future_date_message()}
    return event_day_errors(case, field, timezone.localtime(at).date())


def day_start(day: datetime.date) -> datetime.datetime:
    """A date-only event placed in time: 09:00 Seoul of its day, or now when that is still ahead."""
    return min(timezone.make_aware(datetime.datetime.combine(day, datetime.time(9))), timezone.now())


def typed_late(occurred, recorded: datetime.datetime | None) -> bool:
    """True when a record was typed more than LATE_ENTRY_DAYS days after the day it happened."""
    if recorded is None or occurred is None:
        return False
    occurred_on = timezone.localtime(occurred).date() if isinstance(occurred, datetime.datetime) else occurred
    return (timezone.localtime(recorded).date() - occurred_on).days > LATE_ENTRY_DAYS
