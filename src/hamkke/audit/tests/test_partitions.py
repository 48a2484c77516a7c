"""The access log partitioned by month on PostgreSQL (issue 16 item 5): rows land in their month, the
append-only trigger holds on every partition, retention drops whole months, stray rows move into a new month."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from hamkke.audit import partitions
from hamkke.audit.models import AccessLog, Action
from hamkke.audit.services import access_log_purge, audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("declarative partitioning is PostgreSQL's (on SQLite the migration does nothing)")


def insert(at: datetime.datetime) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_accesslog (at, action, username, object_type, object_id, person_ids, path, detail)"
            " VALUES (%s, 'view', 'tester', 'case', '', '[]', '', '') RETURNING id",
            [at],
        )
        return cursor.fetchone()[0]


def partition_of(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM audit_accesslog WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def refused(sql: str, params) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError:
        return True
    return False


def seoul_month(months_back: int) -> datetime.date:
    month = partitions.month_start(timezone.localdate())
    for _ in range(months_back):
        month = partitions.month_start(month - datetime.timedelta(days=1))
    return month


def test_sqlite_keeps_one_plain_table():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's behaviour")
    assert not partitions.is_partitioned()
    assert partitions.ensure_partitions() == []


def test_rows_land_in_their_month_and_stay_append_only(postgresql, world):
    assert partitions.is_partitioned()
    this_month = partitions.month_start(timezone.localdate())
    assert this_month in partitions.months() and partitions.next_month(this_month) in partitions.months()
    row = audit_record(actor=world.lead_worker.actor, action=Action.VIEW, object_type="case", object_id="x")
    assert partition_of(row.pk) == partitions.partition_name(this_month)
    assert AccessLog.objects.get(pk=row.pk).object_id == "x"  # the ORM reads through the parent
    assert refused("UPDATE audit_accesslog SET detail = 'changed' WHERE id = %s", [row.pk])
    assert refused("DELETE FROM audit_accesslog WHERE id = %s", [row.pk])
    name = partitions.partition_name(this_month)
    assert refused(f"UPDATE {name} SET detail = 'changed' WHERE id = %s", [row.pk])  # the partition itself too
    assert refused(f"DELETE FROM {name} WHERE id = %s", [row.pk])


def test_a_new_month_takes_the_rows_that_waited_in_the_default_partition(postgresql):
    future = partitions.next_month(partitions.months()[-1])
    at = partitions.bounds(future)[0] + datetime.timedelta(days=3)
    pk = insert(at)
    assert partition_of(pk) == partitions.DEFAULT
    created = partitions.ensure_partitions(today=future, ahead=0)
    assert created == [partitions.partition_name(future)]
    assert partition_of(pk) == partitions.partition_name(future)
    assert refused("UPDATE audit_accesslog SET detail = 'changed' WHERE id = %s", [pk])
    assert refused(f"DELETE FROM {partitions.DEFAULT} WHERE id = %s", [insert(at + datetime.timedelta(days=40))])


def test_retention_drops_whole_months_older_than_two_years(postgresql):
    old_month = seoul_month(26)  # every row of it is more than 730 days old
    kept_month = seoul_month(23)  # younger than two years: must stay
    partitions.ensure_partitions(today=old_month, ahead=0)
    partitions.ensure_partitions(today=kept_month, ahead=0)
    old_rows = [insert(partitions.bounds(old_month)[0] + datetime.timedelta(days=d)) for d in (0, 10, 20)]
    kept = insert(partitions.bounds(kept_month)[0] + datetime.timedelta(days=1))
    stray = insert(timezone.now() - datetime.timedelta(days=3000))  # before any partition: the default one
    assert partition_of(stray) == partitions.DEFAULT
    assert refused("DELETE FROM audit_accesslog WHERE id = %s", [kept])

    assert access_log_purge(older_than_days=730, dry_run=True) == len(old_rows) + 1
    assert partitions.partition_name(old_month) in {partitions.partition_name(m) for m in partitions.months()}
    call_command("purge_access_log", "--apply", stdout=io.StringIO())
    assert old_month not in partitions.months() and kept_month in partitions.months()
    assert not AccessLog.objects.filter(pk__in=[*old_rows, stray]).exists()
    assert AccessLog.objects.filter(pk=kept).exists()
    with pytest.raises(ValueError):  # the drop itself refuses a month that is not entirely past the cutoff
        partitions.drop(
            [partitions.Droppable(partitions.partition_name(kept_month), kept_month, 1)],
            cutoff=timezone.now() - datetime.timedelta(days=730),
        )


def test_partitions_command_creates_the_coming_months(postgresql):
    out = io.StringIO()
    call_command("access_log_partitions", "--ahead", "6", stdout=out)
    month = partitions.month_start(timezone.localdate())
    for _ in range(6):
        month = partitions.next_month(month)
    assert month in partitions.months()
    assert "monthly partitions" in out.getvalue()
