"""API tokens: a machine client acts as one user *in one membership* (agency and role)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hamkke.core.models import DistrictOwned, PublicIdMixin
from hamkke.core.personal import personal_data


@personal_data(staff=("name",), not_personal=("prefix", "key_hash"))
class ApiToken(DistrictOwned, PublicIdMixin):
    """API 토큰: per user and membership, revocable; only a hash of the secret is stored.

    The membership fixes the agency and role the token acts in (the web's agency switcher has no
    equivalent for a machine client), so access follows the same rules as the user's web session
    in that agency. Deactivating the membership or the user stops the token at once.
    """

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("사용자")
    )
    membership = models.ForeignKey(
        "accounts.Membership", on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("소속")
    )
    name = models.CharField(_("토큰 이름"), max_length=100)
    prefix = models.CharField(_("토큰 앞자리"), max_length=12, help_text=_("토큰을 알아보기 위한 앞 몇 글자"))
    key_hash = models.CharField(_("토큰 해시"), max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("만료일시"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("마지막 사용"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("폐기일시"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("폐기한 사람"),
    )

    class Meta:
        verbose_name = _("API 토큰")
        verbose_name_plural = _("API 토큰")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["district", "user"], name="apitoken_district_user")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())
