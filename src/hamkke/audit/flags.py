"""Unusual access (이상 접근) in the access log, for the auditors' review.

Rules, each cheap to compute over a period of one district's log:
- ``bulk``: one user opened many different persons in a short window (default 30 in 10 minutes), or
  took a file of records (an export of service records or households);
- ``after_hours``: personal data read outside working hours (before 07:00, from 21:00, or at
  weekends, Seoul time);
- ``outside_team``: a case read by someone whose agency neither leads it nor takes part in it
  (district admins do this legitimately: it is shown for review, not forbidden);
- ``emergency``: every emergency access;
- ``denied``: attempts refused by the access scope (someone probing ids);
- ``probing``: one user ran many duplicate-person checks that no registration followed (default 10
  in an hour): the check answers "is this name and birth date known, and who supports them?", so
  repeating it is a way to look people up without opening anything (issue 11 finding 7).
"""

from __future__ import annotations

import datetime
import itertools
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeAlias

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AccessLog, Action

BULK_PERSONS = 30
BULK_WINDOW = datetime.timedelta(minutes=10)
WORK_START, WORK_END = datetime.time(7), datetime.time(21)
READS = (Action.VIEW, Action.LIST, Action.EXPORT)
# Exports of a list of records (records.exports, imports.services): their log row names no persons.
BULK_EXPORTS = ("servicerecord", "household")
PROBE_CHECKS = 10
PROBE_WINDOW = datetime.timedelta(hours=1)
CHUNK_SIZE = 5_000  # rows read from the database at a time over a period
# The access-log detail of a duplicate-person lookup (people.services.DUPLICATE_CHECK; the file
# import's one-per-file lookup says "import duplicate check" and is not a probe).
DUPLICATE_CHECK_PREFIX = "duplicate check:"
IDENTITY_COMPLETED = "identity completed"  # people.services.person_complete_identity

FLAG_LABELS = {
    "bulk": _("짧은 시간에 많은 당사자 열람"),
    "after_hours": _("근무시간 외 열람"),
    "outside_team": _("소속 팀 밖 사례 열람"),
    "emergency": _("긴급 열람"),
    "denied": _("접근 거부(권한 밖 시도)"),
    "probing": _("등록 없이 반복한 중복 확인"),
}


@dataclass(frozen=True)
class Flag:
    kind: str
    log_id: int
    at: datetime.datetime
    username: str
    detail: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.log_id}"

    @property
    def label(self):
        return FLAG_LABELS[self.kind]


def after_hours(at: datetime.datetime) -> bool:
    local = timezone.localtime(at)
    return local.weekday() >= 5 or not (WORK_START <= local.time() < WORK_END)


FIELDS = (
    "id",
    "at",
    "user_id",
    "username",
    "agency_id",
    "action",
    "case_id",
    "person_ids",
    "object_id",
    "object_type",
    "detail",
)
# An AccessLog, or a named row of FIELDS (``period_chunks``): the rules read only these attributes.
LogRow: TypeAlias = Any


def _probing(log: LogRow, checks: deque[datetime.datetime]) -> bool:
    """Track one user's duplicate checks that no registration answered; True when they reach
    PROBE_CHECKS within PROBE_WINDOW. A registration (a case opened) or an unknown person's identity
    completed answers the latest."""
    registered = log.action == Action.CREATE and log.object_type == "case"
    identified = log.action == Action.UPDATE and log.detail.startswith(IDENTITY_COMPLETED)
    if registered or identified:
        if checks:
            checks.pop()
        return False
    if log.action != Action.LIST or not log.detail.startswith(DUPLICATE_CHECK_PREFIX):
        return False
    checks.append(log.at)
    while checks and checks[0] < log.at - PROBE_WINDOW:
        checks.popleft()
    return len(checks) >= PROBE_CHECKS


def period_chunks(
    *, district_id: int, start: datetime.datetime, end: datetime.datetime, chunk_size: int = CHUNK_SIZE
) -> Iterator[list[LogRow]]:
    """A district's rows in [start, end), in (at, id) order, ``chunk_size`` at a time: streamed (a server-side
    cursor on PostgreSQL), as light named tuples of the fields the rules read, never the whole period at once."""
    rows = (
        AccessLog.objects.filter(district_id=district_id, at__gte=start, at__lt=end)
        .order_by("at", "id")
        .values_list(*FIELDS, named=True)
        .iterator(chunk_size=chunk_size)
    )
    while chunk := list(itertools.islice(rows, chunk_size)):
        yield chunk


def flags_for_period(*, district_id: int, start: datetime.datetime, end: datetime.datetime) -> list[Flag]:
    """All flags of a district's log in [start, end), oldest first. Reads every row of the period (streamed):
    a month of a metro district takes minutes, so the monthly review reads the flags its job stored
    (``monthflags``), computed by the same rules."""
    rules = FlagRules(start)
    flags: list[Flag] = []
    for chunk in period_chunks(district_id=district_id, start=start, end=end):
        flags.extend(rules.feed(chunk))
    return flags


