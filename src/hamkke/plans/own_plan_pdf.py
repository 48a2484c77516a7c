"""The person's own plan as an A4 PDF in large type (reportlab, the Korean font of reports.pdf)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from hamkke.reports.pdf import font_names

from .own_plan import OwnPlan

BRAND = colors.HexColor("#1f6f5c")


def _day(value) -> str:
    return f"{value.month}월 {value.day}일" if value else ""


def own_plan_pdf(own: OwnPlan) -> bytes:
    """Raises reports.pdf.KoreanFontMissing when no Korean TrueType font is installed."""
    regular, bold = font_names()
    base = ParagraphStyle("base", fontName=regular, fontSize=15, leading=23, wordWrap="CJK")
    title = ParagraphStyle("title", parent=base, fontName=bold, fontSize=24, leading=32, textColor=BRAND)
    h2 = ParagraphStyle("h2", parent=base, fontName=bold, fontSize=18, leading=26, spaceBefore=12, textColor=BRAND)
    h3 = ParagraphStyle("h3", parent=base, fontName=bold, fontSize=15.5, leading=23, spaceBefore=6)
    words = ParagraphStyle("words", parent=base, fontSize=16, leading=25, leftIndent=6 * mm)

    def p(text: str, style=base) -> Paragraph:
        return Paragraph(escape(text), style)

    story = [p(_("%(name)s님의 계획") % {"name": own.name}, title), Spacer(1, 4 * mm)]
    for wish in own.wishes:
        story.append(p(_("하고 싶은 것"), h2))
        if wish.in_own_words:
            story.append(p(f"“{wish.in_own_words}”", words))
        story.append(p(wish.aim))
        for heading, steps in (
            (_("내가 할 일"), wish.own_steps),
            (_("함께 도와줄 사람"), wish.helpers),
            (_("도움을 주는 곳"), wish.services),
        ):
            if not steps:
                continue
            story.append(p(heading, h3))
            for step in steps:
                line = (f"{step.who}: " if step.who else "") + step.text
                if step.when:
                    line += f" ({_day(step.when)})"
                if step.contact:
                    line += f" · {_('연락처')} {step.contact}"
                story.append(p(("✔ " if step.done else "• ") + line))
    story.append(p(_("궁금할 때 연락할 곳"), h2))
    story.append(p(" ".join(x for x in (own.agency, own.worker, own.agency_phone) if x)))
    if own.next_look:
        day = f"{own.next_look.year}년 {_day(own.next_look)}"
        story.append(p(_("%(day)s쯤 함께 다시 살펴봅니다.") % {"day": day}))
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=20 * mm)
    doc.title = _("나의 계획")
    doc.build(story)
    return out.getvalue()
