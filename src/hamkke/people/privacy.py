"""Privacy services (issue 8 §4–5): RRN key rotation, full-RRN display, retention anonymisation and
the data subject's access request (정보주체 열람 청구).

- RRN key rotation re-encrypts every stored RRN with the primary field-encryption key (the first
  salt of ``HAMKKE_FIELD_ENCRYPTION_SALTS``), batch by batch, each batch its own short transaction.
  Rows stay readable throughout because the older salts stay in the list until the rotation and
  its verification are done.
- The full RRN is shown only to a user holding ``people.view_full_rrn``, in an agency with a legal
  basis for RRNs, for a person in their case scope, with a stated reason: audited, the number never.
- Anonymisation (retention, DOMAIN.md §6): a household whose every case was closed more than
  ``HAMKKE_CASE_RETENTION_YEARS`` ago loses names, contact data, RRN, exact birth date, street
  address and every free text of its cases, in the live rows and in their change history. Dates,
  stages, categories, amounts and row counts stay, so the statistics do not change. The access log
  is untouched (ids only, append-only).
- The access request export gathers what Hamkke holds about one person, including the access-log
  rows that name them (who read their data, when). Its records of each case are built from the
  personal-data declarations (``core.personal``): a section per declared model bound to a case, the
  declared texts and the facts of each row, through the sensitive-data rule.

Commands run as the *system* (``SYSTEM``): no user, district taken from the object. The audit rows
they write have an empty user and say what the job did.
"""

from __future__ import annotations

import datetime
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Case as SqlCase
from django.db.models import Exists, F, OuterRef, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Cast
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from encrypted_fields.fields import EncryptedCharField

from hamkke.access.policy import ANONYMISE, CHANGE_CASE, VIEW_CASE, cases_in_scope, may, may_see_rrn
from hamkke.access.sensitive import may_see_sensitive, visible_rows, withhold_fields
from hamkke.accounts.actor import Actor
from hamkke.audit.models import AccessLog, Action
from hamkke.audit.services import audit_record
from hamkke.cases.models import Case
from hamkke.cases.stages import INACTIVE
from hamkke.core import personal
from hamkke.core import rrn as rrn_rules

from .models import Household, Person
from .selectors import households_in_scope

SYSTEM = Actor(user=AnonymousUser(), membership=None)
MIN_REASON_LENGTH = 5
FULL_RRN_PERMISSION = "people.view_full_rrn"
RRN_LIKE = re.compile(r"\d{6}\s*-?\s*\d{7}")


def _clean_reason(reason: str) -> str:
    """A stated reason of at least MIN_REASON_LENGTH characters, with any RRN typed into it masked.

    The reason goes into the access log, which must never hold an RRN (ARCHITECTURE.md).
    """
    reason = " ".join((reason or "").split())
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError({"reason": _("사유를 %(n)d자 이상 적으세요.") % {"n": MIN_REASON_LENGTH}})
    return RRN_LIKE.sub(lambda m: rrn_rules.mask(m.group()), reason)


# --- RRN key rotation ------------------------------------------------------------------------


@dataclass
class RotationReport:
    total: int = 0  # stored RRN tokens seen
    current: int = 0  # already under the primary key
    rotated: int = 0  # re-encrypted now (or, in a dry run, would be)
    unreadable: int = 0  # no configured key opens them: a salt was removed too early
    changed_meanwhile: int = 0  # saved by the application during the run (already under the new keys)


@dataclass
class VerifyReport:
    total: int = 0
    ok: int = 0  # open with the primary key alone
    failing: int = 0  # would fail if the older salts were removed now
    unreadable: int = 0  # open with no configured key at all (counted in failing too)


def _fernets() -> tuple[Fernet, MultiFernet]:
    """(primary, all) Fernet keys from the settings as they are *now*.

    The model field derives its keys once per process and caches them; a fresh field derives them
    from the current settings, in the field library's own way (SECRET_KEY (+ fallbacks) x salts).
    """
    keys = EncryptedCharField().keys
    return Fernet(keys[0]), MultiFernet([Fernet(key) for key in keys])


def _raw_tokens() -> QuerySet[Person]:
    """Persons with a stored RRN, annotated with the stored token as it is (not decrypted)."""
    return Person.objects.filter(rrn_encrypted__isnull=False).annotate(token=Cast("rrn_encrypted", TextField()))


