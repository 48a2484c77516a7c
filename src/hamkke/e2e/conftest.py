"""Real-browser tests: Playwright for Python driving Debian's chromium against live_server.

No browser download happens here (none is possible offline): the system chromium is used. On a
laptop without it the tests are skipped with a message; CI sets HAMKKE_REQUIRE_E2E=1 so that a
missing browser fails the run instead.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

from hamkke.audit import triggers

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test body are
# still made synchronously and one at a time, which is what this flag allows.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = "Debian chromium is not installed (apt-get install chromium); real-browser tests skipped"
        if os.environ.get("HAMKKE_REQUIRE_E2E"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def e2e_db(transactional_db):
    """live_server needs committed data, so the database is flushed after each test.

    On SQLite Django's flush is a row DELETE, which the access log's append-only trigger refuses
    (as it should). The triggers are removed just for that flush and are put back before the next
    test; on PostgreSQL flush is a TRUNCATE, which row triggers do not see.
    """
    from django.db import connection

    triggers.install(connection)
    yield
    if connection.vendor == "sqlite":
        triggers.drop(connection)


@pytest.fixture
def page(browser, e2e_db, live_server):
    context = browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 900}, service_workers="block")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# --- Shared helpers for the flow tests ------------------------------------------------------------


@pytest.fixture(autouse=True, scope="session")
def _patient_assertions():
    """Playwright's ``expect`` waits as long as page actions do (15 s, not its default 5 s): on a busy
    CI machine a page with htmx can take more than 5 s, and a flaky red build teaches people to ignore it."""
    try:
        from playwright.sync_api import expect
    except ImportError:
        yield
        return
    expect.set_options(timeout=15_000)
    yield


def label(text: str) -> re.Pattern:
    """A field's label as Django draws it ("주소:"), matched whole: "주소" does not find "상세 주소"."""
    return re.compile(rf"^\s*{re.escape(text)}\s*:?\s*$")


def menu(page, name: str):
    """A link of the main menu (the same words may also be a button on the page)."""
    return page.locator("header.top nav").get_by_role("link", name=name, exact=True)


def case_tab(page, name: str):
    """A tab of the case pages (개요, 타임라인, 상담·사정, ...)."""
    return page.get_by_role("navigation", name="사례 메뉴").get_by_role("link", name=name, exact=True)


def log_in(page, member, base_url: str = "") -> None:
    """Log ``member`` (a ``world`` Member) in on ``page`` through the login form."""
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("아이디").fill(member.username)
    page.get_by_label("비밀번호").fill(member.password)
    page.get_by_role("button", name="로그인").click()
    # The log-out button is behind the menu button on a phone: wait for its form, visible or not.
    page.locator("header.top form[action$='/logout/']").wait_for(state="attached")


@pytest.fixture
def browse_as(browser, e2e_db, live_server):
    """``browse_as(member)``: a page logged in as ``member`` in a browser context of its own.

    One context per person keeps their sessions apart, so a worker and a supervisor can work the
    same case side by side. Pages resolve paths against the live server: ``page.goto("/cases/")``.
    """
    contexts = []

    def open_as(member):
        context = browser.new_context(
            locale="ko-KR",
            viewport={"width": 1280, "height": 900},
            base_url=live_server.url,
            service_workers="block",  # routes (the favicon below) do not see requests a service worker makes
        )
        # The browser asks for /favicon.ico after each page; answered by Django (a 404 with the session
        # middleware) it overlaps the next request, and on SQLite the live server's threads share one
        # in-memory connection: "cannot start a transaction within a transaction", now and then.
        context.route("**/favicon.ico", lambda route: route.fulfill(status=204, body=""))
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        log_in(page, member)
        return page

    yield open_as
    for context in contexts:
        context.close()


# --- At the door (issue 14): phone and tablet checks --------------------------------------------

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 768, "height": 1024}

# Every visible table cell at least as wide as two Hangul syllables in its own font, and nothing
# wider than the window (no sideways scrolling). Returns what failed, for the assertion message.
_FIT_CHECK = """() => {
  const problems = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth) {
    const wide = Array.from(document.body.querySelectorAll("*"))
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1);
    const names = wide.slice(-3).map((e) => `${e.tagName.toLowerCase()}.${e.className}#${e.id}`);
    problems.push(`page ${doc.scrollWidth}px > window ${window.innerWidth}px: ${names.join(", ")}`);
  }
  const probe = document.createElement("span");
  probe.textContent = "가나";
  probe.style.cssText = "position:absolute;visibility:hidden;white-space:nowrap;padding:0;border:0";
  document.body.appendChild(probe);
  for (const cell of document.querySelectorAll("td, th")) {
    const box = cell.getBoundingClientRect();
    if (!box.width || !box.height || getComputedStyle(cell).visibility === "hidden") continue;
    const head = cell.closest("thead");
    if (cell.closest(".sr-only") || (head && getComputedStyle(head).position === "absolute")) continue;
    probe.style.font = getComputedStyle(cell).font;
    if (box.width + 0.5 < probe.getBoundingClientRect().width) {
      problems.push(`cell "${cell.textContent.trim().slice(0, 20)}" ${Math.round(box.width)}px`);
    }
  }
  probe.remove();
  return problems;
}"""


def assert_fits(page, what: str = "") -> None:
    page.wait_for_load_state("load")  # measured with the style sheet applied, not before it arrives
    problems = page.evaluate(_FIT_CHECK)
    assert not problems, f"{what or page.url}: {problems[:5]}"


@pytest.fixture
def device(browser, e2e_db, live_server):
    """``device(member, viewport)``: a signed-in page of that size (``PHONE``, ``TABLET``)."""
    contexts = []

    def open_as(member, viewport, **options):
        options.setdefault("service_workers", "block")
        context = browser.new_context(
            locale="ko-KR", viewport=viewport, base_url=live_server.url, has_touch=True, **options
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        log_in(page, member)
        return page

    yield open_as
    for context in contexts:
        context.close()
