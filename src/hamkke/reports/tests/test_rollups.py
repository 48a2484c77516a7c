"""Issue 15 item 3: figures read from the rollups equal a direct count, whatever changed since the refresh.

The direct count is tests/expected.py (plain Python over every row, independent of the reports app).
The property test builds small random worlds (tests/data.py) and then changes them at random —
records added today and back-dated into months already counted, edited in what is counted (date,
domain, agency, kind, outcome, amount) or in text only, deleted one by one, by a bulk ``update()``
and by a case's cascade; cases moved to another household and households to another dong;
households anonymised per retention — refreshing the rollups at random points, and compares every
figure after every step. It runs on SQLite and, with DATABASE_URL, on PostgreSQL (the triggers differ).
"""

import datetime
import io
import random
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from hamkke.cases.models import Case
from hamkke.core.domains import LifeDomain
from hamkke.districts.models import Agency
from hamkke.people.models import Household
from hamkke.people.privacy import anonymise_closed_cases
from hamkke.records.models import ContactRecord, ServiceRecord
from hamkke.reports import rollups
from hamkke.reports.models import RollupDirty, ServiceKindMonth
from hamkke.reports.periods import Period
from hamkke.reports.selectors import report_scope, statistics_for_scope
from hamkke.reports.tasks import refresh_rollups

from .data import EDGE_DAYS, Sizes, generate, seoul
from .expected import Rows, expected_figures, shape
from .test_accuracy import PERIODS

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
CHECKED = [
    Period.of_year(2024),
    Period.custom(datetime.date(2024, 3, 15), datetime.date(2025, 1, 31)),  # partial months at both ends
    Period.of_year(TODAY.year),  # the current month: written to today
]


def _scopes(world, agencies):
    return [
        (report_scope(actor=world.district_admin.actor), None),
        (
            report_scope(actor=world.district_admin.actor, agency_ids=[a.pk for a in agencies[:2]]),
            {a.pk for a in agencies[:2]},
        ),
    ]


def _assert_figures(world, scopes, periods):
    rows = Rows()
    for scope, agencies in scopes:
        for period in periods:
            got = shape(statistics_for_scope(scope=scope, period=period))
            want = expected_figures(
                rows, district_id=world.district_a.pk, agencies=agencies, start=period.start, end=period.end
            )
            assert got == want, (scope.label, period)


def test_every_figure_matches_an_independent_count_after_a_refresh(world):
    """The accuracy test's data, scopes and periods, with every whole month read from the rollups."""
    generated = generate(world, seed=20240101)
    result = rollups.rollup_refresh()
    assert result.months > 0
    split = rollups.split_period(district_id=world.district_a.pk, source=rollups.SERVICES, period=Period.of_year(2024))
    assert len(split.counted) == 12 and not split.live  # the year comes from the rollups alone
    agencies = generated["agencies"]
    scopes = [
        (report_scope(actor=world.district_admin.actor), None),
        (report_scope(actor=world.lead_worker.actor), {world.lead_agency.pk}),
        (
            report_scope(actor=world.district_admin.actor, agency_ids=[x.pk for x in agencies[1:4]]),
            {x.pk for x in agencies[1:4]},
        ),
    ]
    _assert_figures(world, scopes, PERIODS)


class Changes:
    """Random changes to district A's records, each made the way some part of the system makes it."""

    def __init__(self, world, seed: int):
        self.world, self.random = world, random.Random(seed)
        self.district = world.district_a
        self.agencies = list(Agency.objects.filter(district=self.district))
        self.dongs = world.dongs_a

    def _day(self) -> datetime.date:
        r = self.random
        if r.random() < 0.3:
            return TODAY - datetime.timedelta(days=r.randint(0, 3))  # typed today, about today
        if r.random() < 0.3:
            return r.choice(EDGE_DAYS)
        return datetime.date(2023, 10, 1) + datetime.timedelta(days=r.randint(0, 560))  # back-dated

    def _moment(self) -> datetime.datetime:
        day, r = self._day(), self.random
        at = r.choice([seoul(day), seoul(day, 23, 59, 59, 999999), seoul(day, r.randint(0, 23), r.randint(0, 59))])
        return min(at, timezone.now())

    def _case(self):
        return self.random.choice(list(Case.objects.filter(district=self.district)))

    def _one(self, model):
        rows = list(model.objects.filter(district=self.district).values_list("pk", flat=True))
        return model.objects.get(pk=self.random.choice(rows)) if rows else None

    def add_service(self):
        case, r = self._case(), self.random
        ServiceRecord.objects.create(
            district=self.district,
            case=case,
            provided_on=self._day(),
            domain=r.choice(LifeDomain.values),
            mode=r.choice(ServiceRecord.Mode.values),
            provider_agency=r.choice(self.agencies),
            description="추가",
            amount=Decimal(r.randint(1, 90) * 1000) if r.random() < 0.5 else None,
            recorded_by=case.lead_worker,
        )

    def add_contact(self):
        case, r = self._case(), self.random
        ContactRecord.objects.create(
            district=self.district,
            case=case,
            contacted_at=self._moment(),
            kind=r.choice(ContactRecord.Kind.values),
            outcome=r.choice(ContactRecord.Outcome.values),
            agency=r.choice(self.agencies),
            recorded_by=case.lead_worker,
        )

    def edit_service(self):
        service, r = self._one(ServiceRecord), self.random
        if service is None:
            return
        change = r.choice(["provided_on", "domain", "provider_agency", "amount", "mode", "description"])
        value = {
            "provided_on": self._day(),
            "domain": r.choice(LifeDomain.values),
            "provider_agency": r.choice(self.agencies),
            "amount": Decimal(r.randint(1, 90) * 1000),
            "mode": r.choice(ServiceRecord.Mode.values),
            "description": "고침",
        }[change]
        setattr(service, change, value)
        service.save()

    def edit_contact(self):
        contact, r = self._one(ContactRecord), self.random
        if contact is None:
            return
        change = r.choice(["contacted_at", "kind", "outcome", "agency", "note"])
        value = {
            "contacted_at": self._moment(),
            "kind": r.choice(ContactRecord.Kind.values),
            "outcome": r.choice(ContactRecord.Outcome.values),
            "agency": r.choice(self.agencies),
            "note": "고침",
        }[change]
        setattr(contact, change, value)
        contact.save()

    def delete_record(self):
        record = self._one(self.random.choice([ServiceRecord, ContactRecord]))
        if record is not None:
            record.delete()

    def bulk_move(self):
        """A bulk ``update()`` (no save(), no signal): a case's services a month earlier."""
        ServiceRecord.objects.filter(case=self._case()).update(
            provided_on=F("provided_on") - datetime.timedelta(days=31)
        )

    def delete_case(self):
        """A case deleted with its records (the ORM's cascade)."""
        case = self._case()
        if Case.objects.filter(district=self.district).count() > 5:
            case.delete()

    def move_case(self):
        """A household merge moves a case to another household (people.services.household_merge)."""
        case = self._case()
        case.household = self.random.choice(list(Household.objects.filter(district=self.district)))
        case.save(update_fields=["household", "updated_at"])

    def move_household(self):
        household = self.random.choice(list(Household.objects.filter(district=self.district)))
        household.dong = self.random.choice(self.dongs)
        household.save()

    def anonymise(self):
        """Retention, as if decades had passed: texts blanked, no figure changes."""
        anonymise_closed_cases(apply=True, today=datetime.date(2060, 1, 1), district_id=self.district.pk)

    def refresh(self):
        rollups.rollup_refresh()

    def step(self):
        weights = {
            self.add_service: 4,
            self.add_contact: 4,
            self.edit_service: 4,
            self.edit_contact: 4,
            self.delete_record: 3,
            self.bulk_move: 1,
            self.delete_case: 1,
            self.move_case: 1,
            self.move_household: 1,
            self.anonymise: 0.3,
            self.refresh: 3,
        }
        action = self.random.choices(list(weights), weights=list(weights.values()))[0]
        action()
        return action.__name__


