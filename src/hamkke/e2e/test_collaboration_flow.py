"""Issue 4 in a real browser: a referral from the district office to the housing centre, then a case
conference with three agencies whose decision becomes a task for the housing centre.

The district office is ``world.lead_agency`` (lead of ``world.case``), the welfare centre is
``world.participating_agency``; the housing centre and its worker are added here, with a consent of
the person that names the housing centre (sharing with another agency needs it).
"""

import datetime
import re

import pytest
from django.utils import timezone

from hamkke.accounts.actor import actor_for
from hamkke.accounts.models import Role
from hamkke.conferences.models import Conference, ConferenceCase, Task
from hamkke.conferences.services import conference_schedule
from hamkke.consents.services import consent_record
from hamkke.districts.models import Agency
from hamkke.referrals.models import Referral
from hamkke.testing.factories import AgencyFactory, Member, MembershipFactory, UserFactory

from .conftest import PHONE, assert_fits, case_tab, label, menu, screenshot

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e

HOUSING = "중구주거안심종합센터"
HOUSING_WORKER = "한주거"
TITLE = "11월 통합사례회의 (주거·정서 지원)"
DECISION = "임대주택 입주 신청 서류를 당사자와 함께 준비"


def _housing_centre(world) -> Member:
    """The housing centre of district A with one case worker, and a consent that names it."""
    agency = AgencyFactory(
        district=world.district_a,
        name=HOUSING,
        kind=Agency.Kind.HOUSING_CENTRE,
        sector=Agency.Sector.PUBLIC,
        dong=world.dongs_a[2],
    )
    user = UserFactory(username="housing_worker", display_name=HOUSING_WORKER)
    membership = MembershipFactory(user=user, agency=agency, role=Role.WORKER)
    consent_record(
        actor=world.lead_worker.actor,
        case=world.case,
        person=world.head,
        given_on=world.today,
        expires_on=world.today + datetime.timedelta(days=365),
        required_collection=True,
        third_party_agencies=[world.participating_agency, agency],
    )
    return Member(key="housing_worker", user=user, membership=membership, actor=actor_for(user))


def _agency_group(page, agency: str):
    """The schedule form's box of one taking-part agency, with its workers' checkboxes."""
    return page.locator(f'fieldset.attendee-group[data-agency="{agency}"]')


def _pick_agency(page, agency: str):
    """Add an agency with the searchable picker (two syllables narrow it); htmx draws its workers."""
    picker = page.get_by_role("combobox", name=re.compile("참여 기관 추가"))
    picker.press_sequentially(agency[:4])
    page.get_by_role("option", name=agency, exact=True).click()
    group = _agency_group(page, agency)
    expect(group).to_be_visible()
    return group


def _message(page, text: str) -> None:
    expect(page.locator("ul.messages")).to_contain_text(text)


