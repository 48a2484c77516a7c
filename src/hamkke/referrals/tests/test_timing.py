"""Response time and ageing: pure rules with fixed dates, then as the selectors show them."""

import datetime
import zoneinfo

import pytest

from hamkke.referrals import timing
from hamkke.referrals.selectors import referral_get_for_actor, referrals_received_waiting
from hamkke.referrals.services import referral_accept, referral_decline

from .helpers import consent_for, send, sent_ago

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")


def seoul(*args):
    return datetime.datetime(*args, tzinfo=SEOUL)


@pytest.mark.parametrize(
    ("sent", "today", "days"),
    [
        (seoul(2026, 3, 2, 9), datetime.date(2026, 3, 2), 0),
        (seoul(2026, 3, 2, 23, 50), datetime.date(2026, 3, 3), 1),  # calendar days in Seoul, not 24-hour blocks
        (seoul(2026, 3, 2, 0, 10), datetime.date(2026, 3, 9), 7),
        (datetime.datetime(2026, 3, 1, 16, 0, tzinfo=datetime.UTC), datetime.date(2026, 3, 2), 0),  # 01:00 on 3/2 Seoul
    ],
)
def test_days_waiting_counts_seoul_calendar_days(sent, today, days):
    assert timing.days_waiting(sent, today) == days


@pytest.mark.parametrize(
    ("days", "tone"), [(0, "info"), (2, "info"), (3, "warn"), (6, "warn"), (7, "danger"), (40, "danger")]
)
def test_age_tone_thresholds(days, tone):
    assert timing.AGE_WARN_DAYS == 3 and timing.AGE_DANGER_DAYS == 7
    assert timing.age_tone(days) == tone


@pytest.mark.parametrize(
    ("delta", "label"),
    [
        (datetime.timedelta(days=2, hours=3, minutes=20), "2일 3시간"),
        (datetime.timedelta(days=1, minutes=5), "1일"),
        (datetime.timedelta(hours=5, minutes=59), "5시간"),
        (datetime.timedelta(minutes=10), "1시간 미만"),
        (None, ""),
    ],
)
def test_duration_label(delta, label):
    assert timing.duration_label(delta) == label


def test_response_time():
    sent = seoul(2026, 3, 2, 9)
    assert timing.response_time(sent, None) is None
    assert timing.response_time(sent, seoul(2026, 3, 4, 12)) == datetime.timedelta(days=2, hours=3)


@pytest.mark.django_db
def test_unanswered_referrals_age_and_answered_ones_show_their_response_time(world):
    consent_for(world, network=True)
    old = sent_ago(send(world), days=8)
    receiver = world.unrelated_worker.actor
    [waiting] = referrals_received_waiting(actor=receiver)
    assert (waiting.days_waiting, waiting.age_tone, waiting.status_tone) == (8, "danger", "danger")
    assert waiting.response_time is None and waiting.response_time_label == ""

    referral_accept(actor=receiver, referral=old)
    answered = referral_get_for_actor(actor=receiver, uuid=old.uuid)
    assert answered.days_waiting is None and answered.status_tone == "info"
    assert answered.response_time >= datetime.timedelta(days=8)
    assert answered.response_time_label.startswith("8일")


@pytest.mark.django_db
def test_response_time_of_a_decline(world):
    consent_for(world, network=True)
    referral = sent_ago(send(world), hours=5, days=0)
    referral_decline(actor=world.unrelated_worker.actor, referral=referral, reason="정원 초과")
    shown = referral_get_for_actor(actor=world.lead_worker.actor, uuid=referral.uuid)
    assert shown.response_time_label == "5시간" and shown.status_tone == "warn"