def _token_batches(batch_size: int) -> Iterator[list[tuple[int, str]]]:
    """(pk, token) in pk order, batch by batch (keyset pagination: no growing offsets)."""
    last = 0
    while True:
        rows = list(_raw_tokens().filter(pk__gt=last).order_by("pk").values_list("pk", "token")[:batch_size])
        if not rows:
            return
        last = rows[-1][0]
        yield rows


def _opens(fernet: Fernet | MultiFernet, token: str) -> bool:
    try:
        fernet.decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def rrn_keys_rotate(*, batch_size: int = 500, dry_run: bool = False) -> RotationReport:
    """Re-encrypt every stored RRN with the primary key. Idempotent: rows already under it are skipped.

    Each batch is one short transaction, and each row is written only if its token is still the one
    read (a worker saving the person meanwhile wins: their save used the new keys already).
    """
    primary, every = _fernets()
    report = RotationReport()
    for rows in _token_batches(batch_size):
        with transaction.atomic():
            for pk, token in rows:
                report.total += 1
                if _opens(primary, token):
                    report.current += 1
                    continue
                try:
                    new_token = every.rotate(token.encode()).decode()
                except InvalidToken:
                    report.unreadable += 1
                    continue
                if dry_run:
                    report.rotated += 1
                    continue
                written = (
                    _raw_tokens()
                    .filter(pk=pk, token=token)
                    .update(rrn_encrypted=Value(new_token, output_field=TextField()))
                )
                if written:
                    report.rotated += 1
                else:
                    report.changed_meanwhile += 1
    if not dry_run and report.rotated:
        audit_record(
            actor=SYSTEM,
            action=Action.UPDATE,
            object_type="person",
            detail=f"RRN key rotation: {report.rotated} re-encrypted",
        )
    return report


def rrn_keys_verify(*, batch_size: int = 1000) -> VerifyReport:
    """Open every stored token with the primary key only: 0 failing means the old salts may go."""
    primary, every = _fernets()
    report = VerifyReport()
    for rows in _token_batches(batch_size):
        for _pk, token in rows:
            report.total += 1
            if _opens(primary, token):
                report.ok += 1
            else:
                report.failing += 1
                report.unreadable += not _opens(every, token)
    return report


# --- Full RRN ---------------------------------------------------------------------------------


def may_view_full_rrn(actor: Actor) -> bool:
    """The user holds the permission and their agency has a legal basis for RRNs (scope is checked apart)."""
    return actor.user.is_authenticated and actor.user.has_perm(FULL_RRN_PERMISSION) and may_see_rrn(actor)


def person_rrn_reveal(*, actor: Actor, person: Person, reason: str, request: HttpRequest | None = None) -> str:
    """The whole RRN ('900101-1234567') for one display, audited with the reason (never with the number)."""
    if not may_view_full_rrn(actor):
        raise PermissionDenied(_("주민등록번호 전체를 볼 권한이 없습니다."))
    if not households_in_scope(actor, VIEW_CASE).filter(pk=person.household_id).exists():
        raise PermissionDenied(_("담당 사례의 당사자가 아닙니다."))
    reason = _clean_reason(reason)
    if not person.has_rrn:
        raise ValidationError({"rrn": _("이 당사자는 주민등록번호가 등록되어 있지 않습니다.")})
    digits = rrn_rules.normalize(person.rrn_encrypted or "")
    if not re.fullmatch(r"\d{13}", digits):  # no configured key opens the stored token
        raise ValidationError({"rrn": _("주민등록번호를 복호화할 수 없습니다. 시스템 관리자에게 알리세요.")})
    audit_record(
        actor=actor,
        action=Action.VIEW,
        obj=person,
        person_ids=[person.pk],
        request=request,
        detail=f"full RRN: {reason}",
    )
    return f"{digits[:6]}-{digits[6:]}"


# --- Retention: anonymising closed cases ------------------------------------------------------

PLACEHOLDER = "[익명 처리]"
ANONYMOUS_PREFIX = "익명-"

# Free texts of a case's records come from the declarations on the models (hamkke.core.personal:
# ``personal.case_texts()``, read when a household is anonymised, after every model is loaded). A text
# is replaced by PLACEHOLDER; an empty one stays empty (so "was there a note" still counts right).
# Models with a change history get the same treatment in their historical table. Conferences (about
# several cases) lose their own declared texts only when every case they discussed is anonymised.
# Approval payloads hold codes (kept) and texts (replaced) — see hamkke.approvals.payloads.
PAYLOAD_TEXT_KEYS = {"note", "evaluation", "description"}


