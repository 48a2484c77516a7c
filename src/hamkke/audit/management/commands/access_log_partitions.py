from django.core.management.base import BaseCommand

from hamkke.audit import partitions


class Command(BaseCommand):
    help = "Create the access log's monthly partitions for this month and the next ones (PostgreSQL; daily job)."

    def add_arguments(self, parser):
        parser.add_argument("--ahead", type=int, default=partitions.MONTHS_AHEAD, help="months after this one")

    def handle(self, *args, ahead, **options):
        if not partitions.is_partitioned():
            self.stdout.write(
                "접속기록 분할 없음 (PostgreSQL만) · the access log is not partitioned here (PostgreSQL only)"
            )
            return
        created = partitions.ensure_partitions(ahead=ahead)
        present = partitions.months()
        self.stdout.write(
            f"접속기록 월별 분할 {len(present)}개 ({present[0]:%Y-%m}~{present[-1]:%Y-%m}), 새로 {len(created)}개 · "
            f"{len(present)} monthly partitions, created: {', '.join(created) or 'none'}"
        )
