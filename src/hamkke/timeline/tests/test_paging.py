"""Keyset paging of the timeline (issue 15 item 2): every event once, in order, whatever the page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hamkke.cases.models import StageChange, TeamEvent
from hamkke.records.models import ContactRecord, ServiceRecord
from hamkke.timeline.selectors import (
    case_timeline,
    case_timeline_page,
    cursor_from_token,
    cursor_token,
    year_cursor,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def nine(day: datetime.date) -> datetime.datetime:
    """09:00 Seoul: the moment a date-only record (a service) sorts at, so ties are deliberate."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def add_ties(world, days: int = 4, per_day: int = 3) -> int:
    """On each of ``days`` days, contacts, stage changes and team events at exactly 09:00 and services
    on that date: events of four sources at the same moment, several of each. Returns how many."""
    w, case = world, world.case
    first = w.today - DAY * (days + 1)
    contacts, services, stages, team = [], [], [], []
    for d in range(days):
        day = first + DAY * d
        for i in range(per_day):
            contacts.append(
                ContactRecord(
                    district=w.district_a,
                    case=case,
                    contacted_at=nine(day),
                    kind="home_visit",
                    outcome="met",
                    note=f"동시 {d}-{i}",
                    agency=w.lead_agency if i % 2 else w.participating_agency,
                    recorded_by=w.lead_worker.user,
                )
            )
            services.append(
                ServiceRecord(
                    district=w.district_a,
                    case=case,
                    provided_on=day,
                    domain="housing",
                    mode="linked",
                    provider_agency=w.participating_agency if i % 2 else w.lead_agency,
                    description=f"같은 날 {d}-{i}",
                    recorded_by=w.lead_worker.user,
                )
            )
        stages.append(
            StageChange(
                district=w.district_a,
                case=case,
                from_stage="",
                to_stage=case.stage,
                changed_by=w.lead_worker.user,
                changed_at=nine(day),
            )
        )
        team.append(
            TeamEvent(
                district=w.district_a,
                case=case,
                kind="joined",
                agency=w.participating_agency,
                at=nine(day),
                by=w.lead_worker.user,
            )
        )
    ContactRecord.objects.bulk_create(contacts)
    ServiceRecord.objects.bulk_create(services)
    StageChange.objects.bulk_create(stages)
    TeamEvent.objects.bulk_create(team)
    return len(contacts) + len(services) + len(stages) + len(team)


def walk(world, size: int, **filters) -> list:
    """All pages from the newest, following the older-page cursor."""
    actor, case, seen, cursor = world.lead_worker.actor, world.case, [], None
    for _ in range(1000):
        page = case_timeline_page(actor=actor, case=case, cursor=cursor, size=size, **filters)
        assert len(page.events) <= size
        seen += page.events
        if not page.older:
            return seen
        cursor = cursor_from_token(case, page.older)
    raise AssertionError("the cursor does not advance")


def walk_back(world, size: int, last_token: str, **filters) -> list:
    """From a page, the newer-page cursor back to the newest page."""
    actor, case = world.lead_worker.actor, world.case
    page = case_timeline_page(actor=actor, case=case, cursor=cursor_from_token(case, last_token), size=size, **filters)
    pages = [page.events]
    while page.newer:
        page = case_timeline_page(
            actor=actor, case=case, cursor=cursor_from_token(case, page.newer), size=size, **filters
        )
        pages.append(page.events)
    return [e for events in reversed(pages) for e in events]


def keys(events) -> list:
    return [e.key for e in events]


@pytest.mark.parametrize("size", [1, 5, 7, 50])
def test_paging_yields_every_event_once_in_order_with_ties_across_kinds(world, size):
    added = add_ties(world)
    everything = case_timeline(actor=world.lead_worker.actor, case=world.case)
    assert len(everything) >= added
    ties = {}
    for e in everything:
        ties.setdefault(e.key[0], set()).add(e.kind)
    assert any({"contact", "service", "stage", "team"} <= kinds for kinds in ties.values())
    seen = walk(world, size)
    assert keys(seen) == keys(everything)
    assert len(set(keys(seen))) == len(seen)
    assert keys(seen) == sorted(keys(seen), reverse=True)
    assert sum(e.kind == "contact" for e in seen) == ContactRecord.objects.filter(case=world.case).count()


def test_the_page_before_goes_back_to_the_newest(world):
    add_ties(world)
    size = 5
    actor, case = world.lead_worker.actor, world.case
    pages, cursor = [], None
    for _ in range(4):
        page = case_timeline_page(actor=actor, case=case, cursor=cursor, size=size)
        pages.append(page)
        cursor = cursor_from_token(case, page.older)
    assert pages[0].newer is None
    back = case_timeline_page(actor=actor, case=case, cursor=cursor_from_token(case, pages[3].newer), size=size)
    assert keys(back.events) == keys(pages[2].events)
    back_to_newest = walk_back(world, size, pages[3].older)  # the fifth page, then back
    assert len(back_to_newest) == 5 * size
    assert keys(back_to_newest) == keys(walk(world, size)[: 5 * size])


