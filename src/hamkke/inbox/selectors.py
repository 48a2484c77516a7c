"""알림함: what needs the actor's attention, derived from the data at request time.

Nothing here is stored: a reminder row would drift from the record it is about (a referral
answered, a consent renewed, a task done), so every item is computed from the records themselves
with one query per kind — a constant number of queries however much there is.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hamkke.access.policy import AGENCY_INBOX, CASEWORK, SIGN_ACCESS_REVIEW, may
from hamkke.accounts.actor import Actor
from hamkke.api.models import ApiToken
from hamkke.audit.models import MonthlyReview
from hamkke.cases.stages import Stage
from hamkke.conferences.models import Task
from hamkke.consents.models import Consent
from hamkke.referrals import timing
from hamkke.referrals.models import Referral
from hamkke.referrals.selectors import STATUS_TONE

ANSWERED_WITHIN_DAYS = 14  # my referrals answered (or completed) this recently
TASK_SOON_DAYS = 7  # open tasks due this soon (or overdue) are highlighted and counted
CONSENT_EXPIRING_DAYS = 30  # consents in force that end this soon, on cases my agency leads
TOKEN_NOTICE_DAYS = 14  # API tokens made with my account this recently (and still active)

KINDS = {
    "referral_waiting": gettext_lazy("받은 의뢰(응답 대기)"),
    "referral_answered": gettext_lazy("내 의뢰에 대한 응답"),
    "task": gettext_lazy("회의 결정 과제"),
    "consent": gettext_lazy("동의 만료 예정"),
    "monitoring": gettext_lazy("점검·기한 지남"),
    "api_token": gettext_lazy("새 API 토큰(내 계정)"),
    "access_review": gettext_lazy("접속기록 월간 점검"),
}


@dataclass(frozen=True)
class Item:
    kind: str
    title: str
    when: str
    url: str | None
    tone: str = "muted"
    detail: str = ""
    person_id: int | None = None  # for the access log: whose name the item shows


@dataclass(frozen=True)
class Section:
    kind: str
    items: list[Item]

    @property
    def label(self) -> str:
        return str(KINDS[self.kind])


def _url(*candidates: tuple[str, tuple]) -> str | None:
    """The first of the given pages that is installed (others' apps may not be there yet)."""
    for name, args in candidates:
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return None


def _head_id(case) -> int | None:
    head = case.household.head
    return head.pk if head else None


# --- The querysets (shared by the page and the badge count) -----------------------------------


def _waiting_referrals(actor: Actor) -> QuerySet[Referral]:
    if not may(actor, AGENCY_INBOX):
        return Referral.objects.none()
    return Referral.objects.filter(
        district_id=actor.district_id, to_agency_id=actor.agency_id, status=Referral.Status.SENT
    )


def _answered_referrals(actor: Actor, now: datetime.datetime) -> QuerySet[Referral]:
    since = now - datetime.timedelta(days=ANSWERED_WITHIN_DAYS)
    return Referral.objects.filter(district_id=actor.district_id, from_worker=actor.user).filter(
        Q(responded_at__gte=since) | Q(completed_at__gte=since)
    )


def _open_tasks(actor: Actor) -> QuerySet[Task]:
    return Task.objects.filter(district_id=actor.district_id, assignee=actor.user, status=Task.Status.OPEN)


def _expiring_consents(actor: Actor, today: datetime.date) -> QuerySet[Consent]:
    """Consents in force that end within the window on open cases the actor's agency leads,
    unless a consent of the same person already outlasts them (renewed): one reminder per person,
    for the consent that lasts longest."""
    if not may(actor, CASEWORK):
        return Consent.objects.none()
    renewed = (
        Consent.objects.filter(case=OuterRef("case_id"), person=OuterRef("person_id"))
        .filter(Consent.valid_on_q(today))
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gt=OuterRef("expires_on")))
    )
    return (
        Consent.objects.filter(
            district_id=actor.district_id,
            case__lead_agency_id=actor.agency_id,
            expires_on__lte=today + datetime.timedelta(days=CONSENT_EXPIRING_DAYS),
        )
        .filter(Consent.valid_on_q(today))
        .exclude(case__stage=Stage.CLOSED)
        .exclude(Exists(renewed))
    )


