"""Health data is hidden from participating agencies unless the consent covers sensitive data."""

import pytest
from django.urls import reverse
from django.utils import timezone

from hamkke.access.sensitive import may_see_sensitive
from hamkke.assessment.models import Need
from hamkke.records.models import ContactRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def health_records(world):
    Need.objects.create(
        district=world.district_a,
        case=world.case,
        domain="mental_health",
        expressed_text="잠을 못 자요 우울해요",
        recorded_by=world.lead_worker.user,
    )
    Need.objects.create(
        district=world.district_a,
        case=world.case,
        domain="housing",
        expressed_text="곰팡이 없는 방",
        recorded_by=world.lead_worker.user,
    )
    ContactRecord.objects.create(
        district=world.district_a,
        case=world.case,
        contacted_at=timezone.now(),
        kind="phone",
        outcome="met",
        note="약 복용 상담",
        sensitive=True,
        agency=world.lead_agency,
        recorded_by=world.lead_worker.user,
    )


def pages(client, world):
    return "".join(
        client.get(reverse(name, args=[world.case.uuid])).content.decode()
        for name in ("assessment:case", "records:case", "timeline:case")
    )


def test_participant_without_sensitive_consent_sees_no_health_data(client, world, health_records):
    assert not world.consent.sensitive_data
    assert not may_see_sensitive(world.participant_worker.actor, world.case)
    world.participant_worker.login(client)
    text = pages(client, world)
    assert "곰팡이 없는 방" in text
    assert "우울해요" not in text and "약 복용 상담" not in text
    assert "민감정보(건강·정신건강)는" in text


def test_participant_with_sensitive_consent_and_the_lead_see_it(client, world, health_records):
    world.consent.sensitive_data = True
    world.consent.save()
    for member in (world.participant_worker, world.lead_worker, world.district_admin):
        assert may_see_sensitive(member.actor, world.case)
        member.login(client)
        text = pages(client, world)
        assert "우울해요" in text and "약 복용 상담" in text


def test_outsiders_never(world):
    assert not may_see_sensitive(world.unrelated_worker.actor, world.case)
    assert not may_see_sensitive(world.b_worker.actor, world.case)


@pytest.mark.parametrize("sensitive_consent", [False, True])
def test_narrowed_to_the_case_the_rule_reads_the_same_rows(world, health_records, sensitive_consent):
    """``visible_rows(..., case=)`` (the case tabs, issue 15 item 5) asks about that case only: same rows."""
    from hamkke.access.sensitive import visible_rows

    world.consent.sensitive_data = sensitive_consent
    world.consent.save()
    for member in (world.participant_worker, world.lead_worker, world.unrelated_worker, world.b_worker):
        for model in (Need, ContactRecord):
            rows = model.objects.filter(case=world.case)
            whole = set(visible_rows(rows, actor=member.actor).values_list("pk", flat=True))
            narrowed = set(visible_rows(rows, actor=member.actor, case=world.case).values_list("pk", flat=True))
            assert narrowed == whole
    seen = visible_rows(Need.objects.filter(case=world.case), actor=world.participant_worker.actor, case=world.case)
    assert seen.filter(domain="mental_health").exists() is sensitive_consent
