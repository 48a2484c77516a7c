"""``manage.py bench_access_log --district-id N [--generate]``: the access log at scale (issue 16 item 5)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from hamkke.audit import partitions
from hamkke.audit.models import AccessLog
from hamkke.bench.accesslog import generate_access_log, measure_viewer, measure_write


class Command(BaseCommand):
    help = "Fill a district's access log with synthetic months (--generate) and time the viewer and the row write."

    def add_arguments(self, parser):
        parser.add_argument("--district-id", type=int, required=True)
        parser.add_argument("--generate", action="store_true", help="write synthetic rows first")
        parser.add_argument("--months", type=int, default=24)
        parser.add_argument("--recent-months", type=int, default=2)
        parser.add_argument("--recent-per-month", type=int, default=1_000_000)
        parser.add_argument("--older-per-month", type=int, default=50_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--requests", type=int, default=10, help="requests per viewer page")

    def handle(
        self,
        *args,
        district_id,
        generate,
        months,
        recent_months,
        recent_per_month,
        older_per_month,
        seed,
        requests,
        **options,
    ):
        if generate:
            try:
                result = generate_access_log(
                    district_id=district_id,
                    months=months,
                    recent_months=recent_months,
                    recent_per_month=recent_per_month,
                    older_per_month=older_per_month,
                    seed=seed,
                    log=self.stdout.write,
                )
            except ValueError as error:
                raise CommandError(str(error)) from None
            self.stdout.write(f"{result.rows:,} rows in {result.seconds:.0f} s ({result.rows / result.seconds:,.0f}/s)")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT sum(c.reltuples)::bigint, pg_size_pretty(sum(pg_total_relation_size(c.oid)))"
                    " FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent"
                    " WHERE p.relname = %s",
                    [partitions.TABLE],
                )
                estimate, size = cursor.fetchone()
            self.stdout.write(
                f"access log: about {estimate:,} rows, {size} with indexes, "
                f"{len(partitions.months())} monthly partitions"
            )
        else:
            self.stdout.write(f"access log: {AccessLog.objects.count():,} rows")
        for timing in [
            *measure_viewer(district_id=district_id, count=requests),
            measure_write(district_id=district_id),
        ]:
            self.stdout.write(
                f"  {timing.name:<45} p50 {timing.p50_ms:8.2f} ms   p95 {timing.p95_ms:8.2f} ms   (n={timing.samples})"
            )
