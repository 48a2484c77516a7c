from django.contrib.auth.models import AbstractUser
from django.db import models

from hamkke.core.models import DistrictOwned


class User(AbstractUser):
    """A person who logs in. What they may do depends on their memberships."""

    display_name = models.CharField("이름", max_length=50, blank=True)

    class Meta:
        verbose_name = "사용자"
        verbose_name_plural = "사용자"

    def __str__(self) -> str:
        return self.display_name or self.username


class Role(models.TextChoices):
    WORKER = "worker", "사례관리 담당자"
    SUPERVISOR = "supervisor", "팀장(슈퍼바이저)"
    AGENCY_ADMIN = "agency_admin", "기관 관리자"
    DISTRICT_ADMIN = "district_admin", "시군구 통합사례관리 관리자"
    AUDITOR = "auditor", "감사 담당자"


class Membership(DistrictOwned):
    """소속: a user works in an agency with one role. A user may belong to several agencies."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name="사용자")
    agency = models.ForeignKey(
        "districts.Agency", on_delete=models.PROTECT, related_name="memberships", verbose_name="기관"
    )
    role = models.CharField("역할", max_length=20, choices=Role.choices, default=Role.WORKER)
    title = models.CharField("직위", max_length=50, blank=True)
    is_active = models.BooleanField("활성", default=True)

    class Meta:
        verbose_name = "소속"
        verbose_name_plural = "소속"
        constraints = [models.UniqueConstraint(fields=["user", "agency"], name="membership_unique_user_agency")]

    def __str__(self) -> str:
        return f"{self.user} · {self.agency} · {self.get_role_display()}"