@pytest.mark.parametrize("seed", [1, 2])
def test_rollups_plus_live_changes_equal_a_direct_count(world, seed):
    generated = generate(world, seed=seed, sizes=Sizes(households=12, conferences=3, extra_agencies=1))
    scopes = _scopes(world, generated["agencies"])
    changes = Changes(world, seed)
    rollups.rollup_refresh()
    _assert_figures(world, scopes, CHECKED)
    done = []
    for _step in range(20):
        done.append(changes.step())
        _assert_figures(world, scopes, [changes.random.choice(CHECKED)])
    assert "refresh" in done and {"edit_service", "edit_contact", "delete_record"} & set(done)
    changes.refresh()
    assert not RollupDirty.objects.filter(district=world.district_a).exists()
    _assert_figures(world, scopes, CHECKED)


def test_a_back_dated_record_is_counted_at_once_and_its_month_rolled_up_again(world):
    generate(world, seed=7, sizes=Sizes(households=8, conferences=2, extra_agencies=0))
    rollups.rollup_refresh()
    year = Period.of_year(2024)
    scope = report_scope(actor=world.district_admin.actor)
    before = statistics_for_scope(scope=scope, period=year).services_count
    case = Case.objects.filter(district=world.district_a).first()
    ServiceRecord.objects.create(
        district=world.district_a,
        case=case,
        provided_on=datetime.date(2024, 5, 20),
        domain=LifeDomain.values[0],
        mode=ServiceRecord.Mode.DIRECT,
        provider_agency=world.lead_agency,
        description="뒤늦게 입력",
        recorded_by=case.lead_worker,
    )
    split = rollups.split_period(district_id=world.district_a.pk, source=rollups.SERVICES, period=year)
    assert datetime.date(2024, 5, 1) not in split.counted and split.live == (
        (datetime.date(2024, 5, 1), datetime.date(2024, 5, 31)),
    )
    assert statistics_for_scope(scope=scope, period=year).services_count == before + 1
    assert refresh_rollups()["months"] == 1  # the nightly job: only the marked month
    split = rollups.split_period(district_id=world.district_a.pk, source=rollups.SERVICES, period=year)
    assert len(split.counted) == 12
    assert statistics_for_scope(scope=scope, period=year).services_count == before + 1
    counted = ServiceKindMonth.objects.filter(
        district=world.district_a, month=datetime.date(2024, 5, 1), agency__isnull=True
    )
    assert (
        sum(row.n for row in counted)
        == ServiceRecord.objects.filter(
            district=world.district_a, provided_on__range=(datetime.date(2024, 5, 1), datetime.date(2024, 5, 31))
        ).count()
    )


def test_the_nightly_job_is_scheduled_and_the_command_refreshes(world):
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "hamkke.reports.refresh_rollups" in schedule
    generate(world, seed=11, sizes=Sizes(households=4, conferences=1, extra_agencies=0))
    call_command("refresh_rollups", "--district", world.district_a.code, stdout=io.StringIO())
    assert ServiceKindMonth.objects.filter(district=world.district_a).exists()
    assert not ServiceKindMonth.objects.filter(district=world.district_b).exists()
    assert refresh_rollups()["months"] > 0  # district B's months, never counted
    assert refresh_rollups()["months"] == 0  # nothing changed since
