"""The demo loader: plausible, rule-abiding data, a year of casework, the reference scenarios, idempotence.

Seeding takes a while, so the district is loaded once for this module inside a transaction that
is rolled back at the end; each test runs in a savepoint within it.
"""

import datetime
import io
import statistics

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.timezone import localtime

from hamkke.accounts.actor import Actor, actor_for
from hamkke.accounts.models import Membership, Role, User
from hamkke.approvals.models import ApprovalRequest
from hamkke.approvals.selectors import approval_inbox
from hamkke.assessment.models import CrisisAssessment, Need, Strength
from hamkke.assessment.services import agreed_repeats_expressed
from hamkke.audit.models import AccessLog
from hamkke.cases.models import Case, CrisisLevel
from hamkke.cases.stages import TRANSITIONS, Stage
from hamkke.conferences.models import Conference, Task
from hamkke.conferences.selectors import task_list_for_actor
from hamkke.consents.models import Consent
from hamkke.core.rrn import validate_rrn
from hamkke.demo import data
from hamkke.demo.management.commands.seed_demo import district_counts
from hamkke.districts.models import Agency, District
from hamkke.people.models import Person
from hamkke.plans.models import Ask, ServicePlan
from hamkke.records.models import ContactRecord, ServiceRecord
from hamkke.records.monitoring import overdue_for_actor
from hamkke.records.selectors import SCOPE_AGENCY, with_refusal_facts
from hamkke.referrals.models import Referral
from hamkke.referrals.selectors import referrals_received_waiting
from hamkke.resources.models import Resource
from hamkke.timeline.selectors import case_timeline

pytestmark = pytest.mark.django_db

WORKER_ACCOUNTS = ["district-worker", "dong-worker", "welfare-worker", "mental-health-worker", "housing-worker"]


@pytest.fixture(scope="module")
def district(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        yield District.objects.get(code=data.DISTRICT_CODE)
        transaction.set_rollback(True)


def actor(username: str) -> Actor:
    membership = Membership.objects.select_related("agency", "user").get(user__username=username)
    return Actor(user=membership.user, membership=membership)


def hoarding_case(district) -> Case:
    return Case.objects.get(district=district, lead_worker__username="district-worker", opened_on__year=2019)


def year_ago() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=365)


def test_counts_are_in_the_expected_ranges(district):
    counts = district_counts(district)
    assert counts["agencies"] == len(data.AGENCIES) >= 10
    assert set(Agency.objects.filter(district=district).values_list("kind", flat=True)) >= {
        Agency.Kind.DISTRICT_OFFICE,
        Agency.Kind.COMMUNITY_CENTRE,
        Agency.Kind.WELFARE_CENTRE,
        Agency.Kind.MENTAL_HEALTH_CENTRE,
        Agency.Kind.HOUSING_CENTRE,
    }
    assert 30 <= counts["users"] <= 45
    assert 280 <= counts["households"] <= 320
    assert counts["cases"] == counts["households"]
    assert 1.3 * counts["households"] <= counts["persons"] <= 2.2 * counts["households"]
    assert counts["case_types"] == 3
    # the year's figures of the source district: 281 households taken on, 1,243 tailored services
    assert 250 <= counts["households_new"] <= 300
    assert 1100 <= counts["services_year"] <= 1400
    assert counts["contacts"] >= 2.5 * counts["services_year"]
    assert counts["conferences"] >= 50 and counts["tasks"] >= 50 and counts["referrals"] >= 10
    # stages spread over the whole process, not all in one place
    stages = set(Case.objects.filter(district=district).values_list("stage", flat=True))
    assert len(stages) >= 10
    assert {Stage.REFUSED, Stage.ON_HOLD, Stage.DELIVERY, Stage.CLOSED, Stage.FOLLOW_UP} <= stages


def test_running_twice_changes_nothing(district):
    before = (district_counts(district), AccessLog.objects.count())
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert (district_counts(district), AccessLog.objects.count()) == before
    assert "already exists" in out.getvalue()


