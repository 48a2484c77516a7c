from django.db import models
from django.utils.translation import gettext_lazy as _

from hamkke.core.models import DistrictOwned, PublicIdMixin
from hamkke.core.personal import personal_data

from .table import access_source


@personal_data(case_path="case", client_texts=("reason", "review_note"))
class EmergencyAccess(DistrictOwned, PublicIdMixin):
    """긴급 열람: a worker opens a high-crisis case without consent, giving a reason.

    Time-limited, audited, and flagged to the district case-management admin for review.
    """

    objects = access_source("case_id", "expires_at", "user", "agency", "case")  # CaseAccess follows

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


class CaseAccess(models.Model):
    """Who may read which case, as rows (issue 15 §1): access as data.

    One row per ground on which a case is in an agency's (or, for emergency access, a user's) reach,
    with the half-open validity ``[valid_from, valid_until)`` (NULL: unbounded). Derived entirely
    from the case's lead agency, its team, its consents and its emergency accesses by
    ``hamkke.access.table`` whenever one of them changes, so every scoped list is one index range
    join (``policy.case_scope``) and expiry needs no job: a row past ``valid_until`` simply stops
    matching. ``policy.case_scope_reference`` is the same rule read from the source tables; a
    property test asserts that both agree.
    """

    class Ground(models.TextChoices):
        LEAD_AGENCY = "lead_agency", _("주관 기관")
        CONSENT = "consent", _("참여 기관(동의)")
        EMERGENCY = "emergency", _("긴급 열람")

    district = models.ForeignKey("districts.District", on_delete=models.CASCADE, related_name="+", db_index=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey("districts.Agency", on_delete=models.CASCADE, related_name="+", db_index=False)
    # emergency access is the user's own, not the agency's
    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, null=True, blank=True, related_name="+", db_index=False
    )
    ground = models.CharField(max_length=20, choices=Ground.choices)
    # consent rows: the consent also has the separate sensitive-data item (민감정보)
    sensitive = models.BooleanField(default=False)
    valid_from = models.DateTimeField(null=True, blank=True)
    valid_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("사례 접근 근거")
        verbose_name_plural = _("사례 접근 근거")
        indexes = [
            models.Index(fields=["agency", "ground", "case"], name="caseaccess_agency"),
            models.Index(fields=["user", "case"], name="caseaccess_user", condition=models.Q(user__isnull=False)),
        ]
