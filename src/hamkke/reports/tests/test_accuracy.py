"""Issue 5, item 5: every figure against an independent count over the rows (tests/expected.py).

The data (tests/data.py) is random but seeded, and crowded at the edges: moments at 00:00 and
23:59:59.999999 Seoul time on the first and last days of years, quarters and months, services on
31 December and 1 January, households with two cases in one year, cases reopened, a second district.
"""

import datetime

import pytest

from hamkke.reports.periods import Period
from hamkke.reports.selectors import report_scope, report_statistics, statistics_for_scope

from .data import generate
from .expected import SEOUL, Rows, expected_figures, shape

pytestmark = pytest.mark.django_db

PERIODS = [
    Period.of_year(2024),
    Period.of_year(2025),
    Period.of_quarter(2024, 1),
    Period.of_quarter(2024, 2),
    Period.of_quarter(2024, 4),
    Period.of_month(2024, 12),
    Period.of_month(2025, 1),
    Period.custom(datetime.date(2024, 12, 31), datetime.date(2025, 1, 1)),
    Period.custom(datetime.date(2024, 3, 31), datetime.date(2024, 3, 31)),
    Period.custom(datetime.date(2022, 1, 1), datetime.date(2025, 12, 31)),
]


@pytest.fixture
def data(world):
    generated = generate(world, seed=20240101)
    return world, generated, Rows()


def test_every_figure_matches_an_independent_count(data):
    """District, one agency (worker and participating worker) and several agencies (district admin), every period."""
    world, generated, rows = data
    a = world.district_a.pk
    scopes = [
        (report_scope(actor=world.district_admin.actor), None),
        (report_scope(actor=world.lead_worker.actor), {world.lead_agency.pk}),
        (report_scope(actor=world.participant_worker.actor), {world.participating_agency.pk}),
        (
            report_scope(actor=world.district_admin.actor, agency_ids=[x.pk for x in generated["agencies"][1:4]]),
            {x.pk for x in generated["agencies"][1:4]},
        ),
    ]
    for scope, agencies in scopes:
        for period in PERIODS:
            got = shape(statistics_for_scope(scope=scope, period=period))
            want = expected_figures(rows, district_id=a, agencies=agencies, start=period.start, end=period.end)
            assert got == want, (scope.label, period)


def test_the_data_really_has_the_edge_cases(data):
    """The accuracy tests above only mean something if the generated rows sit on the edges."""
    world, _generated, rows = data
    a = world.district_a.pk
    local = [c["contacted_at"].astimezone(SEOUL) for c in rows.contacts if c["district_id"] == a]
    assert any((m.date(), m.hour, m.minute) == (datetime.date(2024, 12, 31), 23, 59) for m in local)
    assert any((m.date(), m.hour, m.minute) == (datetime.date(2025, 1, 1), 0, 0) for m in local)
    days = {s["provided_on"] for s in rows.services if s["district_id"] == a}
    assert {datetime.date(2024, 12, 31), datetime.date(2025, 1, 1)} <= days
    per_household_2024 = {}
    for case in rows.cases:
        if case["district_id"] == a and case["opened_on"].year == 2024:
            per_household_2024[case["household_id"]] = per_household_2024.get(case["household_id"], 0) + 1
    assert max(per_household_2024.values()) >= 2
    assert any(c["district_id"] != a for c in rows.cases)


def test_a_household_with_two_cases_in_a_year_counts_once(world):
    from hamkke.testing.factories import CaseFactory, HouseholdFactory

    household = HouseholdFactory(dong=world.dong_a)
    for day in (datetime.date(2024, 2, 1), datetime.date(2024, 9, 1)):
        CaseFactory(household=household, lead_agency=world.lead_agency, opened_on=day)
    known = HouseholdFactory(dong=world.dong_a)  # taken on in 2023: not new in 2024
    for day in (datetime.date(2023, 12, 31), datetime.date(2024, 1, 1)):
        CaseFactory(household=known, lead_agency=world.lead_agency, opened_on=day)
    stats = report_statistics(
        actor=world.district_admin.actor, start=datetime.date(2024, 1, 1), end=datetime.date(2024, 12, 31)
    )
    assert stats.households_new == 1  # world.case was opened 30 days ago, not in 2024
    assert stats.cases_opened == 3
    assert [m.households_new for m in stats.months][:2] == [0, 1]


def test_agencies_add_up_to_the_district(data):
    world, generated, _rows = data
    period = Period.of_year(2024)
    district = statistics_for_scope(scope=report_scope(actor=world.district_admin.actor), period=period)
    parts = [
        statistics_for_scope(scope=report_scope(actor=world.district_admin.actor, agency_ids=[a.pk]), period=period)
        for a in generated["agencies"]
    ]
    for figure in (
        "households_new",
        "cases_opened",
        "cases_active",
        "cases_closed",
        "services_count",
        "services_amount",
        "contacts_total",
    ):
        assert sum(getattr(p, figure) for p in parts) == getattr(district, figure), figure
    assert district.services_count == sum(row.count for row in district.services_by_domain)
    assert district.services_count == sum(m.services for m in district.months)
    assert district.households_new == sum(m.households_new for m in district.months)
