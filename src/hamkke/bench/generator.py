"""A deterministic synthetic district of any size (issue 6).

``generate_synthetic(factor=1.0, seed=1)`` writes one new district ("metro": 100,000 households,
200,000 persons, 100,000 cases, 1,000,000 service records, 2,000,000 contact records, 300
agencies, 3,000 workers, five years of history) straight into the tables (``loader.Loader``:
COPY on PostgreSQL). The same seed, size and ``today`` give the same rows.

The shape follows practice (DOMAIN.md §2): most cases are short (a referral, a few visits, closed
within months), a quarter take a year or more with reassessment cycles, and a few dozen "long
dramas" run the whole five years with thousands of visits, calls and services, a refusal phase
included (the hoarding household of §7). Event counts per case follow its length times a
log-normal intensity, so the busiest case of the metro district has a few thousand events.

Rows are written without going through the services on purpose: the services audit and check
every write, which is right for people and wrong for three million generated rows. What the
services would guarantee is kept by construction: stages follow ``cases.stages.TRANSITIONS``,
records fall between a case's opening and its closure, participants join after intake, consents
name the participating agencies (except a few, so that "known without content" is exercised),
every district-owned row carries its district.
"""

from __future__ import annotations

import datetime
import math
import random
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from hamkke.access.models import CaseAccess
from hamkke.access.table import rebuild as rebuild_case_access
from hamkke.accounts.models import Membership, Role, User
from hamkke.assessment.models import Need
from hamkke.cases.models import (
    Case,
    CaseParticipant,
    CaseType,
    ClosureReason,
    CrisisLevel,
    ReferralSource,
    StageChange,
    TeamEvent,
    Urgency,
)
from hamkke.cases.services import case_types_ensure_defaults
from hamkke.cases.stages import TRANSITIONS, Stage
from hamkke.conferences.models import Conference, ConferenceCase
from hamkke.consents.models import Consent
from hamkke.core import rrn as rrn_rules
from hamkke.core.domains import LifeDomain
from hamkke.districts.models import Agency, District, DistrictPolicy, Dong
from hamkke.people.models import Household, Person
from hamkke.records.models import ContactRecord, ServiceRecord
from hamkke.referrals.models import Referral
from hamkke.resources.models import Resource
from hamkke.testing import make_rrn

from . import names
from .loader import Loader

S = Stage
KST = datetime.timezone(datetime.timedelta(hours=9))  # Seoul: no daylight saving since 1988
DAY = datetime.timedelta(days=1)
BENCH_PASSWORD = "bench-Hamkke-2026!"  # every generated user's password (a synthetic district only)

# The metro district; other sizes scale these by a factor (minimums keep a tiny district coherent).
METRO = {
    "households": 100_000,
    "persons": 200_000,
    "cases": 100_000,
    "services": 1_000_000,
    "contacts": 2_000_000,
    "agencies": 300,
    "workers": 3_000,
    "years": 5,
}
SIZES = {"tiny": 0.001, "small": 0.01, "medium": 0.1, "metro": 1.0}

# Loaded without their indexes and constraints, which are rebuilt (and the keys validated) once at the end.
BIG_TABLES = (Household, Person, Case, StageChange, Need, ServiceRecord, ContactRecord)
RRN_SHARE = 0.10  # persons with an RRN (encrypted + keyed hash): only agencies with a legal basis hold one
SAGA_SHARE = 0.0005  # "long dramas": five-year cases with thousands of events
PARTICIPATION = 0.25  # of cases that reach intake, with other agencies on the team
REFUSAL = 0.08  # of cases with a refusal phase (keep knocking)


@dataclass(frozen=True)
class Scale:
    households: int
    persons: int
    cases: int
    services: int
    contacts: int
    agencies: int
    workers: int
    years: int
    dongs: int
    resources: int
    sagas: int

    @classmethod
    def of(cls, factor: float) -> Scale:
        def n(key: str, minimum: int) -> int:
            return max(minimum, round(METRO[key] * factor))

        agencies = n("agencies", 6)
        households = n("households", 10)
        return cls(
            households=households,
            persons=max(households, n("persons", 20)),
            cases=n("cases", 10),
            services=n("services", 50),
            contacts=n("contacts", 100),
            agencies=agencies,
            workers=max(agencies + 2, n("workers", 12)),
            years=METRO["years"],
            dongs=max(3, round(30 * math.sqrt(factor))),
            resources=max(10, round(2_000 * factor)),
            sagas=max(1, round(METRO["cases"] * factor * SAGA_SHARE)),
        )


@dataclass
class Result:
    district: District
    factor: float
    seed: int
    rows: dict[str, int]
    seconds: dict[str, float]
    total_seconds: float
    rrn_encrypted: int
    largest_case_id: int | None
    notes: list[str] = field(default_factory=list)


# --- small helpers ---------------------------------------------------------------------------------


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=KST)


