"""Background export pages: thin — the form queues a job, the job page polls it, the download is logged."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hamkke.core.downloads import with_download_headers
from hamkke.core.forms import apply_service_errors
from hamkke.core.spreadsheet import CONTENT_TYPES
from hamkke.core.views import scoped_or_404
from hamkke.reports.forms import ServiceExportForm
from hamkke.reports.selectors import report_scope

from . import selectors, services
from .models import ExportJob

# The answer after the download period: in both languages, whatever the page's (a link kept in a mail).
EXPIRED_KOREAN = "내려받기 기한(만든 뒤 %(hours)s시간)이 지나 파일을 지웠습니다. 내보내기를 다시 요청하세요."
EXPIRED_ENGLISH = (
    "The download period (%(hours)s hours after the file was made) is over and the file was deleted. "
    "Please request the export again."
)


@require_POST
def service_records_create(request):
    """The reports page's "백그라운드로 만들기": the same form, a job instead of the file."""
    report_scope(actor=request.actor)  # 403 for those without the figures, as on the page
    form = ServiceExportForm(request.POST, actor=request.actor)
    if form.is_valid():
        try:
            job = services.service_records_job_create(actor=request.actor, request=request, **form.selection())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("내보내기를 백그라운드에서 만듭니다. 다 되면 이 화면에서 내려받을 수 있습니다.")
            )
            return redirect("exports:job", uuid=job.uuid)
    return render(request, "reports/services_export.html", {"form": form})


def _job(request, uuid) -> ExportJob:
    return scoped_or_404(request, selectors.export_job_get_for_actor, object_type="exportjob", uuid=uuid)


@require_GET
def job_detail(request, uuid):
    return render(request, "exports/job.html", {"job": _job(request, uuid)})


@require_GET
def job_progress(request, uuid):
    """htmx: the status block, polled every two seconds until the job is finished."""
    return render(request, "exports/_job_status.html", {"job": _job(request, uuid)})


@require_GET
def job_download(request, uuid):
    job = _job(request, uuid)
    try:
        path = services.export_job_file(actor=request.actor, job=job, request=request)
    except services.ExportExpired:
        hours = {"hours": settings.HAMKKE_EXPORT_KEEP_HOURS}
        context = {"korean": EXPIRED_KOREAN % hours, "english": EXPIRED_ENGLISH % hours}
        return render(request, "exports/expired.html", context, status=410)
    except (ValidationError, PermissionDenied):
        return redirect("exports:job", uuid=job.uuid)  # not ready yet: the page shows the progress
    response = FileResponse(
        path.open("rb"), content_type=CONTENT_TYPES.get(job.parameters.get("file_format"), "application/octet-stream")
    )
    return with_download_headers(response, job.filename)
