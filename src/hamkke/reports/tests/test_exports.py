"""Exports: the workbook and the PDF report carry the right figures; raw records stay in scope and are audited."""

import csv
import datetime
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from hamkke.audit.models import AccessLog, Action
from hamkke.records.models import ServiceRecord
from hamkke.reports import pdf
from hamkke.reports.periods import Period
from hamkke.reports.selectors import report_scope, statistics_for_scope
from hamkke.testing.factories import CaseFactory, HouseholdFactory, PersonFactory

from .data import Sizes, generate

pytestmark = pytest.mark.django_db

YEAR_2024 = {"period": "year", "year": "2024"}
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


@pytest.fixture
def generated(world):
    generate(world, seed=7, sizes=Sizes(households=40, conferences=20))
    return world


def district_2024(world):
    return statistics_for_scope(scope=report_scope(actor=world.district_admin.actor), period=Period.of_year(2024))


def sheet_rows(book, title):
    return [list(row) for row in book[title].iter_rows(values_only=True)]


def test_xlsx_has_one_sheet_per_breakdown_with_the_figures_as_numbers(client, generated):
    world = generated
    world.district_admin.login(client)
    response = client.get(reverse("reports:figures_xlsx"), YEAR_2024)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:5] == ["요약", "서비스 영역별", "제공 기관별", "행정동별 서비스", "제공 방식별"]
    stats = district_2024(world)

    summary = {row[0]: row[1] for row in sheet_rows(book, "요약")[1:]}
    assert summary["신규 가구 수"] == stats.households_new
    assert summary["서비스 제공 건수"] == stats.services_count
    assert summary["서비스 제공 금액(원)"] == stats.services_amount
    assert summary["기간 말 관리 중 사례 수"] == stats.cases_active
    assert summary["종결 사례 수"] == stats.cases_closed
    assert summary["상담·방문 건수"] == stats.contacts_total
    assert summary["시작일"] == datetime.datetime(2024, 1, 1)  # a date cell, not text
    assert summary["종료일"] == datetime.datetime(2024, 12, 31)

    domains = sheet_rows(book, "서비스 영역별")
    assert domains[0] == ["서비스 영역", "건수", "금액(원)"]
    assert domains[1:-1] == [[row.label, row.count, row.amount] for row in stats.services_by_domain]
    assert domains[-1] == ["합계", stats.services_count, stats.services_amount]
    assert all(isinstance(n, int) for _label, n, _amount in domains[1:])

    months = sheet_rows(book, "월별 추이")[1:]
    assert [row[0] for row in months] == [datetime.datetime(2024, m, 1) for m in range(1, 13)]
    assert [row[3] for row in months] == [m.services for m in stats.months]
    assert book["월별 추이"]["A2"].number_format == "yyyy-mm"

    agencies = {row[0]: row[1] for row in sheet_rows(book, "제공 기관별")[1:-1]}
    assert agencies == {row.label: row.count for row in stats.services_by_agency}
    closed = {row[0]: row[1] for row in sheet_rows(book, "종결 사유별")[1:-1]}
    assert sum(closed.values()) == stats.cases_closed
    contacts = sheet_rows(book, "상담·방문")
    assert contacts[-1][-1] == stats.contacts_total
    assert "거부" in contacts[0] and "응답 없음" in contacts[0]
    referrals = sheet_rows(book, "의뢰")
    assert referrals[1][1] == stats.referrals_sent.total

    log = AccessLog.objects.filter(action=Action.EXPORT, user_id=world.district_admin.user.pk).get()
    assert log.object_type == "report" and log.object_id == "xlsx" and "2024" in log.detail


def test_pdf_report_is_a_pdf_with_korean_text_and_renders(client, generated, tmp_path):
    world = generated
    world.district_admin.login(client)
    response = client.get(reverse("reports:report_pdf"), YEAR_2024)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = response.content
    assert content.startswith(b"%PDF-") and b"%%EOF" in content[-1024:]
    assert b"/FontFile2" in content  # the TrueType font is embedded
    stats = district_2024(world)
    path = tmp_path / "report.pdf"
    path.write_bytes(content)

    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
        ).stdout
        assert "중구 통합사례관리 2024년 보고서" in text
        assert "서비스 영역별" in text and "주거·생활환경" in text
        assert f"{stats.services_count:,}" in text and f"{stats.services_amount:,}" in text

    if shutil.which("pdftoppm"):
        from PIL import Image

        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")], check=True
        )
        [png] = list(tmp_path.glob("page*.png"))
        image = Image.open(png).convert("L")
        dark = sum(image.histogram()[:128])
        assert dark > 0.01 * image.width * image.height  # text and bars, not a blank page
        ARTIFACTS.mkdir(exist_ok=True)
        shutil.copy(png, ARTIFACTS / "reports-pdf-page1.png")
    assert AccessLog.objects.filter(action=Action.EXPORT, object_id="pdf").count() == 1


def test_without_a_korean_font_the_pdf_view_explains_how_to_fix_it(client, world, monkeypatch, settings):
    settings.HAMKKE_PDF_FONT = ""
    monkeypatch.delenv("HAMKKE_PDF_FONT", raising=False)
    monkeypatch.setattr(pdf, "FONT_CANDIDATES", ("/nonexistent/NanumGothic.ttf",))
    world.district_admin.login(client)
    response = client.get(reverse("reports:report_pdf"))
    assert response.status_code == 503
    html = response.content.decode()
    assert "fonts-nanum" in html and "한글 글꼴" in html and "Korean TrueType font" in html
    assert not AccessLog.objects.filter(action=Action.EXPORT).exists()