def test_fixed_accounts_log_in_and_lead_cases(district):
    for username, (display_name, agency_key, role, _title) in data.FIXED_ACCOUNTS.items():
        user = User.objects.get(username=username)
        assert user.check_password(data.DEMO_PASSWORD), username
        assert user.display_name == display_name
        membership = user.memberships.get()
        assert (membership.agency.name, membership.role) == (data.AGENCIES[agency_key]["name"], role)
    for username in WORKER_ACCOUNTS:
        assert Case.objects.filter(district=district, lead_worker__username=username).count() >= 3, username
    assert not User.objects.get(username="district-worker").check_password("wrong-password")
    # the other staff can log in with the same demo password
    assert User.objects.get(username="cc-sindang-2").check_password(data.DEMO_PASSWORD)
    assert Membership.objects.get(district=district, user__username="welfare-worker").role == Role.SUPERVISOR
    # every agency has a team leader to approve (결재) its workers' steps
    for agency in Agency.objects.filter(district=district):
        assert agency.memberships.filter(role=Role.SUPERVISOR).exists(), agency.name


def test_the_community_centre_has_its_own_team_leader_who_decides_its_requests(district):
    """dong-supervisor (a demo account) decides the community centre's approvals and leads no case."""
    leader = User.objects.get(username="dong-supervisor")
    membership = leader.memberships.get()
    assert membership.role == Role.SUPERVISOR and membership.agency.kind == Agency.Kind.COMMUNITY_CENTRE
    assert not Case.objects.filter(district=district, lead_worker=leader).exists()
    centre = ApprovalRequest.objects.filter(district=district, agency=membership.agency)
    assert centre.filter(decided_by=leader).exists()
    for agency_id in ApprovalRequest.objects.filter(district=district).values_list("agency_id", flat=True).distinct():
        supervisors = Membership.objects.filter(agency_id=agency_id, role=Role.SUPERVISOR, is_active=True)
        assert supervisors.exists(), agency_id


def test_resource_directory_has_informal_and_formal_resources_over_the_dongs(district):
    resources = Resource.objects.filter(district=district)
    assert 40 <= resources.count() <= 60
    kinds = dict(resources.values_list("kind").annotate(n=Count("id")))
    assert kinds[Resource.Kind.INFORMAL] >= 15 and kinds[Resource.Kind.FORMAL] >= 20
    assert set(resources.values_list("type", flat=True)) >= set(Resource.INFORMAL_TYPES)
    served = set(resources.values_list("dongs__name", flat=True)) - {None}
    assert len(served) >= 12  # local resources across the district, besides district-wide ones
    assert resources.filter(dongs__isnull=True).count() >= 20
    assert resources.filter(name__contains="바리스타").exists()
    assert resources.filter(name__contains="저장강박").exists()


def test_assessed_cases_have_needs_in_the_persons_words_strengths_and_a_crisis_level(district):
    past_assessment = Case.objects.filter(district=district, stage_changes__to_stage=Stage.CONFERENCE).distinct()
    assert past_assessment.count() >= 150
    for case in past_assessment.prefetch_related("needs", "strengths", "crisis_assessments"):
        needs = list(case.needs.all())
        assert any(n.status in (Need.Status.SELECTED, Need.Status.ACHIEVED) for n in needs), case.pk
        sides = {s.side for s in case.strengths.all()}
        assert Strength.Side.INNER in sides, case.pk
        assert case.crisis_assessments.all(), case.pk
    needs = Need.objects.filter(district=district)
    for need in needs.exclude(agreed_text=""):
        assert need.felt_text and need.agreed_text != need.expressed_text
        assert not agreed_repeats_expressed(need.expressed_text, need.agreed_text), need.pk
    set_aside = needs.filter(status=Need.Status.SET_ASIDE)
    assert set_aside.count() >= 30
    assert not set_aside.filter(Q(set_aside_reason="") | Q(set_aside_note="")).exists()
    assert needs.filter(status=Need.Status.ACHIEVED).exists()
    assert needs.filter(framing=Need.Framing.NEGATIVE).exists() and needs.filter(proposer=Need.Proposer.WORKER).exists()
    assert Strength.objects.filter(district=district, side=Strength.Side.OUTER).count() >= 100
    # recorded when the visit happened, not when the demo was loaded
    assert needs.filter(created_at__gte=timezone.now() - datetime.timedelta(days=1)).count() <= 5


SOURCE_RANK = {"inner": 0, "outer": 1, Resource.Kind.INFORMAL: 2, Resource.Kind.FORMAL: 3}


