"""Writes for the resource directory (자원): any worker of the district adds, the adding agency edits.

Resources are not personal data, so reading them is not logged; every write is.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from hamkke.access.policy import EDIT_ANY_RESOURCE, EDIT_RESOURCES, READ_RESOURCES, may
from hamkke.accounts.actor import Actor
from hamkke.audit.models import Action
from hamkke.audit.services import audit_record
from hamkke.core.domains import LifeDomain
from hamkke.districts.models import Agency, Dong

from .models import Resource


def can_read_resources(actor: Actor) -> bool:
    return may(actor, READ_RESOURCES)


def can_add_resource(actor: Actor) -> bool:
    return may(actor, EDIT_RESOURCES)


def can_edit_resource(actor: Actor, resource: Resource) -> bool:
    """Only the agency that added a resource keeps it up to date (or the district admin)."""
    if not can_add_resource(actor) or resource.district_id != actor.district_id:
        return False
    return may(actor, EDIT_ANY_RESOURCE) or resource.added_by_agency_id == actor.agency_id


def _clean(
    *,
    actor: Actor,
    name: str,
    kind: str,
    type: str,
    domain: str,
    provider_agency: Agency | None,
    dongs: list[Dong],
    capacity: int | None,
) -> None:
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("자원명을 적으세요.")
    if kind not in Resource.Kind.values:
        errors["kind"] = _("자원 구분을 고르세요.")
    if type not in Resource.Type.values:
        errors["type"] = _("유형을 고르세요.")
    elif kind in Resource.Kind.values and type != Resource.Type.OTHER:
        informal_type = type in Resource.INFORMAL_TYPES
        if kind == Resource.Kind.INFORMAL and not informal_type:
            errors["type"] = _(
                "비공식 자원의 유형은 이웃, 주민 모임, 자원봉사자, 동네 가게, 종교 단체, 기타 중 하나입니다."
            )
        elif kind == Resource.Kind.FORMAL and informal_type:
            errors["type"] = _("이 유형은 비공식 자원입니다. 자원 구분을 ‘비공식 자원’으로 고르세요.")
    if domain not in LifeDomain.values:
        errors["domain"] = _("생활 영역을 고르세요.")
    if provider_agency is not None and (
        provider_agency.district_id != actor.district_id or not provider_agency.is_active
    ):
        errors["provider_agency"] = _("같은 시군구의 기관만 제공 기관이 될 수 있습니다.")
    if any(dong.district_id != actor.district_id for dong in dongs):
        errors["dongs"] = _("이 시군구의 행정동만 고를 수 있습니다.")
    if capacity is not None and capacity < 0:
        errors["capacity"] = _("정원은 0 이상이어야 합니다.")
    if errors:
        raise ValidationError(errors)


def resource_create(
    *,
    actor: Actor,
    name: str,
    kind: str,
    type: str,
    domain: str,
    description: str = "",
    provider: str = "",
    provider_agency: Agency | None = None,
    dongs: Iterable[Dong] = (),
    contact: str = "",
    capacity: int | None = None,
    is_ordinary: bool = True,
    is_active: bool = True,
    request: HttpRequest | None = None,
) -> Resource:
    """Add a resource to the actor's district directory, on behalf of the actor's agency."""
    if not can_add_resource(actor):
        raise PermissionDenied(_("이 역할로는 지역 자원을 등록할 수 없습니다."))
    dongs = list(dongs)
    _clean(
        actor=actor,
        name=name,
        kind=kind,
        type=type,
        domain=domain,
        provider_agency=provider_agency,
        dongs=dongs,
        capacity=capacity,
    )
    with transaction.atomic():
        resource = Resource.objects.create(
            district_id=actor.district_id,
            name=name.strip(),
            kind=kind,
            type=type,
            domain=domain,
            description=description.strip(),
            provider=provider.strip(),
            provider_agency=provider_agency,
            contact=contact.strip(),
            capacity=capacity,
            is_ordinary=is_ordinary,
            is_active=is_active,
            added_by_agency_id=actor.agency_id,
            added_by=actor.user,
        )
        resource.dongs.set(dongs)
        audit_record(actor=actor, action=Action.CREATE, obj=resource, request=request)
    return resource


def resource_update(
    *,
    actor: Actor,
    resource: Resource,
    name: str,
    kind: str,
    type: str,
    domain: str,
    description: str = "",
    provider: str = "",
    provider_agency: Agency | None = None,
    dongs: Iterable[Dong] = (),
    contact: str = "",
    capacity: int | None = None,
    is_ordinary: bool = True,
    is_active: bool = True,
    request: HttpRequest | None = None,
) -> Resource:
    """Change (or deactivate, with ``is_active=False``) a resource: the adding agency or the district admin."""
    if not can_edit_resource(actor, resource):
        raise PermissionDenied(_("이 자원은 등록한 기관이나 시군구 관리자만 고칠 수 있습니다."))
    dongs = list(dongs)
    _clean(
        actor=actor,
        name=name,
        kind=kind,
        type=type,
        domain=domain,
        provider_agency=provider_agency,
        dongs=dongs,
        capacity=capacity,
    )
    was_active = resource.is_active
    with transaction.atomic():
        resource.name, resource.kind, resource.type, resource.domain = name.strip(), kind, type, domain
        resource.description, resource.provider = description.strip(), provider.strip()
        resource.provider_agency, resource.contact, resource.capacity = provider_agency, contact.strip(), capacity
        resource.is_ordinary, resource.is_active = is_ordinary, is_active
        resource.save()
        resource.dongs.set(dongs)
        detail = "" if was_active == is_active else ("activated" if is_active else "deactivated")
        audit_record(actor=actor, action=Action.UPDATE, obj=resource, request=request, detail=detail)
    return resource
