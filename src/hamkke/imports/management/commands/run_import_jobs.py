"""Import jobs now run on Celery (hamkke.imports.tasks); this command is kept as a thin alias.

manage.py run_import_jobs            # = celery -A hamkke worker --beat (a worker with the scheduler)
manage.py run_import_jobs --once     # sweep, then run the jobs queued now in this process, and stop
                                     # (recovery by hand, cron without a worker, tests)
"""

from django.core.management.base import BaseCommand

from hamkke.celery import app
from hamkke.imports import selectors, services


class Command(BaseCommand):
    help = "Run queued bulk-import jobs (가져오기 작업): a Celery worker, or --once in this process."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run the jobs queued now here, then exit")

    def handle(self, *args, once=False, **options):
        if not once:
            app.worker_main(["worker", "--beat", "--loglevel=INFO", "--concurrency=1"])
            return
        sweep = services.import_jobs_sweep(queued_older_than_seconds=0)
        if sweep.interrupted:
            self.stderr.write(f"{sweep.interrupted} interrupted job(s) (nothing of theirs was saved)")
        for job in selectors.import_jobs_queued():
            job = services.import_job_run(job=job)
            self.stdout.write(
                f"{job.uuid} {job.kind} {job.mode}: {job.status}, {job.total_rows} rows, "
                f"{job.created_count} created, {job.skipped_count} skipped, {len(job.problems)} problems"
            )