def test_every_case_past_planning_has_an_active_plan_using_resources_in_the_allowed_order(district):
    delivered = Case.objects.filter(district=district, stage_changes__to_stage=Stage.DELIVERY).distinct()
    assert delivered.count() >= 100
    for case in delivered:
        plan = case.plans.get(status=ServicePlan.Status.ACTIVE)
        assert plan.agreed_on and plan.agreement_method and plan.review_on, case.pk
        goals = list(plan.goals.prefetch_related("actions__strength", "actions__resource"))
        assert goals, case.pk
        for goal in goals:
            assert goal.need.status in (Need.Status.SELECTED, Need.Status.ACHIEVED) and goal.need.agreed_text
            ranks = [
                SOURCE_RANK[a.strength.side] if a.strength else SOURCE_RANK[a.resource.kind] for a in goal.actions.all()
            ]
            assert ranks and ranks == sorted(ranks) and ranks[0] == 0, (case.pk, ranks)
        approval = case.approvals.filter(plan=plan).get(status=ApprovalRequest.Status.APPROVED)
        assert approval.decided_by_id != approval.submitted_by_id
        assert approval.decided_by.memberships.get().role == Role.SUPERVISOR
    asks = Ask.objects.filter(district=district)
    assert set(asks.values_list("method", flat=True)) == set(Ask.Method.values)
    assert asks.filter(answer=Ask.Answer.DECLINED).exists()
    # some versions from reassessments, some plans waiting for the team leader
    assert ServicePlan.objects.filter(district=district, status=ServicePlan.Status.SUPERSEDED).count() >= 10
    assert ServicePlan.objects.filter(district=district, status=ServicePlan.Status.SUBMITTED).exists()


def test_services_of_the_year_mix_domains_direct_and_linked_money_and_goods(district):
    services = ServiceRecord.objects.filter(district=district, provided_on__gt=year_ago())
    domains = dict(services.values_list("domain").annotate(n=Count("id")))
    assert len(domains) >= 9 and max(domains.values()) < 0.3 * services.count()
    modes = dict(services.values_list("mode").annotate(n=Count("id")))
    assert modes[ServiceRecord.Mode.DIRECT] >= 300 and modes[ServiceRecord.Mode.LINKED] >= 300
    assert services.filter(amount_kind=ServiceRecord.AmountKind.MONEY, amount__gt=0).count() >= 50
    assert services.filter(amount_kind=ServiceRecord.AmountKind.GOODS, amount__gt=0).count() >= 50
    assert services.filter(plan_action__isnull=False).count() >= 0.5 * services.count()
    assert services.values("provider_agency").distinct().count() == len(data.AGENCIES)
    # services only where a plan or the light track is in place
    assert not services.exclude(case__stage_changes__to_stage__in=(Stage.DELIVERY, Stage.LINKAGE)).exists()


def test_contacts_include_unanswered_and_refused_visits_and_follow_up(district):
    contacts = ContactRecord.objects.filter(district=district)
    outcomes = dict(contacts.values_list("outcome").annotate(n=Count("id")))
    assert outcomes[ContactRecord.Outcome.NO_ANSWER] >= 100 and outcomes[ContactRecord.Outcome.REFUSED] >= 100
    assert outcomes[ContactRecord.Outcome.MOVED] >= 1
    follow_ups = contacts.filter(purpose=ContactRecord.Purpose.FOLLOW_UP)
    assert follow_ups.count() >= 50
    assert (
        not follow_ups.exclude(case__stage__in=(Stage.CLOSED, Stage.FOLLOW_UP))
        .exclude(case__stage_changes__to_stage=Stage.CLOSED)
        .exists()
    )
    assert contacts.values("agency").distinct().count() >= 10


def test_refused_cases_keep_being_visited(district):
    refused = list(with_refusal_facts(Case.objects.filter(district=district, stage=Stage.REFUSED)))
    assert len(refused) >= 10
    assert all(case.attempts >= 1 for case in refused)
    assert statistics.mean(case.attempts for case in refused) >= 2


