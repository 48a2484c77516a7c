"""Bulk import jobs (가져오기) and the stable keys that make re-importing a file change nothing."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from hamkke.core.models import DistrictOwned, PublicIdMixin
from hamkke.core.personal import personal_data


@personal_data(staff=("filename",), not_personal=("file_format", "worker"))
class ImportJob(DistrictOwned, PublicIdMixin):
    """One run over an uploaded file: a dry run (check only) or the import (all or nothing).

    The web upload only creates the job and queues a Celery task (``hamkke.imports.tasks``); a
    worker process runs it, so a 10,000-row file never holds a web worker. The page polls the
    job's progress. A running job holds a lease (``lease_until``, renewed while it works, and the
    worker process that holds it); the periodic sweep takes up a job whose lease ran out or whose
    worker died, or marks it interrupted: nothing of an interrupted run is saved (one transaction).
    """

    class Kind(models.TextChoices):
        HOUSEHOLDS = "households", _("가구·가구원")
        SERVICES = "services", _("서비스 제공 기록")

    class Mode(models.TextChoices):
        DRY_RUN = "dry_run", _("미리 검사")
        IMPORT = "import", _("가져오기")

    class Status(models.TextChoices):
        QUEUED = "queued", _("대기 중")
        RUNNING = "running", _("처리 중")
        DONE = "done", _("완료")
        FAILED = "failed", _("실패(저장 안 함)")
        INTERRUPTED = "interrupted", _("중단됨 — 저장되지 않음")

    kind = models.CharField(_("대상"), max_length=20, choices=Kind.choices)
    mode = models.CharField(_("방식"), max_length=10, choices=Mode.choices)
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("요청자"))
    membership = models.ForeignKey(
        "accounts.Membership", on_delete=models.PROTECT, related_name="+", verbose_name=_("소속")
    )
    filename = models.CharField(_("파일 이름"), max_length=200)
    file_format = models.CharField(_("파일 형식"), max_length=10)
    content = models.BinaryField(_("파일 내용"), editable=False)
    source_job = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("미리 검사 작업")
    )
    total_rows = models.PositiveIntegerField(_("전체 행"), default=0)
    processed_rows = models.PositiveIntegerField(_("처리한 행"), default=0)
    created_count = models.PositiveIntegerField(_("새로 만든 수"), default=0)
    skipped_count = models.PositiveIntegerField(_("이미 있어 건너뛴 수"), default=0)
    problems = models.JSONField(_("문제 목록"), default=list, blank=True)
    started_at = models.DateTimeField(_("시작"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("실행 횟수"), default=0)
    worker = models.CharField(_("작업자 프로세스"), max_length=100, blank=True, help_text=_("호스트:프로세스 번호"))
    lease_until = models.DateTimeField(_("작업 유효 시각"), null=True, blank=True)
    finished_at = models.DateTimeField(_("끝"), null=True, blank=True)

    class Meta:
        verbose_name = _("가져오기 작업")
        verbose_name_plural = _("가져오기 작업")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="importjob_queue"),
            models.Index(fields=["district", "user", "created_at"], name="importjob_district_user"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.filename}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED, self.Status.INTERRUPTED)

    @property
    def percent(self) -> int:
        return min(100, self.processed_rows * 100 // self.total_rows) if self.total_rows else 0


@personal_data(not_personal=("key",))
class ImportedKey(DistrictOwned):
    """가져오기 고유키: the file's stable key of a row, per agency, and what it became.

    Households: the file's household number (가구번호). Service records: the file's service number
    (서비스번호), or when there is none a digest of the row's content. A key already here is skipped.
    """

    agency = models.ForeignKey("districts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("기관"))
    kind = models.CharField(_("대상"), max_length=20, choices=ImportJob.Kind.choices)
    key = models.CharField(_("고유키"), max_length=200)
    household = models.ForeignKey(
        "people.Household", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("가구")
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("사례")
    )
    service_record = models.ForeignKey(
        "records.ServiceRecord",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("서비스 제공 기록"),
    )

    class Meta:
        verbose_name = _("가져오기 고유키")
        verbose_name_plural = _("가져오기 고유키")
        constraints = [models.UniqueConstraint(fields=["district", "agency", "kind", "key"], name="importedkey_unique")]
