import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hamkke.cases.services import case_change_stage
from hamkke.records.models import ContactRecord, ServiceRecord
from hamkke.timeline.selectors import PAGE_SIZE, case_timeline

pytestmark = pytest.mark.django_db


def add_history(world, contacts: int, services: int, start: datetime.date):
    case = world.case
    ContactRecord.objects.bulk_create(
        [
            ContactRecord(
                district=world.district_a,
                case=case,
                contacted_at=timezone.make_aware(
                    datetime.datetime.combine(start + datetime.timedelta(days=i), datetime.time(10))
                ),
                kind="home_visit",
                outcome="refused" if i % 3 else "met",
                note=f"방문 {i}",
                agency=world.lead_agency,
                recorded_by=world.lead_worker.user,
            )
            for i in range(contacts)
        ]
    )
    ServiceRecord.objects.bulk_create(
        [
            ServiceRecord(
                district=world.district_a,
                case=case,
                provided_on=start + datetime.timedelta(days=i),
                domain="housing",
                mode="linked",
                provider_agency=world.participating_agency,
                description=f"청소 지원 {i}",
                recorded_by=world.participant_worker.user,
            )
            for i in range(services)
        ]
    )


def test_timeline_merges_all_kinds_newest_first(world):
    case_change_stage(actor=world.lead_worker.actor, case=world.case, to_stage="refused", reason="문을 열지 않음")
    add_history(world, 3, 2, world.case.opened_on)
    events = case_timeline(actor=world.lead_worker.actor, case=world.case)
    kinds = {e.kind for e in events}
    assert {"stage", "team", "consent", "contact", "service"} <= kinds
    assert [e.at for e in events] == sorted((e.at for e in events), reverse=True)


def test_timeline_filters_by_agency_kind_and_year(world):
    add_history(world, 4, 3, world.case.opened_on)
    only_services = case_timeline(actor=world.lead_worker.actor, case=world.case, kinds={"service"})
    assert len(only_services) == 3 and {e.kind for e in only_services} == {"service"}
    partner = case_timeline(actor=world.lead_worker.actor, case=world.case, agency_id=world.participating_agency.pk)
    assert {e.kind for e in partner} <= {
        "service",
        "team",
        "referral",
        "conference",
        "approval",
        "emergency",
        "contact",
    }
    assert all(e.agency_id == world.participating_agency.pk for e in partner if e.kind == "service")
    assert not any(e.kind == "contact" for e in partner)
    assert case_timeline(actor=world.lead_worker.actor, case=world.case, year=world.case.opened_on.year - 1) == []


def test_timeline_query_count_does_not_grow_with_the_case(client, world, django_assert_max_num_queries):
    world.lead_worker.login(client)
    url = reverse("timeline:case", args=[world.case.uuid])
    add_history(world, 10, 10, world.case.opened_on)
    # One query per source of events (19: a referral's answer, a consent's withdrawal... are sources
    # of their own) plus the page's own.
    with django_assert_max_num_queries(35) as small:
        assert client.get(url).status_code == 200
    add_history(world, 1000, 1000, world.case.opened_on - datetime.timedelta(days=1500))
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["rows"].__len__() == PAGE_SIZE and response.context["page"].older
    assert 'rel="next"' in response.content.decode()


@pytest.mark.parametrize("who", ["unrelated_worker", "auditor", "b_worker"])
def test_timeline_closed_to_outsiders(client, world, who):
    getattr(world, who).login(client)
    assert client.get(reverse("timeline:case", args=[world.case.uuid])).status_code == 404


def test_timeline_bad_filters_do_not_break(client, world):
    world.lead_worker.login(client)
    url = reverse("timeline:case", args=[world.case.uuid])
    response = client.get(url, {"year": "abc", "agency": "999999", "kind": "nonsense", "page": "-3"})
    assert response.status_code == 200


def test_referral_answer_and_completion_are_separate_events(world):
    from hamkke.referrals.models import Referral

    now = timezone.now()
    Referral.objects.create(
        district=world.district_a,
        case=world.case,
        from_agency=world.lead_agency,
        from_worker=world.lead_worker.user,
        to_agency=world.participating_agency,
        reason="주거 환경 개선",
        status="completed",
        sent_at=now - datetime.timedelta(days=5),
        responded_at=now - datetime.timedelta(days=4),
        completed_at=now - datetime.timedelta(days=1),
        completion_note="대청소 완료",
    )
    titles = [e.title for e in case_timeline(actor=world.lead_worker.actor, case=world.case, kinds={"referral"})]
    assert titles[0].startswith("의뢰 완료") and titles[1].startswith("수락") and titles[2].startswith("의뢰:")
