"""Conference and task pages over HTTP: scoping, hidden case content, forms that never 500."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hamkke.audit.models import AccessLog, Action
from hamkke.conferences.models import Conference, ConferenceCase, Task
from hamkke.conferences.services import conference_add_case, decision_to_task
from hamkke.testing.factories import CaseFactory, ConsentFactory, PersonFactory

from .conftest import DISCUSSION, schedule

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def detail(conference) -> str:
    return reverse("conferences:detail", args=[conference.uuid])


def make_task(world, conference, **kwargs) -> Task:
    kwargs = {
        "decision": "정서 지원 방문",
        "assignee": world.participant_worker.user,
        "due_on": world.today + days(7),
    } | kwargs
    return decision_to_task(actor=world.lead_worker.actor, conference=conference, **kwargs)


# --- list and schedule ------------------------------------------------------------------------


def test_list_shows_upcoming_and_past_of_my_agency_and_filters_by_kind(client, world, conference):
    upcoming = schedule(world, days=3, title="다음 주 사례회의")
    workshop = schedule(
        world,
        member=world.district_admin,
        kind=Conference.Kind.WORKSHOP,
        title="함께라면 괜찮아",
        agencies=[world.lead_agency, world.participating_agency, world.unrelated_agency],
        days=5,
    )
    hidden = schedule(world, member=world.unrelated_worker, agencies=[], title="정신건강센터 내부 회의")
    world.participant_worker.login(client)
    page = client.get(reverse("conferences:list")).content.decode()
    assert conference.title in page and upcoming.title in page and workshop.title in page
    assert hidden.title not in page
    assert page.index("다음 주 사례회의") < page.index("함께라면 괜찮아") < page.index(conference.title)
    page = client.get(reverse("conferences:list"), {"kind": "workshop"}).content.decode()
    assert workshop.title in page and conference.title not in page
    assert client.get(reverse("conferences:list"), {"kind": "nonsense"}).status_code == 200


def test_district_admin_sees_every_conference_of_the_district(client, world):
    hidden = schedule(world, member=world.unrelated_worker, agencies=[], title="정신건강센터 내부 회의")
    world.district_admin.login(client)
    assert hidden.title in client.get(reverse("conferences:list")).content.decode()
    assert client.get(detail(hidden)).status_code == 200


def test_schedule_form_creates_a_conference(client, world):
    world.lead_worker.login(client)
    page = client.get(reverse("conferences:new")).content.decode()
    assert world.lead_worker.user.display_name in page and world.participant_worker.user.display_name not in page
    response = client.post(
        reverse("conferences:new"),
        {
            "kind": "case_conference",
            "title": "통합사례회의",
            "scheduled_at": "2026-03-10T14:00",
            "place": "구청",
            "agencies": [world.participating_agency.uuid],
            "attendees": [world.participant_worker.user.pk],
            "other_attendees": "당사자",
        },
    )
    conference = Conference.objects.get()
    assert response.status_code == 302 and response.url == detail(conference)
    assert set(conference.agencies.all()) == {world.lead_agency, world.participating_agency}
    assert list(conference.attendees.all()) == [world.participant_worker.user]


def test_attendees_are_chosen_by_agency_then_person(client, world):
    """The picker adds an agency; its workers appear under it as checkboxes, the host's always."""
    world.lead_worker.login(client)
    data = {"kind": "case_conference", "title": "회의", "agency_pick": str(world.participating_agency.uuid)}
    response = client.post(reverse("conferences:attendee_options"), data, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="attendance"' in html and "<html" not in html
    groups = re.findall(r'<fieldset class="attendee-group" data-agency="([^"]+)"', html)
    assert groups == [world.lead_agency.name, world.participating_agency.name]  # the host first
    assert f'name="agencies" value="{world.participating_agency.uuid}" checked' in html
    assert world.participant_worker.user.display_name in html and world.unrelated_worker.user.display_name not in html
    assert 'name="agency_pick" value=""' in html  # the picker is empty again for the next agency
    # Un-ticking the agency takes it and its workers away.
    html = client.post(reverse("conferences:attendee_options"), {"title": "회의"}).content.decode()
    assert world.participant_worker.user.display_name not in html
    # Without JavaScript: the refresh button redraws the whole form, keeps what was typed and saves nothing.
    data = {"kind": "case_conference", "title": "회의", "agencies": [world.participating_agency.uuid]}
    html = client.post(reverse("conferences:new"), data | {"refresh": "1"}).content.decode()
    assert world.participant_worker.user.display_name in html and 'value="회의"' in html
    assert "errorlist" not in html and not Conference.objects.exists()


def test_an_agency_just_picked_takes_part_with_its_ticked_workers(client, world):
    world.lead_worker.login(client)
    response = client.post(
        reverse("conferences:new"),
        {
            "kind": "case_conference",
            "title": "통합사례회의",
            "scheduled_at": "2026-03-10T14:00",
            "agency_pick": str(world.participating_agency.uuid),
            "attendees": [world.lead_worker.user.pk, world.participant_worker.user.pk],
        },
    )
    conference = Conference.objects.get()
    assert response.status_code == 302
    assert set(conference.agencies.all()) == {world.lead_agency, world.participating_agency}
    assert set(conference.attendees.all()) == {world.lead_worker.user, world.participant_worker.user}


def test_agency_picker_offers_the_districts_active_agencies(client, world):
    world.lead_worker.login(client)
    url = reverse("conferences:pick_agency")
    html = client.get(url, {"q": world.participating_agency.name[:3]}).content.decode()
    assert f'data-value="{world.participating_agency.uuid}"' in html
    html = client.get(url, {"q": world.agency_b.name}).content.decode()
    assert str(world.agency_b.uuid) not in html
    world.lead_admin.login(client)
    assert client.get(url, {"q": "복지"}).status_code == 403


@pytest.mark.parametrize(
    "bad",
    [
        {"scheduled_at": "2026-02-30T14:00"},  # no such day
        {"scheduled_at": "0001-01-01T00:00"},  # a typo year
        {"scheduled_at": ""},
        {"kind": "party"},
        {"agencies": ["not-a-uuid"]},
        {"agencies": ["00000000-0000-0000-0000-000000000000"]},
        {"attendees": ["abc"]},
    ],
)
def test_schedule_bad_input_is_a_form_error(client, world, bad):
    world.lead_worker.login(client)
    data = {"kind": "case_conference", "title": "통합사례회의", "scheduled_at": "2026-03-10T14:00"} | bad
    response = client.post(reverse("conferences:new"), data)
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not Conference.objects.exists()


def test_schedule_refuses_other_district_agencies_and_foreign_attendees(client, world):
    world.lead_worker.login(client)
    base = {"kind": "case_conference", "title": "통합사례회의", "scheduled_at": "2026-03-10T14:00"}
    html = client.post(reverse("conferences:new"), base | {"agencies": [world.agency_b.uuid]}).content.decode()
    assert "고를 수 없는 기관" in html
    html = client.post(
        reverse("conferences:new"),
        base | {"agencies": [world.participating_agency.uuid], "attendees": [world.unrelated_worker.user.pk]},
    ).content.decode()
    assert "참여 기관 소속" in html and 'value="통합사례회의"' in html
    assert not Conference.objects.exists()


def test_schedule_form_for_roles_that_cannot_host(client, world):
    world.lead_admin.login(client)
    assert client.get(reverse("conferences:new")).status_code == 403
    world.district_admin.login(client)
    html = client.get(reverse("conferences:new")).content.decode()
    assert 'value="workshop"' in html and 'value="case_conference"' not in html


# --- detail: scoped case content --------------------------------------------------------------


def test_detail_shows_case_content_to_those_who_may_view_it_and_audits_it(client, world, conference):
    world.participant_worker.login(client)
    page = client.get(detail(conference)).content.decode()
    assert world.head.name in page and DISCUSSION in page
    log = AccessLog.objects.get(action=Action.VIEW, case_id=world.case.pk, user_id=world.participant_worker.user.pk)
    assert world.head.pk in log.person_ids and conference.reference in log.detail


def test_discussion_notes_hidden_from_members_without_case_access(client, world, conference):
    conference.agencies.add(world.unrelated_agency)
    make_task(world, conference, case=world.case, decision="복지관 정서 지원 방문 (홍 씨 댁)")
    make_task(world, conference, decision="다음 회의 일정 조율")
    world.unrelated_worker.login(client)
    page = client.get(detail(conference)).content.decode()
    assert world.head.name not in page and DISCUSSION not in page and "정서 지원 방문" not in page
    assert world.case.reference not in page
    assert "비공개 사례 (권한 없음)" in page and "다음 회의 일정 조율" in page
    assert not AccessLog.objects.filter(action=Action.VIEW, user_id=world.unrelated_worker.user.pk).exists()


def test_consent_withdrawal_hides_the_notes_at_once(client, world, conference):
    from hamkke.consents.services import consent_withdraw

    consent_withdraw(actor=world.lead_worker.actor, consent=world.consent)
    world.participant_worker.login(client)
    page = client.get(detail(conference)).content.decode()
    assert world.head.name not in page and DISCUSSION not in page


@pytest.mark.parametrize("who", ["unrelated_worker", "b_worker", "b_admin", "auditor", "nobody"])
def test_outsiders_get_404_everywhere(client, world, conference, who):
    task = make_task(world, conference)
    getattr(world, who).login(client)
    urls = [
        ("get", detail(conference)),
        ("post", reverse("conferences:record", args=[conference.uuid])),
        ("post", reverse("conferences:cancel", args=[conference.uuid])),
        ("get", reverse("conferences:case_add", args=[conference.uuid])),
        ("post", reverse("conferences:discussion", args=[conference.uuid, world.case.uuid])),
        ("post", reverse("conferences:decision_add", args=[conference.uuid])),
        ("post", reverse("conferences:task_complete", args=[task.uuid])),
        ("post", reverse("conferences:task_cancel", args=[task.uuid])),
    ]
    for method, url in urls:
        response = getattr(client, method)(url, {"note": "x", "minutes": "x"})
        assert response.status_code == 404, url
    assert AccessLog.objects.filter(action=Action.DENIED, object_id=str(conference.uuid)).exists()
    conference.refresh_from_db()
    task.refresh_from_db()
    assert conference.status == Conference.Status.SCHEDULED and task.status == Task.Status.OPEN


def test_unknown_ids_are_404(client, world):
    world.lead_worker.login(client)
    assert client.get("/conferences/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/conferences/12/").status_code == 404


# --- forms on the detail page -----------------------------------------------------------------


def test_add_case_offers_only_viewable_cases(client, world):
    conference = schedule(world, member=world.participant_worker, agencies=[world.lead_agency, world.unrelated_agency])
    own = CaseFactory(household__dong=world.dong_a, lead_agency=world.participating_agency)
    PersonFactory(household=own.household, name="복지관당사자")
    secret = CaseFactory(household__dong=world.dong_a, lead_agency=world.unrelated_agency)
    PersonFactory(household=secret.household, name="비밀당사자")
    world.participant_worker.login(client)
    url = reverse("conferences:case_add", args=[conference.uuid])
    page = client.get(url).content.decode()
    assert "복지관당사자" in page and world.head.name in page and "비밀당사자" not in page
    assert AccessLog.objects.filter(action=Action.LIST, user_id=world.participant_worker.user.pk).exists()
    assert client.get(url, headers={"HX-Request": "true"}).content.decode().startswith("<form")
    response = client.post(url, {"case": str(secret.uuid), "discussion": "x"})
    assert response.status_code == 200 and "고를 수 없는 사례" in response.content.decode()
    response = client.post(url, {"case": str(world.case.uuid), "discussion": DISCUSSION})
    assert response.status_code == 302
    assert ConferenceCase.objects.get(conference=conference).case == world.case


def test_add_case_is_for_case_conferences_and_case_workers(client, world):
    workshop = schedule(world, kind=Conference.Kind.WORKSHOP, title="워크숍")
    world.lead_worker.login(client)
    assert client.get(reverse("conferences:case_add", args=[workshop.uuid])).status_code == 403
    assert "사례 올리기" not in client.get(detail(workshop)).content.decode()


def test_record_minutes_over_http(client, world, conference):
    world.lead_worker.login(client)
    url = reverse("conferences:record", args=[conference.uuid])
    response = client.post(url, {"status": "held", "minutes": "", "person_attended": "on"})
    assert response.status_code == 200 and "회의록을 적어야" in response.content.decode()
    response = client.post(url, {"status": "held", "minutes": "역할 분담 합의", "person_attended": "on"})
    assert response.status_code == 302
    conference.refresh_from_db()
    assert conference.status == "held" and conference.person_attended and not conference.family_attended
    world.participant_worker.login(client)
    assert client.post(url, {"status": "held", "minutes": "x"}).status_code == 403
    assert "역할 분담 합의" in client.get(detail(conference)).content.decode()


def test_discussion_form_saves_notes(client, world, conference):
    world.participant_worker.login(client)
    url = reverse("conferences:discussion", args=[conference.uuid, world.case.uuid])
    assert client.post(url, {"discussion": "복지관 정서 지원 주 1회"}).status_code == 302
    assert conference.discussed.get().discussion == "복지관 정서 지원 주 1회"


def test_decision_form_creates_a_task_and_refuses_bad_dates(client, world, conference):
    world.lead_worker.login(client)
    url = reverse("conferences:decision_add", args=[conference.uuid])
    data = {
        "decision": "복지관 정서 지원 방문",
        "assignee": world.participant_worker.user.pk,
        "case": str(world.case.uuid),
    }
    before = (world.today - days(5)).isoformat()
    for bad in (
        {"due_on": before},
        {"due_on": "2026-02-30"},
        {"due_on": ""},
        {"assignee": "x"},
        {"assignee": world.unrelated_worker.user.pk},
        {"case": "00000000-0000-0000-0000-000000000000"},
    ):
        response = client.post(url, data | {"due_on": (world.today + days(7)).isoformat()} | bad)
        html = response.content.decode()
        assert response.status_code == 200 and "errorlist" in html, bad
        assert "복지관 정서 지원 방문" in html  # what was typed is kept
    assert not Task.objects.exists()
    response = client.post(url, data | {"due_on": (world.today + days(7)).isoformat()})
    assert response.status_code == 302
    task = Task.objects.get()
    assert task.assignee == world.participant_worker.user and task.case == world.case
    assert task.agency == world.participating_agency


# --- my tasks ---------------------------------------------------------------------------------


def test_my_tasks_across_conferences_open_first_overdue_highlighted(client, world, conference):
    late = make_task(world, conference, decision="긴급 방문", due_on=world.today - days(1))
    second = schedule(world, member=world.participant_worker, agencies=[world.lead_agency], title="복지관 회의", days=0)
    later = decision_to_task(
        actor=world.participant_worker.actor,
        conference=second,
        decision="자원봉사 섭외",
        assignee=world.participant_worker.user,
        due_on=world.today + days(3),
    )
    done = make_task(world, conference, decision="끝난 일")
    Task.objects.filter(pk=done.pk).update(status=Task.Status.DONE)
    make_task(world, conference, decision="남의 일", assignee=world.lead_worker.user)
    world.participant_worker.login(client)
    page = client.get(reverse("conferences:tasks")).content.decode()
    assert page.index("긴급 방문") < page.index("자원봉사 섭외") < page.index("끝난 일")
    assert "남의 일" not in page and "기한 초과" in page
    assert late.conference.title in page and later.conference.title in page


def test_only_the_assignee_completes_over_http(client, world, conference):
    task = make_task(world, conference)
    url = reverse("conferences:task_complete", args=[task.uuid])
    world.lead_worker.login(client)
    assert client.post(url, {"note": "대신 완료"}).status_code == 403
    world.participant_worker.login(client)
    response = client.post(url, {"note": ""})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    response = client.post(url, {"note": "첫 방문 완료"})
    assert response.status_code == 302 and response.url == reverse("conferences:tasks")
    task.refresh_from_db()
    assert task.status == Task.Status.DONE
    assert client.post(url, {"note": "또"}).status_code == 200  # already done: a message on the form, not a 500


def test_complete_from_the_conference_page_returns_there(client, world, conference):
    task = make_task(world, conference)
    world.participant_worker.login(client)
    url = reverse("conferences:task_complete", args=[task.uuid])
    response = client.post(url, {"note": "", "back": "conference"})
    assert response.status_code == 200 and DISCUSSION in response.content.decode()
    response = client.post(url, {"note": "완료", "back": "conference"})
    assert response.status_code == 302 and response.url.startswith(detail(conference))


def test_task_cancel_over_http(client, world, conference):
    task = make_task(world, conference)
    world.participant_worker.login(client)
    assert client.post(reverse("conferences:task_cancel", args=[task.uuid])).status_code == 403
    world.lead_worker.login(client)
    assert client.post(reverse("conferences:task_cancel", args=[task.uuid]), {"reason": "불필요"}).status_code == 302
    task.refresh_from_db()
    assert task.status == Task.Status.CANCELLED


def _tasks_with_cases(world, n: int) -> None:
    for i in range(n):
        case = CaseFactory(
            household__dong=world.dong_a, lead_agency=world.lead_agency, lead_worker=world.lead_worker.user
        )
        PersonFactory(household=case.household, name=f"당사자{i}")
        ConsentFactory(case=case, third_party_agencies=[world.participating_agency])
        case.participants.create(district=world.district_a, agency=world.participating_agency, joined_on=world.today)
        conference = schedule(world, title=f"회의 {i}", days=-i)
        conference_add_case(actor=world.lead_worker.actor, conference=conference, case=case)
        make_task(world, conference, case=case, decision=f"과제 {i}")
        make_task(world, conference, decision=f"일반 과제 {i}", due_on=world.today - days(i))


def test_task_list_query_count_is_constant(client, world):
    world.participant_worker.login(client)
    _tasks_with_cases(world, 2)
    client.get(reverse("conferences:tasks"))  # warm the session and the actor
    with CaptureQueriesContext(connection) as small:
        page = client.get(reverse("conferences:tasks")).content.decode()
    assert "당사자1" in page and "과제 1" in page
    _tasks_with_cases(world, 6)
    with CaptureQueriesContext(connection) as large:
        page = client.get(reverse("conferences:tasks")).content.decode()
    assert "당사자5" in page
    assert len(large) == len(small)


def test_conference_detail_query_count_is_constant(client, world, conference):
    world.lead_worker.login(client)
    with CaptureQueriesContext(connection) as small:
        client.get(detail(conference))
    for i in range(5):
        make_task(world, conference, decision=f"과제 {i}")
    with CaptureQueriesContext(connection) as large:
        client.get(detail(conference))
    assert len(large) == len(small)
