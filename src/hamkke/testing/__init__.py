"""Test support shared by every app's tests (and usable by end-to-end tests and demo data).

- ``PASSWORD``: the plain password of every user made by the factories and the ``world`` fixture.
- ``make_rrn``: a well-formed resident registration number for a birth date and sex.
- ``hamkke.testing.factories``: factory-boy factories and ``build_world()``, the fixture world
  described in ``src/hamkke/conftest.py``.

Nothing here may be imported by production code.
"""

from __future__ import annotations

import datetime

PASSWORD = "pw-Hamkke-2026!"

_CHECK_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
# The 7th digit by century and sex, for Korean nationals (foreigners use 5-8, not needed here).
_GENDER_DIGIT = {
    (1800, "M"): "9",
    (1800, "F"): "0",
    (1900, "M"): "1",
    (1900, "F"): "2",
    (2000, "M"): "3",
    (2000, "F"): "4",
}


def check_digit(first12: str) -> str:
    """The 13th digit of an RRN (the rule for numbers issued before October 2020)."""
    total = sum(int(d) * w for d, w in zip(first12, _CHECK_WEIGHTS, strict=True))
    return str((11 - total % 11) % 10)


def make_rrn(
    born: datetime.date, sex: str = "M", serial: str = "12345", *, gender_digit: str = "", hyphen: bool = True
) -> str:
    """A syntactically valid RRN with a correct check digit: ``make_rrn(date(1990, 1, 1))``.

    ``serial`` is the 5 digits after the gender digit (vary it to get distinct numbers for the
    same person data); ``gender_digit`` overrides the one derived from century and sex.
    """
    digit = gender_digit or _GENDER_DIGIT[(born.year // 100 * 100, sex)]
    first12 = f"{born:%y%m%d}{digit}{serial}"
    digits = first12 + check_digit(first12)
    return f"{digits[:6]}-{digits[6:]}" if hyphen else digits


def with_wrong_check_digit(rrn: str) -> str:
    """The same RRN with its last digit changed, so that the check digit no longer matches."""
    return rrn[:-1] + str((int(rrn[-1]) + 1) % 10)
