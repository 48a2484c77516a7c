"""What an approval request carries (ApprovalRequest.payload) and how it reads to people.

Kept in one place so that the text applied to the case on closure and the text shown in the
approval history are the same words.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hamkke.cases.models import CaseType, ClosureReason, CrisisLevel

from .models import ApprovalRequest


class GoalResult(models.TextChoices):
    """Evaluation of one goal of the active plan at closure (종결 평가)."""

    ACHIEVED = "achieved", gettext_lazy("달성")
    PARTLY = "partly", gettext_lazy("부분 달성")
    NOT_ACHIEVED = "not_achieved", gettext_lazy("미달성")


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def closure_evaluation_text(payload: dict) -> str:
    """The readable closure evaluation: the overall judgement, then one line per goal."""
    lines = [_("종합 평가: %(text)s") % {"text": payload.get("evaluation", "")}]
    goals = payload.get("goals") or []
    if goals:
        lines.append(_("목표별 평가:"))
        for goal in goals:
            line = f"- {goal.get('description', '')}: {_label(GoalResult, goal.get('result', ''))}"
            if goal.get("note"):
                line += f" ({goal['note']})"
            lines.append(line)
    return "\n".join(lines)


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
