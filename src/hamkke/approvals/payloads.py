"""How what an approval request carries (ApprovalRequest.payload) reads to people.

The closure's own words (GoalResult, the evaluation text) live with the case (cases/closure.py),
which applies them on approval; the history shows the same words.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from hamkke.cases.closure import choice_label as _label
from hamkke.cases.closure import closure_evaluation_text
from hamkke.cases.models import CaseType, ClosureReason, CrisisLevel

from .models import ApprovalRequest


def describe(approval: ApprovalRequest) -> list[str]:
    """Short lines saying what was submitted, for the approval history and the inbox."""
    payload = approval.payload or {}
    if approval.kind == ApprovalRequest.Kind.CLASSIFICATION:
        case_type = CaseType.objects.filter(pk=payload.get("case_type"), district_id=approval.district_id).first()
        lines = [
            _("사례 구분: %(type)s") % {"type": case_type.name if case_type else "—"},
            _("위기도: %(level)s") % {"level": _label(CrisisLevel, payload.get("crisis_level", ""))},
        ]
        if payload.get("note"):
            lines.append(payload["note"])
        return lines
    if approval.kind == ApprovalRequest.Kind.CLOSURE:
        reason = _("종결 사유: %(reason)s") % {"reason": _label(ClosureReason, payload.get("closure_reason", ""))}
        return [reason, *closure_evaluation_text(payload).splitlines()]
    if approval.plan_id:
        return [_("서비스 계획 %(version)s판") % {"version": approval.plan.version}]
    return []