def test_the_demo_accounts_find_work_waiting(district):
    housing = actor("housing-worker")
    assert referrals_received_waiting(actor=housing)
    assert approval_inbox(actor=actor("welfare-worker")).exists()
    for username in WORKER_ACCOUNTS:
        assert task_list_for_actor(actor=actor(username)).open, username
    # a few cases are overdue for monitoring, not every case
    overdue_cases = set()
    for supervisor in Membership.objects.filter(district=district, role=Role.SUPERVISOR).select_related("user"):
        rows = overdue_for_actor(actor=Actor(user=supervisor.user, membership=supervisor), scope=SCOPE_AGENCY)
        overdue_cases |= {row.case.pk for row in rows if row.kind == "contact"}
    open_cases = Case.objects.filter(district=district).exclude(stage__in=(Stage.CLOSED, Stage.FOLLOW_UP)).count()
    assert 3 <= len(overdue_cases) <= 0.25 * open_cases


def test_workshop_is_a_conference_without_a_case(district):
    workshop = Conference.objects.get(district=district, kind=Conference.Kind.WORKSHOP)
    assert "함께라면 괜찮아" in workshop.title and workshop.place == "신당누리센터"
    assert workshop.other_attendees == "중구 민관 사례관리 담당자 60명"
    assert workshop.status == Conference.Status.HELD and not workshop.discussed.exists()
    assert workshop.host_agency.name == data.AGENCIES["district"]["name"]
    assert workshop.created_by.username == "district-admin"
    assert localtime(workshop.scheduled_at).date() < timezone.localdate().replace(day=1)
    assert workshop.tasks.filter(status=Task.Status.OPEN).count() == len(data.WORKSHOP_TASKS)


def test_hoarding_case_runs_from_2019_to_the_clean_up_in_2024(district):
    case = hoarding_case(district)
    changes = list(case.stage_changes.order_by("changed_at"))
    assert changes[0].changed_at.year == 2019 and changes[-1].changed_at.year >= 2024
    refusals = [c for c in changes if c.to_stage == Stage.REFUSED]
    assert len(refusals) >= 4 and all(c.reason for c in refusals)
    assert any(c.to_stage == Stage.DELIVERY and localtime(c.changed_at).strftime("%Y-%m") == "2024-02" for c in changes)
    assert case.stage in (Stage.DELIVERY, Stage.FOLLOW_UP)
    classifications = case.approvals.filter(kind="classification").order_by("submitted_at")
    classified = [a.payload["crisis_level"] for a in classifications]
    assert classified[0] == CrisisLevel.HIGH and (case.case_type.code, case.crisis_level) == ("general", "low")
    kinds = set(case.participants.values_list("agency__kind", flat=True))
    assert kinds == {Agency.Kind.HOUSING_CENTRE, Agency.Kind.WELFARE_CENTRE}
    consent = case.consents.get()
    assert set(consent.third_party_agencies.all()) == {p.agency for p in case.participants.all()}
    # refused visits every few months, 2019–2023
    refused_visits = case.contacts.filter(outcome__in=("refused", "no_answer"), contacted_at__year__lte=2023)
    assert refused_visits.count() >= 15 and {v.contacted_at.year for v in refused_visits} >= set(range(2019, 2024))
    referral = case.referrals.get(to_agency__kind=Agency.Kind.HOUSING_CENTRE)
    assert referral.status == Referral.Status.COMPLETED and referral.responded_at.year == 2024
    conference = case.conference_items.get().conference
    assert localtime(conference.scheduled_at).strftime("%Y-%m") == "2024-01"
    assert {a.kind for a in conference.agencies.all()} == {
        Agency.Kind.DISTRICT_OFFICE,
        Agency.Kind.HOUSING_CENTRE,
        Agency.Kind.WELFARE_CENTRE,
    }
    assert conference.minutes and case.tasks.filter(status=Task.Status.DONE).count() >= 3
    clean_up = case.services.filter(provided_on__year=2024, provided_on__month=2, domain="housing")
    assert clean_up.filter(mode="linked", resource__type=Resource.Type.VOLUNTEER).exists()
    assert clean_up.count() >= 3
    assert case.plans.count() == 2 and case.contacts.filter(contacted_at__year=2025).count() >= 6


