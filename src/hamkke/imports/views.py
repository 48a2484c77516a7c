"""가져오기·내보내기 pages: thin — the upload only queues a job; the worker runs it (run_import_jobs)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hamkke.core.downloads import download_response
from hamkke.core.forms import apply_service_errors
from hamkke.core.views import scoped_or_404

from . import selectors, services
from .forms import ExportForm, UploadForm
from .importers import COLUMNS
from .models import ImportJob

PROBLEMS_SHOWN = 500
JOBS_SHOWN = 20


def _index(request, upload_form=None, export_form=None):
    actor = request.actor
    return render(
        request,
        "imports/index.html",
        {
            "upload_form": upload_form or UploadForm(),
            "export_form": export_form or ExportForm(),
            "jobs": selectors.import_jobs_for_actor(actor=actor).defer("content", "problems")[:JOBS_SHOWN],
            "columns": [(ImportJob.Kind(kind).label, cols) for kind, cols in COLUMNS.items()],
            "may_import": {kind: services.may_import(actor, kind) for kind in ImportJob.Kind.values},
        },
    )


@require_GET
def index(request):
    return _index(request)


@require_POST
def upload(request):
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            job = services.import_job_create(
                actor=request.actor,
                kind=form.cleaned_data["kind"],
                filename=upload_file.name,
                content=upload_file.read(),
                request=request,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error("kind", str(error))
        else:
            messages.success(request, _("파일을 받았습니다. 미리 검사를 시작합니다."))
            return redirect("imports:job", uuid=job.uuid)
    return _index(request, upload_form=form)


def _job(request, uuid) -> ImportJob:
    return scoped_or_404(request, selectors.import_job_get_for_actor, object_type="importjob", uuid=uuid)


def _job_context(job: ImportJob) -> dict:
    return {
        "job": job,
        "problems": job.problems[:PROBLEMS_SHOWN],
        "more_problems": len(job.problems) > PROBLEMS_SHOWN,
        "may_confirm": job.mode == ImportJob.Mode.DRY_RUN and job.status == ImportJob.Status.DONE and not job.problems,
    }


@require_GET
def job_detail(request, uuid):
    return render(request, "imports/job.html", _job_context(_job(request, uuid)))


@require_GET
def job_progress(request, uuid):
    """htmx: the status block, polled every second until the job is finished."""
    return render(request, "imports/_job_status.html", _job_context(_job(request, uuid)))


@require_POST
def job_confirm(request, uuid):
    job = _job(request, uuid)
    try:
        imported = services.import_job_confirm(actor=request.actor, job=job, request=request)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("imports:job", uuid=job.uuid)
    messages.success(request, _("가져오기를 시작합니다. 전부 저장되거나, 문제가 있으면 아무것도 저장되지 않습니다."))
    return redirect("imports:job", uuid=imported.uuid)


@require_POST
def export(request):
    form = ExportForm(request.POST)
    if form.is_valid():
        try:
            export = services.export_file(actor=request.actor, request=request, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return download_response(export)
    return _index(request, export_form=form)
