"""Static material for the demo district (서울특별시 중구): dongs, agencies, staff, names, texts.

Everything here is invented for the demo except the public facts it leans on: the district's
code and its administrative dongs, the kinds of agencies in its case-management network, and the
three practitioners and their cases reported in the news (DOMAIN.md §7, seeds/).
"""

from __future__ import annotations

from hamkke.accounts.models import Role
from hamkke.districts.models import Agency

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

# Further staff per agency: (role, title) for each; names are drawn from the name lists.
STAFF: dict[str, tuple[tuple[str, str], ...]] = {
    "district": ((Role.SUPERVISOR, "통합사례관리 팀장"), (Role.WORKER, "통합사례관리사"),
                 (Role.WORKER, "통합사례관리사"), (Role.WORKER, "주무관")),
    "cc-sindang": ((Role.SUPERVISOR, "맞춤형복지팀장"), (Role.WORKER, "주무관")),
    "cc-junglim": ((Role.SUPERVISOR, "맞춤형복지팀장"), (Role.WORKER, "주무관")),
    "cc-hwanghak": ((Role.WORKER, "주무관"), (Role.WORKER, "방문간호사")),
    "cc-dasan": ((Role.WORKER, "주무관"), (Role.WORKER, "주무관")),
    "cc-cheonggu": ((Role.WORKER, "주무관"), (Role.WORKER, "주무관")),
    "cc-hoehyeon": ((Role.WORKER, "주무관"), (Role.WORKER, "주무관")),
    "wc-junglim": ((Role.AGENCY_ADMIN, "관장"), (Role.WORKER, "사회복지사"), (Role.WORKER, "사회복지사")),
    "wc-sindang": ((Role.AGENCY_ADMIN, "관장"), (Role.SUPERVISOR, "사례관리팀장"),
                   (Role.WORKER, "사회복지사"), (Role.WORKER, "사회복지사")),
    "wc-yaksu": ((Role.SUPERVISOR, "사례관리팀장"), (Role.WORKER, "사회복지사"), (Role.WORKER, "사회복지사")),
    "mental": ((Role.WORKER, "정신건강전문요원"), (Role.WORKER, "정신건강전문요원")),
    "housing": ((Role.WORKER, "주거코디네이터"),),
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
