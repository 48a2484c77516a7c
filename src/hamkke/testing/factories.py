"""Factory-boy factories for every model, and ``build_world()``, the shared fixture world.

The factories write rows directly (fast, no audit, no permission checks): use them to set up
the *surroundings* of a test. The behaviour under test goes through services and selectors.
``build_world()`` builds the case itself through the services, as a worker would.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from types import SimpleNamespace

import factory
from django.utils import timezone

from hamkke.accounts.actor import Actor, actor_for
from hamkke.accounts.models import Membership, Role, User
from hamkke.cases.models import Case, CaseParticipant, CaseType
from hamkke.cases.services import case_add_participant, case_register, case_types_ensure_defaults
from hamkke.consents.models import Consent
from hamkke.consents.services import consent_record
from hamkke.districts.models import Agency, District, Dong
from hamkke.people.models import Household, Person

from . import PASSWORD, make_rrn


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    name = factory.Sequence(lambda n: f"시험{n}구")
    code = factory.Sequence(lambda n: f"{90000 + n}")


class DongFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dong

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"시험{n}동")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"시험기관{n}")
    kind = Agency.Kind.WELFARE_CENTRE
    sector = Agency.Sector.PRIVATE
    rrn_allowed = False


class UserFactory(factory.django.DjangoModelFactory):
    """A user whose password is ``hamkke.testing.PASSWORD``."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"담당자{n}")
    password = factory.django.Password(PASSWORD)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    district = factory.SelfAttribute("agency.district")
    role = Role.WORKER


class CaseTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseType
        django_get_or_create = ("district", "code")

    district = factory.SubFactory(DistrictFactory)
    code = "general"
    name = "일반"


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    dong = factory.SubFactory(DongFactory)
    district = factory.SelfAttribute("dong.district")
    address = factory.Sequence(lambda n: f"시험로 {n + 1}")


class PersonFactory(factory.django.DjangoModelFactory):
    """A person without an RRN (most agencies may not hold one)."""

    class Meta:
        model = Person

    household = factory.SubFactory(HouseholdFactory)
    district = factory.SelfAttribute("household.district")
    name = factory.Sequence(lambda n: f"당사자{n}")
    birth_date = datetime.date(1970, 5, 17)
    sex = Person.Sex.FEMALE


class CaseFactory(factory.django.DjangoModelFactory):
    """A case at identification stage; lead agency and worker default to the household's district."""

    class Meta:
        model = Case

    household = factory.SubFactory(HouseholdFactory)
    district = factory.SelfAttribute("household.district")
    lead_agency = factory.SubFactory(AgencyFactory, district=factory.SelfAttribute("..district"))
    lead_worker = factory.SubFactory(UserFactory)
    opened_on = factory.LazyFunction(timezone.localdate)


class CaseParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseParticipant

    case = factory.SubFactory(CaseFactory)
    district = factory.SelfAttribute("case.district")
    agency = factory.SubFactory(AgencyFactory, district=factory.SelfAttribute("..district"))
    joined_on = factory.LazyFunction(timezone.localdate)


class ConsentFactory(factory.django.DjangoModelFactory):
    """A consent in force, for the case's household head. Pass ``third_party_agencies=[...]``."""

    class Meta:
        model = Consent
        skip_postgeneration_save = True

    case = factory.SubFactory(CaseFactory)
    district = factory.SelfAttribute("case.district")
    person = factory.SubFactory(PersonFactory, household=factory.SelfAttribute("..case.household"))
    required_collection = True
    given_on = factory.LazyFunction(timezone.localdate)
    recorded_by = factory.SelfAttribute("case.lead_worker")

    @factory.post_generation
    def third_party_agencies(self, create, extracted, **kwargs):
        if create and extracted:
            self.third_party_agencies.set(extracted)


# --- The world -------------------------------------------------------------------------------


@dataclass
class Member:
    """One person of the world: the user, their membership (None for ``nobody``) and their actor.

    Log in over HTTP with ``client.login(username=m.username, password=m.password)`` or
    ``m.login(client)``.
    """

    key: str
    user: User
    membership: Membership | None
    actor: Actor = field(repr=False)
    password: str = PASSWORD

    @property
    def username(self) -> str:
        return self.user.username

    @property
    def agency(self) -> Agency | None:
        return self.membership.agency if self.membership else None

    @property
    def role(self) -> str | None:
        return self.membership.role if self.membership else None

    def login(self, client) -> None:
        """Log in over HTTP as a person would: password (through the lockout check), then, for the
        roles that require it, a verified second factor."""
        assert login_verified(client, self.user, self.password), f"log-in failed for {self.key}"


