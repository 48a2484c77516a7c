"""Import households (with members) or service records from a CSV or xlsx file, with a progress bar.

    manage.py import_data households households.xlsx --user district-worker --dry-run
    manage.py import_data services services.csv --user district-worker [--agency "중구청 희망복지지원단"]

The user acts in one of their agencies (``--agency``, default: their first), with exactly the
permissions they have on the web. A dry run saves nothing; an import saves everything or nothing.
"""

import sys
import time
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from hamkke.accounts.actor import active_memberships, actor_for
from hamkke.accounts.models import User
from hamkke.imports import services
from hamkke.imports.models import ImportJob


class Command(BaseCommand):
    help = "Import households or service records from CSV/xlsx (dry run first; all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=ImportJob.Kind.values)
        parser.add_argument("path")
        parser.add_argument("--user", required=True, help="username the import acts as")
        parser.add_argument("--agency", default="", help="name of the user's agency to act in")
        parser.add_argument("--dry-run", action="store_true", help="check every row, save nothing")

    def handle(self, *args, kind, path, user, agency, dry_run, **options):
        try:
            account = User.objects.get(username=user, is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"no active user {user!r}") from None
        memberships = active_memberships(account)
        membership = memberships.filter(agency__name=agency).first() if agency else memberships.first()
        if membership is None:
            raise CommandError("the user has no active membership" + (f" in {agency!r}" if agency else ""))
        actor = actor_for(account, membership.pk)
        file = Path(path)
        mode = ImportJob.Mode.DRY_RUN if dry_run else ImportJob.Mode.IMPORT
        try:
            job = services.import_job_create(
                actor=actor, kind=kind, filename=file.name, content=file.read_bytes(), mode=mode, enqueue=False
            )
        except (ValidationError, PermissionDenied, OSError) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from None
        bar = tqdm(desc=f"{kind} ({mode})", unit="rows", file=sys.stderr, disable=None)
        started = time.monotonic()

        def progress(done: int) -> None:
            if bar.total is None:
                bar.total = ImportJob.objects.values_list("total_rows", flat=True).get(pk=job.pk)
            bar.update(done - bar.n)

        job = services.import_job_run(job=job, progress=progress)
        bar.close()
        for problem in job.problems:
            self.stdout.write(f"{problem['row']}행 {problem['column'] or '-'}: {problem['message']}")
        self.stdout.write(
            f"{job.get_status_display()}: {job.total_rows} rows, {job.created_count} created, "
            f"{job.skipped_count} skipped, {len(job.problems)} problems, {time.monotonic() - started:.1f}s"
        )
        if job.problems:
            raise CommandError("nothing was saved" if mode == ImportJob.Mode.IMPORT else "problems found")
