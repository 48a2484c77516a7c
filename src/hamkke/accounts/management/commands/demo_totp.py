"""Demo only: give a demo account a known TOTP device and print its current code.

The demo's admin and auditor accounts must pass two-factor authentication like real ones; on a
laptop without an authenticator app this prints the code to type. Refused outside the demo.
"""

import hashlib

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from hamkke.accounts.models import User


class Command(BaseCommand):
    help = "Demo only: ensure a TOTP device for demo accounts and print the current 6-digit code."

    def add_arguments(self, parser):
        parser.add_argument("usernames", nargs="+")
        parser.add_argument("--quiet", action="store_true", help="only create the devices")

    def handle(self, *args, usernames, quiet, **options):
        if settings.HAMKKE_ENV != "demo" or settings.SECRET_KEY != settings.DEMO_SECRET_KEY:
            raise CommandError("demo_totp works only in the demo (HAMKKE_ENV=demo with the demo keys).")
        for username in usernames:
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"no user {username!r}")
            key = hashlib.sha256(f"DEMO-ONLY-totp-{username}".encode()).hexdigest()[:40]
            device, _created = TOTPDevice.objects.update_or_create(
                user=user, name="demo", defaults={"key": key, "confirmed": True}
            )
            if not quiet:
                code = totp(device.bin_key, device.step, device.t0, device.digits)
                self.stdout.write(f"{username}: {code:06d}")
