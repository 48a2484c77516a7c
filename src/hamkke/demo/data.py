"""Static material for the demo district (서울특별시 중구): dongs, agencies, staff, names, texts.

Everything here is invented for the demo except the public facts it leans on: the district's
code and its administrative dongs, the kinds of agencies in its case-management network, and the
three practitioners and their cases reported in the news (DOMAIN.md §7, seeds/).
"""

from __future__ import annotations

from hamkke.accounts.models import Role
from hamkke.core.domains import LifeDomain
from hamkke.districts.models import Agency
from hamkke.resources.models import Resource

DISTRICT_CODE = "11140"
DISTRICT_NAME = "서울특별시 중구"
ADDRESS_PREFIX = "서울특별시 중구"
DEMO_PASSWORD = "hamkke-demo-2026"
SEED = 2026

# 행정동 -> (road names used for addresses, relative weight of households found there).
DONGS: dict[str, tuple[tuple[str, ...], int]] = {
    "소공동": (("세종대로", "소공로", "남대문로"), 2),
    "회현동": (("퇴계로", "소월로", "소파로"), 7),
    "명동": (("명동길", "삼일대로", "퇴계로"), 2),
    "필동": (("필동로", "서애로", "퇴계로"), 4),
    "장충동": (("장충단로", "동호로", "퇴계로"), 4),
    "광희동": (("마른내로", "퇴계로", "을지로"), 5),
    "을지로동": (("을지로", "충무로", "수표로"), 3),
    "신당동": (("다산로", "퇴계로", "동호로"), 11),
    "다산동": (("다산로", "동호로", "다산성곽길"), 9),
    "약수동": (("다산로", "동호로", "청구로"), 8),
    "청구동": (("청구로", "다산로", "동호로"), 9),
    "신당5동": (("퇴계로", "다산로", "난계로"), 8),
    "동화동": (("동호로", "다산로", "퇴계로"), 6),
    "황학동": (("마장로", "난계로", "청계천로"), 9),
    "중림동": (("중림로", "만리재로", "서소문로"), 10),
}

# Agencies: key -> spec. ``covers`` are the dongs whose households the agency usually takes on
# (a community centre only its own dong); ``weight`` is its share of the year's new cases.
K = Agency.Kind
PUBLIC, PRIVATE = Agency.Sector.PUBLIC, Agency.Sector.PRIVATE
AGENCIES: dict[str, dict] = {
    "district": {
        "name": "중구청 희망복지지원단", "kind": K.DISTRICT_OFFICE, "sector": PUBLIC, "dong": "신당동",
        "rrn_allowed": True, "phone": "02-3396-4611", "covers": tuple(DONGS), "weight": 12,
    },
    "cc-sindang": {
        "name": "신당동 주민센터", "kind": K.COMMUNITY_CENTRE, "sector": PUBLIC, "dong": "신당동",
        "rrn_allowed": True, "phone": "02-3396-8311", "covers": ("신당동",), "weight": 9,
    },
    "cc-junglim": {
        "name": "중림동 주민센터", "kind": K.COMMUNITY_CENTRE, "sector": PUBLIC, "dong": "중림동",
        "rrn_allowed": True, "phone": "02-3396-8511", "covers": ("중림동",), "weight": 8,
    },
    "cc-hwanghak": {
        "name": "황학동 주민센터", "kind": K.COMMUNITY_CENTRE, "sector": PUBLIC, "dong": "황학동",
        "rrn_allowed": True, "phone": "02-3396-8411", "covers": ("황학동",), "weight": 7,
    },
    "cc-dasan": {
        "name": "다산동 주민센터", "kind": K.COMMUNITY_CENTRE, "sector": PUBLIC, "dong": "다산동",
        "rrn_allowed": True, "phone": "02-3396-8341", "covers": ("다산동",), "weight": 7,
    },
    "cc-cheonggu": {
        "name": "청구동 주민센터", "kind": K.COMMUNITY_CENTRE, "sector": PUBLIC, "dong": "청구동",
        "rrn_allowed": True, "phone": "02-3396-8371", "covers": ("청구동",), "weight": 7,
    },
    "cc-hoehyeon": {
        "name": "회현동 주민센터", "kind": K.COMMUNITY_CENTRE, "sector": PUBLIC, "dong": "회현동",
        "rrn_allowed": True, "phone": "02-3396-8211", "covers": ("회현동",), "weight": 6,
    },
    "wc-junglim": {
        "name": "중림종합사회복지관", "kind": K.WELFARE_CENTRE, "sector": PRIVATE, "dong": "중림동",
        "rrn_allowed": False, "phone": "02-362-7000", "covers": ("중림동", "회현동", "소공동", "명동"),
        "weight": 11,
    },
    "wc-sindang": {
        "name": "신당종합사회복지관", "kind": K.WELFARE_CENTRE, "sector": PRIVATE, "dong": "신당5동",
        "rrn_allowed": False, "phone": "02-2231-1400", "covers": ("신당5동", "동화동", "황학동", "신당동", "광희동"),
        "weight": 9,
    },
    "wc-yaksu": {
        "name": "약수종합사회복지관", "kind": K.WELFARE_CENTRE, "sector": PRIVATE, "dong": "약수동",
        "rrn_allowed": False, "phone": "02-2238-0700", "covers": ("약수동", "다산동", "청구동", "장충동", "필동"),
        "weight": 8,
    },
    # Commissioned by the district but without its own statutory basis for RRNs: the rule shows.
    "mental": {
        "name": "중구정신건강복지센터", "kind": K.MENTAL_HEALTH_CENTRE, "sector": PUBLIC, "dong": "신당동",
        "rrn_allowed": False, "phone": "02-2236-6606", "covers": tuple(DONGS), "weight": 8,
    },
    "housing": {
        "name": "중구주거안심종합센터", "kind": K.HOUSING_CENTRE, "sector": PUBLIC, "dong": "을지로동",
        "rrn_allowed": False, "phone": "02-3396-5940", "covers": tuple(DONGS), "weight": 7,
    },
}

# The fixed demo accounts (password DEMO_PASSWORD): username -> (display name, agency, role, title).
FIXED_ACCOUNTS: dict[str, tuple[str, str, str, str]] = {
    "district-admin": ("박정민", "district", Role.DISTRICT_ADMIN, "희망복지지원단장"),
    "district-worker": ("이하연", "district", Role.WORKER, "통합사례관리사"),
    "dong-worker": ("정다은", "cc-sindang", Role.WORKER, "맞춤형복지 주무관"),
    "welfare-worker": ("노지은", "wc-junglim", Role.SUPERVISOR, "팀장"),
    "mental-health-worker": ("오화영", "mental", Role.WORKER, "상임팀장"),
    "housing-worker": ("서민호", "housing", Role.WORKER, "주거코디네이터"),
    "auditor": ("김도윤", "district", Role.AUDITOR, "개인정보 보호 담당"),
}

# Further staff per agency: (role, title) for each; names are drawn from the name lists. Every agency
# has a team leader (SUPERVISOR) who approves (결재) its workers' classifications, plans and closures;
# these team leaders do not lead the generated cases themselves (nobody approves their own request).
STAFF: dict[str, tuple[tuple[str, str], ...]] = {
    "district": ((Role.SUPERVISOR, "통합사례관리 팀장"), (Role.WORKER, "통합사례관리사"),
                 (Role.WORKER, "통합사례관리사"), (Role.WORKER, "주무관")),
    "cc-sindang": ((Role.SUPERVISOR, "맞춤형복지팀장"), (Role.WORKER, "주무관")),
    "cc-junglim": ((Role.SUPERVISOR, "맞춤형복지팀장"), (Role.WORKER, "주무관")),
    "cc-hwanghak": ((Role.WORKER, "주무관"), (Role.WORKER, "방문간호사"), (Role.SUPERVISOR, "맞춤형복지팀장")),
    "cc-dasan": ((Role.WORKER, "주무관"), (Role.WORKER, "주무관"), (Role.SUPERVISOR, "맞춤형복지팀장")),
    "cc-cheonggu": ((Role.WORKER, "주무관"), (Role.WORKER, "주무관"), (Role.SUPERVISOR, "맞춤형복지팀장")),
    "cc-hoehyeon": ((Role.WORKER, "주무관"), (Role.WORKER, "주무관"), (Role.SUPERVISOR, "맞춤형복지팀장")),
    # The team leader 노지은 (welfare-worker) leads cases herself: the 부장 approves what she submits.
    "wc-junglim": ((Role.AGENCY_ADMIN, "관장"), (Role.WORKER, "사회복지사"), (Role.WORKER, "사회복지사"),
                   (Role.SUPERVISOR, "사례관리부장")),
    "wc-sindang": ((Role.AGENCY_ADMIN, "관장"), (Role.SUPERVISOR, "사례관리팀장"),
                   (Role.WORKER, "사회복지사"), (Role.WORKER, "사회복지사")),
    "wc-yaksu": ((Role.SUPERVISOR, "사례관리팀장"), (Role.WORKER, "사회복지사"), (Role.WORKER, "사회복지사")),
    "mental": ((Role.WORKER, "정신건강전문요원"), (Role.WORKER, "정신건강전문요원"), (Role.SUPERVISOR, "센터장")),
    "housing": ((Role.WORKER, "주거코디네이터"), (Role.SUPERVISOR, "센터장")),
}

# --- Names ---------------------------------------------------------------------------------
# Surnames with rough shares (per mille) of the population.
SURNAMES: tuple[tuple[str, int], ...] = (
    ("김", 215), ("이", 147), ("박", 84), ("최", 47), ("정", 43), ("강", 24), ("조", 21), ("윤", 21),
    ("장", 20), ("임", 17), ("한", 15), ("오", 15), ("서", 15), ("신", 15), ("권", 14), ("황", 14),
    ("안", 13), ("송", 13), ("전", 11), ("홍", 11), ("유", 11), ("고", 9), ("문", 9), ("양", 8),
    ("손", 8), ("배", 8), ("백", 7), ("허", 6), ("노", 5), ("남", 5), ("심", 5), ("하", 4), ("곽", 4),
    ("성", 4), ("차", 4), ("주", 4), ("우", 4), ("구", 4), ("민", 3), ("진", 3),
)

# Given names by sex and generation (the birth year decides which list is used).
GIVEN_NAMES: dict[tuple[str, str], tuple[str, ...]] = {
    ("M", "old"): ("영수", "영철", "영호", "정호", "상철", "종수", "만수", "병철", "광수", "용수", "덕수",
                   "창수", "봉수", "남수", "길수", "재석", "기철", "춘식", "동춘", "영길"),
    ("F", "old"): ("순자", "영자", "정숙", "영숙", "옥순", "말순", "춘자", "복순", "정자", "명자", "경자",
                   "순희", "옥자", "영희", "금순", "점순", "귀순", "봉순", "숙자", "분례"),
    ("M", "mid"): ("성호", "재훈", "동현", "준호", "상훈", "성민", "정훈", "영민", "현철", "민수", "승현",
                   "병준", "태호", "진우", "대성", "경호", "성진", "종민", "창민", "동석"),
    ("F", "mid"): ("미경", "은주", "지영", "현주", "선영", "미영", "은정", "혜진", "수진", "정미", "경희",
                   "미숙", "영미", "은희", "미정", "지현", "수정", "혜경", "선희", "윤정"),
    ("M", "young"): ("민준", "지훈", "현우", "준혁", "승민", "동욱", "성현", "재현", "우진", "태민", "민혁",
                     "건우", "준영", "상우", "진호", "도현", "민재", "승우", "영훈", "준서"),
    ("F", "young"): ("지은", "수빈", "서연", "민지", "유진", "지혜", "은비", "소영", "하늘", "다은", "예진",
                     "수연", "지수", "혜린", "가영", "나연", "보람", "슬기", "아름", "지원"),
    ("M", "child"): ("시우", "하준", "도윤", "서준", "예준", "주원", "지호", "은우", "이준", "유준", "선우",
                     "우주", "로운", "시윤", "건호"),
    ("F", "child"): ("서윤", "하은", "지우", "서아", "하윤", "지아", "수아", "아린", "채원", "윤서", "예린",
                     "소율", "다인", "시아", "나은"),
}


def generation(birth_year: int) -> str:
    if birth_year < 1960:
        return "old"
    if birth_year < 1985:
        return "mid"
    if birth_year < 2005:
        return "young"
    return "child"


ADDRESS_DETAILS = ("", "", "", "2층", "3층", "지하 1층", "반지하", "옥탑", "101호", "202호", "302호",
                   "103동 704호", "101동 1203호", "105동 302호", "2층 201호")
LODGING_DETAILS = ("쪽방 {n}호", "고시원 {n}호", "여인숙 {n}호")

# --- Household profiles ------------------------------------------------------------------------
# key -> how members are drawn (see the command), which agencies usually take such a household,
# how likely it is to be judged high-complexity, and the summaries a worker might write.
PROFILES: dict[str, dict] = {
    "elderly_alone": {
        "weight": 22, "high": 0.10, "sensitive": False,
        "summaries": (
            "독거 어르신. 무릎 관절 악화로 거동이 불편하고 식사를 거르는 날이 많음. 이웃이 2주째 보이지 않는다고 제보.",
            "홀로 사는 어르신. 최근 기억력 저하(치매 의심)로 가스불을 켜 둔 채 외출한 일이 두 차례 있음.",
            "독거 어르신. 기초연금 외 소득 없음, 겨울철 난방비 부담으로 전기장판만 사용. 고독사 위험군.",
            "자녀와 연락이 끊긴 독거 어르신. 낙상 후 외출을 꺼리며 우울감 호소.",
            "독거 어르신. 복지 등기 우편 반송으로 발굴. 병원 진료를 오래 미뤄 왔음.",
        ),
    },
    "elderly_couple": {
        "weight": 10, "high": 0.10, "sensitive": True,
        "summaries": (
            "노부부 가구. 아내의 치매 진단 후 남편이 혼자 돌봄, 남편도 고혈압·당뇨로 체력 한계.",
            "노부부 가구. 남편 뇌경색 후 편마비, 아내가 간병하며 생활비 부족. 장기요양등급 신청 필요.",
            "고령 부부. 월세 인상으로 주거 불안, 공과금 체납(위기가구 발굴 시스템 통보).",
        ),
    },
    "middle_alone": {
        "weight": 16, "high": 0.20, "sensitive": False,
        "summaries": (
            "중장년 1인 가구. 실직 후 월세 3개월 체납, 단전 예고 통보(위기가구 발굴 시스템).",
            "50대 1인 가구. 건설 일용직을 하다 허리 부상으로 일을 못 함. 건강보험료 체납.",
            "중장년 1인 가구. 알코올 문제로 이웃과 잦은 마찰, 고독사 위험군으로 통장 제보.",
            "이혼 후 혼자 사는 40대. 채무 독촉으로 연락을 피하며 끼니를 거름.",
        ),
    },
    "youth_alone": {
        "weight": 6, "high": 0.15, "sensitive": True,
        "summaries": (
            "고립·은둔 청년. 1년 넘게 외출하지 않고 지냄, 멀리 사는 어머니가 상담 요청.",
            "청년 1인 가구. 자립준비청년(보호종료 2년 차), 실직 후 생활비와 월세 부담.",
            "20대 청년. 취업 실패 후 우울감, 배달 일로 생계 유지하나 수입이 불규칙함.",
        ),
    },
    "single_parent": {
        "weight": 12, "high": 0.10, "sensitive": False,
        "summaries": (
            "한부모 가구. 어머니 야간 근무로 자녀 돌봄 공백, 자녀 학교 결석이 잦음.",
            "한부모 가구. 이혼 후 양육비를 받지 못해 생계 곤란, 자녀 학원비·급식비 부담.",
            "한부모 가구. 아버지 실직 후 자녀와 단칸방 생활, 주거 상향과 일자리 희망.",
        ),
    },
    "grandparent": {
        "weight": 6, "high": 0.15, "sensitive": False,
        "summaries": (
            "조손 가구. 할머니 건강 악화로 손자녀 양육이 어려움, 손자 학습 지원 필요.",
            "조손 가구. 부모 연락 두절, 할아버지가 폐지를 모아 생계를 이어 감.",
        ),
    },
    "disability": {
        "weight": 7, "high": 0.25, "sensitive": True,
        "summaries": (
            "발달장애 자녀를 돌보는 고령 어머니. 어머니 입원 시 돌봄 공백이 우려됨.",
            "장애인 가구. 지체장애 아들과 사는 어머니, 주택 내 문턱·욕실 개조 필요.",
        ),
    },
    "family_crisis": {
        "weight": 9, "high": 0.10, "sensitive": False,
        "summaries": (
            "가장의 사업 실패로 채무 과다, 건강보험료·관리비 체납. 자녀 교육비 부담.",
            "맞벌이 부부 중 남편 산업재해로 소득 감소, 긴급복지 생계지원 검토.",
            "다문화 가구. 남편 실직, 아내의 한국어 소통 어려움으로 지원 제도 이용을 못 함.",
        ),
    },
    "housing": {
        "weight": 7, "high": 0.15, "sensitive": False,
        "summaries": (
            "쪽방 거주 중장년. 겨울철 난방 취약, 임대주택 입주(주거 상향) 희망.",
            "고시원 장기 거주. 창문 없는 방에서 지내며 호흡기 질환, 주거급여 신청 필요.",
            "반지하 침수 피해 가구. 재침수 우려로 이주 희망, 이사비 지원 검토.",
        ),
    },
    "mental": {
        "weight": 5, "high": 0.55, "sensitive": True,
        "summaries": (
            "우울증 치료 중단 후 자해 언급. 가족이 정신건강복지센터에 상담 요청.",
            "조현병 진단, 복약 중단으로 증상 악화. 이웃과 소음 갈등.",
            "알코올 사용장애. 음주 후 응급실 내원 반복, 단주 의지는 있음.",
        ),
    },
}

