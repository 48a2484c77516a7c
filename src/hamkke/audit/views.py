"""The access-log viewer (접속기록 조회) for auditors and district case-management admins."""

import csv
import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hamkke.access.policy import SIGN_ACCESS_REVIEW, may
from hamkke.cases.models import Case
from hamkke.core.forms import apply_service_errors

from . import monthflags, selectors, services, tasks
from .flags import flags_for_rows
from .forms import ExportForm, LogFilterForm, MonthlyReviewForm
from .models import Action, MonthFlagRun

PAGE_SIZE = 100


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP rows (``SELECT count(*) FROM (... LIMIT cap+1)``): a month of a metro district
    is millions of rows, and an exact count of them costs seconds on every page. Beyond the cap the page
    says "10,000+" and the filters narrow it down."""

    COUNT_CAP = 10_000

    @cached_property
    def count(self) -> int:
        return self.object_list[: self.COUNT_CAP + 1].count()

    @property
    def count_label(self) -> str:
        return f"{self.COUNT_CAP:,}+" if self.count > self.COUNT_CAP else f"{self.count:,}"


def _require_reader(request):
    if not selectors.may_read_log(request.actor):
        raise PermissionDenied


def _filtered_log(request, form):
    """The filtered log; the case filter resolves a case number, the person filter public ids (``person``),
    within the district. A person's name never comes in the URL (see ``access_log``)."""
    data = form.cleaned_data
    actor = request.actor
    case_id = person_ids = None
    if data.get("case_ref"):
        ref = data["case_ref"].strip().lower().replace("-", "")
        case = (
            Case.objects.filter(district_id=actor.district_id)
            .annotate(u=Cast("uuid", CharField()))
            .filter(u__startswith=ref[:8])
            .first()
        )
        case_id = case.pk if case else -1
    if request.GET.getlist("person"):
        person_ids = selectors.log_person_ids(actor=actor, uuids=request.GET.getlist("person")) or [-1]
    qs = selectors.access_log_for_actor(
        actor=actor,
        start=data["start"],
        end=data["end"],
        username=data.get("username", "").strip(),
        action=data.get("action", ""),
        case_id=case_id,
    )
    if person_ids:
        condition = Q()
        for pid in person_ids:
            condition |= selectors.person_condition(pid)
        qs = qs.filter(condition)
    return qs


@require_http_methods(["GET", "POST"])
def access_log(request):
    """GET: the filtered log. POST: the filter form, whose person name is turned into the persons'
    public ids before redirecting to GET, so that the name is in no URL, browser history or log."""
    _require_reader(request)
    if request.method == "POST":
        return _filter_by_post(request)
    data = request.GET.copy()
    data.pop("person_name", None)  # a name in the URL (an old link) is not used
    form = LogFilterForm(data or {})
    if not form.is_valid():
        return render(request, "audit/log.html", {"form": form, "page": None, "flags": []})
    qs = _filtered_log(request, form)
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    logs = list(page.object_list)
    flagged = flags_for_rows(district_id=request.actor.district_id, logs=logs)
    flags = sorted(flagged.values(), key=lambda flag: (flag.at, flag.log_id))
    services.audit_record(
        actor=request.actor,
        action=Action.LIST,
        object_type="accesslog",
        request=request,
        detail=f"{form.cleaned_data['start']}~{form.cleaned_data['end']}",
    )
    return render(
        request,
        "audit/log.html",
        {
            "form": form,
            "page": page,
            "rows": [(log, flagged.get(log.pk)) for log in logs],
            "flags": flags,
            "export_form": ExportForm(),
            "person_count": len(request.GET.getlist("person")),
        },
    )


def _filter_by_post(request):
    form = LogFilterForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        query = {key: data[key] for key in ("start", "end", "username", "action", "case_ref") if data.get(key)}
        name = data.get("person_name", "").strip()
        if name:
            query["person"] = selectors.log_persons_named(actor=request.actor, name=name)
        if not name or query["person"]:
            return redirect(f"{reverse('audit:log')}?{urlencode(query, doseq=True)}")
        form.add_error("person_name", _("이 시군구에 그 성명의 당사자가 없습니다."))
    return render(request, "audit/log.html", {"form": form, "page": None, "flags": []})


@require_POST
def access_log_export(request):
    """CSV of the filtered log. It names people's ids: a reason is asked first and logged."""
    _require_reader(request)
    form = LogFilterForm(request.GET or {})
    export = ExportForm(request.POST)
    if not (form.is_valid() and export.is_valid()):
        messages.error(request, _("내려받는 사유를 적으세요."))
        return redirect(f"{request.path.rsplit('export/', 1)[0]}?{request.GET.urlencode()}")
    rows = _filtered_log(request, form)[:50_000]
    services.audit_record(
        actor=request.actor,
        action=Action.EXPORT,
        object_type="accesslog",
        request=request,
        detail=f"reason: {export.cleaned_data['reason']}",
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="access-log-{timezone.localdate():%Y%m%d}.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 Korean with the BOM
    writer = csv.writer(response)
    writer.writerow(
        ["일시", "사용자", "기관 ID", "행위", "대상 유형", "대상 ID", "사례 ID", "정보주체 ID", "IP", "경로", "비고"]
    )
    for log in rows:
        writer.writerow(
            [
                timezone.localtime(log.at).isoformat(),
                log.username,
                log.agency_id,
                log.action,
                log.object_type,
                log.object_id,
                log.case_id,
                " ".join(map(str, log.person_ids)),
                log.ip,
                log.path,
                log.detail,
            ]
        )
    return response


@require_http_methods(["GET", "POST"])
def monthly_reviews(request):
    """The month's flags grouped by kind and user, and the auditor's sign-off. The flags are computed by a
    job (``monthflags``): a finished month not computed yet sends it and the page says so, and refreshes."""
    _require_reader(request)
    month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)  # last month by default
    chosen = request.POST.get("month") or request.GET.get("month")
    try:
        month = datetime.date.fromisoformat(chosen if len(chosen) > 7 else f"{chosen}-01") if chosen else month
    except ValueError:
        pass
    first = month.replace(day=1)
    run, groups = None, []
    if monthflags.month_finished(first):
        run = tasks.month_flags_requested(district_id=request.actor.district_id, month=first)
        if run.status == MonthFlagRun.Status.DONE:
            groups = monthflags.month_flag_groups(run=run)
    ready = run is not None and run.status == MonthFlagRun.Status.DONE
    form = MonthlyReviewForm(
        request.POST or None, flag_choices=[(group.key, group.key) for group in groups], initial={"month": first}
    )
    if request.method == "POST" and form.is_valid():
        if run is not None and not ready:
            form.add_error(None, _("이 달의 점검 목록을 만드는 중입니다. 잠시 뒤 다시 서명하세요."))
        else:
            try:
                services.monthly_review_sign(
                    actor=request.actor,
                    month=form.cleaned_data["month"],
                    flags_seen=form.cleaned_data["flags_seen"],
                    note=form.cleaned_data["note"],
                    request=request,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("월간 점검에 서명했습니다."))
                return redirect("audit:reviews")
    seen = set(form["flags_seen"].value() or ())
    viewer = reverse("audit:log")
    return render(
        request,
        "audit/reviews.html",
        {
            "form": form,
            "reviews": selectors.monthly_reviews_for_actor(actor=request.actor)[:36],
            "month": first,
            "finished": run is not None,
            "run": run,
            "ready": ready,
            "groups": [(group, group.key in seen, f"{viewer}?{urlencode(group.viewer_query())}") for group in groups],
            "may_sign": may(request.actor, SIGN_ACCESS_REVIEW),
        },
    )
