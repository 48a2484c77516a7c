"""알림함: each kind of item, who sees it, the badge count, and a constant number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hamkke.audit.models import AccessLog, Action
from hamkke.cases.models import Case
from hamkke.cases.services import case_change_stage
from hamkke.cases.stages import Stage
from hamkke.conferences.models import Conference, Task
from hamkke.consents.models import Consent
from hamkke.inbox.selectors import inbox_count, inbox_for_actor
from hamkke.referrals.models import Referral
from hamkke.referrals.services import referral_accept, referral_decline
from hamkke.referrals.tests.helpers import consent_for, send, sent_ago
from hamkke.testing.factories import CaseFactory

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def items(actor, kind):
    sections = {s.kind: s.items for s in inbox_for_actor(actor=actor)}
    return sections[kind]


def referral_row(world, *, to=None, status=Referral.Status.SENT, case=None, answered=False) -> Referral:
    """A referral written directly (surroundings), so that no consent for it changes the consent items."""
    now = timezone.now()
    return Referral.objects.create(
        district=world.district_a,
        case=case or world.case,
        from_agency=world.lead_agency,
        from_worker=world.lead_worker.user,
        to_agency=to or world.unrelated_agency,
        reason="x",
        status=status,
        sent_at=now - DAY,
        responded_at=now if answered else None,
    )


def task(world, *, due_in: int, assignee=None, status=Task.Status.OPEN, case=None, decision="집 정리 자원봉사자 섭외"):
    """A conference decision that became a task (surroundings: written directly)."""
    conference = Conference.objects.create(
        district=world.district_a,
        title="11월 통합사례회의",
        scheduled_at=timezone.now() - 3 * DAY,
        host_agency=world.lead_agency,
        created_by=world.lead_worker.user,
    )
    assignee = assignee or world.lead_worker
    return Task.objects.create(
        district=world.district_a,
        conference=conference,
        case=case,
        decision=decision,
        assignee=assignee.user,
        agency=assignee.agency,
        status=status,
        due_on=world.today + datetime.timedelta(days=due_in),
    )


def expire_world_consent_in(world, days: int):
    Consent.objects.filter(pk=world.consent.pk).update(expires_on=world.today + datetime.timedelta(days=days))


# --- Referrals -------------------------------------------------------------------------------


def test_referral_waiting_for_my_agency(world):
    consent_for(world, network=True)
    referral = sent_ago(send(world), days=8)
    [item] = items(world.unrelated_worker.actor, "referral_waiting")
    assert item.url == reverse("referrals:detail", args=[referral.uuid])
    assert item.tone == "danger" and "8일째" in item.when and world.lead_agency.name in item.title
    assert world.head.name not in item.title + item.detail  # the inbox line names no one
    for other in ("lead_worker", "participant_worker", "b_worker", "auditor"):
        assert items(world.members[other].actor, "referral_waiting") == []
    referral_decline(actor=world.unrelated_worker.actor, referral=referral, reason="정원 초과")
    assert items(world.unrelated_worker.actor, "referral_waiting") == []


def test_my_referrals_answered_in_the_last_14_days(world):
    consent_for(world, network=True)
    referral = send(world)
    assert items(world.lead_worker.actor, "referral_answered") == []  # not answered yet
    referral_accept(actor=world.unrelated_worker.actor, referral=referral)
    [item] = items(world.lead_worker.actor, "referral_answered")
    assert item.url == reverse("referrals:detail", args=[referral.uuid]) and "수락" in item.title
    assert items(world.lead_supervisor.actor, "referral_answered") == []  # sent by someone else
    Referral.objects.filter(pk=referral.pk).update(responded_at=timezone.now() - 15 * DAY)
    assert items(world.lead_worker.actor, "referral_answered") == []


def test_a_recent_completion_counts_as_an_answer(world):
    consent_for(world, network=True)
    referral = send(world)
    referral_accept(actor=world.unrelated_worker.actor, referral=referral)
    Referral.objects.filter(pk=referral.pk).update(
        status=Referral.Status.COMPLETED, responded_at=timezone.now() - 30 * DAY, completed_at=timezone.now()
    )
    [item] = items(world.lead_worker.actor, "referral_answered")
    assert "완료" in item.title and item.tone == "ok"


# --- Tasks -----------------------------------------------------------------------------------


def test_open_tasks_assigned_to_me_with_due_dates_highlighted(world):
    late = task(world, due_in=-2, decision="늦은 과제")
    soon = task(world, due_in=3, decision="곧 할 과제")
    later = task(world, due_in=20, decision="나중 과제")
    task(world, due_in=1, status=Task.Status.DONE, decision="끝난 과제")
    task(world, due_in=1, assignee=world.lead_supervisor, decision="팀장 과제")
    shown = items(world.lead_worker.actor, "task")
    assert [i.title for i in shown] == [late.decision, soon.decision, later.decision]
    assert [i.tone for i in shown] == ["danger", "warn", "muted"]
    assert "2일 지남" in shown[0].when and "3일 남음" in shown[1].when
    assert [i.title for i in items(world.lead_supervisor.actor, "task")] == ["팀장 과제"]


def test_a_task_links_somewhere_useful(world):
    task(world, due_in=2, case=world.case)
    [item] = items(world.lead_worker.actor, "task")
    assert item.url  # the conference task list when installed, else the case


# --- Consents --------------------------------------------------------------------------------


def test_consent_expiring_within_30_days_on_cases_my_agency_leads(world):
    assert items(world.lead_worker.actor, "consent") == []  # the world's consent runs a year
    expire_world_consent_in(world, 10)
    for who in ("lead_worker", "lead_supervisor"):
        [item] = items(world.members[who].actor, "consent")
        assert world.head.name in item.title and "10일 남음" in item.when and item.tone == "warn"
        assert item.url == reverse("cases:detail", args=[world.case.uuid])
        assert item.person_id == world.head.pk
    for who in ("participant_worker", "unrelated_worker", "b_worker", "auditor", "district_admin"):
        assert items(world.members[who].actor, "consent") == []
    expire_world_consent_in(world, 31)
    assert items(world.lead_worker.actor, "consent") == []


def test_expiring_consent_soon_is_danger(world):
    expire_world_consent_in(world, 3)
    assert items(world.lead_worker.actor, "consent")[0].tone == "danger"


@pytest.mark.parametrize("change", ["renewed", "withdrawn", "expired", "closed"])
def test_no_consent_reminder_once_it_no_longer_applies(world, change):
    expire_world_consent_in(world, 10)
    if change == "renewed":
        consent_for(world, world.participating_agency, given_days_ago=0, expires_in=400)
    elif change == "withdrawn":
        Consent.objects.filter(pk=world.consent.pk).update(withdrawn_on=world.today)
    elif change == "expired":
        expire_world_consent_in(world, -1)
    else:
        Case.objects.filter(pk=world.case.pk).update(stage=Stage.CLOSED)
    assert items(world.lead_worker.actor, "consent") == []


def test_one_reminder_per_person_for_the_consent_that_lasts_longest(world):
    expire_world_consent_in(world, 20)
    consent_for(world, world.participating_agency, given_days_ago=0, expires_in=5)
    [item] = items(world.lead_worker.actor, "consent")
    assert "20일 남음" in item.when


# --- Monitoring ------------------------------------------------------------------------------


def test_monitoring_overdue_for_my_cases(world):
    pytest.importorskip("hamkke.records.monitoring")
    actor = world.lead_worker.actor
    case = case_change_stage(
        actor=actor, case=world.case, to_stage=Stage.INITIAL_CONSULTATION, occurred_at=timezone.now() - 25 * DAY
    )
    case_change_stage(actor=actor, case=case, to_stage=Stage.INTAKE, occurred_at=timezone.now() - 20 * DAY)
    shown = items(actor, "monitoring")
    assert shown and all(i.tone == "danger" and i.person_id == world.head.pk for i in shown)
    assert any("사정" in i.detail for i in shown)
    for other in ("unrelated_worker", "lead_supervisor", "b_worker"):  # "mine": the cases I work on myself
        assert items(world.members[other].actor, "monitoring") == []


# --- The page, the badge, the tenancy --------------------------------------------------------


def test_inbox_page_lists_every_kind_and_audits_the_names_shown(client, world):
    expire_world_consent_in(world, 10)
    task(world, due_in=1)
    world.lead_worker.login(client)
    response = client.get(reverse("inbox:index"))
    assert response.status_code == 200
    body = response.content.decode()
    for section in ("referral_waiting", "referral_answered", "task", "consent"):
        assert f'id="inbox-{section}"' in body
    assert world.head.name in body and "집 정리 자원봉사자 섭외" in body
    log = AccessLog.objects.filter(action=Action.LIST, object_type="inbox").latest("id")
    assert log.user_id == world.lead_worker.user.pk and world.head.pk in log.person_ids


@pytest.mark.parametrize("who", ["b_worker", "b_admin", "auditor", "nobody"])
def test_other_districts_and_non_caseworkers_see_nothing_of_district_a(client, world, who):
    consent_for(world, network=True)
    send(world)
    expire_world_consent_in(world, 10)
    task(world, due_in=1)
    actor = world.members[who].actor
    # Only the auditor's own reminder of the monthly review (about the log, not about anyone's case).
    own = [i for s in inbox_for_actor(actor=actor) if s.kind == "access_review" for i in s.items]
    assert len(own) == (who == "auditor")
    assert sum(len(s.items) for s in inbox_for_actor(actor=actor)) == len(own)
    assert inbox_count(actor=actor) == len(own)
    world.members[who].login(client)
    response = client.get(reverse("inbox:index"))
    assert response.status_code == 200 and world.head.name not in response.content.decode()


def test_inbox_count_is_one_cheap_query(world, django_assert_num_queries):
    referral_row(world)  # waiting for the unrelated agency
    task(world, due_in=5, assignee=world.unrelated_worker)
    task(world, due_in=-1, assignee=world.unrelated_worker)
    task(world, due_in=30, assignee=world.unrelated_worker)  # not due soon: not counted
    expire_world_consent_in(world, 10)
    with django_assert_num_queries(1):
        assert inbox_count(actor=world.unrelated_worker.actor) == 3
    with django_assert_num_queries(1):
        assert inbox_count(actor=world.lead_worker.actor) == 1  # the world consent


def test_inbox_queries_are_constant(world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    actor = world.lead_worker.actor
    referral_row(world, status=Referral.Status.ACCEPTED, answered=True)
    task(world, due_in=1, case=world.case)
    expire_world_consent_in(world, 10)
    with CaptureQueriesContext(connection) as baseline:
        inbox_for_actor(actor=actor)
    for index in range(5):
        case = CaseFactory(
            household__dong=world.dong_a, lead_agency=world.lead_agency, lead_worker=world.lead_worker.user
        )
        Consent.objects.create(
            district=world.district_a,
            case=case,
            person=world.head,
            required_collection=True,
            given_on=world.today - 10 * DAY,
            expires_on=world.today + 5 * DAY,
            recorded_by=world.lead_worker.user,
        )
        task(world, due_in=index, case=case)
        referral_row(world, case=case, status=Referral.Status.DECLINED, answered=True)
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        sections = {s.kind: s.items for s in inbox_for_actor(actor=actor)}
    assert len(sections["task"]) == 6 and len(sections["consent"]) == 6 and len(sections["referral_answered"]) == 6


def test_task_text_about_a_case_is_hidden_once_the_case_is_out_of_reach(client, world):
    """A conference task about a case shows its text only while its assignee may read the case."""
    import datetime

    from django.utils import timezone

    from hamkke.conferences.models import Conference, ConferenceCase, Task
    from hamkke.consents.services import consent_withdraw

    conference = Conference.objects.create(
        district=world.district_a,
        title="사례회의",
        scheduled_at=timezone.now(),
        host_agency=world.lead_agency,
        created_by=world.lead_worker.user,
    )
    ConferenceCase.objects.create(district=world.district_a, conference=conference, case=world.case)
    Task.objects.create(
        district=world.district_a,
        conference=conference,
        case=world.case,
        decision="홍길순 님 병원 동행",
        assignee=world.participant_worker.user,
        agency=world.participating_agency,
        due_on=timezone.localdate() + datetime.timedelta(days=2),
    )
    world.participant_worker.login(client)
    assert "병원 동행" in client.get("/inbox/").content.decode()
    consent_withdraw(actor=world.lead_worker.actor, consent=world.consent)
    page = client.get("/inbox/").content.decode()
    assert "병원 동행" not in page and "비공개 사례의 과제" in page


def test_the_auditor_is_reminded_of_last_months_review_until_it_is_signed(world, client):
    """The monthly-review reminder is derived (no scheduled job): there while last month is unsigned."""
    from hamkke.audit.services import monthly_review_sign

    auditor = world.auditor.actor
    last_month = (timezone.localdate().replace(day=1) - DAY).replace(day=1)
    [item] = items(auditor, "access_review")
    assert item.url.endswith(f"?month={last_month.isoformat()}") and f"{last_month.month}월" in item.title
    assert inbox_count(actor=auditor) == 1
    assert "access_review" not in {s.kind for s in inbox_for_actor(actor=world.lead_worker.actor)}
    world.auditor.login(client)
    assert "월간 점검이 아직 없습니다" in client.get(reverse("inbox:index")).content.decode()
    monthly_review_sign(actor=auditor, month=last_month, flags_seen=[], note="이상 없음")
    assert items(auditor, "access_review") == [] and inbox_count(actor=auditor) == 0
