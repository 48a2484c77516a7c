from django.db import models
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField
from simple_history.models import HistoricalRecords

from hamkke.core import rrn
from hamkke.core.models import DistrictOwned, PublicIdMixin
from hamkke.core.personal import personal_data


@personal_data(client_identity=("address", "address_detail"))
class Household(DistrictOwned, PublicIdMixin):
    """가구: people living together. Cases are opened per household.

    A household registered for an unknown person and found to be one already known is merged into
    it (``people.services.household_merge``): its cases move, it stays as a record of the merge.
    """

    dong = models.ForeignKey("districts.Dong", on_delete=models.PROTECT, verbose_name=_("행정동"))
    address = models.CharField(_("주소"), max_length=200)
    address_detail = models.CharField(_("상세 주소"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("등록자")
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("합쳐진 가구")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("가구")
        verbose_name_plural = _("가구")
        indexes = [models.Index(fields=["district", "dong"], name="household_district_dong")]

    def __str__(self) -> str:
        head = self.head
        return f"{head.name} 가구" if head else f"가구 {self.reference}"

    @property
    def head(self):
        """The head of household (세대주), or the first member recorded."""
        members = list(self.members.all())  # uses prefetch when present
        return next((p for p in members if p.relation == Person.Relation.HEAD), members[0] if members else None)


# The name of a person whose identity is not known yet (a door that does not open): a data value,
# Korean as the records are; shown as it is in every language.
UNKNOWN_NAME = "성명 미상"


@personal_data(client_identity=("name", "phone", "rrn_encrypted", "rrn_hash", "description"))
class Person(DistrictOwned, PublicIdMixin):
    """당사자 / 가구원: a person in a household.

    Registered unknown (``identity_known`` False, issue 13): named ``UNKNOWN_NAME``, with an apparent
    age band and a description of what was observed; the identity is completed later
    (``people.services.person_complete_identity``), when the duplicate check runs again.
    """

    class Sex(models.TextChoices):
        FEMALE = "F", _("여")
        MALE = "M", _("남")
        UNKNOWN = "U", _("미상")

    class AgeBand(models.TextChoices):
        UNDER_20 = "under_20", _("20세 미만")
        AGE_20S = "20s", _("20대")
        AGE_30S = "30s", _("30대")
        AGE_40S = "40s", _("40대")
        AGE_50S = "50s", _("50대")
        AGE_60S = "60s", _("60대")
        AGE_70S = "70s", _("70대")
        AGE_80_PLUS = "80_plus", _("80세 이상")

    class Relation(models.TextChoices):
        HEAD = "head", _("본인(세대주)")
        SPOUSE = "spouse", _("배우자")
        CHILD = "child", _("자녀")
        PARENT = "parent", _("부모")
        SIBLING = "sibling", _("형제자매")
        GRANDCHILD = "grandchild", _("손자녀")
        RELATIVE = "relative", _("기타 친족")
        OTHER = "other", _("동거인")

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="members", verbose_name=_("가구"))
    name = models.CharField(_("성명"), max_length=50)
    birth_date = models.DateField(_("생년월일"), null=True, blank=True)
    sex = models.CharField(_("성별"), max_length=1, choices=Sex.choices)
    identity_known = models.BooleanField(_("신원 확인됨"), default=True)
    apparent_age_band = models.CharField(_("추정 연령대"), max_length=10, choices=AgeBand.choices, blank=True)
    description = models.TextField(
        _("인상착의·관찰 내용"), blank=True, help_text=_("신원을 모를 때: 본 것, 들은 것, 누가 알렸는지.")
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("같은 사람(합침)")
    )
    phone = models.CharField(_("연락처"), max_length=20, blank=True)
    relation = models.CharField(_("세대주와의 관계"), max_length=20, choices=Relation.choices, default=Relation.HEAD)
    # 주민등록번호: encrypted at rest (Fernet, rotating keys), HMAC for exact lookup, never shown whole.
    rrn_encrypted = EncryptedCharField(_("주민등록번호(암호화)"), max_length=200, blank=True, null=True)
    rrn_hash = models.CharField(_("주민등록번호 검색용 해시"), max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("등록자")
    )
    history = HistoricalRecords(excluded_fields=["rrn_encrypted", "rrn_hash"])

    class Meta:
        verbose_name = _("당사자(가구원)")
        verbose_name_plural = _("당사자(가구원)")
        # Full RRN display is exceptional (DOMAIN.md §6): granted per user, asked with a reason, audited.
        permissions = [("view_full_rrn", _("주민등록번호 전체 열람"))]
        constraints = [
            # One person per RRN in a district; also the index for exact lookup by hash.
            models.UniqueConstraint(
                fields=["district", "rrn_hash"], condition=~models.Q(rrn_hash=""), name="person_unique_rrn_per_district"
            ),
            # Only a person registered unknown may lack a birth date.
            models.CheckConstraint(
                condition=models.Q(identity_known=False) | models.Q(birth_date__isnull=False),
                name="person_known_has_birth_date",
                violation_error_message=_("생년월일을 입력하세요 (예: 1953-08-14)."),
            ),
        ]
        indexes = [
            models.Index(fields=["district", "name", "birth_date"], name="person_district_name_birth"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def rrn_masked(self) -> str:
        return rrn.mask(self.rrn_encrypted)

    @property
    def has_rrn(self) -> bool:
        return bool(self.rrn_hash)

    def age_on(self, day) -> int | None:
        """Age in full years on ``day``; None while the birth date is unknown."""
        born = self.birth_date
        if born is None:
            return None
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
