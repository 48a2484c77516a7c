"""Service records (서비스 제공 기록) and contact records (상담·방문 기록)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from hamkke.core.domains import LifeDomain
from hamkke.core.models import DistrictOwned, PublicIdMixin
from hamkke.core.personal import personal_data


def IDEMPOTENT(prefix: str) -> models.UniqueConstraint:  # noqa: N802 (reads as a declaration)
    """A request key (a form's hidden field, the API's Idempotency-Key header, an offline note) is
    used once per district: a double tap or a resend finds the record already made (issue 11.8)."""
    return models.UniqueConstraint(
        fields=["district", "idempotency_key"],
        condition=models.Q(idempotency_key__isnull=False),
        name=f"{prefix}_idempotency_key",
    )


@personal_data(case_path="case", client_texts=("description",))
class ServiceRecord(DistrictOwned, PublicIdMixin):
    """One service delivered or linked. The year's count is the '1,243 tailored services' figure."""

    class Mode(models.TextChoices):
        DIRECT = "direct", _("직접 제공")
        LINKED = "linked", _("연계")

    class AmountKind(models.TextChoices):
        NONE = "", _("해당 없음")
        MONEY = "money", _("현금")
        GOODS = "goods", _("현물")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="services", verbose_name=_("사례"))
    provided_on = models.DateField(_("제공일"))
    domain = models.CharField(_("서비스 영역"), max_length=30, choices=LifeDomain.choices)
    mode = models.CharField(_("제공 방식"), max_length=10, choices=Mode.choices)
    provider_agency = models.ForeignKey(
        "districts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("제공 기관")
    )
    resource = models.ForeignKey(
        "resources.Resource", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("자원")
    )
    plan_action = models.ForeignKey(
        "plans.PlanAction",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="services",
        verbose_name=_("관련 실행 계획"),
    )
    description = models.CharField(_("내용"), max_length=300)
    amount_kind = models.CharField(_("금품 구분"), max_length=10, choices=AmountKind.choices, blank=True)
    amount = models.DecimalField(_("금액(원)"), max_digits=12, decimal_places=0, null=True, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("기록자")
    )
    idempotency_key = models.UUIDField(_("요청 키"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("서비스 제공 기록")
        verbose_name_plural = _("서비스 제공 기록")
        ordering = ["-provided_on", "-id"]
        indexes = [
            models.Index(fields=["district", "provided_on"], name="service_district_date"),
            # the case's timeline reads a page: ORDER BY provided_on DESC, id DESC below a cursor
            models.Index(fields=["case", "provided_on", "id"], name="service_case_date_id"),
        ]
        constraints = [IDEMPOTENT("service")]


@personal_data(case_path="case", client_texts=("with_whom", "note"))
class ContactRecord(DistrictOwned, PublicIdMixin):
    """A visit, call or attempt — including the ones nobody answered and the ones refused."""

    class Kind(models.TextChoices):
        HOME_VISIT = "home_visit", _("가정 방문")
        PHONE = "phone", _("전화")
        OFFICE = "office", _("내방 상담")
        MESSAGE = "message", _("문자·메시지")
        OUTREACH = "outreach", _("찾아가기 시도")

    class Outcome(models.TextChoices):
        MET = "met", _("만남·통화")
        NO_ANSWER = "no_answer", _("응답 없음")
        REFUSED = "refused", _("거부")
        MOVED = "moved", _("이사·연락 두절")
        OTHER = "other", _("기타")

    class Purpose(models.TextChoices):
        CASEWORK = "casework", _("사례관리")
        MONITORING = "monitoring", _("점검(모니터링)")
        FOLLOW_UP = "follow_up", _("사후관리")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="contacts", verbose_name=_("사례"))
    contacted_at = models.DateTimeField(_("일시"))
    kind = models.CharField(_("방법"), max_length=20, choices=Kind.choices)
    with_whom = models.CharField(_("만난 사람"), max_length=100, default="", blank=True)
    outcome = models.CharField(_("결과"), max_length=20, choices=Outcome.choices)
    purpose = models.CharField(_("목적"), max_length=20, choices=Purpose.choices, default=Purpose.CASEWORK)
    note = models.TextField(_("내용"), blank=True)
    sensitive = models.BooleanField(
        _("민감정보(건강·정신건강) 포함"),
        default=False,
        help_text=_("표시하면 민감정보 동의가 없는 참여 기관에는 이 기록이 보이지 않습니다."),
    )
    next_contact_on = models.DateField(_("다음 접촉 예정일"), null=True, blank=True)
    agency = models.ForeignKey("districts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("기관"))
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("기록자")
    )
    idempotency_key = models.UUIDField(_("요청 키"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("상담·방문 기록")
        verbose_name_plural = _("상담·방문 기록")
        ordering = ["-contacted_at", "-id"]
        indexes = [
            models.Index(fields=["district", "contacted_at"], name="contact_district_at"),
            # the case's timeline reads a page: ORDER BY contacted_at DESC, id DESC below a cursor
            models.Index(fields=["case", "contacted_at", "id"], name="contact_case_at_id"),
        ]
        constraints = [IDEMPOTENT("contact")]