# Which profiles an agency tends to take on, beyond the general mix.
PROFILE_BIAS: dict[str, dict[str, int]] = {
    "mental": {"mental": 60, "youth_alone": 20, "middle_alone": 20},
    "housing": {"housing": 60, "elderly_alone": 20, "middle_alone": 20},
}

# --- Reasons and notes for stage changes ------------------------------------------------------
REFUSED_REASONS = (
    "방문했으나 문을 열지 않음. '도움 필요 없다'고 하여 안내문을 남김.",
    "당사자가 지원을 원하지 않음. 가족에게 알리지 말라고 요청, 월 1회 안부 방문 지속.",
    "초기상담 중 개인정보 제공을 거부. 신뢰 형성 후 재방문하기로 함.",
    "'남의 도움 받기 싫다'며 거절. 명함과 복지관 소식지 전달.",
    "전화 상담은 받았으나 방문은 거절. 통장님을 통해 안부 확인 중.",
    "서비스 계획에 동의하지 않음. 당사자가 원하는 방식으로 다시 의논하기로 함.",
)
ON_HOLD_REASONS = (
    "당사자 입원(수술)으로 퇴원 시까지 보류.",
    "가족과 의논할 시간이 필요하다고 하여 보류.",
    "연락이 닿지 않음. 주 1회 방문·전화 시도 중.",
    "타 지역 자녀 집에 일시 거주 중. 귀가 후 재개 예정.",
    "당사자 요청으로 잠시 쉬어 감. 한 달 뒤 다시 연락하기로 함.",
)
CLOSE_REASONS_DONE = (
    "목표 달성: 소득이 안정되고 당사자가 스스로 생활을 꾸려 갈 수 있게 됨.",
    "목표 달성: 주거 이전 완료, 이웃 모임과 연결됨.",
    "목표 달성: 치료를 꾸준히 받고 있으며 가족 관계 회복.",
    "목표 달성: 수급 책정과 돌봄 서비스 연계 완료, 정기 모니터링으로 충분함.",
)
CLOSE_REASONS_OTHER = (
    "타 지역 전출(전입지 시군구에 연계 의뢰).",
    "3개월 이상 연락 두절.",
    "당사자가 서비스 중단을 요청함.",
    "타 기관에서 동일 서비스를 받고 있어 중복 방지를 위해 종결.",
    "요양시설 입소.",
)
NOTES: dict[str, tuple[str, ...]] = {
    "initial_consultation": ("가정방문 초기상담 실시.", "주민센터 내방 초기상담.", "전화 초기상담 후 방문 일정 잡음."),
    "intake": ("통합사례관리 접수, 정보제공 동의서 작성.", "당사자 동의로 접수.", "접수(의뢰 기관 자료 확인)."),
    "assessment": ("욕구 및 위기도 조사 시작.", "가정방문 사정, 당사자가 말한 욕구부터 기록.", ""),
    "conference": ("사례회의 개최.", "민관 통합사례회의에 상정.", "기관 내부 사례회의."),
    "selection": ("대상자 구분·선정.", "사례회의 결과에 따라 선정.", ""),
    "planning": ("당사자와 함께 서비스 제공계획 수립 중.", "계획 수립: 당사자 자원부터 의논.", ""),
    "delivery": ("서비스 제공계획에 당사자 서명, 서비스 제공 시작.", "계획 합의, 연계 시작.", ""),
    "reassessment": ("정기 재사정(6개월).", "상황 변화로 재사정.", ""),
    "linkage": ("서비스연계 대상으로 연계 및 점검.", "단순 연계: 필요한 서비스 안내와 의뢰.", ""),
    "follow_up": ("사후관리: 동주민센터 월 1회 안부 확인.", "사후관리 전환(3개월 모니터링).", ""),
}
OPTIONAL_CONSENT_ITEMS = ("연락처", "가족관계", "소득·재산", "건강 상태", "사진·영상")
PARTICIPANT_ROLES: dict[str, tuple[str, ...]] = {
    K.DISTRICT_OFFICE: ("통합사례관리 지원", "긴급복지 지원 검토"),
    K.COMMUNITY_CENTRE: ("기초생활수급 신청·긴급복지", "안부 확인·사후관리"),
    K.WELFARE_CENTRE: ("밑반찬·정서 지원", "자원봉사 연계", "학습·돌봄 지원"),
    K.MENTAL_HEALTH_CENTRE: ("정신건강 상담·치료 연계",),
    K.HOUSING_CENTRE: ("주거환경 개선", "임대주택 신청 지원"),
}

# ================================================================================================
# Casework (issue 3): the resource directory, needs in the person's own words, plans, records.
# ================================================================================================
D = LifeDomain
RT = Resource.Type
INFORMAL, FORMAL = Resource.Kind.INFORMAL, Resource.Kind.FORMAL
ALL_DONGS: tuple[str, ...] = ()  # a resource for the whole district