def test_referral_to_the_housing_centre_and_a_three_agency_conference(browse_as, world):
    housing_worker = _housing_centre(world)
    case_path = f"/cases/{world.case.uuid}/"
    case_label = f"{world.case.household} · {world.case.reference}"
    district = browse_as(world.lead_worker)
    housing = browse_as(housing_worker)

    # The housing centre cannot open the case before a referral is accepted.
    assert housing.goto(case_path).status == 404

    # 의뢰: the district office refers the case from its 의뢰 tab.
    district.goto(case_path)
    case_tab(district, "의뢰").click()
    send = district.locator("#referral-send")
    send.get_by_label(label("의뢰할 기관")).select_option(label=HOUSING)
    send.get_by_label(label("의뢰 사유")).fill("반지하 침수 위험. 주거 상향 이동(임대주택) 상담이 필요합니다.")
    send.get_by_role("button", name="의뢰 보내기").click()
    _message(district, f"‘{HOUSING}’에 의뢰했습니다.")
    expect(district.locator("#referral-list")).to_contain_text("의뢰됨(응답 대기)")

    # The housing centre sees it in its 의뢰 inbox (the minimum: dong, head, reason), still not the case.
    menu(housing, "의뢰").click()
    waiting = housing.locator("#referrals-waiting tbody tr")
    expect(waiting).to_have_count(1)
    expect(waiting).to_contain_text(world.lead_agency.name)
    expect(waiting).to_contain_text("반지하 침수 위험")
    screenshot(housing, "collaboration-1-referral-inbox")
    waiting.get_by_role("link", name="보기").click()
    expect(housing.get_by_role("link", name="사례 열기")).to_have_count(0)
    assert housing.request.get(case_path).status == 404
    housing.get_by_label(label("수락 메모")).fill("이번 주 안에 가정 방문하겠습니다.")
    housing.get_by_role("button", name="수락(사례 팀 참여)").click()
    _message(housing, "의뢰를 수락했습니다. 사례 팀에 참여했습니다.")
    housing.get_by_role("link", name="사례 열기").click()
    expect(housing.locator("#case-stage")).to_be_visible()
    expect(housing.get_by_role("heading", name=re.compile(world.head.name))).to_be_visible()
    expect(housing.locator("#case-team")).to_contain_text(HOUSING)
    referral = Referral.objects.get(case=world.case)
    assert (referral.status, referral.responded_by_id) == (Referral.Status.ACCEPTED, housing_worker.user.pk)

    # 사례회의: the district office hosts the three agencies, with a worker of each.
    menu(district, "사례회의").click()
    district.get_by_role("link", name="회의 등록").click()
    district.get_by_label(label("구분")).select_option(label="사례회의")
    district.get_by_label(label("회의명")).fill(TITLE)
    now = timezone.localtime().replace(second=0, microsecond=0)
    district.get_by_label(label("일시")).fill(now.strftime("%Y-%m-%dT%H:%M"))
    district.get_by_label(label("장소")).fill("중구청 3층 회의실")
    # Attendees by agency, then person: the picker adds an agency, its workers appear under it.
    for agency, worker in (
        (world.participating_agency.name, world.participant_worker.user.display_name),
        (HOUSING, HOUSING_WORKER),
    ):
        _pick_agency(district, agency).get_by_label(worker, exact=True).check()
    _agency_group(district, world.lead_agency.name).get_by_label(world.lead_worker.user.display_name).check()
    district.get_by_label(label("기타 참석자")).fill("당사자 홍길순")
    district.get_by_role("button", name="등록", exact=True).click()
    _message(district, "회의를 등록했습니다.")
    expect(district.locator("#agencies li")).to_have_text(
        [re.compile(name) for name in sorted([world.lead_agency.name, world.participating_agency.name, HOUSING])]
    )
    expect(district.locator("#attendees li")).to_have_count(3)

    district.get_by_role("link", name="사례 올리기").click()  # htmx loads the form into the page
    add = district.locator("#case-add-form")
    add.get_by_label(label("사례")).select_option(label=case_label)
    add.get_by_label(label("논의 내용")).fill("주거 이동 가능성과 정서 지원을 함께 논의")
    add.get_by_role("button", name="논의 사례 추가").click()
    _message(district, "논의 사례를 추가했습니다.")
    expect(district.locator("#cases")).to_contain_text(str(world.case.household))

    minutes = district.locator("#minutes")
    minutes.get_by_label(label("상태")).select_option(label="개최")
    minutes.get_by_label(label("회의록")).fill("주거안심종합센터: 임대주택 신청 지원. 복지관: 주 1회 정서 지원 방문.")
    minutes.get_by_label(label("당사자 참석")).check()
    minutes.get_by_role("button", name="회의록 저장").click()
    _message(district, "회의록을 저장했습니다.")

    due = world.today + datetime.timedelta(days=14)
    decision = district.locator("#decision-form")
    decision.get_by_label(label("결정 사항")).fill(DECISION)
    decision.get_by_label(label("담당자")).select_option(label=HOUSING_WORKER)
    decision.get_by_label(label("기한")).fill(due.isoformat())
    decision.get_by_label(label("관련 사례")).select_option(label=case_label)
    decision.get_by_role("button", name="과제 등록").click()
    _message(district, "결정 사항을 과제로 등록했습니다.")
    expect(district.locator("#tasks tbody tr").filter(has_text=DECISION)).to_contain_text(HOUSING_WORKER)
    screenshot(district, "collaboration-2-conference")

    # The welfare centre's worker sees the meeting among its conferences too.
    welfare = browse_as(world.participant_worker)
    menu(welfare, "사례회의").click()
    expect(welfare.get_by_role("link", name=TITLE)).to_be_visible()

    # 내 과제: the housing-centre worker completes the task.
    menu(housing, "내 과제").click()
    task_row = housing.locator("#open-tasks tbody tr").filter(has_text=DECISION)
    expect(task_row).to_contain_text(due.isoformat())
    expect(task_row).to_contain_text(TITLE)
    task_row.get_by_label(label("완료 내용")).fill("입주 신청서 작성과 서류 발급을 함께 마침")
    task_row.get_by_role("button", name="완료").click()
    _message(housing, "과제를 완료했습니다.")
    expect(housing.locator("#closed-tasks")).to_contain_text(DECISION)
    assert Task.objects.get(decision=DECISION).status == Task.Status.DONE

    # 타임라인: the referral, its acceptance and the conference, across the agencies.
    housing.goto(case_path)
    case_tab(housing, "타임라인").click()
    timeline = housing.locator("#timeline")
    expect(timeline).to_contain_text(f"의뢰: {world.lead_agency.name} → {HOUSING}")
    expect(timeline).to_contain_text(f"수락: {HOUSING}")
    expect(timeline).to_contain_text(TITLE)
    expect(timeline).to_contain_text(f"회의 결정: {HOUSING_WORKER}")
    screenshot(housing, "collaboration-3-timeline")


