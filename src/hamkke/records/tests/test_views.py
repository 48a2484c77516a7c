"""HTTP behaviour of the records tab, the refusing households and the overdue list."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hamkke.audit.models import AccessLog, Action
from hamkke.cases.stages import Stage
from hamkke.consents.services import consent_withdraw
from hamkke.core.domains import LifeDomain
from hamkke.records.models import ContactRecord, ServiceRecord

from .conftest import ago

pytestmark = pytest.mark.django_db
OUTSIDERS = ["unrelated_worker", "auditor", "b_worker", "b_admin", "nobody"]


def tab_url(case):
    return reverse("records:case", args=[case.uuid])


def contact_url(case):
    return reverse("records:contact_add", args=[case.uuid])


def services_url(case):
    return reverse("records:services_add", args=[case.uuid])


def contact_data(**overrides):
    data = {
        "contacted_at": ago(1).strftime("%Y-%m-%dT%H:%M"),
        "kind": "home_visit",
        "with_whom": "본인",
        "outcome": "met",
        "purpose": "monitoring",
        "note": "집 안 정리 상태 확인",
        "next_contact_on": "",
    }
    data.update(overrides)
    return data


def service_data(world, rows, total=5, agency=None):
    """POST data for the quick-entry formset; ``rows`` fill the first rows, the rest stay untouched
    (as the browser sends them: today's date and the actor's ``agency`` preselected)."""
    data = {
        "services-TOTAL_FORMS": str(total),
        "services-INITIAL_FORMS": "0",
        "services-MIN_NUM_FORMS": "0",
        "services-MAX_NUM_FORMS": "20",
    }
    untouched = {
        "provided_on": world.today.isoformat(),
        "domain": "",
        "mode": "",
        "provider_agency": str((agency or world.lead_agency).pk),
        "resource": "",
        "amount_kind": "",
        "amount": "",
        "plan_action": "",
        "description": "",
    }
    for i in range(total):
        values = dict(untouched)
        if i < len(rows):
            values.update({"domain": LifeDomain.LIVELIHOOD, "mode": "direct", "description": f"반찬 지원 {i}"})
            values.update(rows[i])
        data.update({f"services-{i}-{key}": value for key, value in values.items()})
    return data


# --- scope -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["lead_worker", "lead_supervisor", "participant_worker", "district_admin"])
def test_records_tab_open_to_team_and_audited(client, world, who):
    getattr(world, who).login(client)
    response = client.get(tab_url(world.case))
    assert response.status_code == 200
    text = response.content.decode()
    assert "점검·기한" in text and reverse("records:overdue") in text and reverse("records:refusals") in text
    log = AccessLog.objects.filter(action=Action.VIEW, case_id=world.case.pk).latest("id")
    assert log.user_id == getattr(world, who).user.pk and world.head.pk in log.person_ids
    assert ('id="service-form"' in text) == (who != "district_admin")  # the district admin reads only


@pytest.mark.parametrize("who", OUTSIDERS)
def test_records_pages_404_for_outsiders_and_audited(client, world, who):
    getattr(world, who).login(client)
    assert client.get(tab_url(world.case)).status_code == 404
    assert client.post(contact_url(world.case), contact_data()).status_code == 404
    assert client.post(services_url(world.case), service_data(world, [{}])).status_code == 404
    assert AccessLog.objects.filter(action=Action.DENIED, user_id=getattr(world, who).user.pk).count() == 3
    assert not ContactRecord.objects.exists() and not ServiceRecord.objects.exists()


def test_district_admin_cannot_post_records(client, world):
    world.district_admin.login(client)
    assert client.post(contact_url(world.case), contact_data()).status_code == 404
    assert not ContactRecord.objects.exists()


def test_participant_records_a_service_and_loses_it_after_withdrawal(client, world):
    world.participant_worker.login(client)
    data = service_data(world, [{"mode": "linked"}], agency=world.participating_agency)
    response = client.post(services_url(world.case), data)
    assert response.status_code == 302
    assert ServiceRecord.objects.get().provider_agency == world.participating_agency
    consent_withdraw(actor=world.lead_worker.actor, consent=world.consent)
    assert client.post(services_url(world.case), data).status_code == 404
    assert client.get(tab_url(world.case)).status_code == 404
    assert ServiceRecord.objects.count() == 1


def test_unknown_case_uuid_is_404(client, world):
    world.lead_worker.login(client)
    assert client.get("/cases/00000000-0000-0000-0000-000000000000/records/").status_code == 404
    assert client.get("/cases/not-a-uuid/records/").status_code == 404


# --- contacts --------------------------------------------------------------------------------------


def test_add_contact_then_listed(client, world):
    world.lead_worker.login(client)
    response = client.post(contact_url(world.case), contact_data(), follow=True)
    assert response.redirect_chain[-1][0] == tab_url(world.case)
    text = response.content.decode()
    assert "상담·방문 기록을 저장했습니다" in text and "집 안 정리 상태 확인" in text
    record = ContactRecord.objects.get()
    assert (record.agency, record.purpose) == (world.lead_agency, ContactRecord.Purpose.MONITORING)


@pytest.mark.parametrize(
    "overrides",
    [
        {"contacted_at": "어제"},
        {"contacted_at": (datetime.datetime.now() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")},
        {"contacted_at": "2001-01-01T10:00"},
        {"kind": "fax"},
        {"outcome": ""},
        {"next_contact_on": "2001-01-01"},
        {"next_contact_on": "다음주"},
    ],
)
def test_bad_contact_input_shows_errors_and_keeps_typed_values(client, world, overrides):
    world.lead_worker.login(client)
    response = client.post(contact_url(world.case), contact_data(**overrides))
    assert response.status_code == 200
    text = response.content.decode()
    assert 'class="errorlist"' in text and "집 안 정리 상태 확인" in text
    assert not ContactRecord.objects.exists()


def test_htmx_contact_post_works(client, world):
    world.lead_worker.login(client)
    response = client.post(contact_url(world.case), contact_data(), HTTP_HX_REQUEST="true")
    assert response.status_code == 302 and ContactRecord.objects.count() == 1


# --- services --------------------------------------------------------------------------------------


def test_quick_entry_saves_filled_rows_and_ignores_empty_ones(client, world):
    world.lead_worker.login(client)
    rows = [{}, {"amount_kind": "money", "amount": "300,000"}, {"amount_kind": "goods", "description": "쌀 10kg"}]
    response = client.post(services_url(world.case), service_data(world, rows), follow=True)
    assert "서비스 제공 기록 3건을 저장했습니다" in response.content.decode()
    assert ServiceRecord.objects.count() == 3
    assert ServiceRecord.objects.get(amount_kind="money").amount == 300000


def test_quick_entry_is_all_or_nothing_and_keeps_every_typed_value(client, world):
    world.lead_worker.login(client)
    rows = [
        {"description": "첫째 줄은 올바름"},
        {"amount_kind": "", "amount": "5000", "description": "금액만 적은 줄"},  # service rule
        {"description": "셋째 줄도 올바름"},
        {"amount_kind": "money", "amount": "12.5", "description": "소수 금액"},  # form rule
    ]
    response = client.post(services_url(world.case), service_data(world, rows))
    assert response.status_code == 200
    assert not ServiceRecord.objects.exists()
    text = response.content.decode()
    for typed in ("첫째 줄은 올바름", "금액만 적은 줄", "셋째 줄도 올바름", "소수 금액", "12.5"):
        assert typed in text
    assert 'id="service-row-3"' in text and text.count("service-row has-errors") == 1  # the form rule first
    rows[3]["amount"] = "12500"
    response = client.post(services_url(world.case), service_data(world, rows))
    text = response.content.decode()
    assert response.status_code == 200 and not ServiceRecord.objects.exists()
    assert text.count("service-row has-errors") == 1 and "금액은 금품 구분이 현금 또는 현물일 때만 적습니다" in text
    assert "아무것도 저장하지 않았습니다" in text


def test_quick_entry_with_no_row_filled(client, world):
    world.lead_worker.login(client)
    response = client.post(services_url(world.case), service_data(world, []))
    assert response.status_code == 200 and "한 줄 이상" in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {},  # no management form
        {"services-TOTAL_FORMS": "x", "services-INITIAL_FORMS": "0"},
        {"services-TOTAL_FORMS": "5000", "services-INITIAL_FORMS": "0"},
        {
            "services-TOTAL_FORMS": "1",
            "services-INITIAL_FORMS": "0",
            "services-0-provided_on": "2024-13-45",
            "services-0-provider_agency": "999999",
            "services-0-domain": "food",
            "services-0-description": "x",
        },
    ],
)
def test_broken_service_posts_are_form_errors_not_500(client, world, data):
    world.lead_worker.login(client)
    response = client.post(services_url(world.case), data)
    assert response.status_code == 200 and 'class="errorlist"' in response.content.decode()
    assert not ServiceRecord.objects.exists()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"provided_on": "2099-01-01"}, "미래 날짜는 입력할 수 없습니다"),
        ({"provided_on": "2001-01-01"}, "사례 개시일"),
        ({"provider_agency": "AGENCY_B"}, "올바르게 선택해 주세요"),  # another district's agency is not a choice
    ],
)
def test_dates_and_agencies_out_of_bounds_are_shown_on_the_row(client, world, row, message):
    world.lead_worker.login(client)
    if row.get("provider_agency") == "AGENCY_B":
        row["provider_agency"] = str(world.agency_b.pk)
    response = client.post(services_url(world.case), service_data(world, [{}, row]))
    text = response.content.decode()
    assert response.status_code == 200 and message in text
    assert text.count("service-row has-errors") == 1 and 'service-row has-errors" id="service-row-1"' in text
    assert not ServiceRecord.objects.exists()


def test_lists_are_paginated_newest_first(client, world, build):
    for days in range(25):
        build.contact(world.case, days + 1)
    world.lead_worker.login(client)
    text = client.get(tab_url(world.case)).content.decode()
    assert "25건 · 1/2쪽" in text and "contacts=2" in text
    newest, oldest = ago(1).strftime("%Y-%m-%d"), ago(25).strftime("%Y-%m-%d")
    assert newest in text and oldest not in text.split('id="contact-list"')[1].split('id="service-list"')[0]
    assert client.get(tab_url(world.case), {"contacts": "zz", "services": "99"}).status_code == 200


def test_refused_case_tab_shows_attempts_and_the_way_back_to_intake(client, world, build):
    build.stage_change(world.case, Stage.REFUSED, ago(20))
    build.contact(world.case, 10, outcome="refused")
    world.lead_worker.login(client)
    text = client.get(tab_url(world.case)).content.decode()
    assert 'id="refusal-attempts"' in text and "1회" in text and ago(10).strftime("%Y-%m-%d") in text
    assert reverse("cases:detail", args=[world.case.uuid]) in text and "‘접수’로 옮깁니다" in text


# --- refusals and overdue pages ----------------------------------------------------------------------


def test_refusals_page_lists_in_scope_and_is_audited(client, world, build):
    mine = build.case(history=((Stage.REFUSED, 20),))
    colleague = build.case(history=((Stage.REFUSED, 30),), worker=world.lead_supervisor.user)
    world.lead_worker.login(client)
    text = client.get(reverse("records:refusals")).content.decode()
    assert str(mine.reference) in text and str(colleague.reference) not in text
    assert "거부 이후 방문 없음" in text
    text = client.get(reverse("records:refusals"), {"scope": "agency"}).content.decode()
    assert str(colleague.reference) in text
    assert client.get(reverse("records:refusals"), {"scope": "bogus", "page": "x"}).status_code == 200
    log = AccessLog.objects.filter(action=Action.LIST, user_id=world.lead_worker.user.pk).latest("id")
    assert log.detail.startswith("refusals")
    world.unrelated_worker.login(client)
    text = client.get(reverse("records:refusals"), {"scope": "agency"}).content.decode()
    assert str(mine.reference) not in text


def test_overdue_page_for_worker_and_supervisor(client, world, build):
    late = build.case(history=((Stage.DELIVERY, 60),))
    build.contact(late, 45)
    world.lead_worker.login(client)
    text = client.get(reverse("records:overdue")).content.decode()
    assert str(late.reference) in text and "정기 점검(접촉)" in text and 'id="overdue-by-worker"' not in text
    world.lead_supervisor.login(client)
    text = client.get(reverse("records:overdue")).content.decode()
    assert 'id="overdue-by-worker"' in text and str(world.lead_worker.user) in text
    world.unrelated_worker.login(client)
    assert str(late.reference) not in client.get(reverse("records:overdue")).content.decode()


def _page_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_pages_use_a_constant_number_of_queries(client, world, build):
    world.lead_supervisor.login(client)
    build.case(history=((Stage.REFUSED, 40),), worker=world.lead_supervisor.user)
    urls = [reverse("records:refusals"), reverse("records:overdue")]
    client.get(urls[0])  # warm the session
    one = [_page_queries(client, url) for url in urls]
    for i in range(19):
        case = build.case(history=((Stage.REFUSED, 40 + i),), worker=world.lead_supervisor.user)
        build.contact(case, 5 + i)
    assert [_page_queries(client, url) for url in urls] == one


def test_a_visit_in_the_same_minute_as_the_refusal_counts_as_an_attempt(client, world):
    """Found by the browser test: contacts are typed to the minute, the refusal stamped to the second."""
    from django.utils import timezone

    world.lead_worker.login(client)
    client.post(
        f"/cases/{world.case.uuid}/stage/",
        {"to_stage": "refused", "reason": "문을 열지 않음", "expected_version": world.case.lock_version},
    )
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    client.post(
        f"/cases/{world.case.uuid}/records/contacts/",
        {"contacted_at": now, "kind": "home_visit", "outcome": "refused", "purpose": "casework"},
    )
    from hamkke.cases.models import Case
    from hamkke.records.selectors import with_refusal_facts

    assert with_refusal_facts(Case.objects.filter(pk=world.case.pk)).get().attempts == 1
