"""Anonymised case stories (사례 이야기) for practice-sharing workshops, approved before they leave."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from hamkke.core.domains import LifeDomain
from hamkke.core.models import DistrictOwned, PublicIdMixin
from hamkke.core.personal import personal_data
from hamkke.core.validation import max_chars
from hamkke.records.models import ContactRecord, ServiceRecord

STORY_MAX = 50_000
COMMENT_MAX = 2000


@personal_data(case_path="case", client_texts=("title", "text", "comment"))
class CaseStory(DistrictOwned, PublicIdMixin):
    """A case told without who it is about: roles for names, relative dates, agencies by kind.

    Made from the case's timeline by a worker of the lead agency, reviewed (and edited) by them,
    approved by a supervisor of the lead agency. Only an approved story can be downloaded; any
    edit sends it back for approval.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("승인 대기")
        APPROVED = "approved", _("승인")
        RETURNED = "returned", _("반려")

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="story", verbose_name=_("사례"))
    agency = models.ForeignKey(
        "districts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("주관 기관")
    )
    title = models.CharField(_("제목"), max_length=200)
    text = models.TextField(_("이야기(익명 처리)"), validators=[max_chars(STORY_MAX)])
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices, default=Status.PENDING)
    written_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("작성자")
    )
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("승인자")
    )
    decided_at = models.DateTimeField(_("승인 일시"), null=True, blank=True)
    comment = models.TextField(_("검토 의견"), blank=True, validators=[max_chars(COMMENT_MAX)])

    class Meta:
        verbose_name = _("사례 이야기")
        verbose_name_plural = _("사례 이야기")
        indexes = [models.Index(fields=["district", "agency", "status"], name="story_agency_status")]

    def __str__(self) -> str:
        return self.title


# --- Rollups: the year's figures already counted (issue 15 item 3; reports/rollups.py) -------------


# The district's own figures are read far more often than any agency's: each month also has rows summed
# over all agencies (agency NULL), so the district's year reads a few hundred rows, not tens of thousands.
ALL_AGENCIES = "비어 있으면 모든 기관의 합계"


class RollupSource(models.TextChoices):
    SERVICES = "services", _("서비스 제공 기록")
    CONTACTS = "contacts", _("상담·방문 기록")


class RollupMonth(models.Model):
    """A (district, source, Seoul month) whose counts are in the rollup tables, as of ``refreshed_at``.

    A month without this row, or with a ``RollupDirty`` mark, is counted live from the records."""

    district = models.ForeignKey("districts.District", on_delete=models.CASCADE, related_name="+")
    source = models.CharField(_("원천"), max_length=10, choices=RollupSource.choices)
    month = models.DateField(_("월"))
    refreshed_at = models.DateTimeField(_("집계 일시"))

    class Meta:
        verbose_name = _("월별 집계 상태")
        verbose_name_plural = _("월별 집계 상태")
        constraints = [models.UniqueConstraint(fields=["district", "source", "month"], name="rollup_month_unique")]


class RollupDirty(models.Model):
    """A month changed since its rollup: written by database triggers (reports/rollup_triggers.py) in the
    transaction of the change, deleted by the refresh that counts the month again.

    No uniqueness on purpose: a refresh deletes exactly the marks it read before counting, so a mark
    written by a change that its count did not see survives and keeps the month live."""

    district = models.ForeignKey("districts.District", on_delete=models.CASCADE, related_name="+")
    source = models.CharField(_("원천"), max_length=10, choices=RollupSource.choices)
    month = models.DateField(_("월"))

    class Meta:
        verbose_name = _("집계 후 변경된 월")
        verbose_name_plural = _("집계 후 변경된 월")
        indexes = [models.Index(fields=["district", "source", "month"], name="rollup_dirty_month")]


class ServiceKindMonth(models.Model):
    """Service records of a month by provider agency, life domain and mode: count and amount."""

    district = models.ForeignKey("districts.District", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("월"))
    agency = models.ForeignKey(
        "districts.Agency", on_delete=models.CASCADE, null=True, related_name="+", help_text=ALL_AGENCIES
    )
    domain = models.CharField(_("서비스 영역"), max_length=30, choices=LifeDomain.choices)
    mode = models.CharField(_("제공 방식"), max_length=10, choices=ServiceRecord.Mode.choices)
    n = models.PositiveIntegerField(_("건수"))
    amount = models.DecimalField(_("금액(원)"), max_digits=16, decimal_places=0)

    class Meta:
        verbose_name = _("월별 서비스 집계(영역·방식)")
        verbose_name_plural = _("월별 서비스 집계(영역·방식)")
        constraints = [
            models.UniqueConstraint(fields=["district", "month", "agency", "domain", "mode"], name="service_kind_month")
        ]


class ServiceDongMonth(models.Model):
    """Service records of a month by provider agency and the dong of the case's household (as it is now)."""

    district = models.ForeignKey("districts.District", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("월"))
    agency = models.ForeignKey(
        "districts.Agency", on_delete=models.CASCADE, null=True, related_name="+", help_text=ALL_AGENCIES
    )
    dong = models.ForeignKey("districts.Dong", on_delete=models.CASCADE, related_name="+")
    n = models.PositiveIntegerField(_("건수"))
    amount = models.DecimalField(_("금액(원)"), max_digits=16, decimal_places=0)

    class Meta:
        verbose_name = _("월별 서비스 집계(행정동)")
        verbose_name_plural = _("월별 서비스 집계(행정동)")
        constraints = [
            models.UniqueConstraint(fields=["district", "month", "agency", "dong"], name="service_dong_month")
        ]


class ContactMonth(models.Model):
    """Contact records of a Seoul month by agency, kind and outcome."""

    district = models.ForeignKey("districts.District", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("월"))
    agency = models.ForeignKey(
        "districts.Agency", on_delete=models.CASCADE, null=True, related_name="+", help_text=ALL_AGENCIES
    )
    kind = models.CharField(_("방법"), max_length=20, choices=ContactRecord.Kind.choices)
    outcome = models.CharField(_("결과"), max_length=20, choices=ContactRecord.Outcome.choices)
    n = models.PositiveIntegerField(_("건수"))

    class Meta:
        verbose_name = _("월별 상담·방문 집계")
        verbose_name_plural = _("월별 상담·방문 집계")
        constraints = [
            models.UniqueConstraint(fields=["district", "month", "agency", "kind", "outcome"], name="contact_month")
        ]
