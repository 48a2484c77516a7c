"""The eco-map and genogram of a case: one page (printable) and each diagram as an SVG file."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from hamkke.audit.models import Action
from hamkke.audit.services import audit_record
from hamkke.cases.selectors import case_get_for_actor
from hamkke.core.views import scoped_or_404

from . import selectors
from .layout import ecomap_layout, genogram_layout


def _diagrams(request, uuid) -> dict:
    case = scoped_or_404(request, case_get_for_actor, object_type="case", uuid=uuid)
    members = selectors.genogram_members(case=case)
    index = next((m for m in members if m.is_index), None)
    audit_record(
        actor=request.actor,
        action=Action.VIEW,
        obj=case,
        case_id=case.pk,
        person_ids=[p.pk for p in case.household.members.all()],
        request=request,
        detail="diagrams",
    )
    return {
        "case": case,
        "genogram": genogram_layout(members),
        "ecomap": ecomap_layout(
            index.label if index else str(case.household), selectors.ecomap_ties(actor=request.actor, case=case)
        ),
    }


def case_diagrams(request, uuid):
    return render(request, "diagrams/case.html", _diagrams(request, uuid))


def diagram_svg(request, uuid, kind: str):
    """One diagram as an SVG file (to print or put into a document)."""
    context = _diagrams(request, uuid)
    svg = render_to_string(f"diagrams/{kind}.svg", context, request=request)
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{kind}-{context["case"].reference}.svg"'
    return response
