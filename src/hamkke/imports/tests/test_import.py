"""Bulk import: dry run reports every problem by row and column; import is all or nothing; re-import is a no-op."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from hamkke.audit.models import AccessLog, Action
from hamkke.cases.models import Case
from hamkke.imports.models import ImportedKey, ImportJob
from hamkke.people.models import Household, Person
from hamkke.records.models import ServiceRecord
from hamkke.testing import make_rrn, with_wrong_check_digit

from .helpers import HOUSEHOLD_HEADER, SERVICE_HEADER, csv_bytes, household_row, run, service_row, xlsx_bytes

pytestmark = pytest.mark.django_db

H, S = ImportJob.Kind.HOUSEHOLDS, ImportJob.Kind.SERVICES
IMPORT = ImportJob.Mode.IMPORT

GOOD = [
    household_row("A-1", "김하나", "1950-02-03"),
    household_row("A-1", "이둘", "1952.7.8.", sex="남", relation="배우자"),
    household_row("A-2", "박셋", "19800115", dong="필동", address="중구 필동로 2"),
]


def counts():
    return Household.objects.count(), Person.objects.count(), Case.objects.count()


def problem_at(job, row, column):
    return [p for p in job.problems if p["row"] == row and p["column"] == column]


def test_dry_run_checks_everything_and_saves_nothing(world):
    before = counts()
    job = run(world.lead_worker.actor, H, csv_bytes(HOUSEHOLD_HEADER, GOOD))
    assert job.status == ImportJob.Status.DONE and job.problems == []
    assert job.total_rows == 3 and job.created_count == 3
    assert counts() == before and not ImportedKey.objects.exists()
    # The rolled-back writes left no access-log rows behind either.
    assert (
        not AccessLog.objects.filter(action=Action.CREATE, object_type="household")
        .exclude(object_id=str(world.household.uuid))
        .exists()
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_import_creates_households_members_and_cases_then_reimport_creates_nothing(world, fmt):
    content = (csv_bytes if fmt == "csv" else xlsx_bytes)(HOUSEHOLD_HEADER, GOOD)
    households, persons, cases = counts()
    job = run(world.lead_worker.actor, H, content, filename=f"f.{fmt}", mode=IMPORT)
    assert job.status == ImportJob.Status.DONE, job.problems
    assert counts() == (households + 2, persons + 3, cases + 2)
    first = Household.objects.get(cases__in=ImportedKey.objects.filter(key="A-1").values("case"))
    assert sorted(p.name for p in first.members.all()) == ["김하나", "이둘"]
    assert first.cases.get().lead_agency == world.lead_agency
    again = run(world.lead_worker.actor, H, content, filename=f"f.{fmt}", mode=IMPORT)
    assert again.status == ImportJob.Status.DONE and again.created_count == 0 and again.skipped_count == 3
    assert counts() == (households + 2, persons + 3, cases + 2)


def test_reimport_with_a_new_member_adds_only_that_member(world):
    run(world.lead_worker.actor, H, csv_bytes(HOUSEHOLD_HEADER, GOOD), mode=IMPORT)
    grown = GOOD + [household_row("A-1", "김막내", "2015-05-05", relation="자녀")]
    job = run(world.lead_worker.actor, H, csv_bytes(HOUSEHOLD_HEADER, grown), mode=IMPORT)
    assert (job.created_count, job.skipped_count) == (1, 3)
    assert Person.objects.filter(name="김막내", household__members__name="김하나").exists()


def test_one_bad_row_imports_nothing_and_reports_that_row_and_column(world):
    rrn = with_wrong_check_digit(make_rrn(datetime.date(1980, 1, 15), "F"))
    rows = GOOD[:2] + [household_row("A-2", "박셋", "1980-01-15", dong="필동", rrn=rrn)]
    before = counts()
    job = run(world.lead_worker.actor, H, csv_bytes(HOUSEHOLD_HEADER, rows), mode=IMPORT)
    assert job.status == ImportJob.Status.FAILED and job.created_count == 0
    assert [(p["row"], p["column"]) for p in job.problems] == [(4, "주민등록번호")]
    assert "검증번호" in job.problems[0]["message"]
    assert counts() == before and not ImportedKey.objects.exists()


def test_every_problem_is_reported_by_row_and_column(world):
    rows = [
        household_row("B-1", "정상", "1960-01-01"),
        household_row("B-2", "나쁜날짜", "1960-13-45"),  # row 3: bad date
        household_row("B-3", "없는동", "1961-01-01", dong="없는동"),  # row 4: unknown dong
        household_row("B-4", world.head.name, world.head.birth_date.isoformat(), dong=world.dong_a.name),  # 5: dup
        household_row("B-5", "두번", "1970-01-01"),
        household_row("B-6", "두번", "1970-01-01"),  # row 7: twice in the file
        household_row("", "번호없음", "1971-01-01"),  # row 8: no household key
        household_row("B-8", "성별", "1972-01-01", sex="?"),  # row 9: bad sex
    ]
    job = run(world.lead_worker.actor, H, csv_bytes(HOUSEHOLD_HEADER, rows))
    found = {(p["row"], p["column"]) for p in job.problems}
    assert found == {(3, "생년월일"), (4, "행정동"), (5, "성명"), (7, "성명"), (8, "가구번호"), (9, "성별")}
    read = AccessLog.objects.get(action=Action.LIST, detail__startswith="import duplicate check")
    assert read.person_ids == [world.head.pk]


def test_households_need_a_case_worker_role(world):
    for key in ("district_admin", "auditor", "lead_admin"):
        with pytest.raises(PermissionDenied):
            run(world.members[key].actor, H, csv_bytes(HOUSEHOLD_HEADER, GOOD))


def test_rrn_only_for_agencies_with_a_legal_basis(world):
    rrn = make_rrn(datetime.date(1950, 2, 3), "F", serial="55555")
    rows = [household_row("R-1", "김하나", "1950-02-03", rrn=rrn)]
    assert run(world.lead_worker.actor, H, csv_bytes(HOUSEHOLD_HEADER, rows)).problems == []
    job = run(world.participant_worker.actor, H, csv_bytes(HOUSEHOLD_HEADER, rows))
    assert [(p["row"], p["column"]) for p in job.problems] == [(2, "주민등록번호")]


# --- Service records ------------------------------------------------------------------------------


def test_services_by_case_id_and_by_imported_household_key_then_idempotent(world):
    lead = world.lead_worker.actor
    run(lead, H, csv_bytes(HOUSEHOLD_HEADER, GOOD), mode=IMPORT)
    day = world.today.isoformat()
    rows = [
        service_row(case=str(world.case.uuid), provided_on=day),
        service_row(
            household_key="A-1",
            provided_on=day,
            domain="주거·생활환경",
            mode="연계",
            agency=world.participating_agency.name,
            amount_kind="",
            amount="",
        ),
        service_row(household_key="A-2", provided_on=day, key="EXT-77", amount_kind="현금", amount="50,000원"),
    ]
    content = csv_bytes(SERVICE_HEADER, rows)
    assert run(lead, S, content).problems == []
    job = run(lead, S, content, mode=IMPORT)
    assert job.status == ImportJob.Status.DONE and job.created_count == 3, job.problems
    linked = ServiceRecord.objects.get(mode="linked")
    assert linked.provider_agency == world.participating_agency and linked.domain == "housing"
    assert ServiceRecord.objects.get(amount_kind="money").amount == 50000
    again = run(lead, S, content, mode=IMPORT)
    assert (again.created_count, again.skipped_count) == (0, 3)
    assert ServiceRecord.objects.count() == 3


def test_service_problems_by_row_and_column_and_nothing_saved(world):
    day = world.today.isoformat()
    rows = [
        service_row(case=str(world.case.uuid), provided_on=day),  # fine
        service_row(case=str(world.case.uuid), provided_on="어제"),  # 3: bad date
        service_row(case=str(world.case.uuid), provided_on=day, agency="없는기관"),  # 4: agency
        service_row(case=str(world.case.uuid), provided_on="2000-01-01"),  # 5: before opening
        service_row(case=str(world.case.uuid), provided_on=day, amount_kind="현금", amount=""),  # 6: amount
        service_row(household_key="NOPE", provided_on=day),  # 7: household
        service_row(case="b0c9b7f2-0000-4000-8000-000000000000", provided_on=day),  # 8: unknown case
    ]
    job = run(world.lead_worker.actor, S, csv_bytes(SERVICE_HEADER, rows), mode=IMPORT)
    found = {(p["row"], p["column"]) for p in job.problems}
    assert found == {(3, "제공일"), (4, "제공 기관"), (5, "제공일"), (6, "금액"), (7, "사례ID"), (8, "사례ID")}
    assert job.status == ImportJob.Status.FAILED and not ServiceRecord.objects.exists()
    assert AccessLog.objects.filter(action=Action.DENIED, object_id="b0c9b7f2-0000-4000-8000-000000000000").exists()


@pytest.mark.parametrize("key", ["b_worker", "unrelated_worker"])
def test_services_only_within_scope(world, key):
    rows = [service_row(case=str(world.case.uuid), provided_on=world.today.isoformat())]
    job = run(world.members[key].actor, S, csv_bytes(SERVICE_HEADER, rows), mode=IMPORT)
    assert [(p["row"], p["column"]) for p in job.problems] == [(2, "사례ID")]
    assert not ServiceRecord.objects.exists()


def test_participating_agency_records_its_own_services(world):
    rows = [service_row(case=str(world.case.uuid), provided_on=world.today.isoformat())]
    job = run(world.participant_worker.actor, S, csv_bytes(SERVICE_HEADER, rows), mode=IMPORT)
    assert job.created_count == 1, job.problems
    assert ServiceRecord.objects.get().provider_agency == world.participating_agency


def test_auditor_cannot_import_services(world):
    with pytest.raises(PermissionDenied):
        run(world.auditor.actor, S, csv_bytes(SERVICE_HEADER, []))


def test_unreadable_files_fail_cleanly(world):
    lead = world.lead_worker.actor
    job = run(lead, H, b"\x00\x01garbage", filename="x.xlsx")
    assert job.status == ImportJob.Status.FAILED and job.problems[0]["row"] == 1
    job = run(lead, H, csv_bytes(["성명"], [["김"]]))
    assert job.status == ImportJob.Status.FAILED and "가구번호" in job.problems[0]["message"]
    cp949 = "\n".join([",".join(HOUSEHOLD_HEADER), ",".join(household_row("C-1", "한글", "1960-01-01"))])
    assert run(lead, H, cp949.encode("cp949")).problems == []


def test_nul_bytes_are_refused_by_cell_and_nothing_is_saved(world):
    """Issue 11, finding 11: a NUL in a name or an address (tests/data/nul_bytes.csv, a hostile file)
    is a clear problem of that cell; nothing reaches the database (PostgreSQL would refuse it)."""
    import time
    from pathlib import Path

    content = (Path(__file__).parent / "data" / "nul_bytes.csv").read_bytes()
    assert b"\x00" in content
    before = counts()
    started = time.monotonic()
    job = run(world.lead_worker.actor, H, content, mode=IMPORT)
    assert time.monotonic() - started < 5
    assert job.status == ImportJob.Status.FAILED and job.created_count == 0
    assert [(p["row"], p["column"]) for p in job.problems] == [(2, "성명"), (3, "주소")]
    assert all("NUL" in p["message"] for p in job.problems)
    assert counts() == before and not ImportedKey.objects.exists()
