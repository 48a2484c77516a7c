"""How Hamkke says things: one rule for every page (issue 13 item 8).

"0일 전" and "0일째" read like a fault; people say 오늘 and 어제. A form's error says what to enter,
with the right particle (생년월일을, 주소를), not Django's generic "이 필드는 필수 항목입니다.".
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _


def days_ago(days: int) -> str:
    """How long ago something happened: 오늘, 어제, N일 전."""
    if days <= 0:
        return _("오늘")
    if days == 1:
        return _("어제")
    return _("%(n)d일 전") % {"n": days}


def days_running(days: int) -> str:
    """How long something has been waiting: 오늘부터, 어제부터, N일째."""
    if days <= 0:
        return _("오늘부터")
    if days == 1:
        return _("어제부터")
    return _("%(n)d일째") % {"n": days}


HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3  # 가 … 힣: 28 final consonants per vowel (0: none)
TRAILING_NOTE = re.compile(r"\s*\([^()]*\)\s*$")  # "표현하는 욕구(당사자의 말)" -> "표현하는 욕구"


def object_particle(word: str) -> str:
    """을 after a final consonant (생년월일을), 를 after a vowel (주소를), 을(를) when it cannot be told.

    One line of syllable arithmetic (as people.search does for 초성), not a dependency."""
    last = word.rstrip()[-1:]
    if not last or not HANGUL_FIRST <= ord(last) <= HANGUL_LAST:
        return "을(를)"
    return "을" if (ord(last) - HANGUL_FIRST) % 28 else "를"


def bare_label(label: str) -> str:
    """A field's label without its trailing note in parentheses, for use inside a sentence."""
    return TRAILING_NOTE.sub("", label).strip() or label
