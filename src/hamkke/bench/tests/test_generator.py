"""The synthetic district at a tiny scale (a thousandth of metro): exact sizes, determinism, coherence."""

import datetime

import pytest
from django.db import connection, transaction
from django.db.models import Count, Max, Min, Q

from hamkke.access import policy
from hamkke.accounts.actor import actor_for
from hamkke.accounts.models import Membership, Role, User
from hamkke.bench.generator import Scale, allocate, generate_synthetic
from hamkke.cases.models import Case, CaseParticipant, StageChange
from hamkke.cases.stages import TRANSITIONS, Stage
from hamkke.consents.models import Consent
from hamkke.districts.models import Agency
from hamkke.people.models import Household, Person
from hamkke.records.models import ContactRecord, ServiceRecord

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 30)
TINY = 0.001


@pytest.fixture
def tiny():
    return generate_synthetic(factor=TINY, seed=7, today=TODAY)


def test_sizes_scale_with_the_factor(tiny):
    d = tiny.district
    assert Household.objects.filter(district=d).count() == 100
    assert Person.objects.filter(district=d).count() == 200
    assert Case.objects.filter(district=d).count() == 100
    assert ServiceRecord.objects.filter(district=d).count() == 1_000
    assert ContactRecord.objects.filter(district=d).count() == 2_000
    assert Agency.objects.filter(district=d).count() == 6  # the minimum that keeps every kind of agency
    assert Membership.objects.filter(district=d).count() == User.objects.filter(username__startswith="b").count() == 12
    metro = Scale.of(1.0)
    assert (
        metro.households,
        metro.persons,
        metro.cases,
        metro.services,
        metro.contacts,
        metro.agencies,
        metro.workers,
    ) == (100_000, 200_000, 100_000, 1_000_000, 2_000_000, 300, 3_000)


def test_allocate_is_exact_and_proportional():
    assert allocate(10, [1, 1, 1]) in ([4, 3, 3], [3, 4, 3], [3, 3, 4])
    assert sum(allocate(1_000, [0.1, 5, 2.5, 0])) == 1_000
    assert allocate(7, [0, 1]) == [0, 7]


def fingerprint(district):
    cases = list(
        Case.objects.filter(district=district)
        .annotate(s=Count("services", distinct=True))
        .order_by("uuid")
        .values_list("uuid", "stage", "opened_on", "closed_on", "s")
    )
    persons = list(Person.objects.filter(district=district).order_by("uuid").values_list("uuid", "name", "birth_date"))
    return cases, persons


def test_the_same_seed_gives_the_same_district():
    def once(seed):
        with transaction.atomic():
            result = generate_synthetic(factor=TINY, seed=seed, today=TODAY)
            found = fingerprint(result.district)
            transaction.set_rollback(True)
        return found

    first = once(3)
    assert once(3) == first
    assert once(4) != first


def test_stages_follow_the_transitions_and_end_where_the_case_is(tiny):
    for case in Case.objects.filter(district=tiny.district).prefetch_related("stage_changes"):
        changes = sorted(case.stage_changes.all(), key=lambda c: (c.changed_at, c.pk))
        assert changes[0].from_stage == "" and changes[0].to_stage == Stage.IDENTIFICATION
        for before, after in zip(changes, changes[1:], strict=False):
            assert after.from_stage == before.to_stage and after.to_stage in TRANSITIONS[before.to_stage]
            assert after.changed_at >= before.changed_at
        assert changes[-1].to_stage == case.stage
        assert (case.closed_on is not None) == (case.stage in (Stage.CLOSED, Stage.FOLLOW_UP))


def test_records_fall_within_their_case(tiny):
    d = tiny.district
    for case in (
        Case.objects.filter(district=d)
        .annotate(first=Min("services__provided_on"), last=Max("services__provided_on"))
        .exclude(first=None)
    ):
        assert case.opened_on <= case.first and case.last <= (case.closed_on or TODAY)
    outside = ContactRecord.objects.filter(district=d).filter(
        Q(contacted_at__date__lt=datetime.date(2000, 1, 1)) | Q(contacted_at__date__gt=TODAY + datetime.timedelta(1))
    )
    assert not outside.exists()


def test_a_few_long_cases_carry_thousands_of_events_at_metro(tiny):
    """Most cases are short; the busiest (a five-year case) has many times the average."""
    counts = sorted(
        Case.objects.filter(district=tiny.district).annotate(n=Count("contacts")).values_list("n", flat=True)
    )
    assert counts[-1] >= 10 * (sum(counts) / len(counts))  # × 1,000 at metro: thousands of events
    assert counts[len(counts) // 2] < sum(counts) / len(counts)  # the median case is below the mean
    assert (
        tiny.largest_case_id
        == Case.objects.filter(district=tiny.district).annotate(n=Count("contacts")).order_by("-n").first().pk
    )


def test_team_consents_and_roles_are_coherent(tiny):
    d = tiny.district
    for p in CaseParticipant.objects.filter(district=d).select_related("case"):
        assert p.agency_id != p.case.lead_agency_id and p.joined_on >= p.case.opened_on
    for consent in Consent.objects.filter(district=d).select_related("case", "person"):
        assert consent.person.household_id == consent.case.household_id
    assert Membership.objects.filter(district=d, role=Role.DISTRICT_ADMIN).count() == 1
    for case in Case.objects.filter(district=d):
        assert Membership.objects.filter(user_id=case.lead_worker_id, agency_id=case.lead_agency_id).exists()
    assert StageChange.objects.filter(district=d).exclude(case__district=d).count() == 0
    assert Person.objects.filter(district=d).exclude(rrn_hash="").exists()


def test_foreign_keys_hold(tiny):
    connection.check_constraints()


def test_a_second_load_of_the_same_district_is_refused(tiny):
    with pytest.raises(ValueError, match="already exists"):
        generate_synthetic(factor=TINY, seed=7, today=TODAY)


def test_generated_workers_can_use_the_pages(client, tiny):
    case = Case.objects.get(pk=tiny.largest_case_id)
    client.force_login(case.lead_worker)
    assert client.get("/cases/").status_code == 200
    assert client.get(f"/cases/{case.uuid}/").status_code == 200
    assert client.get(f"/cases/{case.uuid}/timeline/").status_code == 200


def test_access_rows_are_written_for_the_loaded_cases(tiny):
    """Cases, teams and consents are loaded without model signals; the load ends by writing their
    CaseAccess rows, so every worker reads in the synthetic district what the rules give them."""
    workers = User.objects.filter(memberships__district=tiny.district, memberships__role=Role.WORKER)[:12]
    readable = 0
    for user in workers:
        actor = actor_for(user)
        got = set(policy.cases_in_scope(actor).values_list("pk", flat=True))
        assert got == set(policy.cases_in_scope_reference(actor).values_list("pk", flat=True))
        readable += len(got)
    assert readable
