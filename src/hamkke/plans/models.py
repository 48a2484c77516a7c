"""Service plan (서비스 계획): goals tied to agreed needs, actions with the means used, and asks.

A plan is versioned: reassessment creates a new version and older ones stay readable.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hamkke.cases.models import ClosureReason
from hamkke.core.locking import Versioned
from hamkke.core.models import DistrictOwned, PublicIdMixin
from hamkke.core.personal import personal_data
from hamkke.core.validation import max_chars

TEXT_MAX = 4000  # a plan's summary, a goal, an action, an ask's note


@personal_data(case_path="case", client_texts=("summary",))
class ServicePlan(DistrictOwned, PublicIdMixin, Versioned):
    class Status(models.TextChoices):
        DRAFT = "draft", _("작성 중")
        SUBMITTED = "submitted", _("결재 요청")
        RETURNED = "returned", _("반려")
        ACTIVE = "active", _("확정(시행 중)")
        SUPERSEDED = "superseded", _("이전 판(재사정으로 대체)")

    class AgreementMethod(models.TextChoices):
        SIGNATURE = "signature", _("서명")
        VERBAL = "verbal", _("구두 동의")
        GUARDIAN = "guardian", _("보호자 서명")

    class Handover(models.TextChoices):
        """How the person received their own plan (당사자용 계획서)."""

        HANDED = "handed", _("직접 건넴")
        READ_ALOUD = "read_aloud", _("읽어 드림")
        SENT = "sent", _("우편·문자로 보냄")
        DECLINED = "declined", _("받지 않겠다고 함")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="plans", verbose_name=_("사례"))
    version = models.PositiveSmallIntegerField(_("판"))
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    summary = models.TextField(_("계획 요지"), blank=True, validators=[max_chars(TEXT_MAX)])
    agreed_on = models.DateField(_("당사자 동의일"), null=True, blank=True)
    agreement_method = models.CharField(_("동의 방법"), max_length=20, choices=AgreementMethod.choices, blank=True)
    review_on = models.DateField(_("재사정 예정일"), null=True, blank=True)
    handover = models.CharField(_("당사자용 계획서 전달"), max_length=20, choices=Handover.choices, blank=True)
    handed_over_on = models.DateField(_("당사자용 계획서 전달일"), null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("작성자")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("서비스 계획")
        verbose_name_plural = _("서비스 계획")
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["case", "version"], name="plan_unique_version")]

    def __str__(self) -> str:
        return f"{self.case} v{self.version}"


@personal_data(case_path="plan__case", client_texts=("description", "progress_measure"))
class Goal(DistrictOwned):
    plan = models.ForeignKey(ServicePlan, on_delete=models.CASCADE, related_name="goals", verbose_name=_("계획"))
    need = models.ForeignKey(
        "assessment.Need", on_delete=models.PROTECT, related_name="goals", verbose_name=_("합의한 욕구")
    )
    description = models.TextField(_("목표"), validators=[max_chars(TEXT_MAX)])
    progress_measure = models.CharField(_("진행 판단 방법"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("목표")
        verbose_name_plural = _("목표")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description


class Performer(models.TextChoices):
    PERSON = "person", _("당사자")
    FAMILY = "family", _("가족")
    FRIEND = "friend", _("친구·지인")  # the person's own relationships (DOMAIN.md §4), asked like family
    NEIGHBOUR = "neighbour", _("이웃")
    VOLUNTEER = "volunteer", _("자원봉사자")
    AGENCY = "agency", _("기관·담당자")


@personal_data(case_path="goal__plan__case", client_texts=("description", "performer_name"))
class PlanAction(DistrictOwned, PublicIdMixin):
    """실행 계획: who does what, with which means, by when."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("예정")
        IN_PROGRESS = "in_progress", _("진행 중")
        DONE = "done", _("완료")
        CANCELLED = "cancelled", _("취소")
        ENDED = "ended", _("종결로 종료")  # the case was closed while it was still open

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions", verbose_name=_("목표"))
    description = models.TextField(_("실행 내용"), validators=[max_chars(TEXT_MAX)])
    strength = models.ForeignKey(
        "assessment.Strength",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("당사자 자원"),
    )
    resource = models.ForeignKey(
        "resources.Resource",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("지역 자원"),
    )
    performer = models.CharField(_("수행자"), max_length=20, choices=Performer.choices)
    performer_name = models.CharField(_("수행자 이름"), max_length=100, blank=True)
    due_on = models.DateField(_("기한"), null=True, blank=True)
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    # Copied into a new version past its due date: the worker confirms it or sets a new date first.
    needs_review = models.BooleanField(_("기한 확인 필요"), default=False)
    # Why an action was ended (ENDED): the case's closure reason.
    ended_reason = models.CharField(_("종료 사유"), max_length=30, choices=ClosureReason.choices, blank=True)

    class Meta:
        verbose_name = _("실행 계획")
        verbose_name_plural = _("실행 계획")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description


