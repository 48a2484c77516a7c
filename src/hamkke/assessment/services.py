"""Writes for initial consultation (초기상담) and assessment (사정): needs, strengths, crisis level.

Every write needs CHANGE_CASE on the case (the lead agency's workers) and leaves an access-log row.
The needs rules follow DOMAIN.md §3: the expressed need is the person's own words; an agreed need
needs the felt need behind it and must not merely repeat the expressed words (unless the worker
confirms the person agreed to exactly that); a need is selected only once agreed; a need that
cannot be helped now is set aside with a reason and kept.
"""

from __future__ import annotations

import datetime
import difflib
import unicodedata
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkke.access.policy import CHANGE_CASE, can
from hamkke.accounts.actor import Actor
from hamkke.audit.models import Action
from hamkke.audit.services import audit_record
from hamkke.cases.models import Case, CrisisLevel
from hamkke.core.domains import LifeDomain
from hamkke.core.event_time import event_day_errors
from hamkke.core.locking import check_version
from hamkke.core.validation import clean_fields
from hamkke.people.models import Person

from .crisis import level_from_scores
from .models import CrisisAssessment, CrisisRating, InitialConsultation, Need, Strength

SAME_TEXT_RATIO = 0.9  # difflib ratio from which an agreed text counts as a repeat of the expressed one

# Need status transitions (DOMAIN.md §3). Achieved and dropped are final: a new need is recorded instead.
NEED_TRANSITIONS: dict[str, set[str]] = {
    Need.Status.DISCUSSING: {Need.Status.SELECTED, Need.Status.SET_ASIDE},
    Need.Status.SELECTED: {Need.Status.ACHIEVED, Need.Status.DROPPED, Need.Status.SET_ASIDE},
    Need.Status.SET_ASIDE: {Need.Status.DISCUSSING, Need.Status.SELECTED},
    Need.Status.ACHIEVED: set(),
    Need.Status.DROPPED: set(),
}
AGREED_STATUSES = {Need.Status.SELECTED, Need.Status.ACHIEVED, Need.Status.DROPPED}


def _require_change(actor: Actor, case: Case) -> None:
    if not can(actor, CHANGE_CASE, case):
        raise PermissionDenied(_("이 사례의 상담·사정 기록을 바꿀 권한이 없습니다."))


def _household_person(case: Case, person: Person | None) -> Person | None:
    if person is not None and person.household_id != case.household_id:
        raise ValidationError({"person": _("이 사례 가구의 가구원이 아닙니다.")})
    return person


def _choice_errors(**fields: tuple[str, type[models.Choices]]) -> dict[str, str]:
    """{field: message} for every value that is not one of its TextChoices (``field=(value, Choices)``)."""
    return {
        name: _("올바른 값을 고르세요.") for name, (value, choices) in fields.items() if value not in choices.values
    }


# --- Initial consultation -------------------------------------------------------------------------


def _consultation_clean(case: Case, held_on: datetime.date, presenting_issues: str) -> None:
    errors = event_day_errors(case, "held_on", held_on)
    if not presenting_issues.strip():
        errors["presenting_issues"] = _("당사자가 말한 어려움을 적어 주세요.")
    if errors:
        raise ValidationError(errors)


def consultation_record(
    *,
    actor: Actor,
    case: Case,
    held_on: datetime.date,
    presenting_issues: str,
    place: str = "",
    participants: str = "",
    worker_observations: str = "",
    request: HttpRequest | None = None,
) -> InitialConsultation:
    """Record an initial consultation (초기상담): when, where, who took part, what the person said."""
    _require_change(actor, case)
    _consultation_clean(case, held_on, presenting_issues)
    with transaction.atomic():
        consultation = InitialConsultation.objects.create(
            district_id=case.district_id,
            case=case,
            held_on=held_on,
            place=place.strip(),
            participants=participants.strip(),
            presenting_issues=presenting_issues.strip(),
            worker_observations=worker_observations.strip(),
            recorded_by=actor.user,
        )
        audit_record(actor=actor, action=Action.CREATE, obj=consultation, case_id=case.pk, request=request)
    return consultation


