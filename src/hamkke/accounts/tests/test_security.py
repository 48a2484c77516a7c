"""Authentication: lockout, two-factor for admins and auditors, logging out everywhere, sessions."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from hamkke.testing.factories import login_verified

pytestmark = pytest.mark.django_db


def post_login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_brute_force_locks_the_account_for_that_address(client, world):
    username = world.lead_worker.username
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert post_login(client, username, "wrong-password").status_code == 200
    assert post_login(client, username, "wrong-password").status_code == 429
    locked = post_login(client, username, world.password)  # even the right password now
    assert locked.status_code == 429 and "잠겼습니다" in locked.content.decode()
    # someone else is not locked out by it
    assert post_login(Client(), world.lead_supervisor.username, world.password).status_code == 302


def test_admin_roles_must_set_up_and_use_two_factor(client, world):
    member = world.district_admin
    assert post_login(client, member.username, world.password).status_code == 302
    response = client.get(reverse("cases:caseload"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("otp_setup"))
    page = client.get(response["Location"]).content.decode()
    assert "data:image/svg+xml" in page  # the QR code, served inline (no external service)
    device = TOTPDevice.objects.get(user=member.user)
    assert client.post(reverse("otp_setup"), {"token": "000000"}).status_code == 200
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code slows the next try down (django-otp throttling)
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"
    assert client.post(reverse("otp_setup"), {"token": code, "next": "/cases/"})["Location"] == "/cases/"
    assert client.get(reverse("cases:caseload")).status_code == 200
    # the next log-in asks for the code again
    other = Client()
    post_login(other, member.username, world.password)
    assert other.get(reverse("cases:caseload"))["Location"].startswith(reverse("otp_verify"))


@pytest.mark.parametrize("who", ["auditor", "lead_admin"])
def test_auditors_and_agency_admins_need_two_factor_too(client, world, who):
    post_login(client, getattr(world, who).username, world.password)
    assert client.get("/")["Location"].startswith("/accounts/2fa/")


def test_workers_do_not_need_two_factor(client, world):
    post_login(client, world.lead_worker.username, world.password)
    assert client.get(reverse("cases:caseload")).status_code == 200


def test_logout_everywhere_ends_other_sessions(world):
    phone, office = Client(), Client()
    for browser in (phone, office):
        assert login_verified(browser, world.lead_worker.user, world.password)
    assert phone.get(reverse("cases:caseload")).status_code == 200
    office.post(reverse("logout_everywhere"))
    response = phone.get(reverse("cases:caseload"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_sessions_expire_after_inactivity(client, world):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    world.lead_worker.login(client)
    client.get(reverse("cases:caseload"))
    assert client.session.get_expiry_age() == 30 * 60
    session = client.session
    session.set_expiry(-1)  # as if 30 minutes had passed without a request
    session.save()
    assert client.get(reverse("cases:caseload")).status_code == 302


def test_password_policy(client, world):
    world.lead_worker.login(client)
    response = client.post(
        reverse("password_change"),
        {"old_password": world.password, "new_password1": "short1", "new_password2": "short1"},
    )
    assert response.status_code == 200 and "너무 짧습니다" in response.content.decode()


def test_demo_totp_gives_the_code_of_a_demo_account(world, capsys, settings):
    from django.core.management import call_command

    settings.HAMKKE_ENV = "demo"
    call_command("demo_totp", world.auditor.username)
    code = capsys.readouterr().out.strip().split(": ")[1]
    device = TOTPDevice.objects.get(user=world.auditor.user, name="demo")
    assert device.verify_token(code)


def test_demo_totp_refused_outside_the_demo(world, settings):
    from django.core.management import CommandError, call_command

    settings.HAMKKE_ENV = "production"
    with pytest.raises(CommandError):
        call_command("demo_totp", world.auditor.username)
