"""``manage.py benchmark``: the worker pages of a synthetic district, timed; then a mixed load (issue 6)."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hamkke.bench import benchmark
from hamkke.districts.models import District


class Command(BaseCommand):
    help = "Time the worker pages on a synthetic district (generate_synthetic) and print one table."

    def add_arguments(self, parser):
        parser.add_argument("--district", help="district code (default: the largest synthetic district)")
        parser.add_argument("--requests", type=int, default=200, help="timed requests per page (≥ 200 for p99)")
        parser.add_argument("--load-seconds", type=int, default=30, help="mixed load duration; 0 to skip it")
        parser.add_argument("--connections", type=int, default=16)
        parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
        parser.add_argument("--port", type=int, default=None, help="gunicorn's port (default: a free one)")
        parser.add_argument(
            "--baseline", default=str(benchmark.BASELINE), help="the last release's numbers (JSON) to compare with"
        )
        parser.add_argument("--save-baseline", default="", help="write this run's numbers as a baseline (JSON)")
        parser.add_argument("--only", default="", help="comma-separated words: measure only pages whose name has one")

    def handle(
        self,
        *args,
        district,
        requests,
        load_seconds,
        connections,
        workers,
        port,
        only,
        baseline,
        save_baseline,
        **options,
    ):
        problem = benchmark.locale_check()
        if problem:
            raise CommandError(problem)
        chosen = self._district(district)
        self.stdout.write(f"District: {chosen.name} — {benchmark.district_sizes(chosen)}")
        self.stdout.write(f"Machine: {benchmark.machine()}")
        began = time.perf_counter()
        subjects = benchmark.choose_subjects(chosen, rng=random.Random(f"bench:{chosen.code}"))
        results = benchmark.run_pages(
            subjects, count=requests, log=self.stdout.write, only=[w.strip() for w in only.split(",") if w.strip()]
        )
        load = None
        if load_seconds:
            load = benchmark.run_load(
                subjects,
                seconds=load_seconds,
                connections=connections,
                workers=workers,
                port=port,
                log=self.stdout.write,
            )
        self.stdout.write("", ending="\n")
        self.stdout.write(benchmark.table(results, load, subjects))
        if baseline and Path(baseline).exists():
            self.stdout.write("\n" + benchmark.compare(results, load, json.loads(Path(baseline).read_text("utf-8"))))
        if save_baseline:
            data = benchmark.as_baseline(results, load, label=f"{chosen.code}, {timezone.localdate():%Y-%m-%d}")
            Path(save_baseline).write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")
        self.stdout.write(f"\n(benchmark took {time.perf_counter() - began:.0f} s)")

    def _district(self, code: str | None) -> District:
        districts = District.objects.filter(code__startswith="B")
        if code:
            districts = District.objects.filter(code=code)
        chosen = max(districts, key=lambda d: d.case_set.count(), default=None)
        if chosen is None:
            raise CommandError("No synthetic district: run `manage.py generate_synthetic --size metro` first.")
        return chosen