def consultation_update(
    *,
    actor: Actor,
    consultation: InitialConsultation,
    held_on: datetime.date,
    presenting_issues: str,
    place: str = "",
    participants: str = "",
    worker_observations: str = "",
    request: HttpRequest | None = None,
) -> InitialConsultation:
    case = consultation.case
    _require_change(actor, case)
    _consultation_clean(case, held_on, presenting_issues)
    with transaction.atomic():
        consultation.held_on, consultation.place = held_on, place.strip()
        consultation.participants = participants.strip()
        consultation.presenting_issues = presenting_issues.strip()
        consultation.worker_observations = worker_observations.strip()
        consultation.save()
        audit_record(actor=actor, action=Action.UPDATE, obj=consultation, case_id=case.pk, request=request)
    return consultation


# --- Needs ----------------------------------------------------------------------------------------


def _comparable(text: str) -> str:
    """Lower case without whitespace, punctuation or symbols: '집이 좋으면 좋겠어요!' ~ '집이좋으면좋겠어요'."""
    return "".join(ch for ch in text.casefold() if unicodedata.category(ch)[0] not in "ZPSC")


def agreed_repeats_expressed(expressed_text: str, agreed_text: str) -> bool:
    """True when the agreed need is (nearly) the expressed need copied: the words were not worked on."""
    expressed, agreed = _comparable(expressed_text), _comparable(agreed_text)
    if not expressed or not agreed:
        return False
    return expressed == agreed or difflib.SequenceMatcher(None, expressed, agreed).ratio() >= SAME_TEXT_RATIO


def _need_clean(
    *,
    case: Case,
    person: Person | None,
    domain: str,
    expressed_text: str,
    felt_text: str,
    agreed_text: str,
    proposer: str,
    framing: str,
    status: str,
    check_repeat: bool,
    confirm_same_text: bool,
    identified_on: datetime.date,
) -> None:
    _household_person(case, person)
    errors: dict[str, ValidationError] = {
        name: ValidationError(message, code="invalid_choice")
        for name, message in _choice_errors(
            domain=(domain, LifeDomain), proposer=(proposer, Need.Proposer), framing=(framing, Need.Framing)
        ).items()
    }
    errors.update(
        (name, ValidationError(message, code="event_date"))
        for name, message in event_day_errors(case, "identified_on", identified_on).items()
    )
    if not expressed_text:
        errors["expressed_text"] = ValidationError(_("당사자가 표현한 말을 그대로 적어 주세요."), code="required")
    if agreed_text and not felt_text:
        errors["felt_text"] = ValidationError(
            _("합의한 욕구를 적으려면 먼저 당사자가 느끼는 욕구를 적어야 합니다."), code="agreed_without_felt"
        )
    if not agreed_text and status in AGREED_STATUSES:
        errors["agreed_text"] = ValidationError(
            _("선택(합의)된 욕구는 합의한 욕구를 비울 수 없습니다."), code="agreed_required"
        )
    elif check_repeat and not confirm_same_text and agreed_repeats_expressed(expressed_text, agreed_text):
        errors["agreed_text"] = ValidationError(
            _(
                "합의한 욕구가 표현한 욕구를 거의 그대로 옮겼습니다. 당사자와 함께 다듬었는지 확인하세요. "
                "표현한 말 그대로 합의했다면 확인란에 표시하고 다시 저장하세요."
            ),
            code="agreed_repeats_expressed",
        )
    texts = Need(expressed_text=expressed_text, felt_text=felt_text, agreed_text=agreed_text)
    clean_fields(texts, ["expressed_text", "felt_text", "agreed_text"], errors=errors)


