"""Access, generated from access.policy.RULES: who reaches a case, for which permission, and why.

``expected_in_scope`` reads each declared ground and decides in Python, with the model objects,
whether it holds; ``cases_in_scope`` decides in SQL. The two must agree for every actor, every
permission and every situation of the case team and its consents.
"""

import datetime

import pytest
from django.utils import timezone

from hamkke.access import policy
from hamkke.access.policy import RULES, can, can_open_case, cases_in_scope, may_see_rrn
from hamkke.accounts.actor import Actor, actor_for
from hamkke.accounts.models import Membership, Role
from hamkke.cases.models import Case, CaseParticipant
from hamkke.cases.services import case_add_participant, case_register
from hamkke.consents.models import Consent
from hamkke.consents.services import consent_withdraw
from hamkke.districts.models import Agency
from hamkke.testing.factories import MEMBERS, ConsentFactory, MembershipFactory, UserFactory

GROUNDS = {"lead_agency", "participating_with_consent", "participating_with_sensitive_consent", "district", "emergency"}


def ground_holds(ground: str, actor: Actor, case: Case, today: datetime.date) -> bool:
    agency_id = actor.agency_id
    if ground == "district":
        return case.district_id == actor.district_id
    if ground == "lead_agency":
        return case.lead_agency_id == agency_id
    if ground in ("participating_with_consent", "participating_with_sensitive_consent"):
        participates = any(p.agency_id == agency_id and p.left_on is None for p in case.participants.all())
        consented = any(
            c.is_valid_on(today)
            and (c.share_with_district_network or agency_id in {a.pk for a in c.third_party_agencies.all()})
            and (c.sensitive_data or ground == "participating_with_consent")
            for c in case.consents.all()
        )
        return participates and consented
    if ground == "emergency":
        now = timezone.now()
        return any(e.user_id == actor.user.pk and e.expires_at > now for e in case.emergency_accesses.all())
    raise AssertionError(f"no oracle for ground {ground!r}")


def expected_in_scope(actor: Actor, permission: str, case: Case) -> bool:
    if actor.membership is None or case.district_id != actor.district_id:
        return False
    today = timezone.localdate()
    return any(ground_holds(g, actor, case, today) for g in RULES[permission].get(actor.role, ()))


def mismatches(actors: dict[str, Actor], case: Case) -> list[str]:
    """Every (actor, permission) where the SQL scope and the declared rules disagree."""
    wrong = []
    for permission in RULES:
        for name, actor in actors.items():
            expected = expected_in_scope(actor, permission, case)
            actual = cases_in_scope(actor, permission).filter(pk=case.pk).exists()
            if expected != actual or can(actor, permission, case) != expected:
                wrong.append(f"{name} {permission}: expected {expected}, got {actual}")
    return wrong


def world_actors(world) -> dict[str, Actor]:
    return {key: member.actor for key, member in world.members.items()}


# --- the table itself ------------------------------------------------------------------------


@pytest.mark.parametrize("permission", list(RULES))
def test_every_role_has_an_entry_for_every_permission(permission):
    assert set(RULES[permission]) == set(Role.values), "a role missing from RULES would be refused silently"


@pytest.mark.parametrize("permission", list(RULES))
def test_rules_name_only_known_grounds(permission):
    for role, grounds in RULES[permission].items():
        assert set(grounds) <= GROUNDS, (role, grounds)


def test_auditors_get_no_case_content():
    assert all(RULES[permission][Role.AUDITOR] == () for permission in RULES)


def test_changing_never_reaches_further_than_viewing():
    for role in Role.values:
        assert set(RULES[policy.CHANGE_CASE][role]) <= set(RULES[policy.VIEW_CASE][role]), role


def test_health_data_never_reaches_further_than_viewing():
    """VIEW_SENSITIVE narrows VIEW_CASE: its participating ground is the consent ground plus the item."""
    narrower = {"participating_with_sensitive_consent": "participating_with_consent"}
    for role in Role.values:
        sensitive = {narrower.get(g, g) for g in RULES[policy.VIEW_SENSITIVE][role]}
        assert sensitive <= set(RULES[policy.VIEW_CASE][role]), role


def test_world_has_a_member_for_every_role():
    assert {role for _agency, role, _name in MEMBERS.values() if role} == set(Role.values)


# --- generated: every actor x every permission x situations of the case ----------------------


def _withdraw(world):
    consent_withdraw(actor=world.lead_worker.actor, consent=world.consent)