# --- The community resource directory (지역 자원) -------------------------------------------------
# key -> spec. ``agency``: the providing agency (a key of AGENCIES), "@cc" / "@wc" for the community
# centre / welfare centre of the household's dong (the directory lists it without one agency), or
# None (a provider outside the network). ``by``: the agency that registered it. ``service``: how a
# delivery is recorded (description, amount kind, amounts to draw from); ``times``: how many service
# records one linkage makes during a period of delivery.
RESOURCES: dict[str, dict] = {
    # informal: neighbours, residents' groups, volunteers, shops, religious groups
    "tongjang_sindang": {
        "name": "신당동 통장협의회 '안부 살피미'", "kind": INFORMAL, "type": RT.NEIGHBOUR, "domain": D.SAFETY,
        "provider": "신당동 통장협의회", "dongs": ("신당동", "신당5동"), "by": "cc-sindang",
        "description": "통장·반장이 홀로 사는 이웃을 주 1회 찾아가 안부를 살핍니다.",
        "service": ("통장 안부 살피미 연계(주 1회 방문 안부 확인)", "", ()), "times": (1, 1),
    },
    "tongjang_junglim": {
        "name": "중림동 통장·반장 안부 확인", "kind": INFORMAL, "type": RT.NEIGHBOUR, "domain": D.SAFETY,
        "provider": "중림동 통장협의회", "dongs": ("중림동", "회현동"), "by": "cc-junglim",
        "description": "골목 사정을 잘 아는 통장·반장이 오가며 안부를 묻고 이상이 있으면 주민센터에 알립니다.",
        "service": ("통장·반장 안부 확인 연계", "", ()), "times": (1, 1),
    },
    "tongjang_hwanghak": {
        "name": "황학동 우리동네 돌봄단", "kind": INFORMAL, "type": RT.NEIGHBOUR, "domain": D.SAFETY,
        "provider": "황학동 주민 돌봄단(12명)", "dongs": ("황학동",), "by": "cc-hwanghak",
        "description": "동네 주민이 돌봄단원이 되어 홀로 사는 이웃에게 주 2회 전화·방문합니다.",
        "service": ("우리동네 돌봄단 안부 확인 연계(주 2회)", "", ()), "times": (1, 1),
    },
    "friends_dasan": {
        "name": "다산동 이웃 말벗 잇기", "kind": INFORMAL, "type": RT.NEIGHBOUR, "domain": D.FAMILY,
        "provider": "다산동 주민 말벗 20명", "dongs": ("다산동", "약수동", "청구동"), "by": "wc-yaksu",
        "description": "가까이 사는 주민을 말벗으로 이어 일주일에 한두 번 차 한 잔 나누게 합니다.",
        "service": ("이웃 말벗 연계(주 1회 만남)", "", ()), "times": (1, 1),
    },
    "side_dish_dasan": {
        "name": "다산·청구 주민 반찬 나눔 모임", "kind": INFORMAL, "type": RT.COMMUNITY_GROUP,
        "domain": D.DAILY_LIVING, "provider": "반찬 나눔 모임 '한솥'", "dongs": ("다산동", "청구동"), "by": "cc-dasan",
        "description": "주민 열다섯 명이 매주 목요일 반찬을 만들어 이웃과 나눕니다.",
        "service": ("반찬 나눔 모임 반찬 전달", "goods", (30000, 40000, 50000)), "times": (1, 3),
    },
    "market_share": {
        "name": "중앙시장 상인회 나눔 가게", "kind": INFORMAL, "type": RT.SHOP, "domain": D.LIVELIHOOD,
        "provider": "서울중앙시장 상인회", "dongs": ("황학동", "신당동", "동화동"), "by": "cc-hwanghak",
        "description": "시장 상인들이 쌀·채소·생선을 모아 한 달에 한 번 이웃에게 전합니다.",
        "service": ("시장 상인회 식료품 나눔", "goods", (50000, 70000, 100000)), "times": (1, 2),
    },
    "share_fridge": {
        "name": "광희동 나눔 냉장고", "kind": INFORMAL, "type": RT.COMMUNITY_GROUP, "domain": D.LIVELIHOOD,
        "provider": "광희동 주민자치회", "dongs": ("광희동", "을지로동", "명동", "필동"), "by": "district",
        "description": "주민과 가게가 채우는 공유 냉장고. 누구나 필요한 만큼 가져갑니다.",
        "service": ("나눔 냉장고 이용 안내·동행", "", ()), "times": (1, 1),
    },
    "vincent_junglim": {
        "name": "약현성당 빈첸시오회", "kind": INFORMAL, "type": RT.RELIGIOUS_GROUP, "domain": D.LIVELIHOOD,
        "provider": "약현성당 빈첸시오회", "dongs": ("중림동", "회현동", "소공동"), "by": "wc-junglim",
        "description": "성당 봉사회가 생필품과 생활비를 나누고 홀로 사는 어르신을 찾아갑니다.",
        "service": ("성당 봉사회 생필품·후원금 전달", "money", (100000, 150000, 200000)), "times": (1, 2),
    },
    "church_sindang": {
        "name": "신당동 교회 연합 사랑나눔 봉사회", "kind": INFORMAL, "type": RT.RELIGIOUS_GROUP,
        "domain": D.DAILY_LIVING, "provider": "신당동 교회 연합 봉사회",
        "dongs": ("신당동", "신당5동", "동화동", "황학동"), "by": "wc-sindang",
        "description": "교회 봉사자들이 말벗, 목욕 돕기, 나들이를 함께합니다.",
        "service": ("교회 봉사회 말벗·목욕 도움 연계", "", ()), "times": (1, 1),
    },
    "volunteers_hand": {
        "name": "중구 자원봉사단 '손잡고'", "kind": INFORMAL, "type": RT.VOLUNTEER, "domain": D.HOUSING,
        "provider": "중구자원봉사센터", "dongs": ALL_DONGS, "by": "district",
        "description": "집 정리·청소, 이사 돕기처럼 여럿의 손이 필요한 일에 자원봉사자를 모읍니다.",
        "service": ("자원봉사자 연계: 집 정리·청소", "", ()), "times": (1, 1),
    },
    "repair_volunteers": {
        "name": "집수리 재능기부단 '뚝딱뚝딱'", "kind": INFORMAL, "type": RT.VOLUNTEER, "domain": D.HOUSING,
        "provider": "은퇴 기술자 재능기부단", "dongs": ALL_DONGS, "by": "housing",
        "description": "은퇴한 목수·전기 기술자들이 전등, 수도, 방충망, 문턱을 고쳐 줍니다.",
        "service": ("집수리 재능기부(전등·수도·문턱 수리)", "goods", (80000, 120000, 200000)), "times": (1, 1),
    },
    "mentoring": {
        "name": "대학생 학습 멘토링 봉사단", "kind": INFORMAL, "type": RT.VOLUNTEER, "domain": D.EDUCATION,
        "provider": "동국대학교 사회봉사단", "dongs": ALL_DONGS, "by": "wc-sindang",
        "description": "대학생 멘토가 일주일에 한 번 아이의 공부와 고민을 함께합니다.",
        "service": ("대학생 학습 멘토 연계(주 1회)", "", ()), "times": (1, 1),
    },
    "walk_group": {
        "name": "남산 자락 걷기 모임", "kind": INFORMAL, "type": RT.COMMUNITY_GROUP, "domain": D.PHYSICAL_HEALTH,
        "provider": "회현동 주민 걷기 모임", "dongs": ("회현동", "장충동", "필동", "명동", "소공동", "중림동"),
        "by": "cc-hoehyeon", "description": "매주 화·목 아침 남산 둘레길을 천천히 함께 걷습니다.",
        "service": ("걷기 모임 첫 참여 동행", "", ()), "times": (1, 1),
    },
    "garden_group": {
        "name": "중림동 어르신 텃밭 모임", "kind": INFORMAL, "type": RT.COMMUNITY_GROUP, "domain": D.FAMILY,
        "provider": "중림동 주민 텃밭 모임", "dongs": ("중림동", "회현동"), "by": "wc-junglim",
        "description": "복지관 옥상 텃밭에서 어르신들이 상추·고추를 함께 기르고 나눕니다.",
        "service": ("어르신 텃밭 모임 연결", "", ()), "times": (1, 1),
    },
    "singing_hoehyeon": {
        "name": "회현동 경로당 노래 교실", "kind": INFORMAL, "type": RT.COMMUNITY_GROUP, "domain": D.FAMILY,
        "provider": "회현동 경로당", "dongs": ("회현동", "중림동", "소공동"), "by": "cc-hoehyeon",
        "description": "매주 수요일 오후 경로당에서 어르신들이 함께 노래합니다.",
        "service": ("경로당 노래 교실 참여 연결", "", ()), "times": (1, 1),
    },
    "youth_meal": {
        "name": "청년 이웃 모임 '같이 밥 먹자'", "kind": INFORMAL, "type": RT.COMMUNITY_GROUP,
        "domain": D.MENTAL_HEALTH, "provider": "중구 청년 이웃 모임", "dongs": ALL_DONGS, "by": "mental",
        "description": "혼자 사는 청년들이 한 달에 두 번 모여 밥을 지어 먹습니다.",
        "service": ("청년 이웃 모임 첫 참여 동행", "", ()), "times": (1, 1),
    },
    "aa_group": {
        "name": "단주 자조 모임(중구 AA)", "kind": INFORMAL, "type": RT.COMMUNITY_GROUP, "domain": D.MENTAL_HEALTH,
        "provider": "중구 AA 모임", "dongs": ALL_DONGS, "by": "mental",
        "description": "술을 끊으려는 사람들이 매주 월요일 저녁 모여 경험을 나눕니다.",
        "service": ("단주 자조 모임 연결", "", ()), "times": (1, 1),
    },
    "cafe_alley": {
        "name": "동네 카페 '골목 커피'", "kind": INFORMAL, "type": RT.SHOP, "domain": D.EMPLOYMENT,
        "provider": "골목 커피 사장님", "dongs": ("신당동", "동화동", "신당5동", "황학동"), "by": "mental",
        "description": "사장님이 바리스타를 꿈꾸는 이웃에게 실습 자리와 일 경험을 내어 줍니다.",
        "service": ("동네 카페 실습 연결", "", ()), "times": (1, 1),
    },
    # formal: benefits, programmes, housing, mental health, employment
    "emergency_livelihood": {
        "name": "긴급복지 생계지원", "kind": FORMAL, "type": RT.BENEFIT, "domain": D.LIVELIHOOD,
        "provider": "중구청 희망복지지원단", "agency": "district", "dongs": ALL_DONGS, "by": "district",
        "ordinary": False, "contact": "02-3396-4611",
        "description": "갑작스러운 위기로 생계가 어려운 가구에 생계비를 1~6개월 지원합니다.",
        "service": ("긴급복지 생계지원 1개월분", "money", (765400, 1258900, 1612200)), "times": (1, 3),
        "by_size": True,
    },
    "basic_livelihood": {
        "name": "기초생활보장 생계·의료급여", "kind": FORMAL, "type": RT.BENEFIT, "domain": D.LIVELIHOOD,
        "provider": "관할 동주민센터", "agency": "@cc", "dongs": ALL_DONGS, "by": "district", "ordinary": False,
        "description": "소득·재산 조사를 거쳐 생계급여와 의료급여를 받습니다. 신청은 주소지 동주민센터.",
        "service": ("기초생활수급 신청·책정 연계", "", ()), "times": (1, 1),
    },
    "housing_benefit": {
        "name": "주거급여", "kind": FORMAL, "type": RT.BENEFIT, "domain": D.HOUSING,
        "provider": "관할 동주민센터", "agency": "@cc", "dongs": ALL_DONGS, "by": "cc-sindang", "ordinary": False,
        "description": "임차 가구의 월세를 기준임대료 안에서 지원합니다.",
        "service": ("주거급여 신청·책정 연계", "", ()), "times": (1, 1),
    },
    "energy_voucher": {
        "name": "에너지바우처·겨울철 난방비 지원", "kind": FORMAL, "type": RT.BENEFIT, "domain": D.HOUSING,
        "provider": "관할 동주민센터", "agency": "@cc", "dongs": ALL_DONGS, "by": "cc-hwanghak", "ordinary": False,
        "description": "겨울철 난방비(가스·등유·연탄)를 지원합니다.",
        "service": ("겨울철 난방비 지원", "money", (150000, 200000, 300000)), "times": (1, 1),
    },
    "medical_aid": {
        "name": "긴급복지 의료지원", "kind": FORMAL, "type": RT.BENEFIT, "domain": D.PHYSICAL_HEALTH,
        "provider": "중구청 희망복지지원단", "agency": "district", "dongs": ALL_DONGS, "by": "district",
        "ordinary": False, "description": "갑작스러운 질병·부상의 검사·치료비를 300만 원 안에서 지원합니다.",
        "service": ("긴급복지 의료비 지원(치료비)", "money", (800000, 1500000, 2400000)), "times": (1, 1),
    },
    "ltc_apply": {
        "name": "노인장기요양 등급 신청·방문요양", "kind": FORMAL, "type": RT.BENEFIT, "domain": D.PHYSICAL_HEALTH,
        "provider": "국민건강보험공단 중구지사", "dongs": ALL_DONGS, "by": "district", "ordinary": False,
        "description": "거동이 불편한 어르신의 장기요양 등급을 신청해 방문요양·방문목욕을 받습니다.",
        "service": ("장기요양 등급 신청 지원·방문요양 연계", "", ()), "times": (1, 1),
    },
    "visit_health": {
        "name": "방문 건강관리(방문간호)", "kind": FORMAL, "type": RT.PROGRAMME, "domain": D.PHYSICAL_HEALTH,
        "provider": "중구보건소·동주민센터 방문간호사", "agency": "@cc", "dongs": ALL_DONGS, "by": "cc-hwanghak",
        "description": "방문간호사가 집으로 찾아가 혈압·혈당·통증과 복약을 살핍니다.",
        "service": ("방문간호사 건강 확인(혈압·혈당·복약)", "", ()), "times": (1, 3),
    },
    "elder_care": {
        "name": "노인맞춤돌봄서비스", "kind": FORMAL, "type": RT.PROGRAMME, "domain": D.DAILY_LIVING,
        "provider": "중구 노인맞춤돌봄 수행기관", "dongs": ALL_DONGS, "by": "district", "ordinary": False,
        "description": "생활지원사가 주 1~2회 찾아가 안부를 살피고 일상생활을 돕습니다.",
        "service": ("노인맞춤돌봄서비스 연계(생활지원사 방문)", "", ()), "times": (1, 1),
    },
    "disability_support": {
        "name": "장애인 활동지원", "kind": FORMAL, "type": RT.BENEFIT, "domain": D.DAILY_LIVING,
        "provider": "국민연금공단·중구 활동지원기관", "dongs": ALL_DONGS, "by": "district", "ordinary": False,
        "description": "활동지원사가 장애인의 일상생활과 외출을 돕습니다. 돌봄 공백 시 추가 시간 신청 가능.",
        "service": ("장애인 활동지원 추가 시간 연계", "", ()), "times": (1, 1),
    },
    "safety_sensor": {
        "name": "응급안전안심서비스(화재·활동 감지기)", "kind": FORMAL, "type": RT.PROGRAMME, "domain": D.SAFETY,
        "provider": "중구청 어르신복지과", "dongs": ALL_DONGS, "by": "district", "ordinary": False,
        "description": "홀로 사는 어르신 집에 화재·활동 감지기를 달아 위급할 때 119와 돌봄 인력이 출동합니다.",
        "service": ("응급안전안심 장비 설치 연계", "", ()), "times": (1, 1),
    },
    "dementia_centre": {
        "name": "중구치매안심센터 조기 검진", "kind": FORMAL, "type": RT.PROGRAMME, "domain": D.PHYSICAL_HEALTH,
        "provider": "중구치매안심센터", "dongs": ALL_DONGS, "by": "district",
        "description": "기억력이 걱정되는 주민 누구나 무료로 검진과 상담을 받습니다.",
        "service": ("치매 조기 검진 연계", "", ()), "times": (1, 1),
    },
    "meal_junglim": {
        "name": "중림종합사회복지관 밑반찬 배달", "kind": FORMAL, "type": RT.PROGRAMME, "domain": D.DAILY_LIVING,
        "provider": "중림종합사회복지관", "agency": "wc-junglim", "dongs": ("중림동", "회현동", "소공동", "명동"),
        "by": "wc-junglim", "ordinary": False, "description": "매주 화요일 밑반찬 세 가지를 집으로 가져다 드립니다.",
        "service": ("밑반찬 배달(한 달 4회)", "goods", (60000, 80000)), "times": (1, 3),
    },
    "meal_sindang": {
        "name": "신당종합사회복지관 밑반찬 배달", "kind": FORMAL, "type": RT.PROGRAMME, "domain": D.DAILY_LIVING,
        "provider": "신당종합사회복지관", "agency": "wc-sindang",
        "dongs": ("신당5동", "동화동", "황학동", "신당동", "광희동"), "by": "wc-sindang", "ordinary": False,
        "description": "주 1회 밑반찬과 안부를 함께 전합니다.",
        "service": ("밑반찬 배달(한 달 4회)", "goods", (60000, 80000)), "times": (1, 3),
    },
    "meal_yaksu": {
        "name": "약수종합사회복지관 밑반찬 배달", "kind": FORMAL, "type": RT.PROGRAMME, "domain": D.DAILY_LIVING,
        "provider": "약수종합사회복지관", "agency": "wc-yaksu",
        "dongs": ("약수동", "다산동", "청구동", "장충동", "필동"), "by": "wc-yaksu", "ordinary": False,
        "description": "주 1회 밑반찬과 안부를 함께 전합니다.",
        "service": ("밑반찬 배달(한 달 4회)", "goods", (60000, 80000)), "times": (1, 3),
    },
    "meal_together_junglim": {
        "name": "중림종합사회복지관 '함께 밥상' 식사 모임", "kind": FORMAL, "type": RT.PROGRAMME, "domain": D.FAMILY,
        "provider": "중림종합사회복지관", "agency": "wc-junglim", "dongs": ("중림동", "회현동", "소공동", "명동"),
        "by": "wc-junglim", "description": "혼자 사는 주민 누구나 와서 함께 점심을 먹는 주 1회 식사 모임.",
        "service": ("'함께 밥상' 식사 모임 참여", "", ()), "times": (1, 3),
    },
    "food_bank": {
        "name": "중구 푸드마켓", "kind": FORMAL, "type": RT.PROGRAMME, "domain": D.LIVELIHOOD,
        "provider": "중구 푸드마켓(기부식품 나눔)", "dongs": ALL_DONGS, "by": "district", "ordinary": False,
        "description": "기부받은 식료품·생필품을 한 달에 한 번 골라 가져갑니다.",
        "service": ("푸드마켓 이용(월 1회 식료품)", "goods", (50000, 70000, 100000)), "times": (1, 3),
    },
    "hospital_escort": {
        "name": "병원 동행 서비스", "kind": FORMAL, "type": RT.PROGRAMME, "domain": D.PHYSICAL_HEALTH,
        "provider": "관할 종합사회복지관", "agency": "@wc", "dongs": ALL_DONGS, "by": "wc-sindang",
        "description": "혼자 병원에 가기 어려운 주민과 접수부터 귀가까지 함께합니다.",
        "service": ("병원 동행", "", ()), "times": (1, 3),
    },
    "barista": {
        "name": "바리스타 양성 과정(사회복귀시설)", "kind": FORMAL, "type": RT.EMPLOYMENT, "domain": D.EMPLOYMENT,
        "provider": "정신재활시설 '새날' 사회복귀 훈련", "dongs": ALL_DONGS, "by": "mental", "capacity": 12,
        "ordinary": False, "contact": "02-2232-7760",
        "description": "12주(주 3회) 커피 추출·매장 실습 과정. 수료 후 바리스타 자격 시험과 취업 연계.",
        "service": ("바리스타 양성 과정 등록(12주)", "", ()), "times": (1, 1),
    },
    "self_sufficiency": {
        "name": "자활근로(중구지역자활센터)", "kind": FORMAL, "type": RT.EMPLOYMENT, "domain": D.EMPLOYMENT,
        "provider": "중구지역자활센터", "dongs": ALL_DONGS, "by": "district", "ordinary": False,
        "description": "집수리·카페·재활용 사업단에서 일하며 급여를 받고 일할 힘을 기릅니다.",
        "service": ("자활근로 사업단 참여 연계", "", ()), "times": (1, 1),
    },
    "job_counsel": {
        "name": "중장년 일자리 상담(50플러스 중부캠퍼스)", "kind": FORMAL, "type": RT.EMPLOYMENT,
        "domain": D.EMPLOYMENT, "provider": "서울시50플러스 중부캠퍼스", "dongs": ALL_DONGS, "by": "district",
        "description": "중장년 누구나 일자리 상담과 구직 교육을 받습니다.",
        "service": ("중장년 일자리 상담 연계", "", ()), "times": (1, 1),
    },
    "youth_job": {
        "name": "청년 일자리 상담(중구 일자리플러스센터)", "kind": FORMAL, "type": RT.EMPLOYMENT,
        "domain": D.EMPLOYMENT, "provider": "중구 일자리플러스센터", "dongs": ALL_DONGS, "by": "district",
        "description": "청년 구직 상담, 이력서·면접 준비, 일 경험 프로그램.",
        "service": ("청년 일자리 상담·면접 준비 연계", "", ()), "times": (1, 2),
    },
    "mh_counsel": {
        "name": "정신건강 상담·사례관리", "kind": FORMAL, "type": RT.MENTAL_HEALTH, "domain": D.MENTAL_HEALTH,
        "provider": "중구정신건강복지센터", "agency": "mental", "dongs": ALL_DONGS, "by": "mental",
        "contact": "02-2236-6606", "description": "정신건강전문요원의 정기 상담과 치료 연계, 위기 시 방문.",
        "service": ("정신건강 상담", "", ()), "times": (1, 4),
    },
    "crisis_line": {
        "name": "자살예방 위기 상담(24시간)", "kind": FORMAL, "type": RT.MENTAL_HEALTH, "domain": D.MENTAL_HEALTH,
        "provider": "중구정신건강복지센터", "agency": "mental", "dongs": ALL_DONGS, "by": "mental",
        "contact": "109", "description": "자살 위험이 있을 때 24시간 상담과 응급 개입.",
        "service": ("자살 위험 평가·위기 상담", "", ()), "times": (1, 1),
    },
    "alcohol_program": {
        "name": "알코올 회복 프로그램", "kind": FORMAL, "type": RT.MENTAL_HEALTH, "domain": D.MENTAL_HEALTH,
        "provider": "중구정신건강복지센터", "agency": "mental", "dongs": ALL_DONGS, "by": "mental",
        "description": "주 1회 회복 집단 프로그램과 개별 상담.",
        "service": ("알코올 회복 프로그램 참여(주 1회)", "", ()), "times": (1, 3),
    },
    "day_programme": {
        "name": "정신재활시설 주간 재활 프로그램", "kind": FORMAL, "type": RT.MENTAL_HEALTH,
        "domain": D.MENTAL_HEALTH, "provider": "정신재활시설 '새날'", "dongs": ALL_DONGS, "by": "mental",
        "ordinary": False, "description": "낮 시간 일과와 사회 기술 훈련, 동료 모임.",
        "service": ("주간 재활 프로그램 참여 연계", "", ()), "times": (1, 2),
    },
    "hoarding_cleanup": {
        "name": "저장강박 가구 대청소 지원", "kind": FORMAL, "type": RT.HOUSING, "domain": D.HOUSING,
        "provider": "중구청 희망복지지원단·청소행정과", "agency": "district", "dongs": ALL_DONGS, "by": "district",
        "ordinary": False, "description": "당사자 동의 아래 폐기물 반출, 방역·소독을 지원합니다. 물건 분류는 당사자가 "
        "정합니다.",
        "service": ("저장강박 가구 대청소(폐기물 반출·방역)", "", ()), "times": (1, 1),
    },
    "repair_housing": {
        "name": "주거환경 개선(도배·장판·단열)", "kind": FORMAL, "type": RT.HOUSING, "domain": D.HOUSING,
        "provider": "중구주거안심종합센터", "agency": "housing", "dongs": ALL_DONGS, "by": "housing",
        "ordinary": False, "description": "주거 취약가구의 도배·장판, 단열, 문턱·욕실 개조를 지원합니다.",
        "service": ("주거환경 개선 공사(도배·장판)", "goods", (1200000, 1800000, 2400000)), "times": (1, 1),
    },
    "public_rental": {
        "name": "공공임대주택 입주 지원", "kind": FORMAL, "type": RT.HOUSING, "domain": D.HOUSING,
        "provider": "중구주거안심종합센터", "agency": "housing", "dongs": ALL_DONGS, "by": "housing",
        "ordinary": False, "description": "매입임대·전세임대 신청 서류와 집 보기, 계약을 함께합니다.",
        "service": ("공공임대주택 신청·입주 지원", "", ()), "times": (1, 1),
    },
    "moving_cost": {
        "name": "주거 취약가구 이사비 지원", "kind": FORMAL, "type": RT.HOUSING, "domain": D.HOUSING,
        "provider": "중구주거안심종합센터", "agency": "housing", "dongs": ALL_DONGS, "by": "housing",
        "ordinary": False, "description": "쪽방·고시원·반지하에서 옮기는 가구의 이사비를 지원합니다.",
        "service": ("이사비 지원", "money", (400000, 500000)), "times": (1, 1),
    },
    "child_centre": {
        "name": "지역아동센터", "kind": FORMAL, "type": RT.PROGRAMME, "domain": D.EDUCATION,
        "provider": "중구 지역아동센터 연합회", "dongs": ALL_DONGS, "by": "wc-sindang",
        "description": "방과 후 공부, 놀이, 저녁 식사를 함께하는 동네 돌봄 공간.",
        "service": ("지역아동센터 이용 연계(방과 후 학습·저녁)", "", ()), "times": (1, 1),
    },
    "dream_start": {
        "name": "드림스타트", "kind": FORMAL, "type": RT.PROGRAMME, "domain": D.EDUCATION,
        "provider": "중구 드림스타트", "dongs": ALL_DONGS, "by": "district", "ordinary": False,
        "description": "취약계층 아동에게 학습·정서·건강 지원을 맞춤으로 제공합니다.",
        "service": ("드림스타트 학습·정서 지원", "", ()), "times": (1, 2),
    },
    "single_parent": {
        "name": "한부모가족 아동양육비", "kind": FORMAL, "type": RT.BENEFIT, "domain": D.LIVELIHOOD,
        "provider": "관할 동주민센터", "agency": "@cc", "dongs": ALL_DONGS, "by": "cc-sindang", "ordinary": False,
        "description": "한부모가족 자녀 1인당 월 양육비를 지원합니다.",
        "service": ("한부모가족 아동양육비 신청 연계", "money", (230000,)), "times": (1, 1),
    },
    "legal_aid": {
        "name": "무료 법률 상담(대한법률구조공단)", "kind": FORMAL, "type": RT.OTHER, "domain": D.LEGAL,
        "provider": "대한법률구조공단 서울중앙지부", "dongs": ALL_DONGS, "by": "district",
        "description": "채무·개인회생, 양육비, 임대차 분쟁 법률 상담.",
        "service": ("무료 법률 상담 연계(채무·개인회생)", "", ()), "times": (1, 1),
    },
    "family_centre": {
        "name": "중구가족센터(통번역·가족 상담)", "kind": FORMAL, "type": RT.PROGRAMME, "domain": D.FAMILY,
        "provider": "중구가족센터", "dongs": ALL_DONGS, "by": "district",
        "description": "다문화가족 통번역, 한국어 교육, 가족 상담.",
        "service": ("가족센터 통번역·가족 상담 연계", "", ()), "times": (1, 2),
    },
}

