"""알림함: the actor's inbox, derived at request time (inbox.selectors)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from hamkke.audit.models import Action
from hamkke.audit.services import audit_record

from .selectors import inbox_for_actor


@require_GET
def index(request):
    actor = request.actor
    sections = inbox_for_actor(actor=actor)
    items = [item for section in sections for item in section.items]
    audit_record(
        actor=actor,
        action=Action.LIST,
        object_type="inbox",
        request=request,
        person_ids=[i.person_id for i in items if i.person_id],
        detail=f"{len(items)} items",
    )
    return render(request, "inbox/index.html", {"sections": sections, "total": len(items)})
