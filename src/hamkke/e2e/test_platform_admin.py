"""The platform administrator's page on a phone (issue 16 item 6): create a district at 390 px,
read its admin's initial password once, and nothing wider than the window."""

import pytest
from django.conf import settings
from django.test import Client

from hamkke.accounts.models import User
from hamkke.districts.models import District
from hamkke.testing.factories import login_verified

from .conftest import PHONE, assert_fits, screenshot

expect = pytest.importorskip("playwright.sync_api").expect


def test_phone_platform_admin_creates_a_district(browser, e2e_db, live_server, world):
    # The platform admin needs two-factor authentication: the session is made as the other tests'
    # log-ins are (login_verified: password, then a verified TOTP device) and handed to the browser.
    member = world.members["platform_admin"]
    client = Client()
    assert login_verified(client, member.user, member.password)
    context = browser.new_context(
        locale="ko-KR", viewport=PHONE, base_url=live_server.url, has_touch=True, service_workers="block"
    )
    context.route("**/favicon.ico", lambda route: route.fulfill(status=204, body=""))
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto("/platform/districts/")
        expect(page.locator("#platform-boundary")).to_contain_text("사례·당사자 정보도 볼 수 없습니다")
        expect(page.locator("#districts")).to_contain_text(world.district_b.name)
        assert_fits(page, "platform page")
        page.get_by_label("행정구역코드").fill("11215")
        page.get_by_label("시군구명").fill("서울특별시 광진구")
        page.get_by_label("기관 (한 줄에 하나: 기관명=종류)").fill(
            "광진구청 희망복지지원단=district_office\n광진종합사회복지관=welfare_centre"
        )
        page.get_by_label("관리자 계정 이름").fill("gwangjin-admin")
        page.get_by_role("button", name="만들기").click()
        password = page.locator("#initial-password").inner_text()
        assert User.objects.get(username="gwangjin-admin").check_password(password)
        assert District.objects.filter(code="11215").exists()
        assert_fits(page, "platform result")
        screenshot(page, "platform-district-created-390")
        page.reload()
        expect(page.locator("#platform-result-gone")).to_be_visible()
        assert password not in page.content()
        page.goto("/platform/districts/")
        expect(page.locator("#district-11215")).to_contain_text("gwangjin-admin")
        assert_fits(page, "platform page with the new district")
    finally:
        context.close()
