"""The figures counted again, independently: plain Python over every row of every table.

Nothing here uses the reports app, Django's time-zone helpers or database filtering: rows are
read whole with ``values()`` and every test (district, agency, period, Seoul date) is done here,
with zoneinfo. If the selectors and this module agree on generated data full of edge cases, the
figures are right.
"""

from __future__ import annotations

import datetime
import statistics
from collections import Counter, defaultdict
from zoneinfo import ZoneInfo

from hamkke.cases.models import Case, StageChange
from hamkke.conferences.models import Conference, ConferenceCase
from hamkke.people.models import Household
from hamkke.records.models import ContactRecord, ServiceRecord
from hamkke.referrals.models import Referral

SEOUL = ZoneInfo("Asia/Seoul")
CLOSED_STAGES = {"closed", "follow_up"}


def local_day(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(SEOUL).date()


class Rows:
    """Every row once, read without any filter."""

    def __init__(self):
        self.cases = list(
            Case.objects.values(
                "id",
                "district_id",
                "household_id",
                "lead_agency_id",
                "stage",
                "case_type_id",
                "crisis_level",
                "opened_on",
                "closed_on",
                "closure_reason",
            )
        )
        self.households = {h["id"]: h for h in Household.objects.values("id", "district_id", "dong_id")}
        self.changes = defaultdict(list)
        for change in StageChange.objects.values("id", "case_id", "to_stage", "changed_at"):
            self.changes[change["case_id"]].append(change)
        self.services = list(
            ServiceRecord.objects.values(
                "district_id", "case_id", "provided_on", "domain", "mode", "provider_agency_id", "amount"
            )
        )
        self.contacts = list(
            ContactRecord.objects.values("district_id", "contacted_at", "kind", "outcome", "agency_id")
        )
        self.referrals = list(
            Referral.objects.values(
                "district_id", "from_agency_id", "to_agency_id", "status", "sent_at", "responded_at"
            )
        )
        self.conferences = list(
            Conference.objects.values("id", "district_id", "kind", "status", "scheduled_at", "host_agency_id")
        )
        self.conference_agencies = defaultdict(set)
        for link in Conference.agencies.through.objects.values("conference_id", "agency_id"):
            self.conference_agencies[link["conference_id"]].add(link["agency_id"])
        self.discussed = list(ConferenceCase.objects.values("conference_id", "case_id"))
        self.case_by_id = {c["id"]: c for c in self.cases}


def expected_figures(
    rows: Rows, *, district_id: int, agencies: set[int] | None, start: datetime.date, end: datetime.date
) -> dict:
    """The same figures as reports.selectors.statistics_for_scope, as plain dicts."""

    def in_scope(agency_id):
        return agencies is None or agency_id in agencies

    def in_period(day):
        return start <= day <= end

    def month(day):
        return day.replace(day=1)

    cases = [c for c in rows.cases if c["district_id"] == district_id]
    mine = [c for c in cases if in_scope(c["lead_agency_id"])]

    by_household = defaultdict(list)
    for case in cases:
        by_household[case["household_id"]].append(case)
    new_households = []
    for household_cases in by_household.values():
        first = min(household_cases, key=lambda c: (c["opened_on"], c["id"]))
        if in_period(first["opened_on"]) and in_scope(first["lead_agency_id"]):
            new_households.append(first)

    active = []
    for case in mine:
        if case["opened_on"] > end:
            continue
        before = [ch for ch in rows.changes[case["id"]] if local_day(ch["changed_at"]) <= end]
        stage = max(before, key=lambda ch: (ch["changed_at"], ch["id"]))["to_stage"] if before else case["stage"]
        if stage not in CLOSED_STAGES:
            active.append((stage, case))

    closed = Counter()
    for case in mine:
        changes = rows.changes[case["id"]]
        if any(ch["to_stage"] == "closed" and in_period(local_day(ch["changed_at"])) for ch in changes):
            still = case["closure_reason"] and case["closed_on"] and in_period(case["closed_on"])
            closed[case["closure_reason"] if still else "reopened"] += 1

    services = [
        s
        for s in rows.services
        if s["district_id"] == district_id and in_period(s["provided_on"]) and in_scope(s["provider_agency_id"])
    ]

    def tally(items, key):
        counts, amounts = Counter(), Counter()
        for item in items:
            counts[key(item)] += 1
            amounts[key(item)] += int(item["amount"] or 0)
        return dict(counts), {k: v for k, v in amounts.items() if v}

    def dong_of_service(service):
        return rows.households[rows.case_by_id[service["case_id"]]["household_id"]]["dong_id"]

    contacts = [
        c
        for c in rows.contacts
        if c["district_id"] == district_id and in_period(local_day(c["contacted_at"])) and in_scope(c["agency_id"])
    ]

    def referral_figures(side):
        chosen = [
            r
            for r in rows.referrals
            if r["district_id"] == district_id and in_period(local_day(r["sent_at"])) and in_scope(r[side])
        ]
        status = Counter(r["status"] for r in chosen)
        hours = [(r["responded_at"] - r["sent_at"]).total_seconds() / 3600 for r in chosen if r["responded_at"]]
        return {
            "total": len(chosen),
            "accepted": status["accepted"] + status["completed"],
            "declined": status["declined"],
            "waiting": status["sent"],
            "completed": status["completed"],
            "withdrawn": status["withdrawn"],
            "responded": len(hours),
            "median_hours": round(statistics.median(hours), 6) if hours else None,
        }

    held = [
        c
        for c in rows.conferences
        if c["district_id"] == district_id
        and c["status"] == "held"
        and in_period(local_day(c["scheduled_at"]))
        and (agencies is None or c["host_agency_id"] in agencies or rows.conference_agencies[c["id"]] & agencies)
    ]
    held_ids = {c["id"] for c in held}

    months = []
    day = month(start)
    while day <= end:
        months.append(day)
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    opened = [c for c in mine if in_period(c["opened_on"])]
    return {
        "households_new": len({c["household_id"] for c in new_households}),
        "cases_opened": len(opened),
        "cases_active": len(active),
        "active_by_stage": dict(Counter(stage for stage, _c in active)),
        "active_by_type": dict(Counter(str(c["case_type_id"]) for _s, c in active)),
        "active_by_crisis": dict(Counter(c["crisis_level"] for _s, c in active)),
        "cases_closed": sum(closed.values()),
        "closed_by_reason": dict(closed),
        "services_count": len(services),
        "services_amount": sum(int(s["amount"] or 0) for s in services),
        "services_by_domain": tally(services, lambda s: s["domain"]),
        "services_by_agency": tally(services, lambda s: str(s["provider_agency_id"])),
        "services_by_dong": tally(services, lambda s: str(dong_of_service(s))),
        "services_by_mode": tally(services, lambda s: s["mode"]),
        "contacts_total": len(contacts),
        "contacts_matrix": dict(Counter((c["kind"], c["outcome"]) for c in contacts)),
        "contacts_by_outcome": dict(Counter(c["outcome"] for c in contacts)),
        "referrals_sent": referral_figures("from_agency_id"),
        "referrals_received": referral_figures("to_agency_id"),
        "conferences_held": sum(1 for c in held if c["kind"] == "case_conference"),
        "workshops_held": sum(1 for c in held if c["kind"] == "workshop"),
        "cases_discussed": len({d["case_id"] for d in rows.discussed if d["conference_id"] in held_ids}),
        "months": [
            (
                m,
                sum(1 for c in new_households if month(c["opened_on"]) == m),
                sum(1 for c in opened if month(c["opened_on"]) == m),
                sum(1 for s in services if month(s["provided_on"]) == m),
                sum(int(s["amount"] or 0) for s in services if month(s["provided_on"]) == m),
                sum(1 for c in contacts if month(local_day(c["contacted_at"])) == m),
            )
            for m in months
        ],
        "dongs": {
            key: value
            for key, value in (
                (
                    str(dong),
                    (
                        sum(1 for c in new_households if rows.households[c["household_id"]]["dong_id"] == dong),
                        sum(1 for _s, c in active if rows.households[c["household_id"]]["dong_id"] == dong),
                    ),
                )
                for dong in {h["dong_id"] for h in rows.households.values() if h["district_id"] == district_id}
            )
            if value != (0, 0)
        },
    }


def _nonzero(rows) -> dict:
    return {row.key: row.count for row in rows if row.count}


def _amounts(rows) -> dict:
    return {row.key: row.amount for row in rows if row.amount}


def shape(stats) -> dict:
    """A Statistics object in the shape of ``expected_figures`` (zero rows dropped)."""

    def referral(f):
        return {
            "total": f.total,
            "accepted": f.accepted,
            "declined": f.declined,
            "waiting": f.waiting,
            "completed": f.completed,
            "withdrawn": f.withdrawn,
            "responded": f.responded,
            "median_hours": round(f.median_hours, 6) if f.median_hours is not None else None,
        }

    return {
        "households_new": stats.households_new,
        "cases_opened": stats.cases_opened,
        "cases_active": stats.cases_active,
        "active_by_stage": _nonzero(stats.active_by_stage),
        "active_by_type": _nonzero(stats.active_by_type),
        "active_by_crisis": _nonzero(stats.active_by_crisis),
        "cases_closed": stats.cases_closed,
        "closed_by_reason": _nonzero(stats.closed_by_reason),
        "services_count": stats.services_count,
        "services_amount": stats.services_amount,
        "services_by_domain": (_nonzero(stats.services_by_domain), _amounts(stats.services_by_domain)),
        "services_by_agency": (_nonzero(stats.services_by_agency), _amounts(stats.services_by_agency)),
        "services_by_dong": (_nonzero(stats.services_by_dong), _amounts(stats.services_by_dong)),
        "services_by_mode": (_nonzero(stats.services_by_mode), _amounts(stats.services_by_mode)),
        "contacts_total": stats.contacts_total,
        "contacts_matrix": {
            (line.key, outcome): n
            for line in stats.contact_lines
            for outcome, n in zip([o.key for o in stats.contacts_by_outcome], line.counts, strict=True)
            if n
        },
        "contacts_by_outcome": _nonzero(stats.contacts_by_outcome),
        "referrals_sent": referral(stats.referrals_sent),
        "referrals_received": referral(stats.referrals_received),
        "conferences_held": stats.conferences_held,
        "workshops_held": stats.workshops_held,
        "cases_discussed": stats.cases_discussed,
        "months": [(m.month, m.households_new, m.cases_opened, m.services, m.amount, m.contacts) for m in stats.months],
        "dongs": {d.key: (d.households_new, d.cases_active) for d in stats.dongs if d.households_new or d.cases_active},
    }
