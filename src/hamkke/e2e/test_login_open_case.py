"""A worker logs in, finds their case in the caseload, opens it and moves it on — in a real browser."""

import re

import pytest

from .conftest import screenshot

pytestmark = pytest.mark.e2e


def test_worker_logs_in_and_opens_a_case(page, live_server, world):
    page.goto(f"{live_server.url}/cases/")
    assert "/accounts/login/" in page.url  # anonymous -> login

    page.get_by_label("아이디").fill(world.lead_worker.username)
    page.get_by_label("비밀번호").fill(world.password)
    page.get_by_role("button", name="로그인").click()

    page.get_by_role("heading", name=re.compile("사례 목록")).wait_for()
    page.get_by_role("link", name=world.head.name, exact=True).click()

    page.get_by_role("heading", name=re.compile(world.head.name)).wait_for()
    digits = world.head_rrn.replace("-", "")
    body = page.content()
    assert f"{digits[:6]}-{digits[6]}******" in body and digits not in body
    assert page.locator("#case-stage").inner_text() == "발굴"

    # A refusal without a reason is explained on the form; nothing is lost.
    page.get_by_label("다음 단계").select_option(label="거부(지속 방문)")
    page.get_by_role("button", name="단계 변경").click()
    page.get_by_text("사유를 적어야 합니다").wait_for()
    page.get_by_label("사유·메모").fill("방문했으나 도움을 원하지 않음. 다음 주 다시 방문.")
    page.get_by_role("button", name="단계 변경").click()
    page.get_by_text("단계를 변경했습니다").wait_for()
    assert page.locator("#case-stage").inner_text() == "거부(지속 방문)"
    screenshot(page, "case-detail")

    world.case.refresh_from_db()
    assert world.case.stage == "refused"


def test_outsider_gets_korean_404_for_another_agencys_case(page, live_server, world):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("아이디").fill(world.unrelated_worker.username)
    page.get_by_label("비밀번호").fill(world.password)
    page.get_by_role("button", name="로그인").click()
    page.get_by_role("heading", name=re.compile("사례 목록")).wait_for()
    response = page.goto(f"{live_server.url}/cases/{world.case.uuid}/")
    assert response.status == 404
    assert "찾을 수 없습니다" in page.content()
    assert world.head.name not in page.content()


def test_no_page_is_kept_in_the_browsers_storage(page, live_server, world):
    """htmx keeps a copy of each page it pushes to the history in localStorage, by default: names and
    notes of cases would stay on a shared office PC after log-out. The history cache is off (Back
    reloads the page from the server, which answers no-store)."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("아이디").fill(world.lead_worker.username)
    page.get_by_label("비밀번호").fill(world.password)
    page.get_by_role("button", name="로그인").click()
    page.get_by_role("heading", name=re.compile("사례 목록")).wait_for()
    select = page.locator("form.filters select").first
    with page.expect_response(lambda response: "/cases/" in response.url):
        select.select_option(index=1)  # an htmx filter change, pushed to the history
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name=world.head.name, exact=True).first.click()
    page.get_by_role("heading", name=re.compile(world.head.name)).wait_for()
    page.go_back()
    page.get_by_role("heading", name=re.compile("사례 목록")).wait_for()
    stored = page.evaluate("() => Object.keys(localStorage).map(k => k + '=' + localStorage.getItem(k)).join(';')")
    assert world.head.name not in stored
    assert page.evaluate("() => localStorage.getItem('htmx-history-cache')") in (None, "[]")
