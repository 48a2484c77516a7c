"""Supervisor approval (결재): case-type decision, service plan and closure go to the team leader."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from hamkke.cases.workflow import ApprovalKind
from hamkke.core.models import DistrictOwned, PublicIdMixin
from hamkke.core.personal import personal_data
from hamkke.core.validation import max_chars

NOTE_MAX = 2000  # a comment, a recall's reason, a classification's note


@personal_data(case_path="case", client_texts=("comment",))
class ApprovalRequest(DistrictOwned, PublicIdMixin):
    Kind = ApprovalKind  # declared with the workflow (cases/workflow.py)

    class Status(models.TextChoices):
        PENDING = "pending", _("결재 대기")
        APPROVED = "approved", _("승인")
        RETURNED = "returned", _("반려")
        RECALLED = "recalled", _("회수")  # the submitter took it back
        CANCELLED = "cancelled", _("취소")  # what it decides changed, or the district dropped the step

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="approvals", verbose_name=_("사례"))
    kind = models.CharField(_("결재 구분"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices, default=Status.PENDING)
    plan = models.ForeignKey(
        "plans.ServicePlan",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="approvals",
        verbose_name=_("서비스 계획"),
    )
    # What is decided once approved, e.g. {"case_type": 3, "crisis_level": "high"} or the closure reason.
    payload = models.JSONField(_("결재 내용"), default=dict, blank=True)
    agency = models.ForeignKey("districts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("기관"))
    submitted_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("요청자")
    )
    submitted_at = models.DateTimeField(_("요청일시"))
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("결재자")
    )
    decided_at = models.DateTimeField(_("결재일시"), null=True, blank=True)
    # The supervisor's comment; on a recall or a cancellation, why it ended.
    comment = models.TextField(_("결재 의견"), blank=True, validators=[max_chars(NOTE_MAX)])

    class Meta:
        verbose_name = _("결재")
        verbose_name_plural = _("결재")
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["district", "agency", "status"], name="approval_agency_status")]
