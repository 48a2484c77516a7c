"""The figures workbook (xlsx). The raw service records are exported by ``records.exports``.

Builders only: they take what the selectors returned and give bytes. Permission checks and the
access log are the services' job (``services.report_export``).
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from hamkke.core.spreadsheet import guarded

from .selectors import Row, Statistics

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E4EEF2")
WON = '#,##0"원"'
COUNT = "#,##0"


def _append(sheet, values: Sequence) -> None:
    """Append a row through the one formula guard: text is always stored as text, never as a formula."""
    sheet.append(guarded(values))


def _sheet(book: Workbook, title: str, header: Sequence[str], rows: Iterable[Sequence], formats: dict | None = None):
    sheet = book.create_sheet(title[:31])
    _append(sheet, header)
    for cell in sheet[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for row in rows:
        _append(sheet, row)
    for column, number_format in (formats or {}).items():
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = number_format
    for index, title_text in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(str(title_text)) * 2 + 4)
    sheet.freeze_panes = "A2"
    return sheet


def _rows(rows: list[Row], total_label: str, with_amount: bool) -> list[list]:
    body = [[row.label, row.count] + ([row.amount] if with_amount else []) for row in rows]
    total = [total_label, sum(row.count for row in rows)] + ([sum(row.amount for row in rows)] if with_amount else [])
    return body + [total]


def _breakdown(book, title, rows: list[Row], first: str, with_amount: bool = False):
    header = [first, _("건수")] + ([_("금액(원)")] if with_amount else [])
    sheet = _sheet(book, title, header, _rows(rows, _("합계"), with_amount), {2: COUNT, 3: WON})
    for cell in sheet[sheet.max_row]:
        cell.font = HEADER_FONT
    return sheet


def statistics_xlsx(stats: Statistics) -> bytes:
    """One sheet per breakdown, Korean headers, numbers as numbers and dates as dates."""
    book = Workbook()
    summary = book.active
    summary.title = _("요약")
    period, generated = stats.period, timezone.localtime(stats.generated_at).replace(tzinfo=None)
    lines = [
        (_("보고 범위"), stats.scope.label),
        (_("기간"), period.label),
        (_("시작일"), period.start),
        (_("종료일"), period.end),
        (_("작성 일시"), generated),
        (_("신규 가구 수"), stats.households_new),
        (_("신규 개시 사례 수"), stats.cases_opened),
        (_("기간 말 관리 중 사례 수"), stats.cases_active),
        (_("종결 사례 수"), stats.cases_closed),
        (_("서비스 제공 건수"), stats.services_count),
        (_("서비스 제공 금액(원)"), stats.services_amount),
        (_("상담·방문 건수"), stats.contacts_total),
        (_("보낸 의뢰"), stats.referrals_sent.total),
        (_("받은 의뢰"), stats.referrals_received.total),
        (_("사례회의 개최"), stats.conferences_held),
        (_("사례 공유 워크숍 개최"), stats.workshops_held),
    ]
    summary.append([_("항목"), _("값")])
    for cell in summary[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for label, value in lines:
        _append(summary, [label, value])
        cell = summary.cell(row=summary.max_row, column=2)
        if isinstance(value, datetime.datetime):
            cell.number_format = "yyyy-mm-dd hh:mm"
        elif isinstance(value, datetime.date):
            cell.number_format = "yyyy-mm-dd"
        elif isinstance(value, int):
            cell.number_format = WON if "원" in label else COUNT
    summary.column_dimensions["A"].width = 26
    summary.column_dimensions["B"].width = 40

    _breakdown(book, _("서비스 영역별"), stats.services_by_domain, _("서비스 영역"), with_amount=True)
    _breakdown(book, _("제공 기관별"), stats.services_by_agency, _("제공 기관"), with_amount=True)
    _breakdown(book, _("행정동별 서비스"), stats.services_by_dong, _("행정동"), with_amount=True)
    _breakdown(book, _("제공 방식별"), stats.services_by_mode, _("제공 방식"), with_amount=True)
    _sheet(
        book,
        _("월별 추이"),
        [_("월"), _("신규 가구"), _("신규 사례"), _("서비스 건수"), _("서비스 금액(원)"), _("상담·방문")],
        [[m.month, m.households_new, m.cases_opened, m.services, m.amount, m.contacts] for m in stats.months],
        {1: "yyyy-mm", 2: COUNT, 3: COUNT, 4: COUNT, 5: WON, 6: COUNT},
    )
    _sheet(
        book,
        _("행정동별"),
        [_("행정동"), _("신규 가구"), _("관리 중 사례"), _("서비스 건수"), _("서비스 금액(원)")],
        [[d.label, d.households_new, d.cases_active, d.services, d.amount] for d in stats.dongs],
        {2: COUNT, 3: COUNT, 4: COUNT, 5: WON},
    )
    _breakdown(book, _("단계별(기간 말)"), stats.active_by_stage, _("단계"))
    _breakdown(book, _("사례 구분별(기간 말)"), stats.active_by_type, _("사례 구분"))
    _breakdown(book, _("위기도별(기간 말)"), stats.active_by_crisis, _("위기도"))
    _breakdown(book, _("종결 사유별"), stats.closed_by_reason, _("종결 사유"))
    _sheet(
        book,
        _("상담·방문"),
        [_("방법"), *stats.outcome_labels, _("합계")],
        [[line.label, *line.counts, line.total] for line in stats.contact_lines]
        + [[_("합계"), *(row.count for row in stats.contacts_by_outcome), stats.contacts_total]],
    )
    referral_header = [
        _("구분"),
        _("의뢰 건수"),
        _("수락(완료 포함)"),
        _("거절"),
        _("응답 대기"),
        _("완료"),
        _("취소"),
        _("응답 건수"),
        _("응답 시간 중앙값(시간)"),
    ]
    _sheet(
        book,
        _("의뢰"),
        referral_header,
        [
            [
                label,
                f.total,
                f.accepted,
                f.declined,
                f.waiting,
                f.completed,
                f.withdrawn,
                f.responded,
                round(f.median_hours, 2) if f.median_hours is not None else None,
            ]
            for label, f in ((_("보낸 의뢰"), stats.referrals_sent), (_("받은 의뢰"), stats.referrals_received))
        ],
        {9: "0.00"},
    )
    _sheet(
        book,
        _("사례회의"),
        [_("구분"), _("건수")],
        [
            [_("사례회의 개최"), stats.conferences_held],
            [_("사례 공유 워크숍 개최"), stats.workshops_held],
            [_("논의된 사례(중복 제외)"), stats.cases_discussed],
        ],
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
