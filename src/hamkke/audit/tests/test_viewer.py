"""The access-log viewer, unusual-access flags, the monthly review and retention."""

import datetime
from urllib.parse import quote

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from hamkke.audit.flags import BULK_PERSONS, flags_for_period, flags_for_rows
from hamkke.audit.models import AccessLog, Action, MonthlyReview
from hamkke.audit.services import access_log_purge, monthly_review_sign

pytestmark = pytest.mark.django_db


def seoul(y, m, d, h=10, minute=0):
    return timezone.make_aware(datetime.datetime(y, m, d, h, minute))


@pytest.fixture
def timed_log(world):
    """A helper that inserts log rows at given times with raw SQL (auto_now_add would stamp now)."""

    def make(member, at, action=Action.VIEW, case=None, person_ids=()):
        import json

        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO audit_accesslog (at, district_id, user_id, username, agency_id, action, object_type, "
                "object_id, case_id, person_ids, ip, path, detail) VALUES (%s, %s, %s, %s, %s, %s, 'case', '', %s, "
                "%s, NULL, '', '')",
                [
                    # as the ORM stores it (SQLite compares text: a +09:00 suffix would sort by local time)
                    connection.ops.adapt_datetimefield_value(at),
                    world.district_a.pk,
                    member.user.pk,
                    member.username,
                    member.membership.agency_id,
                    action,
                    case.pk if case else None,
                    json.dumps(list(person_ids)),
                ],
            )

    return make


def test_flags(world, timed_log):
    day = seoul(2026, 3, 4)  # a Wednesday
    timed_log(world.lead_worker, day, case=world.case, person_ids=[world.head.pk])  # normal
    timed_log(world.lead_worker, seoul(2026, 3, 4, 23, 30), case=world.case, person_ids=[1])  # after hours
    timed_log(world.lead_worker, seoul(2026, 3, 7, 11), case=world.case, person_ids=[1])  # Saturday
    timed_log(world.district_admin, day, case=world.case, person_ids=[1])  # lead agency: fine
    timed_log(world.unrelated_worker, day, case=world.case, person_ids=[1])  # outside the team
    timed_log(world.unrelated_worker, day, action=Action.DENIED)
    timed_log(world.unrelated_worker, day, action=Action.EMERGENCY, case=world.case)
    for i in range(BULK_PERSONS):
        timed_log(
            world.participant_worker, day + datetime.timedelta(seconds=i), action=Action.VIEW, person_ids=[1000 + i]
        )
    flags = flags_for_period(district_id=world.district_a.pk, start=seoul(2026, 3, 1, 0), end=seoul(2026, 4, 1, 0))
    kinds = sorted(f.kind for f in flags)
    assert kinds.count("after_hours") == 2
    assert kinds.count("outside_team") == 1 and kinds.count("denied") == 1 and kinds.count("emergency") == 1
    assert kinds.count("bulk") == 1
    # The viewer computes the flags of the rows it shows, from those rows' users only: the same flags,
    # whether the page holds the whole period or just the burst's last row.
    rows = list(AccessLog.objects.filter(at__gte=seoul(2026, 3, 1, 0), at__lt=seoul(2026, 4, 1, 0)))
    by_row = flags_for_rows(district_id=world.district_a.pk, logs=rows)
    assert {(f.kind, f.log_id) for f in by_row.values()} == {(f.kind, f.log_id) for f in flags}
    burst_end = next(f for f in flags if f.kind == "bulk")
    page = [row for row in rows if row.pk == burst_end.log_id]
    assert flags_for_rows(district_id=world.district_a.pk, logs=page)[burst_end.log_id].kind == "bulk"


def test_viewer_counts_at_most_ten_thousand_rows(client, world, timed_log, monkeypatch):
    from hamkke.audit.views import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "COUNT_CAP", 3)
    for minute in range(5):
        timed_log(world.lead_worker, timezone.now() - datetime.timedelta(minutes=minute), case=world.case)
    world.auditor.login(client)
    response = client.get("/audit/")
    assert response.status_code == 200
    assert "3+" in response.content.decode()
    assert response.context["page"].paginator.count == 4  # cap + 1 rows read, never all of them


@pytest.mark.parametrize(
    "who, status",
    [("auditor", 200), ("district_admin", 200), ("lead_worker", 403), ("lead_supervisor", 403), ("b_admin", 200)],
)
def test_viewer_for_auditors_and_district_admins_only(client, world, who, status):
    getattr(world, who).login(client)
    response = client.get(reverse("audit:log"))
    assert response.status_code == status
    if who == "b_admin":  # their own district only: nothing of district A
        assert world.lead_worker.username not in response.content.decode()


