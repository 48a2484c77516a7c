from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hamkke.access.table import access_source
from hamkke.core.locking import Versioned
from hamkke.core.models import DistrictOwned, PublicIdMixin
from hamkke.core.personal import personal_data

from .workflow import Stage


@personal_data(not_personal=("code", "name"))
class CaseType(DistrictOwned):
    """사례 구분, configurable per district (defaults 고난도, 일반, 서비스연계)."""

    code = models.SlugField(_("코드"), max_length=30)
    name = models.CharField(_("명칭"), max_length=30)
    order = models.PositiveSmallIntegerField(_("순서"), default=0)
    referral_only = models.BooleanField(
        _("서비스연계(경량 트랙)"), default=False, help_text=_("전체 사정·계획 없이 연계와 점검만 합니다.")
    )
    monitoring_days = models.PositiveSmallIntegerField(
        _("점검 주기(일)"), default=30, help_text=_("이 구분의 사례를 며칠마다 점검(접촉)할지 정합니다.")
    )
    is_active = models.BooleanField(_("사용"), default=True)

    class Meta:
        verbose_name = _("사례 구분")
        verbose_name_plural = _("사례 구분")
        ordering = ["order", "name"]
        constraints = [models.UniqueConstraint(fields=["district", "code"], name="casetype_unique_code")]

    def __str__(self) -> str:
        return self.name


DEFAULT_CASE_TYPES = [
    {"code": "high_complexity", "name": "고난도", "order": 1, "monitoring_days": 14},
    {"code": "general", "name": "일반", "order": 2, "monitoring_days": 30},
    {"code": "referral", "name": "서비스연계", "order": 3, "referral_only": True, "monitoring_days": 90},
]


class CrisisLevel(models.TextChoices):
    HIGH = "high", _("위기(상)")
    MEDIUM = "medium", _("중")
    LOW = "low", _("하")


class ReferralSource(models.TextChoices):
    SELF = "self", _("본인 요청")
    NEIGHBOUR = "neighbour", _("이웃 제보")
    COMMUNITY_CENTRE = "community_centre", _("동주민센터")
    HOSPITAL = "hospital", _("병원")
    POLICE = "police", _("경찰")
    SCHOOL = "school", _("학교")
    BLIND_SPOT_LIST = "blind_spot_list", _("복지사각지대 발굴 명단")
    OTHER = "other", _("기타")


class Urgency(models.TextChoices):
    URGENT = "urgent", _("긴급(즉시 개입)")
    SOON = "soon", _("빠른 개입 필요")
    ROUTINE = "routine", _("일반")


class ClosureReason(models.TextChoices):
    GOALS_ACHIEVED = "goals_achieved", _("목표 달성")
    MOVED = "moved", _("전출")
    DIED = "died", _("사망")
    REFUSED = "refused", _("서비스 거부·철회")
    TRANSFERRED = "transferred", _("타 기관 이관")
    NO_CONTACT = "no_contact", _("3개월 이상 연락 두절")
    DUPLICATE_SERVICE = "duplicate_service", _("동일 서비스 타 기관 수혜")
    OTHER = "other", _("기타")