def _expire(world):
    Consent.objects.filter(pk=world.consent.pk).update(expires_on=world.today - datetime.timedelta(days=1))


def _leave(world):
    CaseParticipant.objects.filter(pk=world.participant.pk).update(left_on=world.today)


def _network_consent_only(world):
    _withdraw(world)
    ConsentFactory(case=world.case, person=world.head, share_with_district_network=True)


def _consent_names_another_agency(world):
    _withdraw(world)
    ConsentFactory(case=world.case, person=world.head, third_party_agencies=[world.unrelated_agency])


def _unrelated_joins_without_consent(world):
    case_add_participant(actor=world.lead_worker.actor, case=world.case, agency=world.unrelated_agency)


def _sensitive_item(world):
    Consent.objects.filter(pk=world.consent.pk).update(sensitive_data=True)


def _sensitive_item_on_another_case(world):
    other = case_register(
        actor=world.lead_worker.actor,
        dong=world.dong_a2,
        address="명동길 21",
        head={"name": "다른가구", "birth_date": datetime.date(1980, 1, 1), "sex": "M"},
    )
    ConsentFactory(
        case=other,
        person=other.household.members.get(),
        third_party_agencies=[world.participating_agency],
        sensitive_data=True,
    )


def _sensitive_network_consent(world):
    _withdraw(world)
    ConsentFactory(case=world.case, person=world.head, share_with_district_network=True, sensitive_data=True)


def _sensitive_consent_withdrawn(world):
    _sensitive_item(world)
    _withdraw(world)


def _consent_not_required_collection(world):
    Consent.objects.filter(pk=world.consent.pk).update(required_collection=False)


def _case_moves_to_another_lead(world):
    Case.objects.filter(pk=world.case.pk).update(lead_agency=world.unrelated_agency)


SITUATIONS = {
    "as-built": lambda world: None,
    "consent-withdrawn": _withdraw,
    "consent-expired": _expire,
    "participant-left": _leave,
    "network-consent-only": _network_consent_only,
    "consent-names-another-agency": _consent_names_another_agency,
    "unrelated-joins-without-consent": _unrelated_joins_without_consent,
    "consent-without-required-collection": _consent_not_required_collection,
    "lead-agency-changed": _case_moves_to_another_lead,
    "sensitive-item-ticked": _sensitive_item,
    "sensitive-item-on-another-case": _sensitive_item_on_another_case,
    "sensitive-network-consent": _sensitive_network_consent,
    "sensitive-consent-withdrawn": _sensitive_consent_withdrawn,
}


@pytest.mark.parametrize("situation", list(SITUATIONS))
def test_scope_of_every_world_actor_follows_the_rules(world, situation):
    SITUATIONS[situation](world)
    case = Case.objects.get(pk=world.case.pk)
    assert mismatches(world_actors(world), case) == []


@pytest.mark.parametrize("situation", ["as-built", "consent-withdrawn", "network-consent-only"])
def test_scope_of_every_role_in_every_agency_follows_the_rules(world, situation):
    SITUATIONS[situation](world)
    actors = {}
    for agency in Agency.objects.all():
        for role in Role.values:
            user = UserFactory(username=f"{agency.pk}-{role}")
            MembershipFactory(user=user, agency=agency, role=role)
            actors[f"{role}@{agency.name}"] = actor_for(user)
    case = Case.objects.get(pk=world.case.pk)
    assert mismatches(actors, case) == []


def test_world_as_built_gives_the_expected_reach(world):
    """The rules applied to the world, spelled out (a readable check on the oracle)."""
    reach = {
        key: (can(m.actor, policy.VIEW_CASE, world.case), can(m.actor, policy.CHANGE_CASE, world.case))
        for key, m in world.members.items()
    }
    assert reach == {
        "lead_worker": (True, True),
        "lead_supervisor": (True, True),
        "lead_admin": (True, False),
        "participant_worker": (True, False),
        "unrelated_worker": (False, False),
        "district_admin": (True, False),
        "auditor": (False, False),
        "b_worker": (False, False),
        "b_admin": (False, False),
        "nobody": (False, False),
        "platform_admin": (False, False),  # creates districts, reads no case of any (issue 16 item 6)
    }


# --- the scenarios, one by one ---------------------------------------------------------------


def participant_sees_case(world) -> bool:
    return cases_in_scope(world.participant_worker.actor).filter(pk=world.case.pk).exists()


def test_participant_loses_access_the_moment_consent_is_withdrawn(world):
    assert participant_sees_case(world)
    consent_withdraw(actor=world.lead_worker.actor, consent=world.consent)
    assert not participant_sees_case(world)


