"""Make an existing account VLAIO staff (or take it back): `manage.py grant_staff EMAIL`."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from stemnet.roles import grant_staff


class Command(BaseCommand):
    help = "Add an account to the VLAIO staff group (admin access to reference data included)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--revoke", action="store_true", help="take staff rights away")

    def handle(self, *args, email, revoke, **options):
        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account with e-mail address {email}; sign up first.")
        grant_staff(actor=None, user=user, revoke=revoke)
        state = "is no longer" if revoke else "is now"
        self.stdout.write(f"{user.email} {state} VLAIO staff.")
