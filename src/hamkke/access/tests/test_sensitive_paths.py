"""Health data over every read path (issue 11 §1), generated from ``access.sensitive.SENSITIVE``.

For every model the table declares, ``MAKERS`` records one sensitive item (its text carries a
``SECRET`` marker) and one ordinary item (a ``PLAIN`` marker) on the world's case, through the
services. Every read path that shows such records — case pages, htmx fragments, API list and
detail, every export, the timeline, the case story, the access-request export — is then read as:
- the participating agency whose consent lacks the separate sensitive-data item: no secret marker
  may appear, and the ordinary item must (the path did answer);
- the participating agency with the item, and the lead agency: the secret marker must appear.
A model added to ``SENSITIVE`` without a maker, or not shown by any read path here, fails
``test_every_declared_model_is_made_and_read``.
"""

from __future__ import annotations

import datetime
import io
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from hamkke.access.sensitive import SENSITIVE
from hamkke.assessment import services as assessment
from hamkke.consents.models import Consent
from hamkke.plans import services as plans
from hamkke.records import services as records
from hamkke.reports import services as reports
from hamkke.testing.factories import CaseFactory

pytestmark = pytest.mark.django_db

NEED, STRENGTH, CRISIS, RATING, CONSULTATION = (
    "assessment.need",
    "assessment.strength",
    "assessment.crisisassessment",
    "assessment.crisisrating",
    "assessment.initialconsultation",
)
SERVICE, CONTACT, STORY = "records.servicerecord", "records.contactrecord", "reports.casestory"
GOAL, ACTION = "plans.goal", "plans.planaction"


@dataclass
class Made:
    secrets: tuple[str, ...]  # markers only the sensitive item's text holds
    plain: str  # marker of the ordinary item of the same kind
    secret_uuid: object = None
    plain_uuid: object = None


def _need(world) -> Made:
    lead, case = world.lead_worker.actor, world.case
    secret = assessment.need_record(actor=lead, case=case, domain="mental_health", expressed_text="SECRETNEED 우울")
    plain = assessment.need_record(actor=lead, case=case, domain="housing", expressed_text="PLAINNEED 곰팡이")
    return Made(("SECRETNEED",), "PLAINNEED", secret.uuid, plain.uuid)


def _strength(world) -> Made:
    lead, case = world.lead_worker.actor, world.case
    common = {"actor": lead, "case": case, "side": "inner", "kind": "will"}
    secret = assessment.strength_record(**common, domain="physical_health", description="SECRETSTRENGTH 재활 의지")
    plain = assessment.strength_record(**common, domain="housing", description="PLAINSTRENGTH 정리 솜씨")
    return Made(("SECRETSTRENGTH",), "PLAINSTRENGTH", secret.uuid, plain.uuid)


def _crisis(world) -> Made:
    lead, case, day = world.lead_worker.actor, world.case, world.today - datetime.timedelta(days=3)
    assessment.crisis_assessment_record(
        actor=lead, case=case, assessed_on=day, level="high", mental_health_risk=True, note="SECRETCRISIS 자해 언급"
    )
    assessment.crisis_assessment_record(actor=lead, case=case, assessed_on=day, level="low", note="PLAINCRISIS 단전")
    return Made(("SECRETCRISIS",), "PLAINCRISIS")


def _crisis_rating(world) -> Made:
    assessment.crisis_assessment_record(
        actor=world.lead_worker.actor,
        case=world.case,
        assessed_on=world.today - datetime.timedelta(days=4),
        ratings={"health": (1, "SECRETRATING 당뇨 관리"), "economy": (2, "PLAINRATING 체납")},
    )
    return Made(("SECRETRATING",), "PLAINRATING")


def _consultation(world) -> Made:
    assessment.consultation_record(
        actor=world.lead_worker.actor,
        case=world.case,
        held_on=world.today - datetime.timedelta(days=5),
        place="PLAINPLACE 주민센터",
        presenting_issues="SECRETISSUE 불면과 복약 이야기",
        worker_observations="SECRETOBSERVED 손 떨림",
    )
    return Made(("SECRETISSUE", "SECRETOBSERVED"), "PLAINPLACE")


