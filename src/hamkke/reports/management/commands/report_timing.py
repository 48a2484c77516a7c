"""``python manage.py report_timing``: how long a district's yearly report takes to make.

Times the statistics, the workbook and the PDF for a whole district (as its district admin sees
them), without writing anything (no access-log row: nobody downloads anything).
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hamkke.districts.models import District
from hamkke.reports.exports import statistics_xlsx
from hamkke.reports.pdf import KoreanFontMissing, annual_report_pdf
from hamkke.reports.periods import Period
from hamkke.reports.selectors import ReportScope, statistics_for_scope


class Command(BaseCommand):
    help = "Time the yearly report (figures, xlsx, PDF) of a district."

    def add_arguments(self, parser):
        parser.add_argument("--district", help="district code (default: the first district)")
        parser.add_argument("--year", type=int, default=None, help="default: this year")
        parser.add_argument("--repeat", type=int, default=3)

    def handle(self, *args, district=None, year=None, repeat=3, **options):
        chosen = District.objects.filter(code=district).first() if district else District.objects.order_by("pk").first()
        if chosen is None:
            raise CommandError("no such district")
        period = Period.of_year(year or timezone.localdate().year)
        scope = ReportScope(chosen.pk, chosen.name, None)
        best = {}
        for _n in range(max(1, repeat)):
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                stats = statistics_for_scope(scope=scope, period=period)
                best["figures"] = min(best.get("figures", 1e9), time.perf_counter() - began)
            began = time.perf_counter()
            statistics_xlsx(stats)
            best["xlsx"] = min(best.get("xlsx", 1e9), time.perf_counter() - began)
            try:
                began = time.perf_counter()
                annual_report_pdf(stats)
                best["pdf"] = min(best.get("pdf", 1e9), time.perf_counter() - began)
            except KoreanFontMissing:
                best["pdf"] = float("nan")
        self.stdout.write(
            f"{chosen.name} {period.label} ({connection.vendor}): households new {stats.households_new}, "
            f"services {stats.services_count}, contacts {stats.contacts_total}, active cases {stats.cases_active}\n"
            f"figures {best['figures'] * 1000:.0f} ms in {len(queries.captured_queries)} queries, "
            f"xlsx {best['xlsx'] * 1000:.0f} ms, pdf {best['pdf'] * 1000:.0f} ms (best of {repeat})"
        )