# Services an agency gives itself, outside a plan's resources: (domain, description, amount kind, amounts).
DIRECT_SERVICES: dict[str, tuple[tuple[str, str, str, tuple[int, ...]], ...]] = {
    K.DISTRICT_OFFICE: (
        (D.MENTAL_HEALTH, "정서지원 상담(가정방문)", "", ()),
        (D.LIVELIHOOD, "긴급 생필품 지원", "goods", (50000, 80000, 100000)),
        (D.PHYSICAL_HEALTH, "병원 동행", "", ()),
        (D.DAILY_LIVING, "가사 정리 지원", "", ()),
        (D.LEGAL, "채무 관련 서류 작성 지원", "", ()),
    ),
    K.COMMUNITY_CENTRE: (
        (D.LIVELIHOOD, "기초생활수급 신청 상담·서류 지원", "", ()),
        (D.LIVELIHOOD, "명절 위문품 전달", "goods", (30000, 50000)),
        (D.HOUSING, "난방용품(전기요·이불) 지원", "goods", (80000, 120000)),
        (D.SAFETY, "가스·전기 안전 점검", "", ()),
        (D.DAILY_LIVING, "생활용품 지원", "goods", (40000, 60000)),
    ),
    K.WELFARE_CENTRE: (
        (D.DAILY_LIVING, "생필품 꾸러미 지원", "goods", (40000, 60000, 80000)),
        (D.MENTAL_HEALTH, "정서지원 상담", "", ()),
        (D.PHYSICAL_HEALTH, "병원 동행", "", ()),
        (D.FAMILY, "가족 관계 상담", "", ()),
        (D.EDUCATION, "아동 학습지 지원", "goods", (30000,)),
    ),
    K.MENTAL_HEALTH_CENTRE: (
        (D.MENTAL_HEALTH, "정신건강 상담", "", ()),
        (D.MENTAL_HEALTH, "복약 관리 교육", "", ()),
        (D.MENTAL_HEALTH, "위기 개입 상담", "", ()),
        (D.FAMILY, "가족 교육·상담", "", ()),
    ),
    K.HOUSING_CENTRE: (
        (D.HOUSING, "주거 상담(주거 상향 계획)", "", ()),
        (D.HOUSING, "주거환경 안전 점검", "", ()),
        (D.HOUSING, "공공임대 신청 서류 지원", "", ()),
        (D.SAFETY, "전기·가스 안전 점검 연계", "", ()),
    ),
}

