"""How Hamkke says a number of days: one rule for every page (issue 13 item 8).

"0일 전" and "0일째" read like a fault; people say 오늘 and 어제.
"""

from __future__ import annotations

from django.utils.translation import gettext as _


def days_ago(days: int) -> str:
    """How long ago something happened: 오늘, 어제, N일 전."""
    if days <= 0:
        return _("오늘")
    if days == 1:
        return _("어제")
    return _("%(n)d일 전") % {"n": days}


def days_running(days: int) -> str:
    """How long something has been waiting: 오늘부터, 어제부터, N일째."""
    if days <= 0:
        return _("오늘부터")
    if days == 1:
        return _("어제부터")
    return _("%(n)d일째") % {"n": days}
