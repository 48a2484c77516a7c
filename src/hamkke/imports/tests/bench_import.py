"""Measure dry-run and import time of a 10,000-row households file and a 10,000-row services file.

Not a test (pytest does not collect it). Run on a throwaway database, e.g.

    DATABASE_URL=sqlite:////tmp/hamkke-bench.sqlite3 .venv/bin/python manage.py migrate -v0
    DATABASE_URL=sqlite:////tmp/hamkke-bench.sqlite3 .venv/bin/python -m hamkke.imports.tests.bench_import

(PostgreSQL: a DATABASE_URL of an empty database.) It builds the test world, then times the
same code path as the worker (import_job_run) for: households dry run, households import,
re-import (all skipped), services dry run, services import.
"""

from __future__ import annotations

import datetime
import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hamkke.settings")
django.setup()

from hamkke.imports.models import ImportJob  # noqa: E402
from hamkke.imports.services import import_job_create, import_job_run  # noqa: E402
from hamkke.imports.tests.helpers import (  # noqa: E402
    HOUSEHOLD_HEADER,
    SERVICE_HEADER,
    household_row,
    service_row,
    xlsx_bytes,
)
from hamkke.testing import make_rrn  # noqa: E402
from hamkke.testing.factories import build_world  # noqa: E402

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
DONGS = ["소공동", "명동", "필동"]
RELATIONS = ["세대주", "배우자", "자녀", "자녀"]


def households_file(n: int) -> bytes:
    rows, household = [], 0
    while len(rows) < n:
        household += 1
        for member, relation in enumerate(RELATIONS[: 1 + household % 4]):
            born = datetime.date(1940 + (household * 7 + member * 13) % 70, 1 + household % 12, 1 + member * 5)
            sex = "남" if (household + member) % 2 else "여"
            rrn = make_rrn(born, "M" if sex == "남" else "F", serial=f"{household % 100000:05d}") if member == 0 else ""
            rows.append(
                household_row(
                    f"H{household:06d}",
                    f"가구원{household}-{member}",
                    born.isoformat(),
                    sex=sex,
                    relation=relation,
                    dong=DONGS[household % 3],
                    address=f"중구 시험로 {household}",
                    rrn=rrn,
                )
            )
    return xlsx_bytes(HOUSEHOLD_HEADER, rows[:n]), household


def services_file(n: int, households: int, day: datetime.date) -> bytes:
    domains = ["생계·경제", "주거·생활환경", "신체건강", "일상생활"]
    rows = [
        service_row(
            household_key=f"H{1 + i % households:06d}",
            provided_on=day.isoformat(),
            domain=domains[i % 4],
            description=f"서비스 {i}",
            key=f"S{i:06d}",
        )
        for i in range(n)
    ]
    return xlsx_bytes(SERVICE_HEADER, rows)


def timed(actor, kind, content, mode) -> ImportJob:
    job = import_job_create(actor=actor, kind=kind, filename="bench.xlsx", content=content, mode=mode)
    started = time.perf_counter()
    job = import_job_run(job=job)
    seconds = time.perf_counter() - started
    print(
        f"{kind:10} {mode:8} {job.total_rows:6} rows  {seconds:7.1f} s  ({job.total_rows / seconds:6.0f} rows/s)  "
        f"created {job.created_count}, skipped {job.skipped_count}, problems {len(job.problems)}",
        flush=True,
    )
    return job


def main() -> None:
    world = build_world()
    actor = world.lead_worker.actor
    content, households = households_file(ROWS)
    print(
        f"database: {django.db.connection.vendor}; households file: {ROWS} rows, {households} households, "
        f"{len(content) // 1024} KiB xlsx",
        flush=True,
    )
    timed(actor, "households", content, ImportJob.Mode.DRY_RUN)
    timed(actor, "households", content, ImportJob.Mode.IMPORT)
    timed(actor, "households", content, ImportJob.Mode.IMPORT)
    services = services_file(ROWS, households, world.today)
    timed(actor, "services", services, ImportJob.Mode.DRY_RUN)
    timed(actor, "services", services, ImportJob.Mode.IMPORT)


if __name__ == "__main__":
    main()
