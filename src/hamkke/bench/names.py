"""Korean names, places and short texts for the synthetic district (all invented)."""

from __future__ import annotations

import random
from bisect import bisect
from itertools import accumulate

from hamkke.demo.data import GIVEN_NAMES, SURNAMES, generation

# Surnames beyond the demo's forty, rarer, so that a metro district has the long tail too.
RARE_SURNAMES = (
    ("류", 3),
    ("전", 3),
    ("엄", 2),
    ("채", 2),
    ("원", 2),
    ("천", 2),
    ("방", 2),
    ("공", 1),
    ("현", 1),
    ("함", 1),
    ("변", 1),
    ("염", 1),
    ("여", 1),
    ("추", 1),
    ("도", 1),
    ("소", 1),
    ("석", 1),
    ("선", 1),
    ("설", 1),
    ("마", 1),
    ("길", 1),
    ("연", 1),
    ("위", 1),
    ("표", 1),
    ("명", 1),
    ("기", 1),
    ("반", 1),
    ("왕", 1),
    ("금", 1),
    ("옥", 1),
    ("육", 1),
    ("인", 1),
    ("맹", 1),
    ("제", 1),
    ("모", 1),
    ("탁", 1),
    ("국", 1),
    ("남궁", 1),
    ("황보", 1),
    ("제갈", 1),
    ("선우", 1),
)

# Syllables that make most Korean given names, by sex: combined two at a time they give thousands
# of plausible names beyond the common lists (so that search sees a realistic spread).
SYLLABLES = {
    "M": (
        "민",
        "준",
        "서",
        "도",
        "현",
        "지",
        "성",
        "영",
        "재",
        "승",
        "동",
        "정",
        "상",
        "진",
        "우",
        "태",
        "종",
        "경",
        "철",
        "호",
        "수",
        "석",
        "훈",
        "규",
        "혁",
        "환",
        "용",
        "기",
        "병",
        "광",
        "찬",
        "희",
    ),
    "F": (
        "서",
        "지",
        "민",
        "수",
        "은",
        "하",
        "유",
        "예",
        "현",
        "윤",
        "채",
        "소",
        "다",
        "미",
        "혜",
        "정",
        "영",
        "선",
        "희",
        "경",
        "숙",
        "자",
        "순",
        "진",
        "아",
        "연",
        "린",
        "나",
        "주",
        "보",
        "인",
        "란",
    ),
}

ROADS = (
    "중앙로",
    "시민로",
    "공원로",
    "역말로",
    "새마을로",
    "학교길",
    "시장길",
    "강변로",
    "산책로",
    "문화로",
    "평화로",
    "행복로",
    "장미길",
    "은행나무길",
    "느티나무로",
    "서원로",
    "동산길",
    "한빛로",
    "누리로",
    "솔밭로",
)
ADDRESS_DETAILS = (
    "",
    "",
    "",
    "2층",
    "3층",
    "지하 1층",
    "반지하",
    "옥탑",
    "101호",
    "202호",
    "302호",
    "103동 704호",
    "101동 1203호",
    "105동 302호",
    "2층 201호",
    "쪽방 3호",
    "고시원 12호",
)

DONG_STEMS = (
    "새솔",
    "한빛",
    "푸른",
    "은행",
    "느티",
    "별빛",
    "도담",
    "가람",
    "솔내",
    "버들",
    "청림",
    "해온",
    "미리내",
    "다온",
    "누리",
    "한울",
    "아라",
    "예솔",
    "단비",
    "하람",
    "온새",
    "가온",
    "마루",
    "여울",
    "너울",
    "소담",
    "윤슬",
    "나래",
    "라온",
    "모란",
    "들꽃",
    "산들",
    "늘봄",
    "샛별",
    "초록",
    "한결",
)