def test_a_case_goes_on_a_conference_from_the_case_on_a_phone(device, world):
    """Issue 13 item 5 at 390 px: from the case's 사례회의 tab the worker puts the case on an upcoming
    conference of the agency, then starts a new one from the case, attendees picked by agency then person."""
    soon = timezone.localtime() + datetime.timedelta(days=3)
    upcoming = conference_schedule(
        actor=world.lead_worker.actor,
        kind=Conference.Kind.CASE_CONFERENCE,
        title="12월 정례 사례회의",
        scheduled_at=soon,
        agencies=[world.participating_agency],
    )
    phone = device(world.lead_worker, PHONE)
    phone.goto(f"/cases/{world.case.uuid}/")
    case_tab(phone, "사례회의").click()
    bring = phone.locator("#bring-to-conference")
    expect(bring).to_contain_text("12월 정례 사례회의")
    assert_fits(phone, "case conference tab")
    bring.get_by_role("button", name="‘12월 정례 사례회의’에 올리기").click()
    _message(phone, "‘12월 정례 사례회의’ 회의에 사례를 올렸습니다.")
    expect(phone.locator("#cases")).to_contain_text(str(world.case.household))
    assert ConferenceCase.objects.filter(conference=upcoming, case=world.case).exists()

    # A new conference from the case: the case is named on the form and goes on its table.
    phone.goto(f"/cases/{world.case.uuid}/")
    case_tab(phone, "사례회의").click()
    expect(phone.locator("#case-conferences")).to_contain_text("12월 정례 사례회의")
    phone.get_by_role("link", name="새 사례회의 열기").click()
    expect(phone.locator("#new-conference-case")).to_contain_text(world.case.reference)
    phone.get_by_label(label("회의명")).fill("긴급 사례회의 (주거)")
    phone.get_by_label(label("일시")).fill(soon.strftime("%Y-%m-%dT%H:%M"))
    group = _pick_agency(phone, world.participating_agency.name)
    group.get_by_label(world.participant_worker.user.display_name, exact=True).check()
    _agency_group(phone, world.lead_agency.name).get_by_label(world.lead_worker.user.display_name).check()
    assert_fits(phone, "schedule form with attendees by agency")
    screenshot(phone, "collaboration-4-attendees-by-agency-phone")
    phone.get_by_role("button", name="등록", exact=True).click()
    _message(phone, "회의를 등록했습니다.")
    expect(phone.locator("#attendees li")).to_have_count(2)
    expect(phone.locator("#cases")).to_contain_text(str(world.case.household))
    assert_fits(phone, "new conference")
    created = Conference.objects.get(title="긴급 사례회의 (주거)")
    assert set(created.agencies.all()) == {world.lead_agency, world.participating_agency}
    assert set(created.attendees.all()) == {world.lead_worker.user, world.participant_worker.user}
    assert list(created.discussed.values_list("case_id", flat=True)) == [world.case.pk]