def _service(world) -> Made:
    lead, case, day = world.lead_worker.actor, world.case, world.today - datetime.timedelta(days=2)
    common = {"actor": lead, "case": case, "provided_on": day, "mode": "direct"}
    secret = records.service_record_add(**common, domain="mental_health", description="SECRETSERVICE 정신과 동행")
    plain = records.service_record_add(**common, domain="housing", description="PLAINSERVICE 집 청소")
    return Made(("SECRETSERVICE",), "PLAINSERVICE", secret.uuid, plain.uuid)


def _contact(world) -> Made:
    lead, case, at = world.lead_worker.actor, world.case, timezone.now() - datetime.timedelta(days=1)
    common = {"actor": lead, "case": case, "contacted_at": at, "kind": "phone", "outcome": "met"}
    secret = records.contact_record_add(**common, note="SECRETCONTACT 약 복용 상담", sensitive=True)
    plain = records.contact_record_add(**common, note="PLAINCONTACT 이사 날짜")
    return Made(("SECRETCONTACT",), "PLAINCONTACT", secret.uuid, plain.uuid)


def _plan_goal(world) -> Made:
    """A plan whose goals serve a selected health need and a selected housing need."""
    lead, case = world.lead_worker.actor, world.case
    goals = {}
    for domain, marker in (("mental_health", "SECRETGOAL"), ("housing", "PLAINGOAL")):
        need = assessment.need_record(
            actor=lead,
            case=case,
            domain=domain,
            expressed_text=f"{marker} 말",
            felt_text="느끼는 욕구",
            agreed_text=f"{marker} 함께 정한 목표로 나아가기",
        )
        goals[marker] = assessment.need_set_status(actor=lead, need=need, status="selected")
    plan = plans.plan_create(actor=lead, case=case)
    world.goals = {
        marker: plans.goal_add(actor=lead, plan=plan, need=need, description=f"{marker} 목표")
        for marker, need in goals.items()
    }
    return Made(("SECRETGOAL",), "PLAINGOAL")


def _plan_action(world) -> Made:
    """Actions under the health goal, and under the housing goal (one drawing on no strength)."""
    lead = world.lead_worker.actor
    plans.action_add(
        actor=lead, goal=world.goals["SECRETGOAL"], description="SECRETACTION 진료 동행", performer="agency"
    )
    plans.action_add(actor=lead, goal=world.goals["PLAINGOAL"], description="PLAINACTION 짐 정리", performer="agency")
    return Made(("SECRETACTION",), "PLAINACTION")


def _story(world) -> Made:
    """Written (by the lead) after every other record, edited to carry the markers, approved."""
    story = reports.story_write(actor=world.lead_worker.actor, case=world.case)
    story = reports.story_edit(
        actor=world.lead_worker.actor, story=story, title="PLAINSTORY 정리", text=story.text + "\nSECRETSTORY 복약"
    )
    story = reports.story_decide(actor=world.lead_supervisor.actor, story=story, approve=True)
    return Made(("SECRETSTORY",), "PLAINSTORY", story.uuid)


# label -> maker, in the order they are recorded (the story last: it tells all the others)
MAKERS: dict[str, Callable] = {
    NEED: _need,
    STRENGTH: _strength,
    CRISIS: _crisis,
    RATING: _crisis_rating,
    CONSULTATION: _consultation,
    SERVICE: _service,
    CONTACT: _contact,
    GOAL: _plan_goal,
    ACTION: _plan_action,
    STORY: _story,
}


# --- the read paths -----------------------------------------------------------------------------


def _text(response) -> str:
    content = response.content
    if content[:2] == b"PK":  # xlsx
        workbook = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            " ".join(str(v) for v in row if v is not None)
            for sheet in workbook
            for row in sheet.iter_rows(values_only=True)
        )
    return content.decode("utf-8-sig")