def test_a_configured_font_that_is_missing_is_reported_not_silently_replaced(client, world, settings):
    settings.HAMKKE_PDF_FONT = "/srv/fonts/missing.ttf"
    world.district_admin.login(client)
    response = client.get(reverse("reports:report_pdf"))
    assert response.status_code == 503 and "/srv/fonts/missing.ttf" in response.content.decode()


def test_a_configured_font_is_used(world, settings):
    if not Path(pdf.FONT_CANDIDATES[0]).is_file():
        pytest.skip("fonts-nanum is not installed")
    settings.HAMKKE_PDF_FONT = pdf.FONT_CANDIDATES[0].replace("NanumGothic.ttf", "NanumMyeongjo.ttf")
    content = pdf.annual_report_pdf(district_2024(world))
    assert b"NanumMyeongjo" in content


# --- Raw service records (CSV) --------------------------------------------------------------------------


def service(case, agency, day, description):
    return ServiceRecord.objects.create(
        district=case.district,
        case=case,
        provided_on=day,
        domain="housing",
        mode=ServiceRecord.Mode.LINKED,
        provider_agency=agency,
        description=description,
        amount_kind="money",
        amount=50000,
        recorded_by=case.lead_worker,
    )


@pytest.fixture
def records(world):
    day = world.today
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
        "ours": service(world.case, world.participating_agency, day, "주거 청소 연계"),
        "other": service(other, world.unrelated_agency, day, "정신건강 상담"),
        "b": service(b_case, world.agency_b, day, "성동 서비스"),
        "old": service(world.case, world.lead_agency, day.replace(year=day.year - 1), "작년 서비스"),
    }


def export(client, **data):
    payload = {"period": "year", "year": str(data.pop("year")), "reason": data.pop("reason", "")}
    payload.update(data)
    return client.post(reverse("reports:services_export"), payload)


def csv_rows(response) -> list[list[str]]:
    assert response.content.startswith("\ufeff".encode())  # BOM: Excel opens the Korean correctly
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize(
    "who,expected",
    [
        ("lead_worker", {"주거 청소 연계"}),
        ("participant_worker", {"주거 청소 연계"}),  # the case is shared with its agency by consent
        ("unrelated_worker", {"정신건강 상담"}),
        ("district_admin", {"주거 청소 연계", "정신건강 상담"}),
        ("b_admin", {"성동 서비스"}),
    ],
)
def test_raw_records_only_from_cases_in_scope(client, world, records, who, expected):
    getattr(world, who).login(client)
    response = export(client, year=world.today.year, reason="연간 실적 점검(구청 제출)")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert rows[0][:4] == ["제공일", "사례 번호", "행정동", "서비스 영역"]
    assert {row[7] for row in rows[1:]} == expected
    assert all(row[9] == "50000" for row in rows[1:])


def test_raw_export_is_audited_with_the_reason_scope_and_period(client, world, records):
    world.lead_worker.login(client)
    export(client, year=world.today.year, reason="  연간 실적   점검(구청 제출)  ")
    log = AccessLog.objects.get(action=Action.EXPORT)
    assert log.user_id == world.lead_worker.user.pk and log.object_type == "servicerecord"
    assert "사유: 연간 실적 점검(구청 제출)" in log.detail and "1건" in log.detail
    assert f"{world.today.year}.01.01.~{world.today.year}.12.31." in log.detail
    assert "중구청 희망복지지원단의 열람 범위" in log.detail
    assert log.person_ids == []  # the scope and period name what was taken (records.exports)
    assert world.head.name not in log.detail


@pytest.mark.parametrize("reason", ["", "   ", "짧음", "x" * 201])
def test_raw_export_needs_a_reason_and_keeps_what_was_typed(client, world, records, reason):
    world.lead_worker.login(client)
    response = export(client, year=world.today.year, reason=reason, month="3")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    form = response.context["form"]
    assert "reason" in form.errors
    assert form.data["year"] == str(world.today.year)
    assert not AccessLog.objects.filter(action=Action.EXPORT).exists()


def test_raw_export_agency_filter_for_district_admins(client, world, records):
    world.district_admin.login(client)
    response = export(client, year=world.today.year, reason="복지관 실적 확인", agencies=[world.unrelated_agency.pk])
    assert {row[7] for row in csv_rows(response)[1:]} == {"정신건강 상담"}


def test_text_never_becomes_a_spreadsheet_formula(client, world, records):
    world.unrelated_agency.name = '=HYPERLINK("http://x","y")'
    world.unrelated_agency.save()
    ServiceRecord.objects.filter(pk=records["other"].pk).update(description="@SUM(A1:A9)")
    world.district_admin.login(client)
    rows = csv_rows(export(client, year=world.today.year, reason="수식 주입 점검"))
    other = next(row for row in rows if row[7].endswith("SUM(A1:A9)"))
    assert other[7] == "'@SUM(A1:A9)" and other[5] == '\'=HYPERLINK("http://x","y")'

    response = client.get(reverse("reports:figures_xlsx"), {"period": "year", "year": world.today.year})
    sheet = load_workbook(io.BytesIO(response.content))["제공 기관별"]
    [cell] = [c for (c,) in sheet.iter_rows(min_col=1, max_col=1) if str(c.value).startswith("'=HYPERLINK")]
    assert cell.data_type == "s"  # the one guard (core.spreadsheet), as in the raw records


def test_agency_names_are_text_in_the_pdf_not_markup(world):
    if not Path(pdf.FONT_CANDIDATES[0]).is_file():
        pytest.skip("fonts-nanum is not installed")
    world.lead_agency.name = "<b>희망&복지</b> <para"
    world.lead_agency.save()
    stats = statistics_for_scope(scope=report_scope(actor=world.lead_worker.actor), period=Period.of_year(2024))
    assert pdf.annual_report_pdf(stats).startswith(b"%PDF-")
