"""Event time vs recorded time (issue 13 item 1): work typed after the fact counts on the day it happened.

The worker says when it happened (default now); the record keeps when it was typed and by whom.
Allowed back to the case's first contact (outreach before registration included), never in the
future, and a stage change never before the previous one.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from hamkke.assessment.services import need_record
from hamkke.cases.models import StageChange
from hamkke.cases.services import case_change_stage, case_register
from hamkke.cases.stages import Stage
from hamkke.consents.services import consent_record
from hamkke.core.event_time import LATE_ENTRY_DAYS, typed_late
from hamkke.records.models import ContactRecord
from hamkke.records.selectors import RefusalRow, refusing_cases_for_actor
from hamkke.records.services import contact_record_add, service_record_add
from hamkke.timeline.selectors import case_timeline

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def at(days_ago: int, hour: int = 10) -> datetime.datetime:
    day = timezone.localdate() - days_ago * DAY
    return min(timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour))), timezone.now())


def register(world, **intake):
    return case_register(
        actor=world.lead_worker.actor,
        dong=world.dong_a,
        address="서울특별시 중구 다산로 1",
        head={"name": "김민수", "birth_date": datetime.date(1958, 3, 2), "sex": "M"},
        **intake,
    )


def visit(world, case, when, outcome=ContactRecord.Outcome.REFUSED):
    return contact_record_add(
        actor=world.lead_worker.actor, case=case, contacted_at=when, kind=ContactRecord.Kind.OUTREACH, outcome=outcome
    )


# --- the case opens on its first contact ---------------------------------------------------------


def test_the_case_opens_on_the_first_contact_and_a_visit_before_registration_is_accepted(world):
    case = register(world, first_contact_on=world.today - 3 * DAY)
    assert case.opened_on == world.today - 3 * DAY
    record = visit(world, case, at(3))  # the visit three days before registration (refused before)
    assert record.contacted_at == at(3)
    assert timezone.localtime(case.stage_changes.get().changed_at).date() == world.today - 3 * DAY


def test_nothing_is_dated_before_the_first_contact_or_in_the_future(world):
    case = register(world, first_contact_on=world.today - 3 * DAY)
    for when in (at(4), timezone.now() + datetime.timedelta(minutes=5)):
        with pytest.raises(ValidationError) as error:
            visit(world, case, when)
        assert set(error.value.error_dict) == {"contacted_at"}
    with pytest.raises(ValidationError) as error:
        service_record_add(
            actor=world.lead_worker.actor,
            case=case,
            provided_on=world.today - 4 * DAY,
            domain="housing",
            mode="direct",
            description="청소 지원",
        )
    assert "첫 접촉일" in error.value.message_dict["provided_on"][0]
    assert service_record_add(
        actor=world.lead_worker.actor,
        case=case,
        provided_on=world.today - 3 * DAY,
        domain="housing",
        mode="direct",
        description="청소 지원",
    ).provided_on == (world.today - 3 * DAY)


def test_a_legacy_case_with_an_earlier_first_contact_accepts_records_back_to_it(world):
    case = world.case  # opened 30 days ago
    case.first_contact_on = case.opened_on - 5 * DAY
    case.save(update_fields=["first_contact_on"])
    assert visit(world, case, at(33)).pk
    with pytest.raises(ValidationError):
        visit(world, case, at(36))


# --- stage changes ----------------------------------------------------------------------------------


def test_a_stage_change_keeps_its_event_time_apart_from_who_typed_it_and_when(world):
    before = timezone.now()
    case = case_change_stage(
        actor=world.lead_worker.actor,
        case=world.case,
        to_stage=Stage.REFUSED,
        reason="문을 열어 주지 않음",
        occurred_at=at(10),
    )
    change = StageChange.objects.filter(case=case).latest("changed_at")
    assert change.changed_at == at(10) == case.stage_changed_at
    assert change.changed_by == world.lead_worker.user and change.created_at >= before


def test_a_stage_change_is_never_before_the_previous_one_nor_the_first_contact(world):
    actor = world.lead_worker.actor
    case_change_stage(actor=actor, case=world.case, to_stage=Stage.INITIAL_CONSULTATION, occurred_at=at(10))
    with pytest.raises(ValidationError) as error:
        case_change_stage(actor=actor, case=world.case, to_stage=Stage.INTAKE, occurred_at=at(11))
    assert "occurred_at" in error.value.error_dict
    with pytest.raises(ValidationError):
        case_change_stage(
            actor=actor,
            case=world.case,
            to_stage=Stage.INTAKE,
            occurred_at=timezone.now() + datetime.timedelta(hours=1),
        )


def test_a_refusal_typed_late_counts_the_visits_since_its_own_date(world):
    """The refusal typed on Friday about Monday's door: the visits of Tuesday-Thursday are attempts."""
    actor = world.lead_worker.actor
    case = register(world, first_contact_on=world.today - 14 * DAY)
    visits = [visit(world, case, at(days)) for days in (11, 10, 9)]  # typed first, a week late
    case_change_stage(actor=actor, case=case, to_stage=Stage.REFUSED, reason="문전 거부", occurred_at=at(12))
    [row] = [RefusalRow.of(c, today=world.today) for c in refusing_cases_for_actor(actor=actor) if c.pk == case.pk]
    assert (row.refused_on, row.attempts, row.last_attempt_on) == (world.today - 12 * DAY, 3, world.today - 9 * DAY)
    assert all(v.created_at.date() >= world.today - DAY for v in visits)


