"""Issue 13 in a real browser: a closed door, work typed a week late, and the identity found later.

The worker registers "성명 미상" at a door that does not open (address, apparent age, what the
neighbour said), opened on the first visit two weeks ago; a week late she types the refusal and
three refused visits, each dated when it happened; the timeline marks them as entered late. When
the person is finally named, the duplicate check fires (the name and birth date are known in the
district) and she confirms it is someone else; the refusal list counts three attempts since the
refusal's own date, not since the day it was typed.
"""

import datetime
import re

import pytest
from django.utils import timezone

from hamkke.cases.models import Case
from hamkke.people.models import Person

from .conftest import case_tab, label, menu, screenshot

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e

SEEN = "초인종에 응답 없음. 우편물이 쌓여 있고 밤에 불이 켜짐. 60대 여성으로 보인다고 옆집 주민이 알림."


def _when(days_ago: int, hour: int) -> str:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return f"{day.isoformat()}T{hour:02d}:00"


def test_an_unknown_person_refusing_at_the_door_typed_a_week_late(browse_as, world):
    today = timezone.localdate()
    worker = browse_as(world.lead_worker)

    # 발굴·등록 of "성명 미상": the case opens on the first contact, two weeks ago.
    menu(worker, "가구 발굴·등록").click()
    worker.get_by_label(label("발굴 경로")).select_option(label="이웃 제보")
    worker.get_by_label(label("발굴 경로 메모")).fill("옆집 주민")
    worker.get_by_label(label("첫 접촉일")).fill((today - datetime.timedelta(days=14)).isoformat())
    worker.get_by_label(label("행정동")).select_option(label=world.dong_a.name)
    worker.get_by_label(label("주소")).fill("서울특별시 중구 소공로 40")
    worker.get_by_label(label("성명 미상(신원 확인 전)")).check()
    worker.get_by_label(label("추정 연령대")).select_option(label="60대")
    worker.get_by_label(label("인상착의·관찰 내용")).fill(SEEN)
    worker.get_by_role("button", name="등록", exact=True).click()
    expect(worker.locator("ul.messages")).to_contain_text("가구를 등록하고 사례를 열었습니다")
    case_path = re.search(r"/cases/[0-9a-f-]{36}/", worker.url).group(0)
    case = Case.objects.get(uuid=case_path.split("/")[2])
    assert case.opened_on == today - datetime.timedelta(days=14)
    assert case.household.head.sex == Person.Sex.UNKNOWN

    # A week late: the refusal of 12 days ago, then the three refused visits that followed it.
    stage_form = worker.locator("form").filter(has=worker.get_by_label(label("다음 단계")))
    stage_form.get_by_label(label("다음 단계")).select_option(label="거부(지속 방문)")
    stage_form.get_by_label(label("사유·메모")).fill("문을 열지 않고 인터폰으로 ‘필요 없다’고 함")
    stage_form.get_by_label(label("일시")).fill(_when(12, 10))
    stage_form.get_by_role("button", name="단계 변경").click()
    expect(worker.locator("#case-stage")).to_have_text("거부(지속 방문)")
    case_tab(worker, "서비스·상담 기록").click()
    form = worker.locator("#contact-form")
    for saved, days_ago in enumerate((11, 10, 9), start=1):
        form.get_by_label(label("일시")).fill(_when(days_ago, 15))
        form.get_by_label(label("방법")).select_option(label="가정 방문")
        form.get_by_label(label("결과")).select_option(label="거부")
        form.get_by_label(label("내용")).fill(f"{days_ago}일 전 방문: 문 앞에 안내문과 반찬을 두고 옴")
        form.get_by_role("button", name="기록 저장").click()
        expect(worker.locator("ul.messages")).to_contain_text("상담·방문 기록을 저장했습니다")
        # the page after the save (the message of the previous save looks the same)
        expect(worker.locator("#contact-list tbody tr")).to_have_count(saved)

    # The timeline reads event time and marks what was typed more than 7 days late.
    case_tab(worker, "타임라인").click()
    expect(worker.locator("#timeline .late-entry")).to_have_count(5)  # 3 visits, the refusal, the registration
    screenshot(worker, "unknown-1-timeline-late")

    # The door opens: the identity is completed and the duplicate check fires.
    worker.goto(case_path)
    worker.get_by_role("link", name="성명 미상", exact=True).first.click()
    worker.get_by_role("link", name="신원 확인").click()
    worker.get_by_label(label("성명")).fill(world.head.name)
    worker.get_by_label(label("생년월일")).fill(world.head.birth_date.isoformat())
    worker.get_by_label(label("성별")).select_option(label="여")
    worker.get_by_role("button", name="신원 확인").click()
    expect(worker.locator("#duplicates")).to_contain_text("이미 등록된 당사자일 수 있습니다")
    expect(worker.locator("#duplicates")).to_contain_text("이 가구와 합치기")
    screenshot(worker, "unknown-2-duplicate-check")
    worker.get_by_label("기존 당사자와 다른 사람임을 확인했습니다").check()
    worker.get_by_role("button", name="신원 확인").click()
    expect(worker.locator("ul.messages")).to_contain_text("신원을 확인했습니다")
    assert Person.objects.filter(household=case.household, name=world.head.name, identity_known=True).exists()

    # The refusal list counts the attempts since the refusal's own date.
    menu(worker, "거부 가구").click()
    row = worker.locator("#refusals tbody tr").filter(has_text=case.reference)
    expect(row).to_contain_text((today - datetime.timedelta(days=12)).isoformat())
    expect(row).to_contain_text("3회")
    expect(row).to_contain_text((today - datetime.timedelta(days=9)).isoformat())
    screenshot(worker, "unknown-3-refusal-list")