def _new_tokens(actor: Actor, now: datetime.datetime) -> QuerySet[ApiToken]:
    """Active API tokens made with the actor's account lately, in any of their agencies: a token made
    with a stolen password shows up here for the real user to revoke."""
    since = now - datetime.timedelta(days=TOKEN_NOTICE_DAYS)
    return ApiToken.objects.filter(user=actor.user, created_at__gte=since, revoked_at__isnull=True).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )


# --- The page ---------------------------------------------------------------------------------


def _referral_waiting_items(actor: Actor, today: datetime.date) -> list[Item]:
    rows = _waiting_referrals(actor).select_related("from_agency", "case__household__dong").order_by("sent_at", "id")
    items = []
    for r in rows:
        days = timing.days_waiting(r.sent_at, today)
        items.append(
            Item(
                kind="referral_waiting",
                title=_("%(agency)s에서 의뢰 · %(dong)s")
                % {"agency": r.from_agency.name, "dong": r.case.household.dong.name},
                when=_("%(days)d일째 대기") % {"days": days} if days else _("오늘 의뢰"),
                url=reverse("referrals:detail", args=[r.uuid]),
                tone=timing.age_tone(days),
            )
        )
    return items


def _referral_answered_items(actor: Actor, now: datetime.datetime) -> list[Item]:
    rows = _answered_referrals(actor, now).select_related("to_agency", "case").order_by("-responded_at", "-id")
    items = []
    for r in rows:
        answered_at = r.completed_at or r.responded_at
        items.append(
            Item(
                kind="referral_answered",
                title=f"{r.to_agency.name}: {r.get_status_display()}",
                detail=_("사례 %(ref)s") % {"ref": r.case.reference},  # no name: the case may be out of reach now
                when=timezone.localtime(answered_at).strftime("%Y-%m-%d"),
                url=reverse("referrals:detail", args=[r.uuid]),
                tone=STATUS_TONE.get(r.status, "muted"),
            )
        )
    return items


def _task_tone(due_on: datetime.date, today: datetime.date) -> str:
    if due_on < today:
        return "danger"
    return "warn" if due_on <= today + datetime.timedelta(days=TASK_SOON_DAYS) else "muted"


def _task_items(actor: Actor, today: datetime.date) -> list[Item]:
    """My open conference tasks. The text of a task about a case shows only while I may read that
    case (the conferences app decides, as on the task list itself)."""
    from hamkke.conferences.selectors import task_list_for_actor

    items = []
    for row in task_list_for_actor(actor=actor).open:
        task = row.task
        late = (today - task.due_on).days
        if late > 0:
            when = _("기한 %(date)s · %(days)d일 지남") % {"date": task.due_on.isoformat(), "days": late}
        elif late == 0:
            when = _("기한 %(date)s · 오늘까지") % {"date": task.due_on.isoformat()}
        else:
            when = _("기한 %(date)s · %(days)d일 남음") % {"date": task.due_on.isoformat(), "days": -late}
        title = task.decision[:120] if row.text_visible else _("비공개 사례의 과제 (권한 없음)")
        items.append(
            Item(
                kind="task",
                title=title,
                detail=task.conference.title,
                when=when,
                url=_url(("conferences:tasks", ()), *([("cases:detail", (row.case.uuid,))] if row.case else [])),
                tone=_task_tone(task.due_on, today),
            )
        )
    return items


def _consent_items(actor: Actor, today: datetime.date) -> list[Item]:
    rows = _expiring_consents(actor, today).select_related("person", "case").order_by("expires_on", "id")
    items = []
    for consent in rows:
        if consent.expires_on is None:  # not read: only consents with an end date expire
            continue
        days = (consent.expires_on - today).days
        items.append(
            Item(
                kind="consent",
                title=_("%(name)s 님의 정보제공 동의") % {"name": consent.person.name},
                detail=_("사례 %(ref)s") % {"ref": consent.case.reference},
                when=_("%(date)s 만료 · %(days)d일 남음") % {"date": consent.expires_on.isoformat(), "days": days},
                url=reverse("cases:detail", args=[consent.case.uuid]),
                tone="danger" if days <= TASK_SOON_DAYS else "warn",
                person_id=consent.person_id,
            )
        )
    return items


