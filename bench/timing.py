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


def best_of_interleaved(repeat: int, *fns):
    """Best wall time of each function over ``repeat`` rounds, the functions taking turns
    within every round, so that load from other processes hits them alike; the times and
    the last results, in the order given."""
    best, results = [float("inf")] * len(fns), [None] * len(fns)
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            started = time.perf_counter()
            results[i] = fn()
            best[i] = min(best[i], time.perf_counter() - started)
    return best, results
