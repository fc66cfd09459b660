from django.core.management.base import BaseCommand

from reporting.demo import setup_demo


class Command(BaseCommand):
    help = "Load the demo network and create one demo account per role (idempotent)."

    def handle(self, *args, **options):
        accounts = setup_demo()
        self.stdout.write(self.style.SUCCESS("Demo accounts (password for each below):"))
        for account in accounts:
            line = f"  {account.role:<45} {account.email:<32} {account.password}"
            if account.totp_secret:
                pad = " " * 48
                line += f"\n{pad}TOTP secret {account.totp_secret}"
                line += (
                    f"\n{pad}(add it to an authenticator app, or: "
                    ".venv/bin/python manage.py demo_totp_code)"
                )
            self.stdout.write(line)
