"""The access log partitioned by month on PostgreSQL (declarative partitioning); nothing on SQLite.

A metro district writes hundreds of thousands of rows a day and keeps them at least two years. One
partition per month (Seoul months, the auditor's review period) lets the viewer's period filter touch
only the months asked for, and lets retention drop a whole month (``DROP TABLE``: instant, no dead
rows, no vacuum) instead of deleting rows one by one.

- ``audit_accesslog`` is the partitioned parent, ``audit_accesslog_yYYYYmMM`` the months and
  ``audit_accesslog_default`` catches a row whose month has no partition yet (the maintenance job
  did not run): such rows are moved into their month when it is created.
- The primary key is (id, at): PostgreSQL requires the partition key in it. ids still come from one
  sequence, so they stay unique.
- The append-only trigger is defined on the parent; PostgreSQL clones it onto every partition,
  present and future.
- ``ensure_partitions`` creates the current month and the next ones; it runs in the migration, in
  ``purge_access_log`` and from the daily maintenance (``manage.py access_log_partitions``).

Hand-written SQL rather than a partitioning library (django-postgres-extra, psqlextra): those need
their own database backend and model base class; the whole of it here is a few statements.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection as default_connection
from django.db import transaction

from . import triggers

TABLE = triggers.TABLE
DEFAULT = f"{TABLE}_default"
SEQUENCE = f"{TABLE}_row_id_seq"
NAME = re.compile(rf"^{TABLE}_y(\d{{4}})m(\d{{2}})$")
INDEXES = [  # as they were when migration 0006 partitioned the table (0007 changed two of them)
    ("accesslog_district_at", "(district_id, at)"),
    ("accesslog_user_at", "(user_id, at)"),
    ("accesslog_case", "(case_id)"),
]
MONTHS_AHEAD = 3


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def partition_name(month: datetime.date) -> str:
    return f"{TABLE}_y{month.year:04d}m{month.month:02d}"


def bounds(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[first instant of the month, first instant of the next), in the site's time zone (Seoul)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    start = datetime.datetime.combine(month_start(month), datetime.time(), zone)
    return start, datetime.datetime.combine(next_month(month), datetime.time(), zone)


def is_partitioned(connection=default_connection) -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE relname = %s", [TABLE])
        row = cursor.fetchone()
    return bool(row) and row[0] == "p"


def months(connection=default_connection) -> list[datetime.date]:
    """The months that have a partition, oldest first."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = %s",
            [TABLE],
        )
        names = [row[0] for row in cursor.fetchall()]
    found = [NAME.match(name) for name in names]
    return sorted(datetime.date(int(m[1]), int(m[2]), 1) for m in found if m)


def create_month(cursor, month: datetime.date) -> bool:
    """Create one month's partition; rows of that month already in the default partition move into it."""
    name = partition_name(month)
    cursor.execute("SELECT 1 FROM pg_class WHERE relname = %s", [name])
    if cursor.fetchone():
        return False
    low, high = bounds(month)
    cursor.execute(f"SELECT count(*) FROM {DEFAULT} WHERE at >= %s AND at < %s", [low, high])
    stray = cursor.fetchone()[0]
    if not stray:
        cursor.execute(f"CREATE TABLE {name} PARTITION OF {TABLE} FOR VALUES FROM (%s) TO (%s)", [low, high])
        return True
    # PostgreSQL refuses a new partition while the default one holds rows of its range: move them
    # first, in this transaction. The append-only trigger is paused on the default partition only for
    # this move (the rows are copied, not changed) and the new month gets the trigger when attached.
    cursor.execute(f"CREATE TABLE {name} (LIKE {TABLE} INCLUDING DEFAULTS)")
    cursor.execute(f"INSERT INTO {name} SELECT * FROM {DEFAULT} WHERE at >= %s AND at < %s", [low, high])
    cursor.execute(f"ALTER TABLE {DEFAULT} DISABLE TRIGGER {triggers.TRIGGER}")
    cursor.execute(f"DELETE FROM {DEFAULT} WHERE at >= %s AND at < %s", [low, high])
    cursor.execute(f"ALTER TABLE {DEFAULT} ENABLE TRIGGER {triggers.TRIGGER}")
    cursor.execute(f"ALTER TABLE {TABLE} ATTACH PARTITION {name} FOR VALUES FROM (%s) TO (%s)", [low, high])
    return True


def ensure_partitions(
    *, connection=default_connection, today: datetime.date | None = None, ahead: int = MONTHS_AHEAD
) -> list[str]:
    """This month and the next ``ahead`` months have partitions (PostgreSQL; nothing elsewhere). -> created."""
    if not is_partitioned(connection):
        return []
    month = month_start(today or datetime.datetime.now(ZoneInfo(settings.TIME_ZONE)).date())
    created = []
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for _ in range(ahead + 1):
            if create_month(cursor, month):
                created.append(partition_name(month))
            month = next_month(month)
    return created


