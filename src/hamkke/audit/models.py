from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    VIEW = "view", _("열람")
    LIST = "list", _("목록 조회")
    CREATE = "create", _("등록")
    UPDATE = "update", _("수정")
    DENIED = "denied", _("접근 거부")
    LOGIN = "login", _("로그인")
    LOGIN_FAILED = "login_failed", _("로그인 실패")
    LOGOUT = "logout", _("로그아웃")
    EXPORT = "export", _("내려받기")
    EMERGENCY = "emergency", _("긴급 열람")


class AccessLog(models.Model):
    """접속기록: who did what to whose data, when and from where.

    Append-only: UPDATE is refused by a database trigger, DELETE too unless the row is past the
    legal minimum retention of 2 years (see migrations/0002). Deliberately no foreign keys, so
    that deleting a user or a record can never cascade into, or be blocked by, the log; and no
    personal data in it, only ids.
    """

    at = models.DateTimeField(_("일시"), auto_now_add=True)
    district_id = models.BigIntegerField(_("시군구 ID"), null=True)
    user_id = models.BigIntegerField(_("사용자 ID"), null=True)
    username = models.CharField(_("사용자 계정"), max_length=150, blank=True)
    agency_id = models.BigIntegerField(_("소속 기관 ID"), null=True)
    action = models.CharField(_("행위"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("대상 유형"), max_length=30, blank=True)
    object_id = models.CharField(_("대상 ID"), max_length=64, blank=True)
    case_id = models.BigIntegerField(_("사례 ID"), null=True)
    person_ids = models.JSONField(_("정보주체 ID"), default=list, blank=True)
    ip = models.GenericIPAddressField(_("접속지 IP"), null=True)
    path = models.CharField(_("요청 경로"), max_length=300, blank=True)
    detail = models.CharField(_("비고"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("접속기록")
        verbose_name_plural = _("접속기록")
        indexes = [
            models.Index(fields=["district_id", "at"], name="accesslog_district_at"),
            models.Index(fields=["user_id", "at"], name="accesslog_user_at"),
            models.Index(fields=["case_id"], name="accesslog_case"),
        ]
