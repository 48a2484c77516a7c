"""The annual report as PDF (reportlab), with a Korean TrueType font.

reportlab embeds TrueType (glyf) fonts only, so the font is looked up in this order:
1. the ``HAMKKE_PDF_FONT`` setting (or environment variable): a path to a .ttf file;
2. Debian's packages: fonts-nanum (NanumGothic), fonts-unfonts-core (UnDotum), fonts-baekmuk (gulim).
Noto CJK (fonts-noto-cjk) is OpenType/CFF, which reportlab cannot embed. Without a Korean font
``KoreanFontMissing`` is raised and the view answers 503 with how to fix it (never boxes of tofu).
"""

from __future__ import annotations

import io
import os
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .selectors import Row, Statistics

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
    "/usr/share/fonts/truetype/unfonts-core/UnDotum.ttf",
    "/usr/share/fonts/truetype/baekmuk/gulim.ttf",
)
REGULAR, BOLD = "HamkkeKorean", "HamkkeKorean-Bold"
BRAND = colors.HexColor("#1f6f5c")
LINE = colors.HexColor("#d9e2ec")
HEAD_BG = colors.HexColor("#e4eef2")


class KoreanFontMissing(Exception):
    """No TrueType font with Hangul was found (install fonts-nanum or set HAMKKE_PDF_FONT)."""

    def __init__(self, configured: str = ""):
        self.configured = configured
        super().__init__(configured or "no Korean TrueType font")


def korean_font_path() -> Path:
    """The Korean font to embed; raises KoreanFontMissing when there is none."""
    configured = getattr(settings, "HAMKKE_PDF_FONT", "") or os.environ.get("HAMKKE_PDF_FONT", "")
    if configured:
        # An explicit choice that does not exist is an error to fix, not a reason to fall back silently.
        if not Path(configured).is_file():
            raise KoreanFontMissing(configured)
        return Path(configured)
    for candidate in FONT_CANDIDATES:
        if Path(candidate).is_file():
            return Path(candidate)
    raise KoreanFontMissing()


@lru_cache(maxsize=4)
def _register(path: str) -> tuple[str, str]:
    """Register the font (and its bold face next to it, when there is one) under fixed names."""
    try:
        regular = TTFont(f"{REGULAR}-{Path(path).stem}", path)
    except Exception as error:  # not a TrueType font reportlab can embed (e.g. an OpenType/CFF file)
        raise KoreanFontMissing(path) from error
    pdfmetrics.registerFont(regular)
    bold_name = regular.fontName
    bold_path = Path(path).with_name(Path(path).stem + "Bold" + Path(path).suffix)
    if bold_path.is_file():
        bold = TTFont(f"{BOLD}-{Path(path).stem}", str(bold_path))
        pdfmetrics.registerFont(bold)
        bold_name = bold.fontName
    return regular.fontName, bold_name


def font_names() -> tuple[str, str]:
    """(regular, bold) names of the registered Korean font, for any PDF Hamkke writes."""
    return _register(str(korean_font_path()))


def _styles(regular: str, bold: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=regular, fontSize=9.5, leading=14, wordWrap="CJK")
    return {
        "base": base,
        "title": ParagraphStyle("title", parent=base, fontName=bold, fontSize=18, leading=24, textColor=BRAND),
        "h2": ParagraphStyle(
            "h2", parent=base, fontName=bold, fontSize=12.5, leading=18, spaceBefore=10, spaceAfter=4, textColor=BRAND
        ),
        "muted": ParagraphStyle("muted", parent=base, textColor=colors.HexColor("#616e7c"), fontSize=8.5),
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
    }


def _table(data: list[list], regular: str, bold: str, widths=None, total_row: bool = False) -> Table:
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    style = [
        ("FONTNAME", (0, 0), (-1, -1), regular),
        ("FONTNAME", (0, 0), (-1, 0), bold),
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, LINE),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    if total_row:
        style.append(("FONTNAME", (0, -1), (-1, -1), bold))
    table.setStyle(TableStyle(style))
    return table


