"""``manage.py create_district``: a new district, its agencies and its first district admin.

    manage.py create_district --code 11200 --name "서울특별시 성동구" \\
        --agency "성동구청 희망복지지원단=district_office" --agency "행당1동 주민센터=community_centre" \\
        --admin-username seongdong-admin --admin-email it@sd.go.kr --admin-name "김성동"

Idempotent: run again, it creates only what is missing and says what it found. The first admin's
initial password is printed once, when the account is created, and never again (only its hash is
kept); the admin sets up two-factor authentication at the first log-in and changes the password.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from hamkke.districts.models import Agency
from hamkke.districts.platform import command_actor, district_setup


def agency_spec(value: str) -> tuple[str, str]:
    """ "NAME" or "NAME=KIND" (KIND one of Agency.Kind; default district_office)."""
    name, _sep, kind = value.partition("=")
    return name.strip(), (kind.strip() or Agency.Kind.DISTRICT_OFFICE)


class Command(BaseCommand):
    help = (
        "시군구와 기관, 첫 시군구 관리자를 만듭니다 (다시 실행해도 있는 것은 그대로). "
        "Create a district, its agencies and its first district admin (idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--code", required=True, help="행정구역코드, e.g. 11200")
        parser.add_argument("--name", required=True, help="시군구명, e.g. 서울특별시 성동구")
        parser.add_argument(
            "--agency",
            action="append",
            default=[],
            help=f"NAME or NAME=KIND (kinds: {', '.join(Agency.Kind.values)}); repeatable; the first is "
            "where the admin works. Default: '<name> 희망복지지원단' (district_office)",
        )
        parser.add_argument("--admin-username", required=True)
        parser.add_argument("--admin-email", default="")
        parser.add_argument("--admin-name", default="", help="the admin's display name")

    def handle(self, *args, code, name, agency, admin_username, admin_email, admin_name, **options):
        agencies = [agency_spec(value) for value in agency] or [(f"{name} 희망복지지원단", Agency.Kind.DISTRICT_OFFICE)]
        try:
            setup = district_setup(
                actor=command_actor(),
                code=code,
                name=name,
                agencies=agencies,
                admin_username=admin_username,
                admin_email=admin_email,
                admin_display_name=admin_name,
                by_command=True,
            )
        except ValidationError as error:
            lines = [f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()]
            raise CommandError("\n".join(lines)) from None
        done = {True: "만들었습니다 / created", False: "이미 있습니다 / already there"}
        district = setup.district
        self.stdout.write(f"시군구 district {district.name} ({district.code}): {done[setup.district_created]}")
        for item, created in setup.agencies:
            self.stdout.write(f"기관 agency {item.name} ({item.kind}, RRN {item.rrn_allowed}): {done[created]}")
        self.stdout.write(f"시군구 관리자 district admin {admin_username}: {done[setup.admin_created]}")
        if setup.initial_password:
            self.stdout.write(
                f"처음 비밀번호 (지금 한 번만 보입니다; 첫 로그인 때 2단계 인증을 설정하고 비밀번호를 바꾸세요) / "
                f"initial password, shown only now (set up two-factor and change it at the first log-in): "
                f"{setup.initial_password}"
            )
        self.stdout.write(
            "플랫폼 관리자와 이 명령은 어느 시군구의 사례 정보도 보지 않습니다. "
            "Neither this command nor a platform admin reads any district's case data."
        )
