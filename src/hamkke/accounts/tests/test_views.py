import pytest
from django.urls import reverse

from hamkke.accounts.models import Membership, Role
from hamkke.audit.models import AccessLog, Action

pytestmark = pytest.mark.django_db


def test_login_page_is_korean(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "로그인" in response.content.decode()


def test_login_and_failed_login_are_audited(client, world):
    response = client.post(reverse("login"), {"username": world.lead_worker.username, "password": world.password})
    assert response.status_code == 302
    assert AccessLog.objects.filter(action=Action.LOGIN, user_id=world.lead_worker.user.pk).exists()
    client.post(reverse("logout"))
    response = client.post(reverse("login"), {"username": world.lead_worker.username, "password": "wrong"})
    assert response.status_code == 200
    failed = AccessLog.objects.get(action=Action.LOGIN_FAILED)
    assert "wrong" not in failed.detail


def test_switch_agency_changes_scope(client, world):
    """A user in two agencies works in one at a time; the case follows the chosen agency."""
    other = Membership.objects.create(
        user=world.unrelated_worker.user, agency=world.lead_agency, district=world.district_a, role=Role.WORKER
    )
    world.unrelated_worker.login(client)
    url = reverse("cases:detail", args=[world.case.uuid])
    client.post(reverse("switch_agency"), {"membership": world.unrelated_worker.membership.pk})
    assert client.get(url).status_code == 404
    client.post(reverse("switch_agency"), {"membership": other.pk})
    assert client.get(url).status_code == 200


def test_switch_to_someone_elses_membership_is_refused(client, world):
    world.unrelated_worker.login(client)
    client.post(
        reverse("switch_agency"), {"membership": world.lead_worker.membership.pk, "next": "https://evil.example/"}
    )
    assert client.get(reverse("cases:detail", args=[world.case.uuid])).status_code == 404


def test_language_switch_to_english(client, world):
    world.lead_worker.login(client)
    client.post(reverse("set_language"), {"language": "en", "next": "/cases/"})
    response = client.get(reverse("cases:caseload"))
    assert "Cases" in response.content.decode()


def test_korean_even_when_the_browser_asks_for_english(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "아이디" in response.content.decode()


def test_auditor_lands_on_the_access_log_and_workers_on_their_cases(client, world):
    world.auditor.login(client)
    assert client.get("/")["Location"] == reverse("audit:log")
    world.lead_worker.login(client)
    assert client.get("/")["Location"] == reverse("cases:caseload")