def need_record(
    *,
    actor: Actor,
    case: Case,
    domain: str,
    expressed_text: str,
    felt_text: str = "",
    agreed_text: str = "",
    proposer: str = Need.Proposer.PERSON,
    framing: str = Need.Framing.POSITIVE,
    person: Person | None = None,
    confirm_same_text: bool = False,
    identified_on: datetime.date | None = None,
    expected_version: int | None = None,  # the shared need form sends it; a new need has none
    request: HttpRequest | None = None,
) -> Need:
    """Record a need as the person expresses it, with the felt and agreed need when known.

    Raises ValidationError code ``agreed_without_felt`` (felt_text) when an agreed need comes
    without the felt need, and ``agreed_repeats_expressed`` (agreed_text) when the agreed text
    repeats the expressed one and ``confirm_same_text`` is not set. The need starts 'discussing'.
    ``identified_on``: when the need was heard (default today; ``core.event_time``).
    """
    _require_change(actor, case)
    expressed_text, felt_text, agreed_text = expressed_text.strip(), felt_text.strip(), agreed_text.strip()
    identified_on = identified_on or timezone.localdate()
    _need_clean(
        identified_on=identified_on,
        case=case,
        person=person,
        domain=domain,
        expressed_text=expressed_text,
        felt_text=felt_text,
        agreed_text=agreed_text,
        proposer=proposer,
        framing=framing,
        status=Need.Status.DISCUSSING,
        check_repeat=True,
        confirm_same_text=confirm_same_text,
    )
    with transaction.atomic():
        need = Need.objects.create(
            district_id=case.district_id,
            case=case,
            person=person,
            domain=domain,
            expressed_text=expressed_text,
            felt_text=felt_text,
            agreed_text=agreed_text,
            proposer=proposer,
            framing=framing,
            identified_on=identified_on,
            recorded_by=actor.user,
        )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=need,
            case_id=case.pk,
            person_ids=[person.pk] if person else [],
            request=request,
        )
    return need


def need_update(
    *,
    actor: Actor,
    need: Need,
    domain: str,
    expressed_text: str,
    felt_text: str = "",
    agreed_text: str = "",
    proposer: str = Need.Proposer.PERSON,
    framing: str = Need.Framing.POSITIVE,
    person: Person | None = None,
    confirm_same_text: bool = False,
    identified_on: datetime.date | None = None,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> Need:
    """Change a need's words, proposer, framing or domain (not its status: ``need_set_status``).

    Same rules as ``need_record``; the repeat check runs when the expressed or agreed text changes,
    and a selected (or achieved, dropped) need keeps an agreed text.
    """
    case = need.case
    _require_change(actor, case)
    expressed_text, felt_text, agreed_text = expressed_text.strip(), felt_text.strip(), agreed_text.strip()
    with transaction.atomic():
        need = Need.objects.select_for_update().get(pk=need.pk)
        check_version(need, expected_version)
        words_changed = (expressed_text, agreed_text) != (need.expressed_text, need.agreed_text)
        identified_on = identified_on or need.identified_on
        _need_clean(
            identified_on=identified_on,
            case=case,
            person=person,
            domain=domain,
            expressed_text=expressed_text,
            felt_text=felt_text,
            agreed_text=agreed_text,
            proposer=proposer,
            framing=framing,
            status=need.status,
            check_repeat=words_changed,
            confirm_same_text=confirm_same_text,
        )
        need.person, need.domain, need.proposer, need.framing = person, domain, proposer, framing
        need.expressed_text, need.felt_text, need.agreed_text = expressed_text, felt_text, agreed_text
        need.identified_on = identified_on
        need.save()
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=need,
            case_id=case.pk,
            person_ids=[person.pk] if person else [],
            request=request,
        )
    return need


