from django.db import models

from hamkke.core.models import DistrictOwned, PublicIdMixin, TimeStamped


class District(TimeStamped):
    """시군구: the tenant. Two districts never see each other's data."""

    name = models.CharField("시군구명", max_length=50)
    code = models.CharField("행정구역코드", max_length=10, unique=True)

    class Meta:
        verbose_name = "시군구"
        verbose_name_plural = "시군구"

    def __str__(self) -> str:
        return self.name


class Dong(DistrictOwned):
    """행정동 (administrative dong) of a district."""

    name = models.CharField("행정동명", max_length=50)

    class Meta:
        verbose_name = "행정동"
        verbose_name_plural = "행정동"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="dong_unique_name")]

    def __str__(self) -> str:
        return self.name


class Agency(DistrictOwned, PublicIdMixin):
    """기관: an agency working in the district's case-management network."""

    class Kind(models.TextChoices):
        DISTRICT_OFFICE = "district_office", "구청(희망복지지원단)"
        COMMUNITY_CENTRE = "community_centre", "동주민센터(행정복지센터)"
        WELFARE_CENTRE = "welfare_centre", "종합사회복지관"
        MENTAL_HEALTH_CENTRE = "mental_health_centre", "정신건강복지센터"
        HOUSING_CENTRE = "housing_centre", "주거안심종합센터"
        OTHER = "other", "기타(병원·경찰·학교·민간단체)"

    class Sector(models.TextChoices):
        PUBLIC = "public", "공공(관)"
        PRIVATE = "private", "민간(민)"

    name = models.CharField("기관명", max_length=100)
    kind = models.CharField("기관 유형", max_length=30, choices=Kind.choices)
    sector = models.CharField("공공/민간", max_length=10, choices=Sector.choices)
    dong = models.ForeignKey(Dong, on_delete=models.PROTECT, null=True, blank=True, verbose_name="소재 행정동")
    rrn_allowed = models.BooleanField(
        "주민등록번호 처리 근거 있음",
        default=False,
        help_text="법령(사회보장급여법 등)에 처리 근거가 있는 기관만 주민등록번호를 수집·열람합니다.",
    )
    phone = models.CharField("대표 전화", max_length=20, blank=True)
    is_active = models.BooleanField("사용", default=True)

    class Meta:
        verbose_name = "기관"
        verbose_name_plural = "기관"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="agency_unique_name")]

    def __str__(self) -> str:
        return self.name