@personal_data(case_path="pk", client_texts=("summary", "referral_note", "closure_evaluation"))
class Case(DistrictOwned, PublicIdMixin, Versioned):
    """통합사례관리 사례: one household, one lead agency and worker, other agencies participating."""

    objects = access_source("pk", "lead_agency", "district")  # CaseAccess follows the lead

    household = models.ForeignKey(
        "people.Household", on_delete=models.PROTECT, related_name="cases", verbose_name=_("가구")
    )
    lead_agency = models.ForeignKey(
        "districts.Agency", on_delete=models.PROTECT, related_name="led_cases", verbose_name=_("주관 기관")
    )
    lead_worker = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="led_cases", verbose_name=_("주 담당자")
    )
    stage = models.CharField(_("단계"), max_length=30, choices=Stage.choices, default=Stage.IDENTIFICATION)
    case_type = models.ForeignKey(
        CaseType, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("사례 구분")
    )
    crisis_level = models.CharField(_("위기도"), max_length=10, choices=CrisisLevel.choices, blank=True)
    summary = models.TextField(_("주요 문제·상황 요약"), blank=True)
    referral_source = models.CharField(_("발굴 경로"), max_length=30, choices=ReferralSource.choices, blank=True)
    referral_note = models.CharField(_("발굴 경로 메모"), max_length=200, blank=True)
    first_contact_on = models.DateField(_("첫 접촉일"), null=True, blank=True)
    urgency = models.CharField(_("긴급도 선별"), max_length=10, choices=Urgency.choices, blank=True)
    closure_reason = models.CharField(_("종결 사유"), max_length=30, choices=ClosureReason.choices, blank=True)
    closure_evaluation = models.TextField(_("종결 평가"), blank=True)
    opened_on = models.DateField(_("개시일"))
    closed_on = models.DateField(_("종결일"), null=True, blank=True)
    stage_changed_at = models.DateTimeField(_("단계 변경일시"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("사례")
        verbose_name_plural = _("사례")
        indexes = [
            models.Index(fields=["district", "lead_agency", "stage"], name="case_district_agency_stage"),
            models.Index(fields=["district", "lead_worker", "stage"], name="case_district_worker_stage"),
        ]

    def __str__(self) -> str:
        return f"사례 {self.reference}"


@personal_data(not_personal=("role",))
class CaseParticipant(DistrictOwned):
    """참여 기관: an agency (and optionally a named worker) working on a case with the lead."""

    objects = access_source("case_id", "left_on", "agency", "case")  # CaseAccess follows the team

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="participants", verbose_name=_("사례"))
    agency = models.ForeignKey("districts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("기관"))
    worker = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("담당자")
    )
    role = models.CharField(_("역할"), max_length=100, blank=True)
    joined_on = models.DateField(_("참여일"))
    left_on = models.DateField(_("종료일"), null=True, blank=True)

    class Meta:
        verbose_name = _("참여 기관")
        verbose_name_plural = _("참여 기관")
        indexes = [models.Index(fields=["district", "agency", "left_on"], name="participant_agency")]


@personal_data(case_path="case", client_texts=("reason",))
class StageChange(DistrictOwned):
    """단계 변경 기록: who moved the case, when, from where to where, and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="stage_changes", verbose_name=_("사례"))
    from_stage = models.CharField(_("이전 단계"), max_length=30, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("변경 단계"), max_length=30, choices=Stage.choices)
    changed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("변경자")
    )
    changed_at = models.DateTimeField(_("변경일시"))
    reason = models.TextField(_("사유"), blank=True)

    class Meta:
        verbose_name = _("단계 변경 기록")
        verbose_name_plural = _("단계 변경 기록")
        ordering = ["changed_at", "id"]
        # A case's stage at a moment (reports: the stage at a period's end, for every case) and its
        # history, newest first: one index probe per case instead of reading and sorting its changes.
        # The district's closures of a period (reports: one index range instead of every change).
        indexes = [
            models.Index(fields=["case", "-changed_at", "-id"], name="stagechange_case_at"),
            models.Index(fields=["district", "to_stage", "changed_at"], name="stagechange_district_to_at"),
        ]


@personal_data(case_path="case", client_texts=("note",))
class TeamEvent(DistrictOwned):
    """사례 팀 변경 기록: joins, departures and lead transfers, for the timeline."""

    class Kind(models.TextChoices):
        JOINED = "joined", _("참여")
        LEFT = "left", _("참여 종료")
        LEAD_TRANSFERRED = "lead_transferred", _("주관 이관")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="team_events", verbose_name=_("사례"))
    kind = models.CharField(_("구분"), max_length=20, choices=Kind.choices)
    agency = models.ForeignKey("districts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("기관"))
    worker = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("담당자")
    )
    from_agency = models.ForeignKey(
        "districts.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("이전 주관 기관"),
    )
    note = models.TextField(_("메모"), blank=True)
    at = models.DateTimeField(_("일시"))
    by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("기록자"))

    class Meta:
        verbose_name = _("사례 팀 변경")
        verbose_name_plural = _("사례 팀 변경")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at", "id"], name="teamevent_case_at")]  # the timeline's page