def test_the_stage_form_passes_the_event_time(client, world):
    world.lead_worker.login(client)
    url = reverse("cases:stage", args=[world.case.uuid])
    when = at(5, 15).replace(tzinfo=None)
    response = client.post(
        url,
        {
            "to_stage": Stage.REFUSED,
            "reason": "문을 열지 않음",
            "occurred_at": when.strftime("%Y-%m-%dT%H:%M"),
            "expected_version": world.case.lock_version,
        },
    )
    assert response.status_code == 302
    world.case.refresh_from_db()
    assert timezone.localtime(world.case.stage_changed_at).replace(tzinfo=None) == when


# --- needs and consents -----------------------------------------------------------------------------


def test_a_need_has_its_own_date_within_the_case(world):
    actor = world.lead_worker.actor
    need = need_record(
        actor=actor, case=world.case, domain="housing", expressed_text="집이 춥다", identified_on=world.today - 7 * DAY
    )
    assert need.identified_on == world.today - 7 * DAY
    assert need_record(actor=actor, case=world.case, domain="housing", expressed_text="쌀").identified_on == world.today
    for day in (world.case.opened_on - DAY, world.today + DAY):
        with pytest.raises(ValidationError) as error:
            need_record(actor=actor, case=world.case, domain="housing", expressed_text="집", identified_on=day)
        assert "identified_on" in error.value.error_dict


def test_a_consent_is_not_dated_before_the_case_started(world):
    with pytest.raises(ValidationError) as error:
        consent_record(
            actor=world.lead_worker.actor,
            case=world.case,
            person=world.head,
            given_on=world.case.opened_on - DAY,
            required_collection=True,
        )
    assert "given_on" in error.value.error_dict


# --- the timeline ----------------------------------------------------------------------------------


def test_the_timeline_uses_event_time_and_marks_entries_typed_late(world):
    case = register(world, first_contact_on=world.today - 20 * DAY)
    late = visit(world, case, at(LATE_ENTRY_DAYS + 1))
    on_time = visit(world, case, at(LATE_ENTRY_DAYS))
    events = {e.at: e for e in case_timeline(actor=world.lead_worker.actor, case=case, kinds={"contact"})}
    assert events[late.contacted_at].typed_late and not events[on_time.contacted_at].typed_late
    assert [e.at for e in case_timeline(actor=world.lead_worker.actor, case=case, kinds={"contact"})] == [
        on_time.contacted_at,
        late.contacted_at,
    ]
    assert typed_late(world.today - 8 * DAY, timezone.now()) and not typed_late(world.today, timezone.now())


def test_the_timeline_page_shows_the_late_mark(client, world):
    case = register(world, first_contact_on=world.today - 20 * DAY)
    visit(world, case, at(12))
    world.lead_worker.login(client)
    page = client.get(reverse("timeline:case", args=[case.uuid])).content.decode()
    assert "late-entry" in page and world.today.isoformat() in page
