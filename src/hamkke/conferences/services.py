"""Writes for case conferences (사례회의) and workshops: scheduling, cases discussed, minutes, decisions → tasks.

Who may do what (the conference's own rules; case content stays behind hamkke.access.policy):
- schedule: case workers and team leaders host in their agency; the district admin may host a workshop;
- bring a case: a case worker of a taking-part agency, for a case they may VIEW, at a case conference;
- record minutes, cancel, turn a decision into a task, cancel a task: the host agency's case workers
  (or whoever scheduled the meeting);
- complete a task: its assignee, or a team leader of the task's agency.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkke.access.policy import (
    ATTEND_CONFERENCES,
    CASEWORK,
    CHANGE_CASE,
    DISTRICT_WIDE,
    HOST_CONFERENCES,
    SUPERVISE_TEAM,
    VIEW_CASE,
    can,
    may,
    roles_with,
)
from hamkke.accounts.actor import Actor
from hamkke.accounts.models import Membership, User
from hamkke.audit.models import Action
from hamkke.audit.services import audit_record
from hamkke.cases.models import Case, CaseParticipant
from hamkke.cases.services import case_add_participant
from hamkke.districts.models import Agency
from hamkke.referrals.selectors import consent_covers

from .models import Conference, ConferenceCase, Task

# A typed year such as 0224 instead of 2024 must be a form error, not a row no one can find.
EARLIEST_CONFERENCE = datetime.date(2000, 1, 1)
LATEST_YEARS_AHEAD = 3


def conference_date(conference: Conference) -> datetime.date:
    return timezone.localdate(conference.scheduled_at)


def may_manage(actor: Actor, conference: Conference) -> bool:
    """Host agency's case workers, or the person who scheduled it (e.g. the district admin's workshop)."""
    if actor.membership is None or actor.district_id != conference.district_id:
        return False
    host_worker = actor.agency_id == conference.host_agency_id and may(actor, CASEWORK)
    return host_worker or actor.user.pk == conference.created_by_id


def may_schedule(actor: Actor) -> bool:
    return may(actor, HOST_CONFERENCES)


def may_bring_cases(actor: Actor) -> bool:
    """Whether the actor's role puts cases on conference tables at all (the conference decides the rest)."""
    return may(actor, CASEWORK)


def may_add_case(actor: Actor, conference: Conference) -> bool:
    return (
        conference.kind == Conference.Kind.CASE_CONFERENCE
        and conference.status != Conference.Status.CANCELLED
        and may_bring_cases(actor)
        and actor.district_id == conference.district_id
        and conference.agencies.filter(pk=actor.agency_id).exists()
    )


def may_complete(actor: Actor, task: Task) -> bool:
    if actor.membership is None or actor.district_id != task.district_id:
        return False
    return actor.user.pk == task.assignee_id or (may(actor, SUPERVISE_TEAM) and actor.agency_id == task.agency_id)


def _attending_memberships(agency_ids, *, district_id: int | None = None) -> QuerySet[Membership]:
    """Active memberships, with a role that attends conferences, of these active agencies (of one district)."""
    memberships = Membership.objects.filter(
        agency_id__in=agency_ids, agency__is_active=True, is_active=True, role__in=roles_with(ATTEND_CONFERENCES)
    )
    return memberships if district_id is None else memberships.filter(district_id=district_id)


def _check_scheduled_at(scheduled_at) -> dict[str, str]:
    if not isinstance(scheduled_at, datetime.datetime) or timezone.is_naive(scheduled_at):
        return {"scheduled_at": _("회의 일시를 입력하세요.")}
    day = timezone.localdate(scheduled_at)
    latest = timezone.localdate() + datetime.timedelta(days=365 * LATEST_YEARS_AHEAD)
    if day < EARLIEST_CONFERENCE or day > latest:
        return {"scheduled_at": _("회의 일시가 올바른 범위가 아닙니다. 연도를 확인하세요.")}
    return {}


