"""Importing households (with members) and service records: the same services as the forms.

One run = one database transaction. Each household (or each case's services) is written in a
savepoint through the services the web uses (``case_register``, ``person_create``,
``service_records_add``), so every business rule applies unchanged and every problem is
collected with its row and column. At the end the transaction is rolled back when it was a dry
run or when anything was wrong: all or nothing.

Stable keys (re-importing a file creates nothing twice), per agency:
- households: the 가구번호 column (the agency's own household number, or a household's public id
  as written by the export); members of an already imported household are matched by name and
  birth date, new members are added;
- a person already registered in the district with the same RRN, or the same name, birth date and
  dong, is reported as a duplicate (open the existing household instead);
- service records: the 서비스번호 column, or when it is empty a digest of the row (case, date,
  domain, mode, provider, resource, description, amount).
"""

from __future__ import annotations

import hashlib
import uuid as uuid_lib
from collections import OrderedDict, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hamkke.access.policy import CASEWORK, CHANGE_CASE, RECORD_WORK, can_open_case, cases_in_scope, may
from hamkke.accounts.actor import Actor
from hamkke.audit.models import Action
from hamkke.audit.services import audit_record
from hamkke.cases.models import ReferralSource
from hamkke.cases.services import case_register
from hamkke.core import rrn as rrn_rules
from hamkke.core.domains import LifeDomain
from hamkke.districts.models import Agency, Dong
from hamkke.people.models import Household, Person
from hamkke.people.selectors import households_in_scope
from hamkke.people.services import person_create
from hamkke.records.models import ServiceRecord
from hamkke.records.services import ServiceRowsInvalid, service_records_add
from hamkke.resources.selectors import resource_list

from .models import ImportedKey, ImportJob
from .parsers import CellError, Column, Row, choice_lookup, parse_amount, parse_choice, parse_date

Progress = Callable[[int], None]

HOUSEHOLD_COLUMNS = [
    Column("household_key", "가구번호", required=True, aliases=("가구ID", "가구 번호")),
    Column("dong", "행정동", required=True),
    Column("address", "주소", required=True),
    Column("address_detail", "상세주소"),
    Column("name", "성명", required=True, aliases=("이름",)),
    Column("birth_date", "생년월일", required=True),
    Column("sex", "성별", required=True),
    Column("relation", "세대주와의 관계", aliases=("관계",)),
    Column("phone", "연락처", aliases=("전화번호",)),
    Column("rrn", "주민등록번호"),
    Column("summary", "주요 문제·상황", aliases=("사례요약", "요약")),
    Column("opened_on", "개시일"),
    Column("referral_source", "발굴 경로"),
]
SERVICE_COLUMNS = [
    Column("service_key", "서비스번호", aliases=("서비스ID",)),
    Column("case", "사례ID", aliases=("사례 ID",)),
    Column("household_key", "가구번호", aliases=("가구ID",)),
    Column("provided_on", "제공일", required=True),
    Column("domain", "서비스 영역", required=True, aliases=("영역",)),
    Column("mode", "제공 방식", required=True, aliases=("방식",)),
    Column("provider_agency", "제공 기관"),
    Column("resource", "자원"),
    Column("description", "내용", required=True),
    Column("amount_kind", "금품 구분"),
    Column("amount", "금액"),
]
COLUMNS = {ImportJob.Kind.HOUSEHOLDS: HOUSEHOLD_COLUMNS, ImportJob.Kind.SERVICES: SERVICE_COLUMNS}

SEX = choice_lookup(Person.Sex.choices, {"여자": "F", "여성": "F", "남자": "M", "남성": "M"})
RELATION = choice_lookup(Person.Relation.choices, {"본인": "head", "세대주": "head", "동거인": "other"})
SOURCE = choice_lookup(ReferralSource.choices)
DOMAIN = choice_lookup(LifeDomain.choices)
MODE = choice_lookup(ServiceRecord.Mode.choices, {"직접": "direct"})
AMOUNT_KIND = choice_lookup([c for c in ServiceRecord.AmountKind.choices if c[0]], {"없음": "", "해당없음": ""})


@dataclass
class Problem:
    row: int
    column: str  # the column's header as in the file template ("" for the row as a whole)
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Result:
    problems: list[Problem] = field(default_factory=list)
    created: int = 0
    skipped: int = 0


