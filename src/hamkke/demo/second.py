"""The demo's second district, 서울특별시 성동구: small, to show that districts are apart (issue 16 item 6).

Made the way an installation makes one (``districts.platform.district_setup``, as ``manage.py
create_district`` does), then a handful of households written through the same services as the first
district's. Nothing of it is visible from 중구 and nothing of 중구 from it. Idempotent: nothing is
changed once the district has households. Everything invented.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from hamkke.accounts.actor import Actor
from hamkke.accounts.models import Membership, Role, User
from hamkke.cases.services import case_change_stage, case_register
from hamkke.cases.stages import Stage
from hamkke.districts.models import Agency, District, Dong
from hamkke.districts.platform import command_actor, district_setup
from hamkke.people.models import Household
from hamkke.records.models import ContactRecord
from hamkke.records.services import contact_record_add

from . import data

CODE = "11200"
NAME = "서울특별시 성동구"
AGENCIES = (
    ("성동구청 희망복지지원단", Agency.Kind.DISTRICT_OFFICE),
    ("행당1동 주민센터", Agency.Kind.COMMUNITY_CENTRE),
    ("성동종합사회복지관", Agency.Kind.WELFARE_CENTRE),
)
ADMIN = ("seongdong-admin", "한성동")
# username -> (display name, agency index in AGENCIES, role)
ACCOUNTS = {
    "seongdong-worker": ("배서연", 0, Role.WORKER),
    "seongdong-dong-worker": ("양지호", 1, Role.WORKER),
    "seongdong-welfare-worker": ("구민재", 2, Role.WORKER),
}
OUT = ContactRecord.Outcome
K = ContactRecord.Kind
# (worker, dong, address, head (name, birth date, sex), summary, days ago opened, stage reached,
#  contacts: (days ago, kind, outcome, note))
HOUSEHOLDS = (
    (
        "seongdong-worker",
        "행당1동",
        "서울특별시 성동구 행당로 12",
        ("염순자", datetime.date(1941, 4, 2), "F"),
        "이웃 신고: 우편물이 쌓여 있음. 홀로 사는 어르신.",
        40,
        Stage.INITIAL_CONSULTATION,
        ((38, K.HOME_VISIT, OUT.NO_ANSWER, "문이 닫혀 있음. 쪽지를 남김."), (30, K.HOME_VISIT, OUT.MET, "처음 만남.")),
    ),
    (
        "seongdong-worker",
        "왕십리도선동",
        "서울특별시 성동구 왕십리로 210",
        ("탁경수", datetime.date(1966, 9, 19), "M"),
        "실직 후 월세 체납, 건강 악화.",
        25,
        Stage.INITIAL_CONSULTATION,
        ((24, K.PHONE, OUT.MET, "상담 약속을 잡음."),),
    ),
    (
        "seongdong-dong-worker",
        "행당1동",
        "서울특별시 성동구 행당로 87",
        ("길미영", datetime.date(1979, 2, 11), "F"),
        "한부모 가구, 돌봄 공백.",
        18,
        Stage.IDENTIFICATION,
        ((15, K.HOME_VISIT, OUT.MET, "아이 둘과 함께 사는 것을 확인."),),
    ),
    (
        "seongdong-dong-worker",
        "금호1가동",
        "서울특별시 성동구 금호로 45",
        ("봉재훈", datetime.date(1958, 12, 3), "M"),
        "도움을 거절함. 계속 방문 필요.",
        60,
        Stage.REFUSED,
        (
            (58, K.HOME_VISIT, OUT.REFUSED, "문 앞에서 거절."),
            (35, K.HOME_VISIT, OUT.REFUSED, "다시 거절. 건강은 괜찮다고 함."),
            (10, K.PHONE, OUT.NO_ANSWER, "받지 않음."),
        ),
    ),
    (
        "seongdong-welfare-worker",
        "왕십리도선동",
        "서울특별시 성동구 무학로 33",
        ("어정숙", datetime.date(1950, 6, 27), "F"),
        "사회적 고립, 우울감 호소.",
        12,
        Stage.IDENTIFICATION,
        ((9, K.OFFICE, OUT.MET, "복지관 경로식당에서 만남."),),
    ),
)


def _staff(username: str, display_name: str, agency: Agency, role: str) -> Actor:
    user, created = User.objects.get_or_create(username=username, defaults={"display_name": display_name})
    if created:
        user.set_password(data.DEMO_PASSWORD)
        user.save(update_fields=["password"])
    membership, _ = Membership.objects.get_or_create(
        user=user, agency=agency, defaults={"district": agency.district, "role": role}
    )
    return Actor(user=user, membership=membership)


def seed_second_district(*, today: datetime.date) -> District | None:
    """Load 성동구 unless it has households already (then None)."""
    existing = District.objects.filter(code=CODE).first()
    if existing is not None and Household.objects.filter(district=existing).exists():
        return None
    setup = district_setup(
        actor=command_actor(),
        code=CODE,
        name=NAME,
        agencies=list(AGENCIES),
        admin_username=ADMIN[0],
        admin_display_name=ADMIN[1],
        by_command=True,
    )
    district = setup.district
    admin = User.objects.get(username=ADMIN[0])
    admin.set_password(data.DEMO_PASSWORD)  # the demo's one password instead of the printed one
    admin.save(update_fields=["password"])
    agencies = [agency for agency, _created in setup.agencies]
    actors = {
        username: _staff(username, display_name, agencies[index], role)
        for username, (display_name, index, role) in ACCOUNTS.items()
    }
    dongs = {
        name: Dong.objects.get_or_create(district=district, name=name)[0]
        for name in ("행당1동", "왕십리도선동", "금호1가동")
    }
    for worker, dong, address, (name, birth, sex), summary, opened, stage, contacts in HOUSEHOLDS:
        actor = actors[worker]
        opened_on = today - datetime.timedelta(days=opened)
        case = case_register(
            actor=actor,
            dong=dongs[dong],
            address=address,
            head={"name": name, "birth_date": birth, "sex": sex},
            summary=summary,
            opened_on=opened_on,
            duplicate_check=False,
        )
        for days, kind, outcome, note in contacts:
            at = timezone.make_aware(
                datetime.datetime.combine(today - datetime.timedelta(days=days), datetime.time(11))
            )
            contact_record_add(actor=actor, case=case, contacted_at=at, kind=kind, outcome=outcome, note=note)
        if stage != Stage.IDENTIFICATION:
            first_met = min(days for days, *_rest in contacts)
            at = timezone.make_aware(
                datetime.datetime.combine(today - datetime.timedelta(days=first_met), datetime.time(15))
            )
            case_change_stage(actor=actor, case=case, to_stage=stage, reason=summary, occurred_at=at)
    return district
