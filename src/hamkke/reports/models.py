"""Anonymised case stories (사례 이야기) for practice-sharing workshops, approved before they leave."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from hamkke.core.models import DistrictOwned, PublicIdMixin
from hamkke.core.personal import personal_data


@personal_data(case_path="case", client_texts=("title", "text", "comment"))
class CaseStory(DistrictOwned, PublicIdMixin):
    """A case told without who it is about: roles for names, relative dates, agencies by kind.

    Made from the case's timeline by a worker of the lead agency, reviewed (and edited) by them,
    approved by a supervisor of the lead agency. Only an approved story can be downloaded; any
    edit sends it back for approval.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("승인 대기")
        APPROVED = "approved", _("승인")
        RETURNED = "returned", _("반려")

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="story", verbose_name=_("사례"))
    agency = models.ForeignKey(
        "districts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("주관 기관")
    )
    title = models.CharField(_("제목"), max_length=200)
    text = models.TextField(_("이야기(익명 처리)"))
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices, default=Status.PENDING)
    written_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("작성자")
    )
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("승인자")
    )
    decided_at = models.DateTimeField(_("승인 일시"), null=True, blank=True)
    comment = models.TextField(_("검토 의견"), blank=True)

    class Meta:
        verbose_name = _("사례 이야기")
        verbose_name_plural = _("사례 이야기")
        indexes = [models.Index(fields=["district", "agency", "status"], name="story_agency_status")]

    def __str__(self) -> str:
        return self.title
