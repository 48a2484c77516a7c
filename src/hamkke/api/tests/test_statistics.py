"""The statistics endpoint gives the reports app's figures under the reports app's scope rules."""

import pytest

pytest.importorskip("hamkke.reports.selectors")

from hamkke.records.services import service_record_add  # noqa: E402

pytestmark = pytest.mark.django_db


def test_the_years_figures_for_the_own_agency(world, api_as):
    service_record_add(
        actor=world.lead_worker.actor,
        case=world.case,
        provided_on=world.today,
        domain="livelihood",
        mode="direct",
        description="쌀",
        amount_kind="goods",
        amount=30000,
    )
    body = api_as("lead_worker").get(f"/api/v1/statistics/?year={world.today.year}").json()
    assert body["services_count"] == 1 and body["services_amount"] == 30000
    assert body["start"] == f"{world.today.year}-01-01"
    agencies = {row["key"] for row in body["services_by_agency"]}
    assert str(world.lead_agency.uuid) in agencies and str(world.lead_agency.pk) not in agencies


def test_auditors_and_other_agencies_figures_are_refused(world, api_as):
    assert api_as("auditor").get("/api/v1/statistics/").status_code == 403
    url = f"/api/v1/statistics/?agency={world.lead_agency.uuid}"
    assert api_as("unrelated_worker").get(url).status_code == 403
    assert api_as("b_admin").get(url).status_code == 403
    assert api_as("district_admin").get(url).status_code == 200


def test_bad_periods_are_field_errors(world, api_as):
    client = api_as("lead_worker")
    response = client.get("/api/v1/statistics/?start=2024-05-01")
    assert response.status_code == 400 and "end" in response.json()["fields"]
    assert client.get("/api/v1/statistics/?start=2024-05-01&end=2024-01-01").status_code == 400
    assert client.get("/api/v1/statistics/?year=abc").status_code == 400