# --- Needs (욕구) in the person's own words (DOMAIN.md §3) ---------------------------------------
# Each template: the expressed need (the person's words), the felt need behind them, the agreed
# need worked out together (never the expressed words copied), the goal and how progress is
# judged, and the means in DOMAIN.md §4 order: the person's inner strength (kind, description,
# action), an outer one (kind, description, action, performer), informal resources (candidate keys
# of RESOURCES — the first serving the household's dong is used —, action, performer) and formal
# ones (same). ``progress``: what a worker may write at a monitoring contact; ``decision``: what a
# case conference may decide about it.
NEEDS: dict[str, dict] = {
    "meals": {
        "domain": D.DAILY_LIVING, "framing": "positive",
        "expressed": "혼자 먹자고 밥 하기가 귀찮아서 라면으로 때워요.",
        "felt": "끼니를 거르면 기운이 없고, 누군가와 같이 밥 먹던 때가 그리움.",
        "agreed": "하루 두 끼는 제때 챙겨 먹고, 일주일에 한 번은 이웃과 함께 밥을 먹는다.",
        "goal": "하루 두 끼 챙겨 먹고 일주일에 한 번 이웃과 함께 식사하기",
        "measure": "방문 때 냉장고·식사 확인, 함께 식사한 횟수",
        "inner": ("experience", "오랫동안 살림을 해 온 음식 솜씨", "좋아하는 반찬 한두 가지는 직접 만들어 둔다"),
        "outer": ("neighbour", "같은 층에 사는 오랜 이웃", "같은 층 이웃과 일주일에 한 번 점심을 함께 먹는다",
                  "neighbour"),
        "informal": (("side_dish_dasan", "church_sindang", "vincent_junglim"),
                     "동네 반찬 나눔에서 반찬을 받고 나눔 날에 얼굴을 비춘다", "neighbour"),
        "formal": ((("meal_junglim", "meal_sindang", "meal_yaksu"), "복지관 밑반찬 배달을 주 1회 받는다", "agency"),),
        "progress": ("끼니를 거르지 않는다고 함. 냉장고에 반찬이 채워져 있음.",
                     "이웃과 점심을 함께 먹은 이야기를 즐겁게 함.",
                     "입맛이 없어 한 끼만 먹는 날이 있다고 함. 다음 방문 때 다시 확인하기로 함."),
        "decision": "밑반찬 배달 연계, 이웃 식사 모임 참여 여부 확인",
    },
    "walk_market": {
        "domain": D.PHYSICAL_HEALTH, "framing": "positive",
        "expressed": "무릎이 아파서 시장에도 못 가요. 예전처럼 걸어 다니고 싶어요.",
        "felt": "혼자 집에만 있으니 답답하고, 사람들 사이에서 장 보던 때가 그리움.",
        "agreed": "무릎 치료를 꾸준히 받고 걷는 연습을 해서 석 달 안에 혼자 시장까지 다녀온다.",
        "goal": "석 달 안에 혼자 시장까지 걸어서 다녀오기",
        "measure": "진료 참석 횟수, 한 번에 걷는 거리(월 1회 확인)",
        "inner": ("will", "매일 조금씩이라도 걷겠다는 의지", "아침마다 집 앞 골목을 10분씩 걷는다"),
        "outer": ("neighbour", "오래 알고 지낸 옆집 이웃", "옆집 이웃과 일주일에 한 번 시장에 함께 간다", "neighbour"),
        "informal": (("walk_group",), "걷기 모임에 이웃과 함께 나가 본다", "person"),
        "formal": ((("visit_health",), "방문간호사가 월 2회 통증과 혈압을 확인한다", "agency"),
                   (("hospital_escort",), "처음 두 번은 정형외과 진료에 함께 간다", "agency")),
        "progress": ("무릎 통증이 조금 줄었다고 함. 골목 끝까지 쉬지 않고 걸음.",
                     "지난주 처음으로 이웃과 시장에 다녀왔다며 웃음.",
                     "비 오는 날이 잦아 걷기를 쉬었다고 함. 실내 운동을 함께 연습함."),
        "decision": "방문간호 연계, 병원 동행 일정 조율",
    },
    "lonely": {
        "domain": D.FAMILY, "framing": "positive",
        "expressed": "하루 종일 말 한마디 안 하고 지낼 때가 많아요.",
        "felt": "혼자라는 게 서럽고, 누군가 나를 찾아 주면 좋겠음.",
        "agreed": "일주일에 두 번 이상 가족이나 이웃과 안부를 나누고, 동네 모임 한 곳에 나간다.",
        "goal": "일주일에 두 번 이상 안부 나누기, 동네 모임 한 곳 나가기",
        "measure": "안부 연락 횟수, 모임 참석 여부(월 1회 확인)",
        "inner": ("ability", "노래를 좋아하고 옛이야기를 재미있게 함", "좋아하는 노래 모임에 스스로 신청한다"),
        "outer": ("family", "멀리 사는 딸", "딸이 일주일에 한 번 영상통화를 한다", "family"),
        "informal": (("singing_hoehyeon", "friends_dasan", "garden_group", "church_sindang", "tongjang_hwanghak"),
                     "동네 모임에 처음 두 번은 이웃과 함께 간다", "neighbour"),
        "formal": ((("elder_care",), "노인맞춤돌봄 생활지원사가 주 2회 안부를 확인한다", "agency"),),
        "progress": ("딸과 영상통화를 했다며 손주 사진을 보여 줌.",
                     "모임에서 알게 된 이웃이 생겼다고 함.",
                     "날이 추워 모임에 못 갔다고 함. 전화 안부는 이어지고 있음."),
        "decision": "노인맞춤돌봄 연계, 가족 연락 회복 지원",
    },
    "heating": {
        "domain": D.HOUSING, "framing": "negative",
        "expressed": "겨울에 너무 추워서 전기장판 하나로 버텨요.",
        "felt": "난방비가 무서워 보일러를 못 틀지만, 따뜻한 방에서 편히 자고 싶음.",
        "agreed": "난방비 지원을 받아 이번 겨울은 보일러를 틀고 따뜻하게 지낸다.",
        "goal": "이번 겨울 보일러 틀고 따뜻하게 지내기",
        "measure": "방문 때 실내 온도, 가스비 체납 여부",
        "inner": ("ability", "고지서를 꼬박꼬박 챙기는 꼼꼼함", "난방비 지원 신청서를 직접 작성해 낸다"),
        "informal": (("church_sindang", "vincent_junglim", "market_share"),
                     "봉사회가 겨울 이불과 내복을 전한다", "volunteer"),
        "formal": ((("energy_voucher",), "에너지바우처·겨울철 난방비 지원을 신청한다", "person"),
                   (("repair_housing",), "창문 단열 공사를 받는다", "agency")),
        "progress": ("보일러를 틀고 지낸다고 함. 방 안이 따뜻함.",
                     "난방비 지원금이 들어왔다고 확인함.",
                     "외풍이 심해 창문 단열이 필요해 보임. 주거안심종합센터와 의논하기로 함."),
        "decision": "난방비 지원 신청, 단열 공사 가능 여부 확인",
    },
    "gas_safety": {
        "domain": D.SAFETY, "framing": "negative", "proposer": "worker",
        "expressed": "가스불 켜 놓은 걸 자꾸 깜빡해요.",
        "felt": "혼자 살다 불이 날까 겁나고, 자식들에게 짐이 될까 걱정.",
        "agreed": "가스 타이머와 안전 감지기를 달고 기억력 검진을 받아, 지금 집에서 안전하게 계속 산다.",
        "goal": "지금 집에서 안전하게 계속 살기(가스·화재 안전)",
        "measure": "감지기 설치 여부, 검진 결과, 가스 점검표 확인",
        "inner": ("will", "지금 집에서 계속 살고 싶다는 뜻", "외출 전 가스 점검표를 현관에 붙이고 스스로 확인한다"),
        "outer": ("neighbour", "매일 인사하는 아랫집 이웃", "아랫집 이웃이 저녁에 한 번 들러 가스를 함께 확인한다",
                  "neighbour"),
        "informal": (("tongjang_sindang", "tongjang_junglim", "tongjang_hwanghak", "friends_dasan"),
                     "통장·이웃이 주 1회 안부를 확인한다", "neighbour"),
        "formal": ((("safety_sensor",), "응급안전안심서비스 감지기를 설치한다", "agency"),
                   (("dementia_centre",), "치매안심센터 조기 검진을 받는다", "person")),
        "progress": ("가스 점검표에 매일 표시하고 있음.", "감지기 설치 후 마음이 놓인다고 함.",
                     "검진 결과 경도 인지 저하. 약 복용을 시작함."),
        "decision": "응급안전안심 장비 설치, 치매 조기 검진 연계",
    },
    "care_burden": {
        "domain": D.FAMILY, "framing": "positive",
        "expressed": "아내 수발을 혼자 들자니 내가 먼저 쓰러질 것 같아요.",
        "felt": "배우자를 끝까지 집에서 돌보고 싶지만 쉴 틈이 없어 지침.",
        "agreed": "장기요양 서비스와 가족의 도움으로 돌봄을 나누고, 돌보는 사람도 일주일에 하루는 쉰다.",
        "goal": "돌봄을 나누고 일주일에 하루는 쉬기",
        "measure": "방문요양 이용 여부, 쉬는 날 수(월 1회 확인)",
        "inner": ("will", "배우자를 집에서 돌보겠다는 마음", "배우자가 좋아하는 산책을 하루 한 번 함께 한다"),
        "outer": ("family", "서울에 사는 아들", "아들이 주말에 하루 돌봄을 맡는다", "family"),
        "informal": (("church_sindang", "vincent_junglim", "friends_dasan"),
                     "봉사자가 한 달에 두 번 말벗과 목욕을 돕는다", "volunteer"),
        "formal": ((("ltc_apply",), "장기요양 등급을 신청해 방문요양을 받는다", "family"),),
        "progress": ("방문요양이 시작되어 오전에 쉴 시간이 생겼다고 함.",
                     "아들이 지난 주말 돌봄을 맡아 처음으로 친구를 만났다고 함.",
                     "배우자의 밤잠이 줄어 돌보는 분도 많이 지쳐 보임. 단기보호를 의논함."),
        "decision": "장기요양 등급 신청 지원, 가족 돌봄 분담 회의",
    },
    "ltc": {
        "domain": D.PHYSICAL_HEALTH, "framing": "positive",
        "expressed": "남편이 다시 혼자 화장실이라도 갈 수 있으면 좋겠어요.",
        "felt": "남편이 자존심 상해하는 게 마음 아프고, 둘이 집에서 오래 지내고 싶음.",
        "agreed": "재활 운동과 방문간호로 석 달 안에 남편이 보조기를 짚고 혼자 화장실에 다닌다.",
        "goal": "보조기 짚고 혼자 화장실 다니기",
        "measure": "재활 운동 횟수, 혼자 이동한 거리",
        "inner": ("will", "다시 걷고 싶다는 남편의 의지", "하루 세 번 침대 옆에서 일어서기 연습을 한다"),
        "outer": ("family", "가까이 사는 딸", "딸이 주 1회 병원 진료에 동행한다", "family"),
        "formal": ((("visit_health",), "방문간호사가 재활 운동과 혈압을 확인한다", "agency"),
                   (("ltc_apply",), "장기요양 등급을 받아 복지용구(보행기)를 빌린다", "family")),
        "progress": ("보행기를 짚고 거실까지 혼자 걸음.", "재활 운동을 빠짐없이 하고 있다고 함.",
                     "감기로 운동을 쉬었음. 방문간호사가 다음 주 다시 확인하기로 함."),
        "decision": "방문간호 연계, 복지용구 신청",
    },
    "rent_arrears": {
        "domain": D.HOUSING, "framing": "negative",
        "expressed": "월세가 석 달 밀려서 나가라고 할까 봐 잠이 안 와요.",
        "felt": "집을 잃을까 두렵고, 밀린 돈부터 정리하고 마음 편히 지내고 싶음.",
        "agreed": "긴급 지원으로 밀린 월세를 정리하고, 주거급여를 받아 다음 달부터는 제때 낸다.",
        "goal": "밀린 월세 정리하고 다음 달부터 제때 내기",
        "measure": "체납 월수, 주거급여 책정 여부",
        "inner": ("will", "일해서 갚겠다는 의지", "집주인에게 직접 사정을 이야기하고 나눠 갚기를 부탁한다"),
        "outer": ("neighbour", "10년째 세 들어 사는 집의 집주인", "집주인이 밀린 월세를 두 달에 나눠 받기로 한다",
                  "neighbour"),
        "formal": ((("emergency_livelihood",), "긴급복지 생계지원으로 급한 생활비를 메운다", "agency"),
                   (("housing_benefit",), "주거급여를 직접 신청한다", "person")),
        "progress": ("집주인과 나눠 갚기로 하고 한 달 치를 갚았다고 함.", "주거급여 책정 통지를 받음.",
                     "이번 달 월세는 제때 냈다고 함."),
        "decision": "긴급복지 생계지원 신청, 주거급여 신청 안내",
    },
    "work_again": {
        "domain": D.EMPLOYMENT, "framing": "positive",
        "expressed": "몸만 괜찮으면 다시 일하고 싶어요.",
        "felt": "일을 해야 사람 구실을 한다고 느끼고, 내 힘으로 벌고 싶음.",
        "agreed": "몸에 무리 없는 일자리를 찾아 석 달 안에 다시 일을 시작한다.",
        "goal": "석 달 안에 몸에 무리 없는 일 다시 시작하기",
        "measure": "상담·면접 횟수, 일을 시작했는지",
        "inner": ("experience", "오랫동안 성실하게 일해 온 경험", "예전 일터와 지인에게 직접 연락해 일자리를 알아본다"),
        "outer": ("friend", "함께 일하던 동료", "예전 동료가 일자리 소식을 알려 준다", "person"),
        "informal": (("market_share", "cafe_alley"), "동네 가게에서 짧은 일 경험을 해 본다", "person"),
        "formal": ((("self_sufficiency",), "자활근로 사업단에 참여한다", "person"),
                   (("job_counsel",), "중장년 일자리 상담을 받는다", "person")),
        "progress": ("자활근로 첫 출근. 생각보다 할 만하다고 함.", "이력서를 직접 써 왔음.",
                     "허리가 아파 하루 쉬었다고 함. 근무 시간을 줄이는 방법을 의논함."),
        "decision": "자활근로 참여 연계, 일자리 상담 일정",
    },
    "back_pain": {
        "domain": D.PHYSICAL_HEALTH, "framing": "negative",
        "expressed": "허리가 아파서 병원은 가야 하는데 돈이 없어요.",
        "felt": "치료를 미루다 더 나빠질까 걱정이고, 아프지 않고 일하고 싶음.",
        "agreed": "의료비 지원으로 허리 치료를 받고, 두 달 안에 통증 없이 하루를 보낸다.",
        "goal": "두 달 안에 통증 없이 하루 보내기",
        "measure": "진료 참석, 통증 점수(10점 척도)",
        "inner": ("will", "치료받고 다시 일하겠다는 의지", "진료 날짜를 달력에 적고 혼자 병원에 다닌다"),
        "formal": ((("medical_aid",), "긴급복지 의료지원을 신청한다", "agency"),
                   (("visit_health",), "방문간호사가 통증과 복약을 확인한다", "agency")),
        "progress": ("통증 점수 8점에서 5점으로 줄었다고 함.", "물리치료를 빠짐없이 다니고 있음.",
                     "진통제를 임의로 끊었다고 함. 복약을 다시 안내함."),
        "decision": "의료비 지원 신청, 진료 동행",
    },
    "drinking": {
        "domain": D.MENTAL_HEALTH, "framing": "positive",
        "expressed": "술을 좀 줄여야 하는데 혼자서는 안 돼요.",
        "felt": "술 때문에 가족·이웃과 사이가 틀어져 부끄럽고, 맑은 정신으로 지내고 싶음.",
        "agreed": "회복 모임과 상담을 이어 가며 석 달 동안 술 없이 지내는 날을 늘린다.",
        "goal": "술 없이 지내는 날 늘리기(석 달)",
        "measure": "단주 일수(주 1회 확인), 모임 참석",
        "inner": ("will", "'이번엔 끊어 보겠다'는 본인의 결심", "술 생각이 날 때 걷기로 대신한다"),
        "outer": ("family", "연락을 다시 시작한 여동생", "여동생이 주말마다 전화로 응원한다", "family"),
        "informal": (("aa_group",), "단주 자조 모임에 매주 나간다", "person"),
        "formal": ((("alcohol_program",), "알코올 회복 프로그램에 참여한다", "person"),),
        "progress": ("2주째 술을 마시지 않았다고 함. 얼굴이 밝아짐.", "모임에서 만난 선배와 통화한다고 함.",
                     "명절에 다시 마셨다고 털어놓음. 다시 시작하기로 함."),
        "decision": "알코올 회복 프로그램 연계, 가족 지지 확인",
    },
    "go_out": {
        "domain": D.MENTAL_HEALTH, "framing": "positive",
        "expressed": "밖에 나가는 게 무서워요. 사람 만나는 게 힘들어요.",
        "felt": "이대로 방에만 있다가 아무것도 못 할까 봐 불안하고, 또래처럼 지내고 싶음.",
        "agreed": "일주일에 한 번 집 밖 모임에 나가고, 석 달 뒤에는 해 보고 싶은 일을 한 가지 찾는다.",
        "goal": "일주일에 한 번 집 밖 모임 나가기",
        "measure": "외출 횟수, 모임 참석(주 1회 확인)",
        "inner": ("ability", "그림을 잘 그리고 컴퓨터를 잘 다룸", "좋아하는 그림을 하루 한 장 그려 상담 때 보여 준다"),
        "outer": ("family", "매주 전화하는 어머니", "어머니가 주말에 함께 산책한다", "family"),
        "informal": (("youth_meal",), "청년 이웃 모임에 나가 본다", "person"),
        "formal": ((("mh_counsel",), "정신건강 상담을 격주로 받는다", "person"),),
        "progress": ("청년 모임에 처음 나가 한 시간 머물렀다고 함.", "편의점까지 혼자 다녀오기 시작함.",
                     "이번 주는 나가지 못했다고 함. 대신 어머니와 통화함."),
        "decision": "정신건강 상담 연계, 청년 모임 동행",
    },
    "youth_livelihood": {
        "domain": D.LIVELIHOOD, "framing": "negative",
        "expressed": "월세 내고 나면 밥값도 없어요.",
        "felt": "혼자 버티는 게 버겁고 기댈 곳이 있었으면 함.",
        "agreed": "받을 수 있는 지원을 챙기고, 매달 생활비 계획을 세워 끼니 걱정 없이 지낸다.",
        "goal": "생활비 계획 세우고 끼니 걱정 없이 지내기",
        "measure": "월 생활비 계획표, 체납 여부",
        "inner": ("ability", "가계부 앱을 쓸 줄 앎", "매달 생활비 계획을 직접 세운다"),
        "informal": (("share_fridge", "market_share"), "나눔 냉장고·나눔 가게를 이용한다", "person"),
        "formal": ((("housing_benefit",), "주거급여를 신청한다", "person"),
                   (("food_bank",), "푸드마켓을 월 1회 이용한다", "person")),
        "progress": ("생활비 계획표를 보여 줌. 이번 달은 적자가 없다고 함.", "주거급여가 책정되었다고 함.",
                     "아르바이트 수입이 줄어 다시 계획을 세움."),
        "decision": "주거급여 신청, 푸드마켓 이용 연계",
    },
    "youth_job": {
        "domain": D.EMPLOYMENT, "framing": "positive",
        "expressed": "뭐라도 해 보고 싶은데 뭘 해야 할지 모르겠어요.",
        "felt": "또래보다 늦었다는 생각에 조급하지만, 잘하는 일로 인정받고 싶음.",
        "agreed": "청년 일자리 상담을 받고 석 달 안에 해 보고 싶은 일 한 가지를 정해 경험해 본다.",
        "goal": "해 보고 싶은 일 한 가지 정해 경험하기",
        "measure": "상담 참석, 일 경험 여부",
        "inner": ("ability", "영상 편집과 디자인 프로그램을 잘 다룸", "작업물을 모아 포트폴리오를 만든다"),
        "informal": (("cafe_alley",), "동네 가게에서 짧은 일 경험을 한다", "person"),
        "formal": ((("youth_job",), "청년 일자리 상담과 면접 준비를 받는다", "person"),),
        "progress": ("포트폴리오를 처음 보여 줌. 표정이 밝음.", "일 경험 프로그램에 지원서를 냈다고 함.",
                     "면접에서 떨어져 속상해함. 다음 기회를 함께 찾기로 함."),
        "decision": "청년 일자리 상담 연계",
    },
    "child_school": {
        "domain": D.EDUCATION, "framing": "positive",
        "expressed": "애가 학교를 자꾸 빠져요. 제가 밤에 일하니까 챙길 수가 없어요.",
        "felt": "아이를 제대로 못 돌보는 것 같아 미안하고, 아이가 친구들과 잘 지내길 바람.",
        "agreed": "아이가 학교에 꾸준히 다니고, 방과 후에는 지역아동센터에서 공부하며 저녁을 먹는다.",
        "goal": "아이가 학교에 꾸준히 다니고 방과 후 갈 곳 갖기",
        "measure": "결석 일수(월 1회 학교 확인), 센터 이용",
        "inner": ("will", "아이를 잘 키우고 싶은 마음", "매일 아침 아이와 통화해 등교를 확인한다"),
        "outer": ("family", "근처에 사는 아이의 이모", "이모가 일주일에 두 번 아이 저녁을 챙긴다", "family"),
        "informal": (("mentoring",), "대학생 멘토가 주 1회 공부를 봐 준다", "volunteer"),
        "formal": ((("child_centre",), "지역아동센터에 다닌다", "family"),),
        "progress": ("이번 달 결석 없음. 담임 선생님과 통화함.", "센터에서 친구가 생겼다고 함.",
                     "아이가 늦잠으로 두 번 지각함. 아침 통화 시간을 당기기로 함."),
        "decision": "지역아동센터 연계, 학교와 협의",
    },
    "child_support": {
        "domain": D.LIVELIHOOD, "framing": "negative",
        "expressed": "양육비를 못 받아서 생활이 너무 빠듯해요.",
        "felt": "혼자 아이를 키우는 게 막막하지만 아이에게 부족함 없게 해 주고 싶음.",
        "agreed": "한부모가족 지원을 받고 양육비 이행을 신청해 매달 생활비를 안정시킨다.",
        "goal": "한부모 지원과 양육비 이행으로 생활비 안정",
        "measure": "지원 책정 여부, 양육비 이행 절차 진행",
        "inner": ("ability", "서류를 꼼꼼하게 챙기는 성격", "양육비 이행 신청서를 직접 작성한다"),
        "informal": (("market_share", "vincent_junglim", "share_fridge"), "동네 나눔으로 식료품을 받는다", "person"),
        "formal": ((("single_parent",), "한부모가족 아동양육비를 신청한다", "person"),
                   (("legal_aid",), "양육비 이행 법률 상담을 받는다", "person")),
        "progress": ("아동양육비가 책정되었다고 함.", "법률 상담 후 이행 신청을 마침.",
                     "전 배우자가 일부를 보내왔다고 함."),
        "decision": "한부모가족 지원 신청, 법률 상담 연계",
    },
    "grandchild_study": {
        "domain": D.EDUCATION, "framing": "positive",
        "expressed": "손주 공부를 봐 줄 수가 없어요. 나는 글을 잘 몰라서.",
        "felt": "손주가 나 때문에 뒤처질까 미안하고, 잘 자라는 걸 보고 싶음.",
        "agreed": "손주가 일주일에 두 번 학습 도움을 받고, 할머니·할아버지는 저녁마다 손주와 하루 이야기를 나눈다.",
        "goal": "손주 학습 도움 받기, 저녁마다 하루 이야기 나누기",
        "measure": "학습 지원 참여, 학교 생활 이야기(월 1회 확인)",
        "inner": ("will", "손주를 끝까지 잘 키우겠다는 마음", "매일 저녁 손주와 하루 이야기를 나눈다"),
        "informal": (("mentoring",), "대학생 멘토가 주 1회 공부를 봐 준다", "volunteer"),
        "formal": ((("dream_start",), "드림스타트 학습·정서 지원을 받는다", "family"),),
        "progress": ("손주 받아쓰기 점수가 올랐다며 자랑함.", "멘토 선생님을 손주가 좋아한다고 함.",
                     "손주가 학교 가기 싫다고 해 걱정. 담임과 통화하기로 함."),
        "decision": "드림스타트 연계, 학습 멘토 연결",
    },
    "care_gap": {
        "domain": D.FAMILY, "framing": "positive",
        "expressed": "내가 병원에 들어가면 우리 아들은 누가 돌봐요?",
        "felt": "내가 없을 때 아들이 홀로 남을까 두렵고, 아들이 스스로 할 수 있는 일이 늘었으면 함.",
        "agreed": "어머니가 아플 때 아들을 맡아 줄 곳을 미리 정해 두고, 아들이 혼자 할 수 있는 일을 하나씩 늘린다.",
        "goal": "돌봄 공백 대비 계획 세우고 아들이 혼자 하는 일 늘리기",
        "measure": "비상 돌봄 계획 유무, 아들이 혼자 한 일",
        "inner": ("ability", "아들이 혼자 버스를 탈 줄 앎", "아들이 혼자 복지관 프로그램에 다녀온다"),
        "outer": ("family", "가까이 사는 조카", "조카가 비상 연락처가 되어 준다", "family"),
        "informal": (("church_sindang", "friends_dasan", "vincent_junglim"),
                     "봉사자가 월 2회 아들과 나들이를 함께한다", "volunteer"),
        "formal": ((("disability_support",), "장애인 활동지원 추가 시간을 신청한다", "family"),),
        "progress": ("아들이 혼자 복지관에 다녀왔다며 어머니가 기뻐함.", "비상 돌봄 계획을 조카와 함께 정함.",
                     "어머니 검사 입원 일정이 잡힘. 활동지원 추가 시간을 확인함."),
        "decision": "활동지원 추가 시간 신청, 비상 돌봄 계획",
    },
    "home_mod": {
        "domain": D.HOUSING, "framing": "positive",
        "expressed": "휠체어가 문턱에 걸려서 욕실을 못 써요.",
        "felt": "씻을 때마다 가족에게 기대는 게 미안하고, 집 안에서만큼은 혼자 움직이고 싶음.",
        "agreed": "문턱을 없애고 욕실에 손잡이를 달아 집 안에서 혼자 움직이고 씻는다.",
        "goal": "문턱 없애고 욕실 고쳐 집 안에서 혼자 움직이기",
        "measure": "공사 완료 여부, 혼자 씻는지",
        "inner": ("will", "혼자 씻고 싶다는 마음", "공사 뒤 손잡이를 잡고 혼자 씻는 연습을 한다"),
        "informal": (("repair_volunteers",), "집수리 재능기부단이 문턱을 낮춘다", "volunteer"),
        "formal": ((("repair_housing",), "주거환경 개선으로 욕실을 고친다", "agency"),),
        "progress": ("문턱 공사가 끝나 방과 거실을 휠체어로 오감.", "욕실 손잡이를 잡고 혼자 씻었다고 함.",
                     "공사 일정이 늦어져 기다리는 중."),
        "decision": "주거환경 개선 의뢰, 재능기부 연결",
    },
    "debt": {
        "domain": D.LEGAL, "framing": "negative",
        "expressed": "빚 독촉 전화 때문에 전화를 못 받겠어요.",
        "felt": "빚 때문에 가족 볼 낯이 없고, 빚 걱정 없이 일하고 싶음.",
        "agreed": "법률 상담으로 개인회생을 알아보고, 독촉 전화에 혼자 대응하지 않는다.",
        "goal": "개인회생 알아보고 독촉에 혼자 대응하지 않기",
        "measure": "법률 상담 참석, 신청 진행",
        "inner": ("will", "빚을 정리하고 새로 시작하겠다는 결심", "빚 목록을 직접 정리해 상담에 가져간다"),
        "outer": ("family", "배우자", "배우자가 서류 정리를 함께한다", "family"),
        "formal": ((("legal_aid",), "대한법률구조공단 상담을 받는다", "person"),),
        "progress": ("법률 상담을 다녀와 개인회생을 신청하기로 함.", "독촉 전화가 줄었다고 함.",
                     "서류 준비가 늦어지고 있음. 함께 목록을 정리함."),
        "decision": "법률 상담 연계",
    },
    "family_talk": {
        "domain": D.FAMILY, "framing": "positive",
        "expressed": "한국말이 어려워서 주민센터에 가도 잘 모르겠어요.",
        "felt": "가족을 돕고 싶은데 말이 막혀 답답함.",
        "agreed": "통역 지원을 받아 필요한 제도를 직접 신청하고, 한국어 교실에 다닌다.",
        "goal": "통역 도움으로 직접 신청하고 한국어 교실 다니기",
        "measure": "신청 건수, 한국어 교실 출석",
        "inner": ("ability", "고향에서 회계 일을 한 경험", "가계부를 직접 쓰고 필요한 서류를 챙긴다"),
        "informal": (("church_sindang", "vincent_junglim", "friends_dasan"), "이웃 봉사자와 한국어로 대화 연습을 한다",
                     "volunteer"),
        "formal": ((("family_centre",), "가족센터 통번역과 한국어 교육을 받는다", "person"),),
        "progress": ("한국어 교실에 빠짐없이 나감.", "통역 도움을 받아 직접 신청서를 냈다고 함.",
                     "아이 학교 상담에 혼자 다녀왔다며 자신감이 붙음."),
        "decision": "가족센터 통번역 연계",
    },
    "housing_up": {
        "domain": D.HOUSING, "framing": "positive",
        "expressed": "창문 있는 방에서 한번 살아 보고 싶어요.",
        "felt": "쪽방에서 늙어 갈까 두렵고, 햇빛 드는 집에서 사람답게 살고 싶음.",
        "agreed": "공공임대주택을 신청해 올해 안에 창문 있는 집으로 옮긴다.",
        "goal": "올해 안에 창문 있는 집으로 옮기기",
        "measure": "신청·당첨·계약 단계",
        "inner": ("ability", "서류를 스스로 챙길 수 있음", "임대주택 신청 서류를 직접 모은다"),
        "outer": ("friend", "같은 건물에 사는 이웃", "이웃과 집을 함께 보러 다닌다", "neighbour"),
        "informal": (("volunteers_hand",), "자원봉사자가 이삿짐을 옮긴다", "volunteer"),
        "formal": ((("public_rental",), "주거안심종합센터의 임대주택 신청 지원을 받는다", "agency"),
                   (("moving_cost",), "이사비 지원을 받는다", "agency")),
        "progress": ("임대주택 신청서를 냈다고 함.", "집을 보고 와서 '창문이 두 개'라며 기뻐함.",
                     "당첨 결과를 기다리는 중. 마음이 조급하다고 함."),
        "decision": "공공임대 신청 지원 의뢰",
    },
    "respiratory": {
        "domain": D.PHYSICAL_HEALTH, "framing": "negative",
        "expressed": "기침이 안 멈춰요. 방이 습해서 그런가 봐요.",
        "felt": "아파도 병원비가 걱정돼 참아 왔고, 숨 편히 자고 싶음.",
        "agreed": "호흡기 진료를 받고, 곰팡이를 치워 밤에 기침 없이 잔다.",
        "goal": "진료 받고 방 곰팡이 치워 기침 없이 자기",
        "measure": "진료 참석, 밤 기침(주 1회 확인)",
        "inner": ("will", "담배를 줄여 보겠다는 마음", "하루 피우는 담배를 반으로 줄인다"),
        "informal": (("volunteers_hand", "repair_volunteers"), "봉사자들이 곰팡이 청소를 돕는다", "volunteer"),
        "formal": ((("visit_health",), "방문간호사가 호흡기 증상과 복약을 확인한다", "agency"),
                   (("medical_aid",), "긴급복지 의료지원으로 진료비를 낸다", "agency")),
        "progress": ("기침이 줄어 밤에 깨지 않는다고 함.", "곰팡이 청소 후 방 냄새가 줄었음.",
                     "담배를 다시 늘렸다고 함. 줄이는 방법을 다시 의논함."),
        "decision": "의료비 지원, 방 청소 봉사 연결",
    },
    "medication": {
        "domain": D.MENTAL_HEALTH, "framing": "positive",
        "expressed": "약을 먹으면 멍해져서 끊었어요.",
        "felt": "약 때문에 내가 아닌 것 같아 싫지만, 다시 나빠져 입원하는 것은 더 두려움.",
        "agreed": "주치의와 약을 조절해 복약을 이어 가고, 힘든 날은 센터에 먼저 전화한다.",
        "goal": "약 조절하며 복약 이어 가기, 힘든 날 먼저 전화하기",
        "measure": "복약 달력, 위기 전화 횟수",
        "inner": ("experience", "예전에 1년 넘게 안정적으로 지낸 경험", "복약 달력에 날마다 직접 표시한다"),
        "outer": ("family", "함께 사는 가족", "가족이 저녁 복약을 함께 확인한다", "family"),
        "informal": (("youth_meal", "walk_group"), "동네 모임에 한 달에 두 번 나간다", "person"),
        "formal": ((("mh_counsel",), "정신건강 상담(주 1회)과 진료 동행을 받는다", "person"),
                   (("crisis_line",), "힘든 날 위기 상담 전화번호를 휴대폰 첫 화면에 둔다", "person")),
        "progress": ("복약 달력에 빠짐없이 표시함.", "약을 바꾼 뒤 멍한 느낌이 줄었다고 함.",
                     "잠을 못 자 힘들었다며 먼저 전화함. 다음 날 방문함."),
        "decision": "진료 동행, 위기 연락망 확인",
    },
    "daily_routine": {
        "domain": D.DAILY_LIVING, "framing": "positive",
        "expressed": "하루가 너무 길어요. 아무것도 하기 싫어요.",
        "felt": "무기력한 내가 싫고, 하루를 버티는 게 아니라 보내고 싶음.",
        "agreed": "하루 일과표를 만들어 낮에는 한 가지 바깥 활동을 한다.",
        "goal": "낮에 바깥 활동 한 가지씩 하기",
        "measure": "일과표 실천 일수",
        "inner": ("ability", "요리를 좋아함", "일주일에 두 번 직접 장을 봐 요리한다"),
        "informal": (("walk_group", "youth_meal", "garden_group"), "동네 모임 한 곳에 나간다", "person"),
        "formal": ((("day_programme",), "주간 재활 프로그램에 다닌다", "person"),),
        "progress": ("일과표를 냉장고에 붙여 두고 지킨다고 함.", "주간 프로그램에서 요리 수업을 들었다고 함.",
                     "이번 주는 계속 누워 지냈다고 함. 작은 일 하나부터 다시 정함."),
        "decision": "주간 재활 프로그램 연계",
    },
}

