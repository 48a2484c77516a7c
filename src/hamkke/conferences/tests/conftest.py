"""Conference fixtures on top of the shared ``world`` (see src/hamkke/conftest.py)."""

import datetime

import pytest
from django.utils import timezone

from hamkke.conferences.models import Conference
from hamkke.conferences.services import conference_add_case, conference_schedule

DISCUSSION = "주거 환경 개선을 위해 청소 자원봉사 연계 논의"


def at(world, days: int, hour: int = 14) -> datetime.datetime:
    """A Seoul time ``days`` from the world's today."""
    day = world.today + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def schedule(
    world,
    *,
    member=None,
    agencies=None,
    attendees=(),
    kind=Conference.Kind.CASE_CONFERENCE,
    days: int = -1,
    title: str = "저장강박 가구 통합사례회의",
    **kwargs,
) -> Conference:
    member = member or world.lead_worker
    agencies = [world.lead_agency, world.participating_agency] if agencies is None else agencies
    return conference_schedule(
        actor=member.actor,
        kind=kind,
        title=title,
        scheduled_at=at(world, days),
        place="중구청 3층 회의실",
        agencies=agencies,
        attendees=attendees,
        **kwargs,
    )


@pytest.fixture
def conference(world) -> Conference:
    """A case conference held yesterday by the lead agency with the participating agency; the case discussed."""
    conference = schedule(world, attendees=[world.lead_worker.user, world.participant_worker.user])
    conference_add_case(actor=world.lead_worker.actor, conference=conference, case=world.case, discussion=DISCUSSION)
    return conference
