"""Caseload balance for team leaders: weights by case type and crisis level, overdue, refusals, long cases."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from hamkke.cases.models import CaseType
from hamkke.cases.stages import Stage
from hamkke.reports.balance import caseload_balance, type_weight
from hamkke.testing.factories import CaseFactory, HouseholdFactory


@pytest.mark.parametrize(("days", "weight"), [(14, 2.0), (7, 2.0), (30, 1.0), (60, 0.5), (90, 0.5), (None, 1.0)])
def test_type_weight_follows_the_monitoring_interval(days, weight):
    assert type_weight(days) == weight


@pytest.mark.django_db
def test_balance_weighs_the_cases_of_each_worker(world):
    hard = CaseType.objects.get(district=world.district_a, code="high_complexity")
    general = CaseType.objects.get(district=world.district_a, code="general")
    supervisor = world.lead_supervisor

    def case(worker, **kwargs):
        household = HouseholdFactory(dong=world.dong_a)
        return CaseFactory(household=household, lead_agency=world.lead_agency, lead_worker=worker.user, **kwargs)

    case(world.lead_worker, case_type=hard, crisis_level="high")  # 2 × 2 = 4
    case(world.lead_worker, case_type=general, stage=Stage.REFUSED)  # 1
    case(supervisor, case_type=general, opened_on=world.today - datetime.timedelta(days=800))  # 1, long
    case(supervisor, case_type=general, stage=Stage.CLOSED)  # closed: not counted
    rows = {str(r.worker): r for r in caseload_balance(actor=supervisor.actor, today=world.today)}
    worker = rows[str(world.lead_worker.user)]
    lead = rows[str(supervisor.user)]
    # world.case (lead worker, no type, no level) counts 1 too
    assert (worker.cases, worker.weighted, worker.high_crisis, worker.refusing) == (3, 6.0, 1, 1)
    assert (lead.cases, lead.weighted, lead.long_cases) == (1, 1.0, 1)
    assert worker.heavy and not lead.heavy
    assert list(rows)[0] == str(world.lead_worker.user)  # heaviest first


@pytest.mark.django_db
def test_only_team_leaders_see_it(world, client):
    with pytest.raises(PermissionDenied):
        caseload_balance(actor=world.lead_worker.actor)
    world.lead_worker.login(client)
    assert client.get(reverse("reports:balance")).status_code == 403
    client.logout()
    world.lead_supervisor.login(client)
    page = client.get(reverse("reports:balance"))
    assert page.status_code == 200 and "사례 부담 균형" in page.content.decode()
