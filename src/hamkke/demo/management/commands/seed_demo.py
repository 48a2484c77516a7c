"""``python manage.py seed_demo``: load the demo district, 서울특별시 중구.

Every household, person, case, stage change, team member and consent is written through the
same services a worker's click goes through, acting as a real worker of the right agency: so the
demo data is validated and audited like real data, and a rule the services enforce cannot be
broken by the demo. Deterministic (one seeded random generator; dates relative to today), and
idempotent: if the district already has households, nothing is changed.
"""

from __future__ import annotations

import datetime
import random
import time
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from hamkke.accounts.actor import Actor
from hamkke.accounts.models import Membership, Role, User
from hamkke.cases.models import Case, CaseParticipant, CaseType, CrisisLevel, StageChange
from hamkke.cases.services import case_add_participant, case_change_stage, case_register, case_types_ensure_defaults
from hamkke.cases.stages import Stage
from hamkke.consents.models import Consent
from hamkke.consents.services import consent_record, consent_withdraw
from hamkke.core.rrn import CHECK_WEIGHTS
from hamkke.demo import data
from hamkke.districts.models import Agency, District, Dong
from hamkke.people.models import Household, Person
from hamkke.people.services import person_create

S = Stage
GENERIC_CASES = 297  # plus the three reference scenarios: about 300 households, as in Jung-gu's year
PARTICIPATION_RATE = 0.18  # of cases reaching intake; about 15 % of all cases
RRN_SHARE = 0.6  # of persons registered by an agency allowed to process RRNs
DAY = datetime.timedelta(days=1)

# stage -> (next stage or None to stay, weight, (min, max) days until then).
# ``RESUME`` stands for "back to where the case was before it was put on hold".
RESUME = "resume"
FLOW: dict[str, tuple[tuple[str | None, int, tuple[int, int]], ...]] = {
    S.IDENTIFICATION: ((S.INITIAL_CONSULTATION, 86, (2, 10)), (S.REFUSED, 7, (2, 20)),
                       (S.ON_HOLD, 3, (5, 20)), (S.CLOSED, 4, (5, 30))),
    S.INITIAL_CONSULTATION: ((S.INTAKE, 88, (1, 7)), (S.REFUSED, 5, (3, 15)),
                             (S.ON_HOLD, 4, (3, 15)), (S.CLOSED, 3, (5, 20))),
    S.INTAKE: ((S.ASSESSMENT, 72, (3, 12)), (S.LINKAGE, 22, (2, 7)), (S.ON_HOLD, 3, (5, 20)),
               (S.REFUSED, 3, (5, 20))),
    S.ASSESSMENT: ((S.CONFERENCE, 93, (5, 18)), (S.ON_HOLD, 4, (5, 30)), (S.REFUSED, 3, (5, 30))),
    S.CONFERENCE: ((S.SELECTION, 94, (1, 6)), (S.ASSESSMENT, 6, (2, 7))),
    S.SELECTION: ((S.PLANNING, 93, (3, 14)), (S.LINKAGE, 7, (2, 7))),
    S.PLANNING: ((S.DELIVERY, 94, (5, 20)), (S.REFUSED, 3, (5, 20)), (S.ON_HOLD, 3, (5, 20))),
    S.DELIVERY: ((S.REASSESSMENT, 42, (90, 180)), (S.CLOSED, 40, (90, 300)), (S.ON_HOLD, 13, (30, 150)),
                 (S.REFUSED, 5, (30, 150))),
    S.REASSESSMENT: ((S.DELIVERY, 60, (5, 14)), (S.PLANNING, 30, (5, 14)), (S.CLOSED, 10, (5, 20))),
    S.LINKAGE: ((S.CLOSED, 72, (30, 150)), (S.ASSESSMENT, 12, (15, 60)), (S.ON_HOLD, 10, (15, 60)),
                (S.REFUSED, 6, (15, 60))),
    S.REFUSED: ((S.INITIAL_CONSULTATION, 30, (30, 120)), (S.INTAKE, 15, (30, 150)), (S.CLOSED, 15, (90, 200)),
                (None, 40, (0, 0))),
    S.ON_HOLD: ((RESUME, 60, (14, 90)), (S.CLOSED, 20, (30, 120)), (None, 20, (0, 0))),
    S.CLOSED: ((S.FOLLOW_UP, 75, (1, 10)), (None, 25, (0, 0))),
    S.FOLLOW_UP: ((S.INTAKE, 4, (60, 150)), (None, 96, (0, 0))),
}
# Where a case on hold picks up again (only transitions ON_HOLD allows).
RESUME_AT = {
    S.IDENTIFICATION: S.INITIAL_CONSULTATION, S.INITIAL_CONSULTATION: S.INITIAL_CONSULTATION,
    S.INTAKE: S.INTAKE, S.ASSESSMENT: S.ASSESSMENT, S.CONFERENCE: S.ASSESSMENT, S.SELECTION: S.PLANNING,
    S.PLANNING: S.PLANNING, S.DELIVERY: S.DELIVERY, S.LINKAGE: S.LINKAGE,
}
STALL_RATE = 0.1  # a short step that takes two to four times as long: overdue steps to show