@personal_data(case_path="case", client_texts=("whom", "note"))
class Ask(DistrictOwned):
    """묻고 의논하고 부탁하기: who was asked, when, and what they answered."""

    class Method(models.TextChoices):
        ASK = "ask", _("묻기")
        DISCUSS = "discuss", _("의논하기")
        REQUEST = "request", _("부탁하기")

    class Answer(models.TextChoices):
        AGREED = "agreed", _("수락")
        DECLINED = "declined", _("거절")
        PENDING = "pending", _("대기")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="asks", verbose_name=_("사례"))
    action = models.ForeignKey(
        PlanAction, on_delete=models.CASCADE, null=True, blank=True, related_name="asks", verbose_name=_("실행 계획")
    )
    whom = models.CharField(_("누구에게"), max_length=100)
    whom_role = models.CharField(_("대상"), max_length=20, choices=Performer.choices)
    method = models.CharField(_("방법"), max_length=10, choices=Method.choices)
    asked_on = models.DateField(_("일자"))
    answer = models.CharField(_("응답"), max_length=10, choices=Answer.choices, default=Answer.PENDING)
    note = models.TextField(_("메모"), blank=True, validators=[max_chars(TEXT_MAX)])
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("기록자")
    )

    class Meta:
        verbose_name = _("묻고 의논하고 부탁하기")
        verbose_name_plural = _("묻고 의논하고 부탁하기")
        ordering = ["-asked_on", "-id"]


@personal_data(case_path="goal__plan__case", client_texts=("note",))
class GoalReview(DistrictOwned):
    """목표 달성 평가: a goal rated at a review or at closure on the goal attainment scale (−2 … +2)."""

    class Attainment(models.IntegerChoices):
        MUCH_LESS = -2, _("기대보다 훨씬 못 미침")
        LESS = -1, _("기대에 조금 못 미침")
        EXPECTED = 0, _("기대한 만큼")
        MORE = 1, _("기대보다 조금 나음")
        MUCH_MORE = 2, _("기대보다 훨씬 나음")

    class Occasion(models.TextChoices):
        REVIEW = "review", _("중간 점검·재사정")
        CLOSURE = "closure", _("종결")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("목표"))
    reviewed_on = models.DateField(_("평가일"))
    occasion = models.CharField(_("평가 시점"), max_length=10, choices=Occasion.choices, default=Occasion.REVIEW)
    attainment = models.SmallIntegerField(_("달성 정도"), choices=Attainment.choices)
    note = models.TextField(_("평가 메모"), blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("기록자")
    )

    class Meta:
        verbose_name = _("목표 달성 평가")
        verbose_name_plural = _("목표 달성 평가")
        ordering = ["-reviewed_on", "-id"]
        indexes = [models.Index(fields=["district", "reviewed_on"], name="goal_review_district_date")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(attainment__gte=-2, attainment__lte=2), name="goal_review_attainment_range"
            )
        ]
