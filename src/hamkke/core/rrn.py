"""Resident registration numbers (주민등록번호): validation, keyed hash and masking.

No library on PyPI validates Korean RRNs in a maintained way (the candidates are abandoned
single-file packages), so the rule is written here, small and tested.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

RRN_RE = re.compile(r"^(\d{6})-?(\d{7})$")
CHECK_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
# From October 2020 the last six digits are assigned at random: no check digit any more.
CHECK_DIGIT_ABOLISHED = datetime.date(2020, 10, 1)
CENTURY_BY_GENDER_DIGIT = {
    "9": 1800,
    "0": 1800,
    "1": 1900,
    "2": 1900,
    "5": 1900,
    "6": 1900,
    "3": 2000,
    "4": 2000,
    "7": 2000,
    "8": 2000,
}
MALE_DIGITS = set("13579")


def normalize(value: str) -> str:
    """Strip spaces and the hyphen: '900101-1234567' -> '9001011234567'."""
    return re.sub(r"[\s-]", "", value or "")


def birth_date_of(rrn: str) -> datetime.date:
    digits = normalize(rrn)
    century = CENTURY_BY_GENDER_DIGIT[digits[6]]
    return datetime.date(century + int(digits[0:2]), int(digits[2:4]), int(digits[4:6]))


def sex_of(rrn: str) -> str:
    return "M" if normalize(rrn)[6] in MALE_DIGITS else "F"


def check_digit_ok(digits: str) -> bool:
    total = sum(int(d) * w for d, w in zip(digits[:12], CHECK_WEIGHTS, strict=True))
    return (11 - total % 11) % 10 == int(digits[12])


def validate_rrn(value: str) -> str:
    """Return the normalized 13 digits, or raise ValidationError with a clear message."""
    match = RRN_RE.match((value or "").strip())
    if not match:
        raise ValidationError(_("주민등록번호는 숫자 13자리(예: 900101-1234567)로 입력하세요."), code="rrn_format")
    digits = match.group(1) + match.group(2)
    try:
        born = birth_date_of(digits)
    except ValueError:
        raise ValidationError(_("주민등록번호 앞자리의 생년월일이 올바르지 않습니다."), code="rrn_date") from None
    if born > timezone.localdate():  # Seoul's date, not the server's
        raise ValidationError(_("주민등록번호의 생년월일이 미래입니다."), code="rrn_date")
    if born < CHECK_DIGIT_ABOLISHED and not check_digit_ok(digits):
        raise ValidationError(_("주민등록번호 검증번호가 맞지 않습니다. 다시 확인하세요."), code="rrn_check")
    return digits


def rrn_hash(value: str) -> str:
    """Keyed hash (HMAC-SHA256) for exact lookup; useless without the server's key."""
    key = settings.RRN_HASH_KEY.encode()
    return hmac.new(key, normalize(value).encode(), hashlib.sha256).hexdigest()


def mask(value: str | None) -> str:
    """'9001011234567' -> '900101-1******'. Anything unexpected is fully masked."""
    digits = normalize(value or "")
    if not re.fullmatch(r"\d{13}", digits):
        return "" if not value else "******-*******"
    return f"{digits[:6]}-{digits[6]}******"
