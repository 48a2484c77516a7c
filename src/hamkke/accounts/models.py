from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from hamkke.core.models import DistrictOwned
from hamkke.core.personal import personal_data


@personal_data(staff=("password", "username", "first_name", "last_name", "email", "display_name"))
class User(AbstractUser):
    """A person who logs in. What they may do depends on their memberships."""

    display_name = models.CharField(_("이름"), max_length=50, blank=True)
    # Raised by "log out everywhere": every session signed with the old value stops working.
    session_generation = models.PositiveIntegerField(_("세션 세대"), default=0, editable=False)
    # Creates districts, their agencies and first admins (manage.py create_district); reaches no case
    # data: it is no role and gives no membership (hamkke.access.policy.MANAGE_DISTRICTS).
    is_platform_admin = models.BooleanField(
        _("플랫폼 관리자"),
        default=False,
        help_text=_("시군구·기관·첫 관리자를 만듭니다. 어느 시군구의 사례 정보도 볼 수 없습니다."),
    )

    class Meta:
        verbose_name = _("사용자")
        verbose_name_plural = _("사용자")

    def __str__(self) -> str:
        return self.display_name or self.username

    def _get_session_auth_hash(self, secret=None):
        # Django's hash covers the password only; adding the generation lets a user end all of
        # their sessions at once (on every device) without changing the password.
        key_salt = "hamkke.accounts.User.get_session_auth_hash"
        return salted_hmac(
            key_salt, f"{self.password}:{self.session_generation}", secret=secret, algorithm="sha256"
        ).hexdigest()


class Role(models.TextChoices):
    WORKER = "worker", _("사례관리 담당자")
    SUPERVISOR = "supervisor", _("팀장(슈퍼바이저)")
    AGENCY_ADMIN = "agency_admin", _("기관 관리자")
    DISTRICT_ADMIN = "district_admin", _("시군구 통합사례관리 관리자")
    AUDITOR = "auditor", _("감사 담당자")


@personal_data(staff=("title",))
class Membership(DistrictOwned):
    """소속: a user works in an agency with one role. A user may belong to several agencies."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("사용자"))
    agency = models.ForeignKey(
        "districts.Agency", on_delete=models.PROTECT, related_name="memberships", verbose_name=_("기관")
    )
    role = models.CharField(_("역할"), max_length=20, choices=Role.choices, default=Role.WORKER)
    title = models.CharField(_("직위"), max_length=50, blank=True)
    is_active = models.BooleanField(_("활성"), default=True)

    class Meta:
        verbose_name = _("소속")
        verbose_name_plural = _("소속")
        constraints = [models.UniqueConstraint(fields=["user", "agency"], name="membership_unique_user_agency")]

    def __str__(self) -> str:
        return f"{self.user} · {self.agency} · {self.get_role_display()}"
