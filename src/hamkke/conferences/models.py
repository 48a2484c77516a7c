"""Case conferences (사례회의) and practice-sharing workshops, whose decisions become tasks."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from hamkke.core.models import DistrictOwned, PublicIdMixin
from hamkke.core.personal import personal_data


@personal_data(client_texts=("title", "place", "other_attendees", "minutes"))
class Conference(DistrictOwned, PublicIdMixin):
    class Kind(models.TextChoices):
        CASE_CONFERENCE = "case_conference", _("사례회의")
        WORKSHOP = "workshop", _("사례 공유 워크숍")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("예정")
        HELD = "held", _("개최")
        CANCELLED = "cancelled", _("취소")

    kind = models.CharField(_("구분"), max_length=20, choices=Kind.choices, default=Kind.CASE_CONFERENCE)
    title = models.CharField(_("회의명"), max_length=200)
    scheduled_at = models.DateTimeField(_("일시"))
    place = models.CharField(_("장소"), max_length=200, blank=True)
    host_agency = models.ForeignKey(
        "districts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("주최 기관")
    )
    agencies = models.ManyToManyField("districts.Agency", related_name="conferences", verbose_name=_("참여 기관"))
    attendees = models.ManyToManyField(
        "accounts.User", blank=True, related_name="conferences", verbose_name=_("참석 담당자")
    )
    person_attended = models.BooleanField(_("당사자 참석"), default=False)
    family_attended = models.BooleanField(_("가족 참석"), default=False)
    other_attendees = models.CharField(_("기타 참석자"), max_length=300, blank=True)
    minutes = models.TextField(_("회의록"), blank=True)
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("등록자")
    )

    class Meta:
        verbose_name = _("사례회의")
        verbose_name_plural = _("사례회의")
        ordering = ["-scheduled_at"]
        indexes = [models.Index(fields=["district", "scheduled_at"], name="conference_district_at")]

    def __str__(self) -> str:
        return self.title


@personal_data(case_path="case", client_texts=("discussion",))
class ConferenceCase(DistrictOwned):
    """A case discussed at a conference, with what was said about it (case content: scoped)."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="discussed", verbose_name=_("사례회의")
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="conference_items", verbose_name=_("사례")
    )
    discussion = models.TextField(_("논의 내용"), blank=True)

    class Meta:
        verbose_name = _("논의 사례")
        verbose_name_plural = _("논의 사례")
        constraints = [models.UniqueConstraint(fields=["conference", "case"], name="conference_case_once")]


@personal_data(case_path="case", client_texts=("decision", "completion_note"))
class Task(DistrictOwned, PublicIdMixin):
    """A decision of a conference that became a task for a named worker, with a due date."""

    class Status(models.TextChoices):
        OPEN = "open", _("진행 중")
        DONE = "done", _("완료")
        CANCELLED = "cancelled", _("취소")

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("사례회의")
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="tasks", verbose_name=_("사례")
    )
    decision = models.TextField(_("결정 사항"))
    assignee = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="tasks", verbose_name=_("담당자")
    )
    agency = models.ForeignKey(
        "districts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("담당 기관")
    )
    due_on = models.DateField(_("기한"))
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices, default=Status.OPEN)
    completed_at = models.DateTimeField(_("완료일시"), null=True, blank=True)
    completion_note = models.TextField(_("완료 내용"), blank=True)

    class Meta:
        verbose_name = _("회의 결정 과제")
        verbose_name_plural = _("회의 결정 과제")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["district", "assignee", "status", "due_on"], name="task_assignee")]

    def __str__(self) -> str:
        return self.decision