# Needs the team cannot help with now (DOMAIN.md §3, need selection): kept with a reason.
SET_ASIDE_NEEDS: dict[str, dict] = {
    "new_house": {"domain": D.HOUSING, "framing": "positive",
                  "expressed": "아예 새 아파트로 이사 가고 싶어요.",
                  "felt": "지금 집이 낡고 불편해서 떠나고 싶음.",
                  "reason": "resources",
                  "note": "당장 옮길 수 있는 집과 비용이 없어 내려놓음. 임대주택 공고가 나면 다시 의논하기로 함."},
    "car": {"domain": D.EMPLOYMENT, "framing": "positive", "expressed": "일하려면 차가 있어야 해요.",
            "felt": "멀리 있는 일자리도 다니고 싶음.",
            "reason": "opportunity_cost",
            "note": "차량 구입 지원은 다른 지원보다 앞세우기 어려워 내려놓음. 대중교통으로 다닐 수 있는 일자리부터 "
                    "찾기로 함."},
    "lawsuit": {"domain": D.LEGAL, "framing": "negative", "expressed": "예전 사장한테 못 받은 월급을 받아 주세요.",
                "felt": "억울함을 풀고 싶음.",
                "reason": "identity",
                "note": "임금 체불 소송 대리는 기관의 역할 밖이어서 내려놓음. 노동청 진정 방법만 안내함."},
    "son_contact": {"domain": D.FAMILY, "framing": "positive", "expressed": "연락 끊긴 아들을 찾아 주세요.",
                    "felt": "죽기 전에 아들 얼굴을 한 번 보고 싶음.",
                    "reason": "capacity",
                    "note": "당사자가 아직 마음의 준비가 안 되었다고 함. 때가 되면 다시 이야기하기로 함."},
    "hometown": {"domain": D.FAMILY, "framing": "positive", "expressed": "고향에 한번 다녀오고 싶어요.",
                 "felt": "부모님 산소에 인사드리고 싶음.",
                 "reason": "opportunity_cost", "note": "지금은 건강 회복이 먼저라 내려놓음. 봄에 다시 의논하기로 함."},
}

# Which needs a household of each profile brings (the first is always among them) and may set aside.
PROFILE_NEEDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "elderly_alone": (("walk_market", "meals", "lonely", "heating", "gas_safety"), ("son_contact", "hometown")),
    "elderly_couple": (("care_burden", "ltc", "heating", "meals"), ("hometown", "new_house")),
    "middle_alone": (("work_again", "rent_arrears", "back_pain", "drinking", "debt"), ("car", "lawsuit")),
    "youth_alone": (("go_out", "youth_livelihood", "youth_job"), ("new_house",)),
    "single_parent": (("child_school", "child_support", "work_again", "housing_up"), ("car", "new_house")),
    "grandparent": (("grandchild_study", "walk_market", "heating", "meals"), ("son_contact",)),
    "disability": (("care_gap", "home_mod", "lonely"), ("new_house",)),
    "family_crisis": (("debt", "rent_arrears", "child_school", "family_talk"), ("car", "lawsuit")),
    "housing": (("housing_up", "respiratory", "rent_arrears", "meals"), ("lawsuit",)),
    "mental": (("medication", "daily_routine", "drinking", "lonely"), ("hometown",)),
}
# The formal resources a referral-only (서비스연계) household is linked to, by profile.
LINKAGE_RESOURCES: dict[str, tuple[str, ...]] = {
    "elderly_alone": ("elder_care", "safety_sensor", "energy_voucher", "food_bank", "visit_health"),
    "elderly_couple": ("ltc_apply", "energy_voucher", "visit_health"),
    "middle_alone": ("emergency_livelihood", "basic_livelihood", "self_sufficiency", "food_bank"),
    "youth_alone": ("housing_benefit", "youth_job", "food_bank"),
    "single_parent": ("single_parent", "child_centre", "food_bank"),
    "grandparent": ("dream_start", "energy_voucher", "food_bank"),
    "disability": ("disability_support", "repair_housing"),
    "family_crisis": ("emergency_livelihood", "legal_aid", "family_centre"),
    "housing": ("housing_benefit", "public_rental", "energy_voucher"),
    "mental": ("mh_counsel", "day_programme"),
}
EXTRA_STRENGTHS = (
    ("ability", "손재주가 좋아 고장 난 물건을 잘 고침"),
    ("experience", "한 동네에 오래 살아 골목 사정을 잘 앎"),
    ("will", "'남에게 폐 끼치지 않고 살고 싶다'는 마음"),
    ("ability", "이야기를 잘 들어 주는 성품"),
    ("experience", "어려운 시절을 스스로 견뎌 낸 경험"),
)
CRISIS_NOTES = {
    "high": ("자해·자살 언급, 혼자 지내는 시간이 길어 매주 확인 필요.", "단전·단수 예고와 건강 악화가 겹침. 즉시 개입.",
             "낙상 위험과 화재 위험이 커 안전 확인이 급함."),
    "medium": ("생계 곤란이 이어지나 당장의 안전 위험은 낮음.", "건강 문제로 일상생활에 어려움, 정기 점검 필요.",
               "가족 지지가 약해 고립 위험이 있음."),
    "low": ("지원 연계 후 스스로 생활을 꾸려 갈 힘이 있음.", "위기 요인이 해소되어 가는 중.",
            "연계만으로 충분해 보임."),
}

# --- Contact records (상담·방문 기록) -----------------------------------------------------------
REFUSAL_VISIT_NOTES = (
    "문 앞에서 '필요 없다'며 돌려보냄. 안내문과 명함을 문틈에 남김.",
    "인터폰으로 잠깐 대화. 도움은 원하지 않는다고 함. 다음 달 다시 찾아가기로 함.",
    "문을 조금 열고 '괜찮다'고만 함. 건강해 보이지는 않음. 생수 한 묶음을 두고 옴.",
    "'나라 도움 받기 싫다'며 거절. 억지로 권하지 않고 안부만 물음.",
    "이웃 통장님과 함께 방문. 당사자는 대화를 거부했으나 통장님과는 인사함.",
)
REFUSAL_PHONE_NOTES = (
    "전화로 안부를 물었으나 '찾아오지 말라'고 함. 문자로 연락처를 남김.",
    "전화는 받았으나 '괜찮다'며 바로 끊음.",
)
NO_ANSWER_NOTES = (
    "초인종·노크에 응답 없음. 우편함에 메모를 남김.",
    "방문했으나 부재. 이웃 말로는 낮에는 자주 외출한다고 함.",
    "응답 없음. 전기 계량기는 돌아가고 있어 거주는 확인함.",
)
NO_ANSWER_PHONE_NOTES = (
    "전화 연결 안 됨. 문자로 안부를 남김.",
    "신호는 가나 받지 않음. 다음 날 다시 걸기로 함.",
)
NO_SHOW_NOTE = "약속한 상담에 오지 않음. 전화로 다시 약속을 잡기로 함."
NO_ANSWER_MESSAGE_NOTES = ("문자 안부에 답이 없음. 다음 주에 전화하기로 함.",)
DOOR_MET_NOTES = (
    "문을 열고 10분쯤 이야기함. 도움은 아직이지만 다시 와도 된다고 함.",
    "처음으로 안부 인사를 받아 줌. 날씨와 건강 이야기를 나눔.",
    "반찬을 받아 줌. 다음 방문 때 이야기를 더 해 보기로 함.",
)
PHONE_MET_NOTES = ("전화로 짧게 안부를 나눔. 도움은 아직 필요 없다고 함.",
                   "전화를 받아 건강 이야기를 조금 나눔. 다음 달에도 연락해도 된다고 함.")
OTHER_NOTES = ("가족이 대신 받아 안부를 전함.", "병원 진료 중이라 짧게 통화하고 다시 연락하기로 함.")
HOLD_NOTES = (
    "전화 안부 확인. 조금 더 생각해 보고 연락하겠다고 함.",
    "퇴원 여부 확인 전화. 회복 중이라 다음 달에 다시 이야기하기로 함.",
    "가족과 의논 중이라고 함. 2주 뒤 다시 연락하기로 함.",
)
CASEWORK_NOTES = {
    "identification": ("발굴 상담. 상황을 듣고 주민센터 상담을 안내함.", "제보를 받고 첫 접촉. 당사자와 인사하고 "
                                                                         "어려움을 들음.",
                       "위기가구 발굴 명단으로 연락. 만날 날짜를 잡음."),
    "initial_consultation": ("초기상담. 어려움과 바라는 것을 당사자의 말로 들음.",
                             "초기상담. 받을 수 있는 지원을 안내하고 사례관리를 원하는지 물음."),
    "intake": ("접수 상담. 정보제공 동의서를 한 항목씩 설명하고 받음.", "접수 상담. 사례관리 과정과 앞으로의 일정을 "
                                                                        "안내함."),
    "assessment": ("사정 방문. 당사자가 하고 싶은 일부터 물음.", "욕구 조사 방문. 당사자의 말을 그대로 받아 적고 함께 "
                                                                 "다듬음.",
                   "강점 찾기 면담. 잘해 온 일과 도와줄 사람을 함께 꼽아 봄."),
    "selection": ("선정 결과를 전화로 안내함.", "사례회의 결과를 설명하고 의견을 물음."),
    "planning": ("계획 의논 방문. 당사자가 할 일과 부탁할 사람을 먼저 정함.", "계획 초안을 함께 읽고 고침.",
                 "이웃에게 부탁할 일을 당사자와 의논함."),
    "linkage": ("필요한 서비스를 안내하고 신청을 도움.", "연계 후 점검 전화. 서비스가 시작되었다고 함."),
    "closure": ("종결 안내 방문. 그동안 해 온 일을 함께 돌아봄.", "종결 안내 전화. 필요하면 언제든 연락하라고 안내함."),
    "moved": ("방문했으나 이사 간 뒤였음. 이웃 말로는 지방 자녀 집으로 갔다고 함.", "전화가 해지되어 연락이 닿지 "
                                                                                    "않음."),
}
MONITORING_OPENERS = {"home_visit": "가정방문.", "phone": "전화 점검.", "office": "내방 상담.", "message": "문자 안부."}
FOLLOW_UP_NOTES = (
    "사후관리 방문. 스스로 생활을 잘 꾸려 가고 있음.",
    "사후관리 전화. 연계된 서비스가 잘 이어지고 있다고 함.",
    "사후관리 방문. 이웃과 왕래가 이어지고 있음. 어려움 있으면 연락하기로 함.",
    "사후관리 전화. 건강이 조금 나빠졌으나 병원에 다니고 있음.",
)
# --- Plans, approvals, conferences, referrals -----------------------------------------------------
APPROVAL_COMMENTS = ("", "", "승인.", "확인했습니다.")
PLAN_APPROVAL_COMMENTS = ("", "승인.", "당사자 자원을 먼저 살린 계획이라 좋습니다. 승인합니다.",
                          "승인. 재사정 때 이웃의 도움이 이어지는지 꼭 확인해 주세요.")
