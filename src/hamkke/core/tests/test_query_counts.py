"""Every list and detail page of the web UI answers in a bounded number of queries (issue 6).

Each page is requested once after ``grow(world, FEW)`` and once more after growing to ``MANY``
(more cases, household members, team agencies, needs, plan goals, records, referrals, approvals,
conferences, tasks, resources, emergency accesses and access-log rows): the second count must not
be higher than the first, and both stay under the page's fixed bound. An N+1 query (a query per
row shown) fails the first assertion at once, whatever the bound.

The bounds leave a little headroom over today's counts (a page may gain a query for a new feature);
raise one deliberately, never because a count grew with the data. Pages of an app that is not
installed are skipped.
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from hamkke.access.models import EmergencyAccess
from hamkke.approvals.models import ApprovalRequest
from hamkke.assessment.models import CrisisAssessment, InitialConsultation, Need, Strength
from hamkke.audit.models import AccessLog, Action
from hamkke.cases.models import CaseParticipant, StageChange, TeamEvent
from hamkke.cases.stages import Stage
from hamkke.conferences.models import Conference, ConferenceCase, Task
from hamkke.consents.models import Consent
from hamkke.core.domains import LifeDomain
from hamkke.districts.models import DistrictPolicy
from hamkke.people.models import Person
from hamkke.plans.models import Ask, Goal, Performer, PlanAction, ServicePlan
from hamkke.records.models import ContactRecord, ServiceRecord
from hamkke.referrals.models import Referral
from hamkke.resources.models import Resource
from hamkke.testing.factories import AgencyFactory, CaseFactory, HouseholdFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db

FEW, MANY = 2, 7
_serial = itertools.count(1)


@dataclass(frozen=True)
class Page:
    url_name: str
    who: str  # a member of the world
    target: str = ""  # "case", "household", "person", "conference", "referral", "emergency", "plan"
    bound: int = 40
    method: str = "GET"
    data: dict | None = None

    @property
    def id(self) -> str:
        return f"{self.url_name}{'[post]' if self.method == 'POST' else ''}"


PAGES = [
    # The case and its tabs.
    Page("cases:detail", "lead_worker", "case", 22),
    Page("timeline:case", "lead_worker", "case", 37),  # one LIMIT query per source of events (19): keyset pages
    Page("assessment:case", "lead_worker", "case", 22),
    Page("plans:case", "lead_worker", "case", 28),
    Page("plans:version", "lead_worker", "plan", 21),
    Page("records:case", "lead_worker", "case", 25),
    Page("referrals:case", "lead_worker", "case", 20),
    Page("approvals:case", "lead_worker", "case", 20),  # 20 since issue 13: constant, growth is checked
    Page("reports:case_story", "lead_worker", "case", 17),
    Page("cases:detail", "participant_worker", "case", 22),
    # Household and person.
    Page("people:household", "lead_worker", "household", 16),
    Page("people:person", "lead_worker", "person", 18),
    # Lists.
    Page("cases:caseload", "lead_worker", "", 21),  # +3 at most: recently opened cases (log, cases, members)
    Page("cases:caseload", "district_admin", "", 18),  # +3 at most: recently opened cases
    Page("people:search", "lead_worker", "", 12),
    Page("people:search", "lead_worker", "", 15, "POST", {"q": "ㄱ"}),
    Page("cases:search", "lead_worker", "", 12),
    Page("cases:search", "lead_worker", "", 16, "POST", {"q": "ㄱㅊ"}),  # 김추가·이추가 of every grown household
    Page("inbox:index", "lead_worker", "", 23),
    Page("records:overdue", "lead_worker", "", 16),
    Page("records:refusals", "lead_worker", "", 16),
    Page("approvals:inbox", "lead_supervisor", "", 16),
    Page("referrals:inbox", "lead_worker", "", 17),
    Page("referrals:detail", "lead_worker", "referral", 15),
    Page("conferences:list", "lead_worker", "", 15),
    Page("conferences:detail", "lead_worker", "conference", 22),
    Page("conferences:tasks", "lead_worker", "", 17),
    Page("resources:list", "lead_worker", "", 16),
    Page("reports:dashboard", "lead_worker", "", 36),  # the rollups' state: which months are counted already
    Page("reports:figures", "district_admin", "", 28),  # (reports.rollups.split_period, per source)
    Page("reports:stories", "lead_worker", "", 18),
    Page("access:emergency_review", "district_admin", "", 13),
    Page("districts:settings", "district_admin", "", 15),
    Page("audit:log", "auditor", "", 17),
    Page("audit:reviews", "auditor", "", 13),
    Page("imports:index", "lead_worker", "", 13),
]


def _ago(days: int, hour: int = 10) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days)
    return min(timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour))), timezone.now())


def grow(world, n: int) -> None:
    """Add ``n`` of every kind of row the pages list, around the world's case and lead agency."""
    d, case, lead = world.district_a, world.case, world.lead_worker.user
    agency, today = world.lead_agency, world.today
    stages = [Stage.DELIVERY, Stage.REFUSED, Stage.INTAKE, Stage.ASSESSMENT]
    for i in range(n):
        k = next(_serial)
        household = HouseholdFactory(dong=world.dong_a, district=d)
        PersonFactory(household=household, name=f"김추가{k}")
        PersonFactory(household=household, name=f"이추가{k}", relation=Person.Relation.CHILD)
        other = CaseFactory(
            household=household,
            district=d,
            lead_agency=agency,
            lead_worker=lead,
            stage=stages[i % len(stages)],
            opened_on=today - datetime.timedelta(days=200 + k),
            stage_changed_at=_ago(150),
            crisis_level="high",
        )
        StageChange.objects.create(
            district=d, case=other, from_stage="", to_stage=other.stage, changed_by=lead, changed_at=_ago(150)
        )
        ContactRecord.objects.create(
            district=d,
            case=other,
            contacted_at=_ago(120),
            kind="home_visit",
            outcome="refused",
            agency=agency,
            recorded_by=lead,
        )

        # The world's case grows in every direction.
        PersonFactory(household=world.household, name=f"박가구원{k}", relation=Person.Relation.CHILD)
        partner = AgencyFactory(district=d, name=f"협력기관{k}")
        partner_worker = MembershipFactory(agency=partner).user
        CaseParticipant.objects.create(
            district=d, case=case, agency=partner, worker=partner_worker, joined_on=today - datetime.timedelta(days=5)
        )
        TeamEvent.objects.create(
            district=d,
            case=case,
            kind=TeamEvent.Kind.JOINED,
            agency=partner,
            worker=partner_worker,
            at=_ago(5),
            by=lead,
        )
        consent = Consent.objects.create(
            district=d,
            case=case,
            person=world.head,
            required_collection=True,
            given_on=today - datetime.timedelta(days=4),
            recorded_by=lead,
            expires_on=today + datetime.timedelta(days=300),
        )
        consent.third_party_agencies.add(partner)
        StageChange.objects.create(
            district=d,
            case=case,
            from_stage=Stage.IDENTIFICATION,
            to_stage=Stage.IDENTIFICATION,
            changed_by=lead,
            changed_at=_ago(3),
            reason=f"기록 {k}",
        )
        InitialConsultation.objects.create(
            district=d, case=case, held_on=today, presenting_issues=f"어려움 {k}", recorded_by=lead
        )
        need = Need.objects.create(
            district=d,
            case=case,
            person=world.head,
            domain=LifeDomain.HOUSING,
            expressed_text=f"집을 치우고 싶어요 {k}",
            felt_text="편히 쉬고 싶음",
            agreed_text=f"한 달 안에 방 하나 정리 {k}",
            status=Need.Status.SELECTED,
            recorded_by=lead,
        )
        Strength.objects.create(
            district=d,
            case=case,
            person=world.head,
            side="inner",
            kind="ability",
            description=f"요리를 잘함 {k}",
            recorded_by=lead,
        )
        CrisisAssessment.objects.create(district=d, case=case, assessed_on=today, level="medium", recorded_by=lead)
        plan = world.plan
        goal = Goal.objects.create(district=d, plan=plan, need=need, description=f"방 정리 {k}")
        resource = Resource.objects.create(
            district=d,
            name=f"청소 봉사단 {k}",
            kind="informal",
            type="volunteer",
            domain=LifeDomain.HOUSING,
            added_by_agency=agency,
            added_by=lead,
        )
        action = PlanAction.objects.create(
            district=d,
            goal=goal,
            description=f"함께 치우기 {k}",
            resource=resource,
            performer=Performer.VOLUNTEER,
            due_on=today,
        )
        Ask.objects.create(
            district=d,
            case=case,
            action=action,
            whom=f"이웃 {k}",
            whom_role=Performer.NEIGHBOUR,
            method="ask",
            asked_on=today,
            recorded_by=lead,
        )
        ServiceRecord.objects.create(
            district=d,
            case=case,
            provided_on=today,
            domain=LifeDomain.HOUSING,
            mode="direct",
            provider_agency=agency,
            resource=resource,
            plan_action=action,
            description=f"청소 {k}",
            recorded_by=lead,
        )
        ServiceRecord.objects.create(
            district=d,
            case=case,
            provided_on=today,
            domain=LifeDomain.LIVELIHOOD,
            mode="linked",
            provider_agency=partner,
            description=f"식료품 {k}",
            amount_kind="goods",
            amount=50_000,
            recorded_by=partner_worker,
        )
        ContactRecord.objects.create(
            district=d,
            case=case,
            contacted_at=_ago(1),
            kind="phone",
            outcome="met",
            agency=partner,
            recorded_by=partner_worker,
            note=f"통화 {k}",
        )
        world.referral = Referral.objects.create(
            district=d,
            case=case,
            from_agency=agency,
            from_worker=lead,
            to_agency=partner,
            reason=f"의뢰 {k}",
            sent_at=_ago(2),
        )
        ApprovalRequest.objects.create(
            district=d, case=case, kind="plan", plan=plan, agency=agency, submitted_by=lead, submitted_at=_ago(1)
        )
        conference = Conference.objects.create(
            district=d, title=f"사례회의 {k}", scheduled_at=_ago(2), host_agency=agency, created_by=lead
        )
        conference.agencies.add(agency, partner)
        conference.attendees.add(lead, partner_worker)
        ConferenceCase.objects.create(district=d, conference=conference, case=case, discussion=f"논의 {k}")
        Task.objects.create(
            district=d,
            conference=conference,
            case=case,
            decision=f"결정 {k}",
            assignee=lead,
            agency=agency,
            due_on=today + datetime.timedelta(days=3),
        )
        world.conference = world.conference or conference
        world.emergency = EmergencyAccess.objects.create(
            district=d,
            case=other,
            user=world.unrelated_worker.user,
            agency=world.unrelated_agency,
            reason=f"긴급 {k}",
            granted_at=_ago(1),
            expires_at=timezone.now() + datetime.timedelta(hours=1),
        )
        AccessLog.objects.create(
            district_id=d.pk,
            user_id=lead.pk,
            username=lead.username,
            agency_id=agency.pk,
            action=Action.VIEW,
            object_type="case",
            object_id=str(case.uuid),
            case_id=case.pk,
            person_ids=[world.head.pk],
        )


