"""Small timing helpers shared by the benchmarks."""

import statistics
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


def percentile(samples, q: float) -> float:
    """The ``q`` quantile (0–1) of the samples, nearest rank."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def p50_p95(samples) -> tuple[float, float]:
    return statistics.median(samples), percentile(samples, 0.95)


def timed(fn):
    """(seconds, result) of one call."""
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result
