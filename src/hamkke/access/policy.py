"""Who may see and do what: the one place where access is declared (ARCHITECTURE.md, Layers).

The rules are a table, role -> the *grounds* on which a case is in reach for a permission.
Selectors turn the grounds into one SQL condition (``case_scope``); tests are generated from the
same table. Everything fails closed: no membership, unknown role or unknown permission -> nothing.

Grounds:
- ``lead_agency``: the actor's agency leads the case (all its case workers, not only the lead
  worker: colleagues cover holidays and visits);
- ``participating_with_consent``: the actor's agency takes part in the case (not left) *and* a
  consent in force today covers that agency (named, or the whole district network). Withdrawal
  or expiry removes access at once;
- ``participating_with_sensitive_consent``: as above, and that consent also has the separate
  sensitive-data item (민감정보: health and mental health, DOMAIN.md §6) ticked;
- ``district``: every case of the actor's district (district case-management admin);
- ``emergency``: the actor opened this case by emergency access (긴급 열람) with a reason, and
  that access has not expired. Granted only for high-crisis cases, audited, reviewed by the
  district admin (hamkke.access.services).
Auditors get no case content at all: they read the access log only.
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from hamkke.accounts.actor import Actor
from hamkke.accounts.models import Role

from .table import day_start

VIEW_CASE = "view_case"  # read a case, its household and persons
CHANGE_CASE = "change_case"  # change stage, record consent, add household members, needs, plans
RECORD_WORK = "record_work"  # record contacts and services delivered (every agency working the case)
APPROVE_CASE = "approve_case"  # decide on submitted classification, plan, closure (결재)
# read the case's health data (민감정보): what is health data is declared in access.sensitive.SENSITIVE,
# and every selector of those records applies this permission (access.sensitive.visible_rows)
VIEW_SENSITIVE = "view_sensitive"

CASE_WORK = ("lead_agency", "participating_with_consent")
CASE_READ = CASE_WORK + ("emergency",)

RULES: dict[str, dict[str, tuple[str, ...]]] = {
    VIEW_CASE: {
        Role.WORKER: CASE_READ,
        Role.SUPERVISOR: CASE_READ,
        Role.AGENCY_ADMIN: CASE_WORK,
        Role.DISTRICT_ADMIN: ("district",),
        Role.AUDITOR: (),
    },
    CHANGE_CASE: {
        Role.WORKER: ("lead_agency",),
        Role.SUPERVISOR: ("lead_agency",),
        Role.AGENCY_ADMIN: (),
        Role.DISTRICT_ADMIN: (),
        Role.AUDITOR: (),
    },
    RECORD_WORK: {
        Role.WORKER: CASE_WORK,
        Role.SUPERVISOR: CASE_WORK,
        Role.AGENCY_ADMIN: (),
        Role.DISTRICT_ADMIN: (),
        Role.AUDITOR: (),
    },
    VIEW_SENSITIVE: {
        # The lead agency and the district admin under the legal basis of the case work; a worker on
        # emergency access (that is what it is for); a participating agency only with the separate item.
        Role.WORKER: ("lead_agency", "participating_with_sensitive_consent", "emergency"),
        Role.SUPERVISOR: ("lead_agency", "participating_with_sensitive_consent", "emergency"),
        Role.AGENCY_ADMIN: ("lead_agency", "participating_with_sensitive_consent"),
        Role.DISTRICT_ADMIN: ("district",),
        Role.AUDITOR: (),
    },
    APPROVE_CASE: {
        Role.WORKER: (),
        Role.SUPERVISOR: ("lead_agency",),
        Role.AGENCY_ADMIN: (),
        Role.DISTRICT_ADMIN: (),
        Role.AUDITOR: (),
    },
}

# Opening a new case (registering a household) in the actor's own agency.
CAN_OPEN_CASE = {Role.WORKER, Role.SUPERVISOR}

# What a role may do apart from reaching a case: capability -> roles. Asked for by name with
# ``may(actor, CAPABILITY)`` (or ``roles_with`` in a query); nothing else in the code compares roles
# for access. Fails closed like RULES: no membership or an unknown capability -> False.
CASEWORK = "casework"  # act as a case worker: refer, import, request emergency access, be assigned tasks
AGENCY_INBOX = "agency_inbox"  # see what is addressed to the agency (referrals received)
SUPERVISE_TEAM = "supervise_team"  # the team's caseload, overdue work and tasks of the agency's workers
READ_ACCESS_LOG = "read_access_log"
SIGN_ACCESS_REVIEW = "sign_access_review"  # the auditor's monthly review
REVIEW_EMERGENCY_ACCESS = "review_emergency_access"
DISTRICT_SETTINGS = "district_settings"  # 운영 기준, case types
DISTRICT_WIDE = "district_wide"  # figures, conferences and tokens of the whole district
ANONYMISE = "anonymise"  # run retention for the district
READ_RESOURCES = "read_resources"
EDIT_RESOURCES = "edit_resources"  # add resources, edit the agency's own
EDIT_ANY_RESOURCE = "edit_any_resource"
VIEW_REPORTS = "view_reports"
AGENCY_REPORTS = "agency_reports"  # every figure of the agency (not only the actor's own cases)
ATTEND_CONFERENCES = "attend_conferences"
HOST_CONFERENCES = "host_conferences"

_CASE_WORKERS = frozenset({Role.WORKER, Role.SUPERVISOR})
CAPABILITIES: dict[str, frozenset[str]] = {
    CASEWORK: _CASE_WORKERS,
    AGENCY_INBOX: _CASE_WORKERS | {Role.AGENCY_ADMIN},
    SUPERVISE_TEAM: frozenset({Role.SUPERVISOR}),
    READ_ACCESS_LOG: frozenset({Role.AUDITOR, Role.DISTRICT_ADMIN}),
    SIGN_ACCESS_REVIEW: frozenset({Role.AUDITOR}),
    REVIEW_EMERGENCY_ACCESS: frozenset({Role.DISTRICT_ADMIN}),
    DISTRICT_SETTINGS: frozenset({Role.DISTRICT_ADMIN}),
    DISTRICT_WIDE: frozenset({Role.DISTRICT_ADMIN}),
    ANONYMISE: frozenset({Role.DISTRICT_ADMIN}),
    READ_RESOURCES: _CASE_WORKERS | {Role.AGENCY_ADMIN, Role.DISTRICT_ADMIN},
    EDIT_RESOURCES: _CASE_WORKERS | {Role.DISTRICT_ADMIN},
    EDIT_ANY_RESOURCE: frozenset({Role.DISTRICT_ADMIN}),
    VIEW_REPORTS: _CASE_WORKERS | {Role.AGENCY_ADMIN, Role.DISTRICT_ADMIN},
    AGENCY_REPORTS: frozenset({Role.AGENCY_ADMIN}),
    ATTEND_CONFERENCES: _CASE_WORKERS | {Role.AGENCY_ADMIN, Role.DISTRICT_ADMIN},
    HOST_CONFERENCES: _CASE_WORKERS | {Role.DISTRICT_ADMIN},
}


# The platform administrator (User.is_platform_admin): creates districts, their agencies and first
# district admins (manage.py create_district). A flag of the user, not a role: it adds no ground to
# RULES and no role capability, so it reaches no case of any district (a platform admin who also
# works in an agency gets that membership's access, nothing more).
MANAGE_DISTRICTS = "manage_districts"
USER_FLAG_CAPABILITIES: dict[str, str] = {MANAGE_DISTRICTS: "is_platform_admin"}
# The role a district's first administrator is given (districts.platform).
DISTRICT_ADMIN_ROLE = Role.DISTRICT_ADMIN


def may(actor: Actor, capability: str) -> bool:
    """Whether the actor's role has ``capability`` (CAPABILITIES), or, for a platform capability, the
    user has its flag (USER_FLAG_CAPABILITIES); False without a membership or an unknown capability."""
    if capability in USER_FLAG_CAPABILITIES:
        user = actor.user
        return bool(user.is_authenticated and user.is_active and getattr(user, USER_FLAG_CAPABILITIES[capability]))
    return actor.membership is not None and actor.role in CAPABILITIES.get(capability, frozenset())


def roles_with(capability: str) -> list[str]:
    """The roles holding ``capability``, for a query over memberships (sorted: stable SQL)."""
    return sorted(CAPABILITIES[capability])


def grounds(actor: Actor, permission: str) -> tuple[str, ...]:
    membership = actor.membership
    if membership is None:
        return ()
    return RULES.get(permission, {}).get(membership.role, ())


def _consent_covers_agency(agency_id: int, today: datetime.date, *, sensitive: bool = False) -> Exists:
    """A consent in force on ``today`` covers the agency (named, or the district network); with
    ``sensitive``, that consent also has the separate sensitive-data item."""
    from hamkke.consents.models import Consent

    consents = Consent.objects.filter(case=OuterRef("pk")).filter(Consent.valid_on_q(today))
    if sensitive:
        consents = consents.filter(sensitive_data=True)
    return Exists(consents.filter(Q(share_with_district_network=True) | Q(third_party_agencies=agency_id)))


def _participates(agency_id: int) -> Exists:
    from hamkke.cases.models import CaseParticipant

    return Exists(CaseParticipant.objects.filter(case=OuterRef("pk"), agency_id=agency_id, left_on__isnull=True))


def _emergency_access(user_id: int) -> Exists:
    from .models import EmergencyAccess

    return Exists(EmergencyAccess.objects.filter(case=OuterRef("pk"), user_id=user_id, expires_at__gt=timezone.now()))


def case_scope(actor: Actor, permission: str = VIEW_CASE, today: datetime.date | None = None) -> Q | None:
    """The SQL condition on Case for this actor and permission; None means 'nothing'.

    Read from ``CaseAccess`` (access as data, ``access.table``): one index range join, whatever
    the size of the district. ``case_scope_reference`` states the same rules on the source tables.
    """
    from .models import CaseAccess

    found = grounds(actor, permission)
    if not found:
        return None
    in_district = Q(district_id=actor.district_id)
    if "district" in found:
        return in_district
    day = day_start(today or timezone.localdate())  # consents are in force by Seoul day
    in_force_today = Q(valid_from__lte=day) & (Q(valid_until__isnull=True) | Q(valid_until__gt=day))
    agency_grounds = []
    user_grounds = []
    for ground in found:
        if ground == "lead_agency":
            agency_grounds.append(Q(ground=CaseAccess.Ground.LEAD_AGENCY))
        elif ground == "participating_with_consent":
            agency_grounds.append(Q(ground=CaseAccess.Ground.CONSENT) & in_force_today)
        elif ground == "participating_with_sensitive_consent":
            agency_grounds.append(Q(ground=CaseAccess.Ground.CONSENT, sensitive=True) & in_force_today)
        elif ground == "emergency":
            user_grounds.append(
                Q(user_id=actor.user.pk, ground=CaseAccess.Ground.EMERGENCY, valid_until__gt=timezone.now())
            )
        else:  # a typo in RULES must never widen access
            raise ValueError(f"unknown access ground {ground!r}")
    rows = Q(pk__in=[])
    if agency_grounds:
        rows = Q(agency_id=actor.agency_id) & _any(agency_grounds)
    if user_grounds:
        rows = rows | _any(user_grounds) if agency_grounds else _any(user_grounds)
    return in_district & Q(pk__in=CaseAccess.objects.filter(rows).values("case_id"))


def _any(conditions: list[Q]) -> Q:
    condition = conditions[0]
    for other in conditions[1:]:
        condition |= other
    return condition


def case_scope_reference(actor: Actor, permission: str = VIEW_CASE, today: datetime.date | None = None) -> Q | None:
    """``case_scope`` read directly from the sources of access (lead agency, team, consents,
    emergency accesses): the rules as first written, kept as the reference that the property test
    compares ``CaseAccess`` with. Correct but slow at city scale (an OR of correlated EXISTS)."""
    found = grounds(actor, permission)
    if not found:
        return None
    in_district = Q(district_id=actor.district_id)
    if "district" in found:
        return in_district
    today = today or timezone.localdate()
    parts = []
    for ground in found:
        if ground == "lead_agency":
            parts.append(Q(lead_agency_id=actor.agency_id))
        elif ground == "participating_with_consent":
            parts.append(_participates(actor.agency_id) & _consent_covers_agency(actor.agency_id, today))
        elif ground == "participating_with_sensitive_consent":
            parts.append(
                _participates(actor.agency_id) & _consent_covers_agency(actor.agency_id, today, sensitive=True)
            )
        elif ground == "emergency":
            parts.append(Q(_emergency_access(actor.user.pk)))
        else:  # a typo in RULES must never widen access
            raise ValueError(f"unknown access ground {ground!r}")
    return in_district & _any(parts)


def cases_in_scope(actor: Actor, permission: str = VIEW_CASE) -> QuerySet:
    """Cases the actor may reach for ``permission``, district filter first."""
    from hamkke.cases.models import Case

    condition = case_scope(actor, permission)
    if condition is None:
        return Case.objects.none()
    return Case.objects.filter(condition)


def cases_in_scope_reference(actor: Actor, permission: str = VIEW_CASE, today: datetime.date | None = None) -> QuerySet:
    """``cases_in_scope`` by the reference form (tests only)."""
    from hamkke.cases.models import Case

    condition = case_scope_reference(actor, permission, today)
    if condition is None:
        return Case.objects.none()
    return Case.objects.filter(condition)


def can(actor: Actor, permission: str, case) -> bool:
    return cases_in_scope(actor, permission).filter(pk=case.pk).exists()


def can_open_case(actor: Actor) -> bool:
    return actor.membership is not None and actor.role in CAN_OPEN_CASE


def may_see_rrn(actor: Actor) -> bool:
    """Only agencies whose legal basis allows it collect or see (masked) RRNs (DOMAIN.md §6)."""
    return actor.membership is not None and actor.membership.agency.rrn_allowed and not actor.is_auditor


def cases_known_without_content(actor: Actor) -> QuerySet:
    """Cases the actor's agency takes part in but may not read (no consent in force covering it).

    What such an agency still sees: that the case exists and who leads it, so that two agencies do
    not unknowingly serve one household — nothing more (issue 4, consent-scoped sharing).
    """
    from hamkke.cases.models import Case, CaseParticipant

    if not may(actor, AGENCY_INBOX):
        return Case.objects.none()
    # The agency's open participations first (a few hundred ids at most): as a correlated EXISTS
    # beside NOT (readable) the planner scanned every case of the district (365 ms at metro).
    participating = list(
        CaseParticipant.objects.filter(
            district_id=actor.district_id, agency_id=actor.agency_id, left_on__isnull=True
        ).values_list("case_id", flat=True)
    )
    cases = Case.objects.filter(district_id=actor.district_id, pk__in=participating).exclude(
        lead_agency_id=actor.agency_id
    )
    readable = case_scope(actor, VIEW_CASE)
    return cases if readable is None else cases.exclude(readable)
