from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from hamkke.audit.services import access_log_purge


class Command(BaseCommand):
    help = "Remove access-log rows older than HAMKKE_ACCESS_LOG_RETENTION_DAYS (at least 730). Dry run by default."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.HAMKKE_ACCESS_LOG_RETENTION_DAYS)
        parser.add_argument("--apply", action="store_true", help="really delete (default: only count)")

    def handle(self, *args, days, apply, **options):
        try:
            count = access_log_purge(older_than_days=days, dry_run=not apply)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        korean, english = ("삭제", "deleted") if apply else ("삭제 예정", "would delete")
        self.stdout.write(f"접속기록 {count}건 {korean} · {english} {count} rows older than {days} days")
