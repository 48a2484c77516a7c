"""HTTP behaviour of the service plan tab: scope, read-only for partners, proposals, forms that keep input."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hamkke.assessment.models import Strength
from hamkke.audit.models import AccessLog, Action
from hamkke.plans import services
from hamkke.plans.models import Ask, Goal, Performer, PlanAction, ServicePlan
from hamkke.resources.models import Resource
from hamkke.resources.tests.factories import ResourceFactory, StrengthFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def url(name, case, *args):
    return reverse(f"plans:{name}", args=[case.uuid, *args])


@pytest.fixture
def drafted(planning):
    """A draft plan with one goal (no action yet), strengths and resources around it."""
    actor = planning.lead_worker.actor
    planning.plan = services.plan_create(actor=actor, case=planning.case)
    planning.goal = services.goal_add(
        actor=actor, plan=planning.plan, need=planning.need, description="바리스타 과정을 마친다"
    )
    planning.inner = StrengthFactory(case=planning.case, description="커피를 좋아함", domain="employment")
    planning.outer = StrengthFactory(
        case=planning.case,
        side=Strength.Side.OUTER,
        kind=Strength.Kind.FAMILY,
        description="카페 하는 큰딸",
        domain="employment",
    )
    planning.informal = ResourceFactory(
        agency=planning.participating_agency,
        name="동네 카페 모임",
        kind=Resource.Kind.INFORMAL,
        type=Resource.Type.COMMUNITY_GROUP,
    )
    planning.formal = ResourceFactory(agency=planning.unrelated_agency, name="바리스타 양성 과정")
    return planning


def test_plan_page_without_plan_offers_to_create_one(client, planning):
    planning.lead_worker.login(client)
    response = client.get(url("case", planning.case))
    text = response.content.decode()
    assert response.status_code == 200 and "서비스 계획 만들기" in text
    log = AccessLog.objects.filter(action=Action.VIEW, case_id=planning.case.pk).latest("id")
    assert planning.head.pk in log.person_ids and log.user_id == planning.lead_worker.user.pk


def test_create_refused_without_agreed_need_is_explained(client, world):
    world.lead_worker.login(client)
    response = client.post(url("create", world.case))
    assert response.status_code == 200
    assert "합의해 선택한 욕구가 없습니다" in response.content.decode()
    assert not ServicePlan.objects.exists()


def test_create_then_add_goal(client, planning):
    planning.lead_worker.login(client)
    response = client.post(url("create", planning.case))
    assert response.status_code == 302 and response["Location"] == url("case", planning.case)
    response = client.post(
        url("goal_add", planning.case),
        {"need": planning.need.pk, "description": "과정을 마친다", "progress_measure": "출석"},
    )
    assert response.status_code == 302
    assert Goal.objects.get().description == "과정을 마친다"
    assert "과정을 마친다" in client.get(url("case", planning.case)).content.decode()


def test_goal_bad_input_keeps_what_was_typed(client, drafted):
    drafted.lead_worker.login(client)
    for need in ("", "x", "999999"):
        response = client.post(url("goal_add", drafted.case), {"need": need, "description": "내가 적은 목표"})
        assert response.status_code == 200
        text = response.content.decode()
        assert "내가 적은 목표" in text and "errorlist" in text
    assert Goal.objects.count() == 1


def test_action_form_shows_proposals_in_domain_order(client, drafted):
    drafted.lead_worker.login(client)
    text = client.get(url("case", drafted.case)).content.decode()
    # inner strength, outer strength, informal resource, formal resource
    names = ("커피를 좋아함", "카페 하는 큰딸", "동네 카페 모임", "바리스타 양성 과정")
    positions = [text.index(name) for name in names]
    assert positions == sorted(positions)
    assert f'value="strength:{drafted.inner.uuid}"' in text and f'value="resource:{drafted.formal.uuid}"' in text


def test_proposals_partial_for_the_chosen_goal_and_without_js(client, drafted):
    actor = drafted.lead_worker.actor
    housing_need = type(drafted.need).objects.create(
        district=drafted.district_a,
        case=drafted.case,
        domain="housing",
        expressed_text="집이 너무 지저분해요",
        felt_text="편히 쉬고 싶다",
        agreed_text="집을 치우고 편히 쉰다",
        status="selected",
        recorded_by=drafted.lead_worker.user,
    )
    housing_goal = services.goal_add(actor=actor, plan=drafted.plan, need=housing_need, description="집 정리")
    ResourceFactory(
        agency=drafted.lead_agency,
        name="집수리 봉사단",
        kind=Resource.Kind.INFORMAL,
        type=Resource.Type.VOLUNTEER,
        domain="housing",
    )
    drafted.lead_worker.login(client)
    response = client.get(url("proposals", drafted.case), {"goal": housing_goal.pk}, HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert response.status_code == 200 and "<html" not in text
    # same domain first: the housing volunteers come before the (employment) café group, inside the informal group
    assert text.index("집수리 봉사단") < text.index("동네 카페 모임")
    # without JS: the goal's link reloads the page with that goal's proposals
    page = client.get(url("case", drafted.case), {"goal": housing_goal.pk}).content.decode()
    assert f'<option value="{housing_goal.pk}" selected>' in page
    assert page.index("집수리 봉사단") < page.index("동네 카페 모임")
    for bad in ("", "x", "999999"):
        assert client.get(url("proposals", drafted.case), {"goal": bad}).status_code == 404
        assert client.get(url("case", drafted.case), {"goal": bad}).status_code == 200


def test_add_action_with_a_proposed_means(client, drafted):
    drafted.lead_worker.login(client)
    response = client.post(
        url("action_add", drafted.case),
        {
            "goal": drafted.goal.pk,
            "means": f"resource:{drafted.formal.uuid}",
            "performer": Performer.PERSON,
            "performer_name": "본인",
            "due_on": (TODAY() + datetime.timedelta(days=30)).isoformat(),
            "description": "과정 담당자를 직접 찾아가 등록한다",
        },
    )
    assert response.status_code == 302
    action = PlanAction.objects.get()
    assert action.resource == drafted.formal and action.strength is None and action.goal == drafted.goal


@pytest.mark.parametrize(
    "data,field_text",
    [
        ({"due_on": "2025-13-45"}, "올바른 날짜"),
        ({"means": "resource:not-a-uuid"}, "올바르게 선택"),
        ({"means": "strength:00000000-0000-0000-0000-000000000000"}, "올바르게 선택"),
        ({"performer": "nonsense"}, "올바르게 선택"),
        ({"goal": "x"}, "올바르게 선택"),
        ({"means": "inner", "performer": Performer.AGENCY}, "이 자원을 쓰는 실행은"),  # the service's rule
    ],
)
def test_add_action_bad_input_is_a_form_error_and_keeps_input(client, drafted, data, field_text):
    if data.get("means") == "inner":
        data["means"] = f"strength:{drafted.inner.uuid}"
    drafted.lead_worker.login(client)
    post = {"goal": drafted.goal.pk, "means": "", "performer": Performer.PERSON, "description": "내가 적은 실행"}
    post.update(data)
    response = client.post(url("action_add", drafted.case), post)
    assert response.status_code == 200
    text = response.content.decode()
    assert field_text in text and "내가 적은 실행" in text
    assert not PlanAction.objects.exists()


def test_asks_under_an_action_and_their_answer(client, drafted):
    action = services.action_add(
        actor=drafted.lead_worker.actor,
        goal=drafted.goal,
        description="큰딸과 카페 방문",
        performer=Performer.FAMILY,
        strength=drafted.outer,
    )
    drafted.lead_worker.login(client)
    ask_data = {
        "action": str(action.uuid),
        "whom": "큰딸",
        "whom_role": Performer.FAMILY,
        "method": Ask.Method.REQUEST,
        "asked_on": TODAY().isoformat(),
        "answer": Ask.Answer.PENDING,
        "note": "주말 동행 부탁",
    }
    tomorrow = (TODAY() + datetime.timedelta(days=1)).isoformat()
    response = client.post(url("ask_add", drafted.case), {**ask_data, "asked_on": tomorrow})
    assert response.status_code == 200 and "오늘 또는 이전 날짜를 입력하세요" in response.content.decode()
    assert "주말 동행 부탁" in response.content.decode()
    response = client.post(url("ask_add", drafted.case), ask_data)
    assert response.status_code == 302 and response["Location"].endswith(f"#action-{action.uuid}")
    ask = Ask.objects.get()
    assert ask.action == action and ask.answer == Ask.Answer.PENDING
    response = client.post(url("ask_answer", drafted.case, ask.pk), {"answer": Ask.Answer.AGREED})
    assert response.status_code == 302
    ask.refresh_from_db()
    assert ask.answer == Ask.Answer.AGREED
    assert client.post(url("ask_answer", drafted.case, ask.pk), {"answer": "maybe"}).status_code == 302
    ask.refresh_from_db()
    assert ask.answer == Ask.Answer.AGREED
    assert client.post(url("ask_answer", drafted.case, 999999), {"answer": "agreed"}).status_code == 404
    bad_action = {**ask_data, "action": "not-a-uuid"}
    assert client.post(url("ask_add", drafted.case), bad_action).status_code == 404


def test_general_ask_without_action(client, world):
    world.lead_worker.login(client)
    response = client.post(
        url("ask_add", world.case),
        {
            "whom": "당사자",
            "whom_role": Performer.PERSON,
            "method": Ask.Method.ASK,
            "asked_on": TODAY().isoformat(),
            "answer": Ask.Answer.AGREED,
            "note": "무엇을 하고 싶은지 물음",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#asks")
    assert "무엇을 하고 싶은지 물음" in client.get(url("case", world.case)).content.decode()


def test_submit_flow_agreement_then_approval_request(client, drafted, approvals):
    approvals.require(drafted.district_a.pk, True)
    drafted.lead_worker.login(client)

    def shown():  # the plan's version as the page would show it now
        return {"expected_version": ServicePlan.objects.get(pk=drafted.plan.pk).lock_version}

    response = client.post(url("submit", drafted.case), shown())
    assert response.status_code == 200 and "실행 계획이 하나 이상" in response.content.decode()
    services.action_add(
        actor=drafted.lead_worker.actor, goal=drafted.goal, description="등록", performer=Performer.PERSON
    )
    response = client.post(url("submit", drafted.case), shown())
    assert "동의를 먼저 기록하세요" in response.content.decode()
    response = client.post(
        url("agreement", drafted.case), {"agreed_on": "not a date", "method": "signature", **shown()}
    )
    assert response.status_code == 200 and "올바른 날짜" in response.content.decode()
    response = client.post(
        url("agreement", drafted.case), {"agreed_on": TODAY().isoformat(), "method": "signature", **shown()}
    )
    assert response.status_code == 302
    response = client.post(url("submit", drafted.case), shown(), follow=True)
    assert "결재를 요청했습니다" in response.content.decode()
    drafted.plan.refresh_from_db()
    assert drafted.plan.status == ServicePlan.Status.SUBMITTED
    text = client.get(url("case", drafted.case)).content.decode()
    assert "결재 요청/확정" not in text and "목표 추가" not in text  # nothing editable while submitted


def test_versions_stay_readable(client, drafted, approvals):
    actor = drafted.lead_worker.actor
    services.action_add(actor=actor, goal=drafted.goal, description="첫 판의 실행", performer=Performer.PERSON)
    services.plan_record_agreement(actor=actor, plan=drafted.plan, agreed_on=TODAY(), method="verbal")
    approvals.require(drafted.district_a.pk, False)
    services.plan_submit(actor=actor, plan=drafted.plan)
    drafted.lead_worker.login(client)
    assert client.post(url("new_version", drafted.case)).status_code == 302
    v2 = ServicePlan.objects.get(version=2)
    services.action_add(actor=actor, goal=v2.goals.get(), description="둘째 판의 실행", performer=Performer.PERSON)
    services.plan_record_agreement(actor=actor, plan=v2, agreed_on=TODAY(), method="verbal")
    services.plan_submit(actor=actor, plan=v2)
    current = client.get(url("case", drafted.case)).content.decode()
    assert "둘째 판의 실행" in current and url("version", drafted.case, 1) in current
    old = client.get(url("version", drafted.case, 1))
    text = old.content.decode()
    assert old.status_code == 200 and "첫 판의 실행" in text and "둘째 판의 실행" not in text
    assert "이전 판(재사정으로 대체)" in text and "읽기 전용" in text
    assert "재사정: 새 판 만들기" not in text and 'name="status"' not in text
    assert client.get(url("version", drafted.case, 9)).status_code == 404


def test_participant_reads_but_cannot_change(client, drafted):
    drafted.participant_worker.login(client)
    response = client.get(url("case", drafted.case))
    text = response.content.decode()
    assert response.status_code == 200 and "바리스타 과정을 마친다" in text
    assert "목표 추가" not in text and "결재 요청/확정" not in text and "묻고 의논하고 부탁하기 기록" not in text
    response = client.post(url("goal_add", drafted.case), {"need": drafted.need.pk, "description": "끼어들기"})
    assert response.status_code == 404
    assert client.get(url("proposals", drafted.case), {"goal": drafted.goal.pk}).status_code == 404
    assert Goal.objects.count() == 1


@pytest.mark.parametrize("who", ["unrelated_worker", "auditor", "b_worker", "b_admin", "nobody"])
def test_outsiders_get_404_on_every_plan_page(client, drafted, who):
    action = services.action_add(
        actor=drafted.lead_worker.actor, goal=drafted.goal, description="x", performer=Performer.PERSON
    )
    ask = services.ask_record(
        actor=drafted.lead_worker.actor,
        case=drafted.case,
        whom="당사자",
        whom_role=Performer.PERSON,
        method=Ask.Method.ASK,
        asked_on=TODAY(),
    )
    getattr(drafted, who).login(client)
    case = drafted.case
    gets = [url("case", case), url("version", case, 1), url("proposals", case) + f"?goal={drafted.goal.pk}"]
    posts = [
        url(name, case)
        for name in ("create", "new_version", "goal_add", "action_add", "ask_add", "agreement", "submit")
    ]
    posts += [
        url("goal_remove", case, drafted.goal.pk),
        url("action_remove", case, action.uuid),
        url("action_status", case, action.uuid),
        url("ask_answer", case, ask.pk),
    ]
    for target in gets:
        assert client.get(target).status_code == 404, target
    for target in posts:
        assert client.post(target, {"status": "done", "answer": "agreed"}).status_code == 404, target
    denied = AccessLog.objects.filter(action=Action.DENIED, user_id=getattr(drafted, who).user.pk)
    assert denied.count() == len(gets) + len(posts)
    assert Goal.objects.count() == 1 and PlanAction.objects.get().status == PlanAction.Status.PLANNED


def test_action_status_and_removal(client, drafted):
    action = services.action_add(
        actor=drafted.lead_worker.actor, goal=drafted.goal, description="x", performer=Performer.PERSON
    )
    drafted.lead_worker.login(client)
    assert client.post(url("action_status", drafted.case, action.uuid), {"status": "in_progress"}).status_code == 302
    action.refresh_from_db()
    assert action.status == PlanAction.Status.IN_PROGRESS
    client.post(url("action_status", drafted.case, action.uuid), {"status": "bogus"})
    action.refresh_from_db()
    assert action.status == PlanAction.Status.IN_PROGRESS
    assert client.post(url("action_remove", drafted.case, action.uuid)).status_code == 302
    assert not PlanAction.objects.exists()
    assert client.post(url("goal_remove", drafted.case, drafted.goal.pk)).status_code == 302
    assert not Goal.objects.exists()
    assert client.post(url("goal_remove", drafted.case, 999999)).status_code == 404


def test_get_only_and_post_only(client, drafted):
    drafted.lead_worker.login(client)
    assert client.post(url("case", drafted.case)).status_code == 405
    assert client.get(url("submit", drafted.case)).status_code == 405


def test_plan_page_queries_do_not_grow_with_the_plan(client, drafted):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hamkke.resources.tests.factories import NeedFactory

    actor = drafted.lead_worker.actor

    def add_goal_with_actions():
        goal = services.goal_add(actor=actor, plan=drafted.plan, need=NeedFactory(case=drafted.case), description="g")
        for _ in range(2):
            action = services.action_add(
                actor=actor,
                goal=goal,
                description="x",
                performer=Performer.AGENCY,
                resource=ResourceFactory(agency=drafted.lead_agency),
            )
            services.ask_record(
                actor=actor,
                case=drafted.case,
                action=action,
                whom="x",
                whom_role=Performer.FAMILY,
                method=Ask.Method.ASK,
                asked_on=TODAY(),
            )

    def page_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("case", drafted.case)).status_code == 200
        return len(queries)

    drafted.lead_worker.login(client)
    add_goal_with_actions()
    small = page_queries()
    for _ in range(3):
        add_goal_with_actions()
    assert page_queries() == small