def test_hoarding_timeline_reads_from_2019_to_2024_in_order(district):
    case = hoarding_case(district)
    events = case_timeline(actor=actor_for(case.lead_worker), case=case)
    moments = [e.at for e in events]
    assert moments == sorted(moments, reverse=True)  # newest first, as the page shows it
    assert moments[-1].year == 2019 and 2024 in {m.year for m in moments}
    assert max(moments) < timezone.now()

    def first(kind, **match):
        return min(e.at for e in events if e.kind == kind and all(getattr(e, k) == v for k, v in match.items()))

    # the story in its order: refused visits, the needs in late 2023, the referral, the conference,
    # the plan, the clean-up in February 2024, follow-up visits after it
    story = [first("contact"), first("need"), first("referral"), first("conference"), first("plan"), first("service")]
    assert story == sorted(story)
    assert [m.year for m in story] == [2019, 2023, 2023, 2024, 2024, 2024]
    assert localtime(first("service")).strftime("%Y-%m") == "2024-02"
    assert sum(1 for e in events if e.kind == "contact" and e.at.year == 2025) >= 6


def test_refusal_then_trust_and_recovery_after_a_suicide_attempt(district):
    trust = Case.objects.get(
        district=district, lead_worker__username="welfare-worker", opened_on=datetime.date(2024, 5, 13)
    )
    to_stages = list(trust.stage_changes.order_by("changed_at").values_list("to_stage", flat=True))
    assert to_stages.count(Stage.REFUSED) >= 3
    assert to_stages.index(Stage.INTAKE) > max(i for i, s in enumerate(to_stages) if s == Stage.REFUSED)
    assert trust.lead_agency.name == "중림종합사회복지관"
    intake = trust.stage_changes.get(to_stage=Stage.INTAKE).changed_at
    attempts = trust.contacts.filter(contacted_at__lt=intake)
    assert attempts.count() >= 40 and attempts.filter(outcome__in=("refused", "no_answer")).count() >= 25
    assert trust.contacts.filter(kind="phone", note__contains="먼저").exists()  # the person called first
    assert trust.plans.get(status=ServicePlan.Status.ACTIVE).goals.count() == 3
    assert trust.services.filter(resource__name="병원 동행 서비스").count() >= 3

    recovery = Case.objects.get(
        district=district, lead_worker__username="mental-health-worker", summary__contains="바리스타"
    )
    assert recovery.stage == Stage.DELIVERY
    assert (recovery.case_type.name, recovery.crisis_level) == ("고난도", CrisisLevel.HIGH)
    assert recovery.consents.get().sensitive_data
    assert recovery.crisis_assessments.filter(mental_health_risk=True).exists()
    first, second = recovery.plans.order_by("version")
    assert (first.status, second.status) == (ServicePlan.Status.SUPERSEDED, ServicePlan.Status.ACTIVE)
    assert first.goals.filter(actions__resource__name__contains="바리스타").exists()
    assert second.goals.filter(need__agreed_text__contains="면접").exists()
    assert recovery.needs.filter(status=Need.Status.ACHIEVED, expressed_text__contains="커피").exists()
    employment = recovery.services.filter(domain="employment").order_by("provided_on")
    assert "바리스타" in employment.first().description and "근무" in employment.last().description
    assert recovery.services.filter(provider_agency__name="중구청 희망복지지원단", amount__gt=0).count() == 3


def test_rrns_are_valid_and_only_where_the_agency_may_hold_them(district):
    with_rrn = Person.objects.filter(district=district).exclude(rrn_hash="").select_related("household")
    assert with_rrn.count() >= 50
    for person in with_rrn:
        digits = validate_rrn(person.rrn_encrypted)
        assert person.birth_date.strftime("%y%m%d") == digits[:6]
        assert person.household.cases.get().lead_agency.rrn_allowed
    # people of households taken on by private and other agencies have none
    assert Person.objects.filter(district=district, household__cases__lead_agency__rrn_allowed=False).exists()
    assert (
        not Person.objects.filter(district=district, household__cases__lead_agency__rrn_allowed=False)
        .exclude(rrn_hash="")
        .exists()
    )


def test_most_cases_belong_to_one_agency_and_teams_have_consent(district):
    cases = Case.objects.filter(district=district)
    shared = cases.filter(participants__isnull=False).distinct()
    assert 0.08 * cases.count() <= shared.count() <= 0.25 * cases.count()
    consents = Consent.objects.filter(district=district)
    assert consents.exclude(withdrawn_on=None).exists()
    assert consents.filter(expires_on__isnull=False).exists()
    # partners joined by an accepted referral; others declined; some still wait for an answer
    referrals = dict(Referral.objects.filter(district=district).values_list("status").annotate(n=Count("id")))
    assert referrals.get("accepted", 0) + referrals.get("completed", 0) >= 5
    assert referrals.get("declined", 0) >= 1 and referrals.get("sent", 0) >= 2