def test_withdrawal_dated_tomorrow_takes_effect_tomorrow(world):
    tomorrow = world.today + datetime.timedelta(days=1)
    consent_withdraw(actor=world.lead_worker.actor, consent=world.consent, on=tomorrow)
    assert participant_sees_case(world)
    scope_tomorrow = policy.case_scope(world.participant_worker.actor, today=tomorrow)
    assert not Case.objects.filter(scope_tomorrow, pk=world.case.pk).exists()


def test_participant_loses_access_when_consent_expires(world):
    Consent.objects.filter(pk=world.consent.pk).update(expires_on=world.today)
    assert participant_sees_case(world)  # valid through its last day
    Consent.objects.filter(pk=world.consent.pk).update(expires_on=world.today - datetime.timedelta(days=1))
    assert not participant_sees_case(world)


def test_participant_loses_access_when_it_leaves_the_team(world):
    CaseParticipant.objects.filter(pk=world.participant.pk).update(left_on=world.today)
    assert not participant_sees_case(world)


def test_consent_of_another_case_grants_nothing(world):
    _withdraw(world)
    other = case_register(
        actor=world.lead_worker.actor,
        dong=world.dong_a2,
        address="명동길 20",
        head={"name": "다른가구", "birth_date": datetime.date(1980, 1, 1), "sex": "M"},
    )
    ConsentFactory(case=other, person=other.household.members.get(), third_party_agencies=[world.participating_agency])
    assert not participant_sees_case(world)


def test_other_district_never_sees_the_case_even_as_district_admin(world):
    for key in ("b_worker", "b_admin"):
        actor = world.members[key].actor
        for permission in RULES:
            assert not cases_in_scope(actor, permission).filter(pk=world.case.pk).exists(), (key, permission)
    # even when named in a consent and put on the team by force
    CaseParticipant.objects.create(
        district=world.district_a, case=world.case, agency=world.agency_b, joined_on=world.today
    )
    world.consent.third_party_agencies.add(world.agency_b)
    assert not cases_in_scope(world.b_worker.actor).filter(pk=world.case.pk).exists()
    assert not cases_in_scope(world.b_admin.actor).exists()


def test_district_admin_sees_every_case_of_their_district_only(world):
    other = case_register(
        actor=world.b_worker.actor,
        dong=world.dong_b,
        address="왕십리로 9",
        head={"name": "성동가구", "birth_date": datetime.date(1980, 1, 1), "sex": "F"},
    )
    assert list(cases_in_scope(world.district_admin.actor)) == [world.case]
    assert list(cases_in_scope(world.b_admin.actor)) == [other]


def test_auditor_sees_no_cases(world):
    for permission in RULES:
        assert not cases_in_scope(world.auditor.actor, permission).exists()
    assert not may_see_rrn(world.auditor.actor)


def test_actor_without_membership_sees_nothing(world):
    actor = world.nobody.actor
    assert actor.membership is None
    for permission in RULES:
        assert policy.case_scope(actor, permission) is None
        assert not cases_in_scope(actor, permission).exists()
    assert not can_open_case(actor)
    assert not may_see_rrn(actor)


def test_inactive_membership_or_agency_counts_as_no_membership(world):
    Membership.objects.filter(pk=world.lead_worker.membership.pk).update(is_active=False)
    assert actor_for(world.lead_worker.user).membership is None
    Agency.objects.filter(pk=world.participating_agency.pk).update(is_active=False)
    assert actor_for(world.participant_worker.user).membership is None
    assert not cases_in_scope(actor_for(world.participant_worker.user)).exists()


def test_unknown_permission_reaches_nothing(world):
    assert not cases_in_scope(world.lead_worker.actor, "delete_everything").exists()
    assert not cases_in_scope(world.district_admin.actor, "delete_everything").exists()


def test_unknown_ground_in_rules_raises(world, monkeypatch):
    monkeypatch.setitem(RULES[policy.VIEW_CASE], Role.WORKER, ("lead_agency", "lead_agnecy_typo"))
    with pytest.raises(ValueError, match="lead_agnecy_typo"):
        cases_in_scope(world.lead_worker.actor, policy.VIEW_CASE)


def test_may_see_rrn_follows_the_agencys_legal_basis(world):
    assert may_see_rrn(world.lead_worker.actor)
    assert may_see_rrn(world.district_admin.actor)
    assert not may_see_rrn(world.participant_worker.actor)
    assert not may_see_rrn(world.unrelated_worker.actor)
