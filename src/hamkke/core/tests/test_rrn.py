"""Resident registration numbers: validation, masking and the keyed hash (hamkke.core.rrn)."""

import datetime
import hashlib
import hmac

import pytest
from django.core.exceptions import ValidationError

from hamkke.core import rrn
from hamkke.testing import make_rrn, with_wrong_check_digit

VALID = make_rrn(datetime.date(1990, 1, 1), "M")  # 900101-1123456 with a correct check digit


def error_code(value: str) -> str:
    with pytest.raises(ValidationError) as caught:
        rrn.validate_rrn(value)
    return caught.value.code


def test_valid_number_is_returned_as_13_digits():
    assert rrn.validate_rrn(VALID) == VALID.replace("-", "")


def test_hyphen_is_optional_and_surrounding_spaces_are_ignored():
    digits = VALID.replace("-", "")
    assert rrn.validate_rrn(digits) == digits
    assert rrn.validate_rrn(f"  {VALID} ") == digits


@pytest.mark.parametrize(
    "value",
    [
        "",
        "90010-11234567",
        "900101-123456",
        "900101-12345678",
        "9001011-234567",
        "90O101-1234567",
        "900101 1234567",
        "900101--1234567",
        "abcdef-ghijklm",
    ],
)
def test_malformed_numbers_are_refused(value):
    assert error_code(value) == "rrn_format"


def test_none_is_refused_as_malformed():
    assert error_code(None) == "rrn_format"


@pytest.mark.parametrize("front", ["901301", "900001", "900230", "900132", "000229"])
def test_impossible_birth_dates_are_refused(front):
    # 000229 with a 1900s gender digit is 29 February 1900, which did not exist.
    value = f"{front}-1234567"
    assert error_code(value) == "rrn_date"


def test_29_february_of_a_leap_year_is_accepted():
    assert rrn.validate_rrn(make_rrn(datetime.date(2000, 2, 29), "F"))


def test_wrong_check_digit_is_refused():
    assert error_code(with_wrong_check_digit(VALID)) == "rrn_check"


def test_every_wrong_check_digit_is_refused():
    digits = VALID.replace("-", "")
    for last in "0123456789":
        value = digits[:12] + last
        if last == digits[12]:
            assert rrn.validate_rrn(value) == value
        else:
            assert error_code(value) == "rrn_check", value


@pytest.mark.parametrize(
    ("born", "accepted"),
    [
        (datetime.date(2020, 9, 30), False),  # last day of the old scheme: the check digit still counts
        (datetime.date(2020, 10, 1), True),  # numbers issued from October 2020 have no check digit
        (datetime.date(2021, 6, 15), True),
    ],
)
def test_check_digit_is_only_enforced_before_october_2020(born, accepted):
    value = with_wrong_check_digit(make_rrn(born, "F"))
    if accepted:
        assert rrn.validate_rrn(value) == value.replace("-", "")
    else:
        assert error_code(value) == "rrn_check"


def test_future_birth_date_is_refused():
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    assert error_code(make_rrn(tomorrow, "M")) == "rrn_date"
    assert error_code("991231-3123456") == "rrn_date"  # 31 December 2099


@pytest.mark.parametrize(
    ("gender_digit", "year", "sex"),
    [
        ("9", 1885, "M"),
        ("0", 1885, "F"),
        ("1", 1985, "M"),
        ("2", 1985, "F"),
        ("5", 1985, "M"),
        ("6", 1985, "F"),
        ("3", 2005, "M"),
        ("4", 2005, "F"),
        ("7", 2005, "M"),
        ("8", 2005, "F"),
    ],
)
def test_gender_digit_gives_century_and_sex(gender_digit, year, sex):
    value = make_rrn(datetime.date(year, 7, 9), gender_digit=gender_digit)
    assert rrn.birth_date_of(value) == datetime.date(year, 7, 9)
    assert rrn.sex_of(value) == sex
    assert rrn.validate_rrn(value) == value.replace("-", "")


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("9001011234567", "900101-1******"),
        ("900101-2234567", "900101-2******"),
        (" 900101-1234567 ", "900101-1******"),
        ("12345", "******-*******"),
        ("not a number", "******-*******"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_shows_only_birth_date_and_gender_digit(value, masked):
    assert rrn.mask(value) == masked


def test_hash_is_stable_and_ignores_formatting():
    digest = rrn.rrn_hash(VALID)
    assert digest == rrn.rrn_hash(VALID.replace("-", ""))
    assert digest == rrn.rrn_hash(f" {VALID} ")
    assert len(digest) == 64
    assert digest != rrn.rrn_hash(with_wrong_check_digit(VALID))


def test_hash_is_keyed_with_the_server_key(settings):
    digits = VALID.replace("-", "")
    settings.RRN_HASH_KEY = "key-one"
    first = rrn.rrn_hash(VALID)
    assert first == hmac.new(b"key-one", digits.encode(), hashlib.sha256).hexdigest()
    assert first != hashlib.sha256(digits.encode()).hexdigest()  # not a bare hash anyone can rebuild
    settings.RRN_HASH_KEY = "key-two"
    assert rrn.rrn_hash(VALID) != first
