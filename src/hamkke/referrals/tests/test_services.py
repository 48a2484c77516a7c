"""Every referral rule, through the services."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from hamkke.access.policy import CHANGE_CASE, VIEW_CASE, can
from hamkke.accounts.actor import actor_for
from hamkke.accounts.models import Role
from hamkke.audit.models import AccessLog, Action
from hamkke.cases.models import CaseParticipant, TeamEvent
from hamkke.cases.services import case_participant_leave
from hamkke.consents.services import consent_withdraw
from hamkke.referrals.models import Referral
from hamkke.referrals.services import (
    referral_accept,
    referral_complete,
    referral_decline,
    referral_withdraw,
)
from hamkke.testing.factories import AgencyFactory, CaseFactory, MembershipFactory

from .helpers import REASON, consent_for, need, send

pytestmark = pytest.mark.django_db
Status = Referral.Status


def member_of(agency, role=Role.WORKER):
    return actor_for(MembershipFactory(agency=agency, role=role).user)


def error_fields(excinfo) -> dict:
    return excinfo.value.message_dict


# --- Sending ---------------------------------------------------------------------------------


def test_send_needs_a_consent_covering_the_target_agency(world):
    with pytest.raises(ValidationError) as excinfo:
        send(world)
    message = error_fields(excinfo)["to_agency"][0]
    assert "동의" in message and world.unrelated_agency.name in message
    assert not Referral.objects.exists()


@pytest.mark.parametrize("named", [True, False], ids=["named", "network"])
def test_send_with_consent_naming_the_agency_or_the_network(world, named):
    consent_for(world, world.unrelated_agency) if named else consent_for(world, network=True)
    referral = send(world)
    assert referral.status == Status.SENT
    assert referral.from_agency_id == world.lead_agency.pk and referral.from_worker_id == world.lead_worker.user.pk
    assert referral.to_agency_id == world.unrelated_agency.pk and referral.reason == REASON
    assert referral.district_id == world.district_a.pk and referral.sent_at <= timezone.now()
    assert AccessLog.objects.filter(
        action=Action.CREATE, object_type="referral", object_id=str(referral.uuid), case_id=world.case.pk
    ).exists()


def test_consent_naming_another_agency_does_not_cover(world):
    other = AgencyFactory(district=world.district_a, name="중구주거안심종합센터")
    consent_for(world, other)
    with pytest.raises(ValidationError):
        send(world)
    assert send(world, other).to_agency_id == other.pk


@pytest.mark.parametrize("state", ["expired", "withdrawn", "not_yet_required"])
def test_consent_not_in_force_today_does_not_cover(world, state):
    if state == "expired":
        consent_for(world, world.unrelated_agency, given_days_ago=20, expires_in=-1)
    elif state == "withdrawn":
        consent = consent_for(world, world.unrelated_agency)
        consent_withdraw(actor=world.lead_worker.actor, consent=consent)
    else:  # a consent whose required collection part was not given (written directly: the service refuses it)
        consent = consent_for(world, world.unrelated_agency)
        type(consent).objects.filter(pk=consent.pk).update(required_collection=False)
    with pytest.raises(ValidationError) as excinfo:
        send(world)
    assert "동의" in error_fields(excinfo)["to_agency"][0]


def test_second_open_referral_to_the_same_agency_is_refused(world):
    consent_for(world, network=True)
    first = send(world)
    with pytest.raises(ValidationError) as excinfo:
        send(world, reason="다시 보냄")
    assert "이미 진행 중" in error_fields(excinfo)["to_agency"][0]
    referral_decline(actor=world.unrelated_worker.actor, referral=first, reason="정원 초과")
    assert send(world, reason="자리가 났는지 다시 문의").status == Status.SENT


def test_accepted_referral_still_open_after_the_agency_left_the_team(world):
    consent_for(world, network=True)
    referral = referral_accept(actor=world.unrelated_worker.actor, referral=send(world))
    participant = CaseParticipant.objects.get(case=world.case, agency=world.unrelated_agency)
    case_participant_leave(actor=world.lead_worker.actor, participant=participant)
    with pytest.raises(ValidationError) as excinfo:
        send(world)
    assert "이미 진행 중" in error_fields(excinfo)["to_agency"][0]
    referral_complete(actor=world.unrelated_worker.actor, referral=referral, note="청소 완료")
    assert send(world).status == Status.SENT


def test_the_database_holds_one_open_referral_per_case_and_agency(world):
    consent_for(world, network=True)
    first = send(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.create(
            district=world.district_a,
            case=world.case,
            from_agency=world.lead_agency,
            from_worker=world.lead_worker.user,
            to_agency=first.to_agency,
            reason="x",
            sent_at=timezone.now(),
            status=Status.ACCEPTED,
        )


@pytest.mark.parametrize("target", ["lead", "team", "other_district", "inactive"])
def test_target_agency_rules(world, target):
    consent_for(world, network=True)
    agency = {
        "lead": world.lead_agency,
        "team": world.participating_agency,
        "other_district": world.agency_b,
        "inactive": AgencyFactory(district=world.district_a, name="폐지된 기관", is_active=False),
    }[target]
    with pytest.raises(ValidationError) as excinfo:
        send(world, agency)
    assert "to_agency" in error_fields(excinfo)


def test_need_must_belong_to_the_case(world):
    consent_for(world, network=True)
    other_case = CaseFactory(household__dong=world.dong_a, lead_agency=world.lead_agency)
    with pytest.raises(ValidationError) as excinfo:
        send(world, need=need(world, case=other_case))
    assert "need" in error_fields(excinfo)
    own = need(world)
    assert send(world, need=own).need_id == own.pk


@pytest.mark.parametrize("reason", ["", "   "])
def test_send_needs_a_reason(world, reason):
    consent_for(world, network=True)
    with pytest.raises(ValidationError) as excinfo:
        send(world, reason=reason)
    assert "reason" in error_fields(excinfo)


@pytest.mark.parametrize(
    "who", ["participant_worker", "unrelated_worker", "lead_admin", "district_admin", "auditor", "b_worker"]
)
def test_only_the_lead_agency_workers_send(world, who):
    consent_for(world, network=True)
    with pytest.raises(PermissionDenied):
        send(world, who=who)


def test_lead_supervisor_may_send(world):
    consent_for(world, network=True)
    assert send(world, who="lead_supervisor").from_worker_id == world.lead_supervisor.user.pk


# --- Answering -------------------------------------------------------------------------------


@pytest.fixture
def referral(world):
    consent_for(world, network=True)
    return send(world)


def test_accept_joins_the_team_and_then_the_receiving_worker_may_open_the_case(world, referral):
    receiver = world.unrelated_worker.actor
    assert not can(receiver, VIEW_CASE, world.case)
    accepted = referral_accept(actor=receiver, referral=referral, note="다음 주 방문")
    assert accepted.status == Status.ACCEPTED and accepted.responded_by_id == receiver.user.pk
    assert accepted.responded_at and accepted.response_note == "다음 주 방문"
    participant = CaseParticipant.objects.get(case=world.case, agency=world.unrelated_agency, left_on__isnull=True)
    assert participant.worker_id == receiver.user.pk and participant.role == "의뢰 수락"
    assert TeamEvent.objects.filter(
        case=world.case, kind=TeamEvent.Kind.JOINED, agency=world.unrelated_agency, note="다음 주 방문"
    ).exists()
    assert can(receiver, VIEW_CASE, world.case) and not can(receiver, CHANGE_CASE, world.case)
    assert AccessLog.objects.filter(action=Action.UPDATE, object_id=str(referral.uuid), detail="accepted").exists()


def test_a_supervisor_of_the_receiving_agency_may_accept(world, referral):
    supervisor = member_of(world.unrelated_agency, Role.SUPERVISOR)
    assert referral_accept(actor=supervisor, referral=referral).status == Status.ACCEPTED


def test_accept_when_the_lead_already_added_the_agency_does_not_join_twice(world, referral):
    from hamkke.cases.services import case_add_participant

    case_add_participant(actor=world.lead_worker.actor, case=world.case, agency=world.unrelated_agency)
    referral_accept(actor=world.unrelated_worker.actor, referral=referral)
    assert CaseParticipant.objects.filter(case=world.case, agency=world.unrelated_agency).count() == 1


@pytest.mark.parametrize(
    "who",
    [
        "lead_worker",
        "lead_supervisor",
        "participant_worker",
        "district_admin",
        "auditor",
        "b_worker",
        "receiving_admin",
    ],
)
@pytest.mark.parametrize("answer", ["accept", "decline", "complete"])
def test_only_the_receiving_agency_answers(world, referral, who, answer):
    actor = (
        member_of(world.unrelated_agency, Role.AGENCY_ADMIN) if who == "receiving_admin" else world.members[who].actor
    )
    if answer == "complete":
        referral = referral_accept(actor=world.unrelated_worker.actor, referral=referral)
    call = {
        "accept": lambda: referral_accept(actor=actor, referral=referral),
        "decline": lambda: referral_decline(actor=actor, referral=referral, reason="안 됨"),
        "complete": lambda: referral_complete(actor=actor, referral=referral, note="끝"),
    }[answer]
    with pytest.raises(PermissionDenied):
        call()


def test_accept_only_while_sent(world, referral):
    receiver = world.unrelated_worker.actor
    referral_accept(actor=receiver, referral=referral)
    with pytest.raises(ValidationError) as excinfo:
        referral_accept(actor=receiver, referral=referral)
    assert "status" in error_fields(excinfo)


def test_accept_refused_once_the_consent_is_withdrawn_but_decline_still_works(world):
    consent = consent_for(world, world.unrelated_agency)
    referral = send(world)
    consent_withdraw(actor=world.lead_worker.actor, consent=consent)
    with pytest.raises(ValidationError) as excinfo:
        referral_accept(actor=world.unrelated_worker.actor, referral=referral)
    assert "동의" in error_fields(excinfo)["status"][0]
    assert not CaseParticipant.objects.filter(case=world.case, agency=world.unrelated_agency).exists()
    assert (
        referral_decline(actor=world.unrelated_worker.actor, referral=referral, reason="동의 철회").status
        == Status.DECLINED
    )


@pytest.mark.parametrize("reason", ["", "  \n "])
def test_decline_needs_a_reason(world, referral, reason):
    with pytest.raises(ValidationError) as excinfo:
        referral_decline(actor=world.unrelated_worker.actor, referral=referral, reason=reason)
    assert "reason" in error_fields(excinfo)
    referral.refresh_from_db()
    assert referral.status == Status.SENT


def test_decline_records_reason_and_time_and_does_not_join(world, referral):
    declined = referral_decline(actor=world.unrelated_worker.actor, referral=referral, reason=" 정원 초과 ")
    assert declined.status == Status.DECLINED and declined.response_note == "정원 초과" and declined.responded_at
    assert not CaseParticipant.objects.filter(case=world.case, agency=world.unrelated_agency).exists()
    with pytest.raises(ValidationError):
        referral_accept(actor=world.unrelated_worker.actor, referral=declined)


def test_complete_only_after_accepted_and_with_a_note(world, referral):
    receiver = world.unrelated_worker.actor
    with pytest.raises(ValidationError) as excinfo:
        referral_complete(actor=receiver, referral=referral, note="끝")
    assert "status" in error_fields(excinfo)
    referral_accept(actor=receiver, referral=referral)
    with pytest.raises(ValidationError) as excinfo:
        referral_complete(actor=receiver, referral=referral, note=" ")
    assert "note" in error_fields(excinfo)
    done = referral_complete(actor=receiver, referral=referral, note="대청소와 방역을 마침")
    assert done.status == Status.COMPLETED and done.completed_at and done.completion_note == "대청소와 방역을 마침"
    assert done.responded_at is not None  # the answer's time stays the accept time


def test_withdraw_by_the_sending_agency_only_while_sent(world, referral):
    for outsider in ("unrelated_worker", "participant_worker", "lead_admin", "b_worker"):
        with pytest.raises(PermissionDenied):
            referral_withdraw(actor=world.members[outsider].actor, referral=referral)
    withdrawn = referral_withdraw(actor=world.lead_supervisor.actor, referral=referral)
    assert withdrawn.status == Status.WITHDRAWN and withdrawn.responded_at is None
    with pytest.raises(ValidationError):
        referral_accept(actor=world.unrelated_worker.actor, referral=withdrawn)
    assert send(world).status == Status.SENT  # no longer open: a new one may go


def test_withdraw_refused_once_answered(world, referral):
    referral_accept(actor=world.unrelated_worker.actor, referral=referral)
    with pytest.raises(ValidationError) as excinfo:
        referral_withdraw(actor=world.lead_worker.actor, referral=referral)
    assert "status" in error_fields(excinfo)


def test_every_answer_is_audited(world, referral):
    receiver = world.unrelated_worker.actor
    referral_accept(actor=receiver, referral=referral)
    referral_complete(actor=receiver, referral=referral, note="끝")
    details = list(AccessLog.objects.filter(object_id=str(referral.uuid)).values_list("action", "detail"))
    assert (Action.UPDATE, "accepted") in details and (Action.UPDATE, "completed") in details
    assert AccessLog.objects.filter(object_id=str(referral.uuid), user_id=receiver.user.pk).count() == 2


def test_joined_on_is_today_even_for_an_old_referral(world, referral):
    Referral.objects.filter(pk=referral.pk).update(sent_at=timezone.now() - datetime.timedelta(days=10))
    referral_accept(actor=world.unrelated_worker.actor, referral=referral)
    assert CaseParticipant.objects.get(case=world.case, agency=world.unrelated_agency).joined_on == timezone.localdate()


# --- Lengths: the model's own (full_clean in the service), said with the limit -----------------------


def _too_long(limit: int) -> str:
    return "가" * (limit + 1)


def test_a_too_long_reason_is_a_field_error_with_the_limit_and_sends_nothing(world):
    consent_for(world, network=True)
    with pytest.raises(ValidationError) as excinfo:
        send(world, reason=_too_long(4000))
    assert error_fields(excinfo)["reason"] == ["4000자 이내로 줄여 적으세요(지금 4001자)."]
    assert not Referral.objects.exists()
    assert send(world, reason="가" * 4000).status == Status.SENT  # the limit itself is allowed


@pytest.mark.parametrize(
    "answer, field",
    [
        (lambda actor, referral, text: referral_accept(actor=actor, referral=referral, note=text), "note"),
        (lambda actor, referral, text: referral_decline(actor=actor, referral=referral, reason=text), "reason"),
    ],
    ids=["accept", "decline"],
)
def test_a_too_long_answer_is_a_field_error_and_leaves_the_referral_sent(world, referral, answer, field):
    with pytest.raises(ValidationError) as excinfo:
        answer(world.unrelated_worker.actor, referral, _too_long(4000))
    assert error_fields(excinfo)[field] == ["4000자 이내로 줄여 적으세요(지금 4001자)."]
    referral.refresh_from_db()
    assert referral.status == Status.SENT and referral.response_note == ""


def test_a_too_long_completion_note_is_a_field_error_and_leaves_it_accepted(world, referral):
    receiver = world.unrelated_worker.actor
    referral_accept(actor=receiver, referral=referral)
    with pytest.raises(ValidationError) as excinfo:
        referral_complete(actor=receiver, referral=referral, note=_too_long(4000))
    assert error_fields(excinfo)["note"] == ["4000자 이내로 줄여 적으세요(지금 4001자)."]
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED
