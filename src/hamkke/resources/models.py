"""Community resource directory (자원): informal resources and formal welfare services, per district."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from hamkke.core.domains import LifeDomain
from hamkke.core.models import DistrictOwned, PublicIdMixin
from hamkke.core.personal import personal_data


@personal_data(not_personal=("name", "description", "provider", "contact"))
class Resource(DistrictOwned, PublicIdMixin):
    """A resource outside the person: considered after the person's own (DOMAIN.md §4)."""

    class Kind(models.TextChoices):
        INFORMAL = "informal", _("비공식 자원")
        FORMAL = "formal", _("복지 서비스 자원(공식)")

    class Type(models.TextChoices):
        NEIGHBOUR = "neighbour", _("이웃")
        COMMUNITY_GROUP = "community_group", _("주민 모임·단체")
        VOLUNTEER = "volunteer", _("자원봉사자")
        SHOP = "shop", _("동네 가게")
        RELIGIOUS_GROUP = "religious_group", _("종교 단체")
        PROGRAMME = "programme", _("기관 프로그램")
        BENEFIT = "benefit", _("급여·수당")
        HOUSING = "housing", _("주거 지원")
        MENTAL_HEALTH = "mental_health", _("정신건강 서비스")
        EMPLOYMENT = "employment", _("고용·취업 프로그램")
        OTHER = "other", _("기타")

    INFORMAL_TYPES = {Type.NEIGHBOUR, Type.COMMUNITY_GROUP, Type.VOLUNTEER, Type.SHOP, Type.RELIGIOUS_GROUP}

    name = models.CharField(_("자원명"), max_length=120)
    kind = models.CharField(_("자원 구분"), max_length=10, choices=Kind.choices)
    type = models.CharField(_("유형"), max_length=20, choices=Type.choices)
    domain = models.CharField(_("생활 영역"), max_length=30, choices=LifeDomain.choices)
    description = models.TextField(_("설명"), blank=True)
    provider = models.CharField(_("제공자"), max_length=120, blank=True)
    provider_agency = models.ForeignKey(
        "districts.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("제공 기관"),
    )
    dongs = models.ManyToManyField(
        "districts.Dong",
        blank=True,
        related_name="+",
        verbose_name=_("이용 가능 행정동"),
        help_text=_("비워 두면 시군구 전체에서 이용할 수 있습니다."),
    )
    contact = models.CharField(_("연락처"), max_length=120, blank=True)
    capacity = models.PositiveIntegerField(_("정원·수용 가능 인원"), null=True, blank=True)
    is_ordinary = models.BooleanField(
        _("평범한 자원(누구나 이용)"),
        default=True,
        help_text=_("특별한 자원은 어려운 사람만을 위해 만든 것입니다. 평범한 자원을 먼저 씁니다."),
    )
    is_active = models.BooleanField(_("사용"), default=True)
    added_by_agency = models.ForeignKey(
        "districts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("등록 기관")
    )
    added_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("등록자"))

    class Meta:
        verbose_name = _("지역 자원")
        verbose_name_plural = _("지역 자원")
        ordering = ["name"]
        indexes = [models.Index(fields=["district", "kind", "domain", "is_active"], name="resource_lookup")]

    def __str__(self) -> str:
        return self.name
