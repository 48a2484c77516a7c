from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hamkke.ops.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a dump made by 'manage.py backup' into a NEW database on the same PostgreSQL server, then verify "
        "it (row counts, migrations, RRNs decrypt with the configured keys, access log append-only). "
        "Point DATABASE_URL at it afterwards."
    )

    def add_arguments(self, parser):
        parser.add_argument("dump", type=Path)
        parser.add_argument("--into", required=True, help="name of the new database")
        parser.add_argument("--create", action="store_true", help="create the database (UTF-8) if it does not exist")
        parser.add_argument("--manifest", type=Path, default=None, help="default: the .json beside the dump")
        parser.add_argument("--jobs", type=int, default=2, help="parallel pg_restore jobs")

    def handle(self, *args, dump, into, create, manifest, jobs, **options):
        try:
            result = restore(dump=dump, manifest=manifest, target=into, create=create, jobs=jobs)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(result.report.rstrip())
        self.stdout.write(
            f"복원 완료 · restored into {result.database}: pg_restore {result.restore_seconds:.1f} s, "
            f"verification {result.verify_seconds:.1f} s"
        )
