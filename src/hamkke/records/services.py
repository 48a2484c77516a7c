"""Writes for service records (서비스 제공 기록) and contact records (상담·방문 기록).

Every agency working the case records its own work (RECORD_WORK: the lead agency and the
participating agencies a consent in force names). Many services can be entered at once, all or
nothing: one bad row and nothing is saved.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkke.access.policy import RECORD_WORK, can
from hamkke.accounts.actor import Actor
from hamkke.audit.models import Action
from hamkke.audit.services import audit_record
from hamkke.cases.models import Case
from hamkke.cases.stages import Stage
from hamkke.core.domains import LifeDomain
from hamkke.core.event_time import event_at_errors, event_day_errors
from hamkke.core.validation import clean_fields
from hamkke.plans.models import PlanAction

from .models import ContactRecord, ServiceRecord

SERVICE_ROW_FIELDS = frozenset(
    {
        "provided_on",
        "domain",
        "mode",
        "description",
        "provider_agency",
        "resource",
        "amount_kind",
        "amount",
        "plan_action",
    }
)
MAX_AMOUNT = Decimal(10) ** 12  # the column holds 12 digits


class ServiceRowsInvalid(ValidationError):
    """Some rows of a batch were refused; ``row_errors`` maps a row's position to its errors."""

    def __init__(self, row_errors: dict[int, ValidationError]):
        self.row_errors = row_errors
        super().__init__(_("오류가 있는 행이 있어 아무것도 저장하지 않았습니다. 표시된 행을 고쳐 주세요."))


def _replayed(model, *, actor: Actor, case: Case, keys: Sequence[uuid.UUID]) -> list | None:
    """The records an earlier request with these keys made (in ``keys`` order), or None.

    A key is the client's promise that two requests are one: a double tap, a resend after a lost
    answer, an offline note sent twice. The repeat gets the first answer and creates nothing. A key
    used by someone else or for another case is refused, never answered with their record.
    """
    found = {r.idempotency_key: r for r in model.objects.filter(district_id=case.district_id, idempotency_key__in=keys)}
    if not found:
        return None
    if any(r.case_id != case.pk or r.recorded_by_id != actor.user.pk for r in found.values()):
        raise ValidationError(
            _("이 요청 키는 이미 다른 기록에 쓰였습니다. 화면을 새로 열어 다시 입력하세요."),
            code="idempotency_key_reused",
        )
    records = [found[key] for key in keys if key in found]
    for record in records:
        record.replayed = True  # the caller may answer "already there" (API: 200 instead of 201)
    return records


def row_keys(idempotency_key: uuid.UUID, count: int) -> list[uuid.UUID]:
    """One key per row of a batch, derived from the form's key (the constraint is per record)."""
    return [uuid.uuid5(idempotency_key, str(position)) for position in range(count)]


def _check_may_record(actor: Actor, case: Case) -> None:
    if not can(actor, RECORD_WORK, case):
        raise PermissionDenied(_("이 사례에 기록할 권한이 없습니다."))


def _clean_amount(amount_kind: str, amount: Any) -> tuple[Decimal | None, str | None]:
    """The amount in whole won, or the reason it is refused."""
    if amount is None or amount == "":
        if amount_kind == ServiceRecord.AmountKind.MONEY:
            return None, _("현금 지원은 금액을 적어야 합니다.")
        return None, None
    if not amount_kind:
        return None, _("금액은 금품 구분이 현금 또는 현물일 때만 적습니다.")
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return None, _("금액은 숫자로 적으세요.")
    if not value.is_finite() or value < 0:
        return None, _("금액은 0원 이상이어야 합니다.")
    if value != value.to_integral_value():
        return None, _("금액은 원 단위(정수)로 적으세요.")
    if value >= MAX_AMOUNT:
        return None, _("금액이 너무 큽니다.")
    return value, None


