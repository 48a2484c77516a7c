"""Reading cases: the caseload and one case, always through the access scope."""

import datetime

import pytest
from django.urls import reverse

from hamkke.access.policy import CHANGE_CASE, VIEW_CASE
from hamkke.accounts.actor import actor_for
from hamkke.accounts.models import Role
from hamkke.cases.models import Case, CaseParticipant, CrisisLevel
from hamkke.cases.selectors import (
    case_get_for_actor,
    case_list_for_actor,
    case_participants,
    case_stage_history,
    case_types_for_district,
)
from hamkke.cases.services import case_add_participant, case_change_stage, case_register
from hamkke.cases.stages import Stage
from hamkke.cases.workflow import ApprovalKind
from hamkke.consents.services import consent_withdraw
from hamkke.testing.factories import MEMBERS, MembershipFactory


@pytest.fixture
def second_case(world):
    """A second case of the lead agency, led by the supervisor, in another dong, high complexity."""
    case = case_register(
        actor=world.lead_supervisor.actor,
        dong=world.dong_a2,
        address="명동길 30",
        head={"name": "두번째", "birth_date": datetime.date(1966, 6, 6), "sex": "M"},
        opened_on=world.today - datetime.timedelta(days=5),
    )
    Case.objects.filter(pk=case.pk).update(case_type=world.case_types_a[0], crisis_level=CrisisLevel.HIGH)
    return Case.objects.get(pk=case.pk)


def listed(world, member="lead_worker", **filters):
    return list(case_list_for_actor(actor=world.members[member].actor, **filters))


def test_caseload_is_newest_first(world, second_case):
    assert listed(world) == [second_case, world.case]
    assert listed(world, "lead_supervisor") == [second_case, world.case]


def test_caseload_mine_only_is_lead_worker_or_named_participant(world, second_case):
    assert listed(world, mine_only=True) == [world.case]
    assert listed(world, "lead_supervisor", mine_only=True) == [second_case]
    assert listed(world, "participant_worker", mine_only=True) == [world.case]
    assert listed(world, "lead_admin", mine_only=True) == []


def test_mine_only_drops_a_participant_worker_who_handed_over(world):
    """The agency stays on the team with a colleague: the case is in reach, but no longer 'mine'."""
    colleague = MembershipFactory(agency=world.participating_agency, role=Role.WORKER).user
    CaseParticipant.objects.filter(pk=world.participant.pk).update(left_on=world.today)
    case_add_participant(
        actor=world.lead_worker.actor, case=world.case, agency=world.participating_agency, worker=colleague
    )
    assert listed(world, "participant_worker") == [world.case]
    assert listed(world, "participant_worker", mine_only=True) == []
    assert list(case_list_for_actor(actor=actor_for(colleague), mine_only=True)) == [world.case]


def test_mine_only_lists_a_case_once_even_with_several_participant_rows(world):
    CaseParticipant.objects.create(
        district=world.district_a,
        case=world.case,
        agency=world.participating_agency,
        worker=world.participant_worker.user,
        joined_on=world.today,
        left_on=world.today,
    )
    CaseParticipant.objects.create(
        district=world.district_a,
        case=world.case,
        agency=world.unrelated_agency,
        worker=world.participant_worker.user,
        joined_on=world.today,
    )
    assert listed(world, "participant_worker", mine_only=True) == [world.case]


def test_mine_only_never_widens_the_scope(world):
    """Being named on a case does not open it when the consent is withdrawn."""
    consent_withdraw(actor=world.lead_worker.actor, consent=world.consent)
    assert listed(world, "participant_worker", mine_only=True) == []
    assert listed(world, "participant_worker") == []


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"crisis_level": CrisisLevel.HIGH}, ["second"]),
        ({"crisis_level": CrisisLevel.LOW}, []),
        ({"dong_id": "dong_a2"}, ["second"]),
        ({"dong_id": "dong_a"}, ["world"]),
        ({"case_type_id": "high_complexity"}, ["second"]),
        ({"case_type_id": "general"}, []),
        ({"stage": Stage.IDENTIFICATION}, ["second", "world"]),
        ({"stage": Stage.INTAKE}, []),
        ({"dong_id": "dong_a2", "crisis_level": CrisisLevel.HIGH, "mine_only": True}, []),
    ],
)
def test_caseload_filters(world, second_case, filters, expected):
    filters = dict(filters)
    if "dong_id" in filters:
        filters["dong_id"] = getattr(world, filters["dong_id"]).pk
    if "case_type_id" in filters:
        filters["case_type_id"] = next(t.pk for t in world.case_types_a if t.code == filters["case_type_id"])
    cases = {"second": second_case, "world": world.case}
    assert listed(world, **filters) == [cases[name] for name in expected]


