"""Reads of conferences and tasks, always scoped.

A conference is visible to members of its agencies (host or invited) in its district, and to the
district admin. What was said about a case, and the case's name, are case content: they are shown
only for cases the viewer may VIEW today (hamkke.access.policy), so a consent withdrawn yesterday
hides them today. The same holds for the text of a task linked to a case.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case as SqlCase
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from hamkke.access.policy import ATTEND_CONFERENCES, CASEWORK, DISTRICT_WIDE, VIEW_CASE, cases_in_scope, may, roles_with
from hamkke.accounts.actor import Actor
from hamkke.accounts.models import Membership
from hamkke.cases.models import Case
from hamkke.districts.models import Agency
from hamkke.people.models import Person

from .models import Conference, ConferenceCase, Task
from .services import may_add_case, may_bring_cases, may_complete, may_manage

CLOSED_TASKS_SHOWN = 50
ADDABLE_CASES_SHOWN = 300
UPCOMING_FOR_CASE = 50


def conferences_in_scope(actor: Actor) -> QuerySet[Conference]:
    """Conferences the actor may see: their agency takes part (district admin: all of the district)."""
    if not may(actor, ATTEND_CONFERENCES):
        return Conference.objects.none()
    qs = Conference.objects.filter(district_id=actor.district_id)
    if may(actor, DISTRICT_WIDE):
        return qs
    through = Conference.agencies.through
    return qs.filter(Exists(through.objects.filter(conference_id=OuterRef("pk"), agency_id=actor.agency_id)))


def _start_of_today() -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time.min))


def conference_list_for_actor(*, actor: Actor, kind: str = "", upcoming: bool) -> QuerySet[Conference]:
    """Upcoming (from today, soonest first) or past (latest first) conferences the actor may see."""
    start_of_today = _start_of_today()
    qs = conferences_in_scope(actor)
    if kind:
        qs = qs.filter(kind=kind)
    if upcoming:
        qs = qs.filter(scheduled_at__gte=start_of_today).order_by("scheduled_at", "id")
    else:
        qs = qs.filter(scheduled_at__lt=start_of_today).order_by("-scheduled_at", "-id")
    return qs.select_related("host_agency").annotate(
        agency_count=Count("agencies", distinct=True),
        case_count=Count("discussed", distinct=True),
        open_task_count=Count("tasks", filter=Q(tasks__status=Task.Status.OPEN), distinct=True),
    )


def conference_get_for_actor(*, actor: Actor, uuid) -> Conference:
    """One conference, or Conference.DoesNotExist when the actor may not see it."""
    return conferences_in_scope(actor).select_related("host_agency", "created_by").get(uuid=uuid)


def _visible_cases(actor: Actor, case_ids: Iterable[int | None]) -> dict[int, Case]:
    """The cases among ``case_ids`` that the actor may VIEW, with their households (for the names)."""
    wanted = {pk for pk in case_ids if pk is not None}
    if not wanted:
        return {}
    cases = (
        cases_in_scope(actor, VIEW_CASE)
        .filter(pk__in=wanted)
        .select_related("household")
        .prefetch_related(Prefetch("household__members", queryset=Person.objects.order_by("id")))
    )
    return {case.pk: case for case in cases}


def case_label(case: Case) -> str:
    return f"{case.household} · {case.reference}"


@dataclass
class DiscussedCase:
    item: ConferenceCase
    case: Case | None  # None: the viewer may not see this case
    form: Any = None  # the view's discussion form, when the viewer may write it

    @property
    def visible(self) -> bool:
        return self.case is not None


@dataclass
class TaskRow:
    task: Task
    case: Case | None  # the linked case when the viewer may see it
    text_visible: bool
    may_complete: bool
    may_cancel: bool = False
    form: Any = None  # the view's completion form, when the viewer may complete it

    @property
    def overdue(self) -> bool:
        return self.task.status == Task.Status.OPEN and self.task.due_on < timezone.localdate()


def _task_rows(actor: Actor, tasks: list[Task], visible: dict[int, Case], *, managing: bool = False) -> list[TaskRow]:
    return [
        TaskRow(
            task=t,
            case=visible.get(t.case_id) if t.case_id is not None else None,
            text_visible=t.case_id is None or t.case_id in visible,
            may_complete=t.status == Task.Status.OPEN and may_complete(actor, t),
            may_cancel=managing and t.status == Task.Status.OPEN,
        )
        for t in tasks
    ]


@dataclass
class ConferencePage:
    conference: Conference
    agencies: list[Agency]
    attendees: list
    discussed: list[DiscussedCase]
    tasks: list[TaskRow]
    may_manage: bool
    may_add_case: bool
    shown_cases: list[Case] = field(default_factory=list)


def conference_page(*, actor: Actor, conference: Conference) -> ConferencePage:
    """Everything on a conference's page, case content filtered by the viewer's VIEW scope."""
    items = list(conference.discussed.order_by("id"))
    tasks = list(
        conference.tasks.select_related("assignee", "agency").order_by(
            SqlCase(When(status=Task.Status.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()),
            "due_on",
            "id",
        )
    )
    visible = _visible_cases(actor, [i.case_id for i in items] + [t.case_id for t in tasks])
    managing = may_manage(actor, conference)
    return ConferencePage(
        conference=conference,
        agencies=list(conference.agencies.order_by("name")),
        attendees=list(conference.attendees.order_by("display_name", "username")),
        discussed=[DiscussedCase(item=i, case=visible.get(i.case_id)) for i in items],
        tasks=_task_rows(actor, tasks, visible, managing=managing),
        may_manage=managing,
        may_add_case=may_add_case(actor, conference),
        shown_cases=list(visible.values()),
    )


def cases_addable(*, actor: Actor, conference: Conference) -> QuerySet[Case]:
    """Cases the actor may VIEW and bring to this conference (not yet on its table)."""
    return (
        cases_in_scope(actor, VIEW_CASE)
        .exclude(pk__in=conference.discussed.values("case_id"))
        .select_related("household")
        .prefetch_related(Prefetch("household__members", queryset=Person.objects.order_by("id")))
        .order_by("-opened_on", "-id")[:ADDABLE_CASES_SHOWN]
    )


def agencies_for_scheduling(*, actor: Actor) -> QuerySet[Agency]:
    return Agency.objects.filter(district_id=actor.district_id, is_active=True).order_by("name")


def agency_options(*, actor: Actor, query: str, limit: int) -> list[tuple[str, str]]:
    """The agency picker's search (core.widgets.Picker): active agencies of the actor's district."""
    rows = agencies_for_scheduling(actor=actor).filter(name__icontains=query).values_list("uuid", "name")[:limit]
    return [(str(uuid), name) for uuid, name in rows]


def conferences_to_bring_case(*, actor: Actor, case: Case) -> list[Conference]:
    """Upcoming case conferences the actor may put ``case`` on (their agency organises or attends
    them, see ``services.may_add_case``), soonest first, without those that already discuss it."""
    if not may_bring_cases(actor) or actor.membership is None:
        return []
    through = Conference.agencies.through
    return list(
        conferences_in_scope(actor)
        .filter(
            Exists(through.objects.filter(conference_id=OuterRef("pk"), agency_id=actor.agency_id)),
            kind=Conference.Kind.CASE_CONFERENCE,
            status=Conference.Status.SCHEDULED,
            scheduled_at__gte=_start_of_today(),
        )
        .exclude(discussed__case=case)
        .select_related("host_agency")
        .order_by("scheduled_at", "id")[:UPCOMING_FOR_CASE]
    )


@dataclass
class CaseConferenceRow:
    item: ConferenceCase
    conference: Conference
    may_open: bool  # the actor's agency takes part (or the district admin): the conference page opens


def conferences_of_case(*, actor: Actor, case: Case) -> list[CaseConferenceRow]:
    """Where the case was (or will be) discussed, latest first. The caller has the case through the
    VIEW scope, so what was said about it is shown; the meeting itself opens for those who may see it."""
    items = list(
        ConferenceCase.objects.filter(district_id=case.district_id, case=case)
        .exclude(conference__status=Conference.Status.CANCELLED)
        .select_related("conference__host_agency")
        .order_by("-conference__scheduled_at", "-id")
    )
    visible = set(
        conferences_in_scope(actor).filter(pk__in=[i.conference_id for i in items]).values_list("pk", flat=True)
    )
    return [CaseConferenceRow(item=i, conference=i.conference, may_open=i.conference_id in visible) for i in items]


def attendee_memberships(
    *, district_id: int, agency_ids: Iterable[int], case_workers_only: bool = False
) -> list[Membership]:
    """Active memberships of these agencies, for the attendee and assignee lists (grouped by agency)."""
    roles = roles_with(CASEWORK if case_workers_only else ATTEND_CONFERENCES)
    return list(
        Membership.objects.filter(
            district_id=district_id,
            agency_id__in=list(agency_ids),
            agency__is_active=True,
            is_active=True,
            role__in=roles,
        )
        .select_related("user", "agency")
        .order_by("agency__name", "user__display_name", "user__username")
    )


def task_scope(actor: Actor) -> QuerySet[Task]:
    """Tasks the actor may reach: their own, and those of conferences they may see."""
    if actor.membership is None:
        return Task.objects.none()
    return Task.objects.filter(district_id=actor.district_id).filter(
        Q(assignee_id=actor.user.pk) | Q(conference__in=conferences_in_scope(actor))
    )


def task_get_for_actor(*, actor: Actor, uuid) -> Task:
    return task_scope(actor).select_related("conference", "agency", "assignee").get(uuid=uuid)


@dataclass
class MyTasks:
    open: list[TaskRow]
    closed: list[TaskRow]

    @property
    def shown_cases(self) -> list[Case]:
        seen = {row.case.pk: row.case for row in self.open + self.closed if row.case is not None}
        return list(seen.values())

    @property
    def overdue_count(self) -> int:
        return sum(1 for row in self.open if row.overdue)


def task_list_for_actor(*, actor: Actor) -> MyTasks:
    """The actor's own tasks from every conference of the district: open ones first, by due date.

    A constant number of queries however many tasks and conferences: tasks, the visible cases,
    their household members.
    """
    if actor.membership is None:
        return MyTasks(open=[], closed=[])
    mine = Task.objects.filter(district_id=actor.district_id, assignee_id=actor.user.pk).select_related(
        "conference", "agency", "assignee"
    )
    open_tasks = list(mine.filter(status=Task.Status.OPEN).order_by("due_on", "id"))
    closed_qs = mine.exclude(status=Task.Status.OPEN).order_by(F("completed_at").desc(nulls_last=True), "-id")
    closed = list(closed_qs[:CLOSED_TASKS_SHOWN])
    visible = _visible_cases(actor, [t.case_id for t in open_tasks + closed])
    return MyTasks(open=_task_rows(actor, open_tasks, visible), closed=_task_rows(actor, closed, visible))


def conference_items_for_case(*, case: Case) -> QuerySet[ConferenceCase]:
    """Where a case was discussed, for its timeline. The caller has the case through the VIEW scope."""
    return (
        ConferenceCase.objects.filter(district_id=case.district_id, case=case)
        .exclude(conference__status=Conference.Status.CANCELLED)
        .select_related("conference__host_agency")
        .order_by("conference__scheduled_at", "id")
    )


def tasks_for_case(*, case: Case) -> QuerySet[Task]:
    """Conference decisions about a case, for its timeline (the caller has the case through the VIEW scope)."""
    return (
        Task.objects.filter(district_id=case.district_id, case=case)
        .select_related("conference", "assignee", "agency")
        .order_by("due_on", "id")
    )
