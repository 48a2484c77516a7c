"""Writes for households and persons: validation, encryption of the RRN, audit."""

from __future__ import annotations

import copy
import datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkke.access.policy import CHANGE_CASE, may_see_rrn
from hamkke.accounts.actor import Actor
from hamkke.audit.models import Action
from hamkke.audit.services import audit_record
from hamkke.cases.models import Case
from hamkke.core import rrn as rrn_rules
from hamkke.core.event_time import future_date_message
from hamkke.districts.models import Dong

from .models import UNKNOWN_NAME, Household, Person
from .selectors import DuplicateCandidate, households_in_scope, person_duplicate_candidates

EARLIEST_BIRTH = datetime.date(1900, 1, 1)
DUPLICATE_CHECK = "duplicate check"  # the access-log detail of a lookup (audit.flags counts them)


def dong_for_actor(*, actor: Actor, dong_id) -> Dong:
    """A dong of the actor's own district, or a clear error (an unknown or foreign dong)."""
    try:
        return Dong.objects.get(district_id=actor.district_id, pk=dong_id)
    except (Dong.DoesNotExist, ValueError, TypeError):
        raise ValidationError({"dong": _("이 시군구에 없는 행정동입니다. 목록에서 고르세요.")}) from None


Errors = dict[str, list[str]]


def household_errors(*, actor: Actor, dong: Dong | None, address: str) -> Errors:
    """Every problem with a household's place at once, in words that say what to do."""
    errors: Errors = {}
    if dong is None:
        errors["dong"] = [_("행정동을 고르세요")]
    elif dong.district_id != actor.district_id:
        errors["dong"] = [_("이 시군구에 없는 행정동입니다. 목록에서 고르세요.")]
    if not (address or "").strip():
        errors["address"] = [_("주소를 입력하세요 (예: 서울특별시 중구 퇴계로 100)")]
    return errors


def household_create(
    *, actor: Actor, dong: Dong, address: str, address_detail: str = "", request: HttpRequest | None = None
) -> Household:
    errors = household_errors(actor=actor, dong=dong, address=address)
    if errors:
        raise ValidationError(errors)
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


def _rrn_checked(*, actor: Actor, raw: str, birth_date: datetime.date | None, sex: str) -> tuple[str, str, list[str]]:
    """(digits, hash, problems) for a raw RRN: the agency's legal basis, the number itself, and its
    agreement with the birth date and sex typed beside it — every problem at once (a wrong check
    digit does not hide that the number's birth date differs from the one entered)."""
    if not raw:
        return "", "", []
    if not may_see_rrn(actor):
        return "", "", [_("이 기관은 주민등록번호를 처리할 법적 근거가 없어 입력할 수 없습니다. 칸을 비우세요.")]
    problems: list[str] = []
    try:
        digits = rrn_rules.validate_rrn(raw)
    except ValidationError as error:
        problems.extend(error.messages)
        digits = rrn_rules.normalize(raw) if error.code == "rrn_check" else ""  # readable, only miscounted
    if digits:
        if birth_date is not None and rrn_rules.birth_date_of(digits) != birth_date:
            problems.append(_("주민등록번호의 생년월일이 입력한 생년월일과 다릅니다. 둘 중 틀린 쪽을 고치세요."))
        if sex and rrn_rules.sex_of(digits) != sex:
            problems.append(_("주민등록번호의 성별 자리가 입력한 성별과 다릅니다. 둘 중 틀린 쪽을 고치세요."))
    if problems:
        return "", "", problems
    return digits, rrn_rules.rrn_hash(digits), []


def _identity_errors(*, name: str, birth_date: datetime.date | None, sex: str) -> Errors:
    """Every problem with a known identity at once (name, birth date, sex), in words that say what to do."""
    errors: Errors = {}
    if not name:
        errors["name"] = [_("성명을 입력하세요 (모르면 ‘성명 미상’으로 등록할 수 있습니다)")]
    if birth_date is None:
        errors["birth_date"] = [_("생년월일을 입력하세요 (예: 1953-08-14)")]
    elif birth_date > timezone.localdate():
        errors["birth_date"] = [future_date_message()]
    elif birth_date < EARLIEST_BIRTH:
        errors["birth_date"] = [_("생년월일이 너무 이릅니다 — 1900-01-01 이후 날짜로 입력하세요")]
    if sex not in Person.Sex.values:
        errors["sex"] = [_("성별을 고르세요 (모르면 ‘미상’)")]
    return errors