def need_set_status(
    *,
    actor: Actor,
    need: Need,
    status: str,
    set_aside_reason: str = "",
    set_aside_note: str = "",
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> Need:
    """Select, set aside (with a reason: the need is kept), mark achieved or dropped (NEED_TRANSITIONS).

    A need is selected only when it has an agreed text. Leaving 'set aside' clears the reason on
    the need; the change history keeps it.
    """
    case = need.case
    _require_change(actor, case)
    set_aside_note = set_aside_note.strip()
    with transaction.atomic():
        need = Need.objects.select_for_update().get(pk=need.pk)
        check_version(need, expected_version)
        if status not in Need.Status.values or status not in NEED_TRANSITIONS[need.status]:
            raise ValidationError(
                {
                    "status": ValidationError(
                        _("‘%(from)s’에서 이 상태로는 바꿀 수 없습니다.") % {"from": need.get_status_display()},
                        code="invalid_transition",
                    )
                }
            )
        if status == Need.Status.SELECTED and not need.agreed_text:
            raise ValidationError(
                {
                    "status": ValidationError(
                        _("합의한 욕구가 있어야 선택할 수 있습니다. 먼저 당사자와 합의한 욕구를 적으세요."),
                        code="not_agreed",
                    )
                }
            )
        if status == Need.Status.SET_ASIDE and set_aside_reason not in Need.SetAsideReason.values:
            raise ValidationError(
                {
                    "set_aside_reason": ValidationError(
                        _("내려놓는 이유를 고르세요. 욕구는 지우지 않고 이유와 함께 남깁니다."), code="reason_required"
                    )
                }
            )
        from_status = need.status
        need.status = status
        if status == Need.Status.SET_ASIDE:
            need.set_aside_reason, need.set_aside_note = set_aside_reason, set_aside_note
        else:
            need.set_aside_reason, need.set_aside_note = "", ""
        need.save()
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=need,
            case_id=case.pk,
            person_ids=[need.person_id] if need.person_id else [],
            request=request,
            detail=f"status {from_status} -> {status}",
        )
    return need


# --- Strengths ------------------------------------------------------------------------------------


def _strength_clean(*, case: Case, person: Person | None, side: str, kind: str, description: str, domain: str) -> None:
    _household_person(case, person)
    errors = _choice_errors(side=(side, Strength.Side), kind=(kind, Strength.Kind))
    if domain and domain not in LifeDomain.values:
        errors["domain"] = _("올바른 값을 고르세요.")
    if not errors and (kind in Strength.INNER_KINDS) != (side == Strength.Side.INNER):
        errors["kind"] = (
            _("경험·역량·의지는 안쪽 자원입니다.")
            if kind in Strength.INNER_KINDS
            else _("관계(가족·친구·이웃 등)는 바깥 자원입니다.")
        )
    if not description:
        errors["description"] = _("어떤 강점·자원인지 적어 주세요.")
    clean_fields(Strength(description=description), ["description"], errors=errors)


def _valid_tie(tie: str) -> str:
    if tie not in Strength.Tie.values:
        raise ValidationError({"tie": _("관계의 성격을 목록에서 고르세요.")})
    return tie


def strength_record(
    *,
    actor: Actor,
    case: Case,
    side: str,
    kind: str,
    description: str,
    domain: str = "",
    note: str = "",
    person: Person | None = None,
    in_use: bool = True,
    tie: str = Strength.Tie.ORDINARY,
    request: HttpRequest | None = None,
) -> Strength:
    """Record a strength or own resource of the person: inner (experience, ability, will) or outer
    (relationships). The kind must belong to the side (``Strength.INNER_KINDS`` are inner)."""
    _require_change(actor, case)
    description = description.strip()
    _strength_clean(case=case, person=person, side=side, kind=kind, description=description, domain=domain)
    with transaction.atomic():
        strength = Strength.objects.create(
            district_id=case.district_id,
            case=case,
            person=person,
            side=side,
            kind=kind,
            description=description,
            domain=domain,
            note=note.strip(),
            in_use=in_use,
            tie=_valid_tie(tie),
            recorded_by=actor.user,
        )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=strength,
            case_id=case.pk,
            person_ids=[person.pk] if person else [],
            request=request,
        )
    return strength


