"""The anonymised case story (사례 이야기) for practice-sharing workshops (issue 5, item 4).

From a case's timeline (``hamkke.timeline.selectors.case_timeline``) a story is written in time
order, then scrubbed:
- names become roles: the head of household 당사자, other members 가족 A/B, people asked for help
  or doing a plan action by their role (이웃 A, 자원봉사자 A...), staff of the district 담당자 A/B —
  letters in order of first mention, so the same person keeps one letter through the story;
- resident registration numbers, phone numbers, e-mail addresses, the household's address and
  anything shaped like a road/lot/flat address are removed; dong and district names are masked;
- dates become relative to the start of the case ("3개월 후"); the time of each event too;
- agencies are named by kind (종합사회복지관), with a letter when two of one kind take part.
Free text can still hold what no rule recognises (a nickname, a shop's name): that is why a
supervisor reads and approves every story before it can be downloaded (services.story_decide).
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from hamkke.cases.workflow import Chapter, Stage, spec

PERSON = "당사자"
ROLE_FAMILY = "가족"
ROLE_STAFF = "담당자"
ROLE_BY_PERFORMER = {"family": "가족", "neighbour": "이웃", "volunteer": "자원봉사자", "agency": "담당자"}
HONORIFICS = ("님", " 님", "씨", " 씨")
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# Who opened the case in an emergency is not practice to share; approvals are routine paperwork.
EXCLUDED_KINDS = {"emergency", "approval"}
SEX = {"F": _lazy("여성"), "M": _lazy("남성")}
GROUP_MIN = 3  # this many similar events in a row are told once ("찾아가기 시도 · 응답 없음 ×7")

RRN = re.compile(r"(?<!\d)\d{6}\s*-?\s*[1-8]\d{6}(?!\d)")
PHONE = re.compile(r"(?<!\d)(?:\+82[\s-]?)?0\d{1,2}[\s.)-]?\d{3,4}[\s.-]?\d{4}(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
ROAD = re.compile(r"[가-힣A-Za-z0-9]{1,12}(?:대로|로|길)\s?\d{1,4}(?:-\d{1,4})?(?:번길\s?\d{1,4})?(?=$|[\s,.)\]])")
LOT = re.compile(r"\d{1,5}(?:-\d{1,5})?\s?번지")
FLAT = re.compile(r"\d{1,4}\s?동\s?\d{1,5}\s?호")
FULL_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-./년]\s*(\d{1,2})\s*[-./월]\s*(\d{1,2})(?:\s*일|\.(?!\d))?(?!\d)")
YEAR_MONTH = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*년\s*(\d{1,2})\s*월")
YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*년")

DOUBLED_ROLE = re.compile(r"(가족|이웃|자원봉사자|담당자)\s+\1 ([A-Z]+|\d+)(?![A-Za-z0-9])")

REMOVED_RRN = "[주민등록번호 삭제]"
REMOVED_PHONE = "[전화번호 삭제]"
REMOVED_EMAIL = "[이메일 삭제]"
REMOVED_ADDRESS = "[주소 삭제]"


def _months_between(a: datetime.date, b: datetime.date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month - (1 if b.day < a.day else 0)


def span(early: datetime.date, late: datetime.date) -> str:
    """How long from ``early`` to ``late``: '5일', '2주', '3개월', '1년 2개월'."""
    months, days = _months_between(early, late), (late - early).days
    if months == 0:
        return _("%(n)s일") % {"n": days} if days < 14 else _("%(n)s주") % {"n": days // 7}
    if months < 12:
        return _("%(n)s개월") % {"n": months}
    years, rest = divmod(months, 12)
    return _("%(n)s년") % {"n": years} + (" " + _("%(n)s개월") % {"n": rest} if rest else "")


def relative(day: datetime.date, origin: datetime.date) -> str:
    """'시작일', '5일 후', '2주 후', '3개월 후', '1년 2개월 후' (or '... 전')."""
    if day == origin:
        return _("시작일")
    amount = span(*sorted((origin, day)))
    return (_("%(amount)s 후") if day > origin else _("%(amount)s 전")) % {"amount": amount}


@dataclass
class Anonymiser:
    """Replaces what identifies people in a text. ``names`` maps a string to (role, identity)."""

    origin: datetime.date
    names: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    removed: set[str] = field(default_factory=set)  # exact strings to remove (the household's address)
    _letters: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))

    def add(self, text: str | None, role: str, identity: str | None = None) -> None:
        """Replace ``text`` (a name) by ``role``, lettered per ``identity`` (None: the role alone)."""
        text = (text or "").strip()
        if len(text) < 2 or text in self.names:
            return
        forms = [text] + [text + h for h in HONORIFICS]
        if re.fullmatch(r"[가-힣]{3}", text):
            forms += [text[1:] + h for h in HONORIFICS]  # 길순 씨, 길순님: the given name with an honorific
        for form in forms:
            self.names.setdefault(form, (role, identity))

    def _label(self, role: str, identity: str | None) -> str:
        if identity is None:
            return role
        letters = self._letters[role]
        if identity not in letters:
            index = len(letters)
            letters[identity] = LETTERS[index] if index < len(LETTERS) else str(index + 1)
        return f"{role} {letters[identity]}"

    def _date(self, match: re.Match) -> str:
        try:
            day = datetime.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return "[날짜]"
        return _("시작 %(rel)s") % {"rel": relative(day, self.origin)} if day != self.origin else _("시작일")

    def _year_month(self, match: re.Match) -> str:
        month = int(match[2])
        if not 1 <= month <= 12:
            return "[날짜]"
        first = datetime.date(int(match[1]), month, 1)
        return _("시작 약 %(rel)s") % {"rel": relative(first, self.origin.replace(day=1))}

    def _year(self, match: re.Match) -> str:
        years = int(match[1]) - self.origin.year
        if years == 0:
            return _("시작한 해")
        return (_("시작 %(n)s년 후") if years > 0 else _("시작 %(n)s년 전")) % {"n": abs(years)}

    def scrub(self, text: str) -> str:
        for exact in sorted(self.removed, key=len, reverse=True):
            if exact:
                text = text.replace(exact, REMOVED_ADDRESS)
        if self.names:
            pattern = re.compile("|".join(re.escape(n) for n in sorted(self.names, key=len, reverse=True)))
            text = pattern.sub(lambda m: self._label(*self.names[m[0]]), text)
        text = RRN.sub(REMOVED_RRN, text)
        text = PHONE.sub(REMOVED_PHONE, text)
        text = EMAIL.sub(REMOVED_EMAIL, text)
        text = FULL_DATE.sub(self._date, text)
        text = YEAR_MONTH.sub(self._year_month, text)
        text = YEAR.sub(self._year, text)
        for pattern in (FLAT, LOT, ROAD):
            text = pattern.sub(REMOVED_ADDRESS, text)
        return DOUBLED_ROLE.sub(r"\1 \2", text)  # "이웃 박순자 님" -> "이웃 이웃 A" -> "이웃 A"


def _local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _origin(case, events: Iterable) -> datetime.date:
    days = [_local_day(e.at) for e in events]
    return min([case.opened_on, *days])


def _agency_labels(case, agency_ids_seen: set[int], raw_text: str) -> dict[int, tuple[str, str]]:
    """agency id -> (name, label by kind); a letter when two agencies of one kind appear."""
    from hamkke.districts.models import Agency

    agencies = list(Agency.objects.filter(district_id=case.district_id).order_by("pk"))
    seen = [a for a in agencies if a.pk in agency_ids_seen or a.name in raw_text]
    by_kind = defaultdict(list)
    for agency in seen:
        by_kind[agency.kind].append(agency)
    labels = {}
    for agency in agencies:
        kind_label = str(agency.get_kind_display())
        group = by_kind.get(agency.kind, [])
        if len(group) > 1 and agency in group:
            kind_label = f"{kind_label} {LETTERS[group.index(agency) % len(LETTERS)]}"
        labels[agency.pk] = (agency.name, kind_label)
    return labels


def story_events(actor, case) -> list:
    """The timeline events a story tells, oldest first, as ``actor`` (its writer) may read them."""
    from hamkke.timeline.selectors import case_timeline

    events = [e for e in case_timeline(actor=actor, case=case) if e.kind not in EXCLUDED_KINDS]
    return sorted(events, key=lambda e: e.at)


def anonymiser_for_case(case, events: list) -> tuple[Anonymiser, dict[int, str]]:
    """The anonymiser for a case (and the agency labels by id): every name Hamkke knows around it."""
    from hamkke.accounts.models import Membership
    from hamkke.consents.models import Consent
    from hamkke.districts.models import Dong
    from hamkke.plans.models import Ask, PlanAction

    anonymiser = Anonymiser(origin=_origin(case, events))
    household = case.household
    members = sorted(household.members.all(), key=lambda p: (p.relation != "head", p.pk))
    for index, person in enumerate(members):
        if index == 0:
            anonymiser.add(person.name, PERSON)
        else:
            anonymiser.add(person.name, ROLE_FAMILY, f"person-{person.pk}")
    for guardian in Consent.objects.filter(case=case).exclude(guardian_name="").values_list("guardian_name", flat=True):
        anonymiser.add(guardian, ROLE_FAMILY, f"guardian-{guardian}")
    for whom, role in Ask.objects.filter(case=case).values_list("whom", "whom_role"):
        if role != "person":
            anonymiser.add(whom, ROLE_BY_PERFORMER.get(role, ROLE_STAFF), f"{role}-{whom}")
    for name, role in (
        PlanAction.objects.filter(goal__plan__case=case)
        .exclude(performer_name="")
        .values_list("performer_name", "performer")
    ):
        if role != "person":
            anonymiser.add(name, ROLE_BY_PERFORMER.get(role, ROLE_STAFF), f"{role}-{name}")
    staff = Membership.objects.filter(district_id=case.district_id).values_list(
        "user_id", "user__display_name", "user__first_name", "user__last_name"
    )
    for user_id, display_name, first, last in staff:
        anonymiser.add(display_name, ROLE_STAFF, f"user-{user_id}")
        anonymiser.add(f"{last}{first}", ROLE_STAFF, f"user-{user_id}")

    raw = "\n".join(f"{e.title} {e.detail}" for e in events)
    agency_labels = _agency_labels(case, {e.agency_id for e in events if e.agency_id}, raw)
    for name, label in agency_labels.values():
        anonymiser.add(name, label)
    for dong in Dong.objects.filter(district_id=case.district_id).values_list("name", flat=True):
        anonymiser.add(dong, "○○동")
    anonymiser.add(case.district.name, "○○구")
    anonymiser.removed |= {
        household.address,
        f"{household.address} {household.address_detail}".strip(),
        household.address_detail if len(household.address_detail) > 3 else "",
    }
    return anonymiser, {pk: label for pk, (_name, label) in agency_labels.items()}


@dataclass(frozen=True)
class _Line:
    start: datetime.date
    end: datetime.date
    agency: str
    kind: str
    title: str
    details: tuple[str, ...]
    count: int


def _group(events: list, agency_labels: dict[int, str]) -> list[_Line]:
    """Events oldest first; runs of the same kind, title and agency told once (with how many)."""
    lines: list[_Line] = []
    run: list = []

    def flush():
        if not run:
            return
        first, last = run[0], run[-1]
        if len(run) >= GROUP_MIN:
            details = tuple(dict.fromkeys(str(e.detail) for e in run if e.detail))
            lines.append(
                _Line(
                    _local_day(first.at),
                    _local_day(last.at),
                    agency_labels.get(first.agency_id, ""),
                    str(first.kind_label),
                    str(first.title),
                    details,
                    len(run),
                )
            )
        else:
            lines.extend(
                _Line(
                    _local_day(e.at),
                    _local_day(e.at),
                    agency_labels.get(e.agency_id, ""),
                    str(e.kind_label),
                    str(e.title),
                    (str(e.detail),) if e.detail else (),
                    1,
                )
                for e in run
            )
        run.clear()

    for event in events:
        if run and (event.kind, event.title, event.agency_id) != (run[0].kind, run[0].title, run[0].agency_id):
            flush()
        run.append(event)
    flush()
    return lines


def _stage_at(changes: list[tuple[datetime.date, str]], day: datetime.date) -> str:
    """The stage a case was in on ``day`` (the first stage before its first recorded change)."""
    stage = changes[0][1] if changes else Stage.IDENTIFICATION
    for changed_on, to_stage in changes:
        if changed_on > day:
            break
        stage = to_stage
    return stage


def _told(line: _Line, origin: datetime.date, count: int, end: datetime.date) -> str:
    when = relative(line.start, origin)
    if end != line.start:
        when = f"{when} ~ {relative(end, origin)}"
    text = f"[{when}] " + " · ".join(part for part in (line.agency, line.kind, line.title) if part)
    if count > 1:
        text += f" ×{count}"
    shown = line.details[:3]
    if shown:
        text += " — " + " / ".join(d.replace("\n", " ") for d in shown) + (" …" if len(line.details) > 3 else "")
    return text


def _chapters(case, lines: list[_Line], origin: datetime.date) -> list[str]:
    """The story told in chapters: the stage each line happened in gives its chapter (cases.workflow:
    처음 만나기까지, 거부와 기다림, 함께 살펴보기, …); leaving a wait for the work is the turning point;
    a chapter longer than a year is told year by year. Within a chapter the same thing (agency, kind,
    title and details) is told once in the whole story, with how many times and until when; routine
    approvals are left out. A chapter left with no line of its own is not told."""
    changes = [
        (_local_day(at), to_stage)
        for at, to_stage in case.stage_changes.order_by("changed_at", "pk").values_list("changed_at", "to_stage")
    ]
    chapters: list[tuple[str, list[list]]] = []  # (heading, [[line, count, last day], ...])
    seen: dict[tuple, list] = {}
    previous_chapter = ""
    chapter_start = origin
    for line in lines:
        chapter = spec(_stage_at(changes, line.start)).chapter
        year = (line.start - chapter_start).days // 365 if chapter == previous_chapter else 0
        if chapter != previous_chapter:
            chapter_start = line.start
            turning = previous_chapter == Chapter.WAITING and chapter != Chapter.WAITING
            heading = str(Chapter(chapter).label)
            if turning:
                heading = _("전환점 — %(chapter)s") % {"chapter": heading}
            chapters.append((heading, []))
            previous_chapter = chapter
            current_year = 0
        elif year != current_year:
            current_year = year
            chapters.append((f"{Chapter(chapter).label} ({_('%(n)s년째') % {'n': year + 1}})", []))
        key = (line.agency, line.kind, line.title, line.details)
        if key in seen:  # told already (in this chapter or an earlier one): counted there, not repeated
            seen[key][1] += line.count
            seen[key][2] = line.end
        else:
            seen[key] = [line, line.count, line.end]
            chapters[-1][1].append(seen[key])
    body: list[str] = []
    for number, (heading, told) in enumerate([c for c in chapters if c[1]], 1):
        body += ["", _("%(n)s장. %(heading)s") % {"n": number, "heading": heading}, ""]
        body += [_told(line, origin, count, end) for line, count, end in told]
    return body


def _age_band(person, day: datetime.date) -> str:
    age = person.age_on(day)
    if age is None:  # registered unknown: the band the worker saw
        return person.get_apparent_age_band_display() or _("연령 미상")
    return _("%(n)s대") % {"n": age // 10 * 10}


def build_story(*, actor, case) -> tuple[str, str]:
    """(title, text) of the anonymised story of ``case`` (which the caller holds through its scope)."""
    events = story_events(actor, case)
    anonymiser, agency_labels = anonymiser_for_case(case, events)
    origin = anonymiser.origin
    members = list(case.household.members.all())
    head = case.household.head
    lead_label = agency_labels.get(case.lead_agency_id, "")
    partners = sorted(
        {
            label
            for pk, label in agency_labels.items()
            if pk != case.lead_agency_id and any(e.agency_id == pk for e in events)
        }
    )
    end = case.closed_on or timezone.localdate()
    type_name = case.case_type.name if case.case_type_id else _("통합사례관리")
    title = _("사례 이야기: %(type)s · %(agency)s") % {"type": type_name, "agency": lead_label}

    header = [
        title,
        "",
        _("당사자: %(age)s %(sex)s · 가구원 %(n)s명")
        % {
            "age": _age_band(head, origin) if head else "-",
            "sex": SEX.get(head.sex, "") if head else "",
            "n": len(members),
        },
        _("주관: %(lead)s") % {"lead": lead_label}
        + (" · " + _("함께한 기관: %(partners)s") % {"partners": ", ".join(partners)} if partners else ""),
        _("기간: %(span)s (%(state)s)")
        % {"span": span(origin, end) if end > origin else _("하루"), "state": case.get_stage_display()},
    ]
    if case.crisis_level:
        header.append(_("위기도: %(level)s") % {"level": case.get_crisis_level_display()})
    body = _chapters(case, _group(events, agency_labels), origin)
    text = "\n".join(header + body) + "\n"
    return anonymiser.scrub(title), anonymiser.scrub(text)


def scrub_for_case(*, actor, case, text: str) -> str:
    """Scrub a story as a worker edited it, with the same rules (a second line of defence)."""
    anonymiser, _labels = anonymiser_for_case(case, story_events(actor, case))
    return anonymiser.scrub(text)
