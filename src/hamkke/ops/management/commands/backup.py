from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hamkke.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "pg_dump of the database (custom format) and its manifest (row counts, migrations, key fingerprints). "
        "The keys are NOT in the backup: keep a copy of the environment file elsewhere (README, Backups)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, default=settings.VAR_DIR / "backups", help="directory (default var/backups)"
        )
        parser.add_argument("--name", default="", help="file name without extension (default hamkke-DB-TIMESTAMP)")

    def handle(self, *args, output, name, **options):
        try:
            result = backup(output_dir=output, name=name)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"백업 완료 · backup written: {result.dump} ({result.size_bytes / 1e6:.1f} MB, {result.tables} tables, "
            f"{result.rows} rows, {result.seconds:.1f} s)\nmanifest: {result.manifest}"
        )