def _clean_service_row(actor: Actor, case: Case, row: Mapping[str, Any], today: datetime.date) -> dict[str, Any]:
    unknown = set(row) - SERVICE_ROW_FIELDS
    if unknown:
        raise TypeError(f"unknown service record fields: {sorted(unknown)}")
    errors: dict[str, str] = {}
    provided_on = row.get("provided_on")
    if not isinstance(provided_on, datetime.date):
        errors["provided_on"] = _("제공일을 입력하세요.")
    else:
        errors.update(event_day_errors(case, "provided_on", provided_on, today=today))
    domain = row.get("domain") or ""
    if domain not in LifeDomain.values:
        errors["domain"] = _("서비스 영역을 고르세요.")
    mode = row.get("mode") or ""
    if mode not in ServiceRecord.Mode.values:
        errors["mode"] = _("제공 방식(직접 제공/연계)을 고르세요.")
    membership = actor.membership
    if membership is None:  # refused by _check_may_record before: no membership, no right to record
        raise PermissionDenied(_("이 사례에 기록할 권한이 없습니다."))
    provider = row.get("provider_agency") or membership.agency
    if provider.district_id != case.district_id or not provider.is_active:
        errors["provider_agency"] = _("제공 기관은 이 시군구에서 활동 중인 기관이어야 합니다.")
    resource = row.get("resource")
    if resource is not None and (resource.district_id != case.district_id or not resource.is_active):
        errors["resource"] = _("자원은 이 시군구의 사용 중인 자원이어야 합니다.")
    amount_kind = row.get("amount_kind") or ""
    if amount_kind not in ServiceRecord.AmountKind.values:
        errors["amount_kind"] = _("금품 구분을 고르세요.")
    amount, amount_error = _clean_amount(amount_kind, row.get("amount"))
    if amount_error:
        errors["amount"] = amount_error
    plan_action = row.get("plan_action")
    if (
        plan_action is not None
        and not PlanAction.objects.filter(
            pk=plan_action.pk, district_id=case.district_id, goal__plan__case_id=case.pk
        ).exists()
    ):
        errors["plan_action"] = _("이 사례의 서비스 계획에 있는 실행 계획만 고를 수 있습니다.")
    description = (row.get("description") or "").strip()
    if not description:
        errors["description"] = _("제공한 서비스 내용을 적으세요.")
    clean_fields(ServiceRecord(description=description), ["description"], errors=errors)
    return {
        "provided_on": provided_on,
        "domain": domain,
        "mode": mode,
        "provider_agency": provider,
        "resource": resource,
        "amount_kind": amount_kind,
        "amount": amount,
        "plan_action": plan_action,
        "description": description,
    }


def service_records_add(
    *,
    actor: Actor,
    case: Case,
    rows: Sequence[Mapping[str, Any]],
    request: HttpRequest | None = None,
    idempotency_key: uuid.UUID | None = None,
) -> list[ServiceRecord]:
    """Record several services at once, all or nothing.

    With an ``idempotency_key``, sending the same batch again returns the records of the first
    sending (each marked ``replayed``) and creates nothing.

    Each row has the keyword arguments of ``service_record_add`` (``provided_on``, ``domain``,
    ``mode``, ``description``, and optionally ``provider_agency`` — default: the actor's agency —
    ``resource``, ``amount_kind``, ``amount``, ``plan_action``). When any row breaks a rule,
    ``ServiceRowsInvalid`` carries every row's errors and nothing is saved.
    """
    _check_may_record(actor, case)
    given = row_keys(idempotency_key, len(rows)) if idempotency_key is not None else []
    if given:
        replayed = _replayed(ServiceRecord, actor=actor, case=case, keys=given)
        if replayed:
            return replayed
    keys: list[uuid.UUID | None] = [*given] if given else [None] * len(rows)
    if not rows:
        raise ValidationError(_("기록할 서비스를 한 줄 이상 입력하세요."))
    today = timezone.localdate()
    cleaned, row_errors = [], {}
    for position, row in enumerate(rows):
        try:
            cleaned.append(_clean_service_row(actor, case, row, today))
        except ValidationError as error:
            row_errors[position] = error
    if row_errors:
        raise ServiceRowsInvalid(row_errors)
    try:
        with transaction.atomic():
            records = []
            for values, key in zip(cleaned, keys, strict=True):
                record = ServiceRecord.objects.create(
                    district_id=case.district_id, case=case, recorded_by=actor.user, idempotency_key=key, **values
                )
                audit_record(
                    actor=actor,
                    action=Action.CREATE,
                    obj=record,
                    case_id=case.pk,
                    request=request,
                    detail=f"service {record.domain}/{record.mode}",
                )
                records.append(record)
    except IntegrityError:
        # The same batch, sent twice at once: the other request committed first.
        replayed = _replayed(ServiceRecord, actor=actor, case=case, keys=given) if given else None
        if not replayed:
            raise
        return replayed
    return records


