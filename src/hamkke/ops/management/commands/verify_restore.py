import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hamkke.ops.backup import verify


class Command(BaseCommand):
    help = "Check this database (DATABASE_URL) against a backup manifest; 'manage.py restore' runs it for you."

    def add_arguments(self, parser):
        parser.add_argument("--manifest", type=Path, required=True)

    def handle(self, *args, manifest, **options):
        report = verify(manifest=json.loads(manifest.read_text()))
        for line in report.lines:
            self.stdout.write(line)
        if not report.ok:
            raise CommandError("복원 검증 실패 · verification failed:\n" + "\n".join(report.problems))
        self.stdout.write("복원 검증 통과 · verification passed")