def _messages(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {name: [m for e in errors for m in e.messages] for name, errors in error.error_dict.items()}
    return {"": list(error.messages)}


class Importer:
    kind = ""
    columns: list[Column] = []

    def __init__(self, actor: Actor, *, progress: Progress | None = None):
        self.actor = actor
        self.progress = progress or (lambda done: None)
        self.result = Result()
        self.header = {c.key: c.header for c in self.columns}
        self.person_ids_read: set[int] = set()
        self.denied_cases: set[str] = set()
        self.bad_rows: set[int] = set()

    def problem(self, row: Row | int, column: str, message: str) -> None:
        number = row.number if isinstance(row, Row) else row
        self.bad_rows.add(number)
        self.result.problems.append(Problem(number, self.header.get(column, ""), str(message)))

    def service_errors(self, row: Row, error: ValidationError) -> None:
        for name, messages in _messages(error).items():
            for message in messages:
                self.problem(row, name, message)

    def cell(self, row: Row, key: str, parse):
        """A parsed cell, or None with a problem recorded for it."""
        try:
            return parse(row.values.get(key))
        except CellError as error:
            self.problem(row, key, str(error))
            return None

    def run(self, rows: list[Row], *, commit: bool, still_ours: Callable[[], bool] | None = None) -> Result:
        """``still_ours`` (the job's fence) is asked last, inside the transaction: when the job was
        taken over by another run meanwhile, this one keeps nothing (the other run imports)."""
        self.check_permission()
        self.refuse_nul(rows)
        with transaction.atomic():
            if not self.result.problems:  # a NUL would reach the database (PostgreSQL refuses it)
                self.apply(rows)
            if self.result.problems or not commit or (still_ours is not None and not still_ours()):
                transaction.set_rollback(True)  # a dry run, or something was wrong: nothing stays
        self.audit_reads()
        self.result.problems.sort(key=lambda p: (p.row, p.column))
        if self.result.problems:
            self.result.created = 0
        return self.result

    def refuse_nul(self, rows: list[Row]) -> None:
        """A NUL character in any cell is a problem of that cell (forms and the API refuse it too); the
        file is then not applied at all. Usually a damaged export or a file made to break the import."""
        for row in rows:
            for key, value in row.values.items():
                if isinstance(value, str) and "\x00" in value:
                    self.problem(
                        row,
                        key,
                        _(
                            "보이지 않는 제어 문자(NUL)가 들어 있습니다. 원본 파일에서 이 칸을 다시 입력해 "
                            "저장한 뒤 가져오세요."
                        ),
                    )

    def audit_reads(self) -> None:
        """What the run read (persons matched as duplicates, cases refused) stays in the access log,
        outside the rolled-back transaction."""
        if self.person_ids_read:
            audit_record(
                actor=self.actor,
                action=Action.LIST,
                object_type="person",
                person_ids=self.person_ids_read,
                detail=f"import duplicate check: {len(self.person_ids_read)}",
            )
        for case_uuid in sorted(self.denied_cases)[:100]:
            audit_record(
                actor=self.actor, action=Action.DENIED, object_type="case", object_id=case_uuid, detail="import"
            )

    def check_permission(self) -> None:
        raise NotImplementedError

    def apply(self, rows: list[Row]) -> None:
        raise NotImplementedError


def _without(values: dict, key: str) -> dict:
    return {k: v for k, v in values.items() if k != key}


def _as_uuid(text: str) -> uuid_lib.UUID | None:
    try:
        return uuid_lib.UUID(text)
    except ValueError:
        return None


class HouseholdImporter(Importer):
    kind = ImportJob.Kind.HOUSEHOLDS
    columns = HOUSEHOLD_COLUMNS

    def check_permission(self) -> None:
        if not can_open_case(self.actor):
            raise PermissionDenied(_("이 역할로는 가구를 등록할 수 없습니다."))

    def _parse(self, row: Row) -> dict:
        person = {
            "name": row.text("name"),
            "birth_date": self.cell(row, "birth_date", parse_date),
            "sex": self.cell(row, "sex", lambda v: parse_choice(v, SEX, blank_ok=False)),
            "relation": self.cell(row, "relation", lambda v: parse_choice(v, RELATION)) or Person.Relation.HEAD,
            "phone": row.text("phone"),
            "rrn": row.text("rrn"),
        }
        if not person["name"]:
            self.problem(row, "name", _("성명을 입력하세요."))
        if person["birth_date"] is None and not row.text("birth_date"):
            self.problem(row, "birth_date", _("생년월일을 입력하세요."))
        return person

    def apply(self, rows: list[Row]) -> None:
        actor = self.actor
        groups: OrderedDict[str, list[Row]] = OrderedDict()
        for row in rows:
            key = row.text("household_key")
            if not key:
                self.problem(row, "household_key", _("가구번호를 적어 주세요(같은 가구의 가구원은 같은 번호)."))
                continue
            groups.setdefault(key, []).append(row)
        parsed = {row.number: self._parse(row) for row in rows}
        dongs = {d.name: d for d in Dong.objects.filter(district_id=actor.district_id)}
        known = {
            k.key: k
            for k in ImportedKey.objects.filter(
                district_id=actor.district_id, agency_id=actor.agency_id, kind=self.kind, key__in=list(groups)
            )
        }
        changeable = households_in_scope(actor, CHANGE_CASE).prefetch_related("members")
        by_uuid = {str(h.uuid): h for h in changeable.filter(uuid__in=[u for u in map(_as_uuid, groups) if u])}
        imported = {h.pk: h for h in changeable.filter(pk__in=[k.household_id for k in known.values()])}
        self._load_district_persons(parsed.values())
        seen_in_file: dict[tuple, int] = {}
        done = 0
        for key, group in groups.items():
            existing = by_uuid.get(str(_as_uuid(key))) if _as_uuid(key) else None
            if key in known:
                existing = imported.get(known[key].household_id)
                if existing is None:
                    self.problem(
                        group[0], "household_key", _("이미 가져온 가구이지만 지금은 가구원을 추가할 권한이 없습니다.")
                    )
            if existing is not None:
                self._add_members(existing, group, parsed, seen_in_file)
            elif key not in known:
                self._register(key, group, parsed, dongs, seen_in_file)
            done += len(group)
            self.progress(done)

    def _load_district_persons(self, people) -> None:
        names = {p["name"] for p in people if p["name"]}
        births = {p["birth_date"] for p in people if p["birth_date"]}
        digests = {rrn_rules.rrn_hash(p["rrn"]) for p in people if rrn_rules.normalize(p["rrn"])}
        self.by_name_birth: dict[tuple, list[tuple[int, int, int]]] = defaultdict(list)
        self.by_rrn: dict[str, tuple[int, int]] = {}
        found = Person.objects.filter(district_id=self.actor.district_id, name__in=names, birth_date__in=births)
        for pk, name, birth, household_id, dong_id in found.values_list(
            "pk", "name", "birth_date", "household_id", "household__dong_id"
        ):
            self.by_name_birth[(name, birth)].append((pk, household_id, dong_id))
        if digests:
            same_rrn = Person.objects.filter(district_id=self.actor.district_id, rrn_hash__in=digests)
            for pk, digest, household_id in same_rrn.values_list("pk", "rrn_hash", "household_id"):
                self.by_rrn[digest] = (pk, household_id)

    def _duplicate(
        self, row: Row, person: dict, dong_id: int | None, household_id: int | None, seen_in_file: dict[tuple, int]
    ) -> bool:
        """Report a person who is already registered (RRN, or name + birth date + dong) or twice in the file."""
        duplicate = False
        digest = rrn_rules.rrn_hash(person["rrn"]) if rrn_rules.normalize(person["rrn"]) else ""
        if digest and digest in self.by_rrn and self.by_rrn[digest][1] != household_id:
            self.person_ids_read.add(self.by_rrn[digest][0])
            self.problem(row, "rrn", _("같은 주민등록번호로 이미 등록된 당사자가 있습니다. 기존 가구를 여세요."))
            duplicate = True
        for pk, other_household, other_dong in self.by_name_birth.get((person["name"], person["birth_date"]), []):
            if other_dong == dong_id and other_household != household_id:
                self.person_ids_read.add(pk)
                self.problem(
                    row, "name", _("같은 이름·생년월일·행정동의 당사자가 이미 등록되어 있습니다(중복 당사자).")
                )
                duplicate = True
                break
        file_keys = [("nbd", person["name"], person["birth_date"], dong_id)] + ([("rrn", digest)] if digest else [])
        for file_key in file_keys:
            if file_key in seen_in_file:
                self.problem(
                    row,
                    "name" if file_key[0] == "nbd" else "rrn",
                    _("파일 안에 같은 당사자가 두 번 있습니다(%(row)d행).") % {"row": seen_in_file[file_key]},
                )
                duplicate = True
            else:
                seen_in_file[file_key] = row.number
        return duplicate

    def _register(self, key: str, group: list[Row], parsed: dict, dongs: dict, seen_in_file: dict) -> None:
        head_row = next((r for r in group if parsed[r.number]["relation"] == Person.Relation.HEAD), group[0])
        dong = dongs.get(head_row.text("dong"))
        if dong is None:
            self.problem(
                head_row, "dong", _("이 시군구에 없는 행정동입니다: %(dong)s") % {"dong": head_row.text("dong")[:30]}
            )
        opened_on = self.cell(head_row, "opened_on", parse_date)
        source = self.cell(head_row, "referral_source", lambda v: parse_choice(v, SOURCE)) or ""
        for row in group:
            self._duplicate(row, parsed[row.number], dong.pk if dong else None, None, seen_in_file)
        if any(row.number in self.bad_rows for row in group):
            return  # the household is registered whole or not at all
        point = transaction.savepoint()
        row = head_row
        try:
            case = case_register(
                actor=self.actor,
                dong=dong,
                address=head_row.text("address"),
                address_detail=head_row.text("address_detail"),
                head=_without(parsed[head_row.number], "relation"),
                summary=head_row.text("summary"),
                opened_on=opened_on,
                referral_source=source,
                duplicate_check=False,  # done for the whole file above (_duplicate), logged once
            )  # the head's relation is set by case_register itself
            for row in group:
                if row is not head_row:
                    person_create(actor=self.actor, household=case.household, **parsed[row.number])
            ImportedKey.objects.create(
                district_id=self.actor.district_id,
                agency_id=self.actor.agency_id,
                kind=self.kind,
                key=key,
                household=case.household,
                case=case,
            )
        except ValidationError as error:
            transaction.savepoint_rollback(point)
            self.service_errors(row, error)
        else:
            transaction.savepoint_commit(point)
            self.result.created += len(group)

    def _add_members(self, household: Household, group: list[Row], parsed: dict, seen_in_file: dict) -> None:
        present = {(p.name, p.birth_date) for p in household.members.all()}
        for row in group:
            person = parsed[row.number]
            if (person["name"], person["birth_date"]) in present:
                self.result.skipped += 1
                continue
            if row.number in self.bad_rows or self._duplicate(
                row, person, household.dong_id, household.pk, seen_in_file
            ):
                continue
            point = transaction.savepoint()
            try:
                person_create(actor=self.actor, household=household, **person)
            except ValidationError as error:
                transaction.savepoint_rollback(point)
                self.service_errors(row, error)
            else:
                transaction.savepoint_commit(point)
                self.result.created += 1


def service_digest(case_uuid: str, values: dict) -> str:
    parts = [case_uuid] + [
        str(values.get(k) or "")
        for k in (
            "provided_on",
            "domain",
            "mode",
            "provider_agency",
            "resource",
            "description",
            "amount_kind",
            "amount",
        )
    ]
    return "row:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]


class ServiceImporter(Importer):
    kind = ImportJob.Kind.SERVICES
    columns = SERVICE_COLUMNS

    def check_permission(self) -> None:
        if not may(self.actor, CASEWORK):
            raise PermissionDenied(_("사례관리 담당자만 서비스 제공 기록을 가져올 수 있습니다."))

    def _parse(self, row: Row, agencies: dict, resources: dict) -> dict:
        values = {
            "provided_on": self.cell(row, "provided_on", parse_date),
            "domain": self.cell(row, "domain", lambda v: parse_choice(v, DOMAIN, blank_ok=False)),
            "mode": self.cell(row, "mode", lambda v: parse_choice(v, MODE, blank_ok=False)),
            "description": row.text("description"),
            "amount_kind": self.cell(row, "amount_kind", lambda v: parse_choice(v, AMOUNT_KIND)) or "",
            "amount": self.cell(row, "amount", parse_amount),
            "provider_agency": None,
            "resource": None,
        }
        if values["provided_on"] is None and not row.text("provided_on"):
            self.problem(row, "provided_on", _("제공일을 입력하세요."))
        if name := row.text("provider_agency"):
            values["provider_agency"] = agencies.get(name)
            if values["provider_agency"] is None:
                self.problem(row, "provider_agency", _("이 시군구에 없는 기관입니다: %(name)s") % {"name": name[:50]})
        if name := row.text("resource"):
            matches = resources.get(name, [])
            if len(matches) != 1:
                self.problem(
                    row,
                    "resource",
                    _("이 시군구의 자원에서 찾을 수 없습니다: %(name)s") % {"name": name[:50]}
                    if not matches
                    else _("이름이 같은 자원이 여럿입니다: %(name)s") % {"name": name[:50]},
                )
            else:
                values["resource"] = matches[0]
        return values

    def apply(self, rows: list[Row]) -> None:
        actor = self.actor
        agencies = {a.name: a for a in Agency.objects.filter(district_id=actor.district_id)}
        resources: dict[str, list] = defaultdict(list)
        for resource in resource_list(actor=actor, active=None):
            resources[resource.name].append(resource)
        household_cases = dict(
            ImportedKey.objects.filter(
                district_id=actor.district_id,
                agency_id=actor.agency_id,
                kind=ImportJob.Kind.HOUSEHOLDS,
                key__in={r.text("household_key") for r in rows} - {""},
            ).values_list("key", "case__uuid")
        )
        wanted: dict[int, str] = {}
        for row in rows:
            case_text = row.text("case") or str(household_cases.get(row.text("household_key")) or "")
            if not case_text:
                self.problem(row, "case", _("사례ID 또는 이미 가져온 가구의 가구번호를 적어 주세요."))
            elif _as_uuid(case_text) is None:
                self.problem(row, "case", _("사례ID 형식이 아닙니다: %(value)s") % {"value": case_text[:40]})
            else:
                wanted[row.number] = str(_as_uuid(case_text))
        cases = {str(c.uuid): c for c in cases_in_scope(actor, RECORD_WORK).filter(uuid__in=set(wanted.values()))}
        known = set(
            ImportedKey.objects.filter(
                district_id=actor.district_id, agency_id=actor.agency_id, kind=self.kind
            ).values_list("key", flat=True)
        )
        existing_uuids = {
            str(u)
            for u in ServiceRecord.objects.filter(
                district_id=actor.district_id,
                case__in=cases.values(),
                uuid__in=[u for u in (_as_uuid(r.text("service_key")) for r in rows) if u],
            ).values_list("uuid", flat=True)
        }
        by_case: dict[str, list[tuple[Row, dict, str]]] = defaultdict(list)
        seen: dict[str, int] = {}
        for row in rows:
            values = self._parse(row, agencies, resources)
            case_uuid = wanted.get(row.number)
            if case_uuid is None:
                continue
            if case_uuid not in cases:
                self.denied_cases.add(case_uuid)
                self.problem(row, "case", _("사례를 찾을 수 없거나 이 사례에 기록할 권한이 없습니다."))
            if row.number in self.bad_rows:
                continue
            key = row.text("service_key") or service_digest(
                case_uuid, {**values, "provider_agency": row.text("provider_agency"), "resource": row.text("resource")}
            )
            if key in seen:
                self.problem(
                    row,
                    "service_key",
                    _(
                        "파일 안에 같은 서비스 기록이 두 번 있습니다(%(row)d행). "
                        "서로 다른 기록이면 서비스번호를 적어 주세요."
                    )
                    % {"row": seen[key]},
                )
                continue
            seen[key] = row.number
            if key in known or key in existing_uuids:
                self.result.skipped += 1
                continue
            by_case[case_uuid].append((row, values, key))
        done = 0
        for case_uuid, items in by_case.items():
            self._add(cases[case_uuid], items)
            done += len(items)
            self.progress(done + self.result.skipped)

    def _add(self, case, items: list[tuple[Row, dict, str]]) -> None:
        point = transaction.savepoint()
        try:
            records = service_records_add(actor=self.actor, case=case, rows=[values for _row, values, _key in items])
            ImportedKey.objects.bulk_create(
                [
                    ImportedKey(
                        district_id=case.district_id,
                        agency_id=self.actor.agency_id,
                        kind=self.kind,
                        key=key,
                        case=case,
                        service_record=record,
                    )
                    for (_row, _values, key), record in zip(items, records, strict=True)
                ]
            )
        except ServiceRowsInvalid as error:
            transaction.savepoint_rollback(point)
            for position, row_error in error.row_errors.items():
                self.service_errors(items[position][0], row_error)
        except (ValidationError, PermissionDenied) as error:
            transaction.savepoint_rollback(point)
            message = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            for row, _values, _key in items:
                self.problem(row, "", message)
        else:
            transaction.savepoint_commit(point)
            self.result.created += len(records)


IMPORTERS = {ImportJob.Kind.HOUSEHOLDS: HouseholdImporter, ImportJob.Kind.SERVICES: ServiceImporter}