def _page(name: str, **extra) -> Callable:
    def fetch(client, world, made, member):
        return _text(client.get(reverse(name, args=[world.case.uuid]), **extra))

    return fetch


def _post(name: str, data: dict, **extra) -> Callable:
    def fetch(client, world, made, member):
        return _text(client.post(reverse(name, args=[world.case.uuid]), data, **extra))

    return fetch


API = {NEED: "needs", SERVICE: "service-records", CONTACT: "contact-records"}


def _api_list(label: str) -> Callable:
    def fetch(client, world, made, member):
        return _text(client.get(f"/api/v1/{API[label]}/", {"case": str(world.case.uuid)}))

    return fetch


def _api_detail(label: str) -> Callable:
    def fetch(client, world, made, member):
        m = made[label]
        return "".join(_text(client.get(f"/api/v1/{API[label]}/{u}/")) for u in (m.secret_uuid, m.plain_uuid))

    return fetch


def _imports_export(file_format: str) -> Callable:
    def fetch(client, world, made, member):
        data = {"entity": "services", "file_format": file_format, "reason": "월말 점검"}
        return _text(client.post(reverse("imports:export"), data))

    return fetch


def _reports_export(client, world, made, member):
    data = {"period": "year", "year": str(world.today.year), "reason": "서비스 실적 점검"}
    text = _text(client.post(reverse("reports:services_export"), data))
    if world.today.month == 1:  # the services were recorded a few days ago: maybe last year
        data["year"] = str(world.today.year - 1)
        text += _text(client.post(reverse("reports:services_export"), data))
    return text


def _background_export(client, world, made, member):
    """The same export made by the worker (hamkke.exports) as the reader, then downloaded."""
    from hamkke.exports.models import ExportJob
    from hamkke.exports.services import export_job_run

    data = {"period": "year", "reason": "서비스 실적 점검", "file_format": "xlsx"}
    years = [world.today.year] + ([world.today.year - 1] if world.today.month == 1 else [])
    text = ""
    with tempfile.TemporaryDirectory() as folder, override_settings(HAMKKE_EXPORT_DIR=folder):
        for year in years:
            client.post(reverse("exports:service_records"), {**data, "year": str(year)})
            job = ExportJob.objects.latest("created_at")
            export_job_run(job_id=job.pk)  # the test's transaction never commits: run it here
            response = client.get(reverse("exports:download", args=[job.uuid]))
            text += _text(SimpleNamespace(content=b"".join(response.streaming_content)))
    return text


def _story_download(client, world, made, member):
    return _text(client.get(reverse("reports:story_download", args=[made[STORY].secret_uuid]), follow=True))


def _access_request(file_format: str) -> Callable:
    """The export is made by a team of a case the agency leads: a partner gets one of the household."""

    def fetch(client, world, made, member):
        if member.agency == world.participating_agency:
            CaseFactory(household=world.household, lead_agency=world.participating_agency, lead_worker=member.user)
        data = {"reason": "정보주체 열람 청구 처리", "format": file_format}
        return _text(client.post(reverse("people:person_access_request", args=[world.head.uuid]), data))

    return fetch


@dataclass(frozen=True)
class Path:
    fetch: Callable
    shows: dict[str, bool]  # label -> whether the ordinary item's marker shows on this path too
    lead_only: bool = False  # a partner gets no answer at all (then only "no secret" is checked)


HX = {"HTTP_HX_REQUEST": "true"}
ASSESSMENT = {NEED: True, STRENGTH: True, CRISIS: True, RATING: True, CONSULTATION: True}
RECORDS = {SERVICE: True, CONTACT: True}
EXPORTS = {SERVICE: True}
ACCESS_REQUEST = {
    NEED: True,
    STRENGTH: True,
    CRISIS: True,
    CONSULTATION: False,
    SERVICE: True,
    CONTACT: True,
    GOAL: True,
    ACTION: True,
}
PLAN = {GOAL: True, ACTION: True}


