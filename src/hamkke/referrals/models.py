"""Referrals (의뢰): one agency asks another to take on a case, or one need of it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from hamkke.core.models import DistrictOwned, PublicIdMixin
from hamkke.core.personal import personal_data
from hamkke.core.validation import max_chars

# Referral.Status.SENT and ACCEPTED: waiting for an answer, or being worked on (the Meta below needs them).
OPEN_STATUSES = ("sent", "accepted")


REASON_MAX = 4000  # a referral's reason, answer and completion note


@personal_data(case_path="case", client_texts=("reason", "response_note", "completion_note"))
class Referral(DistrictOwned, PublicIdMixin):
    class Status(models.TextChoices):
        SENT = "sent", _("의뢰됨(응답 대기)")
        ACCEPTED = "accepted", _("수락")
        DECLINED = "declined", _("거절")
        COMPLETED = "completed", _("완료")
        WITHDRAWN = "withdrawn", _("의뢰 취소")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="referrals", verbose_name=_("사례"))
    need = models.ForeignKey(
        "assessment.Need",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("의뢰한 욕구"),
    )
    from_agency = models.ForeignKey(
        "districts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("의뢰 기관")
    )
    from_worker = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("의뢰자")
    )
    to_agency = models.ForeignKey(
        "districts.Agency", on_delete=models.PROTECT, related_name="referrals_received", verbose_name=_("의뢰받은 기관")
    )
    reason = models.TextField(_("의뢰 사유"), validators=[max_chars(REASON_MAX)])
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices, default=Status.SENT)
    sent_at = models.DateTimeField(_("의뢰일시"))
    responded_at = models.DateTimeField(_("응답일시"), null=True, blank=True)
    responded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("응답자")
    )
    response_note = models.TextField(_("응답 내용(거절 사유)"), blank=True, validators=[max_chars(REASON_MAX)])
    completed_at = models.DateTimeField(_("완료일시"), null=True, blank=True)
    completion_note = models.TextField(_("완료 내용"), blank=True, validators=[max_chars(REASON_MAX)])

    class Meta:
        verbose_name = _("의뢰")
        verbose_name_plural = _("의뢰")
        ordering = ["-sent_at"]
        indexes = [
            models.Index(fields=["district", "to_agency", "status"], name="referral_inbox"),
            models.Index(fields=["district", "from_agency", "status"], name="referral_outbox"),
        ]
        constraints = [
            # One open referral per case and receiving agency, even under concurrent sends.
            models.UniqueConstraint(
                fields=["case", "to_agency"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="referral_one_open_per_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_agency} → {self.to_agency}"
