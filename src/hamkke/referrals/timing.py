"""Response time and ageing of referrals: the thresholds live here and nowhere else.

An unanswered referral ages visibly: counted in Seoul calendar days since it was sent, in the
warning tone from ``AGE_WARN_DAYS`` and in the danger tone from ``AGE_DANGER_DAYS``.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

AGE_WARN_DAYS = 3
AGE_DANGER_DAYS = 7


def days_waiting(sent_at: datetime.datetime, today: datetime.date | None = None) -> int:
    """Seoul calendar days since the referral was sent (0 on the day itself)."""
    today = today or timezone.localdate()
    return max((today - timezone.localtime(sent_at).date()).days, 0)


def age_tone(days: int) -> str:
    if days >= AGE_DANGER_DAYS:
        return "danger"
    if days >= AGE_WARN_DAYS:
        return "warn"
    return "info"


def response_time(sent_at: datetime.datetime, responded_at: datetime.datetime | None) -> datetime.timedelta | None:
    return responded_at - sent_at if responded_at else None


def duration_label(duration: datetime.timedelta | None) -> str:
    """'2일 3시간', '5시간', '1시간 미만'; empty when there is no answer yet."""
    if duration is None:
        return ""
    days, hours = duration.days, duration.seconds // 3600
    if days and hours:
        return _("%(days)d일 %(hours)d시간") % {"days": days, "hours": hours}
    if days:
        return _("%(days)d일") % {"days": days}
    if hours:
        return _("%(hours)d시간") % {"hours": hours}
    return _("1시간 미만")