def service_record_add(
    *,
    actor: Actor,
    case: Case,
    provided_on: datetime.date,
    domain: str,
    mode: str,
    description: str,
    provider_agency=None,
    resource=None,
    amount_kind: str = "",
    amount: Decimal | int | None = None,
    plan_action: PlanAction | None = None,
    request: HttpRequest | None = None,
    idempotency_key: uuid.UUID | None = None,
) -> ServiceRecord:
    """Record one service delivered (직접 제공) or linked (연계) for the case.

    Rules: provided on a day between the case's opening and today; amount only for money or
    goods, whole won, 0 or more (required for money); provider agency and resource active in the
    case's district; the plan action from one of the case's plans.
    """
    row = {
        "provided_on": provided_on,
        "domain": domain,
        "mode": mode,
        "description": description,
        "provider_agency": provider_agency,
        "resource": resource,
        "amount_kind": amount_kind,
        "amount": amount,
        "plan_action": plan_action,
    }
    try:
        [record] = service_records_add(
            actor=actor, case=case, rows=[row], request=request, idempotency_key=idempotency_key
        )
    except ServiceRowsInvalid as error:
        raise error.row_errors[0] from None
    return record


def contact_purpose_for(case: Case) -> str:
    """The purpose a contact has by default at the case's stage: follow-up after closure, monitoring
    while services run, casework before (the monitoring and follow-up counts read the purpose)."""
    if case.stage == Stage.FOLLOW_UP:
        return ContactRecord.Purpose.FOLLOW_UP
    if case.stage in (Stage.DELIVERY, Stage.LINKAGE, Stage.REASSESSMENT):
        return ContactRecord.Purpose.MONITORING
    return ContactRecord.Purpose.CASEWORK


def contact_record_add(
    *,
    actor: Actor,
    case: Case,
    contacted_at: datetime.datetime,
    kind: str,
    outcome: str,
    purpose: str = ContactRecord.Purpose.CASEWORK,
    with_whom: str = "",
    note: str = "",
    next_contact_on: datetime.date | None = None,
    sensitive: bool = False,
    request: HttpRequest | None = None,
    idempotency_key: uuid.UUID | None = None,
) -> ContactRecord:
    """Record a visit, call or attempt by the actor's agency — including no answer and refusal.

    Every record counts: for a refusing household, the contacts since it entered "refused" are
    the attempts. The next planned contact must come after this one. With an ``idempotency_key``,
    a repeat returns the first record (marked ``replayed``) and creates nothing. ``contacted_at`` is
    when it happened (from the case's first contact up to now, ``core.event_time``); the record keeps
    who typed it and when (``recorded_by``, ``created_at``).
    """
    _check_may_record(actor, case)
    if idempotency_key is not None:
        replayed = _replayed(ContactRecord, actor=actor, case=case, keys=[idempotency_key])
        if replayed:
            return replayed[0]
    errors: dict[str, str] = event_at_errors(case, "contacted_at", contacted_at)
    if kind not in ContactRecord.Kind.values:
        errors["kind"] = _("방법을 고르세요.")
    if outcome not in ContactRecord.Outcome.values:
        errors["outcome"] = _("결과를 고르세요.")
    if purpose not in ContactRecord.Purpose.values:
        errors["purpose"] = _("목적을 고르세요.")
    if (
        next_contact_on is not None
        and "contacted_at" not in errors
        and (next_contact_on <= timezone.localtime(contacted_at).date())
    ):
        errors["next_contact_on"] = _("다음 접촉 예정일은 이번 접촉일 이후여야 합니다.")
    record = ContactRecord(
        district_id=case.district_id,
        case=case,
        contacted_at=contacted_at,
        kind=kind,
        outcome=outcome,
        purpose=purpose,
        with_whom=(with_whom or "").strip(),
        note=(note or "").strip(),
        next_contact_on=next_contact_on,
        agency_id=actor.agency_id,
        recorded_by=actor.user,
        sensitive=bool(sensitive),
        idempotency_key=idempotency_key,
    )
    clean_fields(record, ["with_whom"], errors=errors)
    try:
        with transaction.atomic():
            record.save()
            audit_record(
                actor=actor,
                action=Action.CREATE,
                obj=record,
                case_id=case.pk,
                request=request,
                detail=f"contact {kind}/{outcome}",
            )
    except IntegrityError:
        # The same note, sent twice at once: the other request committed first.
        replayed = _replayed(ContactRecord, actor=actor, case=case, keys=[idempotency_key]) if idempotency_key else None
        if not replayed:
            raise
        return replayed[0]
    return record
