"""Writes for households and persons: validation, encryption of the RRN, audit."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkke.access.policy import may_see_rrn
from hamkke.accounts.actor import Actor
from hamkke.audit.models import Action
from hamkke.audit.services import audit_record
from hamkke.core import rrn as rrn_rules
from hamkke.districts.models import Dong

from .models import Household, Person

EARLIEST_BIRTH = datetime.date(1900, 1, 1)


def dong_for_actor(*, actor: Actor, dong_id) -> Dong:
    """A dong of the actor's own district, or a clear error (an unknown or foreign dong)."""
    try:
        return Dong.objects.get(district_id=actor.district_id, pk=dong_id)
    except (Dong.DoesNotExist, ValueError, TypeError):
        raise ValidationError({"dong": _("이 시군구에 없는 행정동입니다.")}) from None


def household_create(
    *, actor: Actor, dong: Dong, address: str, address_detail: str = "", request: HttpRequest | None = None
) -> Household:
    if dong.district_id != actor.district_id:
        raise ValidationError({"dong": _("이 시군구에 없는 행정동입니다.")})
    if not address.strip():
        raise ValidationError({"address": _("주소를 입력하세요.")})
    with transaction.atomic():
        household = Household.objects.create(
            district_id=actor.district_id,
            dong=dong,
            address=address.strip(),
            address_detail=address_detail.strip(),
            created_by=actor.user,
        )
        audit_record(actor=actor, action=Action.CREATE, obj=household, request=request)
    return household


def _validated_rrn(*, actor: Actor, raw: str, birth_date: datetime.date, sex: str) -> tuple[str, str]:
    """Return (digits, hash) for a raw RRN, checking the agency's legal basis and consistency."""
    if not raw:
        return "", ""
    if not may_see_rrn(actor):
        raise ValidationError({"rrn": _("이 기관은 주민등록번호를 처리할 법적 근거가 없어 입력할 수 없습니다.")})
    try:
        digits = rrn_rules.validate_rrn(raw)
    except ValidationError as error:
        raise ValidationError({"rrn": error.messages}) from None
    if rrn_rules.birth_date_of(digits) != birth_date:
        raise ValidationError({"rrn": _("주민등록번호의 생년월일이 입력한 생년월일과 다릅니다.")})
    if rrn_rules.sex_of(digits) != sex:
        raise ValidationError({"rrn": _("주민등록번호의 성별 자리가 입력한 성별과 다릅니다.")})
    return digits, rrn_rules.rrn_hash(digits)


def person_create(
    *,
    actor: Actor,
    household: Household,
    name: str,
    birth_date: datetime.date,
    sex: str,
    relation: str = Person.Relation.HEAD,
    phone: str = "",
    rrn: str = "",
    request: HttpRequest | None = None,
) -> Person:
    if household.district_id != actor.district_id:
        raise PermissionDenied(_("다른 시군구의 가구에는 가구원을 등록할 수 없습니다."))
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("성명을 입력하세요.")]
    if birth_date > timezone.localdate():
        errors["birth_date"] = [_("생년월일이 미래일 수 없습니다.")]
    elif birth_date < EARLIEST_BIRTH:
        errors["birth_date"] = [_("생년월일이 너무 이릅니다. 다시 확인하세요.")]
    if errors:
        raise ValidationError(errors)
    digits, digest = _validated_rrn(actor=actor, raw=rrn, birth_date=birth_date, sex=sex)
    duplicate = ValidationError({"rrn": _("이미 등록된 주민등록번호입니다. 기존 당사자를 찾아 여세요.")})
    if digest and Person.objects.filter(district_id=household.district_id, rrn_hash=digest).exists():
        raise duplicate
    try:
        with transaction.atomic():
            person = Person.objects.create(
                district_id=household.district_id,
                household=household,
                name=name,
                birth_date=birth_date,
                sex=sex,
                relation=relation,
                phone=phone.strip(),
                rrn_encrypted=digits or None,
                rrn_hash=digest,
                created_by=actor.user,
            )
            audit_record(actor=actor, action=Action.CREATE, obj=person, person_ids=[person.pk], request=request)
    except IntegrityError:  # the same RRN saved at the same moment by someone else
        raise duplicate from None
    return person