def _lock_not_cancelled(conference: Conference) -> Conference:
    """Re-read the conference under a row lock: a meeting cancelled meanwhile takes no more work."""
    locked = Conference.objects.select_for_update().get(pk=conference.pk)
    if locked.status == Conference.Status.CANCELLED:
        raise ValidationError(_("취소된 회의입니다."))
    return locked


def conference_schedule(
    *,
    actor: Actor,
    kind: str,
    title: str,
    scheduled_at: datetime.datetime,
    place: str = "",
    agencies: Iterable[Agency],
    attendees: Iterable[User] = (),
    other_attendees: str = "",
    case: Case | None = None,
    request: HttpRequest | None = None,
) -> Conference:
    """Schedule a meeting hosted by the actor's agency with agencies of the same district.

    The host always takes part. Attendees must work (active membership) in one of the taking-part
    agencies of the actor's district; people who are not Hamkke users (the person, family,
    volunteers) go in ``other_attendees``. ``case``: a new case conference started from a case, with
    that case on its table (the rule of ``conference_add_case``: the actor may read the case).
    """
    if actor.membership is None:
        raise PermissionDenied(_("소속 기관이 없어 회의를 등록할 수 없습니다."))
    if kind not in Conference.Kind.values:
        raise ValidationError({"kind": _("알 수 없는 회의 구분입니다.")})
    if may(actor, DISTRICT_WIDE):
        if kind != Conference.Kind.WORKSHOP:
            raise PermissionDenied(_("시군구 관리자는 사례 공유 워크숍만 주최할 수 있습니다."))
    elif not may(actor, CASEWORK):
        raise PermissionDenied(_("이 역할로는 회의를 주최할 수 없습니다."))
    title, place, other_attendees = (title or "").strip(), (place or "").strip(), (other_attendees or "").strip()
    errors = _check_scheduled_at(scheduled_at)
    if not title:
        errors["title"] = _("회의명을 입력하세요.")
    agencies = list(agencies)
    outside = [a for a in agencies if a.district_id != actor.district_id or not a.is_active]
    if outside:
        errors["agencies"] = _("같은 시군구의 사용 중인 기관만 참여할 수 있습니다: %(names)s") % {
            "names": ", ".join(a.name for a in outside)
        }
    agency_ids = {a.pk for a in agencies if a not in outside} | {actor.agency_id}
    attendees = list(attendees)
    allowed = _attending_memberships(agency_ids, district_id=actor.district_id)
    allowed_users = set(allowed.values_list("user_id", flat=True))
    strangers = [u for u in attendees if u.pk not in allowed_users]
    if strangers:
        errors["attendees"] = _("참석 담당자는 참여 기관 소속이어야 합니다: %(names)s") % {
            "names": ", ".join(str(u) for u in strangers)
        }
    if case is not None and kind != Conference.Kind.CASE_CONFERENCE:
        errors["kind"] = _("사례를 올리는 회의는 사례회의여야 합니다.")
    if errors:
        raise ValidationError(errors)
    if case is not None and (case.district_id != actor.district_id or not can(actor, VIEW_CASE, case)):
        raise PermissionDenied(_("열람 권한이 있는 사례만 회의에 올릴 수 있습니다."))
    with transaction.atomic():
        conference = Conference.objects.create(
            district_id=actor.district_id,
            kind=kind,
            title=title,
            scheduled_at=scheduled_at,
            place=place,
            host_agency_id=actor.agency_id,
            other_attendees=other_attendees,
            created_by=actor.user,
        )
        conference.agencies.set(agency_ids)
        conference.attendees.set(attendees)
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=conference,
            request=request,
            detail=f"{kind}, {len(agency_ids)} agencies",
        )
        if case is not None:
            _check_case_addable(actor, conference, case)
            _put_on_table(actor, conference, case, "", request)
    return conference