def retention_cutoff(*, today: datetime.date | None = None, years: int | None = None) -> datetime.date:
    """Cases closed before this day are past the retention period."""
    today = today or timezone.localdate()
    years = settings.HAMKKE_CASE_RETENTION_YEARS if years is None else years
    if years < 1:
        raise ValidationError({"years": _("보존 기간은 1년 이상이어야 합니다.")})
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _case_past_retention(cutoff: datetime.date) -> Q:
    return Q(stage__in=INACTIVE, closed_on__isnull=False, closed_on__lt=cutoff)


def _households_past_retention(cutoff: datetime.date) -> QuerySet[Household]:
    """Households with cases, every one of them closed before the cutoff (none open, none closed since)."""
    cases = Case.objects.filter(household=OuterRef("pk"))
    return Household.objects.filter(Exists(cases)).exclude(Exists(cases.exclude(_case_past_retention(cutoff))))


def _still_identifying() -> Q:
    """Household rows that still hold personal data (the anonymised form is the dong and placeholders)."""
    members_left = Person.objects.filter(household=OuterRef("pk")).filter(
        ~Q(name__startswith=ANONYMOUS_PREFIX) | ~Q(phone="") | ~Q(rrn_hash="") | Q(rrn_encrypted__isnull=False)
    )
    return ~Q(address=F("dong__name")) | ~Q(address_detail="") | Exists(members_left)


def households_due_for_anonymisation(*, cutoff: datetime.date, district_id: int | None = None) -> QuerySet[Household]:
    households = _households_past_retention(cutoff).filter(_still_identifying())
    if district_id is not None:
        households = households.filter(district_id=district_id)
    return households.order_by("pk")


@dataclass
class YearCount:
    cases: int = 0
    households: int = 0
    persons: int = 0


@dataclass
class RetentionReport:
    cutoff: datetime.date
    applied: bool
    by_year: dict[int, YearCount] = field(default_factory=lambda: defaultdict(YearCount))

    def total(self) -> YearCount:
        return YearCount(
            *(sum(getattr(c, name) for c in self.by_year.values()) for name in ("cases", "households", "persons"))
        )


def _blank_texts(qs: QuerySet, fields: tuple[str, ...]) -> None:
    """One UPDATE: every non-empty text of ``fields`` becomes PLACEHOLDER."""
    qs.update(**{name: SqlCase(When(**{name: ""}, then=Value("")), default=Value(PLACEHOLDER)) for name in fields})


def _scrub_payload(value):
    if isinstance(value, dict):
        return {
            key: (PLACEHOLDER if key in PAYLOAD_TEXT_KEYS and isinstance(item, str) and item else _scrub_payload(item))
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_scrub_payload(item) for item in value]
    return value


def anonymous_household_values(household: Household) -> dict:
    """The anonymised value of every identity field declared on Household (the dong stays)."""
    return {"address": household.dong.name, "address_detail": ""}


def anonymous_person_values(person: Person) -> dict:
    """The anonymised value of every identity field declared on Person, and the birth day (year kept)."""
    return {
        "name": f"{ANONYMOUS_PREFIX}{person.reference}",
        "phone": "",
        "rrn_encrypted": None,
        "rrn_hash": "",
        "description": "",
        "birth_date": person.birth_date.replace(month=1, day=1) if person.birth_date else None,
    }


