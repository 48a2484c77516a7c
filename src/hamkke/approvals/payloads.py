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
        lines = _classification_lines(approval, payload)
        if payload.get("note"):
            lines.append(payload["note"])
        return lines
    if approval.kind == ApprovalRequest.Kind.CLOSURE:
        reason = _("종결 사유: %(reason)s") % {"reason": _label(ClosureReason, payload.get("closure_reason", ""))}
        lines = [reason, *closure_evaluation_text(payload).splitlines()]
        if payload.get("case_type"):
            lines += _classification_lines(approval, payload)
        return lines
    if approval.plan_id:
        return _plan_lines(approval.plan)
    return []


def _classification_lines(approval: ApprovalRequest, payload: dict) -> list[str]:
    case_type = CaseType.objects.filter(pk=payload.get("case_type"), district_id=approval.district_id).first()
    return [
        _("사례 구분: %(type)s") % {"type": case_type.name if case_type else "—"},
        _("위기도: %(level)s") % {"level": _label(CrisisLevel, payload.get("crisis_level", ""))},
    ]


def _plan_lines(plan) -> list[str]:
    """The plan as decided: its summary, then each goal with its actions (who does what, by when).

    Reads ``plan.goals`` and ``goal.actions`` through the reverse relations, prefetched by the
    approvals selectors, so the approvals app does not import the plans app.
    """
    lines = [_("서비스 계획 %(version)s판") % {"version": plan.version}]
    if plan.summary:
        lines.append(plan.summary)
    for goal in plan.goals.all():
        lines.append(_("목표: %(goal)s") % {"goal": goal.description})
        for action in goal.actions.all():
            who = action.performer_name or action.get_performer_display()
            due = f" ~{action.due_on:%Y-%m-%d}" if action.due_on else ""
            lines.append(f"  - {action.description} ({who}{due})")
    return lines
