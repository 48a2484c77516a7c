from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from hamkke.accounts.actor import actor_for
from hamkke.accounts.models import User
from hamkke.districts.models import District
from hamkke.people.privacy import SYSTEM, anonymise_closed_cases


class Command(BaseCommand):
    help = (
        "Anonymise households whose every case was closed more than HAMKKE_CASE_RETENTION_YEARS years ago. "
        "Dry run (a report by closure year) unless --apply. Runs as the system (a scheduled job: the audit rows "
        "have no user) over every district, or as a named district admin (--as) over their district."
    )

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true", help="really anonymise (default: report only)")
        parser.add_argument("--dry-run", action="store_true", help="report only (the default)")
        parser.add_argument("--years", type=int, default=settings.HAMKKE_CASE_RETENTION_YEARS)
        parser.add_argument("--district", help="district code (e.g. 11140); default every district")
        parser.add_argument("--as", dest="username", help="a district admin to record as the actor")

    def handle(self, *args, apply, dry_run, years, district, username, **options):
        if apply and dry_run:
            raise CommandError("--apply and --dry-run exclude each other")
        actor, district_id = SYSTEM, None
        if username:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"no active user {username!r}")
            actor = actor_for(user)
        if district:
            found = District.objects.filter(code=district).first()
            if found is None:
                raise CommandError(f"no district with code {district!r}")
            district_id = found.pk
        try:
            report = anonymise_closed_cases(actor=actor, apply=apply, years=years, district_id=district_id)
        except (ValidationError, PermissionDenied) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from None
        title = "익명 처리함 · anonymised" if apply else "익명 처리 대상(시험 실행) · would anonymise (dry run)"
        self.stdout.write(f"{title} — 종결일 {report.cutoff} 이전 · closed before {report.cutoff}")
        self.stdout.write("종결 연도 year | 사례 cases | 가구 households | 가구원 persons")
        for year in sorted(report.by_year):
            count = report.by_year[year]
            self.stdout.write(f"{year} | {count.cases} | {count.households} | {count.persons}")
        total = report.total()
        self.stdout.write(f"합계 total | {total.cases} | {total.households} | {total.persons}")
