"""Retention: households whose cases all closed more than the retention period ago are anonymised."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from hamkke.access.models import EmergencyAccess
from hamkke.approvals.models import ApprovalRequest
from hamkke.assessment.models import CrisisAssessment, InitialConsultation, Need, Strength
from hamkke.audit.models import AccessLog, Action
from hamkke.cases.models import Case, StageChange, TeamEvent
from hamkke.cases.stages import Stage
from hamkke.conferences.models import Conference, ConferenceCase, Task
from hamkke.consents.models import Consent
from hamkke.core import rrn as rrn_rules
from hamkke.people import privacy
from hamkke.people.models import Household, Person
from hamkke.plans.models import Ask, Goal, PlanAction, ServicePlan
from hamkke.records.models import ContactRecord, ServiceRecord
from hamkke.referrals.models import Referral
from hamkke.testing import make_rrn
from hamkke.testing.factories import CaseFactory, ConsentFactory, HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db

P = privacy.PLACEHOLDER
SERIALS = itertools.count(11111)


def _years_ago(world, years: int, days: int = 10) -> datetime.date:
    return world.today.replace(year=world.today.year - years) - datetime.timedelta(days=days)


def _closed_case(world, household, closed_on, agency=None, **extra):
    return CaseFactory(
        household=household,
        lead_agency=agency or world.lead_agency,
        lead_worker=world.lead_worker.user,
        stage=Stage.CLOSED,
        opened_on=closed_on - datetime.timedelta(days=400),
        closed_on=closed_on,
        closure_reason="goals_achieved",
        **extra,
    )


def _old_household(world, *, closed_on, dong=None, address="서울특별시 중구 을지로 5", agency=None):
    """A household with two members and one closed case carrying every kind of record."""
    dong = dong or world.dong_a
    household = HouseholdFactory(dong=dong, address=address, address_detail="3층 302호")
    digits = rrn_rules.normalize(make_rrn(datetime.date(1950, 7, 9), "M", serial=f"{next(SERIALS):05d}"))
    head = PersonFactory(
        household=household,
        name="김옛날",
        birth_date=datetime.date(1950, 7, 9),
        sex="M",
        phone="010-1111-2222",
        rrn_encrypted=digits,
        rrn_hash=rrn_rules.rrn_hash(digits),
    )
    spouse = PersonFactory(
        household=household,
        name="이옛날",
        birth_date=datetime.date(1952, 11, 30),
        relation=Person.Relation.SPOUSE,
        phone="",
    )
    agency = agency or world.lead_agency
    worker = world.lead_worker.user
    case = _closed_case(
        world,
        household,
        closed_on,
        summary="김옛날 님 저장강박, 이웃 민원",
        referral_note="통장 제보",
        closure_evaluation="집 정리 완료",
        agency=agency,
    )
    case.summary = "김옛날 님 저장강박, 이웃 민원 (수정)"  # a second history row
    case.save()
    district = household.district
    at = timezone.make_aware(datetime.datetime.combine(closed_on - datetime.timedelta(days=100), datetime.time(10)))
    kw = {"district": district, "case": case}
    StageChange.objects.create(
        **kw,
        from_stage=Stage.DELIVERY,
        to_stage=Stage.CLOSED,
        changed_by=worker,
        changed_at=at,
        reason="김옛날 님이 정리를 마침",
    )
    TeamEvent.objects.create(
        **kw, kind=TeamEvent.Kind.JOINED, agency=world.participating_agency, at=at, by=worker, note="이웃 박씨 소개"
    )
    InitialConsultation.objects.create(
        **kw,
        held_on=closed_on - datetime.timedelta(days=390),
        place="자택",
        participants="김옛날, 딸",
        presenting_issues="쓰레기가 쌓였다",
        recorded_by=worker,
    )
    need = Need.objects.create(
        **kw,
        person=head,
        domain="housing",
        expressed_text="집을 치우고 싶다",
        felt_text="부끄럽다",
        agreed_text="깨끗한 집에서 살기",
        status=Need.Status.ACHIEVED,
        recorded_by=worker,
    )
    need.felt_text = "이웃 눈치가 보인다"
    need.save()
    Strength.objects.create(
        **kw, person=head, side="inner", kind="ability", description="목공 솜씨", note="", recorded_by=worker
    )
    CrisisAssessment.objects.create(
        **kw, assessed_on=closed_on - datetime.timedelta(days=380), level="high", note="화재 위험", recorded_by=worker
    )
    plan = ServicePlan.objects.create(
        **kw, version=1, status=ServicePlan.Status.ACTIVE, summary="정리 계획", created_by=worker
    )
    goal = Goal.objects.create(
        district=district, plan=plan, need=need, description="방 두 칸 정리", progress_measure="사진"
    )
    action = PlanAction.objects.create(
        district=district, goal=goal, description="주말 정리", performer="neighbour", performer_name="이웃 박영수"
    )
    Ask.objects.create(
        **kw,
        action=action,
        whom="박영수",
        whom_role="neighbour",
        method="request",
        asked_on=closed_on - datetime.timedelta(days=200),
        answer="agreed",
        note="흔쾌히",
        recorded_by=worker,
    )
    for i in range(3):
        ServiceRecord.objects.create(
            **kw,
            provided_on=closed_on - datetime.timedelta(days=50 + i),
            domain="housing",
            mode="direct",
            provider_agency=agency,
            description="김옛날 댁 청소",
            amount_kind="money",
            amount=Decimal(50000),
            recorded_by=worker,
        )
    ContactRecord.objects.create(
        **kw,
        contacted_at=at,
        kind="home_visit",
        with_whom="김옛날",
        outcome="met",
        note="웃으며 맞아 주심",
        agency=agency,
        recorded_by=worker,
    )
    Referral.objects.create(
        **kw,
        from_agency=agency,
        from_worker=worker,
        to_agency=world.participating_agency,
        reason="김옛날 님 정서 지원",
        status="completed",
        sent_at=at,
        completion_note="종료",
    )
    conference = Conference.objects.create(
        district=district,
        title="김옛날 사례회의",
        scheduled_at=at,
        host_agency=agency,
        minutes="김옛날 님 논의",
        other_attendees="통장 최씨",
        created_by=worker,
    )
    ConferenceCase.objects.create(**kw, conference=conference, discussion="김옛날 님 청소 일정")
    Task.objects.create(
        **kw,
        conference=conference,
        decision="김옛날 댁 방문",
        assignee=worker,
        agency=agency,
        due_on=closed_on - datetime.timedelta(days=90),
    )
    consent = ConsentFactory(
        case=case,
        person=head,
        guardian_name="김보호",
        guardian_relation="자녀",
        given_on=closed_on - datetime.timedelta(days=395),
    )
    ApprovalRequest.objects.create(
        **kw,
        kind="closure",
        status="approved",
        agency=agency,
        submitted_by=worker,
        submitted_at=at,
        comment="수고했습니다",
        payload={
            "closure_reason": "goals_achieved",
            "evaluation": "김옛날 님 만족",
            "plan": None,
            "goals": [{"goal": goal.pk, "description": "방 두 칸 정리", "result": "achieved", "note": "잘됨"}],
        },
    )
    EmergencyAccess.objects.create(
        **kw,
        user=world.unrelated_worker.user,
        agency=world.unrelated_agency,
        reason="화재 신고",
        granted_at=at,
        expires_at=at + datetime.timedelta(hours=24),
    )
    return household, head, spouse, case, consent


def _apply(**kwargs):
    return privacy.anonymise_closed_cases(apply=True, **kwargs)


def test_dry_run_reports_by_closure_year_and_changes_nothing(world):
    six = _years_ago(world, 6)
    seven = _years_ago(world, 7)
    _old_household(world, closed_on=six)
    _old_household(world, closed_on=seven, address="서울특별시 중구 명동길 9")
    report = privacy.anonymise_closed_cases()
    assert not report.applied
    assert report.cutoff == world.today.replace(year=world.today.year - 5)
    assert {year: (c.cases, c.households, c.persons) for year, c in report.by_year.items()} == {
        six.year: (1, 1, 2),
        seven.year: (1, 1, 2),
    }
    total = report.total()
    assert (total.cases, total.households, total.persons) == (2, 2, 4)
    assert Person.objects.filter(name="김옛날").count() == 2
    assert not AccessLog.objects.filter(detail="anonymised").exists()


def test_apply_replaces_personal_data_and_keeps_statistics(world):
    household, head, spouse, case, consent = _old_household(world, closed_on=_years_ago(world, 6))
    services_before = list(
        ServiceRecord.objects.filter(case=case).values_list(
            "provided_on", "domain", "mode", "amount", "provider_agency"
        )
    )
    case_facts = (
        Case.objects.filter(pk=case.pk)
        .values("stage", "opened_on", "closed_on", "closure_reason", "lead_agency", "created_at")
        .get()
    )
    counts_before = {
        m: m.objects.count()
        for m in (
            ServiceRecord,
            ContactRecord,
            StageChange,
            Need,
            Referral,
            Task,
            Consent,
            Case.history.model,
            Person.history.model,
        )
    }
    logs_before = AccessLog.objects.count()

    report = _apply()
    assert (report.total().cases, report.total().households, report.total().persons) == (1, 1, 2)

    head.refresh_from_db()
    assert head.name == f"익명-{head.reference}" and head.phone == "" and head.rrn_hash == ""
    assert head.rrn_encrypted is None and head.birth_date == datetime.date(1950, 1, 1) and head.sex == "M"
    spouse.refresh_from_db()
    assert spouse.name == f"익명-{spouse.reference}" and spouse.birth_date == datetime.date(1952, 1, 1)
    household.refresh_from_db()
    assert (household.address, household.address_detail, household.dong_id) == ("소공동", "", world.dong_a.pk)
    case.refresh_from_db()
    assert (case.summary, case.referral_note, case.closure_evaluation) == (P, P, P)
    assert set(StageChange.objects.filter(case=case).values_list("reason", flat=True)) == {P}
    assert TeamEvent.objects.get(case=case).note == P
    consult = InitialConsultation.objects.get(case=case)
    assert (consult.place, consult.participants, consult.presenting_issues) == (P, P, P)
    assert consult.worker_observations == ""
    need = Need.objects.get(case=case)
    assert (need.expressed_text, need.felt_text, need.agreed_text, need.set_aside_note) == (P, P, P, "")
    assert (need.domain, need.status) == ("housing", Need.Status.ACHIEVED)
    strength = Strength.objects.get(case=case)
    assert (strength.description, strength.note, strength.kind) == (P, "", "ability")
    assert CrisisAssessment.objects.get(case=case).note == P
    assert ServicePlan.objects.get(case=case).summary == P
    goal = Goal.objects.get(plan__case=case)
    assert (goal.description, goal.progress_measure) == (P, P)
    action = PlanAction.objects.get(goal=goal)
    assert (action.description, action.performer_name, action.performer) == (P, P, "neighbour")
    ask = Ask.objects.get(case=case)
    assert (ask.whom, ask.note, ask.answer) == (P, P, "agreed")
    assert set(ServiceRecord.objects.filter(case=case).values_list("description", flat=True)) == {P}
    contact = ContactRecord.objects.get(case=case)
    assert (contact.with_whom, contact.note, contact.outcome) == (P, P, "met")
    referral = Referral.objects.get(case=case)
    assert (referral.reason, referral.completion_note, referral.response_note) == (P, P, "")
    assert ConferenceCase.objects.get(case=case).discussion == P
    conference = Conference.objects.get(discussed__case=case)
    assert (conference.title, conference.minutes, conference.other_attendees) == (P, P, P)
    task = Task.objects.get(case=case)
    assert (task.decision, task.completion_note) == (P, "")
    consent.refresh_from_db()
    assert (consent.guardian_name, consent.guardian_relation) == (P, "자녀")
    approval = ApprovalRequest.objects.get(case=case)
    assert approval.comment == P
    assert approval.payload["evaluation"] == P and approval.payload["closure_reason"] == "goals_achieved"
    assert approval.payload["goals"][0] | {"description": "", "note": ""} == {
        "goal": goal.pk,
        "result": "achieved",
        "description": "",
        "note": "",
    }
    assert (approval.payload["goals"][0]["description"], approval.payload["goals"][0]["note"]) == (P, P)
    emergency = EmergencyAccess.objects.get(case=case)
    assert (emergency.reason, emergency.review_note) == (P, "")

    # Change history: no name, phone, birth day, address or text survives there either.
    assert set(Person.history.model.objects.filter(id=head.pk).values_list("name", "phone", "birth_date")) == {
        (head.name, "", datetime.date(1950, 1, 1))
    }
    assert set(Household.history.model.objects.filter(id=household.pk).values_list("address", "address_detail")) == {
        ("소공동", "")
    }
    assert set(Case.history.model.objects.filter(id=case.pk).values_list("summary", flat=True)) == {P}
    assert set(Need.history.model.objects.filter(id=need.pk).values_list("expressed_text", "felt_text")) == {(P, P)}
    assert set(Consent.history.model.objects.filter(id=consent.pk).values_list("guardian_name", flat=True)) == {P}
    assert set(ServicePlan.history.model.objects.filter(case_id=case.pk).values_list("summary", flat=True)) == {P}

    # Statistics: dates, stages, categories, amounts and row counts are unchanged.
    assert (
        list(
            ServiceRecord.objects.filter(case=case).values_list(
                "provided_on", "domain", "mode", "amount", "provider_agency"
            )
        )
        == services_before
    )
    assert (
        Case.objects.filter(pk=case.pk)
        .values("stage", "opened_on", "closed_on", "closure_reason", "lead_agency", "created_at")
        .get()
        == case_facts
    )
    assert {m: m.objects.count() for m in counts_before} == counts_before

    # Audited: one row per case; the access log itself is untouched (rows only added).
    log = AccessLog.objects.get(detail="anonymised")
    assert (log.action, log.case_id, log.object_id, log.user_id) == (Action.UPDATE, case.pk, str(case.uuid), None)
    assert sorted(log.person_ids) == sorted([head.pk, spouse.pk])
    assert AccessLog.objects.count() == logs_before + 1


def test_apply_is_idempotent(world):
    household, head, *_ = _old_household(world, closed_on=_years_ago(world, 8))
    _apply()
    snapshot = (
        list(Person.objects.order_by("pk").values()),
        list(Case.objects.order_by("pk").values()),
        list(Need.history.model.objects.order_by("pk").values()),
    )
    logs = AccessLog.objects.count()
    again = _apply()
    assert (again.total().cases, again.total().households) == (0, 0)
    assert privacy.anonymise_closed_cases().total().cases == 0  # nothing left to report either
    assert (
        list(Person.objects.order_by("pk").values()),
        list(Case.objects.order_by("pk").values()),
        list(Need.history.model.objects.order_by("pk").values()),
    ) == snapshot
    assert AccessLog.objects.count() == logs


def test_recent_or_open_cases_keep_the_household(world):
    four = _old_household(world, closed_on=_years_ago(world, 4))  # within the period
    mixed = _old_household(world, closed_on=_years_ago(world, 6), address="서울특별시 중구 삼일대로 1")
    _closed_case(world, mixed[0], _years_ago(world, 2))  # the household came back and closed again since
    reopened = _old_household(world, closed_on=_years_ago(world, 6), address="서울특별시 중구 필동로 3")
    CaseFactory(
        household=reopened[0], lead_agency=world.lead_agency, lead_worker=world.lead_worker.user, stage=Stage.DELIVERY
    )  # open now
    report = _apply()
    assert report.total().cases == 0
    for _household, head, _spouse, case, _consent in (four, mixed, reopened):
        head.refresh_from_db()
        case.refresh_from_db()
        assert head.name == "김옛날" and head.has_rrn and case.summary.startswith("김옛날")
    assert Person.objects.get(pk=world.head.pk).name == world.head.name  # the open world case


def test_a_conference_about_other_live_cases_keeps_its_minutes(world):
    _household, _head, _spouse, case, _consent = _old_household(world, closed_on=_years_ago(world, 6))
    conference = Conference.objects.get(discussed__case=case)
    ConferenceCase.objects.create(
        district=world.district_a, conference=conference, case=world.case, discussion="홍길순 님 방문 계획"
    )
    _apply()
    conference.refresh_from_db()
    assert conference.minutes == "김옛날 님 논의"  # the live case's meeting stays as it was
    assert ConferenceCase.objects.get(case=case).discussion == P
    assert ConferenceCase.objects.get(case=world.case).discussion == "홍길순 님 방문 계획"


def test_retention_years_is_a_setting(world, settings):
    _old_household(world, closed_on=_years_ago(world, 4))
    assert privacy.anonymise_closed_cases().total().cases == 0
    settings.HAMKKE_CASE_RETENTION_YEARS = 3
    assert privacy.anonymise_closed_cases().total().cases == 1


def test_command_dry_run_then_apply(world, capsys):
    closed_on = _years_ago(world, 6)
    _household, head, *_ = _old_household(world, closed_on=closed_on)
    call_command("anonymise_closed_cases")
    out = capsys.readouterr().out
    assert "dry run" in out and f"{closed_on.year} | 1 | 1 | 2" in out and "합계 total | 1 | 1 | 2" in out
    head.refresh_from_db()
    assert head.name == "김옛날"
    call_command("anonymise_closed_cases", "--apply")
    assert "anonymised" in capsys.readouterr().out
    head.refresh_from_db()
    assert head.name.startswith("익명-")
    call_command("anonymise_closed_cases", "--apply")
    assert "합계 total | 0 | 0 | 0" in capsys.readouterr().out


def test_command_as_district_admin_covers_their_district_only(world, capsys):
    _a, head_a, *_ = _old_household(world, closed_on=_years_ago(world, 6))
    _b, head_b, *_ = _old_household(world, closed_on=_years_ago(world, 6), dong=world.dong_b, agency=world.agency_b)
    with pytest.raises(CommandError, match="관리자만"):
        call_command("anonymise_closed_cases", "--apply", "--as", world.lead_worker.username)
    call_command("anonymise_closed_cases", "--apply", "--as", world.district_admin.username)
    head_a.refresh_from_db()
    head_b.refresh_from_db()
    assert head_a.name.startswith("익명-") and head_b.name == "김옛날"
    log = AccessLog.objects.get(detail="anonymised")
    assert log.user_id == world.district_admin.user.pk
    call_command("anonymise_closed_cases", "--apply", "--district", world.district_b.code)
    head_b.refresh_from_db()
    assert head_b.name.startswith("익명-")


def test_retention_runs_as_a_scheduled_task(world, settings):
    """celery beat sends hamkke.people.anonymise_closed_cases nightly (run in-process here); idempotent."""
    from hamkke.people.tasks import anonymise_closed_cases

    assert settings.CELERY_BEAT_SCHEDULE["anonymise-closed-cases"]["task"] == anonymise_closed_cases.name
    _old_household(world, closed_on=_years_ago(world, 6))
    assert anonymise_closed_cases.delay().get() == {"cases": 1, "households": 1, "persons": 2}
    assert not Person.objects.filter(name="김옛날").exists()
    assert anonymise_closed_cases.delay().get() == {"cases": 0, "households": 0, "persons": 0}