def test_histories_follow_the_allowed_transitions_in_time(district):
    for case in Case.objects.filter(district=district).prefetch_related("stage_changes"):
        changes = list(case.stage_changes.all())
        assert changes[0].to_stage == Stage.IDENTIFICATION
        assert localtime(changes[0].changed_at).date() == case.opened_on
        for before, after in zip(changes, changes[1:], strict=False):
            assert after.to_stage in TRANSITIONS[before.to_stage]
            assert after.changed_at > before.changed_at
        assert changes[-1].to_stage == case.stage
        assert case.stage_changed_at == changes[-1].changed_at
        past_selection = {c.to_stage for c in changes} & {Stage.SELECTION, Stage.LINKAGE}
        assert bool(case.case_type_id) == bool(past_selection), case.pk
        assert bool(case.crisis_level) == bool(past_selection), case.pk
        if case.stage in (Stage.CLOSED, Stage.FOLLOW_UP):
            closing = [c for c in changes if c.to_stage == Stage.CLOSED][-1]
            assert case.closed_on == localtime(closing.changed_at).date() and case.closure_evaluation


def test_crisis_assessments_and_approvals_are_dated_in_the_story(district):
    today = timezone.localdate()
    assessments = CrisisAssessment.objects.filter(district=district).select_related("case")
    assert all(a.case.opened_on <= a.assessed_on <= today for a in assessments)
    decided = ApprovalRequest.objects.filter(district=district).exclude(status=ApprovalRequest.Status.PENDING)
    assert decided.count() >= 300
    assert all(a.submitted_at <= a.decided_at for a in decided)
    assert decided.filter(status=ApprovalRequest.Status.RETURNED).exists()
    assert decided.filter(decided_at__date__lt=today - datetime.timedelta(days=30)).count() >= 0.8 * decided.count()


def test_the_hoarding_story_reads_as_chapters_without_repeated_lines(district):
    from hamkke.cases.workflow import SPECS
    from hamkke.reports.story import build_story

    assert all(spec.chapter for spec in SPECS.values())  # every stage belongs to a chapter of the story
    case = hoarding_case(district)
    _title, text = build_story(actor=actor_for(case.lead_worker), case=case)
    lines = [line for line in text.splitlines() if line.strip()]
    told = [line.split("] ", 1)[1] for line in lines if line.startswith("[")]
    assert len(told) == len(set(told)), [line for line in told if told.count(line) > 1][:3]
    headings = [line for line in lines if "장. " in line]
    assert headings[0].startswith("1장. 처음 만나기까지")
    assert any("거부와 기다림" in h for h in headings) and any("전환점" in h for h in headings)
    assert any("년째" in h for h in headings)  # five years of knocking, told year by year
    assert "결재" not in "\n".join(told)  # routine approvals are left out


def test_the_second_district_is_small_and_apart_from_the_first(district):
    """seed_demo's second district (성동구, issue 16 item 6): its own admin and workers, a handful of
    households, and nothing of either district reachable from the other."""
    from hamkke.access.policy import cases_in_scope
    from hamkke.demo import second

    other = District.objects.get(code=second.CODE)
    counts = district_counts(other)
    assert counts["agencies"] == len(second.AGENCIES) and counts["users"] == 1 + len(second.ACCOUNTS)
    assert counts["households"] == counts["cases"] == len(second.HOUSEHOLDS)
    assert counts["contacts"] >= len(second.HOUSEHOLDS)
    for username in (second.ADMIN[0], *second.ACCOUNTS):
        user = User.objects.get(username=username)
        assert user.check_password(data.DEMO_PASSWORD), username
        assert {m.district_id for m in user.memberships.all()} == {other.pk}
    admin = actor(second.ADMIN[0])
    assert set(cases_in_scope(admin)) == set(Case.objects.filter(district=other))
    assert not cases_in_scope(actor("district-admin")).filter(district=other).exists()
    for username in ("seongdong-worker", "seongdong-admin"):
        assert not cases_in_scope(actor(username)).filter(district=district).exists()
    assert Case.objects.filter(district=other, lead_worker__username="seongdong-worker").count() >= 2