@dataclass
class Droppable:
    name: str
    month: datetime.date
    rows: int


def droppable(*, cutoff: datetime.datetime, connection=default_connection) -> list[Droppable]:
    """Month partitions that end at or before ``cutoff``: every row in them is older than the retention."""
    result = []
    with connection.cursor() as cursor:
        for month in months(connection):
            if bounds(month)[1] <= cutoff:
                name = partition_name(month)
                cursor.execute(f"SELECT count(*) FROM {name}")
                result.append(Droppable(name, month, cursor.fetchone()[0]))
    return result


def drop(partitions: list[Droppable], *, cutoff: datetime.datetime, connection=default_connection) -> int:
    """Drop the given month partitions and delete the default partition's rows older than ``cutoff``."""
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for partition in partitions:
            if not (NAME.match(partition.name) and bounds(partition.month)[1] <= cutoff):
                raise ValueError(f"{partition.name} is not a month that ended before the cutoff")
            cursor.execute(f"DROP TABLE {partition.name}")
        cursor.execute(f"DELETE FROM {DEFAULT} WHERE at < %s", [cutoff])  # the trigger checks each row's age
        return sum(partition.rows for partition in partitions) + cursor.rowcount


def default_older_than(cutoff: datetime.datetime, connection=default_connection) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {DEFAULT} WHERE at < %s", [cutoff])
        return cursor.fetchone()[0]


# --- the migration ----------------------------------------------------------------------------------------


def partition_table(connection) -> None:
    """Turn the plain access-log table into the partitioned one, keeping every row (PostgreSQL only)."""
    if connection.vendor != "postgresql" or is_partitioned(connection):
        return
    old = f"{TABLE}_unpartitioned"
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {old}")
        for index in [f"{TABLE}_pkey", *(name for name, _columns in INDEXES)]:
            cursor.execute(f"ALTER INDEX IF EXISTS {index} RENAME TO {index}_unpartitioned")
        # PostgreSQL 15 has no identity columns on partitioned tables: a sequence owned by the column.
        cursor.execute(f"CREATE SEQUENCE {SEQUENCE}")
        cursor.execute(f"CREATE TABLE {TABLE} (LIKE {old} INCLUDING DEFAULTS) PARTITION BY RANGE (at)")
        cursor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN id SET DEFAULT nextval('{SEQUENCE}')")
        cursor.execute(f"ALTER SEQUENCE {SEQUENCE} OWNED BY {TABLE}.id")
        cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY (id, at)")
        cursor.execute(f"CREATE TABLE {DEFAULT} PARTITION OF {TABLE} DEFAULT")
        cursor.execute(f"SELECT min(at) FROM {old}")
        oldest = cursor.fetchone()[0]
        today = datetime.datetime.now(ZoneInfo(settings.TIME_ZONE)).date()
        month = month_start(oldest.astimezone(ZoneInfo(settings.TIME_ZONE)).date()) if oldest else month_start(today)
        last = month_start(today)
        for _ in range(MONTHS_AHEAD):
            last = next_month(last)
        while month <= last:
            create_month(cursor, month)
            month = next_month(month)
        cursor.execute(f"INSERT INTO {TABLE} SELECT * FROM {old}")
        cursor.execute(f"SELECT max(id) FROM {TABLE}")
        highest = cursor.fetchone()[0]
        cursor.execute("SELECT setval(%s, %s, %s)", [SEQUENCE, highest or 1, highest is not None])
        cursor.execute(f"DROP TABLE {old}")  # its trigger and identity sequence go with it
        for index, columns in INDEXES:
            cursor.execute(f"CREATE INDEX {index} ON {TABLE} {columns}")
    triggers.install(connection)


def unpartition_table(connection) -> None:
    """The reverse: one plain table again (PostgreSQL only)."""
    if not is_partitioned(connection):
        return
    old = f"{TABLE}_partitioned"
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {old}")
        for index in [f"{TABLE}_pkey", *(name for name, _columns in INDEXES)]:
            cursor.execute(f"ALTER INDEX IF EXISTS {index} RENAME TO {index}_partitioned")
        cursor.execute(f"CREATE TABLE {TABLE} (LIKE {old} INCLUDING DEFAULTS)")
        cursor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN id DROP DEFAULT")
        cursor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY")
        cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY (id)")
        cursor.execute(f"INSERT INTO {TABLE} SELECT * FROM {old}")
        cursor.execute(f"SELECT max(id) FROM {TABLE}")
        highest = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{TABLE}', 'id'), %s, %s)", [highest or 1, highest is not None]
        )
        cursor.execute(f"DROP TABLE {old} CASCADE")
        for index, columns in INDEXES:
            cursor.execute(f"CREATE INDEX {index} ON {TABLE} {columns}")
    triggers.install(connection)
