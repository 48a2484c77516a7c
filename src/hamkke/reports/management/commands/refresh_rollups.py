"""``python manage.py refresh_rollups``: count again the statistics months changed since the last refresh.

The nightly Celery beat job does the same (``hamkke.reports.refresh_rollups``); run it by hand after a
large import or to fill the rollups of an existing database (``--full`` counts every month again).
The figures are exact without it (changed months are counted live): it only makes them fast.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from hamkke.districts.models import District
from hamkke.reports.rollups import rollup_refresh


class Command(BaseCommand):
    help = "Refresh the statistics rollups (months changed since the last refresh, or all with --full)."

    def add_arguments(self, parser):
        parser.add_argument("--district", help="district code (default: every district)")
        parser.add_argument("--full", action="store_true", help="count every month again")

    def handle(self, *args, district=None, full=False, **options):
        district_id = None
        if district:
            found = District.objects.filter(code=district).values_list("pk", flat=True).first()
            if found is None:
                raise CommandError(f"no district with code {district!r}")
            district_id = found
        result = rollup_refresh(district_id=district_id, full=full)
        self.stdout.write(f"{result.months} months counted in {result.seconds:.1f} s")