def _anonymise_household(*, actor: Actor, household: Household, cutoff: datetime.date) -> list[Case] | None:
    """Anonymise one household and its cases in one transaction; None when it is no longer due."""
    with transaction.atomic():
        household = Household.objects.select_for_update().select_related("dong").get(pk=household.pk)
        cases = list(Case.objects.select_for_update().filter(household=household).order_by("pk"))
        if not households_due_for_anonymisation(cutoff=cutoff).filter(pk=household.pk).exists():
            return None  # reopened, a new case, or anonymised by a parallel run since the report
        members = list(household.members.order_by("pk"))
        address = anonymous_household_values(household)
        Household.objects.filter(pk=household.pk).update(**address)
        Household.history.model.objects.filter(id=household.pk).update(**address)
        history_fields = {f.name for f in Person.history.model._meta.concrete_fields}
        for person in members:
            values = anonymous_person_values(person)
            Person.objects.filter(pk=person.pk).update(**values)
            Person.history.model.objects.filter(id=person.pk).update(
                **{name: value for name, value in values.items() if name in history_fields}
            )
        case_ids = [case.pk for case in cases]
        for label, path, fields in personal.case_texts():
            model = apps.get_model(label)
            _blank_texts(model.objects.filter(**{f"{path}__in": case_ids}), fields)
            if hasattr(model, "history"):
                _blank_texts(
                    model.history.model.objects.filter(**{f"{path if path != 'pk' else 'id'}__in": case_ids}), fields
                )
        approvals = apps.get_model("approvals.ApprovalRequest").objects.filter(case_id__in=case_ids)
        for approval_id, payload in approvals.values_list("pk", "payload"):
            approvals.filter(pk=approval_id).update(payload=_scrub_payload(payload))
        conferences = apps.get_model("conferences.Conference").objects
        still_kept = Case.objects.exclude(_case_past_retention(cutoff)).values("pk")
        only_ours = conferences.filter(discussed__case__in=case_ids).exclude(discussed__case__in=still_kept)
        _blank_texts(
            conferences.filter(pk__in=only_ours.values("pk")),
            personal.declaration("conferences.Conference").client_texts,
        )
        person_ids = [person.pk for person in members]
        for case in cases:
            audit_record(
                actor=actor, action=Action.UPDATE, obj=case, case_id=case.pk, person_ids=person_ids, detail="anonymised"
            )
    return cases


def anonymise_closed_cases(
    *,
    actor: Actor = SYSTEM,
    apply: bool = False,
    today: datetime.date | None = None,
    years: int | None = None,
    district_id: int | None = None,
) -> RetentionReport:
    """Report (dry run, the default) or anonymise the households past the retention period.

    Idempotent: an anonymised household no longer holds identifying data and is not counted again.
    A district admin actor limits the run to their district; the system actor (a scheduled job)
    covers every district unless ``district_id`` is given.
    """
    if actor.membership is not None:
        if not may(actor, ANONYMISE):
            raise PermissionDenied(_("시군구 통합사례관리 관리자만 익명 처리를 할 수 있습니다."))
        district_id = actor.district_id
    cutoff = retention_cutoff(today=today, years=years)
    report = RetentionReport(cutoff=cutoff, applied=apply)
    households = households_due_for_anonymisation(cutoff=cutoff, district_id=district_id)
    for household in households.prefetch_related("cases", "members"):
        cases = list(household.cases.all())
        members = len(household.members.all())
        if apply:
            cases = _anonymise_household(actor=actor, household=household, cutoff=cutoff)
            if cases is None:
                continue
        last_year = max(case.closed_on.year for case in cases)
        report.by_year[last_year].households += 1
        report.by_year[last_year].persons += members
        for case in cases:
            report.by_year[case.closed_on.year].cases += 1
    return report


# --- Access request (정보주체 열람 청구) ----------------------------------------------------------


def person_export_allowed(*, actor: Actor, person: Person) -> bool:
    """A worker who may change one of the person's household's cases (the lead agency's team)."""
    return cases_in_scope(actor, CHANGE_CASE).filter(household_id=person.household_id).exists()


def _day(value) -> str | None:
    return value.isoformat() if value else None


def _moment(value) -> str | None:
    return timezone.localtime(value).isoformat(timespec="minutes") if value else None


# What a declared row shows besides its declared texts: keys, versions, request keys and the rows it
# belongs to (the case, the district) say nothing about the person; updated_at is bookkeeping.
_NOT_SHOWN = frozenset({"uuid", "district", "case", "lock_version", "idempotency_key", "updated_at"})


def _shown_by_name(field) -> bool:
    """A relation shown as the related row's name: the person, or a directory entry (an agency, a dong,
    a case type, a resource: declared, bound to no case, holding no one's data). Not users or other
    staff data, and not the case's other records (they have their own section, under their own rules)."""
    target = field.related_model
    if target is Person:
        return True
    found = personal.REGISTRY.get(target._meta.label)
    return (
        found is not None
        and found.case_path is None
        and not (found.client_texts or found.client_identity or found.staff)
    )


def _export_fields(model, found: personal.Declaration) -> list:
    """The fields of a declared model that the access request shows: its declared texts about the
    person, and every fact that is not text (dates, codes, amounts, yes/no, named relations)."""
    told = set(found.client_texts) | set(found.client_identity)
    fields = []
    for candidate in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        if candidate.primary_key or candidate.name in _NOT_SHOWN:
            continue
        if candidate.is_relation:
            shown = _shown_by_name(candidate)
        elif personal.is_text_field(candidate):
            shown = candidate.name in told
        else:
            shown = True
        if shown:
            fields.append(candidate)
    return fields