def person_errors(
    *,
    actor: Actor,
    name: str = "",
    birth_date: datetime.date | None = None,
    sex: str = "",
    rrn: str = "",
    identity_known: bool = True,
    description: str = "",
    **_other,
) -> Errors:
    """Every problem with a person to be registered, at once: identity (or, unknown, what was
    observed) and the RRN. Used by ``person_create`` and by ``cases.services.case_register``, which
    adds the household's and the intake's problems to the same answer. ``_other``: the rest of a
    registration's person fields (phone, relation, age band), checked by the model."""
    name, description = (name or "").strip(), (description or "").strip()
    if identity_known:
        errors = _identity_errors(name=name, birth_date=birth_date, sex=sex)
    else:
        errors = {}
        if not description:
            errors["description"] = [_("본 것, 들은 것, 누가 알렸는지 적으세요 (예: 우편물이 쌓임, 옆집 주민 제보)")]
        if rrn:
            errors["rrn"] = [_("신원을 모르는 사람에게는 주민등록번호를 적지 않습니다. 칸을 비우세요.")]
        if birth_date is not None:
            errors.update(_identity_errors(name=UNKNOWN_NAME, birth_date=birth_date, sex=sex or Person.Sex.UNKNOWN))
    if identity_known:
        problems = _rrn_checked(actor=actor, raw=rrn, birth_date=birth_date, sex=sex)[2]
        if problems:
            errors.setdefault("rrn", []).extend(problems)
    return errors


def _full_clean(person: Person, errors: Errors) -> None:
    """Lengths, choices and the model's constraints added to ``errors``, then every problem raised in
    one answer (a field already refused keeps the service's words). The RRN's uniqueness is checked
    by the caller with its own words; the household and district were set by the service."""
    try:
        person.full_clean(
            exclude=["household", "district", "created_by", "merged_into", "rrn_encrypted", "rrn_hash", "uuid"]
        )
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            if field not in errors and not (field == NON_FIELD_ERRORS and errors):
                errors[field] = list(messages)
    if errors:
        raise ValidationError(errors)


def rrn_taken() -> str:
    return _("이미 등록된 주민등록번호입니다. 기존 당사자를 찾아 여세요.")


def _rrn_digest(
    errors: Errors, *, actor: Actor, rrn: str, birth_date: datetime.date | None, sex: str
) -> tuple[str, str]:
    """The RRN's digits and hash to store, once ``person_errors`` found nothing wrong with it."""
    if "rrn" in errors:
        return "", ""
    return _rrn_checked(actor=actor, raw=rrn, birth_date=birth_date, sex=sex)[:2]


def person_create(
    *,
    actor: Actor,
    household: Household,
    name: str = "",
    birth_date: datetime.date | None = None,
    sex: str = "",
    relation: str = Person.Relation.HEAD,
    phone: str = "",
    rrn: str = "",
    identity_known: bool = True,
    apparent_age_band: str = "",
    description: str = "",
    request: HttpRequest | None = None,
) -> Person:
    """Register a person of a household.

    Known (the default): name, birth date and sex (여, 남 or 미상) are required; the RRN is optional.
    Unknown (``identity_known=False``, a door that does not open): named ``UNKNOWN_NAME``, with what was
    observed (``description``, required), an apparent age band and sex 미상 unless seen; no RRN.
    Every problem is reported in one ValidationError (issue 13 item 8).
    """
    if household.district_id != actor.district_id:
        raise PermissionDenied(_("다른 시군구의 가구에는 가구원을 등록할 수 없습니다."))
    errors = person_errors(
        actor=actor,
        name=name,
        birth_date=birth_date,
        sex=sex,
        rrn=rrn,
        identity_known=identity_known,
        description=description,
    )
    name, description = (name or "").strip(), (description or "").strip()
    if not identity_known:
        name, sex = UNKNOWN_NAME, sex or Person.Sex.UNKNOWN
    digits, digest = _rrn_digest(errors, actor=actor, rrn=rrn, birth_date=birth_date, sex=sex)
    if digest and Person.objects.filter(district_id=household.district_id, rrn_hash=digest).exists():
        errors["rrn"] = [rrn_taken()]
    person = Person(
        district_id=household.district_id,
        household=household,
        name=name,
        birth_date=birth_date,
        sex=sex,
        relation=relation,
        phone=(phone or "").strip(),
        identity_known=identity_known,
        apparent_age_band=apparent_age_band or "",
        description=description,
        rrn_encrypted=digits or None,
        rrn_hash=digest,
        created_by=actor.user,
    )
    _full_clean(person, errors)
    try:
        with transaction.atomic():
            person.save()
            audit_record(actor=actor, action=Action.CREATE, obj=person, person_ids=[person.pk], request=request)
    except IntegrityError:  # the same RRN saved at the same moment by someone else
        raise ValidationError({"rrn": rrn_taken()}) from None
    return person


