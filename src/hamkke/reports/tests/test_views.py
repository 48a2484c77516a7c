"""Dashboards and the figures page over HTTP: who sees which figures, period input, charts served locally."""

import datetime
import sys

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from hamkke.cases.stages import Stage
from hamkke.conferences.models import Conference, Task
from hamkke.records.models import ServiceRecord
from hamkke.reports.periods import Period
from hamkke.reports.selectors import report_scope, statistics_for_scope
from hamkke.testing.factories import CaseFactory, HouseholdFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reports:dashboard")
FIGURES = reverse("reports:figures")
REPORT_ROLES = ["lead_worker", "lead_supervisor", "lead_admin", "participant_worker", "district_admin", "b_admin"]


def service(case, agency, day, amount=None, domain="housing"):
    return ServiceRecord.objects.create(
        district=case.district,
        case=case,
        provided_on=day,
        domain=domain,
        mode=ServiceRecord.Mode.DIRECT,
        provider_agency=agency,
        description="서비스",
        amount_kind="money" if amount else "",
        amount=amount,
        recorded_by=case.lead_worker,
    )


def test_dashboard_is_named_and_in_the_menu(client, world):
    assert DASHBOARD == "/reports/"
    world.lead_worker.login(client)
    assert f'href="{DASHBOARD}"' in client.get(reverse("cases:caseload")).content.decode()


@pytest.mark.parametrize("who", REPORT_ROLES)
def test_report_roles_see_their_dashboard_and_figures(client, world, who):
    getattr(world, who).login(client)
    for url in (DASHBOARD, FIGURES):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "신규 가구" in response.content.decode()


@pytest.mark.parametrize("who", ["auditor", "nobody"])
def test_auditors_and_people_without_membership_get_403_everywhere(client, world, who):
    getattr(world, who).login(client)
    for name in ("dashboard", "figures", "figures_xlsx", "report_pdf", "services_export", "stories"):
        assert client.get(reverse(f"reports:{name}")).status_code == 403, name
    assert (
        client.post(
            reverse("reports:services_export"), {"period": "year", "year": "2024", "reason": "감사 목적 확인"}
        ).status_code
        == 403
    )


@pytest.mark.parametrize(
    "who,view,sections",
    [
        ("lead_worker", "worker", ["my-cases", "my-overdue", "my-tasks", "trend", "domains"]),
        ("lead_supervisor", "supervisor", ["my-cases", "my-overdue", "my-tasks", "team-caseload", "team-overdue"]),
        ("lead_admin", "agency", ["team-caseload", "trend", "domains"]),
        ("district_admin", "district", ["trend", "domains", "agencies", "dongs", "dong-table"]),
    ],
)
def test_each_role_gets_its_own_dashboard(client, world, who, view, sections):
    getattr(world, who).login(client)
    html = client.get(DASHBOARD).content.decode()
    assert f'data-view="{view}"' in html
    for section in sections:
        assert f'id="{section}"' in html, section
    others = {"my-tasks", "team-caseload", "dong-table"} - set(sections)
    for section in others:
        assert f'id="{section}"' not in html, section


def test_worker_sees_own_cases_by_stage_overdue_and_open_tasks(client, world):
    conference = Conference.objects.create(
        district=world.district_a,
        title="3월 사례회의",
        scheduled_at=world.case.stage_changed_at,
        host_agency=world.lead_agency,
        created_by=world.lead_worker.user,
        status=Conference.Status.HELD,
    )
    for days, status in ((-3, Task.Status.OPEN), (5, Task.Status.OPEN), (-9, Task.Status.DONE)):
        Task.objects.create(
            district=world.district_a,
            conference=conference,
            decision="주거 지원 연계",
            assignee=world.lead_worker.user,
            agency=world.lead_agency,
            status=status,
            due_on=world.today + datetime.timedelta(days=days),
        )
    world.lead_worker.login(client)
    response = client.get(DASHBOARD)
    board = response.context["board"]
    assert [(row.key, row.count) for row in board.my_stages if row.count] == [(Stage.IDENTIFICATION, 1)]
    assert board.tasks_open == 2 and board.tasks_overdue == 1
    assert "3월 사례회의" in response.content.decode()
    assert board.overdue is not None  # the records app's monitoring is installed


def test_without_the_monitoring_module_the_dashboard_still_works(client, world, monkeypatch):
    monkeypatch.setitem(sys.modules, "hamkke.records.monitoring", None)  # import raises ImportError
    world.lead_supervisor.login(client)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert response.context["board"].overdue is None
    assert "점검 기능이 아직 설치되지 않았습니다" in response.content.decode()


def test_supervisor_sees_team_caseload_per_worker(client, world):
    CaseFactory(
        household=HouseholdFactory(dong=world.dong_a),
        lead_agency=world.lead_agency,
        lead_worker=world.lead_worker.user,
        stage=Stage.REFUSED,
        crisis_level="high",
    )
    CaseFactory(
        household=HouseholdFactory(dong=world.dong_a),
        lead_agency=world.lead_agency,
        lead_worker=world.lead_worker.user,
        stage=Stage.CLOSED,
    )  # closed: not in the caseload
    CaseFactory(
        household=HouseholdFactory(dong=world.dong_a),
        lead_agency=world.unrelated_agency,
        lead_worker=world.unrelated_worker.user,
    )  # another agency's
    world.lead_supervisor.login(client)
    team = {str(w.worker): w for w in client.get(DASHBOARD).context["board"].team}
    assert set(team) == {"김주관", "이팀장"}
    assert (team["김주관"].total, team["김주관"].high_crisis, team["김주관"].waiting) == (2, 1, 1)
    assert team["이팀장"].total == 0


