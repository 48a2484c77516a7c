from django.db import models
from django.utils.translation import gettext_lazy as _

from hamkke.core.models import DistrictOwned, PublicIdMixin, TimeStamped
from hamkke.core.personal import personal_data


@personal_data(not_personal=("name", "code"))
class District(TimeStamped):
    """시군구: the tenant. Two districts never see each other's data."""

    name = models.CharField(_("시군구명"), max_length=50)
    code = models.CharField(_("행정구역코드"), max_length=10, unique=True)

    class Meta:
        verbose_name = _("시군구")
        verbose_name_plural = _("시군구")

    def __str__(self) -> str:
        return self.name


@personal_data(not_personal=("name",))
class Dong(DistrictOwned):
    """행정동 (administrative dong) of a district."""

    name = models.CharField(_("행정동명"), max_length=50)

    class Meta:
        verbose_name = _("행정동")
        verbose_name_plural = _("행정동")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="dong_unique_name")]

    def __str__(self) -> str:
        return self.name


@personal_data(not_personal=("name", "phone"))
class Agency(DistrictOwned, PublicIdMixin):
    """기관: an agency working in the district's case-management network."""

    class Kind(models.TextChoices):
        DISTRICT_OFFICE = "district_office", _("구청(희망복지지원단)")
        COMMUNITY_CENTRE = "community_centre", _("동주민센터(행정복지센터)")
        WELFARE_CENTRE = "welfare_centre", _("종합사회복지관")
        MENTAL_HEALTH_CENTRE = "mental_health_centre", _("정신건강복지센터")
        HOUSING_CENTRE = "housing_centre", _("주거안심종합센터")
        OTHER = "other", _("기타(병원·경찰·학교·민간단체)")

    class Sector(models.TextChoices):
        PUBLIC = "public", _("공공(관)")
        PRIVATE = "private", _("민간(민)")

    name = models.CharField(_("기관명"), max_length=100)
    kind = models.CharField(_("기관 유형"), max_length=30, choices=Kind.choices)
    sector = models.CharField(_("공공/민간"), max_length=10, choices=Sector.choices)
    dong = models.ForeignKey(Dong, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("소재 행정동"))
    rrn_allowed = models.BooleanField(
        _("주민등록번호 처리 근거 있음"),
        default=False,
        help_text=_("법령(사회보장급여법 등)에 처리 근거가 있는 기관만 주민등록번호를 수집·열람합니다."),
    )
    phone = models.CharField(_("대표 전화"), max_length=20, blank=True)
    is_active = models.BooleanField(_("사용"), default=True)

    class Meta:
        verbose_name = _("기관")
        verbose_name_plural = _("기관")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="agency_unique_name")]

    def __str__(self) -> str:
        return self.name


class DistrictPolicy(TimeStamped):
    """시군구 운영 기준: monitoring frequency, working deadlines and approval steps, per district."""

    district = models.OneToOneField(District, on_delete=models.CASCADE, related_name="policy", verbose_name=_("시군구"))
    high_crisis_monitoring_days = models.PositiveSmallIntegerField(_("위기도 상 점검 주기(일)"), default=7)
    refused_visit_days = models.PositiveSmallIntegerField(_("거부 가구 재방문 주기(일)"), default=30)
    intake_to_assessment_days = models.PositiveSmallIntegerField(_("접수→사정 기한(일)"), default=10)
    conference_to_selection_days = models.PositiveSmallIntegerField(_("사례회의→선정 기한(일)"), default=5)
    planning_days = models.PositiveSmallIntegerField(_("계획 수립 기한(일)"), default=15)
    intake_to_plan_days = models.PositiveSmallIntegerField(_("접수→계획 완료 기한(일)"), default=30)
    reassessment_months = models.PositiveSmallIntegerField(_("재사정 주기(개월)"), default=6)
    no_contact_alert_days = models.PositiveSmallIntegerField(_("연락 두절 알림 기준(일)"), default=90)
    follow_up_days = models.JSONField(_("사후관리 접촉 시점(종결 후 일수)"), default=list, blank=True)
    approval_classification = models.BooleanField(_("사례 구분·선정 결재"), default=True)
    approval_plan = models.BooleanField(_("서비스 계획 결재"), default=True)
    approval_closure = models.BooleanField(_("종결 결재"), default=True)
    # A case is not closed with 사례 구분 "—": the closure then proposes one when the case has none.
    closure_needs_classification = models.BooleanField(_("종결 시 사례 구분 필수"), default=False)

    class Meta:
        verbose_name = _("시군구 운영 기준")
        verbose_name_plural = _("시군구 운영 기준")

    def __str__(self) -> str:
        return str(self.district)

    @classmethod
    def for_district(cls, district_id: int) -> "DistrictPolicy":
        """The district's policy, created with the national defaults on first use."""
        policy, _created = cls.objects.get_or_create(
            district_id=district_id, defaults={"follow_up_days": list(DEFAULT_FOLLOW_UP_DAYS)}
        )
        return policy


DEFAULT_FOLLOW_UP_DAYS = (30, 90, 180)
