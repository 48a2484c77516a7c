"""The access-log generator and its measurements at a tiny scale: rows land in their months, the viewer pages
answer, the write is timed and rolled back (nothing is left in a log that cannot be cleaned)."""

import datetime

import pytest
from django.db import connection

from hamkke.audit import partitions
from hamkke.audit.models import AccessLog
from hamkke.bench.accesslog import generate_access_log, measure_viewer, measure_write
from hamkke.bench.generator import generate_synthetic

pytestmark = pytest.mark.django_db


def test_generated_months_and_measurements():
    district = generate_synthetic(factor=0.001, seed=12, today=datetime.date.today()).district
    before = AccessLog.objects.count()
    result = generate_access_log(
        district_id=district.pk, months=3, recent_months=1, recent_per_month=3000, older_per_month=200
    )
    assert result.rows == AccessLog.objects.count() - before > 400
    rows = AccessLog.objects.filter(district_id=district.pk)
    assert any(person_ids for person_ids in rows.values_list("person_ids", flat=True)[:200])  # reads name persons
    oldest = rows.order_by("at").first().at
    assert oldest >= partitions.bounds(partitions.month_start(datetime.date.today()) - datetime.timedelta(days=62))[0]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {partitions.DEFAULT}")
            assert cursor.fetchone()[0] == 0  # every generated month has its partition
    timings = measure_viewer(district_id=district.pk, count=1)
    assert len(timings) == 6 and all(t.p50_ms > 0 for t in timings)
    written = AccessLog.objects.count()
    write = measure_write(district_id=district.pk, count=20)
    assert write.samples == 20 and write.p50_ms > 0
    assert AccessLog.objects.count() == written  # the timed rows were rolled back
