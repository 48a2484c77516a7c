from django.db import models
from django.utils.translation import gettext_lazy as _

from hamkke.core.personal import personal_data


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


@personal_data(staff=("username", "detail"), not_personal=("object_type", "object_id", "path", "request_id"))
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
    # The request (or, for a background job, the request that queued it) that wrote the row: the same id
    # as in the application's log lines and the X-Request-ID header (django-guid).
    request_id = models.CharField(_("요청 ID"), max_length=36, blank=True, default="", db_default="")

    class Meta:
        verbose_name = _("접속기록")
        verbose_name_plural = _("접속기록")
        indexes = [
            models.Index(fields=["district_id", "at"], name="accesslog_district_at"),
            # The viewer's filters, each with the period: one index range read, newest first, whatever the
            # size of the log (bench_access_log: one case in a month of 4 million rows, 26 s -> ms).
            models.Index(fields=["district_id", "username", "at"], name="accesslog_district_user_at"),
            models.Index(fields=["case_id", "at"], name="accesslog_case_at"),
        ]


@personal_data(staff=("note",))
class MonthlyReview(models.Model):
    """접속기록 월간 점검: an auditor reviews a month of the access log and signs it off (DOMAIN.md §6)."""

    district = models.ForeignKey("districts.District", on_delete=models.PROTECT, verbose_name=_("시군구"))
    month = models.DateField(_("점검 월"), help_text=_("그 달의 1일"))
    reviewed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("점검자")
    )
    signed_at = models.DateTimeField(_("서명일시"))
    flags_seen = models.JSONField(_("확인한 이상 징후"), default=list, blank=True)
    flag_count = models.PositiveIntegerField(_("이상 징후 수"), default=0)
    note = models.TextField(_("점검 의견"))

    class Meta:
        verbose_name = _("접속기록 월간 점검")
        verbose_name_plural = _("접속기록 월간 점검")
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["district", "month"], name="monthly_review_once")]


class MonthFlagRun(models.Model):
    """이상 징후 계산: the monthly-review job's run over one finished month of a district's log (``monthflags``).

    Computed once (celery beat on the 1st, or when the review page first asks for the month); the page and
    the sign-off read the stored flags instead of the month's millions of rows."""

    class Status(models.TextChoices):
        PENDING = "pending", _("만드는 중")
        DONE = "done", _("완료")
        FAILED = "failed", _("실패")

    district = models.ForeignKey("districts.District", on_delete=models.CASCADE, verbose_name=_("시군구"))
    month = models.DateField(_("점검 월"), help_text=_("그 달의 1일"))
    status = models.CharField(_("상태"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(_("요청일시"))
    computed_at = models.DateTimeField(_("계산일시"), null=True, blank=True)
    rows_read = models.PositiveBigIntegerField(_("읽은 접속기록 수"), default=0)
    flag_count = models.PositiveIntegerField(_("이상 징후 수"), default=0)
    # The flags by kind and user ([kind, username, count, first, last], ``monthflags.FlagGroup``), summed up
    # once by the job: the page reads a few hundred groups, not the month's (possibly millions of) flags.
    groups = models.JSONField(_("이상 징후 묶음"), default=list, blank=True)

    class Meta:
        verbose_name = _("이상 징후 계산")
        verbose_name_plural = _("이상 징후 계산")
        constraints = [models.UniqueConstraint(fields=["district", "month"], name="month_flag_run_once")]


@personal_data(staff=("username", "detail"), not_personal=("kind",))
class MonthFlag(models.Model):
    """A flag (``flags.Flag``) of a month's log, stored by the monthly-review job. ``log_id`` is the access-log
    row's id (no foreign key: the log is partitioned and append-only)."""

    run = models.ForeignKey(MonthFlagRun, on_delete=models.CASCADE, related_name="flags", verbose_name=_("계산"))
    kind = models.CharField(_("종류"), max_length=20)
    log_id = models.BigIntegerField(_("접속기록 ID"))
    at = models.DateTimeField(_("일시"))
    username = models.CharField(_("사용자 계정"), max_length=150, blank=True)
    detail = models.CharField(_("비고"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("이상 징후")
        verbose_name_plural = _("이상 징후")
