"""Issue 14 §5: axe-core on every main page at desktop and phone size — no serious or critical
violation of WCAG 2.1 A/AA (labels on every field, contrast of badges and muted text, names of
buttons and links, landmarks). axe-core comes from the npm registry, vendored test-only in
``e2e/vendor`` (see its README)."""

import hashlib
from pathlib import Path

import pytest
from django.urls import reverse

from hamkke.cases.services import case_change_stage
from hamkke.cases.stages import Stage

from .conftest import PHONE, log_in

pytestmark = pytest.mark.e2e

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"  # axe-core 4.14.1
DESKTOP = {"width": 1280, "height": 900}
BLOCKING = ("serious", "critical")

PAGES = [
    ("caseload", "cases:caseload", False),
    ("person search", "people:search", False),
    ("case overview", "cases:detail", True),
    ("timeline", "timeline:case", True),
    ("needs and strengths", "assessment:case", True),
    ("plan", "plans:case", True),
    ("records", "records:case", True),
    ("visit", "records:visit", True),
    ("referrals inbox", "referrals:inbox", False),
    ("my tasks", "conferences:tasks", False),
    ("refusals", "records:refusals", False),
]

_RUN = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    resultTypes: ["violations"],
  });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ") + " :: " + (n.failureSummary || "").slice(0, 160)),
  }));
}"""


def axe_violations(page) -> list[dict]:
    page.wait_for_load_state("load")
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    return [v for v in page.evaluate(_RUN) if v["impact"] in BLOCKING]


def test_the_vendored_axe_core_is_the_one_named():
    assert hashlib.sha256(AXE.read_bytes()).hexdigest() == AXE_SHA256


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_main_pages_have_no_serious_or_critical_violations(browser, e2e_db, live_server, world, size):
    case_change_stage(actor=world.lead_worker.actor, case=world.case, to_stage=Stage.REFUSED, reason="방문 거절")
    context = browser.new_context(
        locale="ko-KR",
        viewport=DESKTOP if size == "desktop" else PHONE,
        base_url=live_server.url,
        bypass_csp=True,  # to inject axe-core (test only; the pages themselves run under the strict CSP)
        service_workers="block",
    )
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        log_in(page, world.lead_worker)
        found = {}
        for name, url_name, per_case in PAGES:
            page.goto(reverse(url_name, args=[world.case.uuid] if per_case else []))
            violations = axe_violations(page)
            if violations:
                found[name] = violations
        if size == "phone":  # the menu, opened
            page.get_by_role("button", name="메뉴").click()
            if violations := axe_violations(page):
                found["menu open"] = violations
        assert not found, found
        # The harness can fail: a field without a label on the same page is a serious violation.
        page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=text>')")
        assert "label" in {v["id"] for v in axe_violations(page)}
    finally:
        context.close()
