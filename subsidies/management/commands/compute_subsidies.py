"""``manage.py compute_subsidies PERIOD [--dry-run] [--csv FILE]``: the figures of the staff
page, from the command line (a real run unless --dry-run)."""

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from academies.selectors.organisation import academies_by_id
from stemnet.exports import write_csv
from stemnet.periods import HalfYear
from subsidies import services
from subsidies.models import Period
from subsidies.scheme import Outcome


def _eur(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _two_decimals(value: Fraction) -> str:
    """An exact Fraction shown with two decimals (as the staff page does), without floats."""
    return str((Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01")))


class Command(BaseCommand):
    help = "Compute a period's subsidies (same figures as the staff page)."

    def add_arguments(self, parser):
        parser.add_argument("period", help="e.g. 2026-1")
        parser.add_argument("--dry-run", action="store_true", help="compute, store nothing")
        parser.add_argument(
            "--csv", type=Path, help="write kbo,academy,kind_uren,points,amount_eur"
        )

    def handle(self, *args, **options):
        try:
            code = HalfYear.parse(options["period"]).code
        except ValueError as error:
            raise CommandError(str(error)) from error
        period = Period.objects.filter(reporting_period__code=code).first()
        if period is None:
            raise CommandError(f"No subsidy period {code}.")
        if options["dry_run"]:
            outcome = services.preview(period)
        else:
            try:
                with transaction.atomic():
                    run = services.start_run(actor=None, period=period, enqueue=False)
            except services.SubsidyError as error:
                raise CommandError(str(error)) from error
            if services.execute_run(run.pk) is None:
                raise CommandError(f"Run #{run.pk} was taken by another process.")
            run.refresh_from_db()
            self.stdout.write(f"run #{run.pk} stored, fingerprint {run.fingerprint}")
            outcome = services.preview(period)  # same inputs and parameters as the run
            stored = dict(run.awards.values_list("academy_id", "amount_cents"))
            if stored != {a.academy_id: a.amount_cents for a in outcome.awards}:
                raise CommandError("The data changed while computing; run the command again.")
        self._report(outcome, options["csv"])

    def _report(self, outcome: Outcome, path: Path | None) -> None:
        academies = academies_by_id(a.academy_id for a in outcome.awards)
        rows = [
            [
                academies[a.academy_id].enterprise_number,
                academies[a.academy_id].name,
                _two_decimals(a.kind_hours),
                _two_decimals(a.points),
                _eur(a.amount_cents),
            ]
            for a in outcome.awards
        ]
        if path:
            path.write_bytes(
                write_csv(rows, ["kbo", "academy", "kind_uren", "points", "amount_eur"])
            )
        for row in rows:
            self.stdout.write("  ".join(row))
        self.stdout.write(
            f"{len(rows)} academies, awarded {_eur(outcome.total_cents)} EUR, "
            f"unspent {_eur(outcome.unspent_cents)} EUR, "
            f"{len(outcome.excluded)} below the minimum"
        )