def _monitoring_items(actor: Actor, today: datetime.date) -> list[Item] | None:
    """Overdue monitoring of my cases, from the records app; None when it is not installed."""
    try:
        from hamkke.records.monitoring import overdue_for_actor
    except ImportError:
        return None
    if not may(actor, CASEWORK):
        return []
    return [
        Item(
            kind="monitoring",
            title=str(row.case.household),
            detail=str(row.label),
            when=_("기한 %(date)s · %(days)d일 지남") % {"date": row.due_on.isoformat(), "days": row.days_late},
            url=_url(("records:case", (row.case.uuid,)), ("cases:detail", (row.case.uuid,))),
            tone="danger",
            person_id=_head_id(row.case),
        )
        for row in overdue_for_actor(actor=actor, scope="mine", today=today)
    ]


def _token_items(actor: Actor, now: datetime.datetime) -> list[Item]:
    rows = _new_tokens(actor, now).select_related("membership__agency").order_by("-created_at", "-id")
    return [
        Item(
            kind="api_token",
            title=_("API 토큰 ‘%(name)s’(%(prefix)s…)이 만들어졌습니다") % {"name": token.name, "prefix": token.prefix},
            detail=_("%(agency)s 소속으로 · 직접 만들지 않았다면 바로 폐기하고 비밀번호를 바꾸세요.")
            % {"agency": token.membership.agency.name},
            when=timezone.localtime(token.created_at).strftime("%Y-%m-%d %H:%M"),
            url=reverse("api:index") + "#tokens",
            tone="warn",
        )
        for token in rows
    ]


def _access_review_items(actor: Actor, today: datetime.date) -> list[Item]:
    """The auditor's reminder: last month's access log is not signed off yet (DOMAIN.md §6). Derived
    like everything here, so it needs no scheduled job and is gone the moment the review is signed."""
    if not may(actor, SIGN_ACCESS_REVIEW):
        return []
    month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    if MonthlyReview.objects.filter(district_id=actor.district_id, month=month).exists():
        return []
    return [
        Item(
            kind="access_review",
            title=_("%(year)d년 %(month)d월 접속기록 월간 점검이 아직 없습니다")
            % {"year": month.year, "month": month.month},
            detail=_("이상 징후를 모두 살펴보고 서명하세요."),
            when=month.strftime("%Y-%m"),
            url=reverse("audit:reviews") + f"?month={month.isoformat()}",
            tone="warn",
        )
    ]


def inbox_for_actor(*, actor: Actor, today: datetime.date | None = None) -> list[Section]:
    """The actor's inbox, one section per kind, in the order of ``KINDS``."""
    if actor.membership is None:
        return []
    today = today or timezone.localdate()
    sections = [
        Section("referral_waiting", _referral_waiting_items(actor, today)),
        Section("referral_answered", _referral_answered_items(actor, timezone.now())),
        Section("task", _task_items(actor, today)),
        Section("consent", _consent_items(actor, today)),
    ]
    monitoring = _monitoring_items(actor, today)
    if monitoring is not None:
        sections.append(Section("monitoring", monitoring))
    sections.append(Section("api_token", _token_items(actor, timezone.now())))
    if may(actor, SIGN_ACCESS_REVIEW):
        sections.append(Section("access_review", _access_review_items(actor, today)))
    return sections


def inbox_count(*, actor: Actor, today: datetime.date | None = None) -> int:
    """The menu badge: referrals waiting for my agency + my open tasks due within a week (or late)
    + expiring consents on cases my agency leads + API tokens lately made with my account. One query."""
    if actor.membership is None:
        return 0
    today = today or timezone.localdate()
    parts = [
        _waiting_referrals(actor),
        _open_tasks(actor).filter(due_on__lte=today + datetime.timedelta(days=TASK_SOON_DAYS)),
        _expiring_consents(actor, today),
        _new_tokens(actor, timezone.now()),
    ]
    keys = [qs.order_by().values_list("pk") for qs in parts]
    return keys[0].union(*keys[1:], all=True).count() + len(_access_review_items(actor, today))