def test_closed_cases_are_hidden_unless_asked_for(world, second_case):
    case_change_stage(
        actor=world.lead_worker.actor,
        case=world.case,
        to_stage=Stage.CLOSED,
        reason="전출",
        closure_reason="moved",
        approval=ApprovalKind.CLOSURE,
    )
    assert listed(world) == [second_case]
    assert listed(world, include_inactive=True) == [second_case, world.case]
    assert listed(world, stage=Stage.CLOSED) == [world.case]
    case_change_stage(actor=world.lead_worker.actor, case=world.case, to_stage=Stage.FOLLOW_UP)
    assert listed(world) == [second_case]
    assert listed(world, stage=Stage.FOLLOW_UP) == [world.case]


@pytest.mark.parametrize("member", list(MEMBERS))
def test_caseload_follows_the_view_scope(world, member):
    sees = member in {"lead_worker", "lead_supervisor", "lead_admin", "participant_worker", "district_admin"}
    assert listed(world, member) == ([world.case] if sees else [])


def test_caseload_loads_household_and_members_without_extra_queries(world, second_case, django_assert_num_queries):
    cases = case_list_for_actor(actor=world.lead_worker.actor)
    with django_assert_num_queries(2):  # the cases (with joins), then the household members
        rows = [(c.household.dong.name, c.lead_agency.name, c.lead_worker.username, str(c.household)) for c in cases]
    assert rows[1] == ("소공동", "중구청 희망복지지원단", "lead_worker", f"{world.head.name} 가구")


@pytest.mark.parametrize("member", list(MEMBERS))
def test_case_get_for_actor_raises_does_not_exist_out_of_scope(world, member):
    actor = world.members[member].actor
    for permission, allowed in (
        (VIEW_CASE, {"lead_worker", "lead_supervisor", "lead_admin", "participant_worker", "district_admin"}),
        (CHANGE_CASE, {"lead_worker", "lead_supervisor"}),
    ):
        if member in allowed:
            assert case_get_for_actor(actor=actor, uuid=world.case.uuid, permission=permission) == world.case
        else:
            with pytest.raises(Case.DoesNotExist):
                case_get_for_actor(actor=actor, uuid=world.case.uuid, permission=permission)


def test_case_get_for_actor_unknown_uuid(world):
    import uuid

    with pytest.raises(Case.DoesNotExist):
        case_get_for_actor(actor=world.lead_worker.actor, uuid=uuid.uuid4())


def test_participants_and_stage_history(world):
    case_change_stage(actor=world.lead_worker.actor, case=world.case, to_stage=Stage.INITIAL_CONSULTATION)
    assert list(case_participants(case=world.case)) == [world.participant]
    history = list(case_stage_history(case=world.case))
    assert [h.to_stage for h in history] == [Stage.INITIAL_CONSULTATION, Stage.IDENTIFICATION]


def test_case_types_for_district_lists_active_types_of_that_district(world):
    world.case_types_a[2].is_active = False
    world.case_types_a[2].save()
    assert list(case_types_for_district(district_id=world.district_a.pk)) == world.case_types_a[:2]
    assert list(case_types_for_district(district_id=world.district_b.pk)) == []


def test_recently_opened_cases_newest_first_and_only_while_readable(client, world, second_case):
    """Issue 13 item 3: the worker's recently opened cases, from their own case-page views."""
    from hamkke.cases.selectors import cases_recently_opened
    from hamkke.consents.services import consent_withdraw

    assert cases_recently_opened(actor=world.participant_worker.actor) == []
    world.lead_worker.login(client)
    for case in (world.case, second_case, world.case):
        client.get(reverse("cases:detail", args=[case.uuid]))
    assert cases_recently_opened(actor=world.lead_worker.actor) == [world.case, second_case]
    assert cases_recently_opened(actor=world.lead_supervisor.actor) == []  # someone else's views are not mine
    page = client.get(reverse("cases:caseload")).content.decode()
    assert "최근 연 사례" in page
    client.logout()
    world.participant_worker.login(client)
    client.get(reverse("cases:detail", args=[world.case.uuid]))
    assert cases_recently_opened(actor=world.participant_worker.actor) == [world.case]
    consent_withdraw(actor=world.lead_worker.actor, consent=world.consent)  # no longer readable
    assert cases_recently_opened(actor=world.participant_worker.actor) == []
