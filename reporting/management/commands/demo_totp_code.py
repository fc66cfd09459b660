from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reporting.demo import STAFF_EMAIL, _secret


class Command(BaseCommand):
    help = "Print the current TOTP code of the demo staff account (local demo only, DEBUG on)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Only available in a local demo (DEBUG on).")
        authenticator = Authenticator.objects.filter(
            user__email=STAFF_EMAIL, type=Authenticator.Type.TOTP
        ).first()
        if authenticator is None:
            raise CommandError(
                "Run .venv/bin/python manage.py setup_demo first (./dev.sh run does)."
            )
        counter = next(yield_hotp_counters_from_time())
        self.stdout.write(format_hotp_value(hotp_value(_secret(authenticator), counter)))
