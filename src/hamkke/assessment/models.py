"""Initial consultation (초기상담) and assessment (사정): needs and the person's strengths."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hamkke.cases.models import CrisisLevel
from hamkke.core.domains import LifeDomain
from hamkke.core.locking import Versioned
from hamkke.core.models import DistrictOwned, PublicIdMixin
from hamkke.core.personal import personal_data
from hamkke.core.validation import max_chars


@personal_data(case_path="case", client_texts=("place", "participants", "presenting_issues", "worker_observations"))
class InitialConsultation(DistrictOwned, PublicIdMixin):
    """초기상담: the first proper conversation, usually at the community centre."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="consultations", verbose_name=_("사례")
    )
    held_on = models.DateField(_("상담일"))
    place = models.CharField(_("장소"), max_length=100, blank=True)
    participants = models.CharField(_("참석자"), max_length=200, blank=True)
    presenting_issues = models.TextField(_("당사자가 말한 어려움"))
    worker_observations = models.TextField(_("담당자 관찰"), blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("기록자")
    )

    class Meta:
        verbose_name = _("초기상담")
        verbose_name_plural = _("초기상담")
        ordering = ["-held_on", "-id"]


NEED_TEXT_MAX = 2000  # each of a need's three texts; the model holds it, forms and the API show it


@personal_data(case_path="case", client_texts=("expressed_text", "felt_text", "agreed_text", "set_aside_note"))
class Need(DistrictOwned, PublicIdMixin, Versioned):
    """욕구: what the person wants to achieve or obtain (DOMAIN.md §3).

    Recorded as the person expresses it, then what they feel behind it, then the need both agree
    on. Needs that cannot be helped now are set aside with a reason, never deleted.
    """

    class Proposer(models.TextChoices):
        PERSON = "person", _("당사자")
        WORKER = "worker", _("사회사업가(담당자)")

    class Framing(models.TextChoices):
        POSITIVE = "positive", _("적극적 욕구(좋은 것을 이루고 누리기)")
        NEGATIVE = "negative", _("소극적 욕구(문제 없애기)")

    class Status(models.TextChoices):
        DISCUSSING = "discussing", _("논의 중")
        SELECTED = "selected", _("선택(합의)")
        SET_ASIDE = "set_aside", _("내려놓음")
        ACHIEVED = "achieved", _("이룸")
        DROPPED = "dropped", _("중단")

    class SetAsideReason(models.TextChoices):
        IDENTITY = "identity", _("기관·사회사업가의 정체성")
        CAPACITY = "capacity", _("처지와 역량")
        OPPORTUNITY_COST = "opportunity_cost", _("기회비용")
        RESOURCES = "resources", _("자원 부족")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="needs", verbose_name=_("사례"))
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("당사자")
    )
    domain = models.CharField(_("생활 영역"), max_length=30, choices=LifeDomain.choices)
    expressed_text = models.TextField(_("표현하는 욕구(당사자의 말)"), validators=[max_chars(NEED_TEXT_MAX)])
    felt_text = models.TextField(_("느끼는 욕구"), blank=True, validators=[max_chars(NEED_TEXT_MAX)])
    agreed_text = models.TextField(_("합의한 욕구"), blank=True, validators=[max_chars(NEED_TEXT_MAX)])
    proposer = models.CharField(_("제안자"), max_length=10, choices=Proposer.choices, default=Proposer.PERSON)
    framing = models.CharField(_("욕구 성격"), max_length=10, choices=Framing.choices, default=Framing.POSITIVE)
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices, default=Status.DISCUSSING)
    set_aside_reason = models.CharField(_("내려놓은 이유"), max_length=20, choices=SetAsideReason.choices, blank=True)
    set_aside_note = models.TextField(_("내려놓은 이유 설명"), blank=True)
    # When the need was heard (event time); ``created_at``/``recorded_by`` say when and by whom it was typed.
    identified_on = models.DateField(_("파악일"), default=timezone.localdate)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("기록자")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("욕구")
        verbose_name_plural = _("욕구")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["district", "case", "status"], name="need_district_case_status"),
            models.Index(fields=["case", "identified_on", "id"], name="need_case_identified"),  # the timeline's page
        ]

    def __str__(self) -> str:
        return self.agreed_text or self.expressed_text


