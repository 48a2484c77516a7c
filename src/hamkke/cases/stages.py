"""Stages of a case (DOMAIN.md §2) and the transitions allowed between them.

Full track: 발굴 → 초기상담 → 접수 → 욕구·위기도 조사 → 사례회의 → 대상자 구분·선정 → 서비스 계획
→ 서비스 제공·점검 ⇄ 재사정 → 종결 → 사후관리.
Light track (서비스연계 대상): 접수 → 서비스연계·점검 → 종결 → 사후관리.
Refused (거부) and on hold (보류) are states a case waits in; they never close it silently.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    IDENTIFICATION = "identification", _("발굴")
    INITIAL_CONSULTATION = "initial_consultation", _("초기상담")
    INTAKE = "intake", _("접수")
    ASSESSMENT = "assessment", _("욕구 및 위기도 조사")
    CONFERENCE = "conference", _("사례회의")
    SELECTION = "selection", _("대상자 구분·선정")
    PLANNING = "planning", _("서비스 제공계획 수립")
    DELIVERY = "delivery", _("서비스 제공 및 점검")
    REASSESSMENT = "reassessment", _("재사정")
    LINKAGE = "linkage", _("서비스연계 및 점검")
    REFUSED = "refused", _("거부(지속 방문)")
    ON_HOLD = "on_hold", _("보류")
    CLOSED = "closed", _("종결")
    FOLLOW_UP = "follow_up", _("사후관리")


S = Stage
# Every stage but the closed ones may be closed (the person moves, dies, withdraws...).
TRANSITIONS: dict[str, set[str]] = {
    S.IDENTIFICATION: {S.INITIAL_CONSULTATION, S.REFUSED, S.ON_HOLD, S.CLOSED},
    S.INITIAL_CONSULTATION: {S.INTAKE, S.REFUSED, S.ON_HOLD, S.CLOSED},
    S.INTAKE: {S.ASSESSMENT, S.LINKAGE, S.REFUSED, S.ON_HOLD, S.CLOSED},
    S.ASSESSMENT: {S.CONFERENCE, S.REFUSED, S.ON_HOLD, S.CLOSED},
    S.CONFERENCE: {S.SELECTION, S.ASSESSMENT, S.ON_HOLD, S.CLOSED},
    S.SELECTION: {S.PLANNING, S.LINKAGE, S.ON_HOLD, S.CLOSED},
    S.PLANNING: {S.DELIVERY, S.REFUSED, S.ON_HOLD, S.CLOSED},
    S.DELIVERY: {S.REASSESSMENT, S.REFUSED, S.ON_HOLD, S.CLOSED},
    S.REASSESSMENT: {S.PLANNING, S.DELIVERY, S.CLOSED},
    S.LINKAGE: {S.ASSESSMENT, S.REFUSED, S.ON_HOLD, S.CLOSED},
    # The person agrees at last: the case continues from intake with its history.
    S.REFUSED: {S.INITIAL_CONSULTATION, S.INTAKE, S.CLOSED},
    S.ON_HOLD: {S.INITIAL_CONSULTATION, S.INTAKE, S.ASSESSMENT, S.PLANNING, S.DELIVERY, S.LINKAGE, S.CLOSED},
    S.CLOSED: {S.FOLLOW_UP, S.INTAKE},  # follow-up, or reopen with history
    S.FOLLOW_UP: {S.INTAKE},  # reopen
}

# Moving into these needs a stated reason (why the person refused, why closed...).
REASON_REQUIRED = {S.REFUSED, S.ON_HOLD, S.CLOSED}
# Stages in which a case is no longer worked on.
INACTIVE = {S.CLOSED, S.FOLLOW_UP}


def allowed_next(stage: str) -> list[str]:
    return [s for s in Stage.values if s in TRANSITIONS.get(stage, set())]