DESCRIPTIONS = {
    "livelihood": (
        "긴급생계지원 연계",
        "푸드뱅크 식료품 지원",
        "기초생활수급 신청 동행",
        "공과금 체납분 지원",
        "밑반찬 배달",
    ),
    "housing": ("주거환경 개선(도배·장판)", "집 정리·청소 지원", "임대주택 신청 안내", "보일러 수리", "월세 지원"),
    "physical_health": ("병원 동행", "방문 건강 상담", "의료비 지원 연계", "치과 진료 연계", "보건소 방문 진료"),
    "mental_health": ("정신건강복지센터 상담", "우울 선별 검사", "자살 예방 상담", "알코올 상담 연계", "심리 치료"),
    "employment": ("취업 상담", "바리스타 교육 연계", "자활 근로 연계", "이력서 작성 도움", "면접 준비"),
    "education": ("학습 지원", "방과후 돌봄 연계", "검정고시 준비", "디지털 교육", "한글 교실"),
    "daily_living": ("가사 지원", "도시락 배달", "이동 지원", "생활용품 지원", "세탁 서비스"),
    "safety": ("안부 확인 전화", "응급안전 알림 서비스", "가스 안전 점검", "방범 창 설치", "화재 감지기 설치"),
    "family": ("가족 상담", "가족 관계 회복 모임", "양육 상담", "돌봄 가족 휴식 지원", "자조 모임"),
    "legal": ("법률 상담 연계", "채무 조정 상담", "개인회생 신청 도움", "임대차 분쟁 상담", "후견인 신청"),
}
CONTACT_NOTES = (
    "안부 확인, 건강 상태 양호",
    "식사 여부 확인",
    "서비스 이용 만족도 확인",
    "병원 진료 결과 공유",
    "다음 방문 일정 약속",
    "집 안 정리 상태 확인",
    "가족과 통화",
    "이웃에게 근황 들음",
    "문을 열지 않음, 메모 남김",
    "도움을 원하지 않는다고 하심",
    "전화 받지 않음",
    "",
)
SUMMARIES = (
    "독거 어르신, 거동 불편",
    "실직 후 월세 체납",
    "저장강박 의심, 지속 방문 필요",
    "한부모 가구 양육 부담",
    "알코올 문제로 이웃과 마찰",
    "치매 의심 노부부",
    "장애인 가구 돌봄 공백",
    "공과금 체납 통보로 발굴",
    "자살 시도 후 회복 지원",
    "청년 1인 가구 고립",
)
NEED_TEXTS = (
    "혼자서도 끼니를 챙기고 싶어요",
    "집을 깨끗하게 하고 싶어요",
    "일을 다시 하고 싶어요",
    "아이와 잘 지내고 싶어요",
    "병원에 제대로 다니고 싶어요",
    "빚 걱정 없이 살고 싶어요",
    "이웃과 인사하며 지내고 싶어요",
    "마음이 편해지고 싶어요",
)


class Weighted:
    """A weighted choice with precomputed cumulative weights (fast in a loop of millions)."""

    def __init__(self, items):
        self.values = [value for value, _weight in items]
        self.cumulative = list(accumulate(weight for _value, weight in items))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random):
        return self.values[bisect(self.cumulative, rng.random() * self.total)]


SURNAME_CHOICE = Weighted(list(SURNAMES) + list(RARE_SURNAMES))


def surname(rng: random.Random) -> str:
    return SURNAME_CHOICE.pick(rng)


def given_name(rng: random.Random, sex: str, birth_year: int) -> str:
    if rng.random() < 0.6:
        return rng.choice(GIVEN_NAMES[(sex, generation(birth_year))])
    syllables = SYLLABLES[sex]
    return rng.choice(syllables) + rng.choice(syllables)


def full_name(rng: random.Random, sex: str, birth_year: int, family_name: str | None = None) -> str:
    return (family_name or surname(rng)) + given_name(rng, sex, birth_year)


def dong_names(count: int) -> list[str]:
    """``count`` distinct dong names: 새솔동, 새솔2동, ... (deterministic)."""
    names = []
    for i in range(count):
        stem = DONG_STEMS[i % len(DONG_STEMS)]
        rank = i // len(DONG_STEMS) + 1
        names.append(f"{stem}동" if rank == 1 else f"{stem}{rank}동")
    return names