class DuplicatePersonFound(ValidationError):
    """Existing persons of the district may be the one being registered (``person_duplicate_check``).

    ``candidates`` are for the caller to show (in scope: the person and cases; out of scope: the
    lead agencies it may name). ``rrn_match``: the same RRN, a hard stop; otherwise the worker may
    confirm that it is someone else and try again.
    """

    def __init__(self, candidates: list[DuplicateCandidate]):
        self.candidates = candidates
        self.rrn_match = any(c.is_rrn_match for c in candidates)
        if self.rrn_match:
            error = ValidationError(
                _("같은 주민등록번호로 등록된 당사자가 있어 새로 등록할 수 없습니다. 기존 당사자를 여세요."),
                code="duplicate_person",
            )
            super().__init__({"rrn": error})
        else:
            error = ValidationError(
                _(
                    "같은 이름·생년월일의 당사자가 이미 있습니다. 기존 당사자를 열거나, "
                    "다른 사람임을 확인하고 다시 등록하세요."
                ),
                code="possible_duplicate",
            )
            super().__init__({"confirm_not_duplicate": error})


def person_duplicate_check(
    *,
    actor: Actor,
    name: str,
    birth_date: datetime.date | None,
    rrn: str = "",
    confirm_not_duplicate: bool = False,
    request: HttpRequest | None = None,
) -> list[DuplicateCandidate]:
    """The duplicate-person rule, before a person is registered or an unknown person identified.

    Looks for the same RRN or the same name and birth date in the district and writes the lookup to
    the access log (person ids only; the audit viewer flags many checks without a registration).
    Raises ``DuplicatePersonFound`` on an RRN match, or on a name-and-birth match unless the worker
    confirmed it is someone else; returns the (confirmed) candidates otherwise.
    """
    candidates = person_duplicate_candidates(actor=actor, name=name, birth_date=birth_date, rrn=rrn)
    audit_record(
        actor=actor,
        action=Action.LIST,
        object_type="person",
        request=request,
        person_ids=[c.person_id for c in candidates],
        detail=f"{DUPLICATE_CHECK}: {len(candidates)}",
    )
    if any(c.is_rrn_match for c in candidates) or (candidates and not confirm_not_duplicate):
        raise DuplicatePersonFound(candidates)
    return candidates


IDENTITY_COMPLETED = "identity completed"  # the access-log detail (audit.flags: answers a duplicate check)


def _household_may_change(actor: Actor, household: Household) -> None:
    if not households_in_scope(actor, CHANGE_CASE).filter(pk=household.pk).exists():  # selectors.person_may_change
        raise PermissionDenied(_("이 가구를 바꿀 권한이 없습니다."))


