from django.core.management.base import BaseCommand, CommandError

from hamkke.people.privacy import rrn_keys_rotate, rrn_keys_verify


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored RRN with the primary key (the first of HAMKKE_FIELD_ENCRYPTION_SALTS). "
        "Rotation: 1) put the new salt first and keep the old ones after it, on every app server; "
        "2) run this command; 3) run it with --verify; 4) when --verify reports 0 failing, remove the old salts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="rows per transaction (default 500)")
        parser.add_argument("--dry-run", action="store_true", help="count what would be re-encrypted, write nothing")
        parser.add_argument(
            "--verify",
            action="store_true",
            help="only check that every token opens with the primary key alone; exit 1 if not",
        )

    def handle(self, *args, batch_size, dry_run, verify, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        if verify:
            report = rrn_keys_verify(batch_size=batch_size)
            self.stdout.write(
                f"주민등록번호 {report.total}건: 기본 키로 열림 {report.ok}, 실패 {report.failing} "
                f"(어느 키로도 열리지 않음 {report.unreadable}) · "
                f"{report.total} tokens: {report.ok} open with the primary key alone, {report.failing} would fail "
                f"({report.unreadable} open with no configured key)"
            )
            if report.failing:
                raise CommandError(f"{report.failing} RRN tokens need the older salts: do not remove them yet")
            return
        report = rrn_keys_rotate(batch_size=batch_size, dry_run=dry_run)
        verb = "would re-encrypt" if dry_run else "re-encrypted"
        self.stdout.write(
            f"주민등록번호 {report.total}건: 재암호화{' 예정' if dry_run else ''} {report.rotated}, "
            f"이미 기본 키 {report.current}, 처리 중 변경 {report.changed_meanwhile}, 열 수 없음 {report.unreadable} · "
            f"{report.total} tokens: {verb} {report.rotated}, already under the primary key {report.current}, "
            f"changed meanwhile {report.changed_meanwhile}, unreadable {report.unreadable}"
        )
        if report.unreadable:
            raise CommandError(f"{report.unreadable} RRN tokens open with no configured key (salt removed too early?)")
