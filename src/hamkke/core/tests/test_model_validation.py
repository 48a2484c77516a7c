"""Lengths held by the model fields (issue 12 item 2): each service runs the model's validation before it
saves, and too long text is a field error with the limit and the length, never a row and never a 500."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from hamkke.api.models import ApiToken
from hamkke.api.services import api_token_create
from hamkke.approvals.models import NOTE_MAX, ApprovalRequest
from hamkke.approvals.services import approval_decide, approval_recall, classification_submit
from hamkke.approvals.tests.helpers import TO_CONFERENCE, move
from hamkke.assessment.models import NEED_TEXT_MAX, Need, Strength
from hamkke.assessment.services import need_record, strength_record
from hamkke.assessment.tests.test_views import ADD_DATA
from hamkke.cases.models import Case, CrisisLevel, ReferralSource
from hamkke.cases.services import case_register
from hamkke.cases.stages import Stage
from hamkke.cases.tests.test_intake import register_data
from hamkke.core.validation import clean_fields
from hamkke.plans import services as plans
from hamkke.plans.models import TEXT_MAX, Ask, Goal, Performer, PlanAction
from hamkke.records.models import ContactRecord, ServiceRecord
from hamkke.records.services import ServiceRowsInvalid, contact_record_add, service_record_add
from hamkke.records.tests.test_views import contact_data, service_data
from hamkke.resources.tests.factories import NeedFactory

pytestmark = pytest.mark.django_db

TOO_LONG_WORDS = "자 이내로 줄여 적으세요"


def over(limit: int) -> str:
    return "가" * (limit + 1)


# --- the helper -------------------------------------------------------------------------------------


def test_clean_fields_joins_the_services_errors_and_keeps_their_words():
    row = Strength(description=over(200), note="")
    with pytest.raises(ValidationError) as caught:
        clean_fields(row, ["description"], errors={"description": "서비스의 말", "kind": "고르세요"})
    assert caught.value.message_dict == {"description": ["서비스의 말"], "kind": ["고르세요"]}


def test_clean_fields_says_the_limit_and_the_length_in_korean_and_english():
    row = Strength(description=over(200))
    with pytest.raises(ValidationError) as caught:
        clean_fields(row, ["description"])
    assert caught.value.message_dict == {"description": ["200자 이내로 줄여 적으세요(지금 201자)."]}
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        clean_fields(row, ["description"])
    with translation.override("en"):
        assert caught.value.messages == ["Shorten it to 200 characters (now 201)."]


def test_clean_fields_checks_only_the_named_fields_and_renames():
    approval = ApprovalRequest(comment=over(NOTE_MAX))  # no case, no district: not checked
    clean_fields(approval, [])
    with pytest.raises(ValidationError) as caught:
        clean_fields(approval, ["comment"], names={"comment": "reason"})
    assert set(caught.value.message_dict) == {"reason"}


# --- every converted check, through its service ------------------------------------------------------


def _pending(world) -> ApprovalRequest:
    if world.case.stage != Stage.CONFERENCE:
        world.case = move(world, *TO_CONFERENCE)
    ApprovalRequest.objects.filter(case=world.case).delete()
    case_type = next(t for t in world.case_types_a if t.code == "high_complexity")
    return classification_submit(
        actor=world.lead_worker.actor,
        case=Case.objects.get(pk=world.case.pk),
        case_type=case_type,
        crisis_level=CrisisLevel.HIGH,
    )


def _planning(world):
    actor = world.lead_worker.actor
    if not hasattr(world, "plan"):
        Case.objects.filter(pk=world.case.pk).update(stage=Stage.PLANNING)
        world.case.refresh_from_db()
        need = NeedFactory(case=world.case)
        world.plan = plans.plan_create(actor=actor, case=world.case)
        world.goal = plans.goal_add(actor=actor, plan=world.plan, need=need, description="목표")
    return actor, world.plan, world.goal


def token(world, name):
    api_token_create(actor=world.lead_worker.actor, name=name)


def decide_comment(world, text):
    approval_decide(actor=world.lead_supervisor.actor, approval=_pending(world), approve=False, comment=text)


def recall_reason(world, text):
    approval_recall(actor=world.lead_worker.actor, approval=_pending(world), reason=text)


def referral_note(world, text):
    case_register(
        actor=world.lead_worker.actor,
        dong=world.dong_a,
        address="서울특별시 중구 다산로 1",
        head={"name": "김민수", "birth_date": datetime.date(1958, 3, 2), "sex": "M"},
        referral_source=ReferralSource.OTHER,
        referral_note=text,
    )


def need_text(field):
    def record(world, text):
        texts = {"expressed_text": "일하고 싶다", "felt_text": "일", "agreed_text": ""} | {field: text}
        need_record(actor=world.lead_worker.actor, case=world.case, domain="employment", **texts)

    return record


def strength_description(world, text):
    strength_record(actor=world.lead_worker.actor, case=world.case, side="inner", kind="ability", description=text)


def service_description(world, text):
    service_record_add(
        actor=world.lead_worker.actor,
        case=world.case,
        provided_on=world.today,
        domain="employment",
        mode="direct",
        description=text,
    )


def contact_with_whom(world, text):
    contact_record_add(
        actor=world.lead_worker.actor,
        case=world.case,
        contacted_at=timezone.now() - datetime.timedelta(hours=1),
        kind=ContactRecord.Kind.PHONE,
        outcome=ContactRecord.Outcome.MET,
        with_whom=text,
    )


def plan_summary(world, text):
    actor, plan, _goal = _planning(world)
    plans.plan_update_summary(actor=actor, plan=plan, summary=text)


def goal_text(field):
    def add(world, text):
        actor, plan, _goal = _planning(world)
        values = {"description": "목표 둘", "progress_measure": ""} | {field: text}
        plans.goal_add(actor=actor, plan=plan, need=NeedFactory(case=world.case), **values)

    return add


def action_text(field):
    def add(world, text):
        actor, _plan, goal = _planning(world)
        values = {"description": "실행", "performer_name": ""} | {field: text}
        plans.action_add(actor=actor, goal=goal, performer=Performer.PERSON, **values)

    return add


def ask_text(field):
    def add(world, text):
        actor, _plan, _goal = _planning(world)
        values = {"whom": "큰딸", "note": ""} | {field: text}
        plans.ask_record(
            actor=actor,
            case=world.case,
            whom_role=Performer.FAMILY,
            method=Ask.Method.REQUEST,
            asked_on=world.today,
            **values,
        )

    return add


CHECKS = [
    # (service call, limit, the field the error is on, the model that gets no row)
    (token, 100, "name", ApiToken),
    (decide_comment, NOTE_MAX, "comment", None),
    (recall_reason, NOTE_MAX, "reason", None),
    (referral_note, 200, "referral_note", Case),
    (need_text("expressed_text"), NEED_TEXT_MAX, "expressed_text", Need),
    (need_text("felt_text"), NEED_TEXT_MAX, "felt_text", Need),
    (need_text("agreed_text"), NEED_TEXT_MAX, "agreed_text", Need),
    (strength_description, 200, "description", Strength),
    (service_description, 300, "description", ServiceRecord),
    (contact_with_whom, 100, "with_whom", ContactRecord),
    (plan_summary, TEXT_MAX, "summary", None),
    (goal_text("description"), TEXT_MAX, "description", Goal),
    (goal_text("progress_measure"), 300, "progress_measure", Goal),
    (action_text("description"), TEXT_MAX, "description", PlanAction),
    (action_text("performer_name"), 100, "performer_name", PlanAction),
    (ask_text("whom"), 100, "whom", Ask),
    (ask_text("note"), TEXT_MAX, "note", Ask),
]


@pytest.mark.parametrize("call,limit,field,model", CHECKS, ids=lambda v: getattr(v, "__qualname__", None))
def test_too_long_text_is_a_field_error_of_the_service(world, call, limit, field, model):
    with pytest.raises(ValidationError) as caught:
        call(world, over(limit))
    error = caught.value
    if isinstance(error, ServiceRowsInvalid):
        error = error.row_errors[0]
    assert error.message_dict[field] == [f"{limit:d}자 이내로 줄여 적으세요(지금 {limit + 1}자)."]
    if model:
        assert not model.objects.filter(**{field: over(limit)}).exists()
    call(world, "가" * limit)  # the limit itself is allowed


def test_a_too_long_comment_leaves_the_request_pending(world):
    approval = _pending(world)
    with pytest.raises(ValidationError):
        approval_decide(actor=world.lead_supervisor.actor, approval=approval, approve=False, comment=over(NOTE_MAX))
    approval.refresh_from_db()
    assert approval.status == ApprovalRequest.Status.PENDING and approval.comment == ""


# --- through the API: a 400 naming the field, nothing written ----------------------------------------


@override_settings(LANGUAGE_CODE="ko")
def test_api_too_long_contact_with_whom_is_a_400_on_the_field(world, client):
    secret = api_token_create(actor=world.lead_worker.actor, name="연동")[1]
    response = client.post(
        reverse("api_v1:contact-record-list"),
        {
            "case": str(world.case.uuid),
            "contacted_at": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
            "kind": ContactRecord.Kind.PHONE,
            "outcome": ContactRecord.Outcome.MET,
            "with_whom": over(100),
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 400, response.content
    assert "with_whom" in response.content.decode()
    assert not ContactRecord.objects.filter(case=world.case).exists()


# --- through the web forms: the form is drawn again (or the page says why), nothing written -----------


def _web_token(world):
    return "/api/tokens/new/", {"name": over(100)}, ApiToken, {"name": over(100)}


def _web_decide(world):
    return reverse("approvals:decide", args=[_pending(world).uuid]), {"decision": "return", "comment": over(NOTE_MAX)}


def _web_recall(world):
    return reverse("approvals:recall", args=[_pending(world).uuid]), {"reason": over(NOTE_MAX)}


def _web_register(world):
    data = register_data(world, referral_source=ReferralSource.OTHER, referral_note=over(200))
    return reverse("cases:register"), data, Case, {"referral_note": over(200)}


def _web_need(field):
    def post(world):
        data = {**ADD_DATA["needs"], field: over(NEED_TEXT_MAX)}
        return reverse("assessment:need_add", args=[world.case.uuid]), data, Need, {field: over(NEED_TEXT_MAX)}

    return post


def _web_strength(world):
    data = {**ADD_DATA["strengths"], "description": over(200)}
    return reverse("assessment:strength_add", args=[world.case.uuid]), data, Strength, {"description": over(200)}


def _web_service(world):
    data = service_data(world, [{"description": over(300)}])
    return reverse("records:services_add", args=[world.case.uuid]), data, ServiceRecord, {"description": over(300)}


def _web_contact(world):
    data = contact_data(with_whom=over(100))
    return reverse("records:contact_add", args=[world.case.uuid]), data, ContactRecord, {"with_whom": over(100)}


def _plan_url(name, world):
    _planning(world)
    return reverse(f"plans:{name}", args=[world.case.uuid])


def _web_summary(world):
    return _plan_url("summary", world), {"summary": over(TEXT_MAX)}


def _web_goal(field, limit):
    def post(world):
        url = _plan_url("goal_add", world)
        data = {"need": NeedFactory(case=world.case).pk, "description": "목표 둘", field: over(limit)}
        return url, data, Goal, {field: over(limit)}

    return post


def _web_action(field, limit):
    def post(world):
        url = _plan_url("action_add", world)
        data = {"goal": world.goal.pk, "means": "", "performer": Performer.PERSON, "description": "실행"}
        return url, {**data, field: over(limit)}, PlanAction, {field: over(limit)}

    return post


def _web_ask(field, limit):
    def post(world):
        url = _plan_url("ask_add", world)
        data = {
            "whom": "큰딸",
            "whom_role": Performer.FAMILY,
            "method": Ask.Method.REQUEST,
            "asked_on": world.today.isoformat(),
            "answer": Ask.Answer.PENDING,
            "note": "",
        }
        return url, {**data, field: over(limit)}, Ask, {field: over(limit)}

    return post


WEB = [
    _web_token,
    _web_decide,
    _web_recall,
    _web_register,
    _web_need("expressed_text"),
    _web_need("felt_text"),
    _web_need("agreed_text"),
    _web_strength,
    _web_service,
    _web_contact,
    _web_summary,
    _web_goal("description", TEXT_MAX),
    _web_goal("progress_measure", 300),
    _web_action("description", TEXT_MAX),
    _web_action("performer_name", 100),
    _web_ask("whom", 100),
    _web_ask("note", TEXT_MAX),
]


@pytest.mark.parametrize("setup", WEB, ids=lambda f: f.__qualname__)
def test_too_long_text_through_the_web_form_is_said_and_saves_nothing(client, world, setup):
    url, data, *written = setup(world)
    member = world.lead_supervisor if setup in (_web_decide,) else world.lead_worker
    member.login(client)
    response = client.post(url, data, follow=True)
    text = response.content.decode()
    assert response.status_code == 200
    # the model's words, or the form's own limit (Django's words, or the plan summary's view's)
    assert any(words in text for words in ("자 이내로 줄여 적으세요", "최대", "너무 깁니다"))
    if written:
        model, values = written
        assert not model.objects.filter(**values).exists()
    if setup in (_web_decide, _web_recall):
        assert ApprovalRequest.objects.get(case=world.case).status == ApprovalRequest.Status.PENDING
