"""The one exporter of service records (records.exports): the reports page, the import/export page and the API."""

from __future__ import annotations

import csv
import datetime
import inspect
import io

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse
from openpyxl import load_workbook

from hamkke.audit.flags import flags_for_period
from hamkke.audit.models import AccessLog, Action
from hamkke.audit.selectors import seoul_day_bounds
from hamkke.consents.models import Consent
from hamkke.core.downloads import joined
from hamkke.imports.importers import SERVICE_COLUMNS
from hamkke.records import exports
from hamkke.records.models import ServiceRecord
from hamkke.reports import services as report_services
from hamkke.reports.periods import Period
from hamkke.resources.models import Resource
from hamkke.testing.factories import CaseFactory, HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://example.invalid","x")'


def service(case, agency, day, description, **extra) -> ServiceRecord:
    values = {
        "domain": "housing",
        "mode": ServiceRecord.Mode.LINKED,
        "amount_kind": "money",
        "amount": 50000,
    }
    values.update(extra)
    return ServiceRecord.objects.create(
        district=case.district,
        case=case,
        provided_on=day,
        provider_agency=agency,
        description=description,
        recorded_by=case.lead_worker,
        **values,
    )


@pytest.fixture
def records(world):
    day = world.today - datetime.timedelta(days=1)
    resource = Resource.objects.create(
        district=world.district_a,
        name="@자원 이름",
        kind="formal",
        type="programme",
        domain="housing",
        added_by=world.lead_worker.user,
        added_by_agency=world.lead_agency,
    )
    other = CaseFactory(
        household=HouseholdFactory(dong=world.dong_a2),
        lead_agency=world.unrelated_agency,
        lead_worker=world.unrelated_worker.user,
    )
    PersonFactory(household=other.household)
    b_case = CaseFactory(
        household=HouseholdFactory(dong=world.dong_b), lead_agency=world.agency_b, lead_worker=world.b_worker.user
    )
    return {
        "ours": service(world.case, world.participating_agency, day, "주거 청소 연계", resource=resource),
        "formula": service(world.case, world.lead_agency, day, FORMULA, amount=None, amount_kind=""),
        "health": service(world.case, world.lead_agency, day, "정신건강 상담 연계", domain="mental_health"),
        "old": service(world.case, world.lead_agency, day.replace(year=day.year - 1), "작년 서비스"),
        "other": service(other, world.unrelated_agency, day, "다른 기관 서비스"),
        "b": service(b_case, world.agency_b, day, "성동 서비스"),
    }


# --- The reference: the rows the two old exporters made, from model objects -------------------------------
# (reports.exports.service_records_csv and imports.services._service_rows before issue 12 §3; kept here
# as the oracle the one exporter is compared with.)


def _label(record, field):
    return str(getattr(record, f"get_{field}_display")()) if getattr(record, field) else ""


def old_report_row(r: ServiceRecord) -> list:
    return [
        r.provided_on.isoformat(),
        r.case.reference,
        r.case.household.dong.name,
        r.get_domain_display(),
        r.get_mode_display(),
        r.provider_agency.name,
        r.resource.name if r.resource_id else "",
        r.description,
        r.get_amount_kind_display() if r.amount_kind else "",
        f"{r.amount:.0f}" if r.amount is not None else "",
        str(r.recorded_by),
    ]


def old_import_row(r: ServiceRecord) -> list:
    return [
        str(r.uuid),
        str(r.case.uuid),
        "",
        r.provided_on.isoformat(),
        _label(r, "domain"),
        _label(r, "mode"),
        r.provider_agency.name,
        r.resource.name if r.resource else "",
        r.description,
        _label(r, "amount_kind"),
        "" if r.amount is None else int(r.amount),
    ]


def _as_text(row) -> list[str]:
    return ["" if value is None else str(value) for value in row]


def _expected(actor, make_row, **period) -> list[list[str]]:
    from hamkke.records.selectors import service_records_for_actor

    rows = service_records_for_actor(actor=actor).order_by("provided_on", "pk")
    if period:
        rows = rows.filter(provided_on__gte=period["start"], provided_on__lte=period["end"])
    return [_as_text(make_row(r)) for r in rows]


def _rows(actor, layout, **period) -> list[list[str]]:
    selection = exports.Selection(scope="test", period="test", **period)
    return [_as_text(row) for row in exports.rows(actor=actor, selection=selection, keys=[k for k, _t in layout])]


@pytest.mark.parametrize("who", ["lead_worker", "participant_worker", "unrelated_worker", "district_admin"])
def test_rows_equal_what_the_old_exporters_made(world, records, who):
    actor = getattr(world, who).actor
    year = Period.of_year(world.today.year - (1 if world.today.month == 1 and world.today.day == 1 else 0))
    period = {"start": year.start, "end": year.end}
    report = _rows(actor, exports.REPORT_LAYOUT, **period)
    assert report == _expected(actor, old_report_row, **period) and report
    imported = _rows(actor, [(c.key, c.header) for c in SERVICE_COLUMNS])
    assert imported == _expected(actor, old_import_row) and imported


def _csv(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())  # BOM: Excel opens the Korean correctly
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def _export(world, who="lead_worker", file_format="csv", **kwargs):
    return report_services.service_records_export(
        actor=getattr(world, who).actor,
        period=kwargs.pop("period", Period.of_year(records_year(world))),
        file_format=file_format,
        reason=kwargs.pop("reason", "연간 실적 점검(구청 제출)"),
        **kwargs,
    )


def records_year(world) -> int:
    return (world.today - datetime.timedelta(days=1)).year


def test_the_formula_guard_applies_to_every_cell_in_csv_and_xlsx(world, records):
    rows = _csv(joined(_export(world).chunks))
    formula = next(row for row in rows if row[7].endswith('"x")'))
    assert formula[7] == "'" + FORMULA and formula[9] == ""
    ours = next(row for row in rows if row[7] == "주거 청소 연계")
    assert ours[6] == "'@자원 이름"
    sheet = load_workbook(io.BytesIO(joined(_export(world, file_format="xlsx").chunks))).active
    texts = [sheet.cell(row=n, column=8) for n in range(2, sheet.max_row + 1)]
    cell = next(c for c in texts if c.value.endswith('"x")'))
    assert cell.data_type == "s" and cell.value == "'" + FORMULA


def test_only_records_of_cases_in_scope(world, records):
    lead = {row[7] for row in _csv(joined(_export(world).chunks))[1:]}
    assert lead == {"주거 청소 연계", "'" + FORMULA, "정신건강 상담 연계"}  # not another agency's, not last year's
    b = {row[7] for row in _csv(joined(_export(world, "b_admin").chunks))[1:]}
    assert b == {"성동 서비스"}


@pytest.mark.parametrize("ticked", [False, True])
def test_health_records_only_for_a_partner_with_the_sensitive_consent_item(world, records, ticked):
    Consent.objects.filter(pk=world.consent.pk).update(sensitive_data=ticked)
    shown = {row[7] for row in _csv(joined(_export(world, "participant_worker").chunks))[1:]}
    assert "주거 청소 연계" in shown
    assert ("정신건강 상담 연계" in shown) is ticked


def test_one_access_log_row_per_export_naming_scope_and_period(world, records):
    export = _export(world, "district_admin")
    [log] = AccessLog.objects.filter(action=Action.EXPORT)
    assert log.object_type == "servicerecord" and log.person_ids == [] and log.case_id is None
    assert log.object_id[:8] in export.filename
    year = records_year(world)
    assert f"{year}.01.01.~{year}.12.31." in log.detail and "중구 전체" in log.detail and "4건" in log.detail
    assert "사유: 연간 실적 점검(구청 제출)" in log.detail
    joined(export.chunks)
    assert AccessLog.objects.filter(action=Action.EXPORT).count() == 1
    begin, end = seoul_day_bounds(world.today, world.today)
    flags = flags_for_period(district_id=world.district_a.pk, start=begin, end=end)
    assert any(f.kind == "bulk" and f.log_id == log.pk for f in flags)  # shown to the auditor for review


def test_the_file_is_made_while_it_is_sent(world, records, client, settings):
    export = _export(world)
    assert inspect.isgenerator(export.chunks)  # nothing read or written yet
    settings.HAMKKE_EXPORT_BUFFER_BYTES = 0
    world.lead_worker.login(client)
    data = {"period": "year", "year": str(records_year(world)), "reason": "연간 실적 점검(구청 제출)"}
    for file_format in ("csv", "xlsx"):
        response = client.post(reverse("reports:services_export"), {**data, "file_format": file_format})
        assert isinstance(response, StreamingHttpResponse) and response["Content-Disposition"].startswith("attach")
        content = b"".join(response.streaming_content)
        if file_format == "csv":
            assert len(_csv(content)) == 4
        else:
            assert load_workbook(io.BytesIO(content)).active.max_row == 4


def test_a_small_file_is_answered_whole(world, records, client):
    world.lead_worker.login(client)
    data = {"period": "year", "year": str(records_year(world)), "reason": "연간 실적 점검(구청 제출)"}
    response = client.post(reverse("reports:services_export"), data)
    assert not response.streaming and len(_csv(response.content)) == 4


@pytest.mark.parametrize(
    "data",
    [
        {"period": "custom", "start": "2026-05-01", "end": "2026-04-01"},
        {"period": "year", "year": "abcd"},
        {"period": "month", "year": "2026", "month": "13"},
    ],
)
def test_a_bad_period_on_the_page_is_a_message(world, records, client, data):
    world.lead_worker.login(client)
    response = client.post(reverse("reports:services_export"), {**data, "reason": "연간 실적 점검(구청 제출)"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert response.context["form"].errors
    assert not AccessLog.objects.filter(action=Action.EXPORT).exists()


def test_the_api_export(world, records, client):
    world.lead_worker.login(client)
    url = reverse("api_v1:service-record-export")
    year = records_year(world)
    response = client.get(url, {"start": f"{year}-01-01", "end": f"{year}-12-31", "reason": "기관 시스템 연계"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = _csv(response.content)
    assert rows[0][:4] == ["service_key", "case", "provided_on", "domain_code"]
    assert {row[7] for row in rows[1:]} == {"주거 청소 연계", "'" + FORMULA, "정신건강 상담 연계"}
    assert {row[3] for row in rows[1:]} == {"housing", "mental_health"}
    [log] = AccessLog.objects.filter(action=Action.EXPORT)
    assert f"{year}-01-01~{year}-12-31" in log.detail and log.person_ids == []


@pytest.mark.parametrize(
    "query,field",
    [
        ({"start": "2026-05-01", "end": "2026-04-01", "reason": "기관 시스템 연계"}, "end"),
        ({"start": "2026-13-01", "reason": "기관 시스템 연계"}, "start"),
        ({"file_format": "pdf", "reason": "기관 시스템 연계"}, "file_format"),
        ({}, "reason"),
    ],
)
def test_bad_api_parameters_are_a_message(world, records, client, query, field):
    world.lead_worker.login(client)
    response = client.get(reverse("api_v1:service-record-export"), query)
    assert response.status_code == 400 and field in response.json()["fields"]
    assert not AccessLog.objects.filter(action=Action.EXPORT).exists()