def _check_case_addable(actor: Actor, conference: Conference, case: Case) -> None:
    """Who may put a case on a conference's table: a case worker of a taking-part agency, for a case
    of the conference's district that they may VIEW today (hamkke.access.policy)."""
    if not may_add_case(actor, conference):
        raise PermissionDenied(_("이 회의에 사례를 올릴 수 없습니다."))
    if case.district_id != conference.district_id or not can(actor, VIEW_CASE, case):
        raise PermissionDenied(_("열람 권한이 있는 사례만 회의에 올릴 수 있습니다."))


def _put_on_table(actor: Actor, conference: Conference, case: Case, discussion: str, request) -> ConferenceCase:
    item = ConferenceCase.objects.create(
        district_id=conference.district_id,
        conference=conference,
        case=case,
        discussion=(discussion or "").strip(),
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=conference,
        case_id=case.pk,
        request=request,
        detail="case added to conference",
    )
    return item


def conference_add_case(
    *,
    actor: Actor,
    conference: Conference,
    case: Case,
    discussion: str = "",
    request: HttpRequest | None = None,
) -> ConferenceCase:
    """Put a case on a case conference's table, with what was said about it (case content)."""
    _check_case_addable(actor, conference, case)
    if conference.discussed.filter(case=case).exists():
        raise ValidationError({"case": _("이미 이 회의에서 논의한 사례입니다.")})
    try:
        with transaction.atomic():
            _lock_not_cancelled(conference)
            item = _put_on_table(actor, conference, case, discussion, request)
    except IntegrityError:  # the same case added twice at the same moment
        raise ValidationError({"case": _("이미 이 회의에서 논의한 사례입니다.")}) from None
    return item


def conference_case_discuss(
    *,
    actor: Actor,
    conference: Conference,
    case,
    discussion: str,
    request: HttpRequest | None = None,
) -> ConferenceCase:
    """Write down what was said about a case already on the table (e.g. after the meeting)."""
    if not (may_manage(actor, conference) or may_add_case(actor, conference)) or not can(actor, VIEW_CASE, case):
        raise PermissionDenied(_("이 사례의 논의 내용을 기록할 수 없습니다."))
    with transaction.atomic():
        item = ConferenceCase.objects.select_for_update().filter(conference=conference, case=case).first()
        if item is None:
            raise ValidationError({"case": _("이 회의에서 논의한 사례가 아닙니다.")})
        item.discussion = (discussion or "").strip()
        item.save(update_fields=["discussion", "updated_at"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=conference,
            case_id=case.pk,
            request=request,
            detail="case discussion",
        )
    return item


def conference_record(
    *,
    actor: Actor,
    conference: Conference,
    minutes: str,
    person_attended: bool,
    family_attended: bool,
    status: str = Conference.Status.HELD,
    request: HttpRequest | None = None,
) -> Conference:
    """Record the minutes and whether the person or family attended (or keep notes before it is held)."""
    if not may_manage(actor, conference):
        raise PermissionDenied(_("주최 기관 담당자만 회의록을 기록할 수 있습니다."))
    if status not in (Conference.Status.HELD, Conference.Status.SCHEDULED):
        raise ValidationError({"status": _("회의록으로는 ‘예정’ 또는 ‘개최’만 기록할 수 있습니다.")})
    with transaction.atomic():
        conference = Conference.objects.select_for_update().get(pk=conference.pk)
        if conference.status == Conference.Status.CANCELLED:
            raise ValidationError(_("취소된 회의입니다."))
        if status == Conference.Status.HELD and conference_date(conference) > timezone.localdate():
            raise ValidationError({"status": _("아직 열리지 않은 회의는 ‘개최’로 기록할 수 없습니다.")})
        minutes = (minutes or "").strip()
        if status == Conference.Status.HELD and not minutes:
            raise ValidationError({"minutes": _("개최한 회의는 회의록을 적어야 합니다.")})
        if conference.kind == Conference.Kind.WORKSHOP:
            person_attended = family_attended = False
        conference.minutes, conference.status = minutes, status
        conference.person_attended, conference.family_attended = bool(person_attended), bool(family_attended)
        conference.save(update_fields=["minutes", "status", "person_attended", "family_attended", "updated_at"])
        audit_record(actor=actor, action=Action.UPDATE, obj=conference, request=request, detail=f"minutes, {status}")
    return conference


def conference_cancel(*, actor: Actor, conference: Conference, request: HttpRequest | None = None) -> Conference:
    """Cancel a meeting that has not been held; its open tasks are cancelled with it."""
    if not may_manage(actor, conference):
        raise PermissionDenied(_("주최 기관 담당자만 회의를 취소할 수 있습니다."))
    with transaction.atomic():
        conference = Conference.objects.select_for_update().get(pk=conference.pk)
        if conference.status != Conference.Status.SCHEDULED:
            raise ValidationError(_("예정된 회의만 취소할 수 있습니다."))
        conference.status = Conference.Status.CANCELLED
        conference.save(update_fields=["status", "updated_at"])
        now = timezone.now()
        closed = conference.tasks.filter(status=Task.Status.OPEN).update(
            status=Task.Status.CANCELLED, completed_at=now, updated_at=now
        )
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=conference,
            request=request,
            detail=f"cancelled, {closed} open tasks cancelled",
        )
    return conference


