"""What a closure (종결) carries and how its evaluation reads to people.

Kept in one place so that the text applied to the case on closure and the text shown in the
approval history are the same words.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class GoalResult(models.TextChoices):
    """Evaluation of one goal of the active plan at closure (종결 평가)."""

    ACHIEVED = "achieved", gettext_lazy("달성")
    PARTLY = "partly", gettext_lazy("부분 달성")
    NOT_ACHIEVED = "not_achieved", gettext_lazy("미달성")


def choice_label(choices: type[models.TextChoices], value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def closure_evaluation_text(payload: dict) -> str:
    """The readable closure evaluation: the overall judgement, then one line per goal."""
    lines = [_("종합 평가: %(text)s") % {"text": payload.get("evaluation", "")}]
    goals = payload.get("goals") or []
    if goals:
        lines.append(_("목표별 평가:"))
        for goal in goals:
            line = f"- {goal.get('description', '')}: {choice_label(GoalResult, goal.get('result', ''))}"
            if goal.get("note"):
                line += f" ({goal['note']})"
            lines.append(line)
    return "\n".join(lines)
