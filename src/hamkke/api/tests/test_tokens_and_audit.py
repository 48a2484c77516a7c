"""Tokens (per user and membership, revocable, audited), session auth with CSRF, reads in the access log."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from hamkke.api.models import ApiToken
from hamkke.api.services import api_token_create, api_token_revoke
from hamkke.audit.models import AccessLog, Action
from hamkke.testing.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def token_client(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def test_no_credentials_is_401_json(world):
    response = APIClient().get("/api/v1/cases/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Token")


def test_a_wrong_token_is_401_and_logged_as_a_failed_login(world):
    response = token_client("hk_not-a-real-token").get("/api/v1/cases/")
    assert response.status_code == 401 and response.json()["code"] == "authentication_failed"
    assert AccessLog.objects.filter(action=Action.LOGIN_FAILED, detail="api token refused").exists()


def test_only_a_hash_is_stored_and_creation_is_audited(world):
    token, secret = api_token_create(actor=world.lead_worker.actor, name="통계 서버")
    stored = ApiToken.objects.get(pk=token.pk)
    assert secret not in (stored.key_hash, stored.prefix) and secret.startswith(stored.prefix)
    row = AccessLog.objects.get(action=Action.CREATE, object_type="apitoken", object_id=str(token.uuid))
    assert secret not in row.detail and row.user_id == world.lead_worker.user.pk


def test_revoked_token_stops_working_and_revocation_is_audited(world):
    token, secret = api_token_create(actor=world.lead_worker.actor, name="연동")
    client = token_client(secret)
    assert client.get("/api/v1/cases/").status_code == 200
    api_token_revoke(actor=world.lead_worker.actor, token=token)
    assert client.get("/api/v1/cases/").status_code == 401
    assert AccessLog.objects.filter(
        action=Action.UPDATE, object_id=str(token.uuid), detail__contains="revoked"
    ).exists()


def test_expired_token_and_inactive_membership_stop_the_token(world):
    token, secret = api_token_create(
        actor=world.lead_worker.actor, name="연동", expires_on=world.today + datetime.timedelta(days=1)
    )
    ApiToken.objects.filter(pk=token.pk).update(expires_at=token.created_at)
    assert token_client(secret).get("/api/v1/cases/").status_code == 401
    _token, secret = api_token_create(actor=world.lead_worker.actor, name="연동2")
    world.lead_worker.membership.is_active = False
    world.lead_worker.membership.save()
    assert token_client(secret).get("/api/v1/cases/").status_code == 401


def test_the_token_acts_in_its_membership_not_the_users_other_agency(world):
    """A user working in two agencies: the token made in the unrelated agency cannot see the case."""
    user = world.lead_worker.user
    other = MembershipFactory(user=user, agency=world.unrelated_agency)
    from hamkke.accounts.actor import Actor

    _token, secret = api_token_create(actor=Actor(user=user, membership=other), name="다른 기관")
    client = token_client(secret)
    assert client.get(f"/api/v1/cases/{world.case.uuid}/").status_code == 404
    _token, secret = api_token_create(actor=world.lead_worker.actor, name="주관 기관")
    assert token_client(secret).get(f"/api/v1/cases/{world.case.uuid}/").status_code == 200


def test_someone_else_cannot_revoke_my_token_but_the_district_admin_can(world, api_as):
    token, _secret = api_token_create(actor=world.lead_worker.actor, name="연동")
    response = api_as("lead_supervisor").post(f"/api/v1/tokens/{token.uuid}/revoke/")
    assert response.status_code == 404
    response = api_as("district_admin").post(f"/api/v1/tokens/{token.uuid}/revoke/")
    assert response.status_code == 200 and response.json()["revoked_at"]


def test_a_token_cannot_mint_tokens_but_the_session_can(world, api_as):
    assert api_as("lead_worker").post("/api/v1/tokens/", {"name": "x"}, format="json").status_code == 403
    client = Client(enforce_csrf_checks=True)
    world.lead_worker.login(client)
    assert client.post("/api/v1/tokens/", {"name": "x"}, content_type="application/json").status_code == 403
    client.get("/api/")  # sets the CSRF cookie
    response = client.post(
        "/api/v1/tokens/",
        {"name": "세션에서"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    )
    assert response.status_code == 201 and response.json()["key"].startswith("hk_")


def test_session_reads_need_no_csrf_and_use_the_session_agency(world):
    client = Client(enforce_csrf_checks=True)
    world.participant_worker.login(client)
    response = client.get(f"/api/v1/cases/{world.case.uuid}/")
    assert response.status_code == 200


def test_reads_are_audited_like_the_web(world, api_as):
    client = api_as("lead_worker")
    client.get("/api/v1/cases/")
    row = AccessLog.objects.filter(action=Action.LIST, object_type="case").latest("pk")
    assert row.person_ids == [world.head.pk] and row.user_id == world.lead_worker.user.pk
    assert row.path.startswith("/api/v1/cases/")
    client.get(f"/api/v1/cases/{world.case.uuid}/")
    row = AccessLog.objects.filter(action=Action.VIEW).latest("pk")
    assert row.case_id == world.case.pk and row.person_ids == [world.head.pk]
    client.get(f"/api/v1/persons/{world.head.uuid}/")
    row = AccessLog.objects.filter(action=Action.VIEW).latest("pk")
    assert row.object_type == "person" and row.person_ids == [world.head.pk]
    client.get("/api/v1/service-records/")
    row = AccessLog.objects.filter(action=Action.LIST).latest("pk")
    assert row.object_type == "servicerecord"


def test_rrn_is_masked_for_agencies_with_a_legal_basis_and_absent_for_others(world, api_as):
    body = api_as("lead_worker").get(f"/api/v1/persons/{world.head.uuid}/").json()
    assert body["rrn_masked"] == world.head_rrn[:8] + "******"
    assert world.head_rrn not in str(body)
    body = api_as("participant_worker").get(f"/api/v1/persons/{world.head.uuid}/").json()
    assert body["rrn_masked"] is None


def test_unknown_paths_and_bad_uuids_are_json_404(world, api_as):
    client = api_as("lead_worker")
    for path in ["/api/v1/nothing/", "/api/v1/cases/not-a-uuid/", "/api/v1/cases/1/"]:
        response = client.get(path)
        assert response.status_code == 404 and response.json()["code"] == "not_found", path


def test_bad_json_is_a_json_400(world, api_as):
    response = api_as("lead_worker").post(
        f"/api/v1/cases/{world.case.uuid}/stage/", "{nope", content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["code"] == "parse_error"


def test_register_a_case_checks_duplicates_first(world, api_as):
    client = api_as("lead_worker")
    body = {
        "dong": world.dong_a.name,
        "address": "중구 을지로 1",
        "head": {"name": world.head.name, "birth_date": world.head.birth_date.isoformat(), "sex": "F"},
    }
    response = client.post("/api/v1/cases/", body, format="json")
    assert response.status_code == 409 and response.json()["code"] == "possible_duplicate"
    assert response.json()["candidates"][0]["person"] == str(world.head.uuid)
    response = client.post("/api/v1/cases/", body | {"confirm_not_duplicate": True}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["stage"] == "identification"
    response = client.post("/api/v1/cases/", body | {"dong": "없는동"}, format="json")
    assert response.status_code == 400 and "dong" in response.json()["fields"]


def test_district_admin_may_not_register_a_case(world, api_as):
    body = {
        "dong": world.dong_a.name,
        "address": "x",
        "head": {"name": "새사람", "birth_date": "1990-01-01", "sex": "M"},
    }
    assert api_as("district_admin").post("/api/v1/cases/", body, format="json").status_code == 403


def test_filters_ordering_and_pagination(world, api_as):
    client = api_as("lead_worker")
    assert client.get("/api/v1/cases/?stage=identification").json()["count"] == 1
    assert client.get("/api/v1/cases/?stage=delivery").json()["count"] == 0
    assert client.get(f"/api/v1/cases/?dong={world.dong_a2.name}").json()["count"] == 0
    assert client.get("/api/v1/cases/?ordering=-opened_on&page_size=1").json()["results"]
    assert client.get("/api/v1/agencies/?kind=district_office").json()["count"] == 1
    assert client.get("/api/v1/cases/?page=99").status_code == 404


def test_a_session_without_its_second_factor_gets_no_api_and_no_tokens(world, client):
    from django.test import RequestFactory

    assert client.login(
        request=RequestFactory().post("/accounts/login/"),
        username=world.district_admin.username,
        password=world.password,
    )
    response = client.get(f"/api/v1/cases/{world.case.uuid}/")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert client.get("/api/").status_code == 302
    assert client.post("/api/tokens/new/", {"name": "우회"}).status_code == 302
    assert not ApiToken.objects.exists()


def test_the_guide_page_makes_and_revokes_a_token(world, client):
    world.lead_worker.login(client)
    response = client.post("/api/tokens/new/", {"name": "통계 서버"})
    token = ApiToken.objects.get()
    key = response.context["new_key"]
    assert key.startswith(token.prefix) and key.encode() in response.content
    assert token_client(key).get("/api/v1/cases/").status_code == 200
    assert client.get("/api/").status_code == 200 and key.encode() not in client.get("/api/").content
    client.post(f"/api/tokens/{token.uuid}/revoke/")
    assert token_client(key).get("/api/v1/cases/").status_code == 401


def test_schema_and_docs_come_from_local_files(world, client, api_as):
    schema = api_as("lead_worker").get("/api/schema/?format=json")
    assert schema.status_code == 200 and "/api/v1/cases/" in schema.json()["paths"]
    assert APIClient().get("/api/schema/").status_code == 401
    assert client.get("/api/docs/").status_code == 302  # to the log-in page
    world.lead_worker.login(client)
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and b"/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs.content
    assert b"cdn" not in docs.content.lower() and b"unpkg" not in docs.content.lower()
    assert client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js").status_code == 200


# --- Issue 11, finding 6: a token must not outlive the victim's reaction --------------------------


def test_logging_out_everywhere_revokes_the_users_tokens(world):
    _token, secret = api_token_create(actor=world.lead_worker.actor, name="연동")
    _other, other_secret = api_token_create(actor=world.participant_worker.actor, name="남의 토큰")
    assert token_client(secret).get("/api/v1/cases/").status_code == 200
    browser = Client()
    world.lead_worker.login(browser)
    browser.post(reverse("logout_everywhere"))
    assert token_client(secret).get("/api/v1/cases/").status_code == 401
    assert token_client(other_secret).get("/api/v1/cases/").status_code == 200  # only the user's own
    assert AccessLog.objects.filter(object_id=str(_token.uuid), detail__endswith="revoked: logout everywhere").exists()


def test_changing_the_password_revokes_the_users_tokens(world):
    _token, secret = api_token_create(actor=world.lead_worker.actor, name="연동")
    browser = Client()
    world.lead_worker.login(browser)
    new = "another-Hamkke-2027?"
    response = browser.post(
        reverse("password_change"), {"old_password": world.password, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert token_client(secret).get("/api/v1/cases/").status_code == 401
    assert ApiToken.objects.get(pk=_token.pk).revoked_by == world.lead_worker.user
    # A token made after the change works: the revocation is of what existed, not a ban.
    _later, later_secret = api_token_create(actor=world.lead_worker.actor, name="새 연동")
    assert token_client(later_secret).get("/api/v1/cases/").status_code == 200


def test_an_admin_setting_the_password_revokes_the_users_tokens(world):
    from hamkke.accounts.models import User

    _token, secret = api_token_create(actor=world.lead_worker.actor, name="연동")
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    root = User.objects.create_superuser("root", "", world.password)
    browser = Client()
    browser.force_login(root)
    session = browser.session  # the admin site asks for the second factor (OTPAdminSite)
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.create(user=root, name="t", confirmed=True).persistent_id
    session.save()
    new = "another-Hamkke-2027?"
    url = reverse("admin:auth_user_password_change", args=[world.lead_worker.user.pk])
    response = browser.post(url, {"password1": new, "password2": new, "usable_password": "true"})
    assert response.status_code == 302
    assert token_client(secret).get("/api/v1/cases/").status_code == 401


def test_a_new_token_is_told_in_the_users_inbox(world):
    from hamkke.inbox.selectors import inbox_count, inbox_for_actor

    def token_items(member):
        return {s.kind: s.items for s in inbox_for_actor(actor=member.actor)}["api_token"]

    before = inbox_count(actor=world.lead_worker.actor)
    token, _secret = api_token_create(actor=world.lead_worker.actor, name="누가 만든 토큰")
    items = token_items(world.lead_worker)
    assert len(items) == 1 and "누가 만든 토큰" in items[0].title and token.prefix in items[0].title
    assert inbox_count(actor=world.lead_worker.actor) == before + 1
    assert token_items(world.participant_worker) == []  # someone else's token is not mine to hear of
    api_token_revoke(actor=world.lead_worker.actor, token=token)
    assert token_items(world.lead_worker) == []
    browser = Client()
    world.lead_worker.login(browser)
    api_token_create(actor=world.lead_worker.actor, name="두 번째")
    page = browser.get(reverse("inbox:index")).content.decode()
    assert "두 번째" in page and reverse("api:index") in page
