"""Seeded random casework rows for the accuracy test (and for timing the report on more data).

Written straight to the tables (bulk_create: the services are not under test here) and aimed at
the places where counting goes wrong: moments at 23:59:59.999999 and 00:00 Seoul time on the
last and first days of years, quarters and months; services on 31 December and 1 January;
households with two cases in one year, or a case in an earlier year; cases closed, reopened and
closed again; referrals answered or not; conferences held, cancelled or only scheduled; and a
second district whose rows must never be counted.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from hamkke.cases.models import Case, CaseType, ClosureReason, CrisisLevel, StageChange
from hamkke.cases.stages import Stage
from hamkke.conferences.models import Conference, ConferenceCase
from hamkke.core.domains import LifeDomain
from hamkke.districts.models import Agency
from hamkke.people.models import Household, Person
from hamkke.records.models import ContactRecord, ServiceRecord
from hamkke.referrals.models import Referral
from hamkke.testing.factories import AgencyFactory, DongFactory

SEOUL = ZoneInfo("Asia/Seoul")
UTC = datetime.UTC

# Days whose edges are tested: year, quarter and month boundaries around 2024.
EDGE_DAYS = [
    datetime.date(2023, 12, 31),
    datetime.date(2024, 1, 1),
    datetime.date(2024, 3, 31),
    datetime.date(2024, 4, 1),
    datetime.date(2024, 11, 30),
    datetime.date(2024, 12, 1),
    datetime.date(2024, 12, 31),
    datetime.date(2025, 1, 1),
]
FIRST, LAST = datetime.date(2023, 10, 1), datetime.date(2025, 3, 31)
OPEN_FIRST = datetime.date(2022, 6, 1)
MIDDLE_STAGES = [
    Stage.INITIAL_CONSULTATION,
    Stage.INTAKE,
    Stage.ASSESSMENT,
    Stage.CONFERENCE,
    Stage.SELECTION,
    Stage.PLANNING,
    Stage.DELIVERY,
    Stage.LINKAGE,
    Stage.REFUSED,
    Stage.ON_HOLD,
    Stage.REASSESSMENT,
]


def seoul(day: datetime.date, hour=0, minute=0, second=0, micro=0) -> datetime.datetime:
    """A Seoul wall-clock moment, stored as UTC (as Django stores it)."""
    return datetime.datetime(day.year, day.month, day.day, hour, minute, second, micro, tzinfo=SEOUL).astimezone(UTC)


@dataclass
class Sizes:
    households: int = 70
    cases_per_household: tuple[int, int] = (1, 3)
    services_per_case: tuple[int, int] = (0, 7)
    contacts_per_case: tuple[int, int] = (0, 6)
    referral_rate: float = 0.5
    conferences: int = 25
    extra_agencies: int = 2


class Generator:
    def __init__(
        self,
        *,
        seed: int,
        district,
        dongs,
        agencies,
        users,
        case_types,
        sizes: Sizes | None = None,
        first: datetime.date = FIRST,
        last: datetime.date = LAST,
    ):
        self.random = random.Random(seed)
        self.district, self.dongs, self.agencies, self.users = district, list(dongs), list(agencies), list(users)
        self.case_types = list(case_types) + [None]
        self.sizes = sizes or Sizes()
        self.first, self.last = first, last

    # --- moments ---------------------------------------------------------------------------------------

    def day(self, first=None, last=None) -> datetime.date:
        first, last = first or self.first, last or self.last
        if self.random.random() < 0.25:
            edges = [d for d in EDGE_DAYS if first <= d <= last]
            if edges:
                return self.random.choice(edges)
        return first + datetime.timedelta(days=self.random.randint(0, (last - first).days))

    def moment(self, first=None, last=None) -> datetime.datetime:
        """A random moment; often the first or the very last instant of a (Seoul) day."""
        day = self.day(first, last)
        edge = self.random.random()
        if edge < 0.3:
            return seoul(day)
        if edge < 0.6:
            return seoul(day, 23, 59, 59, 999999)
        return seoul(day, self.random.randint(0, 23), self.random.randint(0, 59), self.random.randint(0, 59))

    # --- rows ------------------------------------------------------------------------------------------

    def run(self) -> list[Case]:
        r, sizes = self.random, self.sizes
        households = Household.objects.bulk_create(
            [
                Household(district=self.district, dong=r.choice(self.dongs), address=f"시험로 {n + 1}")
                for n in range(sizes.households)
            ]
        )
        Person.objects.bulk_create(
            [
                Person(
                    district=self.district,
                    household=h,
                    name=f"가구원{h.pk}",
                    birth_date=datetime.date(1960, 1, 1),
                    sex="F",
                )
                for h in households
            ]
        )
        cases, histories = [], []
        for household in households:
            count = r.randint(*sizes.cases_per_household)
            if r.random() < 0.2:  # two cases in one year, or on the same day
                base = self.day(datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
                days = [
                    base,
                    base if r.random() < 0.3 else self.day(datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)),
                ]
            else:
                days = [self.day(OPEN_FIRST if r.random() < 0.3 else self.first) for _ in range(count)]
            for opened_on in days:
                case, history = self._case(household, opened_on)
                cases.append(case)
                histories.append(history)
        Case.objects.bulk_create(cases)
        StageChange.objects.bulk_create(
            [change for case, history in zip(cases, histories, strict=True) for change in self._changes(case, history)]
        )
        self._services(cases)
        self._contacts(cases)
        self._referrals(cases)
        self._conferences(cases)
        return cases

    def _case(self, household, opened_on: datetime.date):
        r = self.random
        at = seoul(opened_on, 9)
        history = [(at, "", Stage.IDENTIFICATION)]
        stage = Stage.IDENTIFICATION
        closed_on, reason = None, ""
        for _step in range(r.randint(0, 6)):
            at = at + datetime.timedelta(hours=r.randint(1, 24 * 120))
            later_edges = [d for d in EDGE_DAYS if seoul(d) > at]
            if later_edges and r.random() < 0.35:  # the first instant of a period, or the last one before it
                edge = seoul(r.choice(later_edges[:2]))
                at = edge if r.random() < 0.5 else edge - datetime.timedelta(microseconds=1)
            elif r.random() < 0.3:  # the edge of some day
                local = at.astimezone(SEOUL).date()
                at = seoul(local, 23, 59, 59, 999999) if r.random() < 0.5 else seoul(local + datetime.timedelta(1))
            if stage in (Stage.CLOSED, Stage.FOLLOW_UP):
                target = r.choice([Stage.FOLLOW_UP, Stage.INTAKE]) if stage == Stage.CLOSED else Stage.INTAKE
            else:
                target = Stage.CLOSED if r.random() < 0.35 else r.choice(MIDDLE_STAGES)
            history.append((at, stage, target))
            if target == Stage.CLOSED:
                closed_on, reason = at.astimezone(SEOUL).date(), r.choice(ClosureReason.values)
            elif target == Stage.INTAKE and stage in (Stage.CLOSED, Stage.FOLLOW_UP):
                closed_on, reason = None, ""
            stage = target
        lead = r.choice(self.agencies)
        case = Case(
            district=self.district,
            household=household,
            lead_agency=lead,
            lead_worker=r.choice(self.users),
            stage=stage,
            case_type=r.choice(self.case_types),
            crisis_level=r.choice(CrisisLevel.values + [""]),
            opened_on=opened_on,
            closed_on=closed_on,
            closure_reason=reason,
            stage_changed_at=history[-1][0],
        )
        return case, history

    def _changes(self, case, history):
        return [
            StageChange(
                district=self.district,
                case=case,
                from_stage=from_stage,
                to_stage=to_stage,
                changed_by=case.lead_worker,
                changed_at=at,
            )
            for at, from_stage, to_stage in history
        ]

    def _services(self, cases):
        r = self.random
        rows = []
        for case in cases:
            for _n in range(r.randint(*self.sizes.services_per_case)):
                kind = r.choice(["", "money", "goods"])
                rows.append(
                    ServiceRecord(
                        district=self.district,
                        case=case,
                        provided_on=self.day(),
                        domain=r.choice(LifeDomain.values),
                        mode=r.choice(ServiceRecord.Mode.values),
                        provider_agency=r.choice(self.agencies),
                        description=f"서비스 {r.randint(1, 999)}",
                        amount_kind=kind,
                        amount=Decimal(r.randint(1, 500) * 1000) if kind else None,
                        recorded_by=case.lead_worker,
                    )
                )
        ServiceRecord.objects.bulk_create(rows, batch_size=2000)

    def _contacts(self, cases):
        r = self.random
        rows = [
            ContactRecord(
                district=self.district,
                case=case,
                contacted_at=self.moment(),
                kind=r.choice(ContactRecord.Kind.values),
                outcome=r.choice(ContactRecord.Outcome.values),
                agency=r.choice(self.agencies),
                recorded_by=case.lead_worker,
            )
            for case in cases
            for _n in range(r.randint(*self.sizes.contacts_per_case))
        ]
        ContactRecord.objects.bulk_create(rows, batch_size=2000)

    def _referrals(self, cases):
        r = self.random
        rows = []
        for case in cases:
            if r.random() > self.sizes.referral_rate:
                continue
            for to_agency in r.sample(self.agencies, k=r.randint(1, 2)):
                from_agency = r.choice([a for a in self.agencies if a != to_agency])
                status = r.choice(Referral.Status.values)
                sent = self.moment()
                answered = status in (Referral.Status.ACCEPTED, Referral.Status.DECLINED, Referral.Status.COMPLETED)
                rows.append(
                    Referral(
                        district=self.district,
                        case=case,
                        from_agency=from_agency,
                        from_worker=case.lead_worker,
                        to_agency=to_agency,
                        reason="의뢰",
                        status=status,
                        sent_at=sent,
                        responded_at=sent + datetime.timedelta(minutes=r.randint(10, 60 * 24 * 20))
                        if answered
                        else None,
                    )
                )
        Referral.objects.bulk_create(rows, batch_size=2000)

    def _conferences(self, cases):
        r = self.random
        # Held at the first and at the last instant of each edge day, then at random moments.
        edges = [seoul(day) for day in EDGE_DAYS] + [seoul(day, 23, 59, 59, 999999) for day in EDGE_DAYS]
        for n in range(self.sizes.conferences):
            at = edges[n] if n < len(edges) else self.moment()
            conference = Conference.objects.create(
                district=self.district,
                kind=r.choice(Conference.Kind.values),
                title="사례회의",
                scheduled_at=at,
                host_agency=r.choice(self.agencies),
                status=Conference.Status.HELD
                if n < len(edges)
                else r.choice(
                    [Conference.Status.HELD] * 3 + [Conference.Status.SCHEDULED, Conference.Status.CANCELLED]
                ),
                created_by=self.users[0],
            )
            conference.agencies.set(r.sample(self.agencies, k=r.randint(1, min(3, len(self.agencies)))))
            ConferenceCase.objects.bulk_create(
                [
                    ConferenceCase(district=self.district, conference=conference, case=case)
                    for case in r.sample(cases, k=min(len(cases), r.randint(0, 4)))
                ]
            )


def generate(world, *, seed: int = 20240101, sizes: Sizes | None = None) -> dict:
    """Rows in the world's district A (and a few in district B, to be left out)."""
    sizes = sizes or Sizes()
    district = world.district_a
    extra = [
        AgencyFactory(district=district, name=f"추가기관{n}", kind=kind, dong=world.dong_a)
        for n, kind in zip(
            range(sizes.extra_agencies),
            [Agency.Kind.COMMUNITY_CENTRE, Agency.Kind.HOUSING_CENTRE, Agency.Kind.OTHER] * 10,
            strict=False,
        )
    ]
    agencies = [world.lead_agency, world.participating_agency, world.unrelated_agency, *extra]
    users = [world.lead_worker.user, world.participant_worker.user, world.unrelated_worker.user]
    Generator(
        seed=seed,
        district=district,
        dongs=world.dongs_a,
        agencies=agencies,
        users=users,
        case_types=world.case_types_a,
        sizes=sizes,
    ).run()
    b_types = list(CaseType.objects.filter(district=world.district_b))
    Generator(
        seed=seed + 1,
        district=world.district_b,
        dongs=[world.dong_b, DongFactory(district=world.district_b)],
        agencies=[world.agency_b, AgencyFactory(district=world.district_b, name="성동복지관")],
        users=[world.b_worker.user],
        case_types=b_types,
        sizes=Sizes(households=12, conferences=4),
    ).run()
    return {"agencies": agencies}
