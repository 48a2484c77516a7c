"""Issue 13 item 5: a case goes on a conference's table from the case itself — an upcoming conference
the worker's agency organises or attends, or a new one started from the case."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from hamkke.audit.models import AccessLog, Action
from hamkke.conferences.models import Conference, ConferenceCase
from hamkke.conferences.selectors import conferences_of_case, conferences_to_bring_case
from hamkke.conferences.services import conference_cancel, conference_schedule
from hamkke.testing.factories import CaseFactory

from .conftest import at, schedule

pytestmark = pytest.mark.django_db


def tab(case) -> str:
    return reverse("conferences:case", args=[case.uuid])


def bring(case) -> str:
    return reverse("conferences:case_bring", args=[case.uuid])


# --- the rules (services and selectors) ---------------------------------------------------------


def test_upcoming_conferences_offered_are_those_of_the_workers_agency(world):
    hosted = schedule(world, days=3, title="주최 회의")
    attended = schedule(world, member=world.unrelated_worker, agencies=[world.participating_agency], days=5)
    elsewhere = schedule(world, member=world.unrelated_worker, agencies=[], days=4, title="다른 기관 회의")
    past = schedule(world, days=-2, title="지난 회의")
    workshop = schedule(world, days=6, kind=Conference.Kind.WORKSHOP, title="워크숍")
    cancelled = schedule(world, days=7, title="취소된 회의")
    conference_cancel(actor=world.lead_worker.actor, conference=cancelled)

    offered = conferences_to_bring_case(actor=world.lead_worker.actor, case=world.case)
    assert offered == [hosted]
    assert conferences_to_bring_case(actor=world.participant_worker.actor, case=world.case) == [hosted, attended]
    for hidden in (elsewhere, past, workshop, cancelled):
        assert hidden not in offered
    # Roles that bring no cases (the agency admin, the district admin) are offered nothing.
    assert conferences_to_bring_case(actor=world.lead_admin.actor, case=world.case) == []
    assert conferences_to_bring_case(actor=world.district_admin.actor, case=world.case) == []


def test_a_new_conference_started_from_the_case_has_it_on_the_table(world):
    conference = schedule(world, days=3, case=world.case)
    assert list(conference.discussed.values_list("case_id", flat=True)) == [world.case.pk]
    assert AccessLog.objects.filter(action=Action.CREATE, case_id=world.case.pk, object_type="conference").exists()
    assert conferences_to_bring_case(actor=world.lead_worker.actor, case=world.case) == []  # already there
    [row] = conferences_of_case(actor=world.lead_worker.actor, case=world.case)
    assert row.conference == conference and row.may_open


def test_a_new_conference_needs_a_case_the_actor_may_read(world):
    with pytest.raises(PermissionDenied):  # the unrelated agency cannot read the lead agency's case
        schedule(world, member=world.unrelated_worker, agencies=[], case=world.case)
    with pytest.raises(PermissionDenied):  # another district's case
        schedule(world, case=CaseFactory(household__dong=world.dong_b, lead_agency=world.agency_b))
    with pytest.raises(ValidationError) as error:  # a workshop discusses no case
        schedule(world, kind=Conference.Kind.WORKSHOP, case=world.case)
    assert "kind" in error.value.error_dict
    assert not Conference.objects.exists() and not ConferenceCase.objects.exists()


def test_a_participating_agency_loses_the_case_with_the_consent(world):
    from hamkke.consents.services import consent_withdraw

    consent_withdraw(actor=world.lead_worker.actor, consent=world.consent)
    with pytest.raises(PermissionDenied):
        conference_schedule(
            actor=world.participant_worker.actor,
            kind=Conference.Kind.CASE_CONFERENCE,
            title="복지관 사례회의",
            scheduled_at=at(world, 3),
            agencies=[],
            case=world.case,
        )
    assert not Conference.objects.exists()


def test_the_case_tab_shows_where_it_was_discussed_and_opens_only_visible_meetings(world):
    mine = schedule(world, days=-3, case=world.case)
    theirs = schedule(world, member=world.participant_worker, agencies=[], days=-1, case=world.case)
    rows = conferences_of_case(actor=world.lead_worker.actor, case=world.case)
    assert [(r.conference, r.may_open) for r in rows] == [(theirs, False), (mine, True)]


# --- over HTTP ------------------------------------------------------------------------------------


def test_case_tab_lists_upcoming_conferences_and_brings_the_case(client, world):
    conference = schedule(world, days=3, title="12월 통합사례회의")
    world.lead_worker.login(client)
    html = client.get(tab(world.case)).content.decode()
    assert "12월 통합사례회의" in html and f'value="{conference.uuid}"' in html
    assert f"{reverse('conferences:new')}?case={world.case.uuid}" in html
    assert AccessLog.objects.filter(action=Action.VIEW, case_id=world.case.pk, detail="conferences tab").exists()

    response = client.post(bring(world.case), {"conference": str(conference.uuid)})
    assert response.status_code == 302
    assert response.url == f"{reverse('conferences:detail', args=[conference.uuid])}#case-{world.case.reference}"
    assert ConferenceCase.objects.filter(conference=conference, case=world.case).exists()
    html = client.get(tab(world.case)).content.decode()
    assert f'value="{conference.uuid}"' not in html and "12월 통합사례회의" in html  # now among the discussed


@pytest.mark.parametrize("value", ["", "not-a-uuid", "00000000-0000-0000-0000-000000000000", "other"])
def test_bringing_to_a_conference_not_offered_is_refused_with_a_message(client, world, value):
    other = schedule(world, member=world.unrelated_worker, agencies=[], days=3)
    world.lead_worker.login(client)
    response = client.post(bring(world.case), {"conference": str(other.uuid) if value == "other" else value})
    assert response.status_code == 400 and "사례를 올릴 회의를 목록에서 고르세요." in response.content.decode()
    assert not ConferenceCase.objects.exists()


def test_bringing_is_for_case_workers_who_may_read_the_case(client, world):
    conference = schedule(world, days=3)
    world.lead_admin.login(client)
    assert client.get(tab(world.case)).status_code == 200
    assert client.post(bring(world.case), {"conference": str(conference.uuid)}).status_code == 403
    world.unrelated_worker.login(client)
    assert client.get(tab(world.case)).status_code == 404
    assert client.post(bring(world.case), {"conference": str(conference.uuid)}).status_code == 404
    assert not ConferenceCase.objects.exists()


def test_new_conference_from_the_case_over_http(client, world):
    world.lead_worker.login(client)
    url = f"{reverse('conferences:new')}?case={world.case.uuid}"
    html = client.get(url).content.decode()
    assert 'id="new-conference-case"' in html and world.case.reference in html
    assert 'value="workshop"' not in html  # a case goes to a case conference
    response = client.post(
        reverse("conferences:new"),
        {
            "case": str(world.case.uuid),
            "kind": "case_conference",
            "title": "긴급 사례회의",
            "scheduled_at": at(world, 2).strftime("%Y-%m-%dT%H:%M"),
            "agencies": [world.participating_agency.uuid],
            "attendees": [world.participant_worker.user.pk],
        },
    )
    conference = Conference.objects.get()
    assert response.status_code == 302
    assert list(conference.discussed.values_list("case_id", flat=True)) == [world.case.pk]


def test_new_conference_for_a_case_out_of_scope_is_404(client, world):
    world.unrelated_worker.login(client)
    for value in (str(world.case.uuid), "not-a-uuid"):
        assert client.get(reverse("conferences:new"), {"case": value}).status_code == 404
    data = {
        "case": str(world.case.uuid),
        "kind": "case_conference",
        "title": "회의",
        "scheduled_at": "2026-03-10T14:00",
    }
    assert client.post(reverse("conferences:new"), data).status_code == 404
    assert not Conference.objects.exists()
