from django import template

register = template.Library()

NEED_TONE = {"discussing": "muted", "selected": "info", "set_aside": "warn", "achieved": "ok", "dropped": "muted"}


@register.filter
def need_tone(status: str) -> str:
    return NEED_TONE.get(status, "muted")
