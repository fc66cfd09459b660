from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from academies.kind_hours import refresh_eligible_children, sessions_with_wrong_eligible_children

SHOWN = 50


class Command(BaseCommand):
    help = (
        "Recount every session's stored eligible children (age 5-18 that year) from its "
        "attendance and report the sessions whose stored count differs; exits non-zero when "
        "any differ. --fix stores the recounted figures."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fix", action="store_true", help="store the recounted figures of those sessions"
        )

    def handle(self, *args, **options):
        with transaction.atomic():
            wrong = sessions_with_wrong_eligible_children()
            for session_id, stored, recounted in wrong[:SHOWN]:
                self.stdout.write(
                    f"session {session_id}: stored {stored} eligible children, "
                    f"attendance says {recounted}"
                )
            if len(wrong) > SHOWN:
                self.stdout.write(f"... and {len(wrong) - SHOWN} more sessions")
            if not wrong:
                self.stdout.write(
                    self.style.SUCCESS("Every session's eligible children match its attendance.")
                )
                return
            if options["fix"]:
                refresh_eligible_children([session_id for session_id, _s, _r in wrong])
                self.stdout.write(self.style.SUCCESS(f"{len(wrong)} sessions recounted."))
                return
        raise CommandError(
            f"{len(wrong)} sessions store a different number of eligible children than "
            "their attendance; run check_kind_hours --fix to recount them."
        )
