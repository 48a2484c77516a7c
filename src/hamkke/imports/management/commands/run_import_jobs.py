"""The import worker: runs queued import jobs one at a time, outside the web process.

manage.py run_import_jobs            # keep polling (a second terminal, or a service unit)
manage.py run_import_jobs --once     # run what is queued now, then stop (cron, tests)
"""

import time

from django.core.management.base import BaseCommand

from hamkke.imports import selectors, services


class Command(BaseCommand):
    help = "Run queued bulk-import jobs (가져오기 작업) outside the web process."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run the jobs queued now, then exit")
        parser.add_argument("--poll", type=float, default=2.0, help="seconds between looks at the queue")

    def handle(self, *args, once=False, poll=2.0, **options):
        stale = services.import_jobs_fail_stale()
        if stale:
            self.stderr.write(f"{stale} interrupted job(s) marked failed (nothing of theirs was saved)")
        while True:
            job = selectors.import_jobs_queued().first()
            if job is None:
                if once:
                    return
                time.sleep(poll)
                continue
            started = time.monotonic()
            job = services.import_job_run(job=job)
            self.stdout.write(
                f"{job.uuid} {job.kind} {job.mode}: {job.status}, {job.total_rows} rows, "
                f"{job.created_count} created, {job.skipped_count} skipped, "
                f"{len(job.problems)} problems, {time.monotonic() - started:.1f}s"
            )
