from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from hamkke.access.policy import CASEWORK, RECORD_WORK, can, may

register = template.Library()

# The pages of one case, each owned by its app (url name -> tab label).
CASE_TABS = [
    ("cases:detail", _("개요")),
    ("timeline:case", _("타임라인")),
    ("assessment:case", _("상담·사정")),
    ("diagrams:case", _("가계도·생태도")),
    ("plans:case", _("서비스 계획")),
    ("records:case", _("서비스·상담 기록")),
    ("referrals:case", _("의뢰")),
    ("conferences:case", _("사례회의")),
    ("approvals:case", _("결재·종결")),
    ("reports:case_story", _("사례 이야기")),
]


@register.simple_tag
def case_tabs(case) -> list[dict]:
    tabs = []
    for name, label in CASE_TABS:
        try:
            tabs.append({"url": reverse(name, args=[case.uuid]), "label": label})
        except NoReverseMatch:  # an app not installed in this deployment
            continue
    return tabs


@register.simple_tag(takes_context=True)
def may_record_work(context, case) -> bool:
    """Whether the actor may record visits on this case (the "방문 기록" button)."""
    actor = context.get("actor")
    return bool(actor and can(actor, RECORD_WORK, case))


@register.simple_tag(takes_context=True)
def does_casework(context) -> bool:
    """Whether the actor's role records visits at all (the caseload's "방문 기록" links; the page checks the case)."""
    actor = context.get("actor")
    return bool(actor and may(actor, CASEWORK))
