"""Real-browser tests: Playwright for Python driving Debian's chromium against live_server.

No browser download happens here (none is possible offline): the system chromium is used. On a
laptop without it the tests are skipped with a message; CI sets HAMKKE_REQUIRE_E2E=1 so that a
missing browser fails the run instead.
"""

import os
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
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--no-first-run", "--disable-sync", "--disable-quic"],
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
    context = browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