def flags_for_rows(*, district_id: int, logs: list[AccessLog]) -> dict[int, Flag]:
    """The flags of some rows (a page of the viewer), by row id.

    Besides the rows themselves, reads only what the bulk rule needs: each row's user's rows in the
    bulk window before it (one index range per user and window, merged where they overlap). A page reads
    a few thousand rows at most, whatever the period (flags_for_period over a month of a metro district
    reads millions). The flags of a whole period: the monthly review.
    """
    if not logs:
        return {}
    windows: dict[str, list[list[datetime.datetime]]] = defaultdict(list)
    for log in sorted(logs, key=lambda log: log.at):
        if not log.user_id:
            continue
        spans = windows[log.username]
        # a duplicate check is judged against the user's checks of the hour before it (probing)
        reach = PROBE_WINDOW if (log.detail or "").startswith(DUPLICATE_CHECK_PREFIX) else BULK_WINDOW
        if spans and spans[-1][1] >= log.at - reach:
            spans[-1][1] = log.at
        else:
            spans.append([log.at - reach, log.at])
    around = Q()
    for username, spans in windows.items():
        for low, high in spans:
            around |= Q(username=username, at__gte=low, at__lte=high)
    context = {log.pk: log for log in logs}
    if around:
        for log in AccessLog.objects.filter(around, district_id=district_id).only(*FIELDS):
            context.setdefault(log.pk, log)
    ids = {log.pk for log in logs}
    ordered = sorted(context.values(), key=lambda log: (log.at, log.pk))
    start = min(log.at for log in logs) - max(BULK_WINDOW, PROBE_WINDOW)
    return {flag.log_id: flag for flag in FlagRules(start).feed(ordered) if flag.log_id in ids}


class FlagRules:
    """The rules as one pass over rows in (at, id) order, fed a chunk at a time (``feed``).

    Between chunks it keeps only what a rule needs of the rows before: each user's reads of the last
    BULK_WINDOW and unanswered duplicate checks of the last PROBE_WINDOW, when each user's last burst was
    flagged, and the lead and partner agencies of the cases met so far (looked up once per chunk for the
    cases not met before). So a month of millions of rows is read in bounded memory, and the flags are the
    same wherever the chunks are cut (a burst across two chunks included).
    """

    def __init__(self, start: datetime.datetime) -> None:
        self.start = start
        self.leads: dict[int, int | None] = {}
        self.partners: defaultdict[int, set[int]] = defaultdict(set)
        self.recent: defaultdict[int, deque[tuple[datetime.datetime, int]]] = defaultdict(deque)
        self.recent_persons: defaultdict[int, Counter[int]] = defaultdict(Counter)
        self.bulk_flagged_until: dict[int, datetime.datetime] = {}
        self.unanswered_checks: defaultdict[int, deque[datetime.datetime]] = defaultdict(deque)
        self.probe_flagged_until: dict[int, datetime.datetime] = {}

    def feed(self, logs: Iterable[LogRow]) -> list[Flag]:
        """The flags of these rows, which come after every row fed before."""
        logs = list(logs)
        self._learn_cases(logs)
        flags: list[Flag] = []
        for log in logs:
            self._judge(log, flags)
        return flags

    def _learn_cases(self, logs: list[LogRow]) -> None:
        from hamkke.cases.models import Case, CaseParticipant

        unseen = {log.case_id for log in logs if log.case_id and log.action in READS} - self.leads.keys()
        if not unseen:
            return
        self.leads.update(dict.fromkeys(unseen))
        self.leads.update(Case.objects.filter(pk__in=unseen).values_list("pk", "lead_agency_id"))
        participants = CaseParticipant.objects.filter(case_id__in=unseen).values_list("case_id", "agency_id")
        for case_id, agency_id in participants:
            self.partners[case_id].add(agency_id)

    def _judge(self, log: LogRow, flags: list[Flag]) -> None:
        if log.user_id and _probing(log, self.unanswered_checks[log.user_id]):
            if self.probe_flagged_until.get(log.user_id, self.start) <= log.at:
                count = len(self.unanswered_checks[log.user_id])
                flags.append(Flag("probing", log.id, log.at, log.username, f"{count}"))
                self.probe_flagged_until[log.user_id] = log.at + PROBE_WINDOW  # one flag per burst
        if log.action == Action.EMERGENCY:
            flags.append(Flag("emergency", log.id, log.at, log.username, log.object_id))
        if log.action == Action.DENIED:
            flags.append(Flag("denied", log.id, log.at, log.username, log.object_id))
        if log.action == Action.EXPORT and log.object_type in BULK_EXPORTS and not log.person_ids:
            # A file of records names its scope and period, not each person (services.audit_export):
            # it is a bulk read by itself, shown for review like many persons opened at once.
            flags.append(Flag("bulk", log.id, log.at, log.username, log.object_type))
            if after_hours(log.at):
                flags.append(Flag("after_hours", log.id, log.at, log.username))
            return
        if log.action not in READS or not log.person_ids and not log.case_id:
            return
        if after_hours(log.at):
            flags.append(Flag("after_hours", log.id, log.at, log.username))
        if (
            log.case_id
            and log.agency_id
            and log.agency_id != self.leads.get(log.case_id)
            and log.agency_id not in self.partners.get(log.case_id, ())
        ):
            flags.append(Flag("outside_team", log.id, log.at, log.username, str(log.case_id)))
        if log.user_id:
            window, persons = self.recent[log.user_id], self.recent_persons[log.user_id]
            for pid in log.person_ids:
                window.append((log.at, pid))
                persons[pid] += 1
            while window and window[0][0] < log.at - BULK_WINDOW:
                _at, gone = window.popleft()
                persons[gone] -= 1
                if not persons[gone]:
                    del persons[gone]
            distinct = len(persons)
            if distinct >= BULK_PERSONS and self.bulk_flagged_until.get(log.user_id, self.start) <= log.at:
                flags.append(Flag("bulk", log.id, log.at, log.username, f"{distinct}"))
                self.bulk_flagged_until[log.user_id] = log.at + BULK_WINDOW  # one flag per burst
