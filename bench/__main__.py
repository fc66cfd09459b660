"""Run the benchmarks: ``python -m bench`` (all) or ``python -m bench kind_hours``."""

import argparse
import importlib
import os
import pkgutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stemnet.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

import bench  # noqa: E402
from academies.models import Academy  # noqa: E402
from stemnet.models import Municipality  # noqa: E402


def ensure_network(scale: int) -> None:
    """The 10× network (domain.md, Scale) every benchmark uses; built once per database."""
    call_command("migrate", verbosity=0)
    if not Municipality.objects.exists():
        call_command("load_municipalities", verbosity=0)
    if Academy.objects.count() < 93 * scale:
        started = time.perf_counter()
        call_command("generate_demo_network", scale=scale, seed=1)
        print(f"built the {scale}x network in {time.perf_counter() - started:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    names = args.names or [
        m.name.removeprefix("bench_")
        for m in pkgutil.iter_modules(bench.__path__)
        if m.name.startswith("bench_")
    ]
    ensure_network(args.scale)
    for name in names:
        module = importlib.import_module(f"bench.bench_{name}")
        print(f"\n== {name}")
        module.run(args)


if __name__ == "__main__":
    main()