def _api_plan(client, world, made, member):
    plan = world.case.plans.get()
    return _text(client.get(f"/api/v1/plans/{plan.uuid}/"))


PATHS: dict[str, Path] = {
    "assessment page": Path(_page("assessment:case"), ASSESSMENT),
    "assessment fragment (htmx)": Path(_post("assessment:need_add", {}, **HX), {NEED: True}, lead_only=True),
    "records page": Path(_page("records:case"), RECORDS),
    "records page (htmx)": Path(_page("records:case", **HX), RECORDS),
    "records after a refused contact form": Path(_post("records:contact_add", {}), RECORDS),
    "timeline": Path(_page("timeline:case"), {NEED: True, CONSULTATION: False, SERVICE: True, CONTACT: True}),
    "api needs list": Path(_api_list(NEED), {NEED: True}),
    "api needs detail": Path(_api_detail(NEED), {NEED: True}),
    "api service records list": Path(_api_list(SERVICE), {SERVICE: True}),
    "api service records detail": Path(_api_detail(SERVICE), {SERVICE: True}),
    "api contact records list": Path(_api_list(CONTACT), {CONTACT: True}),
    "api contact records detail": Path(_api_detail(CONTACT), {CONTACT: True}),
    "imports export csv": Path(_imports_export("csv"), EXPORTS),
    "imports export xlsx": Path(_imports_export("xlsx"), EXPORTS),
    "reports service export": Path(_reports_export, EXPORTS),
    "reports service export in the background": Path(_background_export, EXPORTS),
    "plan page": Path(_page("plans:case"), PLAN),
    "api plan detail": Path(_api_plan, PLAN),
    "the person's own plan": Path(_page("plans:own_plan"), PLAN, lead_only=True),
    "case story page": Path(_page("reports:case_story"), {STORY: True}),
    "case story download": Path(_story_download, {STORY: False}),
    "access request json": Path(_access_request("json"), ACCESS_REQUEST),
    "access request html": Path(_access_request("html"), ACCESS_REQUEST),
}


# --- who reads ----------------------------------------------------------------------------------


def _sensitive_item(world, ticked: bool) -> None:
    Consent.objects.filter(pk=world.consent.pk).update(sensitive_data=ticked)


READERS = {
    # key: (member, whether the consent has the sensitive-data item, may see the health data)
    "partner without the item": ("participant_worker", False, False),
    "partner with the item": ("participant_worker", True, True),
    "lead agency": ("lead_worker", False, True),
}


@pytest.fixture
def made(world) -> dict[str, Made]:
    return {label: maker(world) for label, maker in MAKERS.items()}


def test_every_declared_model_is_made_and_read():
    assert set(MAKERS) == set(SENSITIVE), "a model in SENSITIVE needs a maker here (and read paths)"
    shown = {label for path in PATHS.values() for label in path.shows}
    assert shown == set(SENSITIVE), f"no read path here shows {set(SENSITIVE) - shown}"


@pytest.mark.parametrize("reader", list(READERS))
@pytest.mark.parametrize("path_name", list(PATHS))
def test_health_data_follows_the_sensitive_item_on_every_read_path(world, made, path_name, reader):
    key, ticked, may_see = READERS[reader]
    member = world.members[key]
    _sensitive_item(world, ticked)
    client = Client()
    member.login(client)
    path = PATHS[path_name]
    text = path.fetch(client, world, made, member)
    reached = not (path.lead_only and key != "lead_worker")
    wrong = []
    for label, plain_shown in path.shows.items():
        m = made[label]
        seen = [s for s in m.secrets if s in text]
        if reached and may_see and not seen:
            wrong.append(f"{label}: health data missing for a reader who may see it")
        if not may_see and seen:
            wrong.append(f"{label}: health data shown: {seen}")
        if reached and plain_shown and m.plain not in text:
            wrong.append(f"{label}: the ordinary item {m.plain} is missing (did the path answer?)")
    assert wrong == [], f"{path_name} as {reader}"
