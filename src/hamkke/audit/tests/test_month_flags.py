"""The monthly review's flags, computed once by a job and stored (audit.monthflags), and the review by groups."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from hamkke.audit import tasks
from hamkke.audit.flags import BULK_PERSONS, DUPLICATE_CHECK_PREFIX, FLAG_LABELS, PROBE_CHECKS, flags_for_period
from hamkke.audit.models import AccessLog, Action, MonthFlag, MonthFlagRun, MonthlyReview
from hamkke.audit.monthflags import (
    RESEND_AFTER,
    month_bounds,
    month_flag_groups,
    month_flags_compute,
)
from hamkke.audit.services import monthly_review_sign

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2026, 3, 1)


def seoul(day: datetime.date, h=10, minute=0, second=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(h, minute, second)))


@pytest.fixture
def log_row(world):
    """Insert a log row at a given time (raw SQL: auto_now_add would stamp now)."""

    def make(member, at, action=Action.VIEW, case=None, person_ids=(), detail="", object_type="case", district=None):
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO audit_accesslog (at, district_id, user_id, username, agency_id, action, object_type, "
                "object_id, case_id, person_ids, ip, path, detail) VALUES (%s, %s, %s, %s, %s, %s, %s, 'x', %s, "
                "%s, NULL, '', %s)",
                [
                    connection.ops.adapt_datetimefield_value(at),
                    (district or world.district_a).pk,
                    member.user.pk,
                    member.username,
                    member.membership.agency_id,
                    action,
                    object_type,
                    case.pk if case else None,
                    json.dumps(list(person_ids)),
                    detail,
                ],
            )

    return make


def fill_month(world, log_row, month: datetime.date) -> None:
    """A month with every kind of flag, bursts included (they cross the small chunks of the tests)."""
    wednesday = month + datetime.timedelta(days=(2 - month.weekday()) % 7 + 7)
    saturday = wednesday + datetime.timedelta(days=3)
    log_row(world.lead_worker, seoul(wednesday), case=world.case, person_ids=[world.head.pk])  # nothing unusual
    log_row(world.lead_worker, seoul(wednesday, 23, 30), case=world.case, person_ids=[1])  # after hours
    log_row(world.lead_worker, seoul(saturday, 11), case=world.case, person_ids=[1])  # weekend
    log_row(world.participant_worker, seoul(wednesday, 6), case=world.case, person_ids=[1])  # early
    log_row(world.unrelated_worker, seoul(wednesday), case=world.case, person_ids=[1])  # outside the team
    log_row(world.unrelated_worker, seoul(wednesday, 11), action=Action.DENIED)
    log_row(world.lead_worker, seoul(wednesday, 12), action=Action.EMERGENCY, case=world.case)
    for i in range(BULK_PERSONS + 5):  # one burst: one flag, at the 30th person
        log_row(world.participant_worker, seoul(wednesday, 14, 0, i), person_ids=[1000 + i])
    for i in range(BULK_PERSONS):  # a second burst by the same user, after the window: a second flag
        log_row(world.participant_worker, seoul(wednesday, 15, 0, i), person_ids=[2000 + i])
    for i in range(PROBE_CHECKS + 2):  # duplicate checks that no registration followed
        log_row(world.lead_worker, seoul(wednesday, 16, i), action=Action.LIST, detail=f"{DUPLICATE_CHECK_PREFIX} x")
    log_row(world.lead_worker, seoul(wednesday, 22), action=Action.EXPORT, object_type="servicerecord")  # a file
    log_row(world.b_admin, seoul(wednesday, 23), person_ids=[9], district=world.district_b)  # not district A's


def stored(run):
    return sorted(MonthFlag.objects.filter(run=run).values_list("kind", "log_id", "at", "username", "detail"))


@pytest.mark.parametrize("chunk_size", [1, 7, 10_000])
def test_stored_flags_are_the_flags_of_the_period(world, log_row, chunk_size):
    fill_month(world, log_row, MARCH)
    _first, begin, finish = month_bounds(MARCH)
    expected = flags_for_period(district_id=world.district_a.pk, start=begin, end=finish)
    assert {flag.kind for flag in expected} == set(FLAG_LABELS)  # every kind of flag is in the data
    assert [flag.kind for flag in expected].count("bulk") == 3  # two bursts and the file
    run = month_flags_compute(district_id=world.district_a.pk, month=MARCH, chunk_size=chunk_size)
    assert run.status == MonthFlagRun.Status.DONE and run.flag_count == len(expected)
    assert (
        run.rows_read == AccessLog.objects.filter(district_id=world.district_a.pk, at__gte=begin, at__lt=finish).count()
    )
    assert stored(run) == sorted((f.kind, f.log_id, f.at, f.username, f.detail) for f in expected)


def test_the_job_is_idempotent(world, log_row):
    fill_month(world, log_row, MARCH)
    assert tasks.compute_month_flags.delay(world.district_a.pk, "2026-03-15").get() > 0
    run = MonthFlagRun.objects.get(district=world.district_a, month=MARCH)
    first_rows, computed_at = stored(run), run.computed_at
    tasks.compute_month_flags.delay(world.district_a.pk, "2026-03-01").get()  # done: not read again
    run.refresh_from_db()
    assert run.computed_at == computed_at and stored(run) == first_rows
    again = month_flags_compute(district_id=world.district_a.pk, month=MARCH, chunk_size=3, again=True)
    assert stored(again) == first_rows and MonthFlag.objects.count() == len(first_rows)  # replaced, not added


def test_beat_computes_last_month_for_every_district(world, log_row, settings, django_capture_on_commit_callbacks):
    assert settings.CELERY_BEAT_SCHEDULE["month-flags"]["task"] == tasks.schedule_month_flags.name
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    fill_month(world, log_row, last_month)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.schedule_month_flags.delay().get()
    runs = MonthFlagRun.objects.filter(month=last_month)
    assert {run.district_id for run in runs} == {world.district_a.pk, world.district_b.pk}
    assert {run.status for run in runs} == {MonthFlagRun.Status.DONE}
    assert runs.get(district=world.district_b).flag_count == 1  # its own rows only


def test_the_review_page_sends_the_job_once_and_shows_groups(
    client, world, log_row, monkeypatch, django_capture_on_commit_callbacks
):
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    fill_month(world, log_row, last_month)
    sent = []
    monkeypatch.setattr(tasks.compute_month_flags, "delay", lambda *args: sent.append(args))
    world.auditor.login(client)
    url = reverse("audit:reviews")
    with django_capture_on_commit_callbacks(execute=True):
        first = client.get(url)
        second = client.get(url, {"month": last_month.strftime("%Y-%m")})
    for page in (first, second):
        assert page.status_code == 200
        assert "이 달의 점검 목록을 만드는 중입니다" in page.content.decode()
    assert sent == [(world.district_a.pk, last_month.isoformat())]
    assert not MonthFlag.objects.exists()
    # Signing while the list is being made: a message, no review.
    page = client.post(url, {"month": last_month.isoformat(), "note": "점검"})
    assert page.status_code == 200 and not MonthlyReview.objects.exists()

    tasks.compute_month_flags.run(*sent[0])  # the worker
    page = client.get(url)
    content = page.content.decode()
    groups = page.context["groups"]
    assert "만드는 중" not in content
    keys = [group.key for group, _checked, _link in groups]
    assert f"bulk:{world.participant_worker.username}" in keys
    bulk = next(group for group, _checked, _link in groups if group.key == f"bulk:{world.participant_worker.username}")
    assert bulk.count == 2 and "2건" in content  # the participant worker's two bursts
    _group, _checked, link = next(item for item in groups if item[0].kind == "denied")
    assert f"username={world.unrelated_worker.username}" in link and "action=denied" in link
    assert client.get(link).status_code == 200
    assert len(sent) == 1  # done: not sent again

    page = client.post(url, {"month": last_month.isoformat(), "note": "점검", "flags_seen": keys[1:]})
    assert page.status_code == 200 and "확인하지 않은 이상 징후 묶음이 1개" in page.content.decode()
    assert not MonthlyReview.objects.exists()
    page = client.post(url, {"month": last_month.isoformat(), "note": "이상 없음", "flags_seen": keys})
    assert page.status_code == 302
    review = MonthlyReview.objects.get()
    assert review.flags_seen == sorted(keys) and review.flag_count == MonthFlag.objects.count()


def test_a_lost_job_is_sent_again_and_this_month_is_not_computed(
    client, world, monkeypatch, django_capture_on_commit_callbacks
):
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    MonthFlagRun.objects.create(
        district=world.district_a,
        month=last_month,
        status=MonthFlagRun.Status.FAILED,
        requested_at=timezone.now() - RESEND_AFTER - datetime.timedelta(minutes=1),
    )
    sent = []
    monkeypatch.setattr(tasks.compute_month_flags, "delay", lambda *args: sent.append(args))
    world.auditor.login(client)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(reverse("audit:reviews")).status_code == 200
        assert client.get(reverse("audit:reviews")).status_code == 200
    assert len(sent) == 1
    this_month = client.get(reverse("audit:reviews"), {"month": timezone.localdate().isoformat()})
    assert "끝난 달만 점검할 수 있습니다" in this_month.content.decode()
    assert not MonthFlagRun.objects.filter(month=timezone.localdate().replace(day=1)).exists()
    assert client.get(reverse("audit:reviews"), {"month": "garbage"}).status_code == 200


def test_sign_off_names_the_groups(world, log_row):
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    fill_month(world, log_row, last_month)
    actor = world.auditor.actor
    with pytest.raises(ValidationError):  # computed here (no job ran), and nothing seen
        monthly_review_sign(actor=actor, month=last_month, flags_seen=[], note="점검")
    run = MonthFlagRun.objects.get(district=world.district_a, month=last_month)
    groups = month_flag_groups(run=run)
    assert len(groups) < run.flag_count  # fewer groups than flags: the bursts' and the hours' flags grouped
    review = monthly_review_sign(actor=actor, month=last_month, flags_seen=[g.key for g in groups], note="이상 없음")
    assert review.flag_count == run.flag_count and len(review.flags_seen) == len(groups)
    assert AccessLog.objects.filter(object_type="monthlyreview", detail__contains=f"{len(groups)} groups").exists()
