"""The person's own plan, the genogram and the eco-map of the three reference cases (DOMAIN.md §7), in a
real browser at desk and phone size; screenshots land in test-artifacts/ for review."""

import pytest
from django.utils import timezone

from hamkke.cases.models import Case
from hamkke.demo import data
from hamkke.demo.management.commands.seed_demo import DemoSeeder

from .conftest import screenshot

pytestmark = pytest.mark.e2e

SCENARIOS = {  # lead worker of each reference case -> its name in the screenshots
    "district-worker": "hoarding",
    "welfare-worker": "refusal-then-trust",
    "mental-health-worker": "recovery",
}


@pytest.fixture
def scenarios(e2e_db):
    seeder = DemoSeeder(today=timezone.localdate(), now=timezone.now())
    seeder.setup()
    seeder.scenarios()
    return {
        username: Case.objects.filter(lead_worker__username=username).order_by("opened_on").first()
        for username in SCENARIOS
    }


def test_diagrams_and_the_persons_plan_of_the_reference_cases(browser, scenarios, live_server):
    for username, name in SCENARIOS.items():
        case = scenarios[username]
        for width, height in ((1280, 900), (390, 844)):
            context = browser.new_context(locale="ko-KR", viewport={"width": width, "height": height})
            context.route("**/favicon.ico", lambda route: route.fulfill(status=204, body=""))
            page = context.new_page()
            page.set_default_timeout(15_000)
            page.goto(f"{live_server.url}/accounts/login/")
            page.get_by_label("아이디").fill(username)
            page.get_by_label("비밀번호").fill(data.DEMO_PASSWORD)
            page.get_by_role("button", name="로그인").click()
            page.locator("header.top form[action$='/logout/']").wait_for(state="attached")

            page.goto(f"{live_server.url}/cases/{case.uuid}/diagrams/")
            genogram, ecomap = page.locator("svg.genogram"), page.locator("svg.ecomap")
            assert genogram.locator("g.member.index").count() == 1  # the person of the case, drawn once
            assert ecomap.locator("g.tie").count() >= 1
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            screenshot(page, f"person-{name}-diagrams-{width}")

            page.goto(f"{live_server.url}/cases/{case.uuid}/plan/for-the-person/")
            article = page.locator("article.own-plan")
            if article.count():
                assert "하고 싶은 것" in article.inner_text()
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            screenshot(page, f"person-{name}-own-plan-{width}")
            context.close()