def strength_update(
    *,
    actor: Actor,
    strength: Strength,
    side: str,
    kind: str,
    description: str,
    domain: str = "",
    note: str = "",
    person: Person | None = None,
    in_use: bool = True,
    tie: str = Strength.Tie.ORDINARY,
    request: HttpRequest | None = None,
) -> Strength:
    case = strength.case
    _require_change(actor, case)
    description = description.strip()
    _strength_clean(case=case, person=person, side=side, kind=kind, description=description, domain=domain)
    with transaction.atomic():
        strength.person, strength.side, strength.kind = person, side, kind
        strength.description, strength.domain, strength.note = description, domain, note.strip()
        strength.in_use, strength.tie = in_use, _valid_tie(tie)
        strength.save()
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=strength,
            case_id=case.pk,
            person_ids=[person.pk] if person else [],
            request=request,
        )
    return strength


# --- Crisis assessment ----------------------------------------------------------------------------


def crisis_assessment_record(
    *,
    actor: Actor,
    case: Case,
    assessed_on: datetime.date,
    level: str = "",
    safety_risk: bool = False,
    mental_health_risk: bool = False,
    note: str = "",
    ratings: Mapping[str, tuple[int, str]] | None = None,
    override_reason: str = "",
    request: HttpRequest | None = None,
) -> CrisisAssessment:
    """Record a crisis assessment (위기도 조사). Records are kept over time; a new one supersedes the last.

    With ``ratings`` ({area: (score 0-3, note)}, the areas of CrisisRating.Area) the level follows
    from them (assessment.crisis) unless the worker gives another ``level`` with an
    ``override_reason``; safety and mental-health risk follow from their areas (주의 or worse).
    Without ratings the level is given directly, as before.
    The case's crisis level itself is decided at selection (the approvals app), not here.
    """
    _require_change(actor, case)
    errors: dict[str, str] = {}
    computed = ""
    override_reason = override_reason.strip()
    if ratings is not None:
        unknown = set(ratings) - set(CrisisRating.Area.values)
        bad = [area for area, (score, _note) in ratings.items() if score not in CrisisRating.Score.values]
        if unknown or bad or not ratings:
            errors["ratings"] = _("영역마다 정도를 0(없음)부터 3(심각) 사이에서 고르세요.")
        else:
            computed = level_from_scores({area: score for area, (score, _note) in ratings.items()})
            level = level or computed
            safety_risk = ratings.get(CrisisRating.Area.SAFETY, (0, ""))[0] >= CrisisRating.Score.CONCERN
            mental_health_risk = ratings.get(CrisisRating.Area.MENTAL_HEALTH, (0, ""))[0] >= CrisisRating.Score.CONCERN
            if level != computed and not override_reason:
                errors["override_reason"] = _(
                    "영역 평가로는 '%(computed)s'입니다. 다르게 정하려면 그 사유를 적으세요."
                ) % {"computed": CrisisLevel(computed).label}
    errors.update(_choice_errors(level=(level, CrisisLevel)))
    errors.update(event_day_errors(case, "assessed_on", assessed_on))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        assessment = CrisisAssessment.objects.create(
            district_id=case.district_id,
            case=case,
            assessed_on=assessed_on,
            level=level,
            safety_risk=safety_risk,
            mental_health_risk=mental_health_risk,
            note=note.strip(),
            computed_level=computed,
            override_reason=override_reason if computed and level != computed else "",
            recorded_by=actor.user,
        )
        CrisisRating.objects.bulk_create(
            CrisisRating(
                district_id=case.district_id, assessment=assessment, area=area, score=score, note=(text or "").strip()
            )
            for area, (score, text) in (ratings or {}).items()
        )
        audit_record(actor=actor, action=Action.CREATE, obj=assessment, case_id=case.pk, request=request)
    return assessment
