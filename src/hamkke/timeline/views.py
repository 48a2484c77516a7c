from django.shortcuts import render
from django.utils.translation import gettext as _

from hamkke.audit.models import Action
from hamkke.audit.services import audit_record
from hamkke.cases.selectors import case_get_for_actor, case_team_agencies
from hamkke.core.views import scoped_or_404

from .selectors import KINDS, case_timeline_page, case_timeline_years, cursor_from_token, year_cursor


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def case_timeline_view(request, uuid):
    case = scoped_or_404(request, case_get_for_actor, object_type="case", uuid=uuid)
    years = case_timeline_years(case=case)
    year = _int_or_none(request.GET.get("year"))
    year = year if year in years else None
    agencies = case_team_agencies(case=case)
    agency_id = _int_or_none(request.GET.get("agency"))
    agency_id = agency_id if agency_id in {a.pk for a in agencies} else None
    kinds = {k for k in request.GET.getlist("kind") if k in KINDS}
    cursor, notice = None, ""
    if request.GET.get("cursor"):
        cursor = cursor_from_token(case, request.GET["cursor"])
        if cursor is None:
            notice = _("페이지 위치를 읽을 수 없어 최신 기록부터 보여 드립니다.")
    elif (jump := _int_or_none(request.GET.get("jump"))) in years and jump is not None:
        cursor = year_cursor(jump)
    page = case_timeline_page(
        actor=request.actor, case=case, agency_id=agency_id, kinds=kinds, year=year, cursor=cursor
    )
    audit_record(
        actor=request.actor,
        action=Action.VIEW,
        obj=case,
        case_id=case.pk,
        request=request,
        person_ids=[p.pk for p in case.household.members.all()],
        detail="timeline",
    )
    names = {a.pk: a.name for a in agencies}
    return render(
        request,
        "timeline/case_timeline.html",
        {
            "case": case,
            "page": page,
            "rows": [(e, names.get(e.agency_id, "")) for e in page.events],
            "years": years,
            "year": year,
            "agencies": agencies,
            "agency_id": agency_id,
            "kinds": KINDS,
            "chosen_kinds": kinds,
            "not_newest": cursor is not None,
            "notice": notice,
        },
    )