@pytest.fixture
def grown(world):
    DistrictPolicy.for_district(world.district_a.pk)
    world.plan = ServicePlan.objects.create(
        district=world.district_a, case=world.case, version=1, created_by=world.lead_worker.user
    )
    world.conference = None
    world.referral = None
    world.emergency = None
    return world


def _url(page: Page, world) -> str:
    args = {
        "": [],
        "case": [world.case.uuid],
        "household": [world.household.uuid],
        "person": [world.head.uuid],
        "conference": [world.conference.uuid],
        "referral": [world.referral.uuid],
        "emergency": [world.emergency.uuid],
        "plan": [world.case.uuid, world.plan.version],
    }[page.target]
    return reverse(page.url_name, args=args)


def _count(client, page: Page, world) -> int:
    url = _url(page, world)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, page.data) if page.method == "POST" else client.get(url)
    assert response.status_code == 200, f"{page.id} answered {response.status_code}"
    return len(queries.captured_queries)


@pytest.mark.parametrize("page", PAGES, ids=[f"{p.id}-{p.who}" for p in PAGES])
def test_queries_do_not_grow_with_the_data(client, grown, page, django_assert_max_num_queries):
    try:
        reverse(page.url_name, args=[grown.case.uuid] * (page.target != "") + ([1] if page.target == "plan" else []))
    except NoReverseMatch:
        pytest.skip(f"{page.url_name} is not installed")
    getattr(grown, page.who).login(client)
    grow(grown, FEW)
    _count(client, page, grown)  # first request of the session: caches warmed
    few = _count(client, page, grown)
    grow(grown, MANY - FEW)
    with django_assert_max_num_queries(page.bound):
        many = _count(client, page, grown)
    assert many <= few, f"{page.id}: {few} queries with {FEW} of everything, {many} with {MANY}"
