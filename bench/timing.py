"""Small timing helpers shared by the benchmarks."""

import time


def best_of(repeat: int, fn):
    """Best wall time of ``repeat`` runs (seconds) and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return best, result


def table(rows: list[tuple[str, float, float | None]]) -> None:
    """rows: (label, seconds, baseline seconds or None)."""
    print(f"{'measurement':<52} {'time':>10} {'ratio':>8}")
    for label, seconds, baseline in rows:
        ratio = f"{seconds / baseline:.2f}x" if baseline else "baseline"
        print(f"{label:<52} {seconds * 1000:>8.1f}ms {ratio:>8}")
