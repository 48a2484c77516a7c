"""사후관리 일정: closure date + the district's follow-up days, each met by one follow-up contact."""

import datetime

import pytest
from django.utils import timezone

from hamkke.approvals.selectors import follow_up_schedule
from hamkke.cases.models import Case
from hamkke.districts.models import DistrictPolicy
from hamkke.records.models import ContactRecord

from .helpers import set_policy

pytestmark = pytest.mark.django_db

CLOSED_ON = datetime.date(2024, 1, 10)


def seoul(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def contact(world, day, purpose=ContactRecord.Purpose.FOLLOW_UP, hour=10):
    ContactRecord.objects.create(
        district=world.district_a,
        case=world.case,
        contacted_at=seoul(day, hour),
        kind=ContactRecord.Kind.PHONE,
        outcome=ContactRecord.Outcome.MET,
        purpose=purpose,
        agency=world.lead_agency,
        recorded_by=world.lead_worker.user,
    )


def closed(world) -> Case:
    Case.objects.filter(pk=world.case.pk).update(stage="closed", closed_on=CLOSED_ON)
    return Case.objects.get(pk=world.case.pk)


def test_no_schedule_before_closure(world):
    assert follow_up_schedule(case=world.case) == []


def test_default_schedule_is_30_90_180_days_after_closure(world):
    slots = follow_up_schedule(case=closed(world))
    assert [(s.days, s.due_on) for s in slots] == [
        (30, datetime.date(2024, 2, 9)),
        (90, datetime.date(2024, 4, 9)),
        (180, datetime.date(2024, 7, 8)),
    ]
    assert not any(s.done for s in slots)
    today = datetime.date(2024, 4, 10)
    assert [s.overdue(today) for s in slots] == [True, True, False]


def test_each_follow_up_contact_meets_one_slot_on_or_after_its_date(world):
    set_policy(world, follow_up_days=[90, 30])  # order of the setting does not matter
    contact(world, datetime.date(2024, 1, 20))  # before the first date: does not count
    contact(world, datetime.date(2024, 2, 9), hour=0)  # on the date, just after midnight in Seoul
    contact(world, datetime.date(2024, 3, 1), purpose=ContactRecord.Purpose.MONITORING)  # not a follow-up
    contact(world, datetime.date(2024, 5, 2))
    slots = follow_up_schedule(case=closed(world))
    assert [(s.days, s.contacted_on) for s in slots] == [
        (30, datetime.date(2024, 2, 9)),
        (90, datetime.date(2024, 5, 2)),
    ]
    assert not any(s.overdue(datetime.date(2025, 1, 1)) for s in slots)


def test_one_late_contact_does_not_tick_every_slot(world):
    contact(world, datetime.date(2024, 8, 1))
    slots = follow_up_schedule(case=closed(world))
    assert [s.contacted_on for s in slots] == [datetime.date(2024, 8, 1), None, None]


def test_contacts_before_the_closure_do_not_count(world):
    contact(world, datetime.date(2023, 12, 1))
    set_policy(world, follow_up_days=[1])
    assert follow_up_schedule(case=closed(world))[0].contacted_on is None


def test_a_district_without_follow_up_days_has_no_schedule(world):
    set_policy(world, follow_up_days=[])
    assert follow_up_schedule(case=closed(world), policy=DistrictPolicy.for_district(world.district_a.pk)) == []