def _export_value(row, field):
    if field.many_to_many:
        return sorted(str(related) for related in getattr(row, field.name).all())
    if field.is_relation:
        related = getattr(row, field.name)
        return str(related) if related is not None else None
    if field.choices:
        return str(getattr(row, f"get_{field.name}_display")())
    value = getattr(row, field.attname)
    if isinstance(value, datetime.datetime):
        return _moment(value)
    if isinstance(value, datetime.date):
        return _day(value)
    return value


def _section_key(model, found: personal.Declaration) -> str:
    """The case's name for these rows (``needs``, ``consents``) where the model points at the case
    directly, else the model's label (``plans.goal``)."""
    if found.case_path == "case":
        accessor = model._meta.get_field("case").remote_field.get_accessor_name()
        if accessor and not accessor.endswith("+"):
            return accessor
    return model._meta.label_lower


def export_sections() -> list[tuple[str, type, personal.Declaration, list]]:
    """(key, model, declaration, fields) of every model whose rows belong to one case, from the
    personal-data declarations: a new declared model or field appears in the export by itself."""
    sections = []
    for found in sorted(personal.REGISTRY.values(), key=lambda d: d.label):
        if found.case_path in (None, "pk"):
            continue
        model = apps.get_model(found.label)
        sections.append((_section_key(model, found), model, found, _export_fields(model, found)))
    return sections


def _section_rows(actor: Actor, case: Case, person: Person, model, found: personal.Declaration, fields) -> list[dict]:
    """The model's rows of this case as ``actor`` may read them: through the sensitive-data rule (rows
    left out, free text withheld), and only the person's own where a row is about one member."""
    rows = model._default_manager.filter(district_id=case.district_id, **{found.case_path: case})
    if any(field.name == "person" and field.related_model is Person for field in model._meta.concrete_fields):
        rows = rows.filter(Q(person__isnull=True) | Q(person=person))
    named = [field.name for field in fields if field.is_relation and not field.many_to_many]
    rows = rows.select_related(*named).prefetch_related(*(f.name for f in fields if f.many_to_many))
    readable = withhold_fields(visible_rows(rows, actor=actor).order_by("pk"), actor=actor)
    return [{field.name: _export_value(row, field) for field in fields} for row in readable]


def export_legend() -> dict[str, dict]:
    """What each section and field of the export is, in words (for the printed document and readers of
    the JSON): {key: {"title": ..., "fields": {name: label}}}."""
    return {
        key: {
            "title": str(model._meta.verbose_name_plural),
            "fields": {field.name: str(field.verbose_name) for field in fields},
        }
        for key, model, _found, fields in export_sections()
    }


def _case_data(actor: Actor, case: Case, person: Person) -> dict:
    """One case as the person may read it: its facts and its declared texts, then every record of the
    case that the personal-data declarations name (``export_sections``): their own and the
    household's, not other members', with the health data only where ``actor`` may read it
    (hamkke.access.sensitive); ``other_agencies`` tells the person whom else to ask."""
    data = {
        "reference": case.reference,
        "lead_agency": case.lead_agency.name,
        # the health data of this case is left out: ask the lead agency (or an agency the person's
        # sensitive-data consent covers) for it
        "health_data_withheld": not may_see_sensitive(actor, case),
        "stage": case.get_stage_display(),
        "case_type": case.case_type.name if case.case_type else None,
        "crisis_level": case.get_crisis_level_display(),
        "opened_on": _day(case.opened_on),
        "closed_on": _day(case.closed_on),
        "closure_reason": case.get_closure_reason_display(),
        "referral_source": case.get_referral_source_display(),
        "first_contact_on": _day(case.first_contact_on),
        "agencies": [
            {"agency": p.agency.name, "role": p.role, "joined_on": _day(p.joined_on), "left_on": _day(p.left_on)}
            for p in case.participants.select_related("agency")
        ],
    }
    data.update((name, getattr(case, name)) for name in personal.declaration(Case._meta.label).client_texts)
    for key, model, found, fields in export_sections():
        data[key] = _section_rows(actor, case, person, model, found, fields)
    return data


