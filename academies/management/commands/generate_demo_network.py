import time

from django.core.management.base import BaseCommand

from academies.demo_network import generate_network


class Command(BaseCommand):
    help = "Generate a deterministic demo network shaped like 2016 (--scale 10 for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1)
        parser.add_argument("--seed", type=int, default=2016)
        parser.add_argument("--year", type=int, default=2016)

    def handle(self, *args, **options):
        started = time.perf_counter()
        summary = generate_network(
            scale=options["scale"], seed=options["seed"], year=options["year"]
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{summary.academies} academies ({summary.recognised} recognised), "
                f"{summary.activities} activities, {summary.series} series, "
                f"{summary.sessions} sessions, {summary.attendance} attendance rows "
                f"in {time.perf_counter() - started:.1f} s"
            )
        )