def allocate(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` (largest remainders; exact sum)."""
    weight_sum = sum(weights)
    exact = [total * w / weight_sum for w in weights]
    counts = [int(x) for x in exact]
    short = total - sum(counts)
    by_remainder = sorted(range(len(weights)), key=lambda i: (counts[i] - exact[i], i))
    for i in by_remainder[:short]:
        counts[i] += 1
    return counts


@dataclass(slots=True)
class CaseSketch:
    """What the generator decided about one case before writing it and its events."""

    id: int
    uuid: uuid.UUID
    household_id: int
    head_id: int
    lead_agency_id: int
    lead_worker_id: int
    opened_on: datetime.date
    last_day: datetime.date  # closed_on, or today for an open case
    closed_on: datetime.date | None
    steps: list[tuple[datetime.datetime, str, str]]
    case_type_id: int | None = None
    crisis_level: str = ""
    closure_reason: str = ""
    refused: bool = False
    saga: bool = False
    participants: list[tuple[int, int, int, datetime.date, datetime.date | None]] = field(default_factory=list)
    weight: float = 1.0

    @property
    def stage(self) -> str:
        return self.steps[-1][2]

    def reached(self, stage: str) -> datetime.datetime | None:
        return next((at for at, _from, to in self.steps if to == stage), None)


# --- the generator ---------------------------------------------------------------------------------


class SyntheticDistrict:
    def __init__(self, *, factor: float, seed: int, today: datetime.date, loader: Loader, log: Callable[[str], None]):
        self.factor, self.seed, self.today, self.loader, self.log = factor, seed, today, loader, log
        self.scale = Scale.of(factor)
        self.start = today - datetime.timedelta(days=round(365.25 * self.scale.years))
        self.now = timezone.now()

    def rng(self, stream: str) -> random.Random:
        """One independent random stream per table: changing one table never shifts another."""
        return random.Random(f"hamkke-bench:{self.seed}:{stream}")

    # -- reference data (a few hundred rows: through the ORM) ------------------------------------------

    def make_district(self) -> None:
        size = next((k for k, v in SIZES.items() if v == self.factor), f"x{self.factor:g}")
        code = f"B{self.seed % 1000:03d}{round(self.factor * 1000) % 100000:05d}"
        if District.objects.filter(code=code).exists():
            raise ValueError(f"a synthetic district with code {code} (size {size}, seed {self.seed}) already exists")
        self.district = District.objects.create(name=f"합성구({size}, seed {self.seed})", code=code)
        DistrictPolicy.for_district(self.district.pk)
        types = {t.code: t for t in case_types_ensure_defaults(district=self.district)}
        self.type_high, self.type_general, self.type_referral = (
            types["high_complexity"].pk,
            types["general"].pk,
            types["referral"].pk,
        )
        rng = self.rng("dongs")
        self.dongs = Dong.objects.bulk_create(
            Dong(district=self.district, name=name) for name in names.dong_names(self.scale.dongs)
        )
        self.dong_pick = names.Weighted([(d.pk, rng.randint(3, 12)) for d in self.dongs])
        self.dong_roads = {d.pk: rng.sample(names.ROADS, 3) for d in self.dongs}

    def make_agencies(self) -> None:
        n, K = self.scale.agencies, Agency.Kind
        community = min(len(self.dongs), max(1, round(n * 0.1)))
        welfare, mental, housing = max(1, round(n * 0.08)), max(1, round(n * 0.01)), max(1, round(n * 0.01))
        other = max(0, n - 1 - community - welfare - mental - housing)
        plan = (
            [(K.DISTRICT_OFFICE, 10.0)]
            + [(K.COMMUNITY_CENTRE, 3.0)] * community
            + [(K.WELFARE_CENTRE, 4.0)] * welfare
            + [(K.MENTAL_HEALTH_CENTRE, 3.0)] * mental
            + [(K.HOUSING_CENTRE, 2.0)] * housing
            + [(K.OTHER, 0.1)] * other
        )
        others = (
            "병원",
            "초등학교",
            "경찰서 지구대",
            "나눔회",
            "지역아동센터",
            "노인복지관",
            "장애인복지관",
            "자활센터",
        )
        rng = self.rng("agencies")
        agencies = []
        for i, (kind, _weight) in enumerate(plan):
            dong = self.dongs[i % len(self.dongs)]
            stem = names.DONG_STEMS[i % len(names.DONG_STEMS)]
            name = {
                K.DISTRICT_OFFICE: f"{self.district.name} 희망복지지원단",
                K.COMMUNITY_CENTRE: f"{dong.name} 행정복지센터",
                K.WELFARE_CENTRE: f"{stem}종합사회복지관 {i}",
                K.MENTAL_HEALTH_CENTRE: f"정신건강복지센터 {i}",
                K.HOUSING_CENTRE: f"주거안심종합센터 {i}",
            }.get(kind) or f"{stem}{others[i % len(others)]} {i}"
            public = kind in (K.DISTRICT_OFFICE, K.COMMUNITY_CENTRE)
            agencies.append(
                Agency(
                    district=self.district,
                    name=name,
                    kind=kind,
                    dong=dong,
                    rrn_allowed=public,
                    sector=Agency.Sector.PUBLIC if public else Agency.Sector.PRIVATE,
                    phone=f"02-{rng.randint(2000, 9999)}-{rng.randint(1000, 9999)}",
                    uuid=_uuid(rng),
                )
            )
        self.agencies = Agency.objects.bulk_create(agencies)
        self.agency_weight = {a.pk: w for a, (_k, w) in zip(self.agencies, plan, strict=True)}
        self.lead_pick = names.Weighted([(a.pk, self.agency_weight[a.pk]) for a in self.agencies])
        self.rrn_agencies = {a.pk for a in self.agencies if a.rrn_allowed}

    def make_staff(self) -> None:
        rng = self.rng("staff")
        loader = self.loader
        agency_ids = [a.pk for a in self.agencies]
        extra = allocate(self.scale.workers - len(agency_ids) - 2, [self.agency_weight[a] for a in agency_ids])
        password = make_password(BENCH_PASSWORD)
        user_id, membership_id = loader.next_id(User), loader.next_id(Membership)
        users, memberships = [], []
        self.members: dict[int, list[int]] = {}  # agency -> users who carry cases (workers, supervisors)
        self.staff_ids: list[int] = []
        self.special: dict[str, int] = {}
        prefix = f"b{self.district.code.lower()}"
        for agency_id, more in zip(agency_ids + [agency_ids[0], agency_ids[0]], extra + [0, 0], strict=True):
            count = 1 + more
            for j in range(count):
                if len(users) == self.scale.workers - 2:
                    role = Role.DISTRICT_ADMIN
                elif len(users) == self.scale.workers - 1:
                    role = Role.AUDITOR
                else:
                    role = (
                        Role.SUPERVISOR
                        if j == 0 and count > 1
                        else (Role.AGENCY_ADMIN if j == 1 and count >= 6 else Role.WORKER)
                    )
                born = rng.randint(1965, 1998)
                sex = "F" if rng.random() < 0.7 else "M"
                users.append(
                    (
                        user_id,
                        password,
                        None,
                        False,
                        f"{prefix}-{len(users) + 1:05d}",
                        "",
                        "",
                        "",
                        False,
                        True,
                        self.now,
                        names.full_name(rng, sex, born),
                    )
                )
                memberships.append(
                    (membership_id, self.now, self.now, self.district.pk, user_id, agency_id, role, "", True)
                )
                if role in (Role.WORKER, Role.SUPERVISOR):
                    self.members.setdefault(agency_id, []).append(user_id)
                if role in (Role.DISTRICT_ADMIN, Role.AUDITOR):
                    self.special[role] = user_id
                self.staff_ids.append(user_id)
                user_id += 1
                membership_id += 1
        loader.load(
            User,
            (
                "id",
                "password",
                "last_login",
                "is_superuser",
                "username",
                "first_name",
                "last_name",
                "email",
                "is_staff",
                "is_active",
                "date_joined",
                "display_name",
            ),
            users,
        )
        loader.load(
            Membership,
            ("id", "created_at", "updated_at", "district_id", "user_id", "agency_id", "role", "title", "is_active"),
            memberships,
        )

    def make_resources(self) -> None:
        rng = self.rng("resources")
        first = self.loader.next_id(Resource)
        informal = sorted(Resource.INFORMAL_TYPES)
        formal = [t for t in Resource.Type.values if t not in Resource.INFORMAL_TYPES]
        domains = LifeDomain.values
        rows = []
        for i in range(self.scale.resources):
            kind = Resource.Kind.INFORMAL if rng.random() < 0.4 else Resource.Kind.FORMAL
            agency_id = self.lead_pick.pick(rng)
            domain = rng.choice(domains)
            rows.append(
                (
                    first + i,
                    _uuid(rng),
                    self.now,
                    self.now,
                    self.district.pk,
                    f"{rng.choice(names.DESCRIPTIONS[domain])} {i + 1}",
                    kind,
                    rng.choice(informal if kind == Resource.Kind.INFORMAL else formal),
                    domain,
                    "",
                    "",
                    agency_id if kind == Resource.Kind.FORMAL else None,
                    "",
                    None,
                    rng.random() < 0.8,
                    True,
                    agency_id,
                    rng.choice(self.members[agency_id]),
                )
            )
        self.loader.load(
            Resource,
            (
                "id",
                "uuid",
                "created_at",
                "updated_at",
                "district_id",
                "name",
                "kind",
                "type",
                "domain",
                "description",
                "provider",
                "provider_agency_id",
                "contact",
                "capacity",
                "is_ordinary",
                "is_active",
                "added_by_agency_id",
                "added_by_id",
            ),
            rows,
        )
        self.resource_ids = [first + i for i in range(self.scale.resources)]

    # -- households and persons -----------------------------------------------------------------------

    def make_people(self) -> None:
        rng = self.rng("people")
        scale = self.scale
        sizes = [rng.choices((1, 2, 3, 4, 5), (45, 25, 15, 10, 5))[0] for _ in range(scale.households)]
        diff = scale.persons - sum(sizes)
        while diff:
            i = rng.randrange(scale.households)
            if diff > 0 and sizes[i] < 7:
                sizes[i], diff = sizes[i] + 1, diff - 1
            elif diff < 0 and sizes[i] > 1:
                sizes[i], diff = sizes[i] - 1, diff + 1
        household_first, person_first = self.loader.next_id(Household), self.loader.next_id(Person)
        self.household_ids = list(range(household_first, household_first + scale.households))
        self.heads: dict[int, int] = {}
        households, persons = [], []
        district_id = self.district.pk
        rrn_field = Person._meta.get_field("rrn_encrypted")
        self.rrn_count, self.rrn_seconds = 0, 0.0
        person_id = person_first
        relations = (
            Person.Relation.SPOUSE,
            Person.Relation.CHILD,
            Person.Relation.CHILD,
            Person.Relation.PARENT,
            Person.Relation.GRANDCHILD,
            Person.Relation.SIBLING,
            Person.Relation.OTHER,
        )
        for household_id, size in zip(self.household_ids, sizes, strict=True):
            dong_id = self.dong_pick.pick(rng)
            registered = self.start + DAY * rng.randrange((self.today - self.start).days + 1)
            at = _at(registered, 9)
            households.append(
                (
                    household_id,
                    _uuid(rng),
                    at,
                    at,
                    district_id,
                    dong_id,
                    f"{self.district.name} {rng.choice(self.dong_roads[dong_id])} {rng.randint(1, 300)}",
                    rng.choice(names.ADDRESS_DETAILS),
                    None,
                )
            )
            head_year = min(2004, max(1930, int(rng.gauss(1962, 15))))
            head_sex = "M" if rng.random() < 0.45 else "F"
            family = names.surname(rng)
            for k in range(size):
                if k == 0:
                    relation, year, sex, surname = Person.Relation.HEAD, head_year, head_sex, family
                else:
                    relation = relations[min(k - 1, len(relations) - 1)]
                    sex = "M" if rng.random() < 0.5 else "F"
                    offsets = {
                        Person.Relation.SPOUSE: (-5, 5),
                        Person.Relation.CHILD: (22, 40),
                        Person.Relation.PARENT: (-35, -22),
                        Person.Relation.GRANDCHILD: (45, 65),
                    }
                    year = head_year + rng.randint(*offsets.get(relation, (-10, 10)))
                    year = min(self.today.year - 1, max(1920, year))
                    surname = (
                        family
                        if relation in (Person.Relation.CHILD, Person.Relation.GRANDCHILD, Person.Relation.SIBLING)
                        and head_sex == "M"
                        else None
                    )
                born = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
                phone = f"010-{rng.randint(2000, 9999)}-{rng.randint(0, 9999):04d}" if rng.random() < 0.8 else ""
                rrn_cipher, rrn_digest = None, ""
                if rng.random() < RRN_SHARE and born.year >= 1900:
                    number = make_rrn(born, sex, serial=f"{person_id % 100000:05d}")
                    began = time.perf_counter()
                    rrn_cipher = rrn_field.get_db_prep_save(number, self.loader.connection)
                    rrn_digest = rrn_rules.rrn_hash(number)
                    self.rrn_seconds += time.perf_counter() - began
                    self.rrn_count += 1
                persons.append(
                    (
                        person_id,
                        _uuid(rng),
                        at,
                        at,
                        district_id,
                        household_id,
                        names.full_name(rng, sex, year, surname),
                        born,
                        sex,
                        phone,
                        relation,
                        rrn_cipher,
                        rrn_digest,
                        None,
                        "",  # apparent_age_band: only for a person whose identity is not known
                        "",  # description: likewise
                    )
                )
                if k == 0:
                    self.heads[household_id] = person_id
                person_id += 1
        self.loader.load(
            Household,
            (
                "id",
                "uuid",
                "created_at",
                "updated_at",
                "district_id",
                "dong_id",
                "address",
                "address_detail",
                "created_by_id",
            ),
            households,
        )
        self.loader.load(
            Person,
            (
                "id",
                "uuid",
                "created_at",
                "updated_at",
                "district_id",
                "household_id",
                "name",
                "birth_date",
                "sex",
                "phone",
                "relation",
                "rrn_encrypted",
                "rrn_hash",
                "created_by_id",
                "apparent_age_band",
                "description",
            ),
            persons,
            prepared=("rrn_encrypted",),
        )

    # -- cases ---------------------------------------------------------------------------------------

    def plan_cases(self) -> None:
        rng = self.rng("cases")
        scale = self.scale
        span = (self.today - self.start).days
        opened = sorted(self.start + DAY * int(span * rng.random() ** 0.85) for _ in range(scale.cases))
        first_id = self.loader.next_id(Case)
        sagas = set(rng.sample(range(max(1, scale.cases // 10)), min(scale.sagas, max(1, scale.cases // 10))))
        households = list(self.household_ids)
        rng.shuffle(households)
        self.cases: list[CaseSketch] = []
        for i, opened_on in enumerate(opened):
            # Most households have one case; a few come back with a second one later.
            household_id = (
                households[i % len(households)]
                if rng.random() > 0.03 or i < 10
                else self.cases[rng.randrange(len(self.cases))].household_id
            )
            saga = i in sagas
            roll = rng.random()
            if saga:
                days = span * 2
            elif roll < 0.68:
                days = min(365, int(rng.lognormvariate(math.log(75), 0.6)))
            elif roll < 0.95:
                days = int(rng.lognormvariate(math.log(300), 0.5))
            else:
                days = rng.randint(730, 1825)
            end = opened_on + DAY * days
            closed_on = end if end < self.today else None
            lead_agency_id = self.lead_pick.pick(rng)
            case = CaseSketch(
                id=first_id + i,
                uuid=_uuid(rng),
                household_id=household_id,
                head_id=self.heads[household_id],
                lead_agency_id=lead_agency_id,
                lead_worker_id=rng.choice(self.members[lead_agency_id]),
                opened_on=opened_on,
                last_day=closed_on or self.today,
                closed_on=closed_on,
                steps=[],
                refused=saga or rng.random() < REFUSAL,
                saga=saga,
            )
            self._walk_stages(case, rng, light=not saga and rng.random() < 0.25)
            if case.closed_on and case.stage == S.CLOSED:
                case.closure_reason = rng.choices(ClosureReason.values, (45, 12, 6, 10, 7, 10, 4, 6))[0]
            self._add_participants(case, rng)
            # A long drama is visited often for years: a few thousand events at metro (not tens of thousands).
            intensity = rng.uniform(6, 15) if saga else rng.lognormvariate(0, 0.7)
            case.weight = ((case.last_day - opened_on).days + 1) * intensity
            self.cases.append(case)

    def _walk_stages(self, case: CaseSketch, rng: random.Random, *, light: bool) -> None:
        """The stage path of one case, cut at its last day (today, or the day it closed)."""
        gaps = {
            S.INITIAL_CONSULTATION: (1, 7),
            S.INTAKE: (2, 10),
            S.ASSESSMENT: (5, 12),
            S.CONFERENCE: (3, 10),
            S.SELECTION: (2, 6),
            S.PLANNING: (5, 15),
            S.DELIVERY: (3, 10),
            S.LINKAGE: (3, 10),
            S.REASSESSMENT: (150, 210),
        }
        path = [S.INITIAL_CONSULTATION, S.INTAKE] + (
            [S.LINKAGE] if light else [S.ASSESSMENT, S.CONFERENCE, S.SELECTION, S.PLANNING, S.DELIVERY]
        )
        t = _at(case.opened_on, 9)
        last = _at(case.last_day, 18)
        case.steps.append((t, "", S.IDENTIFICATION))

        def step(to: str, days: float) -> bool:
            nonlocal t
            at = t + datetime.timedelta(days=days, minutes=rng.randint(0, 480))
            if at > last:
                return False
            assert to in TRANSITIONS[case.stage], (case.stage, to)
            case.steps.append((at, case.stage, to))
            t = at
            return True

        for stage in path:
            if stage == S.INTAKE and case.refused:
                if not step(S.REFUSED, rng.randint(1, 10)):
                    break
                if not step(S.INTAKE, rng.randint(30, 1500 if case.saga else 400)):
                    break
                continue
            if not step(stage, rng.randint(*gaps[stage])):
                break
        else:
            while case.stage == S.DELIVERY and step(S.REASSESSMENT, rng.randint(*gaps[S.REASSESSMENT])):
                if not step(S.PLANNING, rng.randint(5, 15)) or not step(S.DELIVERY, rng.randint(3, 10)):
                    break
        if case.closed_on is None and S.ON_HOLD in TRANSITIONS[case.stage] and rng.random() < 0.03:
            step(S.ON_HOLD, rng.randint(1, 20))
        if case.closed_on is not None:
            closed_at = max(last - datetime.timedelta(hours=1), t + datetime.timedelta(minutes=1))
            case.steps.append((closed_at, case.stage, S.CLOSED))
            follow = closed_at + datetime.timedelta(days=rng.randint(1, 5))
            if rng.random() < 0.4 and follow.date() <= self.today:
                case.steps.append((follow, S.CLOSED, S.FOLLOW_UP))
        if case.reached(S.SELECTION):
            case.case_type_id = self.type_high if rng.random() < 0.25 else self.type_general
        elif case.reached(S.LINKAGE):
            case.case_type_id = self.type_referral
        if case.reached(S.ASSESSMENT) or (case.reached(S.LINKAGE) and rng.random() < 0.5):
            case.crisis_level = rng.choices(CrisisLevel.values, (15, 45, 40))[0]

    def _add_participants(self, case: CaseSketch, rng: random.Random) -> None:
        intake = case.reached(S.INTAKE)
        if intake is None or (not case.saga and rng.random() >= PARTICIPATION):
            return
        taken = {case.lead_agency_id}
        for _ in range(rng.choices((1, 2, 3), (70, 25, 5))[0] + (2 if case.saga else 0)):
            agency_id = self.lead_pick.pick(rng) if rng.random() < 0.7 else rng.choice(self.agencies).pk
            if agency_id in taken:
                continue
            joined = intake.date() + DAY * rng.randint(3, 30)
            if joined > case.last_day:
                continue
            left = None
            if case.closed_on and rng.random() < 0.5:
                left = case.closed_on
            elif not case.closed_on and rng.random() < 0.1:
                left = joined + DAY * rng.randint(0, (self.today - joined).days)
            taken.add(agency_id)
            case.participants.append(
                (agency_id, rng.choice(self.members[agency_id]), len(case.participants), joined, left)
            )

    def write_cases(self) -> None:
        rng = self.rng("case-rows")
        d = self.district.pk
        urgencies, sources = Urgency.values, ReferralSource.values

        def cases() -> Iterator[tuple]:
            for c in self.cases:
                created = _at(c.opened_on, 9)
                yield (
                    c.id,
                    c.uuid,
                    created,
                    c.steps[-1][0],
                    d,
                    c.household_id,
                    c.lead_agency_id,
                    c.lead_worker_id,
                    c.stage,
                    c.case_type_id,
                    c.crisis_level,
                    rng.choice(names.SUMMARIES),
                    rng.choice(sources),
                    "",
                    c.opened_on,
                    rng.choice(urgencies),
                    c.closure_reason,
                    "목표 대비 평가: 생활이 안정됨" if c.closure_reason else "",
                    c.opened_on,
                    c.closed_on,
                    c.steps[-1][0],
                )

        self.loader.load(
            Case,
            (
                "id",
                "uuid",
                "created_at",
                "updated_at",
                "district_id",
                "household_id",
                "lead_agency_id",
                "lead_worker_id",
                "stage",
                "case_type_id",
                "crisis_level",
                "summary",
                "referral_source",
                "referral_note",
                "first_contact_on",
                "urgency",
                "closure_reason",
                "closure_evaluation",
                "opened_on",
                "closed_on",
                "stage_changed_at",
            ),
            cases(),
        )

        reasons = {S.REFUSED: "도움을 원하지 않음, 지속 방문 예정", S.ON_HOLD: "당사자 입원으로 보류", S.CLOSED: "종결"}

        first_change = self.loader.next_id(StageChange)  # before the COPY: it holds the connection

        def stage_changes() -> Iterator[tuple]:
            pk = first_change
            for c in self.cases:
                for at, from_stage, to_stage in c.steps:
                    yield (
                        pk,
                        at,
                        at,
                        d,
                        c.id,
                        from_stage,
                        to_stage,
                        c.lead_worker_id,
                        at,
                        reasons.get(to_stage, "사례 등록" if not from_stage else ""),
                    )
                    pk += 1

        self.loader.load(
            StageChange,
            (
                "id",
                "created_at",
                "updated_at",
                "district_id",
                "case_id",
                "from_stage",
                "to_stage",
                "changed_by_id",
                "changed_at",
                "reason",
            ),
            stage_changes(),
        )
        self._write_team()
        self._write_consents(rng)
        self._write_needs_and_conferences(rng)

    def _write_team(self) -> None:
        d = self.district.pk
        participant_id, event_id, referral_id = (self.loader.next_id(m) for m in (CaseParticipant, TeamEvent, Referral))
        rng = self.rng("team")
        participants, events, referrals = [], [], []
        for c in self.cases:
            for agency_id, worker_id, _n, joined, left in c.participants:
                at = _at(joined, 10)
                participants.append((participant_id, at, at, d, c.id, agency_id, worker_id, "협력 지원", joined, left))
                participant_id += 1
                events.append(
                    (
                        event_id,
                        at,
                        at,
                        d,
                        c.id,
                        TeamEvent.Kind.JOINED,
                        agency_id,
                        worker_id,
                        None,
                        "",
                        at,
                        c.lead_worker_id,
                    )
                )
                event_id += 1
                sent = at - datetime.timedelta(days=rng.randint(1, 5))
                referrals.append(
                    (
                        referral_id,
                        _uuid(rng),
                        sent,
                        at,
                        d,
                        c.id,
                        None,
                        c.lead_agency_id,
                        c.lead_worker_id,
                        agency_id,
                        "전문 서비스 연계 요청",
                        Referral.Status.COMPLETED if left else Referral.Status.ACCEPTED,
                        sent,
                        at,
                        worker_id,
                        "수락합니다",
                        _at(left, 17) if left else None,
                        "연계 완료" if left else "",
                    )
                )
                referral_id += 1
                if left:
                    left_at = _at(left, 17)
                    events.append(
                        (
                            event_id,
                            left_at,
                            left_at,
                            d,
                            c.id,
                            TeamEvent.Kind.LEFT,
                            agency_id,
                            worker_id,
                            None,
                            "",
                            left_at,
                            c.lead_worker_id,
                        )
                    )
                    event_id += 1
            intake = c.reached(S.INTAKE)
            if intake and rng.random() < 0.02:  # a declined referral: the receiving agency is full
                to_agency = self.lead_pick.pick(rng)
                if to_agency != c.lead_agency_id and to_agency not in {p[0] for p in c.participants}:
                    sent = intake + datetime.timedelta(days=2)
                    answered = sent + datetime.timedelta(hours=rng.randint(2, 200))
                    referrals.append(
                        (
                            referral_id,
                            _uuid(rng),
                            sent,
                            answered,
                            d,
                            c.id,
                            None,
                            c.lead_agency_id,
                            c.lead_worker_id,
                            to_agency,
                            "서비스 연계 요청",
                            Referral.Status.DECLINED,
                            sent,
                            answered,
                            self.members[to_agency][0],
                            "정원 초과",
                            None,
                            "",
                        )
                    )
                    referral_id += 1
        self.loader.load(
            CaseParticipant,
            (
                "id",
                "created_at",
                "updated_at",
                "district_id",
                "case_id",
                "agency_id",
                "worker_id",
                "role",
                "joined_on",
                "left_on",
            ),
            participants,
        )
        self.loader.load(
            TeamEvent,
            (
                "id",
                "created_at",
                "updated_at",
                "district_id",
                "case_id",
                "kind",
                "agency_id",
                "worker_id",
                "from_agency_id",
                "note",
                "at",
                "by_id",
            ),
            events,
        )
        self.loader.load(
            Referral,
            (
                "id",
                "uuid",
                "created_at",
                "updated_at",
                "district_id",
                "case_id",
                "need_id",
                "from_agency_id",
                "from_worker_id",
                "to_agency_id",
                "reason",
                "status",
                "sent_at",
                "responded_at",
                "responded_by_id",
                "response_note",
                "completed_at",
                "completion_note",
            ),
            referrals,
        )

    def _write_consents(self, rng: random.Random) -> None:
        d = self.district.pk
        consent_id, link_id = self.loader.next_id(Consent), self.loader.next_id(Consent.third_party_agencies.through)
        consents, links = [], []
        for c in self.cases:
            intake = c.reached(S.INTAKE)
            if intake is None or rng.random() < (0.08 if c.participants else 0.3):
                continue
            given = intake.date()
            withdrawn = given + DAY * rng.randint(0, (self.today - given).days) if rng.random() < 0.02 else None
            at = _at(given, 11)
            consents.append(
                (
                    consent_id,
                    _uuid(rng),
                    at,
                    at,
                    d,
                    c.id,
                    c.head_id,
                    True,
                    [],
                    rng.random() < 0.08,
                    rng.random() < 0.3,
                    "",
                    "",
                    given,
                    given + DAY * 1095,
                    withdrawn,
                    c.lead_worker_id,
                )
            )
            for agency_id, *_rest in c.participants:
                links.append((link_id, consent_id, agency_id))
                link_id += 1
            consent_id += 1
        self.loader.load(
            Consent,
            (
                "id",
                "uuid",
                "created_at",
                "updated_at",
                "district_id",
                "case_id",
                "person_id",
                "required_collection",
                "optional_items",
                "share_with_district_network",
                "sensitive_data",
                "guardian_name",
                "guardian_relation",
                "given_on",
                "expires_on",
                "withdrawn_on",
                "recorded_by_id",
            ),
            consents,
        )
        self.loader.load(Consent.third_party_agencies.through, ("id", "consent_id", "agency_id"), links)

    def _write_needs_and_conferences(self, rng: random.Random) -> None:
        d = self.district.pk
        need_id, conference_id = self.loader.next_id(Need), self.loader.next_id(Conference)
        item_id = self.loader.next_id(ConferenceCase)
        link_id = self.loader.next_id(Conference.agencies.through)
        needs, conferences, items, links = [], [], [], []
        domains = LifeDomain.values
        for c in self.cases:
            assessed = c.reached(S.ASSESSMENT)
            if assessed:
                delivered = c.reached(S.DELIVERY) is not None
                for _ in range(rng.randint(1, 3)):
                    text = rng.choice(names.NEED_TEXTS)
                    status = (
                        rng.choice((Need.Status.SELECTED, Need.Status.ACHIEVED))
                        if delivered
                        else Need.Status.DISCUSSING
                    )
                    needs.append(
                        (
                            need_id,
                            _uuid(rng),
                            assessed,
                            assessed,
                            d,
                            c.id,
                            c.head_id,
                            rng.choice(domains),
                            text,
                            "",
                            text + "(함께 정한 목표)" if delivered else "",
                            Need.Proposer.PERSON,
                            Need.Framing.POSITIVE,
                            status,
                            "",
                            "",
                            c.lead_worker_id,
                            assessed.date(),  # identified when assessed (event time, issue 13)
                        )
                    )
                    need_id += 1
            held = c.reached(S.CONFERENCE)
            if held:
                conferences.append(
                    (
                        conference_id,
                        _uuid(rng),
                        held,
                        held,
                        d,
                        Conference.Kind.CASE_CONFERENCE,
                        f"사례회의 {c.uuid.hex[:8].upper()}",
                        held,
                        "",
                        c.lead_agency_id,
                        False,
                        False,
                        "",
                        "역할 분담 결정",
                        Conference.Status.HELD,
                        c.lead_worker_id,
                    )
                )
                items.append((item_id, held, held, d, conference_id, c.id, "현재 상황 공유, 역할 분담"))
                item_id += 1
                for agency_id in [c.lead_agency_id] + [p[0] for p in c.participants if _at(p[3], 10) <= held]:
                    links.append((link_id, conference_id, agency_id))
                    link_id += 1
                conference_id += 1
        self.loader.load(
            Need,
            (
                "id",
                "uuid",
                "created_at",
                "updated_at",
                "district_id",
                "case_id",
                "person_id",
                "domain",
                "expressed_text",
                "felt_text",
                "agreed_text",
                "proposer",
                "framing",
                "status",
                "set_aside_reason",
                "set_aside_note",
                "recorded_by_id",
                "identified_on",
            ),
            needs,
        )
        self.loader.load(
            Conference,
            (
                "id",
                "uuid",
                "created_at",
                "updated_at",
                "district_id",
                "kind",
                "title",
                "scheduled_at",
                "place",
                "host_agency_id",
                "person_attended",
                "family_attended",
                "other_attendees",
                "minutes",
                "status",
                "created_by_id",
            ),
            conferences,
        )
        self.loader.load(
            ConferenceCase,
            ("id", "created_at", "updated_at", "district_id", "conference_id", "case_id", "discussion"),
            items,
        )
        self.loader.load(Conference.agencies.through, ("id", "conference_id", "agency_id"), links)

    # -- the many rows: services and contacts ------------------------------------------------------------

    def _team(self, c: CaseSketch) -> list[tuple[int, int]]:
        return [(c.lead_agency_id, c.lead_worker_id)] * 3 + [(a, w) for a, w, *_rest in c.participants]

    def write_services(self) -> None:
        rng = self.rng("services")
        counts = allocate(
            self.scale.services, [c.weight * (0.5 if c.case_type_id == self.type_referral else 1) for c in self.cases]
        )
        d = self.district.pk
        domain_pick = names.Weighted(
            [
                ("livelihood", 22),
                ("housing", 14),
                ("physical_health", 14),
                ("mental_health", 9),
                ("employment", 6),
                ("education", 4),
                ("daily_living", 16),
                ("safety", 7),
                ("family", 5),
                ("legal", 3),
            ]
        )
        resources = self.resource_ids
        first = self.loader.next_id(ServiceRecord)

        def rows() -> Iterator[tuple]:
            pk = first
            for c, n in zip(self.cases, counts, strict=True):
                if not n:
                    continue
                days = (c.last_day - c.opened_on).days + 1
                team = self._team(c)
                for _ in range(n):
                    day = c.opened_on + DAY * int(rng.random() * days)
                    agency_id, worker_id = team[int(rng.random() * len(team))]
                    domain = domain_pick.pick(rng)
                    roll = rng.random()
                    kind, amount = "", None
                    if domain in ("livelihood", "housing", "daily_living") and roll < 0.6:
                        kind = ServiceRecord.AmountKind.MONEY if roll < 0.35 else ServiceRecord.AmountKind.GOODS
                        amount = rng.randint(3, 50) * 10_000
                    at = _at(day, 17)
                    yield (
                        pk,
                        _uuid(rng),
                        at,
                        at,
                        d,
                        c.id,
                        day,
                        domain,
                        ServiceRecord.Mode.LINKED if roll > 0.55 else ServiceRecord.Mode.DIRECT,
                        agency_id,
                        resources[int(rng.random() * len(resources))] if rng.random() < 0.2 else None,
                        None,
                        rng.choice(names.DESCRIPTIONS[domain]),
                        kind,
                        amount,
                        worker_id,
                    )
                    pk += 1

        self.loader.load(
            ServiceRecord,
            (
                "id",
                "uuid",
                "created_at",
                "updated_at",
                "district_id",
                "case_id",
                "provided_on",
                "domain",
                "mode",
                "provider_agency_id",
                "resource_id",
                "plan_action_id",
                "description",
                "amount_kind",
                "amount",
                "recorded_by_id",
            ),
            rows(),
        )

    def write_contacts(self) -> None:
        rng = self.rng("contacts")
        counts = allocate(self.scale.contacts, [c.weight * (1.5 if c.refused else 1) for c in self.cases])
        d = self.district.pk
        kind_pick = names.Weighted(
            [("home_visit", 35), ("phone", 40), ("office", 10), ("message", 10), ("outreach", 5)]
        )
        usual = names.Weighted([("met", 75), ("no_answer", 15), ("refused", 3), ("moved", 2), ("other", 5)])
        refusing = names.Weighted([("met", 45), ("no_answer", 30), ("refused", 20), ("other", 5)])
        whom = ("당사자", "당사자", "당사자", "배우자", "자녀", "이웃", "통장")
        first = self.loader.next_id(ContactRecord)

        def rows() -> Iterator[tuple]:
            pk = first
            for c, n in zip(self.cases, counts, strict=True):
                if not n:
                    continue
                days = (c.last_day - c.opened_on).days + 1
                team = self._team(c)
                outcomes = refusing if c.refused else usual
                purposes = ("casework", "casework", "monitoring") if c.reached(S.DELIVERY) else ("casework",)
                for _ in range(n):
                    day = c.opened_on + DAY * int(rng.random() * days)
                    agency_id, worker_id = team[int(rng.random() * len(team))]
                    at = _at(day, 9 + int(rng.random() * 9), int(rng.random() * 60))
                    kind = kind_pick.pick(rng)
                    yield (
                        pk,
                        _uuid(rng),
                        at,
                        at,
                        d,
                        c.id,
                        at,
                        kind,
                        whom[int(rng.random() * len(whom))],
                        outcomes.pick(rng),
                        purposes[int(rng.random() * len(purposes))],
                        names.CONTACT_NOTES[int(rng.random() * len(names.CONTACT_NOTES))],
                        day + DAY * rng.randint(7, 30) if rng.random() < 0.2 else None,
                        agency_id,
                        worker_id,
                    )
                    pk += 1

        self.loader.load(
            ContactRecord,
            (
                "id",
                "uuid",
                "created_at",
                "updated_at",
                "district_id",
                "case_id",
                "contacted_at",
                "kind",
                "with_whom",
                "outcome",
                "purpose",
                "note",
                "next_contact_on",
                "agency_id",
                "recorded_by_id",
            ),
            rows(),
        )


def generate_synthetic(
    *,
    factor: float = 1.0,
    seed: int = 1,
    today: datetime.date | None = None,
    using: str = "default",
    log: Callable[[str], None] = lambda message: None,
) -> Result:
    """Write one synthetic district of ``factor`` × metro; all or nothing (one transaction)."""
    began = time.perf_counter()
    loader = Loader(using)
    gen = SyntheticDistrict(factor=factor, seed=seed, today=today or timezone.localdate(), loader=loader, log=log)
    steps = [
        ("staff", gen.make_staff),
        ("resources", gen.make_resources),
        ("households and persons", gen.make_people),
        ("case plans", gen.plan_cases),
        ("cases, stages, team, consents, needs, conferences", gen.write_cases),
        ("service records", gen.write_services),
        ("contact records", gen.write_contacts),
    ]
    with transaction.atomic(using=using):
        gen.make_district()  # refuses a district that is already there, before touching any table
        gen.make_agencies()
        with loader.indexes_deferred(BIG_TABLES):
            for label, run in steps:
                step_began = time.perf_counter()
                run()
                log(f"  {label}: {time.perf_counter() - step_began:.1f} s")
        if "indexes and keys rebuilt" in loader.seconds:
            log(f"  indexes and keys rebuilt: {loader.seconds['indexes and keys rebuilt']:.1f} s")
        step_began = time.perf_counter()
        access_cases = rebuild_case_access(district_id=gen.district.pk)  # access as data (issue 15 §1)
        log(f"  access rows of {access_cases} cases: {time.perf_counter() - step_began:.1f} s")
        step_began = time.perf_counter()
        loader.reset_sequences()
        # written through the ORM
        loader.loaded_models += [District, Dong, Agency, CaseType, DistrictPolicy, CaseAccess]
        loader.analyze()
        log(f"  sequences and statistics: {time.perf_counter() - step_began:.1f} s")
        step_began = time.perf_counter()
    log(f"  commit: {time.perf_counter() - step_began:.1f} s")
    step_began = time.perf_counter()
    loader.vacuum_analyze()
    log(f"  VACUUM ANALYZE: {time.perf_counter() - step_began:.1f} s")
    largest = max(gen.cases, key=lambda c: c.weight).id if gen.cases else None
    notes = [
        f"RRNs encrypted and hashed: {gen.rrn_count} in {gen.rrn_seconds:.1f} s "
        f"({gen.rrn_seconds / max(1, gen.rrn_count) * 1e6:.0f} µs each)"
    ]
    return Result(
        district=gen.district,
        factor=factor,
        seed=seed,
        rows=dict(loader.rows),
        seconds=dict(loader.seconds),
        total_seconds=time.perf_counter() - began,
        rrn_encrypted=gen.rrn_count,
        largest_case_id=largest,
        notes=notes,
    )
