"""Access as data (issue 15 §1): ``CaseAccess`` agrees with the rules read from their sources.

A property test over random small worlds: agencies with every role, cases led by random agencies,
and a random history of changes — agencies joining and leaving teams, lead transfers (through the
cases services), consents given (in the past, today, in the future; named agencies or the whole
network; with or without the sensitive-data item), expiring, withdrawn, re-scoped and deleted,
emergency accesses expired and in force, a case deleted. After the history, for every actor, every
permission of ``policy.RULES`` and several days around today, the cases in scope through the table
(``cases_in_scope`` / ``case_scope``) are exactly those of the reference form
(``case_scope_reference``), and ``can`` agrees case by case.

Plain seeded ``random`` rather than hypothesis: each world needs the database, and pytest-django's
transaction per test does not reset between hypothesis examples; six seeds keep it to seconds.
"""

from __future__ import annotations

import datetime
import random

import pytest
from django.utils import timezone

from hamkke.access import policy
from hamkke.access.models import CaseAccess, EmergencyAccess
from hamkke.access.table import rebuild
from hamkke.accounts.actor import actor_for
from hamkke.accounts.models import Role
from hamkke.cases.models import Case, CaseParticipant
from hamkke.cases.services import case_participant_leave, case_team_join, case_transfer_lead
from hamkke.consents.models import Consent
from hamkke.testing.factories import (
    AgencyFactory,
    CaseFactory,
    ConsentFactory,
    DistrictFactory,
    HouseholdFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROLES = (Role.WORKER, Role.SUPERVISOR, Role.AGENCY_ADMIN)


def _day(rng: random.Random, today: datetime.date, spread: int = 40) -> datetime.date:
    return today + datetime.timedelta(days=rng.randint(-spread, spread))


def build_random_world(seed: int):
    rng = random.Random(seed)
    today = timezone.localdate()
    district = DistrictFactory()
    other_district = DistrictFactory()
    agencies = [AgencyFactory(district=district) for _ in range(rng.randint(2, 4))]
    actors = []
    workers = {}
    for agency in agencies:
        for role in ROLES:
            user = UserFactory()
            MembershipFactory(user=user, agency=agency, role=role)
            actors.append(actor_for(user))
            if role == Role.WORKER:
                workers[agency.pk] = user
    for role in (Role.DISTRICT_ADMIN, Role.AUDITOR):
        user = UserFactory()
        MembershipFactory(user=user, agency=rng.choice(agencies), role=role)
        actors.append(actor_for(user))
    stranger = UserFactory()
    MembershipFactory(user=stranger, agency=AgencyFactory(district=other_district), role=Role.WORKER)
    actors.append(actor_for(stranger))
    actors.append(actor_for(UserFactory()))  # no membership at all

    cases = []
    for _ in range(rng.randint(3, 6)):
        lead = rng.choice(agencies)
        household = HouseholdFactory(district=district)
        case = CaseFactory(
            household=household,
            district=district,
            lead_agency=lead,
            lead_worker=workers[lead.pk],
            opened_on=today - datetime.timedelta(days=60),
        )
        cases.append((case, PersonFactory(household=household, district=district)))

    def lead_actor(case):
        case.refresh_from_db()
        return actor_for(case.lead_worker)

    for _ in range(rng.randint(10, 30)):
        case, person = rng.choice(cases)
        if not Case.objects.filter(pk=case.pk).exists():
            continue
        case.refresh_from_db()
        step = rng.choice(
            ["join", "join", "leave", "transfer", "consent", "consent", "withdraw", "rescope", "delete_consent"]
            + ["emergency", "emergency", "delete_participant"]
        )
        team = list(CaseParticipant.objects.filter(case=case, left_on__isnull=True))
        consents = list(Consent.objects.filter(case=case))
        if step == "join":
            candidates = [
                a for a in agencies if a.pk != case.lead_agency_id and a.pk not in {p.agency_id for p in team}
            ]
            if candidates:
                case_team_join(
                    actor=lead_actor(case),
                    case=case,
                    agency=rng.choice(candidates),
                    joined_on=today - datetime.timedelta(days=rng.randint(0, 50)),
                )
        elif step == "leave" and team:
            participant = rng.choice(team)
            case_participant_leave(actor=lead_actor(case), participant=participant, left_on=participant.joined_on)
        elif step == "delete_participant" and team:
            rng.choice(team).delete()
        elif step == "transfer":
            to_agency = rng.choice(agencies)
            if to_agency.pk != case.lead_agency_id:
                case_transfer_lead(
                    actor=lead_actor(case),
                    case=case,
                    to_agency=to_agency,
                    to_worker=workers[to_agency.pk],
                    note="이관",
                    keep_previous_as_participant=rng.random() < 0.7,
                )
        elif step == "consent":
            given_on = _day(rng, today)
            expires_on = rng.choice([None, _day(rng, given_on), given_on - datetime.timedelta(days=1)])
            named = rng.sample(agencies, rng.randint(0, len(agencies)))
            ConsentFactory(
                case=case,
                person=person,
                required_collection=rng.random() < 0.9,
                share_with_district_network=rng.random() < 0.3,
                sensitive_data=rng.random() < 0.5,
                given_on=given_on,
                expires_on=expires_on,
                withdrawn_on=rng.choice([None, None, _day(rng, given_on)]),
                third_party_agencies=named,
            )
        elif step == "withdraw" and consents:
            consent = rng.choice(consents)
            consent.withdrawn_on = _day(rng, consent.given_on, 20)
            consent.save()
        elif step == "rescope" and consents:
            consent = rng.choice(consents)
            agency = rng.choice(agencies)
            if rng.random() < 0.5:
                consent.third_party_agencies.add(agency)
            else:
                consent.third_party_agencies.remove(agency)
        elif step == "delete_consent" and consents:
            rng.choice(consents).delete()
        elif step == "emergency":
            user = rng.choice(list(workers.values()))
            now = timezone.now()
            EmergencyAccess.objects.create(
                district=district,
                case=case,
                user=user,
                agency=user.memberships.get().agency,
                reason="긴급 열람 사유 (무작위 세계)",
                granted_at=now - datetime.timedelta(hours=rng.randint(1, 100)),
                expires_at=now + datetime.timedelta(hours=rng.choice([-30, -1, 1, 30])),
            )
    if rng.random() < 0.3:
        case, _person = cases.pop(rng.randrange(len(cases)))
        Consent.objects.filter(case=case).delete()  # consents protect the person, not the case
        case.delete()
    return today, actors


def assert_table_agrees(today: datetime.date, actors) -> None:
    days = [today + datetime.timedelta(days=d) for d in (-30, -1, 0, 1, 30)]
    all_cases = list(Case.objects.all())
    checked = 0
    for actor in actors:
        for permission in policy.RULES:
            for day in days:
                table = policy.case_scope(actor, permission, day)
                reference = policy.case_scope_reference(actor, permission, day)
                assert (table is None) == (reference is None)
                if table is None:
                    continue
                got = set(Case.objects.filter(table).values_list("pk", flat=True))
                expected = set(Case.objects.filter(reference).values_list("pk", flat=True))
                assert got == expected, (actor.role, permission, day)
                checked += len(expected)
            for case in all_cases:  # today, through the public check every service uses
                expected = policy.cases_in_scope_reference(actor, permission).filter(pk=case.pk).exists()
                assert policy.can(actor, permission, case) == expected
    assert checked, "the world gave no one access to anything: the test would prove nothing"


@pytest.mark.parametrize("seed", range(6))
def test_table_agrees_with_the_rules_in_random_worlds(seed):
    today, actors = build_random_world(seed)
    assert_table_agrees(today, actors)


def test_rebuild_gives_the_rows_the_changes_gave():
    """The set-based fill (data migration, synthetic district) writes what the signals wrote."""
    today, actors = build_random_world(99)

    def snapshot():
        rows = CaseAccess.objects.values_list(
            "case_id", "agency_id", "user_id", "ground", "sensitive", "valid_from", "valid_until"
        )
        return sorted(rows, key=repr)

    before = snapshot()
    CaseAccess.objects.all().delete()
    rebuild()
    assert snapshot() == before
    assert_table_agrees(today, actors)


def test_expiry_needs_no_job(world):
    """A consent ending tomorrow: the participating agency reads the case today and not the day after,
    with no change to any row in between."""
    consent = world.consent
    consent.expires_on = world.today
    consent.save()
    actor = world.participant_worker.actor
    rows = list(CaseAccess.objects.values_list("pk", flat=True))
    assert policy.cases_in_scope(actor).filter(pk=world.case.pk).exists()
    tomorrow = world.today + datetime.timedelta(days=1)
    assert not Case.objects.filter(policy.case_scope(actor, policy.VIEW_CASE, tomorrow), pk=world.case.pk).exists()
    assert list(CaseAccess.objects.values_list("pk", flat=True)) == rows


def test_a_withdrawn_consent_removes_the_row_window():
    """Withdrawal takes effect the same day through the table, not only in the reference."""
    district = DistrictFactory()
    lead, partner = AgencyFactory(district=district), AgencyFactory(district=district)
    case = CaseFactory(district=district, household=HouseholdFactory(district=district), lead_agency=lead)
    CaseParticipant.objects.create(district=district, case=case, agency=partner, joined_on=case.opened_on)
    partner_worker = MembershipFactory(agency=partner, role=Role.WORKER).user
    consent = ConsentFactory(
        case=case, given_on=timezone.localdate() - datetime.timedelta(days=10), third_party_agencies=[partner]
    )
    row = CaseAccess.objects.get(case=case, agency=partner)
    assert row.valid_until is None
    assert list(policy.cases_in_scope(actor_for(partner_worker))) == [case]
    consent.withdrawn_on = timezone.localdate()
    consent.save()
    assert CaseAccess.objects.get(case=case, agency=partner).valid_until <= timezone.now()
    assert not policy.cases_in_scope(actor_for(partner_worker)).exists()
