"""Recording services and contacts: rules, permissions, audit, all-or-nothing batches."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hamkke.audit.models import AccessLog, Action
from hamkke.consents.services import consent_withdraw
from hamkke.core.domains import LifeDomain
from hamkke.plans.models import Goal, PlanAction, ServicePlan
from hamkke.records.models import ContactRecord, ServiceRecord
from hamkke.records.services import (
    ServiceRowsInvalid,
    contact_record_add,
    service_record_add,
    service_records_add,
)
from hamkke.resources.models import Resource
from hamkke.testing.factories import AgencyFactory, DistrictFactory

from .conftest import ago

pytestmark = pytest.mark.django_db
Money, Goods = ServiceRecord.AmountKind.MONEY, ServiceRecord.AmountKind.GOODS


def row(world, **overrides):
    values = {
        "provided_on": world.today,
        "domain": LifeDomain.LIVELIHOOD,
        "mode": ServiceRecord.Mode.DIRECT,
        "description": "긴급 생계비 지원",
    }
    values.update(overrides)
    return values


def add(world, member="lead_worker", **overrides):
    return service_record_add(actor=world.members[member].actor, case=world.case, **row(world, **overrides))


def errors_of(excinfo) -> set[str]:
    return set(excinfo.value.message_dict)


def make_action(world, case=None):
    """A plan action of ``case`` (surroundings: the plans app writes plans)."""
    from hamkke.assessment.models import Need

    case = case or world.case
    need = Need.objects.create(
        district_id=case.district_id,
        case=case,
        domain=LifeDomain.EMPLOYMENT,
        expressed_text="일하고 싶다",
        felt_text="스스로 벌어 살고 싶다",
        agreed_text="바리스타로 취업",
        recorded_by=world.lead_worker.user,
    )
    plan = ServicePlan.objects.create(
        district_id=case.district_id,
        case=case,
        version=1,
        status=ServicePlan.Status.ACTIVE,
        created_by=world.lead_worker.user,
    )
    goal = Goal.objects.create(district_id=case.district_id, plan=plan, need=need, description="바리스타 취업")
    return PlanAction.objects.create(
        district_id=case.district_id, goal=goal, description="바리스타 교육 연계", performer="agency"
    )


# --- service records ------------------------------------------------------------------------------


def test_service_record_defaults_to_the_actors_agency_and_is_audited(world):
    record = add(world, amount_kind=Money, amount=Decimal("300000"))
    assert record.provider_agency == world.lead_agency
    assert (record.district, record.case, record.recorded_by) == (world.district_a, world.case, world.lead_worker.user)
    assert record.amount == 300000
    log = AccessLog.objects.filter(action=Action.CREATE, object_type="servicerecord").get()
    assert log.object_id == str(record.uuid) and log.case_id == world.case.pk


def test_service_record_with_another_agency_resource_and_plan_action(world):
    resource = Resource.objects.create(
        district=world.district_a,
        name="바리스타 교육",
        kind=Resource.Kind.FORMAL,
        type=Resource.Type.EMPLOYMENT,
        domain=LifeDomain.EMPLOYMENT,
        added_by_agency=world.lead_agency,
        added_by=world.lead_worker.user,
    )
    action = make_action(world)
    record = add(
        world,
        mode=ServiceRecord.Mode.LINKED,
        provider_agency=world.unrelated_agency,
        resource=resource,
        plan_action=action,
        domain=LifeDomain.EMPLOYMENT,
    )
    assert (record.provider_agency, record.resource, record.plan_action) == (world.unrelated_agency, resource, action)


def test_plan_action_of_another_case_is_refused(world, build):
    other = build.case()
    action = make_action(world, case=other)
    with pytest.raises(ValidationError) as excinfo:
        add(world, plan_action=action)
    assert errors_of(excinfo) == {"plan_action"}


def test_provider_and_resource_must_be_active_and_of_the_district(world):
    elsewhere = AgencyFactory(district=DistrictFactory())
    closed = AgencyFactory(district=world.district_a, is_active=False)
    resource = Resource.objects.create(
        district=world.district_b,
        name="타 구 자원",
        kind=Resource.Kind.INFORMAL,
        type=Resource.Type.SHOP,
        domain=LifeDomain.LIVELIHOOD,
        added_by_agency=world.agency_b,
        added_by=world.b_worker.user,
    )
    for provider in (elsewhere, closed):
        with pytest.raises(ValidationError) as excinfo:
            add(world, provider_agency=provider)
        assert errors_of(excinfo) == {"provider_agency"}
    with pytest.raises(ValidationError) as excinfo:
        add(world, resource=resource)
    assert errors_of(excinfo) == {"resource"}


@pytest.mark.parametrize(
    ("kind", "amount", "ok"),
    [
        ("", None, True),
        (Goods, None, True),  # goods: the value may be unknown
        (Goods, Decimal("0"), True),
        (Money, Decimal("0"), True),
        (Money, 150000, True),
        (Money, None, False),  # cash needs its amount
        ("", Decimal("1000"), False),  # an amount without money or goods
        (Money, Decimal("-1"), False),
        (Money, Decimal("1000.5"), False),  # whole won only
        (Money, "many", False),
        (Money, Decimal("1000000000000"), False),
        ("coupon", None, False),
    ],
)
def test_amount_rules(world, kind, amount, ok):
    if ok:
        record = add(world, amount_kind=kind, amount=amount)
        assert record.amount_kind == kind
        return
    with pytest.raises(ValidationError) as excinfo:
        add(world, amount_kind=kind, amount=amount)
    assert errors_of(excinfo) <= {"amount", "amount_kind"}
    assert not ServiceRecord.objects.exists()


@pytest.mark.parametrize(
    ("provided_on", "ok"),
    [
        (lambda w: w.today, True),
        (lambda w: w.case.opened_on, True),
        (lambda w: w.today + datetime.timedelta(days=1), False),
        (lambda w: w.case.opened_on - datetime.timedelta(days=1), False),
        (lambda w: None, False),
    ],
)
def test_provided_on_between_opening_and_today(world, provided_on, ok):
    if ok:
        assert add(world, provided_on=provided_on(world)).pk
    else:
        with pytest.raises(ValidationError) as excinfo:
            add(world, provided_on=provided_on(world))
        assert errors_of(excinfo) == {"provided_on"}


def test_domain_mode_and_description_are_required(world):
    with pytest.raises(ValidationError) as excinfo:
        add(world, domain="food", mode="", description="   ")
    assert errors_of(excinfo) == {"domain", "mode", "description"}


def test_batch_is_all_or_nothing_with_errors_per_row(world):
    rows = [row(world), row(world, amount_kind=Money), row(world), row(world, provided_on=None, description="")]
    with pytest.raises(ServiceRowsInvalid) as excinfo:
        service_records_add(actor=world.lead_worker.actor, case=world.case, rows=rows)
    assert set(excinfo.value.row_errors) == {1, 3}
    assert set(excinfo.value.row_errors[1].message_dict) == {"amount"}
    assert set(excinfo.value.row_errors[3].message_dict) == {"provided_on", "description"}
    assert not ServiceRecord.objects.exists()
    assert not AccessLog.objects.filter(object_type="servicerecord").exists()


def test_batch_saves_every_row(world):
    records = service_records_add(
        actor=world.lead_worker.actor,
        case=world.case,
        rows=[row(world, description=f"반찬 지원 {i}") for i in range(3)],
    )
    assert ServiceRecord.objects.filter(case=world.case).count() == 3 == len(records)
    assert AccessLog.objects.filter(action=Action.CREATE, object_type="servicerecord").count() == 3


def test_empty_batch_is_refused(world):
    with pytest.raises(ValidationError):
        service_records_add(actor=world.lead_worker.actor, case=world.case, rows=[])


def test_participant_with_consent_records_a_service(world):
    record = add(world, member="participant_worker", mode=ServiceRecord.Mode.LINKED)
    assert record.provider_agency == world.participating_agency


def test_participant_after_consent_withdrawal_cannot_record(world):
    consent_withdraw(actor=world.lead_worker.actor, consent=world.consent)
    with pytest.raises(PermissionDenied):
        add(world, member="participant_worker")
    assert not ServiceRecord.objects.exists()


@pytest.mark.parametrize(
    "member", ["unrelated_worker", "district_admin", "auditor", "lead_admin", "b_worker", "nobody"]
)
def test_others_cannot_record(world, member):
    with pytest.raises(PermissionDenied):
        add(world, member=member)
    with pytest.raises(PermissionDenied):
        contact_record_add(
            actor=world.members[member].actor,
            case=world.case,
            contacted_at=ago(1),
            kind=ContactRecord.Kind.PHONE,
            outcome=ContactRecord.Outcome.MET,
        )


# --- contact records ------------------------------------------------------------------------------


def contact(world, member="lead_worker", **overrides):
    values = {"contacted_at": ago(1), "kind": ContactRecord.Kind.HOME_VISIT, "outcome": ContactRecord.Outcome.MET}
    values.update(overrides)
    return contact_record_add(actor=world.members[member].actor, case=world.case, **values)


def test_contact_record_is_the_actors_agency_and_audited(world):
    record = contact(
        world,
        member="participant_worker",
        with_whom="  딸  ",
        note="식사 확인",
        outcome=ContactRecord.Outcome.NO_ANSWER,
        next_contact_on=world.today + datetime.timedelta(days=7),
    )
    assert (record.agency, record.recorded_by) == (world.participating_agency, world.participant_worker.user)
    assert record.with_whom == "딸" and record.purpose == ContactRecord.Purpose.CASEWORK
    log = AccessLog.objects.get(action=Action.CREATE, object_type="contactrecord")
    assert (log.object_id, log.case_id) == (str(record.uuid), world.case.pk)


def test_contact_not_in_the_future_nor_before_opening(world):
    future = timezone.now() + datetime.timedelta(hours=1)
    before = ago(31)
    for moment in (future, before, datetime.datetime(2026, 1, 1, 10, 0), None):
        with pytest.raises(ValidationError) as excinfo:
            contact(world, contacted_at=moment)
        assert errors_of(excinfo) == {"contacted_at"}


def test_contact_choices_are_checked(world):
    with pytest.raises(ValidationError) as excinfo:
        contact(world, kind="fax", outcome="happy", purpose="fun")
    assert errors_of(excinfo) == {"kind", "outcome", "purpose"}


def test_next_contact_must_come_after_this_one(world):
    moment = ago(3)
    with pytest.raises(ValidationError) as excinfo:
        contact(world, contacted_at=moment, next_contact_on=timezone.localtime(moment).date())
    assert errors_of(excinfo) == {"next_contact_on"}
    assert contact(world, contacted_at=moment, next_contact_on=world.today).pk