def assignee_agency(*, conference: Conference, assignee: User) -> Agency | None:
    """The agency through which a worker takes part: their membership among the conference agencies.

    A worker in several of those agencies is counted for the host when they work there, else for
    the agency they joined first.
    """
    memberships = (
        _attending_memberships(conference.agencies.values("pk"))
        .filter(user=assignee, role__in=roles_with(CASEWORK))
        .select_related("agency")
        .order_by("id")
    )
    chosen = [m.agency for m in memberships]
    host = [a for a in chosen if a.pk == conference.host_agency_id]
    return next(iter(host + chosen), None)


def decision_to_task(
    *,
    actor: Actor,
    conference: Conference,
    decision: str,
    assignee: User,
    due_on: datetime.date,
    case=None,
    add_to_team: bool = False,
    request: HttpRequest | None = None,
) -> Task:
    """A decision of the meeting becomes a task for a named worker of a taking-part agency, with a due date.

    A task about a case goes to an agency that may read the case. One that is not on the case team
    but is covered by the person's consent (the rule referrals follow) is added to the team first
    when ``add_to_team`` is asked for by someone who may change the case; otherwise the error says
    which of the two is missing.
    """
    if not may_manage(actor, conference):
        raise PermissionDenied(_("주최 기관 담당자만 결정 사항을 과제로 등록할 수 있습니다."))
    errors = {}
    join_team = False
    decision = (decision or "").strip()
    if not decision:
        errors["decision"] = _("결정 사항을 적으세요.")
    agency = assignee_agency(conference=conference, assignee=assignee) if assignee is not None else None
    if agency is None:
        errors["assignee"] = _("담당자는 회의 참여 기관의 사례관리 담당자여야 합니다.")
    if not isinstance(due_on, datetime.date):
        errors["due_on"] = _("기한을 입력하세요.")
    elif due_on < conference_date(conference):
        errors["due_on"] = _("기한은 회의일(%(date)s) 이후여야 합니다.") % {
            "date": conference_date(conference).isoformat()
        }
    if case is not None:
        if not conference.discussed.filter(case=case).exists():
            errors["case"] = _("이 회의에서 논의한 사례만 연결할 수 있습니다.")
        elif not can(actor, VIEW_CASE, case):
            raise PermissionDenied(_("열람 권한이 없는 사례입니다."))
        elif agency is not None and not can(
            Actor(user=assignee, membership=_membership(assignee, agency)), VIEW_CASE, case
        ):
            join_team = _check_team_for_task(actor, case, agency, add_to_team, errors)
    if errors or agency is None:  # no agency: the assignee error is already there
        raise ValidationError(errors)
    with transaction.atomic():
        _lock_not_cancelled(conference)
        if join_team:
            case_add_participant(actor=actor, case=case, agency=agency, worker=assignee, request=request)
        task = Task.objects.create(
            district_id=conference.district_id,
            conference=conference,
            case=case,
            decision=decision,
            assignee=assignee,
            agency=agency,
            due_on=due_on,
        )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=task,
            case_id=case.pk if case else None,
            request=request,
            detail=f"task from conference {conference.reference}",
        )
    return task