def _access_log_rows(person: Person) -> list[dict]:
    """Who read or changed this person's data, when (the person's right under the PIPA)."""
    from hamkke.accounts.models import User
    from hamkke.audit.selectors import person_filter
    from hamkke.districts.models import Agency

    rows = list(
        person_filter(AccessLog.objects.filter(district_id=person.district_id), person.pk)
        .order_by("at", "pk")
        .values("at", "user_id", "agency_id", "action", "object_type")
    )
    users = {user.pk: str(user) for user in User.objects.filter(pk__in={r["user_id"] for r in rows})}
    agencies = dict(Agency.objects.filter(pk__in={r["agency_id"] for r in rows}).values_list("pk", "name"))
    kinds = {model._meta.model_name: str(model._meta.verbose_name) for model in apps.get_models()}
    return [
        {
            "at": _moment(r["at"]),
            "user": users.get(r["user_id"], ""),
            "agency": agencies.get(r["agency_id"], ""),
            "action": str(Action(r["action"]).label) if r["action"] in Action.values else r["action"],
            "object": kinds.get(r["object_type"], r["object_type"]),
        }
        for r in rows
    ]


RRN_FIELDS = ("rrn_encrypted", "rrn_hash")  # the RRN is shown masked as "rrn", to a reader who may see it


def _with_identity(row, facts: dict) -> dict:
    """``facts`` and every declared identity field of ``row`` (name, contact data, address)."""
    declared = personal.declaration(row._meta.label).client_identity
    return facts | {name: getattr(row, name) for name in declared if name not in RRN_FIELDS}


def person_data_collect(*, actor: Actor, person: Person) -> dict:
    """Everything Hamkke holds about ``person`` that ``actor`` may read, plus who else leads cases about them."""
    household = person.household
    readable = (
        cases_in_scope(actor, VIEW_CASE)
        .filter(household=household)
        .select_related("lead_agency", "case_type")
        .order_by("opened_on", "pk")
    )
    other_leads = (
        Case.objects.filter(district_id=household.district_id, household=household)
        .exclude(pk__in=readable.values("pk"))
        .values_list("lead_agency__name", flat=True)
        .distinct()
    )
    return {
        "generated_at": _moment(timezone.now()),
        "generated_by": {
            "user": str(actor.user) if actor.user.is_authenticated else "",
            "agency": actor.membership.agency.name if actor.membership else "",
        },
        "person": _with_identity(
            person,
            {
                "reference": person.reference,
                "name": person.name,
                "birth_date": _day(person.birth_date),
                "sex": person.get_sex_display(),
                "relation": person.get_relation_display(),
                "rrn": person.rrn_masked if may_see_rrn(actor) else "",
                "registered_at": _moment(person.created_at),
            },
        ),
        "household": _with_identity(household, {"reference": household.reference, "dong": household.dong.name}),
        "cases": [_case_data(actor, case, person) for case in readable],
        "other_agencies": sorted(set(other_leads)),
        "access_log": _access_log_rows(person),
        "legend": export_legend(),
    }


def person_data_export(*, actor: Actor, person: Person, reason: str, request: HttpRequest | None = None) -> dict:
    """The access-request export (JSON-ready dict). Only the lead agency's team; a reason is required; audited."""
    if not person_export_allowed(actor=actor, person=person):
        raise PermissionDenied(_("이 당사자의 사례를 주관하는 기관의 담당자만 열람 청구 자료를 만들 수 있습니다."))
    reason = _clean_reason(reason)
    data = person_data_collect(actor=actor, person=person)
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        obj=person,
        person_ids=[person.pk],
        request=request,
        detail=f"access request: {reason}",
    )
    return data


def export_as_json(data: dict) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def _printed_value(value: object) -> object:
    if isinstance(value, bool):
        return _("예") if value else _("아니오")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return value


def export_as_html(data: dict) -> str:
    """A plain printable document (no site menu), the same for the web page and the command: each
    case's records as tables, titled and labelled from the legend."""
    legend = data["legend"]
    cases = [
        {
            "facts": case,
            "sections": [
                {
                    "title": info["title"],
                    "labels": list(info["fields"].values()),
                    "rows": [[_printed_value(row[name]) for name in info["fields"]] for row in case[key]],
                }
                for key, info in legend.items()
            ],
        }
        for case in data["cases"]
    ]
    return render_to_string("people/privacy/access_request_print.html", {"data": data, "cases": cases})
