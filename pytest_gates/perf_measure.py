"""How the ``perf`` fixture measures a function: calibrated loops, interleaved reference.

Every sample is a pair: the reference workload (fixed pure-Python work), then the
benchmark, each run for enough loops to last ``sample_time``. The sample is the ratio
benchmark/reference, so a machine that is slower as a whole (another process, a slower
clock mode) slows both and the ratio moves far less than the time itself.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable
from typing import Any, NamedTuple

from gates.perf_stats import quartiles, without_outliers

TIMERS: dict[str, Callable[[], float]] = {
    "wall": time.perf_counter,
    "cpu": time.process_time,
}
MAX_SECONDS = 1.0  # one measurement stops collecting after this, with at least MIN_SAMPLES
MIN_SAMPLES = 7


def reference_workload() -> int:
    """Fixed mixed work: dict and list building, integer arithmetic, a sort."""
    table = {i: i * 7 % 13 for i in range(60)}
    values = sorted(table.values())
    return sum(v * k for k, v in zip(values, table, strict=True))


class Measurement(NamedTuple):
    """One benchmark's samples: ratios to the reference, and the benchmark's own times."""

    ratios: list[float]
    seconds: list[float]

    @property
    def median(self) -> float:
        return quartiles(self.ratios)[1]

    @property
    def seconds_median(self) -> float:
        return quartiles(self.seconds)[1]


class Sampler:
    """Measures functions with one timer; ``timer`` is injectable for tests."""

    def __init__(
        self, timer: Callable[[], float], sample_time: float = 0.005, samples: int = 30
    ) -> None:
        self.timer = timer
        self.sample_time = sample_time
        self.samples = samples

    def _time(self, func: Callable[[], Any], loops: int) -> float:
        timer = self.timer
        start = timer()
        for _ in range(loops):
            func()
        return (timer() - start) / loops

    def calibrate(self, func: Callable[[], Any]) -> int:
        """Loops per sample so that one sample lasts about ``sample_time``."""
        loops = 1
        while True:
            spent = self._time(func, loops) * loops
            if spent >= self.sample_time / 4 or loops >= 1 << 24:
                per_call = max(spent / loops, 1e-9)
                return max(1, round(self.sample_time / per_call))
            loops *= 10 if spent <= self.sample_time / 100 else 2

    def measure(self, func: Callable[[], Any]) -> Measurement:
        """Warm up, then collect interleaved (reference, benchmark) pairs; drop outliers."""
        ref_loops = self.calibrate(reference_workload)
        loops = self.calibrate(func)
        self._time(reference_workload, ref_loops)
        self._time(func, loops)
        ratios: list[float] = []
        seconds: list[float] = []
        deadline = time.perf_counter() + MAX_SECONDS
        for _ in range(self.samples):
            reference = self._time(reference_workload, ref_loops)
            spent = self._time(func, loops)
            ratios.append(spent / max(reference, 1e-12))
            seconds.append(spent)
            if len(ratios) >= MIN_SAMPLES and time.perf_counter() > deadline:
                break
        return Measurement(without_outliers(ratios), seconds)


def peak_memory(func: Callable[[], Any]) -> tuple[Any, int]:
    """``func()``'s result and the peak of memory it allocated (tracemalloc), in bytes."""
    tracing = tracemalloc.is_tracing()
    if not tracing:
        tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        result = func()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        if not tracing:
            tracemalloc.stop()
    return result, max(0, peak - before)
