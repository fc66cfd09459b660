from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from stdnum.be import vat

from academies.imports import ImportRejected, import_attendance, iter_file
from academies.models import Academy


class Command(BaseCommand):
    help = "Import an attendance register (CSV or XLSX) for one academy: all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("--academy", required=True, help="enterprise number (KBO)")
        parser.add_argument("file", type=Path)

    def handle(self, *args, **options):
        number = vat.compact(options["academy"])
        academy = Academy.objects.filter(enterprise_number=number).first()
        if academy is None:
            raise CommandError(f"No academy with enterprise number {options['academy']}.")
        path: Path = options["file"]
        try:
            with path.open("rb") as stream:
                result = import_attendance(
                    actor=None, academy=academy, rows=iter_file(stream, path.name)
                )
        except ValueError as error:
            raise CommandError(str(error)) from error
        except ImportRejected as rejected:
            for error in rejected.result.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{len(rejected.result.errors)} errors: nothing was imported."
            ) from rejected
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.rows} rows imported for {academy.name}: "
                + ", ".join(f"{n} new {what}" for what, n in result.created.items())
            )
        )
