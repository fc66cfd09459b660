"""Load municipal boundaries for the coverage map from Statbel's statistical sectors
(GeoJSON, CC BY 4.0): the sectors are dissolved per REFNIS code and simplified. From then
on the map draws real municipalities instead of the judicial cantons."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from partnerships.boundaries import load_boundaries


class Command(BaseCommand):
    help = "Load municipal boundaries (Statbel statistical sectors, GeoJSON) for the map."

    def add_arguments(self, parser):
        parser.add_argument("file", help="GeoJSON FeatureCollection of statistical sectors")
        parser.add_argument(
            "--refnis-field",
            help="property holding the municipality's REFNIS code (found automatically "
            "for Statbel's files)",
        )
        parser.add_argument(
            "--clear", action="store_true", help="remove every loaded boundary (back to cantons)"
        )

    def handle(self, *args, file, refnis_field=None, clear=False, **options):
        try:
            with transaction.atomic():
                result = load_boundaries(file, refnis_field=refnis_field, clear=clear)
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{result.loaded} municipal boundaries loaded"
            + (
                f"; unknown REFNIS codes skipped: {', '.join(result.unknown)}"
                if result.unknown
                else ""
            )
        )
