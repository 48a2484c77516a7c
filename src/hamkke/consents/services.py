"""Recording and withdrawing consent to information sharing (DOMAIN.md §6)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkke.access.policy import CHANGE_CASE, can
from hamkke.accounts.actor import Actor
from hamkke.audit.models import Action
from hamkke.audit.services import audit_record
from hamkke.core.event_time import event_day_errors

from .models import Consent

GUARDIAN_AGE = 14  # under 14, a legal guardian consents (개인정보 보호법 제22조의2)


def consent_record(
    *,
    actor: Actor,
    case,
    person,
    given_on: datetime.date,
    required_collection: bool,
    expires_on: datetime.date | None = None,
    optional_items: list[str] | None = None,
    share_with_district_network: bool = False,
    third_party_agencies=(),
    sensitive_data: bool = False,
    guardian_name: str = "",
    guardian_relation: str = "",
    request: HttpRequest | None = None,
) -> Consent:
    if not can(actor, CHANGE_CASE, case):
        raise PermissionDenied(_("이 사례의 동의를 기록할 권한이 없습니다."))
    errors: dict[str, list[str]] = {}
    if person.household_id != case.household_id:
        errors["person"] = [_("동의인은 이 사례 가구의 구성원이어야 합니다.")]
    if not required_collection:
        errors["required_collection"] = [_("필수 항목 수집·이용에 동의해야 사례관리를 진행할 수 있습니다.")]
    # When it was given (from the case's first contact up to today); the record keeps who typed it and when.
    errors.update((field, [message]) for field, message in event_day_errors(case, "given_on", given_on).items())
    if expires_on and expires_on < given_on:
        errors["expires_on"] = [_("만료일은 동의일 이후여야 합니다.")]
    age = person.age_on(given_on)  # None while the identity is unknown
    if age is not None and age < GUARDIAN_AGE and not (guardian_name.strip() and guardian_relation.strip()):
        errors["guardian_name"] = [_("만 14세 미만은 법정대리인이 동의해야 합니다. 법정대리인 성명과 관계를 적으세요.")]
    agencies = list(third_party_agencies)
    if any(a.district_id != case.district_id for a in agencies):
        errors["third_party_agencies"] = [_("다른 시군구의 기관에는 제공할 수 없습니다.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        consent = Consent.objects.create(
            district_id=case.district_id,
            case=case,
            person=person,
            given_on=given_on,
            expires_on=expires_on,
            required_collection=required_collection,
            optional_items=optional_items or [],
            share_with_district_network=share_with_district_network,
            sensitive_data=sensitive_data,
            guardian_name=guardian_name.strip(),
            guardian_relation=guardian_relation.strip(),
            recorded_by=actor.user,
        )
        consent.third_party_agencies.set(agencies)
        audit_record(
            actor=actor, action=Action.CREATE, obj=consent, case_id=case.pk, person_ids=[person.pk], request=request
        )
    return consent


def consent_withdraw(
    *, actor: Actor, consent: Consent, on: datetime.date | None = None, request: HttpRequest | None = None
) -> Consent:
    """Withdrawal takes effect the same day: participating agencies lose access at once."""
    if not can(actor, CHANGE_CASE, consent.case):
        raise PermissionDenied(_("이 사례의 동의를 바꿀 권한이 없습니다."))
    if consent.withdrawn_on:
        raise ValidationError(_("이미 철회된 동의입니다."))
    on = on or timezone.localdate()
    if on < consent.given_on:
        raise ValidationError(_("철회일은 동의일 이후여야 합니다."))
    consent.withdrawn_on = on
    with transaction.atomic():
        consent.save(update_fields=["withdrawn_on", "updated_at"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=consent,
            case_id=consent.case_id,
            person_ids=[consent.person_id],
            request=request,
            detail="withdrawn",
        )
    return consent
