"""Issue 14 in a real browser: a phone at the door, a tablet in the car, a basement without signal.

At 390×844 a worker logs in, finds the refusing household, records a refused visit in three taps and
sees the attempts since the refusal rise; every main page is checked for sideways scrolling and for
table cells squeezed below two Hangul syllables, and photographed into test-artifacts/. At 768×1024
the plan and records tabs get the same checks. Offline, two visit notes wait on the device and are
sent exactly once when the signal returns; a note for a case that became unreadable meanwhile is
refused with a message and stays visible.
"""

import re

import pytest
from django.urls import reverse

from hamkke.cases.services import case_change_stage
from hamkke.cases.stages import Stage
from hamkke.consents.services import consent_withdraw
from hamkke.records.models import ContactRecord

from .conftest import PHONE, TABLET, assert_fits, screenshot

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e


def _refusing(world):
    case_change_stage(
        actor=world.lead_worker.actor,
        case=world.case,
        to_stage=Stage.REFUSED,
        reason="도움을 원하지 않는다고 함. 계속 찾아가기로 함.",
    )


def _attempts(page) -> str:
    return page.locator("#refusal-attempts").inner_text()


def test_phone_find_the_household_and_record_a_refused_visit_in_three_taps(device, world):
    _refusing(world)
    page = device(world.lead_worker, PHONE)
    case_url = reverse("cases:detail", args=[world.case.uuid])

    # The menu is one button; the caseload rows are cards that offer "방문 기록".
    expect(page.locator("header.top nav")).to_be_hidden()
    page.get_by_role("button", name="메뉴").tap()
    expect(page.locator("header.top nav")).to_be_visible()
    with page.expect_navigation():
        page.locator("header.top nav").get_by_role("link", name="당사자 찾기").tap()
    assert_fits(page, "person search")
    page.get_by_label(re.compile("^검색어")).fill(world.head.name[:2])
    page.get_by_role("button", name="검색").tap()
    expect(page.locator("#search-results")).to_contain_text(world.head.name)
    assert_fits(page, "person search results")
    # The case itself from the caseload, where each row is a card with the household's name.
    page.get_by_role("button", name="메뉴").tap()
    with page.expect_navigation():
        page.locator("header.top nav").get_by_role("link", name="내 사례").tap()
    assert_fits(page, "caseload")
    page.get_by_role("link", name=world.head.name, exact=True).tap()
    expect(page).to_have_url(re.compile(re.escape(case_url) + "$"))
    expect(page.locator("#case-stage")).to_have_text("거부(지속 방문)")
    assert_fits(page, "case overview")
    assert _attempts(page).startswith("0회")

    # Tap 1: "방문 기록" is the first thing under the case's name. Tap 2: the outcome. Tap 3: save.
    visit = page.get_by_role("link", name="방문 기록", exact=True)
    assert visit.bounding_box()["y"] < page.locator("nav.tabs").bounding_box()["y"]
    with page.expect_navigation():
        visit.tap()
    assert_fits(page, "visit form")
    screenshot(page, "phone-visit-form")
    page.locator("label.choice", has_text=re.compile("^거부$")).tap()
    page.get_by_role("button", name="저장").tap()
    expect(page.locator("ul.messages")).to_contain_text("방문 기록을 저장했습니다")
    assert _attempts(page).startswith("1회")
    record = ContactRecord.objects.get(case=world.case)
    assert (record.outcome, record.kind) == ("refused", "home_visit")

    page.goto(reverse("records:refusals"))
    expect(page.locator("#refusals")).to_contain_text("1회")


PHONE_PAGES = [
    ("caseload", "cases:caseload", False),
    ("person-search", "people:search", False),
    ("case-overview", "cases:detail", True),
    ("timeline", "timeline:case", True),
    ("needs-strengths", "assessment:case", True),
    ("plan", "plans:case", True),
    ("records", "records:case", True),
    ("referrals-inbox", "referrals:inbox", False),
    ("my-tasks", "conferences:tasks", False),
    ("refusals", "records:refusals", False),
]


def test_phone_main_pages_fit_and_are_photographed(device, world):
    _refusing(world)
    page = device(world.lead_worker, PHONE)
    for name, url_name, per_case in PHONE_PAGES:
        page.goto(reverse(url_name, args=[world.case.uuid] if per_case else []))
        assert_fits(page, name)
        screenshot(page, f"phone-{name}")


@pytest.mark.parametrize("tab", ["plans:case", "records:case"])
def test_tablet_plan_and_records_tabs_fit(device, world, tab):
    page = device(world.lead_worker, TABLET)
    page.goto(reverse(tab, args=[world.case.uuid]))
    assert_fits(page, tab)
    screenshot(page, f"tablet-{tab.split(':')[0]}")


