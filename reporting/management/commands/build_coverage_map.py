from django.core.management.base import BaseCommand

from reporting import maps


class Command(BaseCommand):
    help = "Build the coverage map's simplified canton shapes once (a deploy step)."

    def handle(self, *args, **options):
        path = maps._cache_file()
        path.unlink(missing_ok=True)
        maps.canton_map.cache_clear()
        base = maps.canton_map()
        self.stdout.write(f"{len(base.shapes)} map areas written to {path}")