def _check_team_for_task(actor: Actor, case, agency: Agency, add_to_team: bool, errors: dict) -> bool:
    """Why the assignee's agency cannot read the case, or True when it is to join the team now."""
    names = {"agency": agency.name}
    if not consent_covers(case_id=case.pk, agency_id=agency.pk):
        errors["assignee"] = (
            _(
                "‘%(agency)s’은(는) 당사자의 정보제공 동의에 없어 이 사례를 볼 수 없습니다. "
                "동의를 받아 기록한 뒤 맡기세요."
            )
            % names
        )
        return False
    on_team = CaseParticipant.objects.filter(case=case, agency=agency, left_on__isnull=True).exists()
    if on_team:  # on the team with consent, yet no access: the access rules say why (e.g. another district)
        errors["assignee"] = _("이 담당자의 기관은 이 사례를 열람할 수 없습니다.")
        return False
    if not add_to_team:
        errors["add_to_team"] = (
            _(
                "‘%(agency)s’은(는) 사례 팀에 없습니다. "
                "정보제공 동의에 있으므로 ‘사례 팀에 추가’를 고르면 팀에 넣고 과제를 맡깁니다."
            )
            % names
        )
        return False
    if not can(actor, CHANGE_CASE, case):
        errors["add_to_team"] = _("사례 팀에는 사례를 주관하는 기관이 추가합니다. 주관 기관에 요청하세요.")
        return False
    return True


def _membership(user: User, agency: Agency) -> Membership:
    return Membership.objects.select_related("agency").get(user=user, agency=agency)


def _close_task(*, actor: Actor, task: Task, status: str, note: str, request: HttpRequest | None) -> Task:
    with transaction.atomic():
        task = Task.objects.select_for_update().get(pk=task.pk)
        if task.status != Task.Status.OPEN:
            raise ValidationError(_("이미 완료되었거나 취소된 과제입니다."))
        task.status, task.completed_at, task.completion_note = status, timezone.now(), note
        task.save(update_fields=["status", "completed_at", "completion_note", "updated_at"])
        audit_record(
            actor=actor, action=Action.UPDATE, obj=task, case_id=task.case_id, request=request, detail=f"task {status}"
        )
    return task


def task_complete(*, actor: Actor, task: Task, note: str, request: HttpRequest | None = None) -> Task:
    """The assignee (or a team leader of the task's agency) records what was done."""
    if not may_complete(actor, task):
        raise PermissionDenied(_("과제 담당자 또는 담당 기관 팀장만 완료할 수 있습니다."))
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("무엇을 했는지 적으세요.")})
    return _close_task(actor=actor, task=task, status=Task.Status.DONE, note=note, request=request)


def task_cancel(*, actor: Actor, task: Task, reason: str = "", request: HttpRequest | None = None) -> Task:
    """The host withdraws a decision (e.g. overtaken by events)."""
    if not may_manage(actor, task.conference):
        raise PermissionDenied(_("회의 주최 기관 담당자만 과제를 취소할 수 있습니다."))
    return _close_task(
        actor=actor, task=task, status=Task.Status.CANCELLED, note=(reason or "").strip(), request=request
    )