def test_filters_hold_across_pages(world):
    add_ties(world)
    partner = world.participating_agency.pk
    services = walk(world, 2, kinds={"service"}, agency_id=partner)
    expected = ServiceRecord.objects.filter(case=world.case, provider_agency_id=partner).count()
    assert len(services) == expected > 2
    assert {e.kind for e in services} == {"service"} and {e.agency_id for e in services} == {partner}
    assert keys(services) == keys(
        case_timeline(actor=world.lead_worker.actor, case=world.case, kinds={"service"}, agency_id=partner)
    )

    year = world.today.year
    in_year = walk(world, 3, year=year)
    assert in_year and all(timezone.localtime(e.at).year == year for e in in_year)
    assert keys(in_year) == keys(case_timeline(actor=world.lead_worker.actor, case=world.case, year=year))


def test_jumping_to_a_year_starts_at_its_newest_event(world):
    add_ties(world)
    old = nine(world.case.opened_on.replace(year=world.case.opened_on.year - 2, month=12, day=30))
    ContactRecord.objects.create(
        district=world.district_a,
        case=world.case,
        contacted_at=old,
        kind="phone",
        outcome="met",
        agency=world.lead_agency,
        recorded_by=world.lead_worker.user,
    )
    actor, case = world.lead_worker.actor, world.case
    for year in (old.year, old.year + 1):
        page = case_timeline_page(actor=actor, case=case, cursor=year_cursor(year), size=5)
        assert [e.at for e in page.events] == [old]  # nothing later than that year; the year is next
        assert page.newer  # the newer events are a click away
    assert case_timeline_page(actor=actor, case=case, cursor=year_cursor(old.year - 1), size=5).events == []


def test_the_page_jumps_to_a_year_and_pages_on(client, world):
    from hamkke.cases.models import Case

    add_ties(world)
    last_year = world.today.year - 1
    Case.objects.filter(pk=world.case.pk).update(first_contact_on=datetime.date(last_year, 6, 1))
    old = ContactRecord.objects.create(
        district=world.district_a,
        case=world.case,
        contacted_at=nine(datetime.date(last_year, 12, 30)),
        kind="phone",
        outcome="met",
        agency=world.lead_agency,
        recorded_by=world.lead_worker.user,
    )
    world.lead_worker.login(client)
    url = reverse("timeline:case", args=[world.case.uuid])
    response = client.get(url, {"jump": last_year, "kind": "contact"})
    assert response.status_code == 200
    page = response.context["page"]
    assert [e.row_id for e in page.events] == [old.pk] and page.older is None
    assert 'rel="prev"' in response.content.decode()
    newer = client.get(url, {"cursor": page.newer, "kind": "contact"}).context["page"]
    newest = client.get(url, {"kind": "contact"}).context["page"]
    assert newer.newer is None and keys(newer.events) == keys(newest.events)  # fewer than a page: the newest
    assert [e.row_id for e in newest.events][-1] == old.pk
    ignored = client.get(url, {"jump": 1990})  # not a year of the case: the newest page
    assert keys(ignored.context["page"].events) == keys(client.get(url).context["page"].events)


@pytest.mark.parametrize("token", ["garbage", "a:b:c", "", "x" * 500])
def test_a_bad_cursor_gives_the_newest_page_with_a_message(client, world, token):
    add_ties(world)
    world.lead_worker.login(client)
    url = reverse("timeline:case", args=[world.case.uuid])
    newest = client.get(url).context["page"]
    response = client.get(url, {"cursor": token})
    assert response.status_code == 200
    assert keys(response.context["page"].events) == keys(newest.events)
    if token:
        assert "페이지 위치를 읽을 수 없어" in response.content.decode()


def test_a_forged_or_foreign_cursor_is_refused(client, world):
    from hamkke.testing.factories import CaseFactory

    add_ties(world)
    page = case_timeline_page(actor=world.lead_worker.actor, case=world.case, size=5)
    token = page.older
    assert cursor_from_token(world.case, token) is not None
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    assert cursor_from_token(world.case, tampered) is None
    other = CaseFactory(district=world.district_a, household__district=world.district_a, lead_agency=world.lead_agency)
    assert cursor_from_token(other, token) is None
    assert cursor_from_token(world.case, cursor_token(world.case, page.events[-1])) is not None
    world.lead_worker.login(client)
    response = client.get(reverse("timeline:case", args=[world.case.uuid]), {"cursor": tampered})
    assert response.status_code == 200 and "페이지 위치를 읽을 수 없어" in response.content.decode()
    assert keys(response.context["page"].events) == keys(
        case_timeline_page(actor=world.lead_worker.actor, case=world.case).events
    )
