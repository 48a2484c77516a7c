"""``python manage.py seed_demo``: load the demo district, 서울특별시 중구, with a year of casework,
and a small second district, 서울특별시 성동구 (``hamkke.demo.second``), to show that districts are apart.

Every household, person, case, stage change, team member, consent, need, strength, plan, approval,
service, contact, referral, conference and task is written through the same services a worker's
click goes through, acting as a real worker of the right agency: so the demo data is validated and
audited like real data, and a rule the services enforce cannot be broken by the demo. Deterministic
(one seeded random generator; dates relative to today), and idempotent: if the district already has
households, nothing is changed.

Histories are written in time order with explicit dates wherever a service takes one. A few services
stamp "now" on something a worker records as it happens (they have no date parameter); right after
such a call the seeder moves that one row to its moment in the story with a queryset ``update()``
(the ``Backdated`` notes below name each): the ``created_at`` of needs (typed at the visit; their
own date is ``identified_on``), strengths and plan versions; an approval's
``submitted_at``/``decided_at``; the stage change an approval or a plan activation makes (with the
case's ``stage_changed_at`` and ``closed_on``); a plan's ``review_on`` (set from today on
activation); a referral's ``sent_at``/``responded_at``/``completed_at`` and the team join an
accepted referral makes; a conference task's ``completed_at``. The access log is never touched: it
records when the demo was loaded.
"""

from __future__ import annotations

import datetime
import random
import time
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from hamkke.access.policy import RECORD_WORK, VIEW_CASE, can
from hamkke.accounts.actor import Actor
from hamkke.accounts.models import Membership, Role, User
from hamkke.approvals.models import ApprovalRequest
from hamkke.approvals.services import approval_decide, classification_submit, closure_submit
from hamkke.assessment.models import Need, Strength
from hamkke.assessment.services import (
    consultation_record,
    crisis_assessment_record,
    need_record,
    need_set_status,
    need_update,
    strength_record,
)
from hamkke.cases.closure import GoalResult
from hamkke.cases.models import Case, CaseParticipant, CaseType, CrisisLevel, StageChange, TeamEvent
from hamkke.cases.services import case_add_participant, case_change_stage, case_register, case_types_ensure_defaults
from hamkke.cases.stages import Stage
from hamkke.conferences.models import Conference, Task
from hamkke.conferences.services import (
    conference_add_case,
    conference_record,
    conference_schedule,
    decision_to_task,
    task_complete,
)
from hamkke.consents.models import Consent
from hamkke.consents.services import consent_record, consent_withdraw
from hamkke.core.rrn import CHECK_WEIGHTS
from hamkke.demo import data
from hamkke.demo import second as second_district
from hamkke.demo.second import seed_second_district
from hamkke.districts.models import Agency, District, DistrictPolicy, Dong
from hamkke.people.models import Household, Person
from hamkke.people.services import person_create
from hamkke.plans.models import PlanAction, ServicePlan
from hamkke.plans.selectors import active_plan_goals, goal_needs
from hamkke.plans.services import (
    action_add,
    action_review,
    add_months,
    ask_record,
    goal_add,
    plan_create,
    plan_new_version,
    plan_record_agreement,
    plan_submit,
)
from hamkke.records.models import ContactRecord, ServiceRecord
from hamkke.records.services import contact_record_add, service_records_add
from hamkke.referrals.models import Referral
from hamkke.referrals.services import referral_accept, referral_complete, referral_decline, referral_send
from hamkke.resources.models import Resource
from hamkke.resources.services import resource_create

S = Stage
GENERIC_CASES = 297  # plus the three reference scenarios: about 300 households, as in Jung-gu's year
OLDER_SHARE = 0.07  # of generic cases opened one to two years ago: carried into the year
PARTICIPATION_RATE = 0.18  # of cases reaching intake; about 15 % of all cases
NETWORK_CONSENT_RATE = 0.25  # of consents without a partner that still allow the district network
REFERRAL_JOIN_RATE = 0.5  # of partners (consent in force) that join by an accepted referral
RRN_SHARE = 0.6  # of persons registered by an agency allowed to process RRNs
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)
MINUTE = datetime.timedelta(minutes=1)
# Casework rates, tuned so that the year holds about 1,200 services (Jung-gu: 1,243).
DIRECT_RATE = 0.3  # direct services of the lead agency per 30 days of delivery, beside the plan's
INFORMAL_UNRECORDED = 0.3  # of informal resources in a plan that leave no service record
PARTNER_RATE = 0.2  # services of a participating agency (consent in force) per 30 days of delivery
PARTNER_CONTACT_SHARE = 0.2  # of monitoring contacts made by the participating agency
RETURN_RATE = 0.08  # of plans the team leader returns once before approving
OVERDUE_SHARE = 0.05  # of cases whose monitoring has lapsed by today (the 점검·기한 page shows them)
TASK_RATE = 0.6  # of cases discussed at a conference that get a decision → task


# stage -> (next stage or None to stay, weight, (min, max) days until then).
# ``RESUME`` stands for "back to where the case was before it was put on hold".
RESUME = "resume"
FLOW: dict[str, tuple[tuple[str | None, int, tuple[int, int]], ...]] = {
    S.IDENTIFICATION: (
        (S.INITIAL_CONSULTATION, 86, (2, 10)),
        (S.REFUSED, 7, (2, 20)),
        (S.ON_HOLD, 3, (5, 20)),
        (S.CLOSED, 4, (5, 30)),
    ),
    S.INITIAL_CONSULTATION: (
        (S.INTAKE, 88, (1, 7)),
        (S.REFUSED, 5, (3, 15)),
        (S.ON_HOLD, 4, (3, 15)),
        (S.CLOSED, 3, (5, 20)),
    ),
    S.INTAKE: ((S.ASSESSMENT, 72, (3, 12)), (S.LINKAGE, 22, (2, 7)), (S.ON_HOLD, 3, (5, 20)), (S.REFUSED, 3, (5, 20))),
    S.ASSESSMENT: ((S.CONFERENCE, 93, (5, 18)), (S.ON_HOLD, 4, (5, 30)), (S.REFUSED, 3, (5, 30))),
    S.CONFERENCE: ((S.SELECTION, 94, (1, 6)), (S.ASSESSMENT, 6, (2, 7))),
    S.SELECTION: ((S.PLANNING, 93, (3, 14)), (S.LINKAGE, 7, (2, 7))),
    S.PLANNING: ((S.DELIVERY, 94, (5, 20)), (S.REFUSED, 3, (5, 20)), (S.ON_HOLD, 3, (5, 20))),
    S.DELIVERY: (
        (S.REASSESSMENT, 42, (90, 180)),
        (S.CLOSED, 40, (90, 300)),
        (S.ON_HOLD, 13, (30, 150)),
        (S.REFUSED, 5, (30, 150)),
    ),
    S.REASSESSMENT: ((S.DELIVERY, 60, (5, 14)), (S.PLANNING, 30, (5, 14)), (S.CLOSED, 10, (5, 20))),
    S.LINKAGE: (
        (S.CLOSED, 72, (30, 150)),
        (S.ASSESSMENT, 12, (15, 60)),
        (S.ON_HOLD, 10, (15, 60)),
        (S.REFUSED, 6, (15, 60)),
    ),
    S.REFUSED: (
        (S.INITIAL_CONSULTATION, 30, (30, 120)),
        (S.INTAKE, 15, (30, 150)),
        (S.CLOSED, 15, (90, 200)),
        (None, 40, (0, 0)),
    ),
    S.ON_HOLD: ((RESUME, 60, (14, 90)), (S.CLOSED, 20, (30, 120)), (None, 20, (0, 0))),
    S.CLOSED: ((S.FOLLOW_UP, 75, (1, 10)), (None, 25, (0, 0))),
    S.FOLLOW_UP: ((S.INTAKE, 4, (60, 150)), (None, 96, (0, 0))),
}
# Where a case on hold picks up again (only transitions ON_HOLD allows).
RESUME_AT = {
    S.IDENTIFICATION: S.INITIAL_CONSULTATION,
    S.INITIAL_CONSULTATION: S.INITIAL_CONSULTATION,
    S.INTAKE: S.INTAKE,
    S.ASSESSMENT: S.ASSESSMENT,
    S.CONFERENCE: S.ASSESSMENT,
    S.SELECTION: S.PLANNING,
    S.PLANNING: S.PLANNING,
    S.DELIVERY: S.DELIVERY,
    S.LINKAGE: S.LINKAGE,
}
STALL_RATE = 0.1  # a short step that takes two to four times as long: overdue steps to show


@dataclass
class CaseRun:
    """What happens to one case while its history is written."""

    case: Case
    lead: Actor
    agency_key: str
    profile: str
    head: Person
    templates: list[dict] = field(default_factory=list)  # the needs this household brings (data.NEEDS)
    size: int = 1
    reassessed: int = 0
    refusals: int = 0
    before_hold: str = ""
    consented: bool = False
    consulted: bool = False
    case_type: str = ""  # decided at assessment, applied by the approved classification
    crisis_level: str = ""
    closure_code: str = ""  # set by a scenario; otherwise read from the closing reason
    consultation: tuple[str, str, str] | None = None  # (place, what the person said, observations)
    segments: list[tuple[str, datetime.datetime]] = field(default_factory=list)  # (stage, entered at)
    needs: list[Need] = field(default_factory=list)
    spec_of: dict[int, dict] = field(default_factory=dict)  # need id -> its template
    strengths: dict[str, Strength] = field(default_factory=dict)  # description -> strength
    plans: list[tuple[datetime.datetime, ServicePlan]] = field(default_factory=list)  # (activated at, plan)
    used: set[str] = field(default_factory=set)  # one-off resources already linked
    closures: dict[datetime.datetime, str] = field(default_factory=dict)  # closed at -> closure reason
    scripted: bool = False  # a reference scenario: its services and early contacts are written by hand
    scripted_stages: frozenset[str] = frozenset()
    overdue: bool = False  # monitoring lapses before today
    partner: Actor | None = None  # a participating agency's worker who may record work today
    told: dict[str, int] = field(default_factory=dict)  # goal -> progress notes written so far


