"""The access matrix: for every named URL, who may reach it (issue 8; checked by tests/test_matrix.py).

Each URL has one entry: a *profile* (actor -> expected answer) and the world objects that fill
its arguments. Case profiles are derived from ``hamkke.access.policy.RULES`` (change the rules
and the matrix changes with them); the other profiles are declared here explicitly.

Expected answers:
    "ok"        GET: 200 or a redirect elsewhere than the log-in page; POST-only views (405 on GET,
                tried with an empty POST): anything but a denial (a form error or a redirect)
    "login"     redirect to the log-in page (anonymous)
    "404"       not found: the object is out of the actor's scope (also written to the access log)
    "403"       forbidden: the page exists for other roles
    "denied"    403 or 404
    "no_write"  a POST-only view, for those who may read the case but not do this: any answer (often
                the form with its errors, a 403, or back to the page with a message), but no write
    "api_anon"  the API without a session: 401 or 403
    "login_revoking"  the log-in page after logging out everywhere, which revokes one's own API tokens
The actors are the people of the ``world`` fixture (src/hamkke/conftest.py), plus
``participant_withdrawn``: the participating agency's worker after the consent was withdrawn.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from types import SimpleNamespace

from hamkke.access.policy import APPROVE_CASE, CHANGE_CASE, RECORD_WORK, RULES, VIEW_CASE, VIEW_SENSITIVE

# actor -> key of the world member who logs in (None: anonymous)
ACTORS: dict[str, str | None] = {
    "anonymous": None,
    "lead_worker": "lead_worker",
    "lead_supervisor": "lead_supervisor",
    "lead_admin": "lead_admin",
    "participant_worker": "participant_worker",
    "participant_withdrawn": "participant_worker",
    "unrelated_worker": "unrelated_worker",
    "district_admin": "district_admin",
    "auditor": "auditor",
    "b_worker": "b_worker",
    "b_admin": "b_admin",
    "platform_admin": "platform_admin",
}

# actor -> (role, the access grounds the actor *would* satisfy for world.case).
# "district": the case is in the actor's district; "lead_agency": the actor's agency leads it;
# "participating_with_consent": the agency is on the team with a consent in force covering it.
_IN_A = ("district",)
RELATION: dict[str, tuple[str, tuple[str, ...]]] = {
    "lead_worker": ("worker", _IN_A + ("lead_agency",)),
    "lead_supervisor": ("supervisor", _IN_A + ("lead_agency",)),
    "lead_admin": ("agency_admin", _IN_A + ("lead_agency",)),
    "participant_worker": ("worker", _IN_A + ("participating_with_consent",)),
    "participant_withdrawn": ("worker", _IN_A),
    "unrelated_worker": ("worker", _IN_A),
    "district_admin": ("district_admin", _IN_A + ("lead_agency",)),
    "auditor": ("auditor", _IN_A + ("lead_agency",)),
    "b_worker": ("worker", ()),
    "b_admin": ("district_admin", ()),
    # The platform administrator (issue 16 item 6): creates districts, holds no role and no membership.
    "platform_admin": ("platform_admin", ()),
}


def may(actor: str, permission: str) -> bool:
    """Whether RULES let ``actor`` reach world.case for ``permission``."""
    role, relation = RELATION[actor]
    return bool(set(RULES.get(permission, {}).get(role, ())) & set(relation))


def case_profile(permission: str, *, denied: str = "404", anonymous: str = "login") -> dict[str, str]:
    """A page of world.case (or an object of it) that needs ``permission``: out of scope is 404."""
    profile = {actor: ("ok" if may(actor, permission) else denied) for actor in RELATION}
    profile["anonymous"] = anonymous
    return profile


def profile(
    ok: tuple[str, ...] = (), *, default: str = "403", anonymous: str = "login", **others: str
) -> dict[str, str]:
    """An explicit profile: the actors in ``ok`` get "ok", the named ones their answer, the rest ``default``
    (a page for other roles: 403)."""
    result = {actor: default for actor in RELATION}
    result.update({actor: "ok" for actor in ok})
    result.update(others)
    result["anonymous"] = anonymous
    return result


MEMBERS = tuple(RELATION)
DISTRICT_A = tuple(actor for actor, (_role, relation) in RELATION.items() if "district" in relation)

CASE_READ = case_profile(VIEW_CASE)
CASE_CHANGE = case_profile(CHANGE_CASE)
RECORD = case_profile(RECORD_WORK)
API_CASE_READ = case_profile(VIEW_CASE, anonymous="api_anon")


def case_post(permission: str, *, anonymous: str = "login", **others: str) -> dict[str, str]:
    """A POST-only view of world.case needing ``permission``: those who may only read it may post
    (an empty form comes back with errors, or a redirect with a message) but nothing is written."""
    result = case_profile(permission, anonymous=anonymous)
    for actor in RELATION:
        if result[actor] != "ok" and may(actor, VIEW_CASE):
            result[actor] = "no_write"
    result.update(others)
    return result


CASE_CHANGE_POST = case_post(CHANGE_CASE)
# Answering a referral is for the receiving agency only (no actor of the matrix works there).
RECEIVER_ONLY = case_post("answer_referral")
API_RECEIVER_ONLY = case_post("answer_referral", anonymous="api_anon")
RECORD_POST = case_post(RECORD_WORK)
APPROVE_POST = case_post(APPROVE_CASE)
API_CASE_CHANGE_POST = case_post(CHANGE_CASE, anonymous="api_anon")
# Full RRN: a per-user permission nobody in the world has (hamkke.people, view_full_rrn): readers 403.
FULL_RRN = case_profile(VIEW_CASE, denied="404")
FULL_RRN.update({actor: "403" for actor, answer in FULL_RRN.items() if answer == "ok"})
# A case story is told from the whole timeline: downloading it also needs the health-data permission
# (VIEW_SENSITIVE; the world's consent lacks the sensitive-data item): other readers 403.
STORY_DOWNLOAD = case_profile(VIEW_CASE)
STORY_DOWNLOAD.update(
    {actor: "403" for actor, answer in STORY_DOWNLOAD.items() if answer == "ok" and not may(actor, VIEW_SENSITIVE)}
)

PUBLIC = profile(MEMBERS, anonymous="ok")
LOGGED_OUT = profile(default="login")  # logging out ends on the log-in page
# Logging out everywhere ends on the log-in page too, and revokes the user's own API tokens (a write).
LOGGED_OUT_REVOKING = profile(default="login_revoking")
ANY_MEMBER = profile(MEMBERS)
API_ANY_MEMBER = profile(MEMBERS, anonymous="api_anon")
CASEWORKERS = (
    "lead_worker",
    "lead_supervisor",
    "participant_worker",
    "participant_withdrawn",
    "unrelated_worker",
    "b_worker",
)
WORKERS_ONLY = profile(CASEWORKERS)
DISTRICT_ADMINS = ("district_admin", "b_admin")
DISTRICT_ADMIN_ONLY = profile(DISTRICT_ADMINS)
AUDIT_READERS = profile(("auditor",) + DISTRICT_ADMINS)
NOT_AUDITOR = profile(tuple(actor for actor in MEMBERS if actor != "auditor"), auditor="403")
# Emergency access (긴급 열람): case workers of the case's district; admins and the auditor may not.
EMERGENCY = profile(
    ("lead_worker", "lead_supervisor", "participant_worker", "participant_withdrawn", "unrelated_worker"),
    default="404",
    lead_admin="403",
    district_admin="403",
    auditor="403",
)
# The conference of world.case: hosted by the lead agency, the participating agency attends.
HOST = ("lead_worker", "lead_supervisor")
ATTENDING = ("lead_admin", "district_admin", "participant_worker", "participant_withdrawn")
CONFERENCE_READ = profile(HOST + ATTENDING, default="404")
TOKEN_REVOKE = profile(("lead_worker", "district_admin"), default="404")  # the owner, or the district admin
CONFERENCE_MANAGE = profile(HOST, default="404", **{actor: "no_write" for actor in ATTENDING})
CASE_BRING = case_profile(VIEW_CASE)
CASE_BRING.update({actor: "403" for actor in ("lead_admin", "district_admin", "auditor") if CASE_BRING[actor] == "ok"})


@dataclass(frozen=True)
class Entry:
    profile: dict[str, str]
    args: dict[str, str] = field(default_factory=dict)  # URL kwarg -> attribute of the objects namespace
    query: dict[str, str] = field(default_factory=dict)  # query parameter -> attribute of the objects namespace

    def kwargs(self, objects: SimpleNamespace) -> dict:
        return {key: getattr(objects, ref) for key, ref in self.args.items()}

    def querystring(self, objects: SimpleNamespace) -> str:
        pairs = [f"{key}={getattr(objects, ref)}" for key, ref in self.query.items()]
        return "?" + "&".join(pairs) if pairs else ""


def E(profile: dict[str, str], query: dict[str, str] | None = None, **args: str) -> Entry:  # noqa: N802 - a table
    return Entry(profile=profile, args=args, query=query or {})


CASE = {"uuid": "case"}

URLS: dict[str, Entry] = {
    # accounts
    "home": E(ANY_MEMBER),
    "login": E(PUBLIC),
    "logout": E(LOGGED_OUT),
    "logout_everywhere": E(LOGGED_OUT_REVOKING),
    "switch_agency": E(ANY_MEMBER),
    "otp_setup": E(ANY_MEMBER),
    "otp_verify": E(ANY_MEMBER),
    "password_change": E(ANY_MEMBER),
    "password_change_done": E(ANY_MEMBER),
    "set_language": E(PUBLIC),
    # machine endpoints (hamkke.ops): probes need no log-in; metrics only with the bearer token (403 here)
    "healthz": E(PUBLIC),
    "readyz": E(PUBLIC),
    "metrics": E(profile(default="403", anonymous="403")),
    # cases
    "cases:caseload": E(ANY_MEMBER),
    "cases:register": E(WORKERS_ONLY),
    "cases:search": E(ANY_MEMBER),  # the header's search: every member may ask, the scope decides what is found
    "cases:detail": E(CASE_READ, **CASE),
    "cases:stage": E(CASE_CHANGE_POST, **CASE),
    "cases:participant_add": E(CASE_CHANGE, **CASE),
    "cases:lead_transfer": E(CASE_CHANGE, **CASE),
    "cases:participant_leave": E(
        case_post(CHANGE_CASE, participant_worker="ok"), **CASE, participant_id="participant_id"
    ),  # the agency may leave itself
    # people
    "people:household": E(CASE_READ, uuid="household"),
    "people:person_add": E(CASE_CHANGE, uuid="household"),
    "people:person_identify": E(CASE_CHANGE, uuid="person"),
    "people:person_merge": E(CASE_CHANGE_POST, uuid="person"),
    "people:person": E(CASE_READ, uuid="person"),
    "people:search": E(ANY_MEMBER),
    "people:person_full_rrn": E(FULL_RRN, uuid="person"),
    "people:person_access_request": E(CASE_CHANGE, uuid="person"),
    # consents
    "consents:add": E(CASE_CHANGE, **CASE),
    "consents:withdraw": E(CASE_CHANGE, uuid="consent"),
    # assessment
    "assessment:case": E(CASE_READ, **CASE),
    "assessment:consultation_add": E(CASE_CHANGE, **CASE),
    "assessment:consultation_edit": E(CASE_CHANGE, **CASE, item="consultation"),
    "assessment:need_add": E(CASE_CHANGE, **CASE),
    "assessment:need_edit": E(CASE_CHANGE, **CASE, item="need"),
    "assessment:need_status": E(CASE_CHANGE, **CASE, item="need"),
    "assessment:strength_add": E(CASE_CHANGE, **CASE),
    "assessment:strength_edit": E(CASE_CHANGE, **CASE, item="strength"),
    "assessment:crisis_add": E(CASE_CHANGE, **CASE),
    # resources
    "resources:list": E(NOT_AUDITOR),
    "resources:add": E(profile(CASEWORKERS + DISTRICT_ADMINS)),
    "resources:edit": E(
        profile(("lead_worker", "lead_supervisor", "district_admin"), auditor="404", b_worker="404", b_admin="404"),
        uuid="resource",
    ),
    # plans
    "plans:case": E(CASE_READ, **CASE),
    "plans:version": E(CASE_READ, **CASE, version="plan_version"),
    "plans:create": E(CASE_CHANGE, **CASE),
    "plans:own_plan": E(CASE_CHANGE, **CASE),
    "plans:own_plan_pdf": E(CASE_CHANGE, **CASE),
    "plans:own_plan_handover": E(CASE_CHANGE, **CASE),
    "plans:new_version": E(CASE_CHANGE, **CASE),
    "plans:proposals": E(CASE_CHANGE, query={"goal": "goal_id"}, **CASE),
    "plans:goal_add": E(CASE_CHANGE, **CASE),
    "plans:goal_remove": E(CASE_CHANGE, **CASE, goal_id="goal_id"),
    "plans:goal_review": E(CASE_CHANGE, **CASE, goal_id="goal_id"),
    "plans:action_add": E(CASE_CHANGE, **CASE),
    "plans:action_remove": E(CASE_CHANGE, **CASE, action_uuid="action"),
    "plans:action_status": E(CASE_CHANGE, **CASE, action_uuid="action"),
    "plans:ask_add": E(CASE_CHANGE, **CASE),
    "plans:ask_answer": E(CASE_CHANGE, **CASE, ask_id="ask_id"),
    "plans:agreement": E(CASE_CHANGE, **CASE),
    "plans:summary": E(CASE_CHANGE, **CASE),
    "plans:action_review": E(CASE_CHANGE, **CASE, action_uuid="action"),
    "plans:submit": E(CASE_CHANGE, **CASE),
    # records
    "records:case": E(CASE_READ, **CASE),
    "records:contact_add": E(RECORD, **CASE),
    "records:services_add": E(RECORD, **CASE),
    "records:pick_resource": E(RECORD, **CASE),
    "records:pick_agency": E(RECORD, **CASE),
    "records:visit": E(RECORD, **CASE),
    "records:refusals": E(ANY_MEMBER),
    "records:overdue": E(ANY_MEMBER),
    # approvals
    "approvals:case": E(CASE_READ, **CASE),
    "approvals:classify": E(CASE_CHANGE_POST, **CASE),
    "approvals:close": E(CASE_CHANGE_POST, **CASE),
    "approvals:follow_up": E(CASE_CHANGE_POST, **CASE),
    "approvals:reopen": E(CASE_CHANGE_POST, **CASE),
    "approvals:inbox": E(ANY_MEMBER),
    "approvals:decide": E(APPROVE_POST, uuid="approval"),
    # Only the submitter (the lead worker) recalls; another who may change the case is refused.
    "approvals:recall": E(case_post(CHANGE_CASE, lead_supervisor="no_write"), uuid="approval"),
    # districts
    "districts:settings": E(DISTRICT_ADMIN_ONLY),
    "districts:case_type_add": E(DISTRICT_ADMIN_ONLY),
    "districts:case_type_edit": E(profile(("district_admin",), b_admin="404"), pk="case_type"),
    # the platform administrator's page (issue 16 item 6): the flag, not a role; others 404
    "districts:platform": E(profile(("platform_admin",), default="404")),
    "districts:platform_result": E(profile(("platform_admin",), default="404")),
    # referrals
    "referrals:case": E(CASE_READ, **CASE),
    "referrals:send": E(RECORD_POST, **CASE),
    "referrals:inbox": E(ANY_MEMBER),
    "referrals:detail": E(CASE_READ, uuid="referral"),
    "referrals:accept": E(RECEIVER_ONLY, uuid="referral"),
    "referrals:decline": E(RECEIVER_ONLY, uuid="referral"),
    "referrals:complete": E(RECEIVER_ONLY, uuid="referral"),
    "referrals:withdraw": E(case_post(RECORD_WORK, participant_worker="no_write"), uuid="referral"),
    # conferences
    "conferences:list": E(ANY_MEMBER),
    "conferences:new": E(profile(MEMBERS, auditor="403", lead_admin="403")),
    "conferences:attendee_options": E(profile(MEMBERS, auditor="403", lead_admin="403")),
    "conferences:pick_agency": E(profile(MEMBERS, auditor="403", lead_admin="403")),
    "conferences:case": E(CASE_READ, **CASE),
    # Case workers who may read the case put it on an upcoming conference; other readers' roles bring no cases.
    "conferences:case_bring": E(CASE_BRING, **CASE),
    "conferences:detail": E(CONFERENCE_READ, uuid="conference"),
    "conferences:record": E(CONFERENCE_MANAGE, uuid="conference"),
    "conferences:cancel": E(CONFERENCE_MANAGE, uuid="conference"),
    "conferences:case_add": E(
        profile(
            HOST + ("participant_worker", "participant_withdrawn"),
            default="404",
            lead_admin="403",
            district_admin="403",
        ),
        uuid="conference",
    ),
    "conferences:discussion": E(
        profile(HOST + ("participant_worker",), default="404", lead_admin="403", district_admin="403"),
        uuid="conference",
        case_uuid="case",
    ),
    "conferences:decision_add": E(CONFERENCE_MANAGE, uuid="conference"),
    "conferences:tasks": E(ANY_MEMBER),
    "conferences:task_complete": E(CONFERENCE_MANAGE, uuid="task"),  # assignee, or a supervisor of its agency
    "conferences:task_cancel": E(CONFERENCE_MANAGE, uuid="task"),
    # inbox
    "inbox:index": E(ANY_MEMBER),
    # access
    "access:emergency": E(EMERGENCY, **CASE),
    "access:emergency_review": E(DISTRICT_ADMIN_ONLY),
    "access:emergency_review_one": E(profile(("district_admin",), b_admin="404"), uuid="emergency"),
    # timeline, audit
    "timeline:case": E(CASE_READ, **CASE),
    "diagrams:case": E(CASE_READ, **CASE),
    "diagrams:ecomap_svg": E(CASE_READ, **CASE),
    "diagrams:genogram_svg": E(CASE_READ, **CASE),
    "audit:log": E(AUDIT_READERS),
    "audit:export": E(AUDIT_READERS),
    "audit:reviews": E(AUDIT_READERS),
    # reports
    "reports:dashboard": E(NOT_AUDITOR),
    "reports:figures": E(NOT_AUDITOR),
    "reports:balance": E(profile(("lead_supervisor",))),
    "reports:workshop": E(DISTRICT_ADMIN_ONLY),
    "reports:figures_xlsx": E(NOT_AUDITOR),
    "reports:report_pdf": E(NOT_AUDITOR),
    "reports:services_export": E(NOT_AUDITOR),
    "reports:stories": E(NOT_AUDITOR),
    "reports:story_new": E(ANY_MEMBER),
    "reports:story_edit": E(CASE_CHANGE_POST, uuid="story"),
    "reports:story_decide": E(APPROVE_POST, uuid="story"),
    "reports:story_download": E(STORY_DOWNLOAD, uuid="story"),  # pending: back to the story page
    "reports:case_story": E(CASE_READ, **CASE),
    "reports:case_story_write": E(CASE_CHANGE, **CASE),
    # API pages (session) and the API itself
    "api:index": E(ANY_MEMBER),
    "api:token_create": E(ANY_MEMBER),
    "api:token_revoke": E(TOKEN_REVOKE, uuid="token"),
    "api:schema": E(API_ANY_MEMBER),
    "api:docs": E(ANY_MEMBER),
    "api:redoc": E(ANY_MEMBER),
    "api_v1:agency-list": E(API_ANY_MEMBER),
    "api_v1:agency-detail": E(profile(DISTRICT_A, default="404", anonymous="api_anon"), uuid="lead_agency"),
    "api_v1:dong-list": E(API_ANY_MEMBER),
    "api_v1:household-list": E(API_ANY_MEMBER),
    "api_v1:household-detail": E(API_CASE_READ, uuid="household"),
    "api_v1:person-list": E(API_ANY_MEMBER),
    "api_v1:person-detail": E(API_CASE_READ, uuid="person"),
    "api_v1:person-complete-identity": E(API_CASE_CHANGE_POST, uuid="person"),
    "api_v1:person-merge": E(API_CASE_CHANGE_POST, uuid="person"),
    "api_v1:case-list": E(API_ANY_MEMBER),
    "api_v1:case-detail": E(API_CASE_READ, uuid="case"),
    "api_v1:case-stage": E(API_CASE_CHANGE_POST, uuid="case"),
    "api_v1:need-list": E(API_ANY_MEMBER),
    "api_v1:need-detail": E(API_CASE_READ, uuid="need"),
    "api_v1:need-status-change": E(API_CASE_CHANGE_POST, uuid="need"),
    "api_v1:plan-list": E(API_ANY_MEMBER),
    "api_v1:plan-detail": E(API_CASE_READ, uuid="plan"),
    "api_v1:service-record-list": E(API_ANY_MEMBER),
    "api_v1:service-record-export": E(API_ANY_MEMBER, query={"reason": "export_reason"}),
    "api_v1:service-record-detail": E(API_CASE_READ, uuid="service_record"),
    "api_v1:contact-record-list": E(API_ANY_MEMBER),
    "api_v1:contact-record-detail": E(API_CASE_READ, uuid="contact_record"),
    "api_v1:referral-list": E(API_ANY_MEMBER),
    "api_v1:referral-detail": E(API_CASE_READ, uuid="referral"),
    "api_v1:referral-accept": E(API_RECEIVER_ONLY, uuid="referral"),
    "api_v1:referral-complete": E(API_RECEIVER_ONLY, uuid="referral"),
    "api_v1:referral-decline": E(API_RECEIVER_ONLY, uuid="referral"),
    "api_v1:referral-withdraw": E(
        case_post(RECORD_WORK, participant_worker="no_write", anonymous="api_anon"), uuid="referral"
    ),
    "api_v1:conference-list": E(API_ANY_MEMBER),
    "api_v1:conference-detail": E(dict(CONFERENCE_READ, anonymous="api_anon"), uuid="conference"),
    "api_v1:token-list": E(API_ANY_MEMBER),
    "api_v1:token-revoke": E(dict(TOKEN_REVOKE, anonymous="api_anon"), uuid="token"),
    "api_v1:statistics": E(dict(NOT_AUDITOR, anonymous="api_anon")),
    # imports
    "imports:index": E(ANY_MEMBER),
    "imports:upload": E(ANY_MEMBER),
    "imports:export": E(ANY_MEMBER),
    "imports:job": E(profile(("lead_worker",), default="404"), uuid="import_job"),
    "imports:progress": E(profile(("lead_worker",), default="404"), uuid="import_job"),
    "imports:confirm": E(profile(("lead_worker",), default="404"), uuid="import_job"),
    # background exports: the form is the reports page's; a job is its requester's only
    "exports:service_records": E(NOT_AUDITOR),
    "exports:job": E(profile(("lead_worker",), default="404"), uuid="export_job"),
    "exports:progress": E(profile(("lead_worker",), default="404"), uuid="export_job"),
    "exports:download": E(profile(("lead_worker",), default="404"), uuid="export_job"),  # not ready: its page
}

# The platform administrator holds no membership: every object of a district is denied (403 or 404,
# never a page with data), and so are the API and the pages that need a role (figures, resources,
# conferences); pages of one's own (the caseload, searches, inboxes) open and show nothing.
PLATFORM_REFUSED = {
    "conferences:attendee_options",
    "conferences:new",
    "conferences:pick_agency",
    "exports:service_records",
    "resources:list",
}
for _name, _entry in list(URLS.items()):
    _answer = _entry.profile["platform_admin"]
    if (
        _answer in ("403", "404")
        or _name.startswith(("api_v1:", "reports:"))
        and _name != "reports:story_new"
        or _name in PLATFORM_REFUSED
    ):
        URLS[_name] = replace(_entry, profile={**_entry.profile, "platform_admin": "denied"})

# (url name, actor) -> why the cell is expected to fail until the application is fixed.
KNOWN_BUGS: dict[tuple[str, str], str] = {}


def build_objects(world) -> SimpleNamespace:
    """One object of every kind a URL names, all of district A's case led by the lead agency."""
    from django.utils import timezone

    from hamkke.access.models import EmergencyAccess
    from hamkke.accounts.models import Role
    from hamkke.api.services import api_token_create
    from hamkke.approvals.models import ApprovalRequest
    from hamkke.assessment.services import consultation_record, need_record, need_set_status, strength_record
    from hamkke.conferences.models import Conference
    from hamkke.conferences.services import conference_add_case, conference_schedule, decision_to_task
    from hamkke.consents.services import consent_record
    from hamkke.exports.models import ExportJob
    from hamkke.imports.models import ImportJob
    from hamkke.plans.models import Performer
    from hamkke.plans.services import action_add, ask_record, goal_add, plan_create
    from hamkke.records.models import ContactRecord
    from hamkke.records.services import contact_record_add, service_record_add
    from hamkke.referrals.services import referral_send
    from hamkke.reports.services import story_write
    from hamkke.resources.services import resource_create
    from hamkke.testing.factories import AgencyFactory, MembershipFactory, UserFactory

    lead = world.lead_worker.actor
    case = world.case
    today = world.today
    now = timezone.now()
    consultation = consultation_record(
        actor=lead, case=case, held_on=today - datetime.timedelta(days=10), presenting_issues="집이 좁고 물건이 많다"
    )
    need = need_record(
        actor=lead,
        case=case,
        domain="housing",
        expressed_text="집 정리",
        felt_text="안전한 집",
        agreed_text="현관 통로 확보",
    )
    need = need_set_status(actor=lead, need=need, status="selected")
    strength = strength_record(actor=lead, case=case, side="inner", kind="will", description="다시 일하고 싶다")
    plan = plan_create(actor=lead, case=case, summary="주거 환경 개선")
    goal = goal_add(actor=lead, plan=plan, need=need, description="현관 통로를 비운다")
    action = action_add(actor=lead, goal=goal, description="주 1회 함께 정리", performer=Performer.PERSON)
    ask = ask_record(actor=lead, case=case, whom="딸", whom_role=Performer.FAMILY, method="ask", asked_on=today)
    service_record = service_record_add(
        actor=lead,
        case=case,
        provided_on=today,
        domain="livelihood",
        mode="direct",
        description="쌀",
        amount_kind="goods",
        amount=30000,
    )
    contact_record = contact_record_add(
        actor=lead,
        case=case,
        contacted_at=now - datetime.timedelta(hours=2),
        kind=ContactRecord.Kind.PHONE,
        outcome=ContactRecord.Outcome.MET,
    )
    approval = ApprovalRequest.objects.create(
        district=world.district_a,
        case=case,
        kind=ApprovalRequest.Kind.CLASSIFICATION,
        agency=world.lead_agency,
        submitted_by=world.lead_worker.user,
        submitted_at=now,
        payload={"case_type": world.case_types_a[0].pk, "crisis_level": "low"},
    )
    # Referred to a fourth agency of district A that no actor works for: nobody in the matrix receives it.
    receiving = AgencyFactory(district=world.district_a, name="중구노인복지관")
    consent_record(
        actor=lead,
        case=case,
        person=world.head,
        given_on=today,
        expires_on=today + datetime.timedelta(days=90),
        required_collection=True,
        third_party_agencies=[receiving],
    )
    referral = referral_send(actor=lead, case=case, to_agency=receiving, reason="정서 지원 의뢰")
    conference = conference_schedule(
        actor=lead,
        kind=Conference.Kind.CASE_CONFERENCE,
        title="통합사례회의",
        scheduled_at=now - datetime.timedelta(days=1),
        place="중구청",
        agencies=[world.lead_agency, world.participating_agency],
        attendees=[world.lead_worker.user, world.participant_worker.user],
    )
    conference_add_case(actor=lead, conference=conference, case=case, discussion="정리 계획 논의")
    task = decision_to_task(
        actor=lead,
        conference=conference,
        decision="사전 방문",
        assignee=world.lead_worker.user,
        due_on=today + datetime.timedelta(days=5),
        case=case,
    )
    resource = resource_create(actor=lead, name="정리 자원봉사단", kind="informal", type="volunteer", domain="housing")
    # Emergency access by a colleague of the unrelated agency (expired: it gives nobody access now).
    opener = MembershipFactory(
        user=UserFactory(username="emergency_opener"), agency=world.unrelated_agency, role=Role.WORKER
    )
    emergency = EmergencyAccess.objects.create(
        district=world.district_a,
        case=case,
        user=opener.user,
        agency=world.unrelated_agency,
        reason="야간 응급",
        granted_at=now - datetime.timedelta(days=2),
        expires_at=now - datetime.timedelta(days=1),
    )
    import_job = ImportJob.objects.create(
        district=world.district_a,
        kind=ImportJob.Kind.HOUSEHOLDS,
        mode=ImportJob.Mode.DRY_RUN,
        status=ImportJob.Status.DONE,
        user=world.lead_worker.user,
        membership=world.lead_worker.membership,
        filename="households.csv",
        file_format="csv",
        content=b"",
    )
    export_job = ExportJob.objects.create(
        district=world.district_a,
        kind=ExportJob.Kind.SERVICE_RECORDS,
        requested_by=world.lead_worker.user,
        agency=world.lead_agency,
        parameters={"start": "2026-01-01", "end": "2026-12-31", "file_format": "csv"},
    )
    token, _key = api_token_create(actor=lead, name="matrix")
    story = story_write(actor=lead, case=case)
    return SimpleNamespace(
        export_reason="access-matrix-check",  # a download's stated reason (the API export)
        case=case.uuid,
        household=world.household.uuid,
        person=world.head.uuid,
        consent=world.consent.uuid,
        participant_id=world.participant.pk,
        consultation=consultation.uuid,
        need=need.uuid,
        strength=strength.uuid,
        plan=plan.uuid,
        plan_version=plan.version,
        goal_id=goal.pk,
        action=action.uuid,
        ask_id=ask.pk,
        service_record=service_record.uuid,
        contact_record=contact_record.uuid,
        approval=approval.uuid,
        referral=referral.uuid,
        conference=conference.uuid,
        task=task.uuid,
        resource=resource.uuid,
        emergency=emergency.uuid,
        import_job=import_job.uuid,
        export_job=export_job.uuid,
        token=token.uuid,
        story=story.uuid,
        case_type=world.case_types_a[0].pk,
        lead_agency=world.lead_agency.uuid,
    )
