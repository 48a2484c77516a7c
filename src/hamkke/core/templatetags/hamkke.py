from django import template

register = template.Library()

STAGE_TONE = {
    "identification": "muted", "initial_consultation": "muted", "intake": "info", "assessment": "info",
    "conference": "info", "selection": "info", "planning": "info", "delivery": "ok", "reassessment": "info",
    "linkage": "ok", "refused": "warn", "on_hold": "warn", "closed": "muted", "follow_up": "muted",
}
CRISIS_TONE = {"high": "danger", "medium": "warn", "low": "ok"}


@register.filter
def stage_tone(stage: str) -> str:
    return STAGE_TONE.get(stage, "muted")


@register.filter
def crisis_tone(level: str) -> str:
    return CRISIS_TONE.get(level, "muted")
