import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hamkke.access.table import access_source
from hamkke.core.models import DistrictOwned, PublicIdMixin
from hamkke.core.personal import personal_data


# The guardian's relation (어머니, 자녀) names no one and is kept for the statistics of consents.
@personal_data(case_path="case", client_texts=("guardian_name",), not_personal=("guardian_relation",))
class Consent(DistrictOwned, PublicIdMixin):
    """정보제공 동의 (DOMAIN.md §6): each item asked separately, with scope, date, expiry, withdrawal.

    A participating agency sees a case's content only while a valid consent names it (or the
    district network as a whole).
    """

    objects = access_source(
        "case_id",
        "required_collection",
        "share_with_district_network",
        "sensitive_data",
        "given_on",
        "expires_on",
        "withdrawn_on",
        "case",
    )  # CaseAccess follows the consents

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="consents", verbose_name=_("사례"))
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="consents", verbose_name=_("동의인(당사자)")
    )
    required_collection = models.BooleanField(_("필수 항목 수집·이용 동의"), default=False)
    optional_items = models.JSONField(_("선택 항목 동의"), default=list, blank=True)
    share_with_district_network = models.BooleanField(_("지역 통합사례관리 네트워크 전체에 제공"), default=False)
    third_party_agencies = models.ManyToManyField(
        "districts.Agency", blank=True, related_name="+", verbose_name=_("제3자 제공 기관")
    )
    sensitive_data = models.BooleanField(_("민감정보(건강·정신건강) 처리 동의"), default=False)
    guardian_name = models.CharField(_("법정대리인 성명"), max_length=50, blank=True)
    guardian_relation = models.CharField(_("법정대리인 관계"), max_length=30, blank=True)
    given_on = models.DateField(_("동의일"))
    expires_on = models.DateField(_("만료일"), null=True, blank=True)
    withdrawn_on = models.DateField(_("철회일"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("기록자")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("정보제공 동의")
        verbose_name_plural = _("정보제공 동의")
        indexes = [
            models.Index(fields=["district", "case"], name="consent_district_case"),
            # The inbox's "consents ending soon" (a date range within the district) on every page's menu
            # count: without it the whole district's consents were read (metro: 70,000 rows, 7-28 ms).
            models.Index(fields=["district", "expires_on"], name="consent_district_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.person} 동의 {self.given_on:%Y-%m-%d}"

    @staticmethod
    def valid_on_q(day: datetime.date, prefix: str = "") -> Q:
        """Q for consents in force on ``day`` (given, not expired, not withdrawn)."""
        p = prefix
        return (
            Q(**{f"{p}required_collection": True, f"{p}given_on__lte": day})
            & (Q(**{f"{p}expires_on__isnull": True}) | Q(**{f"{p}expires_on__gte": day}))
            & (Q(**{f"{p}withdrawn_on__isnull": True}) | Q(**{f"{p}withdrawn_on__gt": day}))
        )

    def is_valid_on(self, day: datetime.date) -> bool:
        return (
            self.required_collection
            and self.given_on <= day
            and (self.expires_on is None or self.expires_on >= day)
            and (self.withdrawn_on is None or self.withdrawn_on > day)
        )

    @property
    def status_today(self) -> str:
        """'withdrawn', 'expired', 'pending' (not yet given) or 'valid', as of today in Seoul."""
        today = timezone.localdate()
        if self.withdrawn_on and self.withdrawn_on <= today:
            return "withdrawn"
        if self.expires_on and self.expires_on < today:
            return "expired"
        return "valid" if self.is_valid_on(today) else "pending"
