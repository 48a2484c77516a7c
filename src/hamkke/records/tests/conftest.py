"""Helpers for the records tests: cases in a given stage with given history, built fast.

These write rows directly (the surroundings of a test); the behaviour under test goes through
the services, selectors and views.
"""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.utils import timezone

from hamkke.cases.models import Case, StageChange
from hamkke.cases.stages import Stage
from hamkke.districts.models import DistrictPolicy
from hamkke.people.models import Person
from hamkke.records.models import ContactRecord
from hamkke.testing.factories import CaseFactory, HouseholdFactory, PersonFactory

_names = itertools.count(1)


def ago(days: int, hour: int = 10) -> datetime.datetime:
    """A moment ``days`` before today, at ``hour`` Seoul time (never in the future)."""
    day = timezone.localdate() - datetime.timedelta(days=days)
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    return min(moment, timezone.now())


class Builder:
    def __init__(self, world):
        self.world = world

    def case(
        self,
        *,
        stage: str | None = None,
        opened_days_ago: int = 200,
        worker=None,
        agency=None,
        history: tuple[tuple[str, int], ...] = (),
        **fields,
    ) -> Case:
        """A case of the lead agency; ``history`` = ((stage, days ago), ...) in order; ``stage``: a
        last move at the time of the last change (default: stay where the history ends)."""
        world = self.world
        household = HouseholdFactory(dong=world.dong_a)
        PersonFactory(household=household, relation=Person.Relation.HEAD, name=f"가구주{next(_names)}")
        opened = ago(opened_days_ago, 9)
        case = CaseFactory(
            household=household,
            lead_agency=agency or world.lead_agency,
            lead_worker=worker or world.lead_worker.user,
            opened_on=opened.date(),
            stage=Stage.IDENTIFICATION,
            stage_changed_at=opened,
            **fields,
        )
        self.stage_change(case, Stage.IDENTIFICATION, opened)
        for to_stage, days in history:
            self.stage_change(case, to_stage, ago(days))
        if stage and stage != case.stage:
            self.stage_change(case, stage, case.stage_changed_at)
        return case

    def stage_change(self, case: Case, to_stage: str, when: datetime.datetime) -> None:
        StageChange.objects.create(
            district_id=case.district_id,
            case=case,
            from_stage=case.stage,
            to_stage=to_stage,
            changed_by=case.lead_worker,
            changed_at=when,
        )
        case.stage, case.stage_changed_at = to_stage, when
        fields = {"stage": to_stage, "stage_changed_at": when}
        if to_stage == Stage.CLOSED:
            case.closed_on = fields["closed_on"] = timezone.localtime(when).date()
        Case.objects.filter(pk=case.pk).update(**fields)

    def contact(
        self,
        case: Case,
        days: int,
        *,
        outcome: str = ContactRecord.Outcome.MET,
        purpose: str = ContactRecord.Purpose.CASEWORK,
        next_contact_on=None,
        hour: int = 11,
    ) -> ContactRecord:
        return ContactRecord.objects.create(
            district_id=case.district_id,
            case=case,
            contacted_at=ago(days, hour),
            kind=ContactRecord.Kind.HOME_VISIT,
            outcome=outcome,
            purpose=purpose,
            next_contact_on=next_contact_on,
            agency_id=case.lead_agency_id,
            recorded_by=case.lead_worker,
        )


@pytest.fixture
def build(world) -> Builder:
    DistrictPolicy.for_district(world.district_a.pk)  # created up front: query counts stay steady
    return Builder(world)
