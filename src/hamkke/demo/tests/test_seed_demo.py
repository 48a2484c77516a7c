"""The demo loader: plausible, rule-abiding data, the reference scenarios, and idempotence.

Seeding takes several seconds, so the district is loaded once for this module inside a
transaction that is rolled back at the end; each test runs in a savepoint within it.
"""

import datetime
import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.utils.timezone import localtime

from hamkke.accounts.models import Membership, Role
from hamkke.audit.models import AccessLog
from hamkke.cases.models import Case, CrisisLevel
from hamkke.cases.stages import TRANSITIONS, Stage
from hamkke.consents.models import Consent
from hamkke.core.rrn import validate_rrn
from hamkke.demo import data
from hamkke.demo.management.commands.seed_demo import district_counts
from hamkke.districts.models import Agency, District
from hamkke.people.models import Person

pytestmark = pytest.mark.django_db

WORKER_ACCOUNTS = ["district-worker", "dong-worker", "welfare-worker", "mental-health-worker", "housing-worker"]


@pytest.fixture(scope="module")
def district(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        yield District.objects.get(code=data.DISTRICT_CODE)
        transaction.set_rollback(True)


def test_counts_are_in_the_expected_ranges(district):
    counts = district_counts(district)
    assert counts["agencies"] == len(data.AGENCIES) >= 10
    assert set(Agency.objects.filter(district=district).values_list("kind", flat=True)) >= {
        Agency.Kind.DISTRICT_OFFICE, Agency.Kind.COMMUNITY_CENTRE, Agency.Kind.WELFARE_CENTRE,
        Agency.Kind.MENTAL_HEALTH_CENTRE, Agency.Kind.HOUSING_CENTRE,
    }
    assert 30 <= counts["users"] <= 45
    assert 280 <= counts["households"] <= 320
    assert counts["cases"] == counts["households"]
    assert 1.3 * counts["households"] <= counts["persons"] <= 2.2 * counts["households"]
    assert counts["case_types"] == 3
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
        user = authenticate(username=username, password=data.DEMO_PASSWORD)
        assert user is not None, username
        assert user.display_name == display_name
        membership = user.memberships.get()
        assert (membership.agency.name, membership.role) == (data.AGENCIES[agency_key]["name"], role)
    for username in WORKER_ACCOUNTS:
        assert Case.objects.filter(district=district, lead_worker__username=username).count() >= 3, username
    assert authenticate(username="district-worker", password="wrong-password") is None
    # the other staff can log in with the same demo password
    assert authenticate(username="cc-sindang-2", password=data.DEMO_PASSWORD) is not None
    assert Membership.objects.get(district=district, user__username="welfare-worker").role == Role.SUPERVISOR


def test_hoarding_case_runs_from_2019_to_the_clean_up_in_2024(district):
    case = Case.objects.get(district=district, lead_worker__username="district-worker", opened_on__year=2019)
    changes = list(case.stage_changes.order_by("changed_at"))
    assert changes[0].changed_at.year == 2019 and changes[-1].changed_at.year >= 2024
    refusals = [c for c in changes if c.to_stage == Stage.REFUSED]
    assert len(refusals) >= 4 and all(c.reason for c in refusals)
    assert any(c.to_stage == Stage.DELIVERY and localtime(c.changed_at).strftime("%Y-%m") == "2024-02" for c in changes)
    assert case.stage in (Stage.DELIVERY, Stage.FOLLOW_UP)
    assert (case.case_type.code, case.crisis_level) == ("high_complexity", CrisisLevel.HIGH)
    kinds = set(case.participants.values_list("agency__kind", flat=True))
    assert kinds == {Agency.Kind.HOUSING_CENTRE, Agency.Kind.WELFARE_CENTRE}
    consent = case.consents.get()
    assert set(consent.third_party_agencies.all()) == {p.agency for p in case.participants.all()}


def test_refusal_then_trust_and_recovery_after_a_suicide_attempt(district):
    trust = Case.objects.get(district=district, lead_worker__username="welfare-worker",
                             opened_on=datetime.date(2024, 5, 13))
    to_stages = list(trust.stage_changes.order_by("changed_at").values_list("to_stage", flat=True))
    assert to_stages.count(Stage.REFUSED) >= 3
    assert to_stages.index(Stage.INTAKE) > max(i for i, s in enumerate(to_stages) if s == Stage.REFUSED)
    assert trust.lead_agency.name == "중림종합사회복지관"

    recovery = Case.objects.get(district=district, lead_worker__username="mental-health-worker",
                                summary__contains="바리스타")
    assert recovery.stage == Stage.DELIVERY
    assert (recovery.case_type.name, recovery.crisis_level) == ("고난도", CrisisLevel.HIGH)
    assert recovery.consents.get().sensitive_data


def test_rrns_are_valid_and_only_where_the_agency_may_hold_them(district):
    with_rrn = Person.objects.filter(district=district).exclude(rrn_hash="").select_related("household")
    assert with_rrn.count() >= 50
    for person in with_rrn:
        digits = validate_rrn(person.rrn_encrypted)
        assert person.birth_date.strftime("%y%m%d") == digits[:6]
        assert person.household.cases.get().lead_agency.rrn_allowed
    # people of households taken on by private and other agencies have none
    assert Person.objects.filter(district=district, household__cases__lead_agency__rrn_allowed=False).exists()
    assert not Person.objects.filter(
        district=district, household__cases__lead_agency__rrn_allowed=False).exclude(rrn_hash="").exists()


def test_most_cases_belong_to_one_agency_and_teams_have_consent(district):
    cases = Case.objects.filter(district=district)
    shared = cases.filter(participants__isnull=False).distinct()
    assert 0.08 * cases.count() <= shared.count() <= 0.25 * cases.count()
    consents = Consent.objects.filter(district=district)
    assert consents.exclude(withdrawn_on=None).exists()
    assert consents.filter(expires_on__isnull=False).exists()


def test_histories_follow_the_allowed_transitions_in_time(district):
    for case in Case.objects.filter(district=district).prefetch_related("stage_changes"):
        changes = list(case.stage_changes.all())
        assert changes[0].to_stage == Stage.IDENTIFICATION
        assert localtime(changes[0].changed_at).date() == case.opened_on
        for before, after in zip(changes, changes[1:], strict=False):
            assert after.to_stage in TRANSITIONS[before.to_stage]
            assert after.changed_at > before.changed_at
        assert changes[-1].to_stage == case.stage
        past_selection = {c.to_stage for c in changes} & {Stage.SELECTION, Stage.LINKAGE}
        assert bool(case.case_type_id) == bool(past_selection), case.pk
        assert bool(case.crisis_level) == bool(past_selection), case.pk
