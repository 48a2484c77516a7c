"""Crisis assessment as a form: areas rated with notes give the level; another level needs a reason."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hamkke.assessment.crisis import level_from_scores
from hamkke.assessment.models import CrisisAssessment
from hamkke.assessment.services import crisis_assessment_record


@pytest.mark.parametrize(
    ("scores", "level"),
    [
        ({}, "low"),
        ({"housing": 1, "economy": 1}, "low"),
        ({"housing": 1, "economy": 1, "care": 1}, "medium"),
        ({"economy": 2}, "medium"),
        ({"economy": 3}, "high"),
        ({"mental_health": 2}, "high"),
        ({"safety": 2, "housing": 0}, "high"),
        ({"safety": 1, "mental_health": 1}, "low"),
    ],
)
def test_level_from_scores(scores, level):
    assert level_from_scores(scores) == level


@pytest.mark.django_db
def test_ratings_give_the_level_and_the_risks(world):
    assessment = crisis_assessment_record(
        actor=world.lead_worker.actor,
        case=world.case,
        assessed_on=world.today,
        ratings={"mental_health": (2, "최근 자살 시도"), "housing": (1, "")},
    )
    assert (assessment.level, assessment.computed_level) == ("high", "high")
    assert (assessment.mental_health_risk, assessment.safety_risk) == (True, False)
    assert {(r.area, r.score, r.note) for r in assessment.ratings.all()} == {
        ("mental_health", 2, "최근 자살 시도"),
        ("housing", 1, ""),
    }


@pytest.mark.django_db
def test_another_level_needs_a_reason(world):
    kwargs = dict(actor=world.lead_worker.actor, case=world.case, assessed_on=world.today, ratings={"economy": (2, "")})
    with pytest.raises(ValidationError) as error:
        crisis_assessment_record(level="high", **kwargs)
    assert "override_reason" in error.value.message_dict
    assessment = crisis_assessment_record(level="high", override_reason="단전 예고, 겨울", **kwargs)
    assert (assessment.level, assessment.computed_level, assessment.override_reason) == (
        "high",
        "medium",
        "단전 예고, 겨울",
    )
    with pytest.raises(ValidationError):
        crisis_assessment_record(ratings={"economy": (7, "")}, **{k: v for k, v in kwargs.items() if k != "ratings"})


@pytest.mark.django_db
def test_the_form_rates_areas_and_a_partner_without_the_item_does_not_see_health_notes(world, client):
    world.lead_worker.login(client)
    response = client.post(
        reverse("assessment:crisis_add", args=[world.case.uuid]),
        {
            "assessed_on": world.today.isoformat(),
            "score_economy": "2",
            "note_economy": "체납 6개월",
            "score_health": "1",
            "note_health": "당뇨 약 중단",
        },
    )
    assert response.status_code in (200, 302)
    assessment = CrisisAssessment.objects.get(case=world.case)
    assert (assessment.level, assessment.computed_level) == ("medium", "medium")
    page = client.get(reverse("assessment:case", args=[world.case.uuid])).content.decode()
    assert "체납 6개월" in page and "당뇨 약 중단" in page
    client.logout()
    world.participant_worker.login(client)
    page = client.get(reverse("assessment:case", args=[world.case.uuid])).content.decode()
    assert "체납 6개월" in page and "당뇨 약 중단" not in page


@pytest.mark.django_db
def test_the_form_without_ratings_needs_a_level(world, client):
    world.lead_worker.login(client)
    response = client.post(
        reverse("assessment:crisis_add", args=[world.case.uuid]), {"assessed_on": world.today.isoformat()}
    )
    assert response.status_code == 200
    assert "영역을 하나 이상 평가하거나 위기도를 고르세요." in response.content.decode()
    assert not CrisisAssessment.objects.filter(case=world.case).exists()


@pytest.mark.django_db
def test_crisis_assessments_are_on_the_timeline_and_health_ones_only_for_those_allowed(world):
    from hamkke.timeline.selectors import case_timeline

    actor = world.lead_worker.actor
    crisis_assessment_record(actor=actor, case=world.case, assessed_on=world.today, ratings={"economy": (2, "")})
    crisis_assessment_record(actor=actor, case=world.case, assessed_on=world.today, ratings={"mental_health": (3, "")})
    titles = [e.title for e in case_timeline(actor=actor, case=world.case) if e.kind == "crisis"]
    assert sorted(titles) == sorted(["위기도 조사: 중", "위기도 조사: 위기(상)"])
    partner = world.participant_worker.actor  # the consent lacks the sensitive-data item
    hidden = [e.title for e in case_timeline(actor=partner, case=world.case) if e.kind == "crisis"]
    assert hidden == ["위기도 조사: 중"]  # the mental-health one is sensitive data