# key -> (agency attribute of the world or None, role, display name). The order is the order of
# ``world.members``. Every Role appears at least once (tests check it).
MEMBERS: dict[str, tuple[str | None, str | None, str]] = {
    "lead_worker": ("lead_agency", Role.WORKER, "김주관"),
    "lead_supervisor": ("lead_agency", Role.SUPERVISOR, "이팀장"),
    "lead_admin": ("lead_agency", Role.AGENCY_ADMIN, "박관리"),
    "participant_worker": ("participating_agency", Role.WORKER, "최참여"),
    "unrelated_worker": ("unrelated_agency", Role.WORKER, "정무관"),
    "district_admin": ("lead_agency", Role.DISTRICT_ADMIN, "강통합"),
    "auditor": ("lead_agency", Role.AUDITOR, "조감사"),
    "b_worker": ("agency_b", Role.WORKER, "윤다른"),
    "b_admin": ("agency_b", Role.DISTRICT_ADMIN, "장다른"),
    "nobody": (None, None, "한소속없음"),
    "platform_admin": (None, None, "서플랫폼"),
}
# Members who are platform administrators (User.is_platform_admin): no membership, no case data.
PLATFORM_ADMINS = frozenset({"platform_admin"})

HEAD_NAME = "홍길순"
HEAD_BIRTH = datetime.date(1958, 3, 15)
HEAD_SEX = Person.Sex.FEMALE
HEAD_RRN = make_rrn(HEAD_BIRTH, HEAD_SEX, serial="23456")
HEAD_PHONE = "010-2345-6789"
CASE_ADDRESS = "서울특별시 중구 퇴계로 100"


def build_world() -> SimpleNamespace:
    """Build the shared world (see ``src/hamkke/conftest.py`` for the full description)."""
    today = timezone.localdate()
    district_a = DistrictFactory(name="중구", code="11140")
    district_b = DistrictFactory(name="성동구", code="11200")
    dongs_a = [DongFactory(district=district_a, name=name) for name in ("소공동", "명동", "필동")]
    dong_b = DongFactory(district=district_b, name="왕십리도선동")
    case_types_a = case_types_ensure_defaults(district=district_a)

    agencies = {
        "lead_agency": AgencyFactory(
            district=district_a,
            name="중구청 희망복지지원단",
            kind=Agency.Kind.DISTRICT_OFFICE,
            sector=Agency.Sector.PUBLIC,
            rrn_allowed=True,
            dong=dongs_a[0],
        ),
        "participating_agency": AgencyFactory(
            district=district_a,
            name="중구종합사회복지관",
            kind=Agency.Kind.WELFARE_CENTRE,
            sector=Agency.Sector.PRIVATE,
            rrn_allowed=False,
            dong=dongs_a[1],
        ),
        "unrelated_agency": AgencyFactory(
            district=district_a,
            name="중구정신건강복지센터",
            kind=Agency.Kind.MENTAL_HEALTH_CENTRE,
            sector=Agency.Sector.PRIVATE,
            rrn_allowed=False,
            dong=dongs_a[2],
        ),
        "agency_b": AgencyFactory(
            district=district_b,
            name="성동구청 희망복지지원단",
            kind=Agency.Kind.DISTRICT_OFFICE,
            sector=Agency.Sector.PUBLIC,
            rrn_allowed=True,
            dong=dong_b,
        ),
    }

    members = {}
    for key, (agency_key, role, display_name) in MEMBERS.items():
        user = UserFactory(username=key, display_name=display_name, is_platform_admin=key in PLATFORM_ADMINS)
        membership = MembershipFactory(user=user, agency=agencies[agency_key], role=role) if agency_key else None
        members[key] = Member(key=key, user=user, membership=membership, actor=actor_for(user))

    lead = members["lead_worker"].actor
    case = case_register(
        actor=lead,
        dong=dongs_a[0],
        address=CASE_ADDRESS,
        address_detail="2층",
        head={"name": HEAD_NAME, "birth_date": HEAD_BIRTH, "sex": HEAD_SEX, "phone": HEAD_PHONE, "rrn": HEAD_RRN},
        summary="저장강박 의심, 지속 방문 필요",
        opened_on=today - datetime.timedelta(days=30),
    )
    household = case.household
    head = household.members.get()
    participant = case_add_participant(
        actor=lead,
        case=case,
        agency=agencies["participating_agency"],
        worker=members["participant_worker"].user,
        role="정서 지원",
        joined_on=today - datetime.timedelta(days=25),
    )
    consent = consent_record(
        actor=lead,
        case=case,
        person=head,
        given_on=today - datetime.timedelta(days=20),
        expires_on=today + datetime.timedelta(days=365),
        required_collection=True,
        third_party_agencies=[agencies["participating_agency"]],
    )
    return SimpleNamespace(
        today=today,
        password=PASSWORD,
        district_a=district_a,
        district_b=district_b,
        dongs_a=dongs_a,
        dong_a=dongs_a[0],
        dong_a2=dongs_a[1],
        dong_b=dong_b,
        case_types_a=case_types_a,
        **agencies,
        agencies=agencies,
        members=members,
        **members,
        case=case,
        household=household,
        head=head,
        head_rrn=HEAD_RRN,
        participant=participant,
        consent=consent,
    )


def login_verified(client, user, password: str) -> bool:
    """client.login with a request (django-axes needs one) and, where the user's role requires
    two-factor authentication, a confirmed TOTP device marked verified in the session."""
    from django.test import RequestFactory
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from hamkke.accounts.twofactor import requires_2fa

    request = RequestFactory().post("/accounts/login/")
    if not client.login(request=request, username=user.get_username(), password=password):
        return False
    if requires_2fa(user):
        device, _created = TOTPDevice.objects.get_or_create(user=user, defaults={"name": "test", "confirmed": True})
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return True