def test_workers_only_ever_get_their_agency_figures(client, world):
    today = world.today
    service(world.case, world.lead_agency, today, 10000)
    service(world.case, world.participating_agency, today, 20000)
    world.participant_worker.login(client)
    # The agency filter is for district admins only: a worker's attempt is ignored, never obeyed.
    stats = client.get(FIGURES, {"period": "year", "year": today.year, "agencies": [world.lead_agency.pk]}).context[
        "stats"
    ]
    assert stats.scope.agency_ids == (world.participating_agency.pk,)
    assert (stats.services_count, stats.services_amount) == (1, 20000)
    assert stats.households_new == 0  # the household belongs to the lead agency's first case


def test_district_admin_can_pick_agencies_but_not_another_districts(client, world):
    today = world.today
    service(world.case, world.lead_agency, today, 10000)
    service(world.case, world.participating_agency, today, 20000)
    world.district_admin.login(client)
    stats = client.get(FIGURES, {"period": "year", "year": today.year}).context["stats"]
    assert (stats.services_count, stats.households_new) == (2, 1) and stats.scope.is_district
    picked = client.get(
        FIGURES, {"period": "year", "year": today.year, "agencies": [world.participating_agency.pk]}
    ).context["stats"]
    assert picked.services_amount == 20000
    response = client.get(FIGURES, {"period": "year", "year": today.year, "agencies": [world.agency_b.pk]})
    assert response.status_code == 200
    assert response.context["form"].errors["agencies"]
    assert response.context["stats"].scope.is_district  # the error is shown; the default figures stay


def test_another_district_never_counts(client, world):
    b_case = CaseFactory(
        household=HouseholdFactory(dong=world.dong_b),
        lead_agency=world.agency_b,
        lead_worker=world.b_worker.user,
        opened_on=world.today,
    )
    service(b_case, world.agency_b, world.today, 5000)
    world.b_admin.login(client)
    stats = client.get(FIGURES).context["stats"]
    assert (stats.households_new, stats.services_count, stats.services_amount) == (1, 1, 5000)
    world.district_admin.login(client)
    stats = client.get(FIGURES).context["stats"]
    assert (stats.households_new, stats.services_count) == (1, 0)
    assert world.agency_b.name not in client.get(FIGURES).content.decode()


@pytest.mark.parametrize(
    "params,field",
    [
        ({"period": "custom", "start": "2024-05-01", "end": "2024-01-01"}, "end"),
        ({"period": "custom", "start": "2024-05-01"}, "end"),
        ({"period": "custom", "start": "2001-01-01", "end": "2024-01-01"}, "end"),
        ({"period": "quarter", "year": "2024", "quarter": "9"}, "quarter"),
        ({"period": "month", "year": "2024"}, "month"),
        ({"period": "year", "year": "abc"}, "year"),
        ({"period": "decade", "year": "2024"}, "period"),
        ({"period": "custom", "start": "2024-13-45", "end": "2024-12-31"}, "start"),
    ],
)
def test_bad_period_input_is_a_form_error_not_a_500(client, world, params, field):
    world.district_admin.login(client)
    for url in (DASHBOARD, FIGURES):
        response = client.get(url, params)
        assert response.status_code == 200
        assert field in response.context["form"].errors
    # Exports with a bad period go to the figures page, which shows the error.
    response = client.get(reverse("reports:figures_xlsx"), params)
    assert response.status_code == 302 and response["Location"].startswith(FIGURES)


@pytest.mark.parametrize(
    "params,start,end",
    [
        ({"period": "year", "year": "2024"}, datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)),
        (
            {"period": "quarter", "year": "2024", "quarter": "4"},
            datetime.date(2024, 10, 1),
            datetime.date(2024, 12, 31),
        ),
        ({"period": "month", "year": "2024", "month": "2"}, datetime.date(2024, 2, 1), datetime.date(2024, 2, 29)),
        (
            {"period": "custom", "start": "2024-03-31", "end": "2024-04-01"},
            datetime.date(2024, 3, 31),
            datetime.date(2024, 4, 1),
        ),
    ],
)
def test_period_choices(client, world, params, start, end):
    world.lead_worker.login(client)
    stats = client.get(FIGURES, params).context["stats"]
    assert (stats.period.start, stats.period.end) == (start, end)
    assert len(stats.months) == (end.year - start.year) * 12 + end.month - start.month + 1


def test_default_period_is_this_year(client, world):
    world.lead_worker.login(client)
    period = client.get(DASHBOARD).context["stats"].period
    assert period == Period.of_year(world.today.year)


def test_htmx_period_change_returns_only_the_report_body(client, world):
    world.district_admin.login(client)
    response = client.get(DASHBOARD, {"period": "month", "year": "2024", "month": "3"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith('<div id="report-body"') and "2024년 3월" in html


def test_chart_library_is_served_locally_and_charts_carry_their_numbers(client, world):
    service(world.case, world.lead_agency, world.today, domain="employment")
    world.district_admin.login(client)
    html = client.get(DASHBOARD).content.decode()
    assert "/static/vendor/chart-4.6.1.umd.min.js" in html and "/static/reports/reports.js" in html
    assert "cdn" not in html.lower() and "https://" not in html
    assert finders.find("vendor/chart-4.6.1.umd.min.js") and finders.find("reports/reports.js")
    assert 'id="chart-domains-data" type="application/json"' in html
    stats = statistics_for_scope(
        scope=report_scope(actor=world.district_admin.actor), period=Period.of_year(world.today.year)
    )
    employment = next(r for r in stats.services_by_domain if r.key == "employment")
    assert employment.count == 1


def test_dashboard_shows_no_names_of_people(client, world):
    world.lead_worker.login(client)
    html = client.get(DASHBOARD).content.decode()
    assert world.head.name not in html
