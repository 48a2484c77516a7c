from django.db import models
from django.utils.translation import gettext_lazy as _

from hamkke.core.models import DistrictOwned, PublicIdMixin
from hamkke.core.personal import personal_data


@personal_data(case_path="case", client_texts=("reason", "review_note"))
class EmergencyAccess(DistrictOwned, PublicIdMixin):
    """긴급 열람: a worker opens a high-crisis case without consent, giving a reason.

    Time-limited, audited, and flagged to the district case-management admin for review.
    """

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="emergency_accesses", verbose_name=_("사례")
    )
    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("열람자"))
    agency = models.ForeignKey(
        "districts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("열람자 기관")
    )
    reason = models.TextField(_("긴급 열람 사유"))
    granted_at = models.DateTimeField(_("열람 시작"))
    expires_at = models.DateTimeField(_("열람 만료"))
    reviewed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("검토자")
    )
    reviewed_at = models.DateTimeField(_("검토일시"), null=True, blank=True)
    review_note = models.TextField(_("검토 의견"), blank=True)

    class Meta:
        verbose_name = _("긴급 열람")
        verbose_name_plural = _("긴급 열람")
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["case", "user", "expires_at"], name="emergency_case_user")]
