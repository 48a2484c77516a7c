"""Adding and editing resources: the type fits the kind, everything stays in the district, the adding agency edits."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hamkke.audit.models import AccessLog, Action
from hamkke.core.domains import LifeDomain
from hamkke.resources.models import Resource
from hamkke.resources.services import resource_create, resource_update

pytestmark = pytest.mark.django_db

BARISTA = {
    "name": "바리스타 양성 과정",
    "kind": Resource.Kind.FORMAL,
    "type": Resource.Type.EMPLOYMENT,
    "domain": LifeDomain.EMPLOYMENT,
    "description": "정신재활시설의 12주 과정",
    "provider": "마음카페",
}


def test_worker_adds_a_resource_for_their_agency_and_district(world):
    resource = resource_create(
        actor=world.lead_worker.actor,
        dongs=[world.dong_a, world.dong_a2],
        capacity=8,
        contact=" 02-123-4567 ",
        **BARISTA,
    )
    assert resource.district == world.district_a
    assert resource.added_by_agency == world.lead_agency and resource.added_by == world.lead_worker.user
    assert set(resource.dongs.all()) == {world.dong_a, world.dong_a2}
    assert resource.contact == "02-123-4567" and resource.is_active and resource.is_ordinary
    log = AccessLog.objects.get(action=Action.CREATE, object_type="resource")
    assert log.object_id == str(resource.uuid) and log.user_id == world.lead_worker.user.pk


@pytest.mark.parametrize(
    "kind,type_,ok",
    [
        (Resource.Kind.INFORMAL, Resource.Type.NEIGHBOUR, True),
        (Resource.Kind.INFORMAL, Resource.Type.RELIGIOUS_GROUP, True),
        (Resource.Kind.INFORMAL, Resource.Type.OTHER, True),
        (Resource.Kind.INFORMAL, Resource.Type.PROGRAMME, False),
        (Resource.Kind.INFORMAL, Resource.Type.BENEFIT, False),
        (Resource.Kind.FORMAL, Resource.Type.EMPLOYMENT, True),
        (Resource.Kind.FORMAL, Resource.Type.OTHER, True),
        (Resource.Kind.FORMAL, Resource.Type.SHOP, False),
        (Resource.Kind.FORMAL, Resource.Type.VOLUNTEER, False),
    ],
)
def test_type_must_fit_the_kind(world, kind, type_, ok):
    data = {**BARISTA, "kind": kind, "type": type_}
    if ok:
        assert resource_create(actor=world.lead_worker.actor, **data).type == type_
    else:
        with pytest.raises(ValidationError) as error:
            resource_create(actor=world.lead_worker.actor, **data)
        assert "type" in error.value.message_dict
        assert not Resource.objects.exists()


@pytest.mark.parametrize(
    "field,value",
    [
        ("name", "   "),
        ("kind", "nonsense"),
        ("type", "nonsense"),
        ("domain", "nonsense"),
        ("capacity", -1),
    ],
)
def test_bad_values_are_refused_on_their_field(world, field, value):
    with pytest.raises(ValidationError) as error:
        resource_create(actor=world.lead_worker.actor, **{**BARISTA, field: value})
    assert field in error.value.message_dict


def test_dongs_and_provider_agency_must_be_of_the_actors_district(world):
    with pytest.raises(ValidationError) as error:
        resource_create(actor=world.lead_worker.actor, dongs=[world.dong_a, world.dong_b], **BARISTA)
    assert "dongs" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        resource_create(actor=world.lead_worker.actor, provider_agency=world.agency_b, **BARISTA)
    assert "provider_agency" in error.value.message_dict
    resource = resource_create(actor=world.lead_worker.actor, provider_agency=world.unrelated_agency, **BARISTA)
    assert resource.provider_agency == world.unrelated_agency


@pytest.mark.parametrize(
    "who,allowed",
    [
        ("lead_worker", True),
        ("lead_supervisor", True),
        ("participant_worker", True),
        ("district_admin", True),
        ("lead_admin", False),
        ("auditor", False),
        ("nobody", False),
    ],
)
def test_who_may_add(world, who, allowed):
    actor = getattr(world, who).actor
    if allowed:
        assert resource_create(actor=actor, **BARISTA).district_id == actor.district_id
    else:
        with pytest.raises(PermissionDenied):
            resource_create(actor=actor, **BARISTA)


@pytest.mark.parametrize(
    "who,allowed",
    [
        ("lead_worker", True),  # added it
        ("lead_supervisor", True),  # same agency: colleagues keep the agency's entries up to date
        ("district_admin", True),
        ("participant_worker", False),  # another agency of the district
        ("unrelated_worker", False),
        ("lead_admin", False),
        ("auditor", False),
        ("b_worker", False),
        ("b_admin", False),  # another district's admin
    ],
)
def test_only_the_adding_agency_or_the_district_admin_edits(world, who, allowed):
    resource = resource_create(actor=world.lead_worker.actor, **BARISTA)
    data = {**BARISTA, "name": "바리스타 심화 과정", "is_active": False}
    actor = getattr(world, who).actor
    if allowed:
        resource_update(actor=actor, resource=resource, **data)
        resource.refresh_from_db()
        assert resource.name == "바리스타 심화 과정" and not resource.is_active
        log = AccessLog.objects.get(action=Action.UPDATE, object_type="resource")
        assert log.detail == "deactivated" and log.user_id == getattr(world, who).user.pk
    else:
        with pytest.raises(PermissionDenied):
            resource_update(actor=actor, resource=resource, **data)
        resource.refresh_from_db()
        assert resource.name == "바리스타 양성 과정" and resource.is_active


def test_update_checks_the_same_rules(world):
    resource = resource_create(actor=world.lead_worker.actor, dongs=[world.dong_a], **BARISTA)
    with pytest.raises(ValidationError) as error:
        resource_update(
            actor=world.lead_worker.actor,
            resource=resource,
            dongs=[world.dong_b],
            **{**BARISTA, "type": Resource.Type.NEIGHBOUR},
        )
    assert set(error.value.message_dict) == {"type", "dongs"}
    resource.refresh_from_db()
    assert resource.type == Resource.Type.EMPLOYMENT and list(resource.dongs.all()) == [world.dong_a]
