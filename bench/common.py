"""Small helpers shared by the bench modules."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_time(fn: Callable[[], object], repeat: int = 5, warmup: int = 1) -> float:
    """Median wall time of ``fn`` in seconds over ``repeat`` runs."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def row(value: float, unit: str, baseline: float | None = None) -> dict:
    ratio = None
    if baseline:
        ratio = round(value / baseline, 3)
    return {"value": round(value, 4), "unit": unit, "baseline": baseline, "ratio": ratio}