@personal_data(case_path="case", client_texts=("description", "note"))
class Strength(DistrictOwned, PublicIdMixin):
    """강점·당사자 자원: inner (experience, abilities, will) and outer (relationships) — DOMAIN.md §4."""

    class Side(models.TextChoices):
        INNER = "inner", _("안쪽 자원(경험·역량·생각·의지)")
        OUTER = "outer", _("바깥 자원(관계)")

    class Kind(models.TextChoices):
        EXPERIENCE = "experience", _("경험")
        ABILITY = "ability", _("역량·재능")
        WILL = "will", _("생각·의지")
        FAMILY = "family", _("가족·친척")
        FRIEND = "friend", _("친구")
        NEIGHBOUR = "neighbour", _("아는 이웃")
        OTHER = "other", _("기타")

    class Tie(models.TextChoices):
        """The relationship as an eco-map draws it (outer strengths)."""

        STRONG = "strong", _("강한 관계")
        ORDINARY = "ordinary", _("보통")
        WEAK = "weak", _("약한 관계")
        STRESSFUL = "stressful", _("스트레스·갈등이 있는 관계")

    INNER_KINDS = {Kind.EXPERIENCE, Kind.ABILITY, Kind.WILL}

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="strengths", verbose_name=_("사례"))
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("당사자")
    )
    side = models.CharField(_("구분"), max_length=10, choices=Side.choices)
    kind = models.CharField(_("종류"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("내용"), max_length=200)
    domain = models.CharField(_("도움이 되는 생활 영역"), max_length=30, choices=LifeDomain.choices, blank=True)
    note = models.TextField(_("메모"), blank=True)
    # 쓰고 있는 자원 (actual: already part of the person's life) or 쓸 수 있는 자원 (potential: could be asked).
    in_use = models.BooleanField(_("쓰고 있는 자원"), default=True)
    tie = models.CharField(_("관계의 성격"), max_length=10, choices=Tie.choices, default=Tie.ORDINARY)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("기록자")
    )

    class Meta:
        verbose_name = _("강점·당사자 자원")
        verbose_name_plural = _("강점·당사자 자원")
        ordering = ["side", "id"]

    def __str__(self) -> str:
        return self.description


@personal_data(case_path="case", client_texts=("note", "override_reason"))
class CrisisAssessment(DistrictOwned):
    """위기도 조사 결과: the urgency, assessed and re-assessed over time."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="crisis_assessments", verbose_name=_("사례")
    )
    assessed_on = models.DateField(_("조사일"))
    level = models.CharField(_("위기도"), max_length=10, choices=CrisisLevel.choices)
    safety_risk = models.BooleanField(_("안전 위험"), default=False)
    mental_health_risk = models.BooleanField(_("정신건강 위험"), default=False)
    note = models.TextField(_("근거"), blank=True)
    # From the area ratings (CrisisRating) by assessment.crisis.level_from_scores; the worker may
    # decide another level, with a reason.
    computed_level = models.CharField(
        _("영역 평가에 따른 위기도"), max_length=10, choices=CrisisLevel.choices, blank=True
    )
    override_reason = models.TextField(_("위기도를 달리 정한 사유"), blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("기록자")
    )

    class Meta:
        verbose_name = _("위기도 조사")
        verbose_name_plural = _("위기도 조사")
        ordering = ["-assessed_on", "-id"]


@personal_data(case_path="assessment__case", client_texts=("note",))
class CrisisRating(DistrictOwned):
    """One area of a crisis assessment, rated 0-3 with a note (the usual areas of 위기도 조사)."""

    class Area(models.TextChoices):
        SAFETY = "safety", _("안전")
        HEALTH = "health", _("건강")
        MENTAL_HEALTH = "mental_health", _("정신건강·자살위험")
        HOUSING = "housing", _("주거")
        ECONOMY = "economy", _("경제")
        RELATIONSHIPS = "relationships", _("관계")
        CARE = "care", _("돌봄")

    class Score(models.IntegerChoices):
        NONE = 0, _("없음")
        LOW = 1, _("낮음")
        CONCERN = 2, _("주의")
        SEVERE = 3, _("심각")

    assessment = models.ForeignKey(
        CrisisAssessment, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("위기도 조사")
    )
    area = models.CharField(_("영역"), max_length=20, choices=Area.choices)
    score = models.PositiveSmallIntegerField(_("정도"), choices=Score.choices)
    note = models.TextField(_("메모"), blank=True)

    class Meta:
        verbose_name = _("위기도 영역 평가")
        verbose_name_plural = _("위기도 영역 평가")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["assessment", "area"], name="crisis_rating_unique_area")]
