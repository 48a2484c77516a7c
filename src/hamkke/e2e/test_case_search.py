"""Issue 13 §3 in a real browser: the demo's district worker finds the hoarding case from the header's
search box, by its case number (straight to the case) and by the head's name (a results page, then
the case), at desk width and on a phone (no sideways scrolling at 390 px)."""

import pytest
from django.utils import timezone

from hamkke.cases.models import Case
from hamkke.demo import data
from hamkke.demo.management.commands.seed_demo import DemoSeeder

from .conftest import PHONE, assert_fits, screenshot

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e

WORKER = "district-worker"


@pytest.fixture
def hoarding_case(e2e_db):
    seeder = DemoSeeder(today=timezone.localdate(), now=timezone.now())
    seeder.setup()
    seeder.scenarios()
    return (
        Case.objects.select_related("household")
        .prefetch_related("household__members")
        .filter(lead_worker__username=WORKER)
        .order_by("opened_on")
        .first()
    )


def _log_in(browser, live_server, viewport):
    context = browser.new_context(
        locale="ko-KR", viewport=viewport, base_url=live_server.url, service_workers="block", has_touch=True
    )
    context.route("**/favicon.ico", lambda route: route.fulfill(status=204, body=""))
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/accounts/login/")
    page.get_by_label("아이디").fill(WORKER)
    page.get_by_label("비밀번호").fill(data.DEMO_PASSWORD)
    page.get_by_role("button", name="로그인").click()
    page.locator("header.top form[action$='/logout/']").wait_for(state="attached")
    return context, page


def _search(page, text: str) -> None:
    box = page.locator("header.top").get_by_role("searchbox", name="사례 찾기")
    expect(box).to_be_visible()  # on a phone too: not behind the menu button
    box.fill(text)
    with page.expect_navigation():
        box.press("Enter")


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 900}], ids=["phone", "desk"])
def test_find_a_case_by_number_and_by_name_from_the_header(browser, live_server, hoarding_case, viewport):
    case = hoarding_case
    head = case.household.head
    width = viewport["width"]
    context, page = _log_in(browser, live_server, viewport)
    assert_fits(page, f"caseload with the search box at {width}px")
    screenshot(page, f"case-search-header-{width}")

    # The case number as read out on the phone, in lower case: straight to the case.
    _search(page, case.reference.lower())
    assert page.url.endswith(f"/cases/{case.uuid}/")
    expect(page.locator("h1")).to_contain_text(case.reference)
    assert_fits(page, f"case opened by its number at {width}px")

    # Part of the head's name: a list of the worker's matching cases, then the case.
    _search(page, head.name[1:])
    results = page.locator("#case-search-results")
    expect(results).to_contain_text(case.reference)
    assert_fits(page, f"case search results at {width}px")
    screenshot(page, f"case-search-results-{width}")
    with page.expect_navigation():
        results.get_by_role("link", name=head.name, exact=True).first.click()
    assert page.url.endswith(f"/cases/{case.uuid}/")

    # A single character is refused with a message, not an error page.
    _search(page, head.name[0])
    expect(page.locator("#case-search-results .errorlist")).to_contain_text("2자 이상")
    assert_fits(page, f"case search error at {width}px")
    context.close()
