"""Goal attainment (−2 … +2) at review and closure, and the outcome figures built from it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from hamkke.cases.models import CaseType
from hamkke.plans import services
from hamkke.plans.models import GoalReview
from hamkke.reports.outcomes import goal_outcomes
from hamkke.reports.periods import Period
from hamkke.reports.selectors import report_scope
from hamkke.resources.tests.factories import NeedFactory

TODAY = timezone.localdate


@pytest.fixture
def goals(planning):
    world = planning
    actor = world.lead_worker.actor
    plan = services.plan_create(actor=actor, case=world.case)
    housing = NeedFactory(case=world.case, domain="housing", agreed_text="집 정리")
    return [
        services.goal_add(actor=actor, plan=plan, need=world.need, description="바리스타 과정을 마친다"),
        services.goal_add(actor=actor, plan=plan, need=housing, description="집을 정리한다"),
    ]


@pytest.mark.django_db
def test_review_rules(goals, world):
    actor = world.lead_worker.actor
    review = services.goal_review_record(actor=actor, goal=goals[0], reviewed_on=TODAY(), attainment=1, note="출석 90%")
    assert (review.attainment, review.occasion) == (1, "review")
    for bad in (
        {"attainment": 3},
        {"attainment": None},
        {"reviewed_on": TODAY() + datetime.timedelta(days=1)},
        {"reviewed_on": world.case.opened_on - datetime.timedelta(days=1)},
        {"occasion": "whenever"},
    ):
        kwargs = {"reviewed_on": TODAY(), "attainment": 0, **bad}
        with pytest.raises(ValidationError):
            services.goal_review_record(actor=actor, goal=goals[0], **kwargs)
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied for a partner
        services.goal_review_record(
            actor=world.participant_worker.actor, goal=goals[0], reviewed_on=TODAY(), attainment=0
        )


@pytest.mark.django_db
def test_outcomes_count_each_goal_once_with_its_latest_rating_in_the_period(goals, world):
    actor = world.lead_worker.actor
    case_type = CaseType.objects.filter(district=world.district_a).first()
    world.case.case_type = case_type
    world.case.save(update_fields=["case_type"])
    today = TODAY()
    services.goal_review_record(
        actor=actor, goal=goals[0], reviewed_on=today - datetime.timedelta(days=3), attainment=-2
    )
    services.goal_review_record(actor=actor, goal=goals[0], reviewed_on=today, attainment=1)  # the latest counts
    services.goal_review_record(actor=actor, goal=goals[1], reviewed_on=today, attainment=-1, occasion="closure")
    scope = report_scope(actor=world.lead_worker.actor)
    found = goal_outcomes(scope=scope, period=Period("custom", today - datetime.timedelta(days=30), today))
    assert (found.total.goals, found.total.mean, found.total.met) == (2, 0.0, 1)
    assert [(r.label, r.goals, r.mean) for r in found.by_case_type] == [(case_type.name, 2, 0.0)]
    assert (
        sorted((r.label, r.mean) for r in found.by_domain) == sorted([("일자리·직업", 1.0), ("주거·생활환경", -1.0)])
        or len(found.by_domain) == 2
    )
    # a period before the ratings: nothing
    empty = goal_outcomes(
        scope=scope, period=Period("custom", today - datetime.timedelta(days=60), today - datetime.timedelta(days=31))
    )
    assert empty.total.goals == 0
    # another agency's scope does not see these goals
    other = goal_outcomes(
        scope=report_scope(actor=world.participant_worker.actor),
        period=Period("custom", today - datetime.timedelta(days=30), today),
    )
    assert other.total.goals == 0


@pytest.mark.django_db
def test_review_from_the_plan_page_and_on_the_figures_page(goals, world, client, approvals):
    plan = goals[0].plan
    services.action_add(actor=world.lead_worker.actor, goal=goals[0], description="등록", performer="person")
    services.action_add(actor=world.lead_worker.actor, goal=goals[1], description="정리", performer="person")
    services.plan_record_agreement(actor=world.lead_worker.actor, plan=plan, agreed_on=TODAY(), method="signature")
    approvals.require(world.district_a.pk, False)
    services.plan_submit(actor=world.lead_worker.actor, plan=plan)
    world.lead_worker.login(client)
    page = client.get(reverse("plans:case", args=[world.case.uuid])).content.decode()
    assert "목표 달성 정도 평가" in page
    response = client.post(
        reverse("plans:goal_review", args=[world.case.uuid, goals[0].pk]),
        {"reviewed_on": TODAY().isoformat(), "attainment": "2", "note": "취업"},
    )
    assert response.status_code == 302
    assert GoalReview.objects.get(goal=goals[0]).attainment == 2
    figures = client.get(reverse("reports:figures")).content.decode()
    assert "목표 달성 정도" in figures and 'id="outcomes-1"' in figures
