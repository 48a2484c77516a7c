"""The platform administrator's writes: a new district, its agencies and its first district admin.

Run by ``manage.py create_district`` (an IT administrator on the server) or by a user whose
``is_platform_admin`` flag the policy reads (``MANAGE_DISTRICTS``). Idempotent: what exists is kept
and reported, never changed or duplicated, so the command can be run again after a fix. The first
admin gets an initial password that is returned once (the command prints it once and stores only
its hash); two-factor set-up is asked at the first log-in, and the admin changes the password there.

Usernames are unique in the whole installation (one log-in page); agency and dong names only within
a district, so two districts may each have a "종합사회복지관" of the same name.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hamkke.access.policy import DISTRICT_ADMIN_ROLE, MANAGE_DISTRICTS, may
from hamkke.accounts.actor import Actor
from hamkke.accounts.models import Membership, User
from hamkke.audit.models import Action
from hamkke.audit.services import audit_record
from hamkke.cases.services import case_types_ensure_defaults

from .models import Agency, District, DistrictPolicy

# Kind -> (sector, may process RRNs): public bodies doing social-security work have the legal basis.
KIND_DEFAULTS: dict[str, tuple[str, bool]] = {
    Agency.Kind.DISTRICT_OFFICE: (Agency.Sector.PUBLIC, True),
    Agency.Kind.COMMUNITY_CENTRE: (Agency.Sector.PUBLIC, True),
    Agency.Kind.HOUSING_CENTRE: (Agency.Sector.PUBLIC, False),
    Agency.Kind.MENTAL_HEALTH_CENTRE: (Agency.Sector.PRIVATE, False),
    Agency.Kind.WELFARE_CENTRE: (Agency.Sector.PRIVATE, False),
    Agency.Kind.OTHER: (Agency.Sector.PRIVATE, False),
}


@dataclass
class DistrictSetup:
    """What ``district_setup`` found and did (for the command's report)."""

    district: District
    district_created: bool
    agencies: list[tuple[Agency, bool]] = field(default_factory=list)  # (agency, created)
    admin: User | None = None
    admin_created: bool = False
    membership_created: bool = False
    initial_password: str = ""  # only when the admin was created now; shown once, never stored


def command_actor() -> Actor:
    """The actor of a management command run on the server (no log-in; the access log says so)."""
    return Actor(user=AnonymousUser(), membership=None)


def _check(actor: Actor, *, by_command: bool) -> None:
    if not by_command and not may(actor, MANAGE_DISTRICTS):
        raise PermissionDenied(_("플랫폼 관리자만 시군구를 만들 수 있습니다."))


def district_setup(
    *,
    actor: Actor,
    code: str,
    name: str,
    agencies: list[tuple[str, str]],
    admin_username: str,
    admin_email: str = "",
    admin_display_name: str = "",
    by_command: bool = False,
) -> DistrictSetup:
    """Create (or find) the district ``code``, its ``agencies`` ((name, kind); the first is where the
    admin works) and its district admin ``admin_username``. Nothing of any district's cases is read."""
    _check(actor, by_command=by_command)
    code, name, admin_username = code.strip(), name.strip(), admin_username.strip()
    errors: dict[str, str] = {}
    if not code.isdigit() or len(code) > 10:
        errors["code"] = _("행정구역코드는 10자리 이하의 숫자입니다 (예: 11200).")
    if not name or len(name) > 50:
        errors["name"] = _("시군구명을 50자 이내로 넣으세요.")
    if not agencies:
        errors["agencies"] = _("관리자가 일할 기관을 하나 이상 넣으세요.")
    for agency_name, kind in agencies:
        if not agency_name.strip() or len(agency_name) > 100 or kind not in KIND_DEFAULTS:
            errors["agencies"] = _("기관명(100자 이내)과 유형(%(kinds)s)을 확인하세요.") % {
                "kinds": ", ".join(KIND_DEFAULTS)
            }
    if not admin_username or len(admin_username) > 150:
        errors["admin_username"] = _("관리자 계정 이름을 넣으세요.")
    existing = District.objects.filter(code=code).first()
    if existing is not None and existing.name != name:
        errors["code"] = _("행정구역코드 %(code)s는 이미 %(name)s의 코드입니다.") % {
            "code": code,
            "name": existing.name,
        }
    elif District.objects.filter(name=name).exclude(code=code).exists():
        errors["name"] = _("같은 이름의 시군구가 다른 코드로 이미 있습니다.")
    user = User.objects.filter(username=admin_username).first()
    if user is not None and not (
        existing is not None
        and Membership.objects.filter(user=user, district=existing, role=DISTRICT_ADMIN_ROLE).exists()
    ):
        # One log-in page for the installation: the name may already be someone's in another district.
        errors["admin_username"] = _(
            "계정 이름 %(username)s는 이미 다른 사람이 씁니다 "
            "(계정 이름은 설치 전체에서 하나뿐입니다). 다른 이름을 쓰세요."
        ) % {"username": admin_username}
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        district, district_created = District.objects.get_or_create(code=code, defaults={"name": name})
        DistrictPolicy.for_district(district.pk)
        case_types_ensure_defaults(district=district)
        result = DistrictSetup(district=district, district_created=district_created)
        if district_created:
            audit_record(
                actor=actor, action=Action.CREATE, object_type="district", object_id=code, detail="district created"
            )
        for agency_name, kind in agencies:
            sector, rrn_allowed = KIND_DEFAULTS[kind]
            agency, created = Agency.objects.get_or_create(
                district=district,
                name=agency_name.strip(),
                defaults={"kind": kind, "sector": sector, "rrn_allowed": rrn_allowed},
            )
            if created:
                audit_record(actor=actor, action=Action.CREATE, obj=agency, detail="agency created (platform)")
            result.agencies.append((agency, created))
        first_agency = result.agencies[0][0]
        if user is None:
            result.initial_password = secrets.token_urlsafe(12)
            user = User.objects.create_user(
                username=admin_username, email=admin_email.strip(), password=result.initial_password
            )
            user.display_name = admin_display_name.strip()[:50]
            user.save(update_fields=["display_name"])
            result.admin_created = True
        if result.admin_created:  # an existing user is already this district's admin (checked above)
            membership = Membership.objects.create(
                user=user, agency=first_agency, district=district, role=DISTRICT_ADMIN_ROLE
            )
            result.membership_created = True
            audit_record(actor=actor, action=Action.CREATE, obj=membership, detail="district admin (platform)")
        result.admin = user
    return result


@dataclass
class DistrictRow:
    """One line of the platform administrator's list: nothing of any case."""

    district: District
    agency_count: int
    admin_usernames: list[str]


def districts_overview(*, actor: Actor) -> list[DistrictRow]:
    """Every district with its number of agencies and its district admins' usernames (no case data)."""
    _check(actor, by_command=False)
    from django.db.models import Count

    counts = dict(Agency.objects.values_list("district_id").annotate(n=Count("pk")).values_list("district_id", "n"))
    admins: dict[int, list[str]] = {}
    for district_id, username in (
        Membership.objects.filter(role=DISTRICT_ADMIN_ROLE)
        .order_by("user__username")
        .values_list("district_id", "user__username")
    ):
        admins.setdefault(district_id, []).append(username)
    return [DistrictRow(d, counts.get(d.pk, 0), admins.get(d.pk, [])) for d in District.objects.order_by("code")]