RETURN_COMMENTS = (
    "목표가 기관이 할 일로만 적혀 있습니다. 당사자와 다시 의논해 당사자의 말로 적어 주세요.",
    "이웃·주민 모임에 먼저 물어본 기록이 없습니다. 비공식 자원을 찾아본 뒤 다시 올려 주세요.",
)
REFERRAL_REASONS = {
    K.DISTRICT_OFFICE: "고난도 사례로 통합사례관리 지원과 긴급복지 검토를 요청합니다.",
    K.COMMUNITY_CENTRE: "기초생활수급 신청과 긴급복지 지원을 요청합니다. 당사자가 직접 방문하기로 했습니다.",
    K.WELFARE_CENTRE: "밑반찬·정서 지원과 자원봉사자 연계를 요청합니다.",
    K.MENTAL_HEALTH_CENTRE: "우울감과 음주 문제로 정신건강 상담을 요청합니다. 당사자 동의를 받았습니다.",
    K.HOUSING_CENTRE: "주거환경이 열악해 주거 상담(임대주택 신청, 주거환경 개선)을 요청합니다.",
}
DECLINE_REASONS = (
    "이번 달 정원이 차서 당장은 어렵습니다. 다음 달 초에 다시 의뢰해 주세요.",
    "우리 기관의 서비스 지역이 아닙니다. 관할 복지관에 의뢰해 주세요.",
    "같은 서비스를 이미 다른 기관에서 받고 있어 중복됩니다.",
)
REFERRAL_COMPLETIONS = (
    "요청한 지원을 마쳤습니다. 이후 점검은 주관 기관에서 해 주세요.",
    "연계 완료. 정기 방문은 월 1회로 이어 갑니다.",
    "신청·책정까지 마쳤습니다.",
)
TASK_DONE_NOTES = ("완료했습니다.", "당사자와 함께 신청을 마쳤습니다.", "연계 후 첫 이용을 확인했습니다.")
CONFERENCE_PLACES = ("기관 회의실", "동주민센터 2층 회의실", "복지관 상담실", "구청 희망복지지원단 회의실")

# --- The three reference scenarios (DOMAIN.md §7): what their people said and what was done -----
# Needs as in NEEDS, with when they are agreed: "selected" at the assessment, "later" said then but
# agreed at the reassessment, "review" first said at the reassessment, "set_aside" with a reason.
HOARDING_NEEDS = (
    {
        "domain": D.HOUSING, "framing": "positive", "status": "selected",
        "expressed": "어머니 물건은 남기고 나머지는 정리하고 싶어요. 그래도 내 허락 없이 버리는 건 안 돼요.",
        "felt": "팔을 다치고 보니 넘어질까 겁나고, 어머니 유품만큼은 지키면서 사람 사는 집처럼 살고 싶음.",
        "agreed": "버릴 물건은 당사자가 정하고, 2월에 여러 사람의 도움을 받아 집을 치운 뒤 어머니 물건 상자를 안전하게 "
        "보관한다.",
        "goal": "어머니 물건은 지키고 나머지를 정리해 집 안에서 안전하게 지내기",
        "measure": "대청소 완료, 통로 확보, 재적치 여부(월 1회 방문 확인)",
        "inner": ("will", "물건마다 남길지 버릴지 직접 정하겠다는 의지",
                  "물건 분류 기준(어머니 유품, 쓸 물건, 버릴 물건)을 당사자가 직접 정한다"),
        "outer": ("family", "경기도 광주에 사는 사촌 동생", "사촌 동생이 청소 첫날 와서 어머니 물건 상자를 함께 꾸린다",
                  "family"),
        "informal": (("volunteers_hand",), "자원봉사자 24명이 닷새 동안 분류와 반출을 돕는다", "volunteer"),
        "formal": ((("hoarding_cleanup",), "희망복지지원단이 폐기물 반출과 방역을 맡는다", "agency"),
                   (("repair_housing",), "주거안심종합센터가 도배·장판을 새로 한다", "agency")),
        "progress": ("통로가 그대로 유지되고 있음. 새로 쌓인 물건 없음.", "어머니 물건 상자를 보여 주며 정리한 "
                                                                          "이야기를 함.",
                     "재활용품을 조금 모아 두었으나 스스로 내놓기로 함."),
    },
    {
        "domain": D.PHYSICAL_HEALTH, "framing": "positive", "status": "selected",
        "expressed": "팔이 다 나을 때까지는 밥 해 먹기가 힘들어요.",
        "felt": "다친 팔 때문에 혼자 살 수 있을지 불안함.",
        "agreed": "팔이 나을 때까지 반찬과 방문간호 도움을 받고, 석 달 안에 혼자 장 보고 밥 지어 먹는다.",
        "goal": "석 달 안에 혼자 장 보고 밥 지어 먹기",
        "measure": "재활 진료, 혼자 장 본 횟수",
        "inner": ("experience", "20년 넘게 혼자 밥 지어 먹은 살림 솜씨", "팔이 나아지는 대로 밥은 직접 짓는다"),
        "informal": (("vincent_junglim",), "성당 봉사회가 반찬과 생필품을 전한다", "volunteer"),
        "formal": ((("visit_health",), "방문간호사가 월 2회 팔 재활과 혈압을 확인한다", "agency"),),
        "progress": ("깁스를 풀고 재활 운동 중.", "혼자 시장에 다녀왔다고 함."),
    },
    {
        "domain": D.FAMILY, "framing": "positive", "status": "later",
        "expressed": "동네 사람들이 나를 싫어하잖아요.",
        "felt": "민원 때문에 이웃 눈치가 보여 외롭고, 다시 인사하며 지내고 싶음.",
        "agreed": "청소가 끝나면 이웃에게 직접 인사하고, 복지관 어르신 텃밭 모임에 나가 본다.",
        "goal": "이웃과 인사하며 지내고 텃밭 모임에 나가기",
        "measure": "모임 참석, 이웃과 나눈 인사(월 1회 확인)",
        "inner": ("experience", "마당에서 고추·상추를 길러 온 경험", "텃밭에서 기른 상추를 이웃과 나눈다"),
        "outer": ("neighbour", "골목 건너편에 사는 김 씨 할머니", "김 씨 할머니와 텃밭 모임에 함께 간다", "neighbour"),
        "informal": (("garden_group",), "어르신 텃밭 모임에 매주 나간다", "person"),
        "progress": ("텃밭 모임에서 기른 고추를 나눠 줌.", "골목 이웃이 먼저 인사를 건넸다며 좋아함."),
    },
    {
        "domain": D.HOUSING, "framing": "positive", "status": "set_aside",
        "expressed": "이 낡은 집을 헐고 새로 짓고 싶어요.",
        "felt": "집이 무너질까 걱정되고, 어머니와 살던 자리를 지키고 싶음.",
        "reason": "resources", "note": "재건축 비용은 기관이 도울 수 있는 범위를 넘어 내려놓음. 주거안심종합센터의 "
        "안전 점검으로 대신함.",
    },
)
# (date, kind, outcome, note) of the visits while the hoarding household refused (2019–2023).
HOARDING_VISITS = (
    ("2019-03-14", "outreach", "refused", "첫 방문. 문을 열지 않고 '필요 없다, 내 물건에 손대지 말라'며 거절. 골목까지 "
                                          "폐기물 적치, 악취 민원 3건."),
    ("2019-05-02", "outreach", "no_answer", "노크에 응답 없음. 대문 앞 폐기물이 더 늘어남. 명함을 남김."),
    ("2019-06-20", "outreach", "refused", "대문 너머로 짧게 대화. '구청에서 왜 자꾸 오냐'며 돌려보냄."),
    ("2019-08-08", "outreach", "refused", "폭염 안부 방문. 생수를 대문 앞에 두자 나중에 가져감."),
    ("2019-09-26", "outreach", "no_answer", "부재. 통장님 말로는 새벽에 폐지를 주우러 다닌다고 함."),
    ("2019-11-20", "home_visit", "met", "김장김치 전달 방문에서 처음으로 대문 앞 대화(15분). 혼자 지낸 지 20년, 건강은 "
                                        "괜찮다고 함."),
    ("2019-12-02", "home_visit", "refused", "집 정리 이야기에 다시 문을 닫음. 물건은 '다 쓸 데가 있다'고 함."),
    ("2020-02-17", "outreach", "refused", "코로나19 안내문 전달. 문을 열지 않음."),
    ("2020-05-11", "phone", "no_answer", "집 전화 연결 안 됨. 통장님께 안부 확인을 부탁함."),
    ("2020-07-06", "outreach", "refused", "대문 앞 대화 5분. '구청 사람은 믿을 수 없다'고 함."),
    ("2020-09-08", "home_visit", "met", "방역물품 전달. 마스크는 받음. 다리 통증을 호소함."),
    ("2020-10-05", "home_visit", "refused", "병원 동행을 제안했으나 거절. 강제 처리는 관계를 해칠 우려가 커 방문을 "
                                            "이어 가기로 함."),
    ("2020-12-21", "outreach", "no_answer", "한파 안부 방문. 응답 없음. 굴뚝 연기로 난방은 확인함."),
    ("2021-03-15", "outreach", "refused", "봄맞이 방문. '올해는 내가 치운다'며 돌려보냄."),
    ("2021-05-24", "outreach", "refused", "이웃 민원으로 구청 청소과와 동행 방문. 강하게 거부하여 청소과는 돌아감. "
                                          "관계 회복을 위해 혼자 다시 오기로 함."),
    ("2021-07-21", "home_visit", "met", "폭염 안부 확인. 처음으로 현관 안에서 대화. 어머니 유품이라 버릴 수 없다는 "
                                        "물건 이야기를 들음."),
    ("2021-08-10", "home_visit", "refused", "정리 제안에는 '아직은 아니다'. 방문 자체는 반기기 시작함."),
    ("2021-11-02", "outreach", "refused", "김장김치를 받았으나 집 안 이야기는 피함."),
    ("2022-02-14", "phone", "no_answer", "전화 연결 안 됨. 다음 날 통장님이 안부 확인."),
    ("2022-04-25", "outreach", "refused", "마당 폐기물에 쥐가 나온다는 민원. 방역만이라도 제안했으나 거절."),
    ("2022-07-11", "outreach", "refused", "폭염 안부. 문을 열고 '고맙다'고 했으나 도움은 사양함."),
    ("2022-09-29", "outreach", "no_answer", "부재. 대문에 추석 인사 메모를 남김."),
    ("2022-12-14", "home_visit", "met", "한파 대비 난방 점검을 처음으로 받아들임. 보일러 배관 수리."),
    ("2023-01-09", "home_visit", "refused", "화재 위험을 설명했으나 정리는 거부. '내가 스스로 하겠다'."),
    ("2023-03-27", "outreach", "refused", "봄 방문. 집 앞 물건이 조금 줄어 있어 칭찬함. 정리 도움은 아직 사양."),
    ("2023-06-12", "outreach", "no_answer", "응답 없음. 이웃이 며칠째 못 봤다고 하여 다음 날 재방문."),
    ("2023-06-13", "home_visit", "met", "재방문. 감기로 누워 있었다고 함. 약을 사다 드림."),
    ("2023-08-21", "outreach", "refused", "폭염 안부. 집 정리 이야기는 꺼내지 않기로 하고 안부만 나눔."),
    ("2023-10-17", "home_visit", "met", "집 안에서 넘어져 팔 골절. 입원 중 면회, 퇴원 후 지금 집에서 지내기 어렵다는 "
                                        "데 본인도 동의."),
)
# 'Refusal, then trust': visit numbers at fixed dates (the rest are spread between them).
TRUST_ANCHORS = {1: "2024-05-16", 9: "2024-07-02", 10: "2024-07-09", 21: "2024-12-16", 23: "2025-01-06",
                 41: "2025-11-09"}
