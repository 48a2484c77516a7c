"""Service plan rules: versions, goals on agreed needs, fitting means, asks, agreement, submit/activate/return."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hamkke.approvals.models import ApprovalRequest
from hamkke.assessment.models import Need, Strength
from hamkke.audit.models import AccessLog, Action
from hamkke.cases.models import Case
from hamkke.cases.stages import Stage
from hamkke.plans import services
from hamkke.plans.models import Ask, Goal, Performer, PlanAction, ServicePlan
from hamkke.resources.tests.factories import NeedFactory, ResourceFactory, StrengthFactory
from hamkke.testing.factories import CaseFactory

pytestmark = pytest.mark.django_db

Status = ServicePlan.Status
TODAY = timezone.localdate


def make_plan(world, *, agreed=True) -> ServicePlan:
    """A draft plan with one goal and one action, agreed by the person unless told otherwise."""
    actor = world.lead_worker.actor
    plan = services.plan_create(actor=actor, case=world.case)
    goal = services.goal_add(
        actor=actor, plan=plan, need=world.need, description="바리스타 과정을 마친다", progress_measure="출석률"
    )
    services.action_add(actor=actor, goal=goal, description="과정에 등록한다", performer=Performer.PERSON)
    if agreed:
        services.plan_record_agreement(
            actor=actor, plan=plan, agreed_on=TODAY(), method=ServicePlan.AgreementMethod.SIGNATURE
        )
    plan.refresh_from_db()
    return plan


def activate(world, plan, approvals) -> ServicePlan:
    approvals.require(world.district_a.pk, False)
    return services.plan_submit(actor=world.lead_worker.actor, plan=plan)


# --- plan_create ---------------------------------------------------------------------------------


def test_plan_create_makes_version_1_draft_and_audits(planning):
    plan = services.plan_create(actor=planning.lead_worker.actor, case=planning.case)
    assert (plan.version, plan.status, plan.created_by) == (1, Status.DRAFT, planning.lead_worker.user)
    assert plan.district_id == planning.case.district_id
    log = AccessLog.objects.get(action=Action.CREATE, object_type="serviceplan")
    assert log.object_id == str(plan.uuid) and log.case_id == planning.case.pk


@pytest.mark.parametrize(
    "status,agreed_text",
    [
        (Need.Status.DISCUSSING, "바리스타로 일해 본다"),
        (Need.Status.SET_ASIDE, "바리스타로 일해 본다"),
        (Need.Status.SELECTED, ""),
    ],
)
def test_plan_create_needs_a_selected_agreed_need(world, status, agreed_text):
    NeedFactory(case=world.case, status=status, agreed_text=agreed_text)
    with pytest.raises(ValidationError, match="합의해 선택한 욕구가 없습니다"):
        services.plan_create(actor=world.lead_worker.actor, case=world.case)
    assert not ServicePlan.objects.exists()


def test_plan_create_refused_for_referral_only_cases(planning):
    referral = next(t for t in planning.case_types_a if t.referral_only)
    Case.objects.filter(pk=planning.case.pk).update(case_type=referral)
    with pytest.raises(ValidationError, match="서비스연계 사례는"):
        services.plan_create(actor=planning.lead_worker.actor, case=planning.case)


def test_plan_create_refused_for_closed_cases(planning):
    Case.objects.filter(pk=planning.case.pk).update(stage=Stage.CLOSED)
    with pytest.raises(ValidationError, match="종결"):
        services.plan_create(actor=planning.lead_worker.actor, case=planning.case)


def test_plan_create_refused_while_a_plan_exists(planning):
    plan = services.plan_create(actor=planning.lead_worker.actor, case=planning.case)
    with pytest.raises(ValidationError, match="작성 중이거나 결재 중"):
        services.plan_create(actor=planning.lead_worker.actor, case=planning.case)
    ServicePlan.objects.filter(pk=plan.pk).update(status=Status.ACTIVE)
    with pytest.raises(ValidationError, match="재사정으로 새 판"):
        services.plan_create(actor=planning.lead_worker.actor, case=planning.case)


@pytest.mark.parametrize("who", ["participant_worker", "unrelated_worker", "district_admin", "auditor", "b_worker"])
def test_plan_writes_need_change_case(planning, who):
    actor = getattr(planning, who).actor
    with pytest.raises(PermissionDenied):
        services.plan_create(actor=actor, case=planning.case)
    plan = make_plan(planning, agreed=False)
    goal = plan.goals.get()
    calls = [
        lambda: services.goal_add(actor=actor, plan=plan, need=planning.need, description="x"),
        lambda: services.action_add(actor=actor, goal=goal, description="x", performer=Performer.PERSON),
        lambda: services.plan_record_agreement(actor=actor, plan=plan, agreed_on=TODAY(), method="verbal"),
        lambda: services.plan_submit(actor=actor, plan=plan),
        lambda: services.ask_record(
            actor=actor,
            case=planning.case,
            whom="큰딸",
            whom_role=Performer.FAMILY,
            method=Ask.Method.ASK,
            asked_on=TODAY(),
        ),
        lambda: services.plan_new_version(actor=actor, case=planning.case),
        lambda: services.action_set_status(actor=actor, action=goal.actions.get(), status="done"),
        lambda: services.goal_remove(actor=actor, goal=goal),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert plan.goals.get().actions.count() == 1 and not Ask.objects.exists()


# --- goals -----------------------------------------------------------------------------------------


def test_goal_needs_a_selected_agreed_need_of_the_same_case(planning):
    actor = planning.lead_worker.actor
    plan = services.plan_create(actor=actor, case=planning.case)
    other_case_need = NeedFactory(case=CaseFactory(household__dong=planning.dong_a, district=planning.district_a))
    set_aside = NeedFactory(case=planning.case, status=Need.Status.SET_ASIDE, set_aside_reason="capacity")
    unagreed = NeedFactory(case=planning.case, agreed_text="  ")
    for need in (other_case_need, set_aside, unagreed):
        with pytest.raises(ValidationError) as error:
            services.goal_add(actor=actor, plan=plan, need=need, description="목표")
        assert "need" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.goal_add(actor=actor, plan=plan, need=planning.need, description="  ")
    assert "description" in error.value.message_dict
    goal = services.goal_add(actor=actor, plan=plan, need=planning.need, description=" 과정을 마친다 ")
    assert goal.description == "과정을 마친다" and goal.plan == plan and goal.district_id == plan.district_id


def test_goal_remove_only_while_editable(planning, approvals):
    plan = make_plan(planning)
    goal = plan.goals.get()
    approvals.require(planning.district_a.pk, True)
    services.plan_submit(actor=planning.lead_worker.actor, plan=plan)
    with pytest.raises(ValidationError, match="고칠 수 없습니다"):
        services.goal_remove(actor=planning.lead_worker.actor, goal=goal)
    assert Goal.objects.filter(pk=goal.pk).exists()


# --- actions ---------------------------------------------------------------------------------------


@pytest.fixture
def goal(planning):
    plan = services.plan_create(actor=planning.lead_worker.actor, case=planning.case)
    return services.goal_add(actor=planning.lead_worker.actor, plan=plan, need=planning.need, description="목표")


def add_action(world, goal, **kwargs):
    kwargs.setdefault("description", "실행")
    kwargs.setdefault("performer", Performer.PERSON)
    return services.action_add(actor=world.lead_worker.actor, goal=goal, **kwargs)


def test_action_with_the_persons_strength(planning, goal):
    strength = StrengthFactory(case=planning.case, side=Strength.Side.INNER)
    action = add_action(
        planning, goal, strength=strength, performer_name=" 본인 ", due_on=TODAY() + datetime.timedelta(days=30)
    )
    assert action.strength == strength and action.resource is None and action.performer_name == "본인"
    assert AccessLog.objects.filter(action=Action.CREATE, object_id=str(action.uuid)).exists()


def test_action_strength_must_be_of_this_case(planning, goal):
    foreign = StrengthFactory(case=CaseFactory(household__dong=planning.dong_a, district=planning.district_a))
    with pytest.raises(ValidationError) as error:
        add_action(planning, goal, strength=foreign)
    assert "means" in error.value.message_dict


def test_action_resource_must_be_active_and_of_the_district(planning, goal):
    inactive = ResourceFactory(agency=planning.lead_agency, is_active=False)
    elsewhere = ResourceFactory(agency=planning.agency_b)
    for resource in (inactive, elsewhere):
        with pytest.raises(ValidationError) as error:
            add_action(planning, goal, resource=resource, performer=Performer.AGENCY)
        assert "means" in error.value.message_dict
    assert not PlanAction.objects.exists()


def test_action_uses_one_means_at_most(planning, goal):
    with pytest.raises(ValidationError) as error:
        add_action(
            planning,
            goal,
            strength=StrengthFactory(case=planning.case),
            resource=ResourceFactory(agency=planning.lead_agency),
        )
    assert "means" in error.value.message_dict


@pytest.mark.parametrize(
    "source,performer,fits",
    [
        ("inner", Performer.PERSON, True),
        ("inner", Performer.FAMILY, False),
        ("inner", Performer.AGENCY, False),
        ("outer", Performer.FAMILY, True),
        ("outer", Performer.NEIGHBOUR, True),
        ("outer", Performer.AGENCY, False),
        ("informal", Performer.NEIGHBOUR, True),
        ("informal", Performer.VOLUNTEER, True),
        ("informal", Performer.AGENCY, False),
        ("formal", Performer.AGENCY, True),
        ("formal", Performer.PERSON, True),  # helping the person go to the official themselves
        ("formal", Performer.VOLUNTEER, False),
    ],
)
def test_performer_must_fit_the_means(planning, goal, source, performer, fits):
    if source in ("inner", "outer"):
        means = {"strength": StrengthFactory(case=planning.case, side=source)}
    else:
        means = {
            "resource": ResourceFactory(
                agency=planning.lead_agency, kind=source, type="neighbour" if source == "informal" else "programme"
            )
        }
    if fits:
        assert add_action(planning, goal, performer=performer, **means).performer == performer
    else:
        with pytest.raises(ValidationError) as error:
            add_action(planning, goal, performer=performer, **means)
        assert "performer" in error.value.message_dict


@pytest.mark.parametrize(
    "field,value",
    [
        ("description", " "),
        ("performer", "nonsense"),
        ("due_on", datetime.date(2000, 1, 1)),
    ],
)
def test_action_bad_values(planning, goal, field, value):
    with pytest.raises(ValidationError) as error:
        add_action(planning, goal, **{field: value})
    assert field in error.value.message_dict


def test_action_status_on_an_active_plan_but_not_on_a_superseded_one(planning, approvals):
    plan = activate(planning, make_plan(planning), approvals)
    action = PlanAction.objects.get(goal__plan=plan)
    services.action_set_status(actor=planning.lead_worker.actor, action=action, status=PlanAction.Status.DONE)
    action.refresh_from_db()
    assert action.status == PlanAction.Status.DONE
    with pytest.raises(ValidationError):
        services.action_set_status(actor=planning.lead_worker.actor, action=action, status="nonsense")
    ServicePlan.objects.filter(pk=plan.pk).update(status=Status.SUPERSEDED)
    with pytest.raises(ValidationError):
        services.action_set_status(actor=planning.lead_worker.actor, action=action, status="in_progress")


# --- asks ------------------------------------------------------------------------------------------


def test_ask_record_and_answer(planning, goal):
    action = add_action(planning, goal)
    ask = services.ask_record(
        actor=planning.lead_worker.actor,
        case=planning.case,
        action=action,
        whom=" 큰딸 ",
        whom_role=Performer.FAMILY,
        method=Ask.Method.REQUEST,
        asked_on=TODAY(),
        note="주 1회 동행을 부탁함",
    )
    assert (ask.whom, ask.answer, ask.recorded_by, ask.action) == (
        "큰딸",
        Ask.Answer.PENDING,
        planning.lead_worker.user,
        action,
    )
    services.ask_answer(actor=planning.lead_worker.actor, ask=ask, answer=Ask.Answer.AGREED)
    ask.refresh_from_db()
    assert ask.answer == Ask.Answer.AGREED
    with pytest.raises(ValidationError):
        services.ask_answer(actor=planning.lead_worker.actor, ask=ask, answer="maybe")
    with pytest.raises(PermissionDenied):
        services.ask_answer(actor=planning.participant_worker.actor, ask=ask, answer=Ask.Answer.DECLINED)
    assert AccessLog.objects.filter(object_type="ask", action=Action.UPDATE).count() == 1


@pytest.mark.parametrize(
    "field,value",
    [
        ("asked_on", "tomorrow"),
        ("whom", " "),
        ("whom_role", "x"),
        ("method", "beg"),
        ("answer", "maybe"),
    ],
)
def test_ask_bad_values(planning, field, value):
    data = {"whom": "당사자", "whom_role": Performer.PERSON, "method": Ask.Method.DISCUSS, "asked_on": TODAY()}
    data[field] = TODAY() + datetime.timedelta(days=1) if value == "tomorrow" else value
    with pytest.raises(ValidationError) as error:
        services.ask_record(actor=planning.lead_worker.actor, case=planning.case, **data)
    assert field in error.value.message_dict
    assert not Ask.objects.exists()


def test_ask_action_must_be_of_the_case(planning, goal):
    action = add_action(planning, goal)
    other = CaseFactory(household__dong=planning.dong_a, district=planning.district_a, lead_agency=planning.lead_agency)
    with pytest.raises(ValidationError) as error:
        services.ask_record(
            actor=planning.lead_worker.actor,
            case=other,
            action=action,
            whom="이웃",
            whom_role=Performer.NEIGHBOUR,
            method=Ask.Method.ASK,
            asked_on=TODAY(),
        )
    assert "action" in error.value.message_dict


# --- agreement and submission ---------------------------------------------------------------------


def test_agreement_date_not_in_the_future_and_a_known_method(planning, goal):
    actor, plan = planning.lead_worker.actor, goal.plan
    with pytest.raises(ValidationError) as error:
        services.plan_record_agreement(
            actor=actor, plan=plan, agreed_on=TODAY() + datetime.timedelta(days=1), method="nod"
        )
    assert set(error.value.message_dict) == {"agreed_on", "method"}
    services.plan_record_agreement(actor=actor, plan=plan, agreed_on=TODAY(), method="verbal")
    plan.refresh_from_db()
    assert (plan.agreed_on, plan.agreement_method) == (TODAY(), "verbal")


def test_submit_needs_goals_actions_and_agreement(planning, approvals):
    actor = planning.lead_worker.actor
    plan = services.plan_create(actor=actor, case=planning.case)
    with pytest.raises(ValidationError, match="목표가 하나 이상"):
        services.plan_submit(actor=actor, plan=plan)
    goal = services.goal_add(actor=actor, plan=plan, need=planning.need, description="첫 목표")
    with pytest.raises(ValidationError, match="‘첫 목표’"):
        services.plan_submit(actor=actor, plan=plan)
    services.action_add(actor=actor, goal=goal, description="실행", performer=Performer.PERSON)
    with pytest.raises(ValidationError) as error:
        services.plan_submit(actor=actor, plan=plan)
    assert "agreed_on" in error.value.message_dict
    plan.refresh_from_db()
    assert plan.status == Status.DRAFT


def test_submit_with_approval_waits_for_the_supervisor(planning, approvals):
    approvals.require(planning.district_a.pk, True)
    plan = services.plan_submit(actor=planning.lead_worker.actor, plan=make_plan(planning))
    assert plan.status == Status.SUBMITTED
    assert ApprovalRequest.objects.get(plan=plan).status == ApprovalRequest.Status.PENDING
    planning.case.refresh_from_db()
    assert planning.case.stage == Stage.PLANNING
    for call in (
        lambda: services.goal_add(actor=planning.lead_worker.actor, plan=plan, need=planning.need, description="x"),
        lambda: services.plan_record_agreement(
            actor=planning.lead_worker.actor, plan=plan, agreed_on=TODAY(), method="verbal"
        ),
        lambda: services.plan_submit(actor=planning.lead_worker.actor, plan=plan),
    ):
        with pytest.raises(ValidationError, match="고칠 수 없습니다"):
            call()


def test_submit_without_approval_activates_and_moves_the_case_to_delivery(planning, approvals):
    plan = activate(planning, make_plan(planning), approvals)
    assert plan.status == Status.ACTIVE
    assert plan.review_on == services.add_months(TODAY(), 6)
    planning.case.refresh_from_db()
    assert planning.case.stage == Stage.DELIVERY
    assert planning.case.stage_changes.latest("id").reason == "서비스 계획 확정"


def test_activate_sets_the_review_date_from_the_districts_reassessment_months(planning, approvals):
    from hamkke.districts.models import DistrictPolicy

    policy = DistrictPolicy.for_district(planning.district_a.pk)
    policy.reassessment_months = 3
    policy.save()
    plan = activate(planning, make_plan(planning), approvals)
    assert plan.review_on == services.add_months(TODAY(), 3)


def test_activate_and_return_only_submitted_plans(planning, approvals):
    plan = make_plan(planning)
    for call in (services.plan_activate, services.plan_return):
        with pytest.raises(ValidationError, match="결재 요청된 계획만"):
            call(actor=planning.lead_supervisor.actor, plan=plan)


def test_supervisor_approval_activates_through_the_approvals_app(planning, approvals):
    from hamkke.approvals.services import approval_decide

    approvals.require(planning.district_a.pk, True)
    plan = services.plan_submit(actor=planning.lead_worker.actor, plan=make_plan(planning))
    approval_decide(actor=planning.lead_supervisor.actor, approval=ApprovalRequest.objects.get(plan=plan), approve=True)
    plan.refresh_from_db()
    assert plan.status == Status.ACTIVE


def test_return_makes_the_plan_editable_again(planning, approvals):
    approvals.require(planning.district_a.pk, True)
    plan = services.plan_submit(actor=planning.lead_worker.actor, plan=make_plan(planning))
    plan = services.plan_return(actor=planning.lead_supervisor.actor, plan=plan, comment="기한을 적어 주세요")
    assert plan.status == Status.RETURNED
    goal = services.goal_add(actor=planning.lead_worker.actor, plan=plan, need=planning.need, description="둘째")
    services.action_add(actor=planning.lead_worker.actor, goal=goal, description="x", performer=Performer.PERSON)
    approvals.require(planning.district_a.pk, False)
    assert services.plan_submit(actor=planning.lead_worker.actor, plan=plan).status == Status.ACTIVE


# --- versions (재사정) -----------------------------------------------------------------------------


def test_new_version_needs_an_active_plan_and_no_open_one(planning, approvals):
    actor = planning.lead_worker.actor
    with pytest.raises(ValidationError, match="시행 중인 계획이 없습니다"):
        services.plan_new_version(actor=actor, case=planning.case)
    plan = make_plan(planning)
    with pytest.raises(ValidationError, match="작성 중이거나 결재 중"):
        services.plan_new_version(actor=actor, case=planning.case)
    activate(planning, plan, approvals)
    services.plan_new_version(actor=actor, case=planning.case)
    with pytest.raises(ValidationError, match="작성 중이거나 결재 중"):
        services.plan_new_version(actor=actor, case=planning.case)


def test_reassessment_copies_the_plan_and_supersedes_it_on_activation(planning, approvals):
    actor = planning.lead_worker.actor
    v1 = make_plan(planning)
    achieved = NeedFactory(case=planning.case, domain="housing", agreed_text="집을 치운다")
    goal_2 = services.goal_add(actor=actor, plan=v1, need=achieved, description="집 정리")
    services.action_add(actor=actor, goal=goal_2, description="이웃과 함께 치운다", performer=Performer.NEIGHBOUR)
    cancelled = services.action_add(
        actor=actor, goal=v1.goals.first(), description="취소될 일", performer=Performer.PERSON
    )
    v1 = activate(planning, v1, approvals)
    services.action_set_status(actor=actor, action=cancelled, status=PlanAction.Status.CANCELLED)
    Need.objects.filter(pk=achieved.pk).update(status=Need.Status.ACHIEVED)

    v2 = services.plan_new_version(actor=actor, case=planning.case)
    assert (v2.version, v2.status, v2.agreed_on) == (2, Status.DRAFT, None)
    assert [g.description for g in v2.goals.all()] == ["바리스타 과정을 마친다"]  # achieved need not carried
    assert [a.description for a in PlanAction.objects.filter(goal__plan=v2)] == ["과정에 등록한다"]
    v1.refresh_from_db()
    assert v1.status == Status.ACTIVE  # in force until v2 is activated

    services.plan_record_agreement(actor=actor, plan=v2, agreed_on=TODAY(), method="verbal")
    Case.objects.filter(pk=planning.case.pk).update(stage=Stage.REASSESSMENT)
    v2 = services.plan_submit(actor=actor, plan=v2)
    v1.refresh_from_db()
    assert (v1.status, v2.status) == (Status.SUPERSEDED, Status.ACTIVE)
    assert v1.goals.count() == 2 and PlanAction.objects.filter(goal__plan=v1).count() == 3  # v1 untouched
    planning.case.refresh_from_db()
    assert planning.case.stage == Stage.DELIVERY
    with pytest.raises(ValidationError):
        services.goal_add(actor=actor, plan=v1, need=planning.need, description="옛 판 고치기")


@pytest.mark.parametrize(
    "day,months,expected",
    [
        (datetime.date(2025, 1, 31), 1, datetime.date(2025, 2, 28)),
        (datetime.date(2024, 1, 31), 1, datetime.date(2024, 2, 29)),
        (datetime.date(2025, 8, 31), 6, datetime.date(2026, 2, 28)),
        (datetime.date(2025, 11, 15), 6, datetime.date(2026, 5, 15)),
        (datetime.date(2025, 12, 1), 12, datetime.date(2026, 12, 1)),
    ],
)
def test_add_months(day, months, expected):
    assert services.add_months(day, months) == expected


def test_a_friend_is_asked_for_help_and_does_an_action(planning, goal):
    """Issue 13 item 8: 친구·지인 is among the people who do an action and who are asked for help."""
    action = services.action_add(
        actor=planning.lead_worker.actor,
        goal=goal,
        description="주 1회 함께 장보기",
        performer=Performer.FRIEND,
        performer_name="오랜 친구 김씨",
    )
    ask = services.ask_record(
        actor=planning.lead_worker.actor,
        case=planning.case,
        action=action,
        whom="김씨",
        whom_role=Performer.FRIEND,
        method=Ask.Method.REQUEST,
        asked_on=TODAY(),
    )
    assert (action.performer, ask.whom_role) == ("friend", "friend")
    assert str(Performer.FRIEND.label) == "친구·지인"
