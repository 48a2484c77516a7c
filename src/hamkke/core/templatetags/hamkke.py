from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from hamkke.cases.workflow import SPECS
from hamkke.core import words

register = template.Library()

CRISIS_TONE = {"high": "danger", "medium": "warn", "low": "ok"}


@register.filter
def stage_tone(stage: str) -> str:
    return str(SPECS[stage].tone) if stage in SPECS else "muted"


@register.filter
def crisis_tone(level: str) -> str:
    return CRISIS_TONE.get(level, "muted")


@register.filter
def days_ago(days: int) -> str:
    return words.days_ago(days)


@register.filter
def days_running(days: int) -> str:
    return words.days_running(days)


# The main menu: (url name, label, roles that see it). Entries whose app is not installed are skipped.
MAIN_NAV = [
    ("cases:caseload", _("내 사례"), {"worker", "supervisor", "agency_admin", "district_admin"}),
    ("inbox:index", _("알림함"), {"worker", "supervisor", "agency_admin", "district_admin", "auditor"}),
    ("cases:register", _("가구 발굴·등록"), {"worker", "supervisor"}),
    ("people:search", _("당사자 찾기"), {"worker", "supervisor", "agency_admin", "district_admin"}),
    ("records:overdue", _("점검·기한"), {"worker", "supervisor"}),
    ("records:refusals", _("거부 가구"), {"worker", "supervisor"}),
    ("approvals:inbox", _("결재함"), {"worker", "supervisor"}),
    ("referrals:inbox", _("의뢰"), {"worker", "supervisor", "agency_admin"}),
    ("conferences:list", _("사례회의"), {"worker", "supervisor", "agency_admin", "district_admin"}),
    ("conferences:tasks", _("내 과제"), {"worker", "supervisor"}),
    ("reports:dashboard", _("통계"), {"worker", "supervisor", "agency_admin", "district_admin"}),
    ("imports:index", _("가져오기·내보내기"), {"worker", "supervisor", "agency_admin", "district_admin"}),
    ("api:index", _("API"), {"worker", "supervisor", "agency_admin", "district_admin"}),
    ("resources:list", _("지역 자원"), {"worker", "supervisor", "agency_admin", "district_admin"}),
    ("access:emergency_review", _("긴급 열람 검토"), {"district_admin"}),
    ("audit:log", _("접속기록"), {"auditor", "district_admin"}),
    ("audit:reviews", _("월간 점검"), {"auditor"}),
    ("districts:settings", _("운영 기준"), {"district_admin"}),
]


@register.simple_tag(takes_context=True)
def may_search_cases(context) -> bool:
    """Whether the header shows the case search box: the actor may read some case (issue 13 §3)."""
    from hamkke.cases.search import case_search_available

    actor = context.get("actor")
    return actor is not None and case_search_available(actor)


@register.simple_tag(takes_context=True)
def may_manage_districts(context) -> bool:
    """Whether the actor is a platform administrator (asked of the policy: the flag, not a role)."""
    from hamkke.access.policy import MANAGE_DISTRICTS, may

    actor = context.get("actor")
    return actor is not None and may(actor, MANAGE_DISTRICTS)


@register.simple_tag(takes_context=True)
def main_nav(context) -> list[dict]:
    actor = context.get("actor")
    role = getattr(actor, "role", None)
    items = []
    for name, label, roles in MAIN_NAV:
        if role not in roles:
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        item = {"url": url, "label": label, "current": context["request"].path.startswith(url), "count": 0}
        if name == "inbox:index":
            from hamkke.inbox.selectors import inbox_count

            item["count"] = inbox_count(actor=actor)  # one query
        items.append(item)
    if may_manage_districts(context):  # the platform administrator's page
        url = reverse("districts:platform")
        items.append(
            {"url": url, "label": _("시군구 관리"), "current": context["request"].path.startswith(url), "count": 0}
        )
    return items