TRUST_VISIT_NOTES = {
    1: ("refused", "문 너머로 '도움 필요 없다'. 명함과 복지관 소식지를 문틈에 남김."),
    9: ("met", "폭염 생수 전달 때 처음 문을 열고 5분 대화."),
    10: ("refused", "병원 이야기에 '나라 신세 지기 싫다'며 거절. 억지로 권하지 않고 안부 방문만 이어 가기로 팀 "
                    "회의에서 정함."),
    21: ("met", "김장 나눔 김치를 받음. 고향 이야기를 오래 나눔."),
    23: ("refused", "기초생활수급 신청 안내는 거절. 안부 방문은 와도 된다고 함."),
    41: ("met", "문을 열고 발을 보여 줌. 상처가 깊어 보여 병원 이야기를 조심스럽게 꺼냄."),
}
TRUST_NEEDS = (
    {
        "domain": D.PHYSICAL_HEALTH, "framing": "positive", "status": "selected",
        "expressed": "발이 너무 아파요. 병원에 같이 가 줄 수 있어요?",
        "felt": "발을 잃을까 봐 무섭고, 혼자서는 병원 문턱을 넘기가 어려움.",
        "agreed": "처음 세 번은 함께, 그 뒤로는 혼자 당뇨·발 치료를 꾸준히 받아 봄에는 걸어서 시장에 간다.",
        "goal": "당뇨·발 치료 꾸준히 받아 봄에 걸어서 시장 가기",
        "measure": "진료 참석, 상처 회복(방문간호 확인), 혼자 다녀온 진료 횟수",
        "inner": ("will", "'내 발로 시장에 다시 가고 싶다'는 마음", "네 번째 진료부터는 혼자 병원에 다닌다"),
        "outer": ("friend", "고향 친구 박 씨(전화로 연락)", "고향 친구가 진료 다녀온 날 전화로 격려한다", "person"),
        "informal": (("tongjang_junglim",), "통장님이 주 1회 들러 발 상태와 안부를 묻는다", "neighbour"),
        "formal": ((("hospital_escort",), "복지관 사회복지사가 처음 세 번 진료에 동행한다", "agency"),
                   (("visit_health",), "방문간호사가 격주로 상처 소독과 혈당을 확인한다", "agency")),
        "progress": ("상처가 아물고 있음. 혼자 진료를 다녀왔다고 함.", "혈당 기록을 직접 적기 시작함.",
                     "시장 입구까지 걸어가 봤다며 웃음."),
    },
    {
        "domain": D.LIVELIHOOD, "framing": "negative", "status": "selected",
        "expressed": "나라 신세는 지기 싫은데, 사실 방세 내기가 빠듯해요.",
        "felt": "자존심 때문에 말 못 했지만 생활이 불안함.",
        "agreed": "기초생활수급을 본인이 직접 주민센터에 가서 신청하고, 방세와 약값 걱정을 던다.",
        "goal": "본인이 직접 수급 신청해 방세·약값 걱정 덜기",
        "measure": "신청·책정 여부, 체납 여부",
        "inner": ("ability", "30년 동안 목수로 일하며 익힌 꼼꼼함", "신청 서류를 직접 챙겨 주민센터에 간다"),
        "formal": ((("basic_livelihood",), "중림동 주민센터에서 기초생활수급을 신청한다", "person"),),
        "progress": ("주민센터에 혼자 다녀왔다고 함.", "수급 책정 통지를 받고 안도함."),
    },
    {
        "domain": D.FAMILY, "framing": "positive", "status": "selected",
        "expressed": "혼자 밥 먹는 게 지겨워요.",
        "felt": "사람들과 어울리고 싶지만 먼저 다가가기가 쑥스러움.",
        "agreed": "복지관 식사 모임에 일주일에 한 번 나가 이웃을 사귄다.",
        "goal": "일주일에 한 번 식사 모임 나가 이웃 사귀기",
        "measure": "식사 모임 참석(월 1회 확인)",
        "inner": ("ability", "목수 일 솜씨", "식사 모임 식탁 다리를 직접 고쳐 준다"),
        "formal": ((("meal_together_junglim",), "'함께 밥상' 식사 모임에 매주 나간다", "person"),),
        "progress": ("식사 모임에서 고향 사람을 만났다고 함.", "모임 식탁을 고쳐 주어 고맙다는 인사를 받음."),
    },
    {
        "domain": D.FAMILY, "framing": "positive", "status": "set_aside",
        "expressed": "형하고 다시 연락하고 싶은데… 아니다, 그건 내가 알아서 할게요.",
        "felt": "형과의 오랜 다툼이 마음에 걸림.",
        "reason": "capacity", "note": "당사자가 지금은 원하지 않음. 때가 되면 다시 이야기하기로 함.",
    },
)
RECOVERY_NEEDS = (
    {
        "domain": D.MENTAL_HEALTH, "framing": "positive", "status": "selected",
        "expressed": "밤마다 잠을 못 자고 나쁜 생각이 들어요.",
        "felt": "다시 그런 일을 저지를까 두렵고, 살고 싶은 이유를 찾고 싶음.",
        "agreed": "주 1회 상담과 꾸준한 진료로 잠을 되찾고, 힘들 때 연락할 사람 세 명을 정해 둔다.",
        "goal": "잠 되찾기, 힘들 때 연락할 사람 세 명 정해 두기",
        "measure": "수면 시간(주 1회 확인), 자살 위험성 재평가(월 1회)",
        "inner": ("will", "'엄마를 두고 떠나고 싶지 않다'는 마음", "잠들기 전 하루 있었던 일 세 가지를 적는다"),
        "outer": ("family", "함께 사는 어머니 송미숙", "어머니가 힘든 날 곁에 있어 주고 센터에 연락한다", "family"),
        "formal": ((("mh_counsel",), "정신건강복지센터 주 1회 상담과 정신건강의학과 진료", "person"),
                   (("crisis_line",), "위기 상담 전화번호를 휴대폰 첫 화면에 둔다", "person")),
        "progress": ("잠드는 시간이 빨라졌다고 함. 표정이 밝음.", "위험성 재평가 결과 낮아짐.",
                     "힘든 밤에 먼저 전화함. 다음 날 상담에서 이야기를 나눔."),
    },
    {
        "domain": D.EMPLOYMENT, "framing": "positive", "status": "selected", "achieve_at_review": True,
        "expressed": "커피 내리는 일을 해 보고 싶어요.",
        "felt": "예전 카페 아르바이트 때가 가장 즐거웠고, 다시 잘하는 일을 하고 싶음.",
        "agreed": "사회복귀시설의 바리스타 과정을 마치고 자격증을 딴다.",
        "goal": "바리스타 과정 12주 마치고 자격증 따기",
        "measure": "출석률, 자격 시험 결과",
        "inner": ("experience", "대학 시절 3년간 카페에서 일한 경험", "매일 아침 집에서 핸드드립을 연습한다"),
        "informal": (("cafe_alley",), "동네 카페 '골목 커피'에서 주 1회 실습한다", "person"),
        "formal": ((("barista",), "정신재활시설 바리스타 양성 과정(12주)을 듣는다", "person"),),
        "progress": ("바리스타 과정 출석률 100%.", "라테 아트 사진을 보여 주며 웃음.", "실기 시험 연습 중."),
    },
    {
        "domain": D.LIVELIHOOD, "framing": "negative", "status": "selected",
        "expressed": "일을 그만두고 나서 엄마한테 손 벌리는 게 미안해요.",
        "felt": "어머니께 짐이 된다는 생각이 자신을 더 힘들게 함.",
        "agreed": "교육받는 동안 긴급복지 생계지원으로 생활비를 메우고, 어머니와 생활비를 함께 계획한다.",
        "goal": "교육 기간 생활비 메우고 어머니와 함께 계획하기",
        "measure": "생계지원 지급, 생활비 계획표",
        "inner": ("ability", "꼼꼼하게 가계부를 쓰는 습관", "어머니와 한 달 생활비 계획을 직접 세운다"),
        "formal": ((("emergency_livelihood",), "신당동 주민센터에서 긴급복지 생계지원을 받는다", "agency"),),
        "progress": ("생계지원이 지급되어 마음이 놓인다고 함.", "어머니와 가계부를 함께 씀."),
    },
    {
        "domain": D.EMPLOYMENT, "framing": "positive", "status": "review",
        "expressed": "자격증은 땄는데, 면접에서 또 떨까 봐 무서워요.",
        "felt": "다시 일터에 서고 싶지만 실패가 두려움.",
        "agreed": "모의 면접을 세 번 해 보고, 주 4일 일할 수 있는 카페에 지원해 일을 시작한다.",
        "goal": "모의 면접 세 번, 주 4일 카페 일 시작하기",
        "measure": "모의 면접 횟수, 지원·합격, 근무 유지",
        "inner": ("ability", "바리스타 2급 자격과 실습 경험", "자기소개를 직접 써서 연습한다"),
        "outer": ("friend", "고등학교 친구 지민", "친구가 면접관 역할을 해 준다", "person"),
        "informal": (("cafe_alley",), "골목 커피 사장님이 추천서를 써 준다", "person"),
        "formal": ((("youth_job",), "청년 일자리 상담에서 면접 준비를 받는다", "person"),),
        "progress": ("모의 면접에서 목소리가 커졌다고 함.", "카페 면접에 합격. 다음 주 첫 출근.",
                     "출근 3주째. 피곤하지만 즐겁다고 함."),
    },
)
WORKSHOP_MINUTES = (
    "'함께라면 괜찮아' 민관 사례관리 실천 공유 워크숍. 중구 민관 사례관리 담당자 60여 명 참석.\n"
    "1) 저장강박 가구, 5년의 설득(희망복지지원단 이하연): 2019년부터 거절을 기록하며 찾아간 과정, "
    "2024년 2월 세 기관과 자원봉사자 24명이 함께한 대청소.\n"
    "2) 거절에서 신뢰로(중림종합사회복지관 노지은): 40여 차례의 방문 끝에 당사자가 먼저 도움을 청한 이야기.\n"
    "3) 자살 시도 후 회복(중구정신건강복지센터 오화영): 바리스타 과정에서 면접 준비, 취업까지 "
    "'맞춤 인테리어'처럼 함께 세운 계획.\n"
    "토론: 거절도 기록으로 남기자, 당사자의 말을 그대로 적고 함께 다듬자, 이웃의 힘을 먼저 묻자."
)
HOARDING_CONFERENCE = {
    "title": "저장강박 가구 민관 통합사례회의", "place": "중구청 희망복지지원단 회의실",
    "agencies": ("district", "housing", "wc-junglim"),
    "attendees": ("district-worker", "district-1", "housing-worker", "welfare-worker"),
    "others": "중구청 청소행정과 주무관, 중림동 통장",
    "discussion": (
        "5년 가까이 거절하던 당사자가 팔 골절 뒤 먼저 '집을 치우고 싶다'고 함. 당사자의 조건: 어머니 물건은 "
        "남기고, 버릴 것은 본인이 정한다. 2월 셋째 주 닷새 동안 대청소, 이어 도배·장판."
    ),
    "minutes": (
        "1. 경과 공유(희망복지지원단): 2019년 3월부터 거절 방문 기록, 2023년 10월 골절 입원 뒤 당사자 요청으로 접수.\n"
        "2. 당사자의 말: '어머니 물건은 남기고 나머지는 정리하고 싶다. 내 허락 없이 버리는 건 안 된다.'\n"
        "3. 역할: 희망복지지원단 — 폐기물 반출·방역, 청소행정과 협조 / 중림종합사회복지관 — 자원봉사자 모집, "
        "분류 작업 지원 / 주거안심종합센터 — 도배·장판 교체, 주거 안전 점검.\n"
        "4. 원칙: 물건 분류는 당사자가 직접 결정, 어머니 유품 상자는 따로 보관, 작업 중 당사자가 쉬고 싶으면 멈춘다."
    ),
    "tasks": (
        ("district-worker", "당사자와 물건 분류 기준(어머니 유품·쓸 물건·버릴 물건) 정하기", 20, 18,
         "당사자가 직접 기준을 정하고 유품 상자 세 개를 준비함."),
        ("welfare-worker", "대청소 자원봉사자 모집(닷새, 하루 5명 안팎)", 31, 29, "자원봉사자 24명 모집 완료."),
        ("housing-worker", "도배·장판 견적과 공사 일정 잡기", 22, 21, "견적 확정, 대청소 다음 주 공사."),
        ("district-worker", "청소행정과와 폐기물 반출 차량·방역 일정 협의", 36, 34, "2월 19~23일 차량 2대 배정."),
    ),
}
HOARDING_SERVICES = (
    ("2024-02-19", "hoarding_cleanup", "district-worker",
     "대청소 1일차: 당사자가 정한 기준대로 물건 분류 시작. 어머니 유품 상자 3개는 따로 보관."),
    ("2024-02-19", "volunteers_hand", "welfare-worker",
     "자원봉사자 연계: 닷새 동안 연인원 24명(중구 자원봉사단 '손잡고', 복지관 모집)."),
    ("2024-02-23", "hoarding_cleanup", "district-worker", "대청소 마무리: 폐기물 11톤 반출, 방역·소독."),
    ("2024-02-26", None, "district-worker", "소화기·화재 감지기 설치", D.SAFETY),
    ("2024-02-27", "repair_housing", "housing-worker", "도배·장판 교체(방 2칸·부엌)."),
    ("2024-03-05", "vincent_junglim", "district-worker", "성당 봉사회 반찬·생필품 전달(팔 회복 기간)."),
    ("2024-03-12", "visit_health", "district-worker", "방문간호: 팔 재활 운동·혈압 확인."),
    ("2024-04-09", "visit_health", "district-worker", "방문간호: 깁스 제거 뒤 재활 확인."),
    ("2024-05-14", "visit_health", "district-worker", "방문간호: 재활 마무리, 혼자 장보기 가능."),
    ("2024-09-10", "garden_group", "district-worker", "어르신 텃밭 모임 연결(김 씨 할머니와 함께 첫 참여)."),
)
TRUST_CONFERENCE = {
    "title": "중림동 통합사례회의(거부 후 도움 요청 가구)", "place": "중림종합사회복지관 상담실",
    "agencies": ("wc-junglim", "cc-junglim"), "attendees": ("welfare-worker", "wc-junglim-4", "cc-junglim-2"),
    "person": True,
    "discussion": (
        "1년 반 동안 41차례 방문, 당사자가 먼저 병원 동행을 요청함. 당사자도 회의에 참석해 '병원은 처음 세 번만 "
        "같이 가 주고, 수급 신청은 내가 직접 하겠다'고 말함."
    ),
    "minutes": (
        "당사자 참석. 당사자의 말을 먼저 듣고 역할을 나눔. 복지관: 병원 동행 3회, '함께 밥상' 식사 모임 안내. "
        "주민센터: 기초생활수급 신청 안내(당사자 직접 방문), 방문간호 연계. 통장님께 주 1회 안부 부탁."
    ),
    "tasks": (
        ("cc-junglim-2", "기초생활수급 신청 안내(당사자가 직접 방문할 때 상담)", 14, 12, "당사자가 직접 와서 신청함."),
        ("welfare-worker", "병원 동행 일정 잡기(내분비내과·상처 치료)", 10, 8, "1월 12일 첫 동행으로 정함."),
    ),
}
TRUST_SERVICES = (
    ("2025-11-13", "hospital_escort", "welfare-worker", "병원 동행: 발 상처 응급 치료(접수 직후 긴급 지원)."),
    ("2025-12-15", "basic_livelihood", "cc-junglim-2", "기초생활수급 신청 접수(당사자 직접 방문)."),
    ("2026-01-12", "hospital_escort", "welfare-worker", "병원 동행 1회차: 내분비내과 진료·상처 치료."),
    ("2026-01-14", "tongjang_junglim", "welfare-worker", "통장님 주 1회 안부 확인 시작."),
    ("2026-01-15", "visit_health", "cc-junglim-2", "방문간호: 상처 소독·혈당 확인."),
    ("2026-01-20", "basic_livelihood", "cc-junglim-2", "생계·의료급여 책정."),
    ("2026-01-22", "meal_together_junglim", "welfare-worker", "'함께 밥상' 식사 모임 첫 참여."),
    ("2026-01-26", "hospital_escort", "welfare-worker", "병원 동행 2회차: 상처 회복 확인."),
    ("2026-02-09", "hospital_escort", "welfare-worker", "병원 동행 3회차: 다음부터는 혼자 다니기로 함."),
    ("2026-02-12", "visit_health", "cc-junglim-2", "방문간호: 상처 거의 아묾."),
    ("2026-03-12", "visit_health", "cc-junglim-2", "방문간호: 혈당 안정."),
    ("2026-04-16", "meal_together_junglim", "welfare-worker", "'함께 밥상' 식사 모임 참여 · 4월(식탁 다리를 고쳐 줌)."),
    ("2026-07-16", "meal_together_junglim", "welfare-worker", "'함께 밥상' 식사 모임 참여 · 7월."),
    ("2026-10-15", "meal_together_junglim", "welfare-worker", "'함께 밥상' 식사 모임 참여 · 10월."),
)
RECOVERY_CONFERENCE = {
    "title": "자살 시도 후 회복 지원 사례회의", "place": "중구정신건강복지센터 회의실",
    "agencies": ("mental", "cc-sindang"), "attendees": ("mental-health-worker", "mental-3", "dong-worker"),
    "family": True, "others": "정신재활시설 '새날' 바리스타 과정 담당자",
    "discussion": (
        "자살 시도 후 퇴원 2주. 위험성 고위험. 당사자가 하고 싶은 일은 '커피 내리는 일'. 어머니가 곁에 있음."
    ),
    "minutes": (
        "어머니 참석. 계획은 당사자와 꾸준히 이야기하며 방을 꾸미듯 하나씩 맞추기로 함. 센터: 주 1회 상담, "
        "위기 연락망. 주민센터: 긴급복지 생계지원(2인 가구). 정신재활시설: 바리스타 양성 과정 12주."
    ),
    "tasks": (
        ("dong-worker", "긴급복지 생계지원 신청(2인 가구)", 7, 5, "지원 결정, 3개월 지급."),
        ("mental-health-worker", "바리스타 과정 담당자와 당사자 면담 일정 잡기", 10, 6, "면담 후 등록."),
    ),
}
# (anchor, days after it, resource key or None, worker, description, domain when there is no resource)
RECOVERY_SERVICES = (
    ("conference", 5, "emergency_livelihood", "dong-worker", "긴급복지 생계지원 1개월분(2인 가구)", ""),
    ("conference", 35, "emergency_livelihood", "dong-worker", "긴급복지 생계지원 2개월분(2인 가구)", ""),
    ("conference", 65, "emergency_livelihood", "dong-worker", "긴급복지 생계지원 3개월분(2인 가구)", ""),
    ("delivery", 3, "barista", "mental-health-worker", "바리스타 양성 과정 등록(12주, 주 3회)", ""),
    ("delivery", 30, "cafe_alley", "mental-health-worker", "동네 카페 '골목 커피' 주 1회 실습 시작", ""),
    ("delivery", 80, "barista", "mental-health-worker", "바리스타 과정 수료, 바리스타 2급 자격 취득", ""),
    ("review", 3, "youth_job", "mental-health-worker", "청년 일자리 상담: 이력서 쓰기", ""),
    ("review", 10, "youth_job", "mental-health-worker", "청년 일자리 상담: 모의 면접 1회차", ""),
    ("review", 17, "youth_job", "mental-health-worker", "청년 일자리 상담: 모의 면접 2회차(친구 지민과 함께)", ""),
    ("review", 24, None, "mental-health-worker", "카페 면접 합격, 주 4일 근무 시작(첫 출근 전 동행 상담)",
     D.EMPLOYMENT),
)
WORKSHOP_SPEAKERS = ("district-admin", "district-worker", "welfare-worker", "mental-health-worker", "dong-worker",
                     "housing-worker")
# (worker, decision, days until due) from the workshop: open tasks on the demo accounts' lists.
WORKSHOP_TASKS = (
    ("district-worker", "발표한 세 사례를 묶어 실천 사례집 초안 만들기", 45),
    ("welfare-worker", "거부 가구 방문 기록 양식(횟수·결과·다음 방문일) 정리해 공유", 21),
    ("mental-health-worker", "위기 대응 연락망(동주민센터·정신건강복지센터·경찰) 갱신", 14),
    ("housing-worker", "저장강박 의심 가구 주거환경 점검표 공유", 28),
    ("dong-worker", "사후관리 안부 확인 체크리스트 정리", 30),
)