def _n(value: int) -> str:
    return f"{value:,}"


_won = _n


def _breakdown(rows: list[Row], first: str, fonts, with_amount: bool = False) -> Table:
    header = [first, _("건수")] + ([_("금액(원)")] if with_amount else [])
    data = [header] + [[row.label, _n(row.count)] + ([_won(row.amount)] if with_amount else []) for row in rows]
    total = [_("합계"), _n(sum(r.count for r in rows))]
    data.append(total + ([_won(sum(r.amount for r in rows))] if with_amount else []))
    widths = [70 * mm, 30 * mm] + ([40 * mm] if with_amount else [])
    return _table(data, *fonts, widths=widths, total_row=True)


def _month_chart(stats: Statistics, regular: str) -> Drawing:
    drawing = Drawing(170 * mm, 62 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 12 * mm, 10 * mm, 150 * mm, 46 * mm
    chart.data = [[m.services for m in stats.months]]
    chart.categoryAxis.categoryNames = [m.label[2:] if len(stats.months) > 6 else m.label for m in stats.months]
    chart.categoryAxis.labels.fontName = regular
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = regular
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = BRAND
    chart.bars[0].strokeColor = None
    drawing.add(chart)
    return drawing


def _domain_chart(stats: Statistics, regular: str) -> Drawing:
    rows = stats.services_by_domain[::-1]
    drawing = Drawing(170 * mm, max(40, 7 * len(rows)) * mm)
    chart = HorizontalBarChart()
    chart.x, chart.y = 32 * mm, 4 * mm
    chart.width, chart.height = 130 * mm, drawing.height - 8 * mm
    chart.data = [[row.count for row in rows]]
    chart.categoryAxis.categoryNames = [row.label for row in rows]
    chart.categoryAxis.labels.fontName = regular
    chart.categoryAxis.labels.fontSize = 7.5
    chart.valueAxis.labels.fontName = regular
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = colors.HexColor("#2457a6")
    chart.bars[0].strokeColor = None
    drawing.add(chart)
    return drawing


def annual_report_pdf(stats: Statistics) -> bytes:
    """The report for the period and scope of ``stats`` (a year: the annual report)."""
    fonts = font_names()
    regular, bold = fonts
    st = _styles(regular, bold)
    period, scope = stats.period, stats.scope
    generated = timezone.localtime(stats.generated_at)

    story = [
        Paragraph(
            _("%(district)s 통합사례관리 %(period)s 보고서")
            % {"district": escape(scope.district_name), "period": period.label},
            st["title"],
        ),
        Paragraph(escape(f"{scope.label} · {period.range_label}"), st["base"]),  # names are data, not markup
        Paragraph(_("작성 %(at)s · 함께(Hamkke)") % {"at": f"{generated:%Y-%m-%d %H:%M}"}, st["muted"]),
        Spacer(1, 6 * mm),
        Paragraph(_("한눈에 보기"), st["h2"]),
        _table(
            [
                [_("항목"), _("값")],
                [_("신규 가구(처음 사례가 열린 가구)"), _n(stats.households_new)],
                [_("신규 개시 사례"), _n(stats.cases_opened)],
                [_("기간 말 관리 중 사례"), _n(stats.cases_active)],
                [_("종결 사례"), _n(stats.cases_closed)],
                [_("맞춤형 서비스 제공"), _n(stats.services_count)],
                [_("서비스 제공 금액(원)"), _won(stats.services_amount)],
                [_("상담·방문"), _n(stats.contacts_total)],
                [
                    _("보낸 의뢰 / 받은 의뢰"),
                    f"{_n(stats.referrals_sent.total)} / {_n(stats.referrals_received.total)}",
                ],
                [_("의뢰 응답 시간 중앙값(보낸 의뢰)"), stats.referrals_sent.median_label],
                [_("사례회의 / 워크숍"), f"{_n(stats.conferences_held)} / {_n(stats.workshops_held)}"],
            ],
            regular,
            bold,
            widths=[90 * mm, 50 * mm],
        ),
        Paragraph(_("월별 서비스 제공 건수"), st["h2"]),
        _month_chart(stats, regular),
        _table(
            [[_("월"), _("신규 가구"), _("신규 사례"), _("서비스"), _("금액(원)"), _("상담·방문")]]
            + [
                [m.label, _n(m.households_new), _n(m.cases_opened), _n(m.services), _won(m.amount), _n(m.contacts)]
                for m in stats.months
            ],
            regular,
            bold,
        ),
        Paragraph(_("서비스 영역별"), st["h2"]),
        _domain_chart(stats, regular),
        _breakdown(stats.services_by_domain, _("서비스 영역"), fonts, with_amount=True),
        Paragraph(_("제공 방식별(직접·연계)"), st["h2"]),
        _breakdown(stats.services_by_mode, _("제공 방식"), fonts, with_amount=True),
        Paragraph(_("제공 기관별"), st["h2"]),
        _breakdown(stats.services_by_agency, _("제공 기관"), fonts, with_amount=True),
        Paragraph(_("행정동별"), st["h2"]),
        _table(
            [[_("행정동"), _("신규 가구"), _("관리 중 사례"), _("서비스"), _("금액(원)")]]
            + [
                [d.label, _n(d.households_new), _n(d.cases_active), _n(d.services), _won(d.amount)] for d in stats.dongs
            ],
            regular,
            bold,
        ),
        Paragraph(_("사례(기간 말 기준)"), st["h2"]),
        KeepTogether([_breakdown(stats.active_by_stage, _("단계"), fonts)]),
        Spacer(1, 3 * mm),
        KeepTogether([_breakdown(stats.active_by_type, _("사례 구분"), fonts)]),
        Spacer(1, 3 * mm),
        KeepTogether([_breakdown(stats.active_by_crisis, _("위기도"), fonts)]),
        Paragraph(_("종결 사유별"), st["h2"]),
        _breakdown(stats.closed_by_reason, _("종결 사유"), fonts),
        Paragraph(_("상담·방문(거부·응답 없음 포함)"), st["h2"]),
        _table(
            [[_("방법"), *stats.outcome_labels, _("합계")]]
            + [[line.label, *(_n(n) for n in line.counts), _n(line.total)] for line in stats.contact_lines]
            + [[_("합계"), *(_n(r.count) for r in stats.contacts_by_outcome), _n(stats.contacts_total)]],
            regular,
            bold,
            total_row=True,
        ),
        Paragraph(_("의뢰와 사례회의"), st["h2"]),
        _table(
            [[_("구분"), _("건수"), _("수락"), _("거절"), _("대기"), _("응답 시간 중앙값")]]
            + [
                [label, _n(f.total), _n(f.accepted), _n(f.declined), _n(f.waiting), f.median_label]
                for label, f in ((_("보낸 의뢰"), stats.referrals_sent), (_("받은 의뢰"), stats.referrals_received))
            ],
            regular,
            bold,
        ),
        Spacer(1, 3 * mm),
        _table(
            [
                [_("구분"), _("건수")],
                [_("사례회의 개최"), _n(stats.conferences_held)],
                [_("사례 공유 워크숍 개최"), _n(stats.workshops_held)],
                [_("논의된 사례(중복 제외)"), _n(stats.cases_discussed)],
            ],
            regular,
            bold,
        ),
        Spacer(1, 6 * mm),
        Paragraph(
            _(
                "신규 가구는 그 가구의 첫 사례가 이 기간에 열린 가구입니다(한 해에 사례가 여럿이어도 한 번). "
                "기간의 경계는 서울 시각 자정입니다."
            ),
            st["muted"],
        ),
    ]

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(regular, 8)
        canvas.setFillColor(colors.HexColor("#616e7c"))
        canvas.drawRightString(A4[0] - 15 * mm, 10 * mm, f"{scope.district_name} · {period.label} · {doc.page}")
        canvas.restoreState()

    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=f"{scope.district_name} {period.label}",
        author="Hamkke",
        creator="Hamkke",
    )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()
