"""Reporting periods: a year, a quarter, a month or a custom range of Seoul dates.

A period is a range of *local* dates, first and last day included (the way reports are read:
"2024.1.1.~2024.12.31."). Dates stored as DateField are already local dates and compare with
``start``/``end`` directly; moments stored as DateTimeField (UTC) compare with ``start_at`` and
``end_at``, the Seoul midnights that open the first day and close the last one (ARCHITECTURE.md,
Time), so a contact at 23:59 on 31 December counts in December and one at 00:00 on 1 January in
January, whatever the server's or the database's time zone.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

YEAR = "year"
QUARTER = "quarter"
MONTH = "month"
CUSTOM = "custom"


def seoul_midnight(day: datetime.date) -> datetime.datetime:
    """The aware moment at which ``day`` starts in the project's time zone (Asia/Seoul)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    kind: str
    start: datetime.date
    end: datetime.date  # the last day, included

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("a period ends on or after its first day")

    @classmethod
    def of_year(cls, year: int) -> Period:
        return cls(YEAR, datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @classmethod
    def of_quarter(cls, year: int, quarter: int) -> Period:
        start = datetime.date(year, 3 * (quarter - 1) + 1, 1)
        return cls(QUARTER, start, add_months(start, 3) - datetime.timedelta(days=1))

    @classmethod
    def of_month(cls, year: int, month: int) -> Period:
        start = datetime.date(year, month, 1)
        return cls(MONTH, start, add_months(start, 1) - datetime.timedelta(days=1))

    @classmethod
    def custom(cls, start: datetime.date, end: datetime.date) -> Period:
        return cls(CUSTOM, start, end)

    @property
    def end_exclusive(self) -> datetime.date:
        return self.end + datetime.timedelta(days=1)

    @property
    def start_at(self) -> datetime.datetime:
        return seoul_midnight(self.start)

    @property
    def end_at(self) -> datetime.datetime:
        """The Seoul midnight after the last day: moments strictly before it are in the period."""
        return seoul_midnight(self.end_exclusive)

    def months(self) -> list[datetime.date]:
        """The first day of every month the period touches, in order."""
        first, months = self.start.replace(day=1), []
        while first <= self.end:
            months.append(first)
            first = add_months(first, 1)
        return months

    @property
    def label(self) -> str:
        if self.kind == YEAR:
            return _("%(year)s년") % {"year": self.start.year}
        if self.kind == QUARTER:
            return _("%(year)s년 %(q)s분기") % {"year": self.start.year, "q": (self.start.month - 1) // 3 + 1}
        if self.kind == MONTH:
            return _("%(year)s년 %(month)s월") % {"year": self.start.year, "month": self.start.month}
        return f"{self.start:%Y.%m.%d}.~{self.end:%Y.%m.%d}."

    @property
    def range_label(self) -> str:
        return f"{self.start:%Y.%m.%d}.~{self.end:%Y.%m.%d}."

    def query(self) -> dict[str, str]:
        """The GET parameters that select this period again (links to exports, the figures page)."""
        if self.kind == YEAR:
            return {"period": YEAR, "year": str(self.start.year)}
        if self.kind == QUARTER:
            return {"period": QUARTER, "year": str(self.start.year), "quarter": str((self.start.month - 1) // 3 + 1)}
        if self.kind == MONTH:
            return {"period": MONTH, "year": str(self.start.year), "month": str(self.start.month)}
        return {"period": CUSTOM, "start": self.start.isoformat(), "end": self.end.isoformat()}


def current_year() -> Period:
    return Period.of_year(timezone.localdate().year)