def test_viewer_filters_by_user_person_and_case(client, world):
    world.lead_worker.login(client)
    client.get(reverse("cases:detail", args=[world.case.uuid]))
    client.logout()
    world.auditor.login(client)
    cell = f"<td>{world.lead_worker.username}</td>"  # a table row, not the flags summary
    page = client.get(reverse("audit:log"), {"username": world.lead_worker.username, "action": "view"})
    assert page.status_code == 200 and cell in page.content.decode()
    by_person = client.post(reverse("audit:log"), {"person_name": world.head.name, "action": "view"}, follow=True)
    assert cell in by_person.content.decode()
    by_case = client.get(reverse("audit:log"), {"case_ref": world.case.reference, "action": "view"})
    assert cell in by_case.content.decode()
    nobody = client.post(reverse("audit:log"), {"person_name": "없는사람", "action": "view"})
    assert cell not in nobody.content.decode() and "당사자가 없습니다" in nobody.content.decode()
    bad = client.get(reverse("audit:log"), {"start": "2026-02-30", "end": "x"})
    assert bad.status_code == 200


def test_export_needs_a_reason_and_is_logged(client, world):
    world.auditor.login(client)
    response = client.post(reverse("audit:export"), {"reason": ""})
    assert response.status_code == 302 and not AccessLog.objects.filter(action=Action.EXPORT).exists()
    response = client.post(reverse("audit:export"), {"reason": "3월 정기 점검"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert AccessLog.objects.get(action=Action.EXPORT).detail == "reason: 3월 정기 점검"


def test_monthly_review_needs_every_flag_seen(world, timed_log):
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    timed_log(
        world.unrelated_worker,
        timezone.make_aware(datetime.datetime.combine(last_month, datetime.time(10))),
        action=Action.DENIED,
    )
    seen = [f"denied:{world.unrelated_worker.username}"]  # the groups of flags (kind and user) looked at
    actor = world.auditor.actor
    with pytest.raises(ValidationError):
        monthly_review_sign(actor=actor, month=last_month, flags_seen=[], note="점검")
    with pytest.raises(ValidationError):
        monthly_review_sign(actor=actor, month=timezone.localdate(), flags_seen=[], note="이번 달")
    with pytest.raises(PermissionDenied):
        monthly_review_sign(actor=world.district_admin.actor, month=last_month, flags_seen=[], note="x")
    review = monthly_review_sign(actor=actor, month=last_month, flags_seen=seen, note="이상 없음")
    assert review.flag_count == 1 and review.flags_seen == seen
    assert MonthlyReview.objects.count() == 1
    with pytest.raises(ValidationError):
        monthly_review_sign(actor=actor, month=last_month, flags_seen=seen, note="again")


def test_retention_removes_only_rows_older_than_two_years(world, timed_log):
    timed_log(world.lead_worker, timezone.now() - datetime.timedelta(days=800))
    timed_log(world.lead_worker, timezone.now() - datetime.timedelta(days=100))
    with pytest.raises(ValidationError):
        access_log_purge(older_than_days=365, dry_run=True)
    assert access_log_purge(older_than_days=730, dry_run=True) == 1
    before = AccessLog.objects.count()
    call_command("purge_access_log", "--apply")
    assert AccessLog.objects.count() == before - 1


def test_the_person_search_puts_no_name_in_the_url_or_the_access_log(client, world):
    """Issue 11, finding 9: the viewer's own person search (POST, then a redirect to the persons' ids)."""
    world.lead_worker.login(client)
    client.get(reverse("cases:detail", args=[world.case.uuid]))
    client.logout()
    world.auditor.login(client)
    response = client.post(reverse("audit:log"), {"person_name": world.head.name, "action": "view"})
    assert response.status_code == 302
    location = response["Location"]
    assert world.head.name not in location and quote(world.head.name) not in location
    assert str(world.head.uuid) in location
    page = client.get(location).content.decode()
    assert f"<td>{world.lead_worker.username}</td>" in page
    paths = list(AccessLog.objects.filter(object_type="accesslog").values_list("path", flat=True))
    assert paths and not [p for p in paths if world.head.name in p or quote(world.head.name) in p]
    # An old link with the name in it is not searched by it (and its value is not logged).
    client.get(reverse("audit:log"), {"person_name": world.head.name})
    assert AccessLog.objects.filter(object_type="accesslog").latest("pk").path == reverse("audit:log") + "?person_name="


def test_retention_runs_as_a_scheduled_task(world, timed_log, settings):
    """celery beat sends hamkke.audit.purge_access_log nightly (run in-process here)."""
    from hamkke.audit.tasks import purge_access_log

    assert settings.CELERY_BEAT_SCHEDULE["purge-access-log"]["task"] == purge_access_log.name
    timed_log(world.lead_worker, timezone.now() - datetime.timedelta(days=800))
    timed_log(world.lead_worker, timezone.now() - datetime.timedelta(days=100))
    before = AccessLog.objects.count()
    assert purge_access_log.delay().get() == 1
    assert purge_access_log.delay().get() == 0  # idempotent
    assert AccessLog.objects.count() == before - 1