class DemoSeeder:
    def __init__(self, *, today: datetime.date, now: datetime.datetime):
        self.rng = random.Random(data.SEED)
        self.today = today
        self.now = now
        self.used_rrns: set[str] = set()
        self.used_staff_names: set[str] = set()
        self.teams = 0  # generated cases with a participating agency so far
        self.runs: list[CaseRun] = []
        self.conference_queue: dict[tuple[str, datetime.date], list[CaseRun]] = {}
        self.pending_services: dict[Actor, list[dict]] = {}  # one case's service rows, by recording worker
        self.plan_needs: dict[int, list[int]] = {}  # plan id -> the needs its goals serve

    # --- helpers ---------------------------------------------------------------------------
    def weighted(self, options: dict):
        return self.rng.choices(list(options), weights=list(options.values()))[0]

    @staticmethod
    def workday(day: datetime.date) -> datetime.date:
        while day.weekday() >= 5:
            day += DAY
        return day

    def at(self, day: datetime.date) -> datetime.datetime:
        minutes = self.rng.randint(9 * 60 + 30, 17 * 60 + 30)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60)))

    def birth_date(self, age: int) -> datetime.date:
        """A birth date making the person ``age`` (or one year more) today."""
        return datetime.date(self.today.year - age - 1, 1, 1) + datetime.timedelta(days=self.rng.randrange(365))

    def name(self, sex: str, birth_year: int, surname: str | None = None) -> str:
        surname = surname or self.rng.choices(*zip(*data.SURNAMES, strict=True))[0]
        return surname + self.rng.choice(data.GIVEN_NAMES[(sex, data.generation(birth_year))])

    def phone(self, age: int) -> str:
        r = self.rng
        if age < 14 or (age < 18 and r.random() < 0.4):
            return ""
        if age >= 75 and r.random() < 0.45:
            return r.choice(["", f"02-22{r.randint(10, 99)}-{r.randint(0, 9999):04d}"])
        return f"010-{r.randint(2000, 9999)}-{r.randint(0, 9999):04d}"

    def rrn(self, birth: datetime.date, sex: str) -> str:
        """A valid, unused RRN (with its check digit) for this birth date and sex."""
        gender_digit = {(19, "M"): "1", (19, "F"): "2", (20, "M"): "3", (20, "F"): "4"}[(birth.year // 100, sex)]
        while True:
            body = f"{birth:%y%m%d}{gender_digit}{self.rng.randint(0, 99999):05d}"
            total = sum(int(d) * w for d, w in zip(body, CHECK_WEIGHTS, strict=True))
            digits = body + str((11 - total % 11) % 10)
            if digits not in self.used_rrns:
                self.used_rrns.add(digits)
                return f"{digits[:6]}-{digits[6:]}"

    def person(
        self,
        *,
        age: tuple[int, int],
        sex: str | None = None,
        surname: str | None = None,
        relation: str = Person.Relation.HEAD,
        agency_key: str = "",
    ) -> dict:
        r = self.rng
        sex = sex or r.choice("FM")
        years = r.randint(*age)
        birth = self.birth_date(years)
        spec = {
            "name": self.name(sex, birth.year, surname),
            "birth_date": birth,
            "sex": sex,
            "phone": self.phone(years),
            "relation": relation,
        }
        if data.AGENCIES[agency_key]["rrn_allowed"] and r.random() < RRN_SHARE:
            spec["rrn"] = self.rrn(birth, sex)
        return spec

    def address(self, dong: str, profile: str) -> tuple[str, str]:
        r = self.rng
        road = r.choice(data.DONGS[dong][0])
        number = f"{r.randint(1, 320)}" + (f"-{r.randint(1, 30)}" if r.random() < 0.3 else "")
        if r.random() < 0.5:
            road = f"{road}{r.randint(1, 40)}길"
        if profile == "housing":
            detail = r.choice(data.LODGING_DETAILS).format(n=r.randint(1, 30))
        else:
            detail = r.choice(data.ADDRESS_DETAILS)
        return f"{data.ADDRESS_PREFIX} {road} {number}", detail

    def day_at(self, day: datetime.date, hour: int, minute: int | None = None) -> datetime.datetime:
        minute = self.rng.randint(0, 59) if minute is None else minute
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))

    def clamp(self, at: datetime.datetime) -> datetime.datetime:
        """Never after the moment the seeding started (the services refuse the future)."""
        return min(at, self.now - MINUTE)

    @staticmethod
    def local(at: datetime.datetime) -> datetime.date:
        return timezone.localtime(at).date()

    def between(self, start: datetime.datetime, end: datetime.datetime, share: float) -> datetime.datetime:
        """A moment ``share`` of the way from ``start`` to ``end``, in office hours where it can be."""
        return self.working(start + (end - start) * share, start, end)

    @staticmethod
    def working(moment: datetime.datetime, low: datetime.datetime, high: datetime.datetime) -> datetime.datetime:
        """The moment moved into office hours (weekdays 09:10–17:50 Seoul), kept between low and high."""
        local = timezone.localtime(moment)
        if local.time() < datetime.time(9, 10):
            local = local.replace(hour=9, minute=10 + local.minute % 40)
        elif local.time() > datetime.time(17, 50):
            local = local.replace(hour=17, minute=local.minute % 50)
        if local.weekday() >= 5:
            friday = local - DAY * (local.weekday() - 4)
            local = friday if friday >= low else local + DAY * (7 - local.weekday())
        return min(max(local, low), high)

    def stage_start(self, run: CaseRun) -> datetime.datetime:
        return run.segments[-1][1]

    # --- district, agencies, staff, resources ----------------------------------------------
    def setup(self) -> None:
        self.district, _ = District.objects.get_or_create(
            code=data.DISTRICT_CODE, defaults={"name": data.DISTRICT_NAME}
        )
        self.policy = DistrictPolicy.for_district(self.district.pk)
        self.dongs = {name: Dong.objects.get_or_create(district=self.district, name=name)[0] for name in data.DONGS}
        self.case_types = {t.code: t for t in case_types_ensure_defaults(district=self.district)}
        self.agencies: dict[str, Agency] = {}
        for key, spec in data.AGENCIES.items():
            fields = {k: spec[k] for k in ("kind", "sector", "rrn_allowed", "phone")}
            self.agencies[key] = Agency.objects.get_or_create(
                district=self.district, name=spec["name"], defaults={**fields, "dong": self.dongs[spec["dong"]]}
            )[0]
        self.actors: dict[str, Actor] = {}
        self.actor_of_user: dict[int, Actor] = {}
        # agency key -> {actor: weight}: who leads the agency's new cases, demo accounts most often
        self.case_workers: dict[str, dict[Actor, int]] = {key: {} for key in data.AGENCIES}
        self.supervisors: dict[str, list[Actor]] = {key: [] for key in data.AGENCIES}
        for username, (display_name, key, role, title) in data.FIXED_ACCOUNTS.items():
            self.staff(
                username, display_name, key, role, title, lead_weight=0 if username in data.APPROVER_ACCOUNTS else 3
            )
        shared_hash = make_password(data.DEMO_PASSWORD)  # hashing is slow: once for all other staff
        for key, positions in data.STAFF.items():
            for number, (role, title) in enumerate(positions, start=1):
                self.staff(
                    f"{key}-{number}",
                    self.staff_name(),
                    key,
                    role,
                    title,
                    lead_weight=0 if role == Role.SUPERVISOR else 2,
                    password_hash=shared_hash,
                )
        self.resources: dict[str, Resource] = {}
        self.resource_key: dict[int, str] = {}
        for key, spec in data.RESOURCES.items():
            agency = self.agencies.get(spec.get("agency") or "")
            resource = resource_create(
                actor=self.agency_actor(spec["by"]),
                name=spec["name"],
                kind=spec["kind"],
                type=spec["type"],
                domain=spec["domain"],
                description=spec["description"],
                provider=spec["provider"],
                provider_agency=agency,
                dongs=[self.dongs[name] for name in spec["dongs"]],
                contact=spec.get("contact") or (agency.phone if agency else ""),
                capacity=spec.get("capacity"),
                is_ordinary=spec.get("ordinary", True),
            )
            self.resources[key] = resource
            self.resource_key[resource.pk] = key

    def staff_name(self) -> str:
        while True:
            sex = self.rng.choice("FM")
            name = self.name(sex, self.rng.randint(1968, 1998))
            if name not in self.used_staff_names and name not in {v[0] for v in data.FIXED_ACCOUNTS.values()}:
                self.used_staff_names.add(name)
                return name

    def staff(self, username, display_name, key, role, title, *, lead_weight: int, password_hash: str = "") -> None:
        user, created = User.objects.get_or_create(username=username, defaults={"display_name": display_name})
        if created:
            if password_hash:
                user.password = password_hash
            else:
                user.set_password(data.DEMO_PASSWORD)
            user.save(update_fields=["password"])
        membership, _ = Membership.objects.get_or_create(
            user=user,
            agency=self.agencies[key],
            defaults={"district": self.district, "role": role, "title": title},
        )
        actor = Actor(user=user, membership=membership)
        self.actors[username] = actor
        self.actor_of_user[user.pk] = actor
        if role in (Role.WORKER, Role.SUPERVISOR):
            self.case_workers[key][actor] = lead_weight
        if role == Role.SUPERVISOR:
            self.supervisors[key].append(actor)

    def agency_actor(self, key: str) -> Actor:
        """The agency's first case worker (a demo account where there is one)."""
        return next(iter(self.case_workers[key]))

    def approver(self, run: CaseRun) -> Actor:
        """A team leader of the lead agency other than the one who submitted (nobody approves their own)."""
        return next(a for a in self.supervisors[run.agency_key] if a.user.pk != run.lead.user.pk)

    def agency_of_dong(self, kind: str, dong: str) -> Agency | None:
        key = next((k for k, s in data.AGENCIES.items() if s["kind"] == kind and dong in s["covers"]), None)
        return self.agencies[key] if key else None

    def provider_of(self, spec: dict, run: CaseRun) -> Agency | None:
        """The agency providing a resource to this household ("@cc"/"@wc": the one serving its dong)."""
        agency = spec.get("agency")
        if agency in ("@cc", "@wc"):
            kind = Agency.Kind.COMMUNITY_CENTRE if agency == "@cc" else Agency.Kind.WELFARE_CENTRE
            return self.agency_of_dong(kind, run.case.household.dong.name) or self.agencies["district"]
        return self.agencies[agency] if agency else None

    def resource_for(self, keys: tuple[str, ...], run: CaseRun) -> Resource | None:
        """The first of these resources that serves the household's dong."""
        dong = run.case.household.dong.name
        for key in keys:
            dongs = data.RESOURCES[key]["dongs"]
            if not dongs or dong in dongs:
                return self.resources[key]
        return None

    # --- dating what a service stamped "now" (see the module docstring) --------------------
    @staticmethod
    def last_change_id(case: Case) -> int:
        return StageChange.objects.filter(case_id=case.pk).aggregate(last=Max("id"))["last"] or 0

    def settle(self, run: CaseRun, before: int, at: datetime.datetime) -> None:
        """Backdated: the stage changes a service made after ``before`` happened at ``at``."""
        if StageChange.objects.filter(case_id=run.case.pk, id__gt=before).update(changed_at=at):
            fields = {"stage_changed_at": at}
            if Case.objects.filter(pk=run.case.pk, stage=S.CLOSED).exists():
                fields["closed_on"] = self.local(at)
            Case.objects.filter(pk=run.case.pk).update(**fields)
        run.case = Case.objects.select_related("household__dong", "case_type").get(pk=run.case.pk)

    def approve(
        self,
        run: CaseRun,
        approval: ApprovalRequest | None,
        *,
        submitted_at: datetime.datetime,
        at: datetime.datetime,
        decide: bool = True,
    ) -> None:
        """A team leader approves at ``at`` (or the request waits). Backdated: submitted and decided."""
        if approval is None:  # the district needs no approval for this step: it was applied at once
            return
        if decide:
            comments = (
                data.PLAN_APPROVAL_COMMENTS if approval.kind == ApprovalRequest.Kind.PLAN else (data.APPROVAL_COMMENTS)
            )
            approval = approval_decide(
                actor=self.approver(run), approval=approval, approve=True, comment=self.rng.choice(comments)
            )
        ApprovalRequest.objects.filter(pk=approval.pk).update(
            submitted_at=submitted_at, decided_at=at if decide else None
        )

    # --- writing a case's history ----------------------------------------------------------
    def register(
        self,
        *,
        lead: Actor,
        dong: str,
        address: tuple[str, str],
        members: list[dict],
        summary: str,
        opened_on: datetime.date,
    ) -> tuple[Case, Person]:
        head, *others = members
        head = {k: v for k, v in head.items() if k != "relation"}
        case = case_register(
            actor=lead,
            dong=self.dongs[dong],
            address=address[0],
            address_detail=address[1],
            head=head,
            summary=summary,
            opened_on=opened_on,
            duplicate_check=False,  # a bulk loader of invented people (its access log stays the load's own)
        )
        for member in others:
            person_create(actor=lead, household=case.household, **member)
        return case, case.household.members.get(relation=Person.Relation.HEAD)

    def move(
        self,
        run: CaseRun,
        to_stage: str,
        at: datetime.datetime,
        reason: str = "",
        *,
        actor: Actor | None = None,
        new_plan: bool | None = None,
    ) -> None:
        """Move the case on, doing the work the step needs. Classification, plan activation and
        closure move the case through the approval (결재) that decides them, as in the browser."""
        from_stage = run.case.stage
        if from_stage == S.ASSESSMENT:
            self.assess(run, self.local(at), full=to_stage == S.CONFERENCE)
        if new_plan is None:
            new_plan = from_stage == S.PLANNING or (from_stage == S.REASSESSMENT and self.rng.random() < 0.7)
        if to_stage == S.SELECTION:
            self.classify(run, at, reason)
        elif to_stage == S.DELIVERY and new_plan:
            self.write_plan(run, at)
        elif to_stage == S.CLOSED:
            self.close(run, at, reason)
        else:
            if to_stage == S.LINKAGE and from_stage in (S.INTAKE, S.SELECTION):
                self.classify(run, self.between(self.stage_start(run), at, 0.7), reason, referral=True)
            run.case = case_change_stage(
                actor=actor or run.lead, case=run.case, to_stage=to_stage, reason=reason, occurred_at=at
            )
        run.segments.append((to_stage, at))
        run.refusals += to_stage == S.REFUSED
        run.reassessed += to_stage == S.REASSESSMENT
        day = self.local(at)
        if to_stage == S.INITIAL_CONSULTATION and not run.consulted:
            self.consult(run, day)
        elif to_stage == S.INTAKE and not run.consented:
            self.consent_and_team(run, day)
        elif to_stage == S.CONFERENCE and not run.scripted:
            self.conference_queue.setdefault((run.agency_key, day), []).append(run)
        elif to_stage == S.REASSESSMENT:
            self.reassess(run, at)

    def consult(self, run: CaseRun, day: datetime.date) -> None:
        r = self.rng
        run.consulted = True
        place, said, seen = run.consultation or (
            r.choice(("가정방문", "동주민센터 상담실", "기관 상담실")),
            f"당사자의 말: ‘{run.templates[0]['expressed']}’",
            run.case.summary,
        )
        consultation_record(
            actor=run.lead,
            case=run.case,
            held_on=day,
            place=place,
            participants=run.head.name,
            presenting_issues=said,
            worker_observations=seen,
        )

    def pick_type(self, run: CaseRun) -> None:
        """The case type and crisis level the team will propose at selection (full track)."""
        if run.case_type not in ("", "referral"):
            return
        high = self.rng.random() < data.PROFILES[run.profile]["high"]
        run.case_type = "high_complexity" if high else "general"
        run.crisis_level = self.weighted(
            {CrisisLevel.HIGH: 80, CrisisLevel.MEDIUM: 20}
            if high
            else {CrisisLevel.HIGH: 10, CrisisLevel.MEDIUM: 50, CrisisLevel.LOW: 40}
        )

    def classify(self, run: CaseRun, at: datetime.datetime, note: str, *, referral: bool = False) -> None:
        """사례 구분·선정 submitted by the lead and approved by the team leader (at a conference: the
        approval moves the case to selection)."""
        if referral:
            run.case_type = "referral"
            run.crisis_level = self.weighted({CrisisLevel.MEDIUM: 30, CrisisLevel.LOW: 70})
        else:
            self.pick_type(run)
        self.reclassify(run, at, run.case_type, run.crisis_level, note)

    def reclassify(self, run: CaseRun, at: datetime.datetime, code: str, level: str, note: str) -> None:
        run.case_type, run.crisis_level = code, level
        before = self.last_change_id(run.case)
        approval = classification_submit(
            actor=run.lead, case=run.case, case_type=self.case_types[code], crisis_level=level, note=note
        )
        self.approve(run, approval, submitted_at=self.between(self.stage_start(run), at, 0.6), at=at)
        self.settle(run, before, at)

    # --- assessment: needs, strengths, crisis level (DOMAIN.md §3) ---------------------------
    def pick_needs(self, profile: str) -> list[dict]:
        r = self.rng
        keys, aside = data.PROFILE_NEEDS[profile]
        first, *rest = keys
        chosen = [first, *r.sample(rest, k=min(len(rest), r.choice((1, 2, 2, 3))))]
        specs = [dict(data.NEEDS[key], status="selected") for key in chosen]
        if len(specs) > 2 and r.random() < 0.3:
            specs[-1]["status"] = "discussing"  # not agreed yet: talked about again later
        if r.random() < 0.4:
            specs.append(dict(data.SET_ASIDE_NEEDS[r.choice(aside)], status="set_aside"))
        return specs

    def assess(self, run: CaseRun, until: datetime.date, *, full: bool) -> None:
        """Record the needs in the person's words, strengths and the crisis level; with ``full``
        (the case goes to a conference) agree, select and set aside needs as well."""
        r = self.rng
        start = self.local(self.stage_start(run))
        day = min(until, self.today, start + datetime.timedelta(days=r.randint(0, 3)))
        at = self.clamp(self.day_at(day, r.randint(10, 16)))
        if not run.needs:
            self.pick_type(run)
            created = []
            for spec in run.templates:
                if spec["status"] == "review":  # comes up only at the reassessment
                    continue
                agreed = full and spec["status"] == "selected"
                felt = spec["felt"] if full or r.random() < 0.6 else ""
                need = need_record(
                    actor=run.lead,
                    case=run.case,
                    domain=spec["domain"],
                    expressed_text=spec["expressed"],
                    felt_text=felt,
                    agreed_text=spec["agreed"] if agreed else "",
                    proposer=spec.get("proposer", Need.Proposer.PERSON),
                    framing=spec["framing"],
                    person=run.head,
                    identified_on=day,
                )
                run.needs.append(need)
                run.spec_of[need.pk] = spec
                created.append(need.pk)
            Need.objects.filter(pk__in=created).update(created_at=at)  # Backdated: recorded at the visit
            level = run.crisis_level or CrisisLevel.MEDIUM
            crisis_assessment_record(
                actor=run.lead,
                case=run.case,
                assessed_on=day,
                level=level,
                safety_risk=level == CrisisLevel.HIGH and r.random() < 0.6,
                mental_health_risk=run.profile in ("mental", "youth_alone"),
                note=r.choice(data.CRISIS_NOTES[level]),
            )
        if full:
            self.agree_needs(run, at)
        if full or r.random() < 0.5:
            for spec in run.templates:
                if spec["status"] in ("selected", "later"):
                    for side in ("inner", "outer"):
                        if entry := spec.get(side):
                            self.strength(run, side, entry[0], entry[1], spec["domain"], at)
            if not run.scripted and r.random() < 0.5:
                kind, description = r.choice(data.EXTRA_STRENGTHS)
                self.strength(run, "inner", kind, description, "", at)

    def agree_needs(self, run: CaseRun, at: datetime.datetime, statuses: tuple[str, ...] = ("selected", "set_aside")):
        """Work out the agreed needs with the person; select them, or set one aside with a reason."""
        for index, need in enumerate(run.needs):
            spec = run.spec_of[need.pk]
            if spec["status"] not in statuses or need.status != Need.Status.DISCUSSING:
                continue
            status = "selected" if spec["status"] == "later" else spec["status"]
            if status == "selected":
                if not need.agreed_text:
                    need = need_update(
                        actor=run.lead,
                        need=need,
                        domain=need.domain,
                        expressed_text=need.expressed_text,
                        felt_text=spec["felt"],
                        agreed_text=spec["agreed"],
                        proposer=need.proposer,
                        framing=need.framing,
                        person=run.head,
                    )
                need = need_set_status(actor=run.lead, need=need, status=Need.Status.SELECTED)
            elif status == "set_aside":
                need = need_set_status(
                    actor=run.lead,
                    need=need,
                    status=Need.Status.SET_ASIDE,
                    set_aside_reason=spec["reason"],
                    set_aside_note=spec["note"],
                )
            run.needs[index] = need

    def strength(
        self, run: CaseRun, side: str, kind: str, description: str, domain: str, at: datetime.datetime
    ) -> Strength:
        if description not in run.strengths:
            strength = strength_record(
                actor=run.lead,
                case=run.case,
                side=side,
                kind=kind,
                description=description,
                domain=domain,
                person=run.head,
            )
            Strength.objects.filter(pk=strength.pk).update(created_at=at)  # Backdated: found at the visit
            run.strengths[description] = strength
        return run.strengths[description]

    def set_need(self, run: CaseRun, need_id: int, status: str) -> None:
        for index, need in enumerate(run.needs):
            if need.pk == need_id and need.status == Need.Status.SELECTED:
                run.needs[index] = need_set_status(actor=run.lead, need=need, status=status)

    def reassess(self, run: CaseRun, at: datetime.datetime) -> None:
        """재사정: the crisis level again, achieved needs, needs agreed since (a new plan version follows)."""
        r = self.rng
        lower = {CrisisLevel.HIGH: CrisisLevel.MEDIUM, CrisisLevel.MEDIUM: CrisisLevel.LOW}
        level = run.crisis_level or CrisisLevel.MEDIUM
        if r.random() < 0.4:
            level = lower.get(level, level)
        crisis_assessment_record(
            actor=run.lead,
            case=run.case,
            assessed_on=self.local(at),
            level=level,
            note=r.choice(data.CRISIS_NOTES[level]),
        )
        selected = [n for n in run.needs if n.status == Need.Status.SELECTED]
        for need in selected:
            spec = run.spec_of[need.pk]
            if spec.get("achieve_at_review") or (
                not run.scripted and need is selected[0] and len(selected) > 1 and r.random() < 0.5
            ):
                self.set_need(run, need.pk, Need.Status.ACHIEVED)
        self.agree_needs(run, at, statuses=("later",))
        for spec in run.templates:
            if spec["status"] == "review" and spec not in run.spec_of.values():
                need = need_record(
                    actor=run.lead,
                    case=run.case,
                    domain=spec["domain"],
                    expressed_text=spec["expressed"],
                    felt_text=spec["felt"],
                    agreed_text=spec["agreed"],
                    framing=spec["framing"],
                    person=run.head,
                    identified_on=self.local(at),
                )
                Need.objects.filter(pk=need.pk).update(created_at=at)  # Backdated: said at the reassessment
                run.spec_of[need.pk] = spec
                run.needs.append(need_set_status(actor=run.lead, need=need, status=Need.Status.SELECTED))
                for side in ("inner", "outer"):
                    if entry := spec.get(side):
                        self.strength(run, side, entry[0], entry[1], spec["domain"], at)

    # --- the service plan (서비스 계획) --------------------------------------------------------
    def write_plan(self, run: CaseRun, at: datetime.datetime, *, submit: bool = True, decide: bool = True) -> None:
        """Plan goals on the selected needs, actions in DOMAIN.md §4 order with their asks, the
        person's agreement, then 결재: the approval activates it (moving the case to delivery)."""
        r = self.rng
        case, start = run.case, self.stage_start(run)
        start_day, day = self.local(start), self.local(at)
        if ServicePlan.objects.filter(case=case, status=ServicePlan.Status.ACTIVE).exists():
            plan = plan_new_version(actor=run.lead, case=case)
            # The worker goes through the overdue actions the new version carried over and keeps them.
            for action in PlanAction.objects.filter(goal__plan=plan, needs_review=True):
                action_review(actor=run.lead, action=action)
        else:
            plan = plan_create(actor=run.lead, case=case, summary=self.plan_summary(run))
        ServicePlan.objects.filter(pk=plan.pk).update(  # Backdated: written when planning began
            created_at=self.clamp(self.between(start, at, 0.15))
        )
        planned = set(plan.goals.values_list("need_id", flat=True))
        for need in goal_needs(case=case):
            if need.pk in planned or len(planned) >= 3:
                continue
            spec = run.spec_of[need.pk]
            goal = goal_add(
                actor=run.lead, plan=plan, need=need, description=spec["goal"], progress_measure=spec["measure"]
            )
            planned.add(need.pk)
            self.add_actions(run, goal, spec, start_day, day)
        agreed_on = max(start_day, day - datetime.timedelta(days=r.randint(0, 2)))
        plan = plan_record_agreement(
            actor=run.lead,
            plan=plan,
            agreed_on=agreed_on,
            method=self.weighted({ServicePlan.AgreementMethod.SIGNATURE: 80, ServicePlan.AgreementMethod.VERBAL: 20}),
        )
        if not submit:
            return
        before = self.last_change_id(case)
        submitted_at = self.between(start, at, 0.8)
        if decide and r.random() < RETURN_RATE:
            plan = plan_submit(actor=run.lead, plan=plan)
            approval = approval_decide(
                actor=self.approver(run),
                approval=self.pending(plan),
                approve=False,
                comment=r.choice(data.RETURN_COMMENTS),
            )
            first = self.between(start, at, 0.4)
            returned = self.between(first, at, 0.3)
            submitted_at = self.between(returned, at, 0.6)
            ApprovalRequest.objects.filter(pk=approval.pk).update(submitted_at=first, decided_at=returned)
        plan = plan_submit(actor=run.lead, plan=plan)
        self.approve(run, self.pending(plan), submitted_at=submitted_at, at=at, decide=decide)
        self.settle(run, before, at)
        if decide:
            ServicePlan.objects.filter(pk=plan.pk).update(  # Backdated: six months from its activation
                review_on=add_months(day, self.policy.reassessment_months)
            )
            run.plans.append((at, plan))

    @staticmethod
    def pending(plan: ServicePlan) -> ApprovalRequest | None:
        return ApprovalRequest.objects.filter(plan=plan, status=ApprovalRequest.Status.PENDING).first()

    def plan_summary(self, run: CaseRun) -> str:
        goals = [s["goal"] for s in run.templates if s["status"] == "selected"][:2]
        return (
            "당사자가 정한 순서대로: "
            + ", ".join(f"‘{g}’" for g in goals)
            + ". 당사자의 힘과 주변 사람의 도움을 먼저 쓰고, 모자란 만큼 기관 서비스를 더함."
        )

    def add_actions(self, run: CaseRun, goal, spec: dict, start: datetime.date, day: datetime.date) -> None:
        """Actions using the person's own strengths first (inner, outer), then informal, then formal
        resources (DOMAIN.md §4), each with who was asked and what they answered."""
        r = self.rng
        case, lead = run.case, run.lead

        def due() -> datetime.date:
            return day + datetime.timedelta(days=r.randint(30, 120))

        def asked() -> datetime.date:
            return start + datetime.timedelta(days=r.randint(0, max(0, (day - start).days)))

        if entry := spec.get("inner"):
            kind, description, text = entry
            strength = self.strength(run, "inner", kind, description, spec["domain"], self.day_at(start, 11))
            action = action_add(
                actor=lead,
                goal=goal,
                description=text,
                performer="person",
                performer_name=run.head.name,
                due_on=due(),
                strength=strength,
            )
            ask_record(
                actor=lead,
                case=case,
                whom=run.head.name,
                whom_role="person",
                method="ask",
                asked_on=asked(),
                answer="agreed",
                note=f"어떻게 하고 싶은지 물음. ‘{description}’을(를) 살려 직접 하기로 함.",
                action=action,
            )
        if entry := spec.get("outer"):
            kind, description, text, performer = entry
            strength = self.strength(run, "outer", kind, description, spec["domain"], self.day_at(start, 11))
            action = action_add(
                actor=lead,
                goal=goal,
                description=text,
                performer=performer,
                performer_name=description[:100],
                due_on=due(),
                strength=strength,
            )
            ask_record(
                actor=lead,
                case=case,
                whom=description[:100],
                whom_role=performer,
                method="request",
                asked_on=asked(),
                answer="agreed",
                note="당사자가 먼저 부탁하고 담당자가 함께 찾아가 인사함.",
                action=action,
            )
        if (entry := spec.get("informal")) and (resource := self.resource_for(entry[0], run)):
            keys, text, performer = entry
            action = action_add(
                actor=lead,
                goal=goal,
                description=text,
                performer=performer,
                performer_name=resource.provider,
                due_on=due(),
                resource=resource,
            )
            role = "volunteer" if resource.type == Resource.Type.VOLUNTEER else "neighbour"
            if r.random() < 0.12:
                ask_record(
                    actor=lead,
                    case=case,
                    whom=resource.provider,
                    whom_role=role,
                    method="request",
                    asked_on=start,
                    answer="declined",
                    note="이번 달은 일손이 모자라 어렵다고 함. 다시 부탁하기로 함.",
                    action=action,
                )
            ask_record(
                actor=lead,
                case=case,
                whom=resource.provider,
                whom_role=role,
                method="request",
                asked_on=asked(),
                answer="agreed",
                note="당사자와 함께 찾아가 부탁함. 흔쾌히 돕겠다고 함.",
                action=action,
            )
        for keys, text, performer in spec.get("formal", ()):
            if resource := self.resource_for(keys, run):
                action = action_add(
                    actor=lead,
                    goal=goal,
                    description=text,
                    performer=performer,
                    performer_name=resource.provider,
                    due_on=due(),
                    resource=resource,
                )
                ask_record(
                    actor=lead,
                    case=case,
                    whom=resource.provider,
                    whom_role="agency",
                    method="discuss",
                    asked_on=asked(),
                    answer="agreed",
                    note="담당자와 이용 조건과 시작 날짜를 의논함.",
                    action=action,
                )

    # --- closure (종결) ----------------------------------------------------------------------
    def close(self, run: CaseRun, at: datetime.datetime, reason: str) -> None:
        """Closure with an evaluation per goal of the plan in force, approved by the team leader."""
        code = run.closure_code or self.closure_reason(reason)
        _plan, goals = active_plan_goals(case=run.case)
        evaluations = {}
        for goal in goals:
            result = self.weighted(
                {GoalResult.ACHIEVED: 75, GoalResult.PARTLY: 25}
                if code == "goals_achieved"
                else {GoalResult.PARTLY: 50, GoalResult.NOT_ACHIEVED: 50}
            )
            evaluations[goal.pk] = {"result": result, "note": ""}
            if result == GoalResult.ACHIEVED:
                self.set_need(run, goal.need_id, Need.Status.ACHIEVED)
        before = self.last_change_id(run.case)
        approval = closure_submit(
            actor=run.lead, case=run.case, closure_reason=code, evaluation=reason, goal_evaluations=evaluations
        )
        self.approve(run, approval, submitted_at=self.between(self.stage_start(run), at, 0.9), at=at)
        self.settle(run, before, at)
        run.closures[at] = code

    # --- the year's cases ------------------------------------------------------------------
    def age(self, spec: dict) -> int:
        return self.today.year - spec["birth_date"].year

    def members(self, profile: str, key: str) -> list[dict]:
        r, R = self.rng, Person.Relation
        person = self.person

        def children(parent_age: int, low: int, high: int, count: int, relation=R.CHILD, surname=None):
            # born when the parent was at least 20 (22 for an adult child with a disability)
            high = min(high, parent_age - 20)
            return [
                person(age=(min(low, high), high), surname=surname, relation=relation, agency_key=key)
                for _ in range(count)
            ]

        if profile == "elderly_alone":
            return [person(age=(68, 92), sex=r.choices("FM", [65, 35])[0], agency_key=key)]
        if profile == "elderly_couple":
            husband = person(age=(70, 90), sex="M", agency_key=key)
            wife = person(age=(66, 86), sex="F", relation=R.SPOUSE, agency_key=key)
            return (
                [husband, wife]
                if r.random() < 0.7
                else [{**wife, "relation": R.HEAD}, {**husband, "relation": R.SPOUSE}]
            )
        if profile in ("middle_alone", "housing"):
            return [person(age=(42, 74), sex=r.choices("MF", [78, 22])[0], agency_key=key)]
        if profile == "youth_alone":
            return [person(age=(20, 34), agency_key=key)]
        if profile == "single_parent":
            parent = person(age=(30, 48), sex=r.choices("FM", [80, 20])[0], agency_key=key)
            surname = parent["name"][0] if parent["sex"] == "M" or r.random() < 0.3 else None
            return [parent, *children(self.age(parent), 3, 17, r.randint(1, 2), surname=surname)]
        if profile == "grandparent":
            head = person(age=(62, 82), sex=r.choices("FM", [75, 25])[0], agency_key=key)
            return [head, *children(self.age(head), 6, 16, r.randint(1, 2), relation=R.GRANDCHILD)]
        if profile == "disability":
            head = person(age=(62, 84), sex=r.choices("FM", [75, 25])[0], agency_key=key)
            return [head, *children(self.age(head) - 2, 28, 52, 1)]
        if profile == "family_crisis":
            head = person(age=(38, 56), sex="M", agency_key=key)
            spouse = person(age=(35, 52), sex="F", relation=R.SPOUSE, agency_key=key)
            younger = min(self.age(head), self.age(spouse))
            return [head, spouse, *children(younger, 2, 18, r.randint(0, 2), surname=head["name"][0])]
        # mental health: alone, or with a parent
        head = person(age=(22, 58), agency_key=key)
        if r.random() < 0.4:
            parent_age = min(90, self.age(head) + r.randint(25, 32))
            return [head, person(age=(parent_age, parent_age), relation=R.PARENT, agency_key=key)]
        return [head]

    def generic_case(self, number: int) -> None:
        # Each case draws from its own generator, and its records from another: tuning one part of
        # the demo does not re-roll the rest.
        r = self.rng = random.Random(data.SEED * 10_000 + number)
        key = self.weighted({k: spec["weight"] for k, spec in data.AGENCIES.items()})
        dong = self.weighted({name: data.DONGS[name][1] for name in data.AGENCIES[key]["covers"]})
        profile = self.weighted(data.PROFILE_BIAS.get(key) or {k: p["weight"] for k, p in data.PROFILES.items()})
        lead = self.weighted(self.case_workers[key])
        # Most were taken on in the last twelve months, some earlier and still worked on (at most
        # two days' shift to a Monday: every case opened before today).
        days = r.randint(366, 700) if r.random() < OLDER_SHARE else r.randint(3, 365)
        opened_on = self.workday(self.today - datetime.timedelta(days=days))
        members = self.members(profile, key)
        case, head = self.register(
            lead=lead,
            dong=dong,
            address=self.address(dong, profile),
            members=members,
            summary=r.choice(data.PROFILES[profile]["summaries"]),
            opened_on=opened_on,
        )
        run = CaseRun(
            case=case,
            lead=lead,
            agency_key=key,
            profile=profile,
            head=head,
            size=len(members),
            templates=self.pick_needs(profile),
            overdue=r.random() < OVERDUE_SHARE,
        )
        self.walk(run)
        self.finish(run)
        self.rng = random.Random(data.SEED * 10_000 + 5_000 + number)
        self.records(run)
        self.runs.append(run)

    def next_step(self, stage: str, run: CaseRun) -> tuple[str, int, str] | None:
        r = self.rng
        options = FLOW[stage]
        target, _, (low, high) = r.choices(options, weights=[o[1] for o in options])[0]
        if target == RESUME:
            target = RESUME_AT[run.before_hold]
        if target == S.REASSESSMENT and run.reassessed >= 2:
            target = S.CLOSED
        if target == S.INITIAL_CONSULTATION and stage == S.REFUSED and run.refusals >= 3:
            target = None
        if target is None:
            return None
        gap = r.randint(low, high)
        if high <= 20 and r.random() < STALL_RATE:
            gap *= r.randint(2, 4)
        return target, gap, self.reason(stage, target)

    def reason(self, from_stage: str, to_stage: str) -> str:
        r = self.rng
        if to_stage == S.REFUSED:
            return r.choice(data.REFUSED_REASONS)
        if to_stage == S.ON_HOLD:
            return r.choice(data.ON_HOLD_REASONS)
        if to_stage == S.CLOSED:
            done = from_stage in (S.DELIVERY, S.REASSESSMENT, S.LINKAGE) and r.random() < 0.75
            return r.choice(data.CLOSE_REASONS_DONE if done else data.CLOSE_REASONS_OTHER)
        if to_stage == S.INTAKE and from_stage == S.REFUSED:
            return "계속 찾아간 끝에 당사자가 도움을 요청함. 접수."
        if to_stage == S.INTAKE and from_stage in (S.CLOSED, S.FOLLOW_UP):
            return "재의뢰로 사례 재개(이전 기록 유지)."
        return r.choice(data.NOTES.get(to_stage, ("",)))

    @staticmethod
    def closure_reason(reason: str) -> str:
        """The closure-reason code that matches the reason text written for the closing."""
        if reason in data.CLOSE_REASONS_DONE:
            return "goals_achieved"
        for word, code in (
            ("전출", "moved"),
            ("이사", "moved"),
            ("사망", "died"),
            ("거부", "refused"),
            ("중단", "refused"),
            ("철회", "refused"),
            ("이관", "transferred"),
            ("동일 서비스", "duplicate_service"),
            ("두절", "no_contact"),
        ):
            if word in reason:
                return code
        return "other"

    def walk(self, run: CaseRun) -> None:
        """Move the case forward through allowed transitions until today."""
        r = self.rng
        stage, day = S.IDENTIFICATION, run.case.opened_on
        run.segments = [(S.IDENTIFICATION, run.case.stage_changed_at)]
        colleagues = [a for a in self.case_workers[run.agency_key] if a is not run.lead]
        while (step := self.next_step(stage, run)) is not None:
            to_stage, gap, reason = step
            day = self.workday(day + datetime.timedelta(days=gap))
            at = self.at(day)
            if at > self.now:
                break
            # Colleagues of the lead agency cover holidays and visits.
            actor = r.choice(colleagues) if colleagues and r.random() < 0.1 else run.lead
            if to_stage == S.ON_HOLD:
                run.before_hold = stage
            self.move(run, to_stage, at, reason, actor=actor)
            stage = to_stage

    def finish(self, run: CaseRun) -> None:
        """The work under way today in the stage the case waits in."""
        since = self.stage_start(run)
        waited = (self.today - self.local(since)).days
        if run.case.stage == S.ASSESSMENT and waited >= 2:
            self.assess(run, self.today, full=False)
        elif run.case.stage == S.PLANNING and waited >= 4:
            # a plan written with the person: most wait for the team leader's approval (결재함)
            self.write_plan(run, self.clamp(self.at(self.today)), submit=self.rng.random() < 0.7, decide=False)

    def partner_for(self, run: CaseRun) -> str:
        dong = run.case.household.dong.name
        centre = next(
            (k for k, s in data.AGENCIES.items() if s["kind"] == Agency.Kind.COMMUNITY_CENTRE and dong in s["covers"]),
            None,
        )
        welfare = next(
            (k for k, s in data.AGENCIES.items() if s["kind"] == Agency.Kind.WELFARE_CENTRE and dong in s["covers"]),
            None,
        )
        options = {centre: 30, welfare: 30, "mental": 15, "housing": 15, "district": 10}
        return self.weighted({k: w for k, w in options.items() if k and k != run.agency_key})

    def consent_and_team(self, run: CaseRun, day: datetime.date) -> None:
        """At intake the person consents; some cases also bring another agency into the team, by the
        lead adding it or by a referral it accepts."""
        r = self.rng
        run.consented = True
        partner_key = self.partner_for(run) if r.random() < PARTICIPATION_RATE else None
        age_days = (self.today - day).days
        mode = "none"
        if partner_key:
            # Every eighth team loses access by a withdrawn or an expired consent: a few, never none.
            self.teams += 1
            mode = {3: "withdrawn", 6: "expired"}.get(self.teams % 8) or self.weighted(
                {"agency": 60, "network": 30, "unnamed": 10}
            )
            if (mode == "expired" and age_days < 100) or (mode == "withdrawn" and age_days < 30):
                mode = "agency"
        partner = self.agencies[partner_key] if partner_key else None
        expires_on = None
        if mode == "expired":
            expires_on = day + datetime.timedelta(days=r.randint(60, min(365, age_days - 1)))
        network = mode == "network" or (mode == "none" and r.random() < NETWORK_CONSENT_RATE)
        consent = consent_record(
            actor=run.lead,
            case=run.case,
            person=run.head,
            given_on=day,
            required_collection=True,
            expires_on=expires_on,
            optional_items=r.sample(data.OPTIONAL_CONSENT_ITEMS, k=r.randint(0, 3)),
            share_with_district_network=network,
            third_party_agencies=[partner] if mode in ("agency", "withdrawn", "expired") else [],
            sensitive_data=data.PROFILES[run.profile]["sensitive"] and r.random() < 0.8,
        )
        if mode == "withdrawn":
            consent_withdraw(
                actor=run.lead, consent=consent, on=day + datetime.timedelta(days=r.randint(20, age_days - 1))
            )
        if partner and mode in ("agency", "network") and r.random() < REFERRAL_JOIN_RATE:
            sent = self.workday(day + datetime.timedelta(days=r.randint(0, 3)))
            self.refer(run, partner_key, sent, answer="accept")
        elif partner:
            workers = list(self.case_workers[partner_key])
            case_add_participant(
                actor=run.lead,
                case=run.case,
                agency=partner,
                worker=r.choice(workers).user if workers and r.random() < 0.7 else None,
                role=r.choice(data.PARTICIPANT_ROLES[partner.kind]),
                joined_on=min(self.today, day + datetime.timedelta(days=r.randint(0, 14))),
            )
        if network and r.random() < 0.2:  # asked another agency too, which could not take it on
            others = [
                k
                for k, s in data.AGENCIES.items()
                if k not in (run.agency_key, partner_key)
                and s["kind"]
                in (Agency.Kind.WELFARE_CENTRE, Agency.Kind.MENTAL_HEALTH_CENTRE, Agency.Kind.HOUSING_CENTRE)
            ]
            self.refer(
                run, r.choice(others), self.workday(day + datetime.timedelta(days=r.randint(1, 5))), answer="decline"
            )

    # --- referrals (의뢰) ---------------------------------------------------------------------
    def refer(
        self,
        run: CaseRun,
        key: str,
        sent_on: datetime.date,
        *,
        answer: str,
        reason: str = "",
        receiver: Actor | None = None,
        answer_on: datetime.date | None = None,
        note: str = "",
        completed_on: datetime.date | None = None,
        completion: str = "",
    ) -> Referral | None:
        """The lead refers the case; the other agency accepts (joins the team), declines, or has not
        answered yet. Backdated: sent, answered, completed, and the team join of an acceptance."""
        r = self.rng
        sent_at = self.clamp(self.at(min(sent_on, self.today)))
        agency = self.agencies[key]
        referral = referral_send(
            actor=run.lead, case=run.case, to_agency=agency, reason=reason or data.REFERRAL_REASONS[agency.kind]
        )
        Referral.objects.filter(pk=referral.pk).update(sent_at=sent_at)
        answer_on = answer_on or self.workday(self.local(sent_at) + datetime.timedelta(days=r.randint(1, 6)))
        answer_at = self.at(answer_on)
        if answer == "wait" or answer_at > self.now:
            return referral
        receiver = receiver or r.choice(list(self.case_workers[key]))
        if answer == "decline":
            referral_decline(actor=receiver, referral=referral, reason=note or r.choice(data.DECLINE_REASONS))
            Referral.objects.filter(pk=referral.pk).update(responded_at=answer_at)
            return referral
        last_event = TeamEvent.objects.filter(case=run.case).aggregate(last=Max("id"))["last"] or 0
        referral_accept(actor=receiver, referral=referral, note=note or "수락합니다. 담당자를 배정했습니다.")
        Referral.objects.filter(pk=referral.pk).update(responded_at=answer_at)
        CaseParticipant.objects.filter(case=run.case, agency=agency, left_on__isnull=True).update(joined_on=answer_on)
        TeamEvent.objects.filter(case=run.case, id__gt=last_event).update(at=answer_at)
        if completed_on is None and (self.today - answer_on).days > 120 and r.random() < 0.5:
            completed_on = answer_on + datetime.timedelta(days=r.randint(30, 90))
        if completed_on is not None and completed_on <= self.today:
            referral_complete(actor=receiver, referral=referral, note=completion or r.choice(data.REFERRAL_COMPLETIONS))
            Referral.objects.filter(pk=referral.pk).update(completed_at=self.clamp(self.at(completed_on)))
        return referral

    # --- contact and service records -------------------------------------------------------
    def interval(self, run: CaseRun, stage: str) -> int:
        """Days between monitoring contacts, as the 점검 rules count them."""
        if stage == S.REFUSED:
            return self.policy.refused_visit_days
        if run.crisis_level == CrisisLevel.HIGH:
            return self.policy.high_crisis_monitoring_days
        return self.case_types[run.case_type].monitoring_days if run.case_type else 30

    def rhythm(
        self, start: datetime.datetime, end: datetime.datetime, every: float, keep_up: bool
    ) -> list[datetime.datetime]:
        """Moments of regular contact between ``start`` and ``end``; with ``keep_up`` the last one is
        recent enough for the next not to be due yet."""
        r = self.rng
        moments, t = [], start + datetime.timedelta(days=every * r.uniform(0.3, 0.8))
        while True:
            at = self.at(self.workday(self.local(t)))
            if at >= end:
                break
            moments.append(at)
            t = at + datetime.timedelta(days=every * r.uniform(0.7, 1.0))
        if keep_up and (not moments or (end - moments[-1]).days >= every * 0.8):
            low = moments[-1] if moments else start
            at = self.working(end - datetime.timedelta(hours=r.randint(3, 40)), low, end - MINUTE)
            if at > low:
                moments.append(at)
        return moments

    def contact(
        self,
        run: CaseRun,
        at: datetime.datetime,
        kind: str,
        outcome: str,
        note: str,
        *,
        purpose: str = ContactRecord.Purpose.CASEWORK,
        actor: Actor | None = None,
        next_on: datetime.date | None = None,
    ) -> None:
        at = self.clamp(at)
        if self.local(at) < run.case.opened_on:
            return
        met = outcome == ContactRecord.Outcome.MET
        contact_record_add(
            actor=actor or run.lead,
            case=run.case,
            contacted_at=at,
            kind=kind,
            outcome=outcome,
            purpose=purpose,
            with_whom=run.head.name if met else "",
            note=note,
            next_contact_on=next_on if next_on and next_on > self.local(at) else None,
        )

    def attempt_note(self, kind: str, outcome: str) -> str:
        """What a worker writes after a visit or call that did not reach the person, or only briefly."""
        Kind, Out = ContactRecord.Kind, ContactRecord.Outcome
        phone = kind in (Kind.PHONE, Kind.MESSAGE)
        if kind == Kind.OFFICE and outcome == Out.NO_ANSWER:
            return data.NO_SHOW_NOTE
        pools = {
            Out.REFUSED: data.REFUSAL_PHONE_NOTES if phone else data.REFUSAL_VISIT_NOTES,
            Out.NO_ANSWER: data.NO_ANSWER_MESSAGE_NOTES
            if kind == Kind.MESSAGE
            else data.NO_ANSWER_PHONE_NOTES
            if phone
            else data.NO_ANSWER_NOTES,
            Out.MET: data.PHONE_MET_NOTES if phone else data.DOOR_MET_NOTES,
            Out.OTHER: data.OTHER_NOTES,
        }
        return self.rng.choice(pools[outcome])

    def progress_note(self, run: CaseRun, kind: str, at: datetime.datetime) -> str:
        """How one goal of the plan in force at ``at`` is going, in the order its story goes."""
        plan = next((p for activated, p in reversed(run.plans) if activated <= at), None)
        if plan is not None and plan.pk not in self.plan_needs:
            self.plan_needs[plan.pk] = list(plan.goals.order_by("id").values_list("need_id", flat=True))
        specs = [run.spec_of[need] for need in self.plan_needs.get(getattr(plan, "pk", None), ())]
        opener = data.MONITORING_OPENERS[kind]
        if not specs:
            return f"{opener} {self.rng.choice(data.CASEWORK_NOTES['linkage'])}"
        spec = self.rng.choice(specs)
        told = run.told[spec["goal"]] = run.told.get(spec["goal"], -1) + 1  # the story moves on
        return f"{opener} ‘{spec['goal']}’: {spec['progress'][told % len(spec['progress'])]}"

    def records(self, run: CaseRun) -> None:
        """Contacts and services across the case's stages, as the workers of the team wrote them."""
        r, Kind, Out = self.rng, ContactRecord.Kind, ContactRecord.Outcome
        run.partner = self.partner_actor(run)
        spans = [
            (stage, start, run.segments[i + 1][1] if i + 1 < len(run.segments) else self.now)
            for i, (stage, start) in enumerate(run.segments)
        ]
        closed_on = None
        for index, (stage, start, end) in enumerate(spans):
            last = index == len(spans) - 1
            if stage in run.scripted_stages:
                continue
            if stage == S.IDENTIFICATION:
                if r.random() < 0.3:
                    self.contact(
                        run, start, Kind.OUTREACH, Out.NO_ANSWER, self.attempt_note(Kind.OUTREACH, Out.NO_ANSWER)
                    )
                    start = start + HOUR * r.randint(20, 50)
                if start < end:
                    self.contact(
                        run,
                        start,
                        r.choice((Kind.OUTREACH, Kind.HOME_VISIT, Kind.PHONE)),
                        Out.MET,
                        r.choice(data.CASEWORK_NOTES["identification"]),
                    )
            elif stage in (S.INITIAL_CONSULTATION, S.INTAKE, S.ASSESSMENT, S.SELECTION):
                notes = data.CASEWORK_NOTES[stage]
                count = 2 if stage == S.ASSESSMENT and (end - start).days > 4 else 1
                for n in range(count if stage != S.SELECTION or r.random() < 0.5 else 0):
                    kind = {S.SELECTION: Kind.PHONE, S.ASSESSMENT: Kind.HOME_VISIT}.get(stage) or r.choice(
                        (Kind.HOME_VISIT, Kind.OFFICE)
                    )
                    self.contact(
                        run, self.between(start, end, (n + 0.3) / (count + 0.5)), kind, Out.MET, r.choice(notes)
                    )
            elif stage == S.PLANNING:
                for n in range(r.randint(1, 2)):
                    self.contact(
                        run,
                        self.between(start, end, 0.2 + 0.5 * n),
                        Kind.HOME_VISIT,
                        Out.MET,
                        r.choice(data.CASEWORK_NOTES["planning"]),
                    )
                if last:
                    self.monitor(run, stage, start, end, keep_up=not run.overdue)
            elif stage == S.REFUSED:
                self.outreach(run, start, end, keep_up=last and not run.overdue)
            elif stage == S.ON_HOLD:
                for at in self.rhythm(start, end, r.randint(25, 45), keep_up=False):
                    outcome = Out.MET if r.random() < 0.6 else Out.NO_ANSWER
                    note = r.choice(data.HOLD_NOTES) if outcome == Out.MET else self.attempt_note(Kind.PHONE, outcome)
                    self.contact(run, at, Kind.PHONE, outcome, note)
            elif stage in (S.DELIVERY, S.REASSESSMENT, S.LINKAGE):
                if stage == S.LINKAGE:
                    self.contact(
                        run,
                        start,
                        r.choice((Kind.OFFICE, Kind.PHONE)),
                        Out.MET,
                        r.choice(data.CASEWORK_NOTES["linkage"]),
                    )
                self.monitor(run, stage, start, end, keep_up=last and not run.overdue)
                if not run.scripted:
                    self.delivery_services(run, stage, start, end)
            elif stage == S.CLOSED:
                closed_on, closure = self.local(start), run.closures.get(start, "")
                if closure in ("moved", "no_contact"):
                    note = r.choice(data.CASEWORK_NOTES["moved"])
                    self.contact(
                        run, start - HOUR * 2, Kind.PHONE if "전화" in note else Kind.HOME_VISIT, Out.MOVED, note
                    )
                elif r.random() < 0.4:
                    self.contact(
                        run,
                        start + HOUR,
                        r.choice((Kind.HOME_VISIT, Kind.PHONE)),
                        Out.MET,
                        r.choice(data.CASEWORK_NOTES["closure"]),
                    )
            if stage in (S.CLOSED, S.FOLLOW_UP) and closed_on:
                self.follow_up(run, closed_on, closure, start, end)
        for actor, rows in self.pending_services.items():
            service_records_add(actor=actor, case=run.case, rows=rows)
        self.pending_services = {}

    def partner_actor(self, run: CaseRun) -> Actor | None:
        """A worker of a participating agency who may record work on the case today (consent in force)."""
        for participant in run.case.participants.filter(left_on__isnull=True).order_by("id"):
            actor = self.actor_of_user.get(participant.worker_id) if participant.worker_id else None
            actor = actor or next(iter(self.case_workers[self.key_of(participant.agency_id)]), None)
            if actor and can(actor, RECORD_WORK, run.case):
                return actor
        return None

    def key_of(self, agency_id: int) -> str:
        return next(k for k, a in self.agencies.items() if a.pk == agency_id)

    def outreach(self, run: CaseRun, start: datetime.datetime, end: datetime.datetime, *, keep_up: bool) -> None:
        """A refusing household: the refused visit itself, then a visit about every month (attempts count)."""
        Kind, Out = ContactRecord.Kind, ContactRecord.Outcome
        self.contact(run, start, Kind.HOME_VISIT, Out.REFUSED, self.attempt_note(Kind.HOME_VISIT, Out.REFUSED))
        for at in self.rhythm(start, end, self.interval(run, S.REFUSED), keep_up):
            outcome = self.weighted({Out.REFUSED: 40, Out.NO_ANSWER: 35, Out.MET: 25})
            kind = self.weighted({Kind.OUTREACH: 60, Kind.HOME_VISIT: 20, Kind.PHONE: 20})
            self.contact(run, at, kind, outcome, self.attempt_note(kind, outcome))

    def monitor(
        self, run: CaseRun, stage: str, start: datetime.datetime, end: datetime.datetime, keep_up: bool = True
    ) -> None:
        """점검: contacts at the case's monitoring interval; some by the participating agency."""
        r, Kind, Out, Purpose = self.rng, ContactRecord.Kind, ContactRecord.Outcome, ContactRecord.Purpose
        every = self.interval(run, stage)
        if not keep_up and end >= self.now:  # a lapse: nobody has been in touch for a while
            end = self.now - datetime.timedelta(days=every * r.uniform(1.6, 3.0))
        for at in self.rhythm(start, end, every, keep_up):
            kind = self.weighted({Kind.HOME_VISIT: 40, Kind.PHONE: 45, Kind.OFFICE: 8, Kind.MESSAGE: 7})
            outcome = self.weighted({Out.MET: 86, Out.NO_ANSWER: 10, Out.OTHER: 4})
            note = self.progress_note(run, kind, at) if outcome == Out.MET else self.attempt_note(kind, outcome)
            actor = run.partner if run.partner and r.random() < PARTNER_CONTACT_SHARE else None
            self.contact(
                run,
                at,
                kind,
                outcome,
                note,
                actor=actor,
                purpose=Purpose.MONITORING if r.random() < 0.8 else Purpose.CASEWORK,
                next_on=self.local(at) + datetime.timedelta(days=every) if r.random() < 0.5 else None,
            )

    def follow_up(
        self, run: CaseRun, closed_on: datetime.date, closure: str, start: datetime.datetime, end: datetime.datetime
    ) -> None:
        """사후관리 contacts at the district's follow-up days after closure (a few forgotten)."""
        r, Kind, Out = self.rng, ContactRecord.Kind, ContactRecord.Outcome
        gone = closure in ("moved", "died", "no_contact", "transferred")
        for days in self.policy.follow_up_days:
            at = self.at(self.workday(closed_on + datetime.timedelta(days=int(days) + r.randint(0, 7))))
            if not (start <= at < end) or r.random() < 0.06:
                continue
            outcome = (Out.NO_ANSWER if closure == "no_contact" else Out.MOVED) if gone else Out.MET
            note = r.choice(data.FOLLOW_UP_NOTES) if outcome == Out.MET else r.choice(data.CASEWORK_NOTES["moved"])
            self.contact(
                run,
                at,
                Kind.PHONE if "전화" in note else Kind.HOME_VISIT,
                outcome,
                note,
                purpose=ContactRecord.Purpose.FOLLOW_UP,
            )

    def service(
        self,
        run: CaseRun,
        day: datetime.date,
        *,
        domain: str,
        description: str,
        actor: Actor | None = None,
        provider: Agency | None = None,
        resource: Resource | None = None,
        amount_kind: str = "",
        amounts: tuple[int, ...] = (),
        by_size: bool = False,
        plan_action=None,
    ) -> None:
        """One service record, written with the case's other rows by the same worker at the end."""
        day = self.workday(day)
        if day > self.today or day < run.case.opened_on:
            return
        actor = actor or run.lead
        own = actor.membership.agency
        # A service of the recording agency itself is direct; one it arranged elsewhere is linked (연계).
        direct = (
            provider is not None and provider.pk == own.pk
            if resource is not None
            else (provider is None or provider.pk == own.pk)
        )
        provider = provider or own
        amount = None
        if amount_kind and amounts:
            amount = amounts[min(run.size, len(amounts)) - 1] if by_size else self.rng.choice(amounts)
        mode = ServiceRecord.Mode.DIRECT if direct else ServiceRecord.Mode.LINKED
        self.pending_services.setdefault(actor, []).append(
            {
                "provided_on": day,
                "domain": domain,
                "mode": mode,
                "description": description[:300],
                "provider_agency": provider,
                "resource": resource,
                "amount_kind": amount_kind if amount else "",
                "amount": amount,
                "plan_action": plan_action,
            }
        )

    def resource_service(
        self,
        run: CaseRun,
        key: str,
        day: datetime.date,
        *,
        actor: Actor | None = None,
        description: str = "",
        plan_action=None,
    ) -> None:
        spec, resource = data.RESOURCES[key], self.resources[key]
        provider = self.provider_of(spec, run)
        if actor is None and run.partner and provider and provider.pk == run.partner.agency_id:
            actor = run.partner  # the participating agency records what it provides itself
        text, amount_kind, amounts = spec["service"]
        self.service(
            run,
            day,
            domain=resource.domain,
            description=description or text,
            actor=actor,
            provider=provider,
            resource=resource,
            amount_kind=amount_kind,
            amounts=amounts,
            by_size=spec.get("by_size", False),
            plan_action=plan_action,
        )

    def delivery_services(self, run: CaseRun, stage: str, start: datetime.datetime, end: datetime.datetime) -> None:
        """What the plan's resources brought during this stretch, and the agencies' own services."""
        r = self.rng
        first, last = self.local(start), min(self.local(end), self.today)
        span = (last - first).days
        if span < 2:
            return
        if stage == S.LINKAGE:
            keys = r.sample(data.LINKAGE_RESOURCES[run.profile], k=min(2, len(data.LINKAGE_RESOURCES[run.profile])))
            for key in keys[: r.randint(1, len(keys))]:
                self.resource_service(run, key, first + datetime.timedelta(days=r.randint(1, min(30, span))))
        else:
            plan = next((p for at, p in reversed(run.plans) if at <= start + DAY), None)
            actions = (
                PlanAction.objects.filter(goal__plan=plan, resource__isnull=False)
                .select_related("resource")
                .order_by("id")
                if plan
                else []
            )
            for action in actions:
                key = self.resource_key[action.resource_id]
                times = data.RESOURCES[key]["times"]
                if (times == (1, 1) and key in run.used) or (
                    # help from neighbours and groups is often not a "service" anyone records
                    action.resource.kind == Resource.Kind.INFORMAL and r.random() < INFORMAL_UNRECORDED
                ):
                    continue
                run.used.add(key)
                day = first + datetime.timedelta(days=r.randint(1, min(20, span)))
                count = min(r.randint(*times), 1 + span // 60)
                text = data.RESOURCES[key]["service"][0]
                for _ in range(count):
                    if day > last:
                        break
                    self.resource_service(
                        run, key, day, plan_action=action, description=f"{text} · {day.month}월" if count > 1 else text
                    )
                    day += datetime.timedelta(days=r.randint(25, 35))
        for _month in range(max(1, span // 30)):
            if r.random() < DIRECT_RATE:
                domain, text, amount_kind, amounts = r.choice(data.DIRECT_SERVICES[run.lead.membership.agency.kind])
                self.service(
                    run,
                    first + datetime.timedelta(days=r.randint(0, span)),
                    domain=domain,
                    description=text,
                    amount_kind=amount_kind,
                    amounts=amounts,
                )
            if run.partner and r.random() < PARTNER_RATE:
                domain, text, amount_kind, amounts = r.choice(data.DIRECT_SERVICES[run.partner.membership.agency.kind])
                self.service(
                    run,
                    first + datetime.timedelta(days=r.randint(0, span)),
                    domain=domain,
                    description=text,
                    actor=run.partner,
                    amount_kind=amount_kind,
                    amounts=amounts,
                )

    # --- case conferences (사례회의), waiting work, the workshop ------------------------------
    def hold_conferences(self) -> None:
        """One meeting per agency and day for the cases it put to a conference; decisions → tasks."""
        r = self.rng
        for (key, day), runs in sorted(self.conference_queue.items(), key=lambda item: (item[0][1], item[0][0])):
            host = runs[0].lead
            agencies, attendees = [self.agencies[key]], []
            for run in runs:
                attendees.append(run.lead.user)
                team = run.case.participants.filter(joined_on__lte=day, left_on__isnull=True)
                for participant in team.select_related("agency", "worker").order_by("id"):
                    agencies.append(participant.agency)
                    if participant.worker:
                        attendees.append(participant.worker)
            if r.random() < 0.6:
                attendees.append(self.supervisors[key][0].user)
            agencies, attendees = list(dict.fromkeys(agencies)), list(dict.fromkeys(attendees))
            kind = "민관 통합사례회의" if len(agencies) > 1 else f"{data.AGENCIES[key]['name']} 사례회의"
            conference = conference_schedule(
                actor=host,
                kind=Conference.Kind.CASE_CONFERENCE,
                title=f"{kind} ({day.month}월 {day.day}일)",
                scheduled_at=self.clamp(self.day_at(day, 14, 0)),
                place=r.choice(data.CONFERENCE_PLACES),
                agencies=agencies,
                attendees=attendees,
            )
            for run in runs:
                conference_add_case(
                    actor=run.lead, conference=conference, case=run.case, discussion=self.discussion(run)
                )
            conference_record(
                actor=host,
                conference=conference,
                person_attended=r.random() < 0.15,
                family_attended=r.random() < 0.1,
                minutes=f"사례 {len(runs)}건 논의. 참여 기관: {', '.join(a.name for a in agencies)}. "
                "당사자의 말로 적은 욕구를 함께 읽고, 기관별 역할과 다음 점검일을 정함.",
            )
            for run in runs:
                if r.random() < TASK_RATE:
                    assignee = run.lead
                    partner = run.partner
                    if (
                        partner
                        and r.random() < 0.4
                        and conference.agencies.filter(pk=partner.agency_id).exists()
                        and can(partner, VIEW_CASE, run.case)
                    ):
                        assignee = partner
                    due = day + datetime.timedelta(days=r.randint(7, 21))
                    self.task(
                        conference,
                        host,
                        assignee,
                        self.decision(run),
                        day,
                        due,
                        case=run.case,
                        done=due < self.today - datetime.timedelta(days=3) and r.random() < 0.93,
                    )

    def task(
        self,
        conference: Conference,
        host: Actor,
        assignee: Actor,
        decision: str,
        day: datetime.date,
        due: datetime.date,
        *,
        case: Case | None = None,
        done: bool,
        note: str = "",
        done_on: datetime.date | None = None,
    ) -> Task:
        """A decision becomes a task; a done one is completed by its assignee. Backdated: completed at."""
        r = self.rng
        task = decision_to_task(
            actor=host, conference=conference, decision=decision, assignee=assignee.user, due_on=due, case=case
        )
        if done:
            task_complete(actor=assignee, task=task, note=note or r.choice(data.TASK_DONE_NOTES))
            done_on = done_on or max(day, due - datetime.timedelta(days=r.randint(0, 6)))
            Task.objects.filter(pk=task.pk).update(completed_at=self.clamp(self.day_at(done_on, r.randint(10, 17))))
        return task

    def decision(self, run: CaseRun) -> str:
        specs = [run.spec_of[n.pk] for n in run.needs if n.status != Need.Status.SET_ASIDE]
        return next((s["decision"] for s in specs if s.get("decision")), "서비스 연계 방향 확정, 다음 점검일 결정")

    def discussion(self, run: CaseRun) -> str:
        agreed = [n.agreed_text for n in run.needs if n.agreed_text]
        parts = [run.case.summary[:120]]
        if agreed:
            more = f" 외 {len(agreed) - 1}건" if len(agreed) > 1 else ""
            parts.append(f"합의한 욕구: ‘{agreed[0]}’{more}.")
        parts.append(f"결정: {self.decision(run)}.")
        return " ".join(parts)

    def waiting_referrals(self) -> None:
        """A few referrals sent in the last days and not answered yet (the housing and mental-health
        centres' 의뢰함); a consent naming the agency is recorded first where none covers it."""
        from hamkke.referrals.models import OPEN_STATUSES
        from hamkke.referrals.selectors import consent_covers

        r = self.rng
        wanted = (
            ("housing", ("housing", "elderly_alone", "disability", "elderly_couple")),
            ("housing", ("housing", "elderly_alone", "disability", "elderly_couple", "middle_alone")),
            ("mental", ("mental", "youth_alone", "middle_alone")),
        )
        taken: set[int] = set()
        recent_first = sorted(
            (run for run in self.runs if not run.scripted), key=lambda run: run.case.opened_on, reverse=True
        )
        for key, profiles in wanted:
            agency = self.agencies[key]
            run = next(
                (
                    run
                    for run in recent_first
                    if run.profile in profiles
                    and run.case.pk not in taken
                    and run.agency_key != key
                    and run.case.stage in (S.DELIVERY, S.LINKAGE, S.ASSESSMENT)
                    and not run.case.participants.filter(agency=agency, left_on__isnull=True).exists()
                    and not run.case.referrals.filter(to_agency=agency, status__in=OPEN_STATUSES).exists()
                ),
                None,
            )
            if run is None:
                continue
            taken.add(run.case.pk)
            sent = min(self.today, self.workday(self.today - datetime.timedelta(days=r.randint(2, 9))))
            if not consent_covers(case_id=run.case.pk, agency_id=agency.pk):
                consent_record(
                    actor=run.lead,
                    case=run.case,
                    person=run.head,
                    given_on=sent,
                    required_collection=True,
                    optional_items=["연락처"],
                    third_party_agencies=[agency],
                )
            self.refer(run, key, sent, answer="wait")

    def waiting_closures(self) -> None:
        """Two closures by 중림종합사회복지관 workers wait for their team leader 노지은 (her 결재함)."""
        r = self.rng
        leader = self.actors["welfare-worker"]
        chosen = [
            run
            for run in self.runs
            if run.agency_key == "wc-junglim"
            and run.lead is not leader
            and not run.scripted
            and run.case.stage == S.DELIVERY
            and run.plans
            and (self.today - self.local(self.stage_start(run))).days > 10
        ][:2]
        for index, run in enumerate(chosen):
            _plan, goals = active_plan_goals(case=run.case)
            approval = closure_submit(
                actor=run.lead,
                case=run.case,
                closure_reason="goals_achieved",
                evaluation=data.CLOSE_REASONS_DONE[index],
                goal_evaluations={goal.pk: {"result": GoalResult.ACHIEVED, "note": ""} for goal in goals},
            )
            ApprovalRequest.objects.filter(pk=approval.pk).update(  # Backdated: waiting for some days
                submitted_at=self.clamp(self.now - datetime.timedelta(days=r.randint(1, 4), hours=r.randint(0, 6)))
            )

    def workshop(self) -> None:
        """'함께라면 괜찮아': the practice-sharing workshop of the district's case managers, on the last
        working day of last month, hosted by the district admin (a conference without a case)."""
        admin = self.actors["district-admin"]
        day = self.today.replace(day=1) - DAY
        while day.weekday() >= 5:
            day -= DAY
        attendees = [self.actors[name].user for name in data.WORKSHOP_SPEAKERS]
        conference = conference_schedule(
            actor=admin,
            kind=Conference.Kind.WORKSHOP,
            title="함께라면 괜찮아 — 민관 사례관리 실천 공유 워크숍",
            scheduled_at=self.day_at(day, 14, 0),
            place="신당누리센터",
            agencies=list(self.agencies.values()),
            attendees=attendees,
            other_attendees="중구 민관 사례관리 담당자 60명",
        )
        conference_record(
            actor=admin,
            conference=conference,
            minutes=data.WORKSHOP_MINUTES,
            person_attended=False,
            family_attended=False,
        )
        for username, decision, days in data.WORKSHOP_TASKS:
            self.task(
                conference, admin, self.actors[username], decision, day, day + datetime.timedelta(days=days), done=False
            )

    def scripted_conference(self, run: CaseRun, day: datetime.date, spec: dict) -> None:
        """A reference scenario's conference: its agencies, minutes, and the decisions that became tasks."""
        conference = conference_schedule(
            actor=run.lead,
            kind=Conference.Kind.CASE_CONFERENCE,
            title=spec["title"],
            scheduled_at=self.day_at(day, 14, 0),
            place=spec["place"],
            agencies=[self.agencies[key] for key in spec["agencies"]],
            attendees=[self.actors[name].user for name in spec["attendees"]],
            other_attendees=spec.get("others", ""),
        )
        conference_add_case(actor=run.lead, conference=conference, case=run.case, discussion=spec["discussion"])
        conference_record(
            actor=run.lead,
            conference=conference,
            minutes=spec["minutes"],
            person_attended=spec.get("person", False),
            family_attended=spec.get("family", False),
        )
        for username, decision, due_days, done_days, note in spec["tasks"]:
            done_on = day + datetime.timedelta(days=done_days) if done_days is not None else None
            self.task(
                conference,
                run.lead,
                self.actors[username],
                decision,
                day,
                day + datetime.timedelta(days=due_days),
                case=run.case,
                done=done_on is not None and done_on <= self.today,
                note=note,
                done_on=done_on,
            )

    # --- the three reference scenarios (DOMAIN.md §7) --------------------------------------
    def scenarios(self) -> None:
        self.hoarding()
        self.refusal_then_trust()
        self.after_suicide_attempt()

    def scenario_run(
        self,
        case: Case,
        person: Person,
        *,
        lead: Actor,
        key: str,
        profile: str,
        size: int,
        templates,
        scripted_stages=(),
    ) -> CaseRun:
        run = CaseRun(
            case=Case.objects.select_related("household__dong", "case_type").get(pk=case.pk),
            lead=lead,
            agency_key=key,
            profile=profile,
            head=person,
            size=size,
            templates=[dict(t) for t in templates],
            scripted=True,
            scripted_stages=frozenset(scripted_stages),
        )
        run.segments = [(S.IDENTIFICATION, case.stage_changed_at)]
        return run

    def step(
        self,
        run: CaseRun,
        day: datetime.date,
        stage: str,
        reason: str = "",
        *,
        hour: int = 16,
        new_plan: bool | None = None,
    ) -> bool:
        at = self.day_at(day, hour)
        if at > self.now:
            return False
        self.move(run, stage, at, reason, new_plan=new_plan)
        return True

    def visit(self, run: CaseRun, day: datetime.date, kind: str, outcome: str, note: str, hour: int = 11) -> None:
        self.contact(run, self.day_at(day, hour), kind, outcome, note)

    def action_using(self, run: CaseRun, key: str) -> PlanAction | None:
        actions = PlanAction.objects.filter(goal__plan__case=run.case, resource=self.resources[key])
        return actions.order_by("-id").first()

    def scripted_services(self, run: CaseRun, rows) -> None:
        """(day, resource key or None, worker, description[, domain]) rows of a scenario."""
        for day, key, username, text, *domain in rows:
            actor = self.actors[username]
            day = datetime.date.fromisoformat(day) if isinstance(day, str) else day
            if key:
                self.resource_service(
                    run, key, day, actor=actor, description=text, plan_action=self.action_using(run, key)
                )
            else:
                self.service(run, day, domain=domain[0], description=text, actor=actor)

    def hoarding(self) -> None:
        lead = self.actors["district-worker"]
        d = datetime.date
        head = {
            "name": "고영철",
            "birth_date": d(1953, 8, 14),
            "sex": "M",
            "phone": "",
            "relation": Person.Relation.HEAD,
            "rrn": self.rrn(d(1953, 8, 14), "M"),
        }
        case, person = self.register(
            lead=lead,
            dong="중림동",
            address=(f"{data.ADDRESS_PREFIX} 중림로7길 18", "단독주택"),
            members=[head],
            opened_on=d(2019, 3, 11),
            summary=(
                "저장강박 가구. 집 안과 마당, 골목까지 폐기물이 쌓여 악취·화재 위험으로 이웃 민원이 잇따름. "
                "당사자는 어떤 도움도 원하지 않음. 2019년부터 희망복지지원단 이하연 사례관리사가 꾸준히 방문, "
                "5년여의 설득 끝에 2024년 2월 주거안심종합센터·중림종합사회복지관·자원봉사자와 함께 집을 청소함. "
                "'장편 드라마' 같은 사례."
            ),
        )
        run = self.scenario_run(
            case,
            person,
            lead=lead,
            key="district",
            profile="elderly_alone",
            size=1,
            templates=data.HOARDING_NEEDS,
            scripted_stages=(S.IDENTIFICATION, S.REFUSED, S.INITIAL_CONSULTATION),
        )
        run.templates[1]["achieve_at_review"] = True  # the arm healed: he shops and cooks alone again
        run.case_type, run.crisis_level = "high_complexity", CrisisLevel.HIGH
        run.consultation = (
            "대문 앞",
            "‘혼자 산 지 20년 됐어요. 건강은 괜찮아요. 물건은 다 쓸 데가 있어요.’",
            "집 안팎과 골목까지 폐기물 적치, 악취. 15분쯤 대화가 이어짐.",
        )
        for day, stage, reason in (
            (
                d(2019, 3, 14),
                S.REFUSED,
                "첫 방문. 문을 열지 않고 '필요 없다, 내 물건에 손대지 말라'며 거절. "
                "골목까지 폐기물 적치, 악취 민원 3건.",
            ),
            (d(2019, 11, 20), S.INITIAL_CONSULTATION, "김장김치 전달 방문에서 처음으로 대문 앞 대화(15분)."),
            (
                d(2019, 12, 2),
                S.REFUSED,
                "집 정리 이야기에 다시 문을 닫음. 물건은 '다 쓸 데가 있다'고 함. 두세 달마다 방문 계속.",
            ),
            (d(2020, 9, 8), S.INITIAL_CONSULTATION, "코로나19 방역물품 전달. 마스크는 받음. 다리 통증 호소."),
            (
                d(2020, 10, 5),
                S.REFUSED,
                "병원 동행 제안 거절. 강제 처리는 관계를 해칠 우려가 커 방문을 이어 가기로 함.",
            ),
            (d(2021, 7, 21), S.INITIAL_CONSULTATION, "폭염 안부 확인. 현관 안에서 대화. 어머니 유품 이야기를 들음."),
            (d(2021, 8, 10), S.REFUSED, "정리 제안에는 '아직은 아니다'. 방문 자체는 반기기 시작함."),
            (d(2022, 12, 14), S.INITIAL_CONSULTATION, "한파 대비 난방 점검을 처음으로 받아들임."),
            (d(2023, 1, 9), S.REFUSED, "화재 위험을 설명했으나 정리는 거부. '내가 스스로 하겠다'."),
            (
                d(2023, 10, 17),
                S.INITIAL_CONSULTATION,
                "집 안에서 넘어져 팔 골절. 입원 중 면회, 퇴원 후 지금 집에서 지내기 어렵다는 데 본인도 동의.",
            ),
        ):
            self.step(run, day, stage, reason)
        run.consented = True
        self.step(run, d(2023, 11, 6), S.INTAKE, "당사자가 먼저 '집을 좀 치우고 싶다'고 요청. 통합사례관리 접수.")
        housing, welfare = self.agencies["housing"], self.agencies["wc-junglim"]
        consent_record(
            actor=lead,
            case=run.case,
            person=person,
            given_on=d(2023, 11, 6),
            required_collection=True,
            optional_items=["연락처", "건강 상태"],
            third_party_agencies=[housing, welfare],
            sensitive_data=True,
        )
        self.step(run, d(2023, 11, 15), S.ASSESSMENT, "욕구 조사: 당사자의 말부터 그대로 적음. 화재·낙상 위험 높음.")
        self.refer(
            run,
            "housing",
            d(2023, 12, 27),
            answer="accept",
            receiver=self.actors["housing-worker"],
            reason="저장강박 가구 대청소 뒤 도배·장판 교체와 주거 안전 점검을 요청합니다. "
            "당사자 동의(2023.11.6)를 받았습니다.",
            answer_on=d(2024, 1, 3),
            note="수락합니다. 청소 일정에 맞춰 도배·장판 견적을 내겠습니다.",
            completed_on=d(2024, 3, 4),
            completion="도배·장판 교체(방 2칸·부엌) 완료. 6개월마다 주거 안전 점검 예정.",
        )
        self.step(run, d(2024, 1, 9), S.CONFERENCE, "민관 통합사례회의 상정.", hour=10)
        case_add_participant(
            actor=lead,
            case=run.case,
            agency=welfare,
            worker=self.actors["welfare-worker"].user,
            role="대청소 자원봉사자 모집·정리 지원",
            joined_on=d(2024, 1, 9),
        )
        self.scripted_conference(run, d(2024, 1, 9), data.HOARDING_CONFERENCE)
        self.step(run, d(2024, 1, 12), S.SELECTION, "민관 통합사례회의 결과: 고난도 사례, 위기도 상.")
        self.step(run, d(2024, 1, 22), S.PLANNING, "당사자와 계획 의논: 물건 분류는 당사자가 직접 결정, 2월 대청소.")
        self.step(run, d(2024, 2, 19), S.DELIVERY, hour=9)  # the approved plan starts the clean-up
        self.scripted_services(run, data.HOARDING_SERVICES)
        self.step(run, d(2024, 8, 20), S.REASSESSMENT, "6개월 재사정: 다시 쌓인 물건 없음. 이웃과 텃밭 가꾸기 시작.")
        self.reclassify(
            run,
            self.day_at(d(2024, 8, 27), 11),
            "high_complexity",
            CrisisLevel.MEDIUM,
            "재사정: 화재·낙상 위험 해소, 위기도 상에서 중으로.",
        )
        self.step(run, d(2024, 9, 3), S.DELIVERY, new_plan=True)  # plan v2: the garden group with a neighbour
        self.step(run, d(2025, 8, 19), S.REASSESSMENT, "정기 재사정: 1년 넘게 재적치 없음.")
        self.reclassify(
            run,
            self.day_at(d(2025, 8, 26), 11),
            "general",
            CrisisLevel.LOW,
            "재사정: 일반 사례로 전환, 월 1회 안부 방문으로 점검.",
        )
        self.step(run, d(2025, 9, 2), S.DELIVERY, "월 1회 안부 방문으로 점검 계속, 종결 준비.", new_plan=False)
        run.closure_code = "goals_achieved"
        self.step(
            run,
            d(2026, 2, 23),
            S.CLOSED,
            "목표 달성: 2년 가까이 다시 쌓인 물건 없이 지내고, 이웃과 텃밭 모임을 함께함. 사후관리로 전환.",
        )
        self.step(run, d(2026, 3, 3), S.FOLLOW_UP, "사후관리: 종결 후 1·3·6개월 안부 방문.")
        for day, kind, outcome, note in data.HOARDING_VISITS:
            self.visit(run, datetime.date.fromisoformat(day), kind, outcome, note)
        self.records(run)
        self.runs.append(run)

    def refusal_then_trust(self) -> None:
        lead = self.actors["welfare-worker"]
        d = datetime.date
        head = {
            "name": "최동석",
            "birth_date": d(1966, 5, 2),
            "sex": "M",
            "phone": "010-4821-3390",
            "relation": Person.Relation.HEAD,
        }
        case, person = self.register(
            lead=lead,
            dong="중림동",
            address=(f"{data.ADDRESS_PREFIX} 만리재로 47-3", "2층 쪽방 5호"),
            members=[head],
            opened_on=d(2024, 5, 13),
            summary=(
                "통장 제보: 50대 후반 1인 가구, 당뇨 악화로 발에 상처가 있으나 병원에 가지 않고 외출도 거의 안 함. "
                "도움을 계속 거부. 노지은 팀장이 1년 반 동안 40여 차례 찾아가 문을 두드린 끝에 당사자가 먼저 "
                "도움을 요청함."
            ),
        )
        run = self.scenario_run(
            case,
            person,
            lead=lead,
            key="wc-junglim",
            profile="middle_alone",
            size=1,
            templates=data.TRUST_NEEDS,
            scripted_stages=(S.IDENTIFICATION, S.REFUSED, S.INITIAL_CONSULTATION),
        )
        run.case_type, run.crisis_level = "general", CrisisLevel.MEDIUM
        run.consultation = (
            "쪽방 문 앞",
            "‘물은 고맙소. 그래도 병원은 안 가요. 나라 신세 지기 싫어요.’",
            "왼발을 절뚝거림. 당뇨 합병증이 의심됨. 방 안에 약봉지가 쌓여 있음.",
        )
        for day, stage, reason in (
            (d(2024, 5, 16), S.REFUSED, "방문 1회차: 문 너머로 '도움 필요 없다'. 명함과 복지관 소식지를 문틈에 남김."),
            (d(2024, 7, 2), S.INITIAL_CONSULTATION, "방문 9회차: 폭염 생수 전달 때 처음 문을 열고 5분 대화."),
            (
                d(2024, 7, 9),
                S.REFUSED,
                "방문 10회차: 병원 이야기에 '나라 신세 지기 싫다'며 거절. "
                "억지로 권하지 않고 안부 방문만 이어 가기로 팀 회의에서 정함.",
            ),
            (d(2024, 12, 16), S.INITIAL_CONSULTATION, "방문 21회차: 김장 나눔 김치를 받음. 고향 이야기를 오래 나눔."),
            (d(2025, 1, 6), S.REFUSED, "방문 23회차: 기초생활수급 신청 안내는 거절. 안부 방문은 와도 된다고 함."),
        ):
            self.step(run, day, stage, reason)
        for number, day, outcome, note in self.trust_visits():
            self.visit(
                run,
                day,
                ContactRecord.Kind.HOME_VISIT if outcome == "met" else ContactRecord.Kind.OUTREACH,
                outcome,
                f"방문 {number}회차: {note}",
            )
        self.visit(
            run,
            d(2025, 11, 10),
            ContactRecord.Kind.PHONE,
            ContactRecord.Outcome.MET,
            "당사자가 먼저 복지관에 전화: '발이 너무 아픈데 병원에 같이 가 줄 수 있느냐'.",
            hour=9,
        )
        run.consented = True
        self.step(run, d(2025, 11, 10), S.INTAKE, "방문 41회차 다음 날 당사자가 먼저 복지관에 전화. 통합사례관리 접수.")
        centre = self.agencies["cc-junglim"]
        consent_record(
            actor=lead,
            case=run.case,
            person=person,
            given_on=d(2025, 11, 10),
            required_collection=True,
            optional_items=["연락처", "소득·재산"],
            third_party_agencies=[centre],
        )
        self.step(run, d(2025, 11, 20), S.ASSESSMENT, "욕구 조사: 당사자 욕구 '걸어서 시장에 다시 가고 싶다'.")
        self.step(
            run,
            d(2025, 12, 2),
            S.CONFERENCE,
            "사례회의 상정: 중림동 주민센터(수급 신청), 복지관(병원 동행·식사 모임).",
            hour=10,
        )
        case_add_participant(
            actor=lead,
            case=run.case,
            agency=centre,
            worker=self.actors["cc-junglim-2"].user,
            role="기초생활수급 신청·긴급복지",
            joined_on=d(2025, 12, 2),
        )
        self.scripted_conference(run, d(2025, 12, 2), data.TRUST_CONFERENCE)
        self.step(run, d(2025, 12, 4), S.SELECTION, "일반 사례, 위기도 중.")
        self.step(run, d(2025, 12, 18), S.PLANNING, "계획 의논: 병원 동행은 처음 세 번만, 수급 신청은 본인이 직접.")
        self.step(run, d(2026, 1, 8), S.DELIVERY, hour=10)
        self.scripted_services(run, data.TRUST_SERVICES)
        self.records(run)
        self.runs.append(run)

    def trust_visits(self) -> list[tuple[int, datetime.date, str, str]]:
        """Visits 1–41 (DOMAIN.md §7.2): the dated ones as the record says, the others spread between."""
        anchors = sorted((n, datetime.date.fromisoformat(day)) for n, day in data.TRUST_ANCHORS.items())
        visits = []
        for (n0, day0), (n1, day1) in zip(anchors, anchors[1:], strict=False):
            for n in range(n0, n1):
                day = day0 + (day1 - day0) * (n - n0) // (n1 - n0)
                visits.append((n, self.workday(day) if n != n0 else day))
        visits.append(anchors[-1])
        rows = []
        for n, day in visits:
            if n in data.TRUST_VISIT_NOTES:
                outcome, note = data.TRUST_VISIT_NOTES[n]
            else:
                outcome = self.weighted({"refused": 40, "no_answer": 45, "met": 15})
                note = self.attempt_note(ContactRecord.Kind.OUTREACH, outcome)
            rows.append((n, day, outcome, note))
        return rows

    def after_suicide_attempt(self) -> None:
        lead = self.actors["mental-health-worker"]
        opened_on = self.workday(self.today - datetime.timedelta(days=170))
        members = [
            {
                "name": "한소영",
                "birth_date": datetime.date(1991, 4, 23),
                "sex": "F",
                "phone": "010-7734-2051",
                "relation": Person.Relation.HEAD,
            },
            {
                "name": "송미숙",
                "birth_date": datetime.date(1963, 10, 5),
                "sex": "F",
                "phone": "010-5512-8870",
                "relation": Person.Relation.PARENT,
            },
        ]
        case, person = self.register(
            lead=lead,
            dong="신당동",
            address=(f"{data.ADDRESS_PREFIX} 다산로32길 25", "3층 302호"),
            members=members,
            opened_on=opened_on,
            summary=(
                "자살 시도 후 응급실 퇴원, 병원 연계로 의뢰. 실직과 고립감이 겹침. 꾸준한 대화로 '맞춤 인테리어'처럼 "
                "계획을 세움: 정신재활시설의 바리스타 교육 과정 수강, 면접 준비, 취업까지 함께하기로 함."
            ),
        )
        run = self.scenario_run(
            case, person, lead=lead, key="mental", profile="mental", size=2, templates=data.RECOVERY_NEEDS
        )
        run.case_type, run.crisis_level = "high_complexity", CrisisLevel.HIGH
        centre = self.agencies["cc-sindang"]
        days, day = {}, opened_on
        for gap, stage, reason in (
            (1, S.INITIAL_CONSULTATION, "퇴원 다음 날 가정방문. 어머니 동석."),
            (3, S.INTAKE, "당사자 동의로 접수. 민감정보 처리 별도 동의."),
            (7, S.ASSESSMENT, "자살위험성 평가: 고위험. 하고 싶은 일을 물으니 '커피 내리는 일'."),
            (6, S.CONFERENCE, "사례회의 상정: 신당동 주민센터(긴급복지 생계지원), 정신재활시설(바리스타 과정)."),
            (2, S.SELECTION, "고난도 사례, 위기도 상."),
            (7, S.PLANNING, "당사자와 함께 계획: 주 1회 상담, 바리스타 교육 12주. 방 꾸미듯 하나씩 맞춰 감."),
            (8, S.DELIVERY, ""),
            (84, S.REASSESSMENT, "재사정: 바리스타 과정 수료, 자격 취득. 다음 목표는 면접과 취업."),
            (7, S.DELIVERY, ""),
        ):
            day = self.workday(day + datetime.timedelta(days=gap))
            if stage == S.INTAKE:
                run.consented = True
            if not self.step(
                run,
                day,
                stage,
                reason,
                hour=10 if stage == S.CONFERENCE else 16,
                new_plan=True if stage == S.DELIVERY else None,
            ):
                break
            days.setdefault(stage, day)
            days[f"last_{stage}"] = day
            if stage == S.INTAKE:
                consent_record(
                    actor=lead,
                    case=run.case,
                    person=person,
                    given_on=day,
                    required_collection=True,
                    optional_items=["연락처", "가족관계", "건강 상태"],
                    third_party_agencies=[centre],
                    sensitive_data=True,
                )
            elif stage == S.CONFERENCE:
                case_add_participant(
                    actor=lead,
                    case=run.case,
                    agency=centre,
                    worker=self.actors["dong-worker"].user,
                    role="긴급복지 생계지원",
                    joined_on=day,
                )
                self.scripted_conference(run, day, data.RECOVERY_CONFERENCE)
        start = days[S.DELIVERY]
        rows = [
            (
                days[S.INTAKE] + datetime.timedelta(days=1),
                "crisis_line",
                "mental-health-worker",
                "자살 위험 평가·안전 계획 수립(어머니 동석)",
            )
        ]
        session, when = 1, start
        while when <= self.today:
            rows.append((when, "mh_counsel", "mental-health-worker", f"정신건강 상담 {session}회차"))
            session, when = session + 1, when + datetime.timedelta(days=7)
        anchors = {"conference": days[S.CONFERENCE], "delivery": start, "review": days[f"last_{S.DELIVERY}"]}
        for anchor, offset, key, username, text, domain in data.RECOVERY_SERVICES:
            rows.append((anchors[anchor] + datetime.timedelta(days=offset), key, username, text, domain))
        self.scripted_services(run, rows)
        self.records(run)
        self.runs.append(run)

    # --- the whole district ----------------------------------------------------------------
    def run(self) -> District:
        self.setup()
        self.scenarios()
        for number in range(GENERIC_CASES):
            self.generic_case(number)
        self.rng = random.Random(data.SEED + 1)
        self.hold_conferences()
        self.waiting_referrals()
        self.waiting_closures()
        self.workshop()
        return self.district


def district_counts(district: District) -> dict[str, int]:
    from django.db.models import Min

    year_ago = timezone.localdate() - datetime.timedelta(days=365)
    first_cases = Case.objects.filter(district=district).values("household").annotate(first=Min("opened_on"))
    return {
        "agencies": Agency.objects.filter(district=district).count(),
        "users": User.objects.filter(memberships__district=district).distinct().count(),
        "households": Household.objects.filter(district=district).count(),
        "households_new": first_cases.filter(first__gt=year_ago).count(),
        "persons": Person.objects.filter(district=district).count(),
        "cases": Case.objects.filter(district=district).count(),
        "stage_changes": StageChange.objects.filter(district=district).count(),
        "participants": CaseParticipant.objects.filter(district=district).count(),
        "consents": Consent.objects.filter(district=district).count(),
        "case_types": CaseType.objects.filter(district=district).count(),
        "resources": Resource.objects.filter(district=district).count(),
        "needs": Need.objects.filter(district=district).count(),
        "plans": ServicePlan.objects.filter(district=district).count(),
        "approvals": ApprovalRequest.objects.filter(district=district).count(),
        "approvals_pending": ApprovalRequest.objects.filter(
            district=district, status=ApprovalRequest.Status.PENDING
        ).count(),
        "services": ServiceRecord.objects.filter(district=district).count(),
        "services_year": ServiceRecord.objects.filter(district=district, provided_on__gt=year_ago).count(),
        "contacts": ContactRecord.objects.filter(district=district).count(),
        "referrals": Referral.objects.filter(district=district).count(),
        "conferences": Conference.objects.filter(district=district).count(),
        "tasks": Task.objects.filter(district=district).count(),
    }


class Command(BaseCommand):
    help = "데모 지역(서울특별시 중구)을 불러옵니다. Load the demo district (Seoul Jung-gu); does nothing if it exists."

    def handle(self, *args, **options):
        started = time.monotonic()
        district = District.objects.filter(code=data.DISTRICT_CODE).first()
        if district and Household.objects.filter(district=district).exists():
            self.stdout.write(
                f"데모 지역({district.name})이 이미 있어 바꾸지 않았습니다. "
                "The demo district already exists; nothing changed."
            )
            if not ServiceRecord.objects.filter(district=district).exists():
                self.stdout.write(
                    "이 데이터베이스는 사례관리 기록이 없는 이전 데모입니다. 새 데모를 보려면 "
                    "var/hamkke.sqlite3를 지우고 다시 실행하세요. This database holds an older demo "
                    "without casework: delete var/hamkke.sqlite3 and run again to load the new one."
                )
        else:
            with transaction.atomic():
                district = DemoSeeder(today=timezone.localdate(), now=timezone.now()).run()
            self.stdout.write(
                self.style.SUCCESS(
                    f"데모 지역({district.name})을 만들었습니다. Demo district created "
                    f"in {time.monotonic() - started:.1f} s."
                )
            )
        with transaction.atomic():
            second = seed_second_district(today=timezone.localdate())
        self.stdout.write(
            f"두 번째 데모 지역({second_district.NAME})을 만들었습니다. Second demo district created."
            if second
            else f"두 번째 데모 지역({second_district.NAME})이 이미 있습니다. The second demo district already exists."
        )
        counts = district_counts(district)
        self.stdout.write(
            "기관 {agencies} agencies · 사용자 {users} users · 가구 {households} households "
            "(최근 1년 신규 {households_new} new in the last 12 months) · 당사자 {persons} persons · "
            "사례 {cases} cases · 단계 변경 {stage_changes} stage changes · 참여 기관 {participants} participants · "
            "동의 {consents} consents · 자원 {resources} resources · 욕구 {needs} needs · 계획 {plans} plan versions · "
            "결재 {approvals} approvals ({approvals_pending} pending) · 서비스 {services} services "
            "(최근 1년 {services_year} in the last 12 months) · 상담·방문 {contacts} contacts · 의뢰 {referrals} "
            "referrals · "
            "회의 {conferences} conferences · 과제 {tasks} tasks".format(**counts)
        )
        self.stdout.write(
            "데모 계정 Demo accounts (password {}): {}".format(
                data.DEMO_PASSWORD,
                ", ".join([*data.FIXED_ACCOUNTS, second_district.ADMIN[0], *second_district.ACCOUNTS]),
            )
        )
