"""Exports made in the background (백그라운드 내보내기): a file too big to make inside a page request."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from hamkke.core.models import DistrictOwned, PublicIdMixin
from hamkke.core.personal import personal_data


@personal_data(not_personal=("file_path", "filename", "message"))
class ExportJob(DistrictOwned, PublicIdMixin):
    """One export run by a Celery worker as the requester (``exports.services``).

    The file is written under HAMKKE_EXPORT_DIR (never served statically), downloaded only by the
    requester until ``expires_at`` (HAMKKE_EXPORT_KEEP_HOURS after it was made), then deleted by the
    hourly purge. ``parameters`` holds what the page's form chose (period, agencies, format, reason,
    language); the scope and the sensitive-data rule are the requester's when the job runs.
    """

    class Kind(models.TextChoices):
        SERVICE_RECORDS = "service_records", _("서비스 제공 기록")

    class Status(models.TextChoices):
        QUEUED = "queued", _("대기 중")
        RUNNING = "running", _("처리 중")
        DONE = "done", _("완료")
        FAILED = "failed", _("실패")

    kind = models.CharField(_("대상"), max_length=30, choices=Kind.choices)
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("요청자")
    )
    agency = models.ForeignKey("districts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("기관"))
    parameters = models.JSONField(_("조건"), default=dict)
    progress_rows = models.PositiveIntegerField(_("처리한 행"), default=0)
    row_count = models.PositiveIntegerField(_("행 수"), default=0)
    file_path = models.CharField(_("파일 위치"), max_length=200, blank=True)  # relative to HAMKKE_EXPORT_DIR
    filename = models.CharField(_("파일 이름"), max_length=200, blank=True)
    message = models.TextField(_("실패 사유"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("실행 횟수"), default=0)
    lease_until = models.DateTimeField(_("작업 유효 시각"), null=True, blank=True)
    started_at = models.DateTimeField(_("시작"), null=True, blank=True)
    finished_at = models.DateTimeField(_("끝"), null=True, blank=True)
    expires_at = models.DateTimeField(_("내려받기 기한"), null=True, blank=True)
    downloaded_count = models.PositiveIntegerField(_("내려받은 횟수"), default=0)

    class Meta:
        verbose_name = _("내보내기 작업")
        verbose_name_plural = _("내보내기 작업")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["district", "requested_by", "created_at"], name="exportjob_district_user"),
            models.Index(fields=["status", "expires_at"], name="exportjob_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.reference}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