def _offline_note(page, outcome: str, note: str) -> None:
    page.locator("label.choice", has_text=re.compile(f"^{outcome}$")).click()
    page.get_by_label("메모").fill(note)
    page.get_by_role("button", name="저장").click()
    expect(page.locator("#offline-status")).to_contain_text("이 기기에 보관했습니다")


def test_offline_notes_wait_on_the_device_and_arrive_exactly_once(device, world):
    page = device(world.lead_worker, PHONE)
    page.goto(reverse("records:visit", args=[world.case.uuid]))
    page.context.set_offline(True)
    _offline_note(page, "응답 없음", "지하 1층, 두드려도 대답 없음")
    _offline_note(page, "만남", "다시 내려가 보니 문을 열어 줌. 식사 확인")
    waiting = page.locator("#offline-notes")
    expect(waiting).to_be_visible()
    expect(waiting.locator("li")).to_have_count(2)
    assert not ContactRecord.objects.exists()
    screenshot(page, "phone-offline-waiting")

    page.context.set_offline(False)
    expect(waiting).to_be_hidden()
    page.goto(reverse("timeline:case", args=[world.case.uuid]))
    timeline = page.locator("#timeline").inner_text()
    assert timeline.count("지하 1층, 두드려도 대답 없음") == 1
    assert timeline.count("식사 확인") == 1
    assert ContactRecord.objects.count() == 2


def test_offline_note_for_a_case_that_became_unreadable_is_refused_and_kept(device, world):
    page = device(world.participant_worker, PHONE)
    page.goto(reverse("records:visit", args=[world.case.uuid]))
    page.context.set_offline(True)
    _offline_note(page, "만남", "복지관 프로그램 안내함")
    consent_withdraw(actor=world.lead_worker.actor, consent=world.consent)  # meanwhile, at the office
    page.context.set_offline(False)
    note = page.locator("#offline-notes li")
    expect(note).to_contain_text("이 사례에 더 이상 기록할 수 없어")
    expect(note).to_contain_text("복지관 프로그램 안내함")
    page.reload()
    expect(page.locator("#offline-notes li")).to_contain_text("복지관 프로그램 안내함")
    assert not ContactRecord.objects.exists()
    screenshot(page, "phone-offline-refused")


def _tab_to(page, matches: str, limit: int = 60) -> None:
    """Press Tab until the focused element matches the CSS selector (keyboard alone, no clicks)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({matches!r})"):
            return
    raise AssertionError(f"Tab never reached {matches}")


def test_caseload_and_visit_work_with_the_keyboard_alone(device, world):
    _refusing(world)
    page = device(world.lead_worker, {"width": 1280, "height": 900})
    page.goto(reverse("cases:caseload"))
    _tab_to(page, "a[href$='/visit/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    _tab_to(page, "input[name=outcome]")
    page.keyboard.press("ArrowRight")  # 만남 -> 응답 없음
    page.keyboard.press("ArrowRight")  # -> 거부
    assert page.locator("input[name=outcome]:checked").get_attribute("value") == "refused"
    _tab_to(page, "textarea[name=note]")
    page.keyboard.type("초인종에 답 없음, 문 앞 메모 남김")
    _tab_to(page, "button.visit-save")
    page.keyboard.press("Enter")
    expect(page.locator("ul.messages")).to_contain_text("방문 기록을 저장했습니다")
    assert _attempts(page).startswith("1회")
    assert ContactRecord.objects.get().note == "초인종에 답 없음, 문 앞 메모 남김"


def test_service_worker_keeps_no_case_content_for_offline_reading(device, world):
    """Installed and offline, a case page the worker had open answers with the neutral page: nothing
    of the case or the person was cached (only static files and the notes typed are on the device)."""
    page = device(world.lead_worker, PHONE, service_workers="allow")
    case_url = reverse("cases:detail", args=[world.case.uuid])
    page.goto(case_url)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now controlled by the service worker
    assert page.evaluate("!!navigator.serviceWorker.controller")
    expect(page.locator("h1")).to_contain_text(world.head.name)

    page.context.set_offline(True)
    page.goto(case_url)
    expect(page.locator("h1")).to_contain_text("연결되지 않았습니다")
    html = page.content()
    assert world.head.name not in html and world.case.reference not in html
    cached = page.evaluate(
        """async () => {
          const urls = [];
          for (const key of await caches.keys()) {
            for (const request of await (await caches.open(key)).keys()) urls.push(new URL(request.url).pathname);
          }
          return urls;
        }"""
    )
    assert cached and all(url.startswith("/static/") for url in cached), cached
    page.context.set_offline(False)
