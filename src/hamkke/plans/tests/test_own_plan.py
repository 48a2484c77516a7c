"""The person's own plan (당사자용 계획서): the person's words first, no jargon, no one else's data."""

import datetime
import shutil
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from hamkke.plans import services
from hamkke.plans.models import Performer, ServicePlan
from hamkke.plans.own_plan import JARGON, own_plan
from hamkke.resources.tests.factories import NeedFactory, ResourceFactory, StrengthFactory
from hamkke.testing.factories import PersonFactory

WORDS = "다시 일하고 싶어요. 커피 만드는 게 좋아요"
OTHER_WORDS = "아들이 학교에 다시 갔으면"


@pytest.fixture
def plan(planning):
    world = planning
    actor = world.lead_worker.actor
    world.need.expressed_text = WORDS
    world.need.person = world.head
    world.need.save()
    son = PersonFactory(household=world.household, name="김아들", relation="child")
    other = NeedFactory(case=world.case, person=son, expressed_text=OTHER_WORDS, agreed_text="아들의 학교 복귀")
    plan = services.plan_create(actor=actor, case=world.case, summary="내부 메모: 음주 문제 주의")
    goal = services.goal_add(
        actor=actor, plan=plan, need=world.need, description="바리스타 과정을 마친다", progress_measure="출석률 80%"
    )
    services.goal_add(actor=actor, plan=plan, need=other, description="학교 복귀")
    due = timezone.localdate() + datetime.timedelta(days=30)
    services.action_add(actor=actor, goal=goal, description="과정에 등록한다", performer=Performer.PERSON, due_on=due)
    services.action_add(
        actor=actor,
        goal=goal,
        description="면접 날 함께 간다",
        performer=Performer.FAMILY,
        performer_name="딸",
        strength=StrengthFactory(case=world.case, side="outer", kind="family", description="딸"),
    )
    resource = ResourceFactory(agency=world.lead_agency, name="바리스타 교육", contact="02-123-4567")
    services.action_add(
        actor=actor, goal=goal, description="교육비를 지원한다", performer=Performer.AGENCY, resource=resource
    )
    return plan


@pytest.mark.django_db
def test_the_persons_words_come_first_and_other_peoples_do_not_appear(plan, world, client):
    own = own_plan(actor=world.lead_worker.actor, case=world.case)
    assert [w.in_own_words for w in own.wishes] == [WORDS]
    [wish] = own.wishes
    assert [s.text for s in wish.own_steps] == ["과정에 등록한다"]
    assert [(s.who, s.text) for s in wish.helpers] == [("딸", "면접 날 함께 간다")]
    assert [(s.text, s.contact) for s in wish.services] == [("교육비를 지원한다", "02-123-4567")]

    world.lead_worker.login(client)
    page = client.get(reverse("plans:own_plan", args=[world.case.uuid])).content.decode()
    article = page[page.index('<article class="own-plan"') : page.index("</article>")]
    assert article.index(WORDS) < article.index("과정에 등록한다") < article.index("면접 날 함께 간다")
    assert article.index("면접 날 함께 간다") < article.index("교육비를 지원한다")
    for absent in (OTHER_WORDS, "김아들", "학교 복귀", "내부 메모", "출석률"):
        assert absent not in article  # another member's wish, internal notes, progress measures
    for word in JARGON:
        assert word not in article, word


@pytest.mark.django_db
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")
def test_the_pdf_says_the_same_in_large_type_without_jargon(plan, world, client):
    world.lead_worker.login(client)
    response = client.get(reverse("plans:own_plan_pdf", args=[world.case.uuid]))
    if response.status_code == 503:
        pytest.skip("no Korean TrueType font (fonts-nanum) on this machine")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True).stdout
    text = " ".join(text.decode().split())
    assert "다시 일하고 싶어요" in text and "면접 날 함께 간다" in text
    assert OTHER_WORDS not in text and "내부 메모" not in text
    for word in JARGON:
        assert word not in text, word


@pytest.mark.django_db
def test_handover_is_recorded_by_the_lead_team_only(plan, world, client):
    today = timezone.localdate()
    services.plan_handover_record(
        actor=world.lead_worker.actor, plan=plan, handover=ServicePlan.Handover.READ_ALOUD, handed_over_on=today
    )
    plan.refresh_from_db()
    assert (plan.handover, plan.handed_over_on) == ("read_aloud", today)
    with pytest.raises(ValidationError):
        services.plan_handover_record(
            actor=world.lead_worker.actor, plan=plan, handover="thrown", handed_over_on=today + datetime.timedelta(1)
        )
    world.participant_worker.login(client)
    assert client.get(reverse("plans:own_plan", args=[world.case.uuid])).status_code == 404
    client.logout()
    world.lead_worker.login(client)
    response = client.post(
        reverse("plans:own_plan_handover", args=[world.case.uuid]),
        {"handover": "declined", "handed_over_on": today.isoformat()},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.handover == "declined"


@pytest.mark.django_db
def test_no_plan_yet(world, client):
    world.lead_worker.login(client)
    page = client.get(reverse("plans:own_plan", args=[world.case.uuid]))
    assert page.status_code == 200 and "아직 계획이 없습니다" in page.content.decode()
    assert client.get(reverse("plans:own_plan_pdf", args=[world.case.uuid])).status_code == 404