@dataclass
class CaseRun:
    """What happens to one generated case while its history is written."""

    case: Case
    lead: Actor
    agency_key: str
    profile: str
    head: Person
    reassessed: int = 0
    refusals: int = 0
    before_hold: str = ""
    consented: bool = False
    case_type: str = ""
    crisis_level: str = ""


class DemoSeeder:
    def __init__(self, *, today: datetime.date, now: datetime.datetime):
        self.rng = random.Random(data.SEED)
        self.today = today
        self.now = now
        self.used_rrns: set[str] = set()
        self.used_staff_names: set[str] = set()
        self.teams = 0  # generated cases with a participating agency so far

    # --- helpers ---------------------------------------------------------------------------
    def weighted(self, options: dict):
        return self.rng.choices(list(options), weights=list(options.values()))[0]

    @staticmethod
    def workday(day: datetime.date) -> datetime.date:
        while day.weekday() >= 5:
            day += DAY
        return day

    def at(self, day: datetime.date) -> datetime.datetime:
        minutes = self.rng.randint(9 * 60 + 30, 17 * 60 + 30)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60)))

    def birth_date(self, age: int) -> datetime.date:
        """A birth date making the person ``age`` (or one year more) today."""
        return datetime.date(self.today.year - age - 1, 1, 1) + datetime.timedelta(days=self.rng.randrange(365))

    def name(self, sex: str, birth_year: int, surname: str | None = None) -> str:
        surname = surname or self.rng.choices(*zip(*data.SURNAMES, strict=True))[0]
        return surname + self.rng.choice(data.GIVEN_NAMES[(sex, data.generation(birth_year))])

    def phone(self, age: int) -> str:
        r = self.rng
        if age < 14 or (age < 18 and r.random() < 0.4):
            return ""
        if age >= 75 and r.random() < 0.45:
            return r.choice(["", f"02-22{r.randint(10, 99)}-{r.randint(0, 9999):04d}"])
        return f"010-{r.randint(2000, 9999)}-{r.randint(0, 9999):04d}"

    def rrn(self, birth: datetime.date, sex: str) -> str:
        """A valid, unused RRN (with its check digit) for this birth date and sex."""
        gender_digit = {(19, "M"): "1", (19, "F"): "2", (20, "M"): "3", (20, "F"): "4"}[(birth.year // 100, sex)]
        while True:
            body = f"{birth:%y%m%d}{gender_digit}{self.rng.randint(0, 99999):05d}"
            total = sum(int(d) * w for d, w in zip(body, CHECK_WEIGHTS, strict=True))
            digits = body + str((11 - total % 11) % 10)
            if digits not in self.used_rrns:
                self.used_rrns.add(digits)
                return f"{digits[:6]}-{digits[6:]}"

    def person(self, *, age: tuple[int, int], sex: str | None = None, surname: str | None = None,
               relation: str = Person.Relation.HEAD, agency_key: str = "") -> dict:
        r = self.rng
        sex = sex or r.choice("FM")
        years = r.randint(*age)
        birth = self.birth_date(years)
        spec = {"name": self.name(sex, birth.year, surname), "birth_date": birth, "sex": sex,
                "phone": self.phone(years), "relation": relation}
        if data.AGENCIES[agency_key]["rrn_allowed"] and r.random() < RRN_SHARE:
            spec["rrn"] = self.rrn(birth, sex)
        return spec

    def address(self, dong: str, profile: str) -> tuple[str, str]:
        r = self.rng
        road = r.choice(data.DONGS[dong][0])
        number = f"{r.randint(1, 320)}" + (f"-{r.randint(1, 30)}" if r.random() < 0.3 else "")
        if r.random() < 0.5:
            road = f"{road}{r.randint(1, 40)}길"
        if profile == "housing":
            detail = r.choice(data.LODGING_DETAILS).format(n=r.randint(1, 30))
        else:
            detail = r.choice(data.ADDRESS_DETAILS)
        return f"{data.ADDRESS_PREFIX} {road} {number}", detail

    # --- district, agencies, staff ---------------------------------------------------------
    def setup(self) -> None:
        self.district, _ = District.objects.get_or_create(code=data.DISTRICT_CODE,
                                                          defaults={"name": data.DISTRICT_NAME})
        self.dongs = {
            name: Dong.objects.get_or_create(district=self.district, name=name)[0] for name in data.DONGS
        }
        self.case_types = {t.code: t for t in case_types_ensure_defaults(district=self.district)}
        self.agencies: dict[str, Agency] = {}
        for key, spec in data.AGENCIES.items():
            fields = {k: spec[k] for k in ("kind", "sector", "rrn_allowed", "phone")}
            self.agencies[key] = Agency.objects.get_or_create(
                district=self.district, name=spec["name"], defaults={**fields, "dong": self.dongs[spec["dong"]]}
            )[0]
        self.actors: dict[str, Actor] = {}
        # agency key -> {actor: weight}: who leads the agency's new cases, demo accounts most often
        self.case_workers: dict[str, dict[Actor, int]] = {key: {} for key in data.AGENCIES}
        for username, (display_name, key, role, title) in data.FIXED_ACCOUNTS.items():
            self.staff(username, display_name, key, role, title, lead_weight=3)
        shared_hash = make_password(data.DEMO_PASSWORD)  # hashing is slow: once for all other staff
        for key, positions in data.STAFF.items():
            for number, (role, title) in enumerate(positions, start=1):
                self.staff(f"{key}-{number}", self.staff_name(), key, role, title,
                           lead_weight=1 if role == Role.SUPERVISOR else 2, password_hash=shared_hash)

    def staff_name(self) -> str:
        while True:
            sex = self.rng.choice("FM")
            name = self.name(sex, self.rng.randint(1968, 1998))
            if name not in self.used_staff_names and name not in {v[0] for v in data.FIXED_ACCOUNTS.values()}:
                self.used_staff_names.add(name)
                return name

    def staff(self, username, display_name, key, role, title, *, lead_weight: int, password_hash: str = "") -> None:
        user, created = User.objects.get_or_create(username=username, defaults={"display_name": display_name})
        if created:
            if password_hash:
                user.password = password_hash
            else:
                user.set_password(data.DEMO_PASSWORD)
            user.save(update_fields=["password"])
        membership, _ = Membership.objects.get_or_create(
            user=user, agency=self.agencies[key],
            defaults={"district": self.district, "role": role, "title": title},
        )
        actor = Actor(user=user, membership=membership)
        self.actors[username] = actor
        if role in (Role.WORKER, Role.SUPERVISOR):
            self.case_workers[key][actor] = lead_weight

    # --- writing a case's history ----------------------------------------------------------
    def register(self, *, lead: Actor, dong: str, address: tuple[str, str], members: list[dict], summary: str,
                 opened_on: datetime.date) -> tuple[Case, Person]:
        head, *others = members
        head = {k: v for k, v in head.items() if k != "relation"}
        case = case_register(actor=lead, dong=self.dongs[dong], address=address[0], address_detail=address[1],
                             head=head, summary=summary, opened_on=opened_on)
        for member in others:
            person_create(actor=lead, household=case.household, **member)
        return case, case.household.members.get(relation=Person.Relation.HEAD)

    def history(self, case: Case, lead: Actor, steps: list[tuple[datetime.date, str, str]]) -> Case:
        """Write a scripted history: (day, stage, reason) in order."""
        for day, stage, reason in steps:
            case = case_change_stage(actor=lead, case=case, to_stage=stage, reason=reason, at=self.at(day))
        return case

    def set_type(self, case: Case, type_code: str, crisis_level: str) -> Case:
        # No service sets the case type and crisis level yet: set them on the model directly.
        case.case_type = self.case_types[type_code]
        case.crisis_level = crisis_level
        case.save(update_fields=["case_type", "crisis_level", "updated_at"])
        return case

    # --- the three reference scenarios (DOMAIN.md §7) --------------------------------------
    def scenarios(self) -> None:
        self.hoarding()
        self.refusal_then_trust()
        self.after_suicide_attempt()

    def hoarding(self) -> None:
        lead = self.actors["district-worker"]
        d = datetime.date
        head = {"name": "고영철", "birth_date": d(1953, 8, 14), "sex": "M", "phone": "",
                "relation": Person.Relation.HEAD, "rrn": self.rrn(d(1953, 8, 14), "M")}
        case, person = self.register(
            lead=lead, dong="중림동", address=(f"{data.ADDRESS_PREFIX} 중림로7길 18", "단독주택"), members=[head],
            opened_on=d(2019, 3, 11),
            summary=(
                "저장강박 가구. 집 안과 마당, 골목까지 폐기물이 쌓여 악취·화재 위험으로 이웃 민원이 잇따름. "
                "당사자는 어떤 도움도 원하지 않음. 2019년부터 희망복지지원단 이하연 사례관리사가 꾸준히 방문, "
                "5년여의 설득 끝에 2024년 2월 주거안심종합센터·중림종합사회복지관·자원봉사자와 함께 집을 청소함. "
                "'장편 드라마' 같은 사례."
            ),
        )
        case = self.history(case, lead, [
            (d(2019, 3, 14), S.REFUSED, "첫 방문. 문을 열지 않고 '필요 없다, 내 물건에 손대지 말라'며 거절. "
                                        "골목까지 폐기물 적치, 악취 민원 3건."),
            (d(2019, 11, 20), S.INITIAL_CONSULTATION, "김장김치 전달 방문에서 처음으로 대문 앞 대화(15분). "
                                                      "혼자 지낸 지 20년, 건강은 괜찮다고 함."),
            (d(2019, 12, 2), S.REFUSED, "집 정리 이야기에 다시 문을 닫음. 물건은 '다 쓸 데가 있다'고 함. "
                                        "월 1~2회 방문 계속."),
            (d(2020, 9, 8), S.INITIAL_CONSULTATION, "코로나19 방역물품 전달. 마스크는 받음. 다리 통증 호소."),
            (d(2020, 10, 5), S.REFUSED, "병원 동행 제안 거절. 강제 처리는 관계를 해칠 우려가 커 "
                                        "방문을 이어 가기로 함."),
            (d(2021, 7, 21), S.INITIAL_CONSULTATION, "폭염 안부 확인. 현관 안에서 대화. 어머니 유품이라 버릴 수 "
                                                     "없다는 물건 이야기를 들음."),
            (d(2021, 8, 10), S.REFUSED, "정리 제안에는 '아직은 아니다'. 방문 자체는 반기기 시작함."),
            (d(2022, 12, 14), S.INITIAL_CONSULTATION, "한파 대비 난방 점검을 처음으로 받아들임."),
            (d(2023, 1, 9), S.REFUSED, "화재 위험을 설명했으나 정리는 거부. '내가 스스로 하겠다'."),
            (d(2023, 10, 17), S.INITIAL_CONSULTATION, "집 안에서 넘어져 팔 골절. 입원 중 면회, 퇴원 후 지금 집에서 "
                                                      "지내기 어렵다는 데 본인도 동의."),
            (d(2023, 11, 6), S.INTAKE, "당사자가 먼저 '집을 좀 치우고 싶다'고 요청. 통합사례관리 접수."),
            (d(2023, 11, 16), S.ASSESSMENT, "욕구 및 위기도 조사: 화재·위생 위험 높음, 골절 후 거동 불편. "
                                            "당사자의 말: '어머니 물건은 남기고 나머지는 정리하고 싶다'."),
            (d(2023, 12, 5), S.CONFERENCE, "민관 통합사례회의: 주거안심종합센터(도배·장판), 중림종합사회복지관"
                                           "(자원봉사자 모집), 희망복지지원단(폐기물 처리)."),
            (d(2023, 12, 8), S.SELECTION, "고난도 사례, 위기도 상."),
            (d(2024, 1, 10), S.PLANNING, "계획 합의: 물건 분류는 당사자가 직접 결정, 2월 대청소, 도배·장판 교체."),
            (d(2024, 2, 19), S.DELIVERY, "대청소(2.19~2.23, 자원봉사자 24명, 폐기물 11톤 반출). "
                                         "어머니 유품 상자 3개는 당사자가 보관."),
            (d(2024, 8, 20), S.REASSESSMENT, "6개월 재사정: 다시 쌓인 물건 없음. 이웃과 텃밭 가꾸기 시작."),
            (d(2024, 9, 3), S.DELIVERY, "방문을 격주로 줄이고 복지관 어르신 텃밭 모임과 연결."),
            (d(2025, 8, 19), S.REASSESSMENT, "정기 재사정: 1년 넘게 재적치 없음."),
            (d(2025, 9, 2), S.DELIVERY, "월 1회 안부 방문으로 점검 계속, 종결 준비."),
        ])
        self.set_type(case, "high_complexity", CrisisLevel.HIGH)
        housing, welfare = self.agencies["housing"], self.agencies["wc-junglim"]
        consent_record(actor=lead, case=case, person=person, given_on=d(2023, 11, 6), required_collection=True,
                       optional_items=["연락처", "건강 상태"], third_party_agencies=[housing, welfare],
                       sensitive_data=True)
        case_add_participant(actor=lead, case=case, agency=housing, worker=self.actors["housing-worker"].user,
                             role="주거환경 개선(도배·장판)", joined_on=d(2023, 12, 5))
        case_add_participant(actor=lead, case=case, agency=welfare, worker=self.actors["welfare-worker"].user,
                             role="대청소 자원봉사자 모집·정리 지원", joined_on=d(2023, 12, 5))

    def refusal_then_trust(self) -> None:
        lead = self.actors["welfare-worker"]
        d = datetime.date
        head = {"name": "최동석", "birth_date": d(1966, 5, 2), "sex": "M", "phone": "010-4821-3390",
                "relation": Person.Relation.HEAD}
        case, person = self.register(
            lead=lead, dong="중림동", address=(f"{data.ADDRESS_PREFIX} 만리재로 47-3", "2층 쪽방 5호"), members=[head],
            opened_on=d(2024, 5, 13),
            summary=(
                "통장 제보: 50대 후반 1인 가구, 당뇨 악화로 발에 상처가 있으나 병원에 가지 않고 외출도 거의 안 함. "
                "도움을 계속 거부. 노지은 팀장이 1년 반 동안 40여 차례 찾아가 문을 두드린 끝에 당사자가 먼저 "
                "도움을 요청함."
            ),
        )
        case = self.history(case, lead, [
            (d(2024, 5, 16), S.REFUSED, "방문 1회차: 문 너머로 '도움 필요 없다'. 명함과 복지관 소식지를 문틈에 남김."),
            (d(2024, 7, 2), S.INITIAL_CONSULTATION, "방문 9회차: 폭염 생수 전달 때 처음 문을 열고 5분 대화."),
            (d(2024, 7, 9), S.REFUSED, "방문 10회차: 병원 이야기에 '나라 신세 지기 싫다'며 거절. "
                                       "억지로 권하지 않고 안부 방문만 이어 가기로 팀 회의에서 정함."),
            (d(2024, 12, 16), S.INITIAL_CONSULTATION, "방문 21회차: 김장 나눔 김치를 받음. 고향 이야기를 오래 나눔."),
            (d(2025, 1, 6), S.REFUSED, "방문 23회차: 기초생활수급 신청 안내는 거절. 안부 방문은 와도 된다고 함."),
            (d(2025, 11, 10), S.INTAKE, "방문 41회차 다음 날 당사자가 먼저 복지관에 전화: '발이 너무 아픈데 병원에 "
                                        "같이 가 줄 수 있느냐'. 통합사례관리 접수."),
            (d(2025, 11, 20), S.ASSESSMENT, "욕구 조사: 당사자 욕구 '걸어서 시장에 다시 가고 싶다'."),
            (d(2025, 12, 2), S.CONFERENCE, "사례회의: 중림동 주민센터(수급 신청), 복지관(병원 동행·식사 모임)."),
            (d(2025, 12, 4), S.SELECTION, "일반 사례, 위기도 중."),
            (d(2025, 12, 18), S.PLANNING, "계획 합의: 병원 동행은 처음 세 번만, "
                                          "수급 신청은 본인이 직접 주민센터 방문."),
            (d(2026, 1, 8), S.DELIVERY, "서비스 제공 시작. 복지관 식사 모임에 처음 참석."),
        ])
        self.set_type(case, "general", CrisisLevel.MEDIUM)
        centre = self.agencies["cc-junglim"]
        consent_record(actor=lead, case=case, person=person, given_on=d(2025, 11, 10), required_collection=True,
                       optional_items=["연락처", "소득·재산"], third_party_agencies=[centre])
        case_add_participant(actor=lead, case=case, agency=centre, worker=self.actors["cc-junglim-2"].user,
                             role="기초생활수급 신청·긴급복지", joined_on=d(2025, 12, 2))

    def after_suicide_attempt(self) -> None:
        lead = self.actors["mental-health-worker"]
        opened_on = self.workday(self.today - datetime.timedelta(days=170))
        members = [
            {"name": "한소영", "birth_date": datetime.date(1991, 4, 23), "sex": "F", "phone": "010-7734-2051",
             "relation": Person.Relation.HEAD},
            {"name": "송미숙", "birth_date": datetime.date(1963, 10, 5), "sex": "F", "phone": "010-5512-8870",
             "relation": Person.Relation.PARENT},
        ]
        case, person = self.register(
            lead=lead, dong="신당동", address=(f"{data.ADDRESS_PREFIX} 다산로32길 25", "3층 302호"), members=members,
            opened_on=opened_on,
            summary=(
                "자살 시도 후 응급실 퇴원, 병원 연계로 의뢰. 실직과 고립감이 겹침. 꾸준한 대화로 '맞춤 인테리어'처럼 "
                "계획을 세움: 정신재활시설의 바리스타 교육 과정 수강, 면접 준비, 취업까지 함께하기로 함."
            ),
        )
        steps, day = [], opened_on
        for gap, stage, reason in [
            (1, S.INITIAL_CONSULTATION, "퇴원 다음 날 가정방문. 어머니 동석."),
            (3, S.INTAKE, "당사자 동의로 접수. 민감정보 처리 별도 동의."),
            (7, S.ASSESSMENT, "자살위험성 평가: 고위험. 하고 싶은 일을 물으니 '커피 내리는 일'."),
            (6, S.CONFERENCE, "사례회의: 신당동 주민센터(긴급복지 생계지원), 정신재활시설(바리스타 과정)."),
            (2, S.SELECTION, "고난도 사례, 위기도 상."),
            (7, S.PLANNING, "당사자와 함께 계획: 주 1회 상담, 바리스타 교육 12주, 면접 준비."),
            (8, S.DELIVERY, "서비스 제공 시작: 바리스타 과정 등록, 주 1회 상담."),
        ]:
            day = self.workday(day + datetime.timedelta(days=gap))
            steps.append((day, stage, reason))
        case = self.history(case, lead, steps)
        self.set_type(case, "high_complexity", CrisisLevel.HIGH)
        centre = self.agencies["cc-sindang"]
        consent_record(actor=lead, case=case, person=person, given_on=steps[1][0], required_collection=True,
                       optional_items=["연락처", "가족관계", "건강 상태"], third_party_agencies=[centre],
                       sensitive_data=True)
        case_add_participant(actor=lead, case=case, agency=centre, worker=self.actors["dong-worker"].user,
                             role="긴급복지 생계지원", joined_on=steps[3][0])

    # --- the year's cases ------------------------------------------------------------------
    def age(self, spec: dict) -> int:
        return self.today.year - spec["birth_date"].year

    def members(self, profile: str, key: str) -> list[dict]:
        r, R = self.rng, Person.Relation
        person = self.person

        def children(parent_age: int, low: int, high: int, count: int, relation=R.CHILD, surname=None):
            # born when the parent was at least 20 (22 for an adult child with a disability)
            high = min(high, parent_age - 20)
            return [person(age=(min(low, high), high), surname=surname, relation=relation, agency_key=key)
                    for _ in range(count)]

        if profile == "elderly_alone":
            return [person(age=(68, 92), sex=r.choices("FM", [65, 35])[0], agency_key=key)]
        if profile == "elderly_couple":
            husband = person(age=(70, 90), sex="M", agency_key=key)
            wife = person(age=(66, 86), sex="F", relation=R.SPOUSE, agency_key=key)
            return [husband, wife] if r.random() < 0.7 else [{**wife, "relation": R.HEAD},
                                                             {**husband, "relation": R.SPOUSE}]
        if profile in ("middle_alone", "housing"):
            return [person(age=(42, 74), sex=r.choices("MF", [78, 22])[0], agency_key=key)]
        if profile == "youth_alone":
            return [person(age=(20, 34), agency_key=key)]
        if profile == "single_parent":
            parent = person(age=(30, 48), sex=r.choices("FM", [80, 20])[0], agency_key=key)
            surname = parent["name"][0] if parent["sex"] == "M" or r.random() < 0.3 else None
            return [parent, *children(self.age(parent), 3, 17, r.randint(1, 2), surname=surname)]
        if profile == "grandparent":
            head = person(age=(62, 82), sex=r.choices("FM", [75, 25])[0], agency_key=key)
            return [head, *children(self.age(head), 6, 16, r.randint(1, 2), relation=R.GRANDCHILD)]
        if profile == "disability":
            head = person(age=(62, 84), sex=r.choices("FM", [75, 25])[0], agency_key=key)
            return [head, *children(self.age(head) - 2, 28, 52, 1)]
        if profile == "family_crisis":
            head = person(age=(38, 56), sex="M", agency_key=key)
            spouse = person(age=(35, 52), sex="F", relation=R.SPOUSE, agency_key=key)
            younger = min(self.age(head), self.age(spouse))
            return [head, spouse, *children(younger, 2, 18, r.randint(0, 2), surname=head["name"][0])]
        # mental health: alone, or with a parent
        head = person(age=(22, 58), agency_key=key)
        if r.random() < 0.4:
            parent_age = min(90, self.age(head) + r.randint(25, 32))
            return [head, person(age=(parent_age, parent_age), relation=R.PARENT, agency_key=key)]
        return [head]

    def generic_case(self) -> None:
        r = self.rng
        key = self.weighted({k: spec["weight"] for k, spec in data.AGENCIES.items()})
        dong = self.weighted({name: data.DONGS[name][1] for name in data.AGENCIES[key]["covers"]})
        profile = self.weighted(data.PROFILE_BIAS.get(key) or {k: p["weight"] for k, p in data.PROFILES.items()})
        lead = self.weighted(self.case_workers[key])
        # At most two days' shift to a Monday: every case opened before today.
        opened_on = self.workday(self.today - datetime.timedelta(days=r.randint(3, 365)))
        case, head = self.register(lead=lead, dong=dong, address=self.address(dong, profile),
                                   members=self.members(profile, key),
                                   summary=r.choice(data.PROFILES[profile]["summaries"]), opened_on=opened_on)
        run = CaseRun(case=case, lead=lead, agency_key=key, profile=profile, head=head)
        self.walk(run)
        if run.case_type:
            self.set_type(run.case, run.case_type, run.crisis_level)

    def next_step(self, stage: str, run: CaseRun) -> tuple[str, int, str] | None:
        r = self.rng
        options = FLOW[stage]
        target, _, (low, high) = r.choices(options, weights=[o[1] for o in options])[0]
        if target == RESUME:
            target = RESUME_AT[run.before_hold]
        if target == S.REASSESSMENT and run.reassessed >= 2:
            target = S.CLOSED
        if target == S.INITIAL_CONSULTATION and stage == S.REFUSED and run.refusals >= 3:
            target = None
        if target is None:
            return None
        gap = r.randint(low, high)
        if high <= 20 and r.random() < STALL_RATE:
            gap *= r.randint(2, 4)
        return target, gap, self.reason(stage, target)

    def reason(self, from_stage: str, to_stage: str) -> str:
        r = self.rng
        if to_stage == S.REFUSED:
            return r.choice(data.REFUSED_REASONS)
        if to_stage == S.ON_HOLD:
            return r.choice(data.ON_HOLD_REASONS)
        if to_stage == S.CLOSED:
            done = from_stage in (S.DELIVERY, S.REASSESSMENT, S.LINKAGE) and r.random() < 0.75
            return r.choice(data.CLOSE_REASONS_DONE if done else data.CLOSE_REASONS_OTHER)
        if to_stage == S.INTAKE and from_stage == S.REFUSED:
            return "계속 찾아간 끝에 당사자가 도움을 요청함. 접수."
        if to_stage == S.INTAKE and from_stage in (S.CLOSED, S.FOLLOW_UP):
            return "재의뢰로 사례 재개(이전 기록 유지)."
        return r.choice(data.NOTES.get(to_stage, ("",)))

    @staticmethod
    def closure_reason(reason: str) -> str:
        """The closure-reason code that matches the reason text written for the closing."""
        if reason in data.CLOSE_REASONS_DONE:
            return "goals_achieved"
        for word, code in (("전출", "moved"), ("이사", "moved"), ("사망", "died"), ("거부", "refused"),
                           ("중단", "refused"), ("철회", "refused"), ("이관", "transferred"),
                           ("동일 서비스", "duplicate_service"), ("두절", "no_contact")):
            if word in reason:
                return code
        return "other"

    def walk(self, run: CaseRun) -> None:
        """Move the case forward through allowed transitions until today."""
        r = self.rng
        stage, day = S.IDENTIFICATION, run.case.opened_on
        colleagues = [a for a in self.case_workers[run.agency_key] if a is not run.lead]
        while (step := self.next_step(stage, run)) is not None:
            to_stage, gap, reason = step
            day = self.workday(day + datetime.timedelta(days=gap))
            at = self.at(day)
            if at > self.now:
                break
            # Colleagues of the lead agency cover holidays and visits.
            actor = r.choice(colleagues) if colleagues and r.random() < 0.1 else run.lead
            if to_stage == S.ON_HOLD:
                run.before_hold = stage
            closure = self.closure_reason(reason) if to_stage == S.CLOSED else ""
            run.case = case_change_stage(actor=actor, case=run.case, to_stage=to_stage, reason=reason, at=at,
                                         closure_reason=closure)
            run.refusals += to_stage == S.REFUSED
            run.reassessed += to_stage == S.REASSESSMENT
            if to_stage == S.INTAKE and not run.consented:
                self.consent_and_team(run, day)
            elif to_stage == S.SELECTION and not run.case_type:
                high = r.random() < data.PROFILES[run.profile]["high"]
                run.case_type = "high_complexity" if high else "general"
                run.crisis_level = self.weighted(
                    {CrisisLevel.HIGH: 80, CrisisLevel.MEDIUM: 20} if high
                    else {CrisisLevel.HIGH: 10, CrisisLevel.MEDIUM: 50, CrisisLevel.LOW: 40}
                )
            elif to_stage == S.LINKAGE and run.case_type != "referral":
                run.case_type = "referral"
                run.crisis_level = self.weighted({CrisisLevel.MEDIUM: 30, CrisisLevel.LOW: 70})
            stage = to_stage

    def partner_for(self, run: CaseRun) -> str:
        dong = run.case.household.dong.name
        centre = next((k for k, s in data.AGENCIES.items()
                       if s["kind"] == Agency.Kind.COMMUNITY_CENTRE and dong in s["covers"]), None)
        welfare = next((k for k, s in data.AGENCIES.items()
                        if s["kind"] == Agency.Kind.WELFARE_CENTRE and dong in s["covers"]), None)
        options = {centre: 30, welfare: 30, "mental": 15, "housing": 15, "district": 10}
        return self.weighted({k: w for k, w in options.items() if k and k != run.agency_key})

    def consent_and_team(self, run: CaseRun, day: datetime.date) -> None:
        """At intake the person consents; some cases also bring another agency into the team."""
        r = self.rng
        run.consented = True
        partner_key = self.partner_for(run) if r.random() < PARTICIPATION_RATE else None
        age_days = (self.today - day).days
        mode = "none"
        if partner_key:
            # Every eighth team loses access by a withdrawn or an expired consent: a few, never none.
            self.teams += 1
            mode = {3: "withdrawn", 6: "expired"}.get(self.teams % 8) or self.weighted(
                {"agency": 60, "network": 30, "unnamed": 10})
            if (mode == "expired" and age_days < 100) or (mode == "withdrawn" and age_days < 30):
                mode = "agency"
        partner = self.agencies[partner_key] if partner_key else None
        expires_on = None
        if mode == "expired":
            expires_on = day + datetime.timedelta(days=r.randint(60, min(365, age_days - 1)))
        consent = consent_record(
            actor=run.lead, case=run.case, person=run.head, given_on=day, required_collection=True,
            expires_on=expires_on, optional_items=r.sample(data.OPTIONAL_CONSENT_ITEMS, k=r.randint(0, 3)),
            share_with_district_network=mode == "network",
            third_party_agencies=[partner] if mode in ("agency", "withdrawn", "expired") else [],
            sensitive_data=data.PROFILES[run.profile]["sensitive"] and r.random() < 0.8,
        )
        if mode == "withdrawn":
            consent_withdraw(actor=run.lead, consent=consent,
                             on=day + datetime.timedelta(days=r.randint(20, age_days - 1)))
        if partner:
            workers = list(self.case_workers[partner_key])
            case_add_participant(
                actor=run.lead, case=run.case, agency=partner,
                worker=r.choice(workers).user if workers and r.random() < 0.7 else None,
                role=r.choice(data.PARTICIPANT_ROLES[partner.kind]),
                joined_on=min(self.today, day + datetime.timedelta(days=r.randint(0, 14))),
            )

    def run(self) -> District:
        self.setup()
        self.scenarios()
        for _ in range(GENERIC_CASES):
            self.generic_case()
        return self.district


def district_counts(district: District) -> dict[str, int]:
    return {
        "agencies": Agency.objects.filter(district=district).count(),
        "users": User.objects.filter(memberships__district=district).distinct().count(),
        "households": Household.objects.filter(district=district).count(),
        "persons": Person.objects.filter(district=district).count(),
        "cases": Case.objects.filter(district=district).count(),
        "stage_changes": StageChange.objects.filter(district=district).count(),
        "participants": CaseParticipant.objects.filter(district=district).count(),
        "consents": Consent.objects.filter(district=district).count(),
        "case_types": CaseType.objects.filter(district=district).count(),
    }


class Command(BaseCommand):
    help = "데모 지역(서울특별시 중구)을 불러옵니다. Load the demo district (Seoul Jung-gu); does nothing if it exists."

    def handle(self, *args, **options):
        started = time.monotonic()
        district = District.objects.filter(code=data.DISTRICT_CODE).first()
        if district and Household.objects.filter(district=district).exists():
            self.stdout.write(f"데모 지역({district.name})이 이미 있어 바꾸지 않았습니다. "
                              "The demo district already exists; nothing changed.")
        else:
            with transaction.atomic():
                district = DemoSeeder(today=timezone.localdate(), now=timezone.now()).run()
            self.stdout.write(self.style.SUCCESS(
                f"데모 지역({district.name})을 만들었습니다. Demo district created "
                f"in {time.monotonic() - started:.1f} s."
            ))
        counts = district_counts(district)
        self.stdout.write(
            "기관 {agencies} agencies · 사용자 {users} users · 가구 {households} households · "
            "당사자 {persons} persons · 사례 {cases} cases · 단계 변경 {stage_changes} stage changes · "
            "참여 기관 {participants} participants · 동의 {consents} consents".format(**counts)
        )
        self.stdout.write("데모 계정 Demo accounts (password {}): {}".format(
            data.DEMO_PASSWORD, ", ".join(data.FIXED_ACCOUNTS)))
