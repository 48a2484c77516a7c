"""What the person page may offer: the full-RRN link and the access-request export."""

from django import template

from hamkke.people import privacy

register = template.Library()


@register.simple_tag(takes_context=True)
def person_privacy(context, person) -> dict:
    actor = context.get("actor")
    if actor is None:
        return {"full_rrn": False, "access_request": False}
    return {
        "full_rrn": person.has_rrn and privacy.may_view_full_rrn(actor),
        "access_request": privacy.person_export_allowed(actor=actor, person=person),
    }