def person_complete_identity(
    *,
    actor: Actor,
    person: Person,
    name: str,
    birth_date: datetime.date | None,
    sex: str,
    phone: str = "",
    rrn: str = "",
    confirm_not_duplicate: bool = False,
    request: HttpRequest | None = None,
) -> Person:
    """Complete the identity of a person registered unknown, once the door opened.

    The same rules as registering a known person, and the duplicate check runs again: a match raises
    ``DuplicatePersonFound`` (the caller offers to merge with an existing household it may open,
    ``household_merge``, or to confirm that it is someone else).
    """
    _household_may_change(actor, person.household)
    if person.identity_known:
        raise ValidationError(_("이미 신원이 확인된 당사자입니다."))
    name, phone = (name or "").strip(), (phone or "").strip() or person.phone
    errors = person_errors(actor=actor, name=name, birth_date=birth_date, sex=sex, rrn=rrn)
    digits, digest = _rrn_digest(errors, actor=actor, rrn=rrn, birth_date=birth_date, sex=sex)
    completed = copy.copy(person)  # checked as it will be, every problem in one answer
    completed.name, completed.birth_date, completed.sex, completed.phone = name, birth_date, sex, phone
    completed.identity_known = True
    _full_clean(completed, errors)
    person_duplicate_check(
        actor=actor,
        name=name,
        birth_date=birth_date,
        rrn=rrn,
        confirm_not_duplicate=confirm_not_duplicate,
        request=request,
    )
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        person.name, person.birth_date, person.sex, person.phone = name, birth_date, sex, phone
        person.identity_known = True
        person.rrn_encrypted, person.rrn_hash = digits or None, digest
        try:
            with transaction.atomic():
                person.save()  # the change history keeps the unknown registration
        except IntegrityError:
            raise ValidationError({"rrn": rrn_taken()}) from None
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=person,
            person_ids=[person.pk],
            request=request,
            detail=IDENTITY_COMPLETED,
        )
    return person


def _foreign_keys_to(target: type[models.Model]) -> list[tuple[type[models.Model], Any]]:
    """(model, field) of every foreign key to ``target`` outside the people app and the change histories.

    Read from the app registry rather than listed, so that a model added later is merged too
    (``_meta.related_objects`` leaves out relations declared with ``related_name="+"``)."""
    return [
        (model, field)
        for model in apps.get_models()
        if model._meta.app_label != "people" and not model.__name__.startswith("Historical")
        for field in model._meta.fields
        if field.is_relation and field.many_to_one and getattr(field.remote_field, "model", None) is target
    ]


def household_merge(*, actor: Actor, person: Person, into: Person, request: HttpRequest | None = None) -> Household:
    """Merge the household registered for an unknown ``person`` into the household of ``into``, the
    same person already known, found when the identity was completed.

    The actor may change the unknown person's household and open the other one. Everything about the
    unknown person (needs, consents, …) now names ``into``; the household's cases and other members
    move over; the unknown person and its household stay as records of the merge (``merged_into``),
    with their change history. The merge is audited with both households and persons.
    """
    source = person.household
    _household_may_change(actor, source)
    if not households_in_scope(actor).filter(pk=into.household_id).exists():
        raise PermissionDenied(_("열 수 없는 가구와는 합칠 수 없습니다. 구 통합사례관리 관리자에게 문의하세요."))
    if person.identity_known or person.merged_into_id:
        raise ValidationError(_("신원 미상으로 등록된 당사자만 기존 당사자와 합칠 수 있습니다."))
    if into.household_id == source.pk or into.merged_into_id or into.district_id != person.district_id:
        raise ValidationError(_("합칠 수 없는 당사자입니다."))
    target = into.household
    with transaction.atomic():
        # Rows that name the unknown person now name the known one (history models and the merge
        # links themselves excluded). Generic over the relations so that a new one is not forgotten.
        for model, field in _foreign_keys_to(Person):
            model._default_manager.filter(**{field.name: person}).update(**{field.name: into})
        for other in source.members.exclude(pk=person.pk).filter(merged_into__isnull=True):
            other.household = target
            other.save(update_fields=["household", "updated_at"])
        for case in source.cases.all():
            case.household = target
            case.save(update_fields=["household", "updated_at"])  # kept in the case's change history
        for model, field in _foreign_keys_to(Household):
            if model is not Case:
                model._default_manager.filter(**{field.name: source}).update(**{field.name: target})
        person.merged_into = into
        person.save(update_fields=["merged_into", "updated_at"])
        source.merged_into = target
        source.save(update_fields=["merged_into", "updated_at"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=target,
            person_ids=[into.pk, person.pk],
            request=request,
            detail=f"merged household {source.pk} into {target.pk} (person {person.pk} -> {into.pk})",
        )
    return target
