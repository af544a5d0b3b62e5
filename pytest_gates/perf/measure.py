"""How the ``perf`` fixture measures a function: calibrated loops, interleaved reference.

Every sample is a pair: the reference workload (fixed pure-Python work), then the
benchmark, each run for enough loops to last ``sample_time``. The sample is the ratio
benchmark/reference, so a machine that is slower as a whole (another process, a slower
clock mode) slows both and the ratio moves far less than the time itself.

Samples are short (0.5 ms) and many (for ``measure_time``, 0.4 s): on a shared machine a
sample that a context switch or another process's burst hits is an outlier, and the
median of hundreds of short samples ignores them, where a few long samples are each
hit (see "Measuring speed" in README.md for the figures).
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable
from typing import Any, NamedTuple

from gates.perf.stats import median_bounds, quartiles, without_outliers

TIMERS: dict[str, Callable[[], float]] = {
    "wall": time.perf_counter,
    "cpu": time.process_time,
}
MIN_SAMPLES = 7  # even a slow function gets this many samples, past measure_time
CALIBRATIONS = 3  # calibration keeps the fastest of a few tries: one may be preempted
# A call longer than this is one sample by itself: on a busy machine every such sample
# waits for the CPU for part of its time, so the wall clock measures the load. Those are
# timed in CPU time (time.process_time), the reference too.
LONG_CALL = 0.002
# With fewer than FEW samples at measure_time (a slow call), sampling goes on, up to
# EXTRA_TIME times it, until the median's distribution-free 95 % bounds lie within
# SETTLED of it. More samples than that already pin the median closer than the spread
# between runs (speed modes): going on would only cost time (2.5x on a busy machine).
SETTLED = 0.02
EXTRA_TIME = 2.5
FEW = 60


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
        self,
        timer: Callable[[], float],
        sample_time: float = 0.0005,
        samples: int = 2000,
        measure_time: float = 0.4,
    ) -> None:
        self.timer = timer
        self.sample_time = sample_time
        self.samples = samples
        self.measure_time = measure_time

    def _time(self, func: Callable[[], Any], loops: int,
              timer: Callable[[], float] | None = None) -> float:
        timer = timer or self.timer
        start = timer()
        for _ in range(loops):
            func()
        return (timer() - start) / loops

    def _per_call(self, func: Callable[[], Any]) -> float:
        loops = 1
        while True:
            spent = self._time(func, loops) * loops
            if spent >= self.sample_time / 4 or loops >= 1 << 24:
                return max(spent / loops, 1e-9)
            loops *= 10 if spent <= self.sample_time / 100 else 2

    def calibrate(self, func: Callable[[], Any]) -> int:
        """Loops per sample so that one sample lasts about ``sample_time``."""
        return self._loops(min(self._per_call(func) for _ in range(CALIBRATIONS)))

    def _loops(self, per_call: float) -> int:
        return max(1, round(self.sample_time / per_call))

    def _timer_for(self, per_call: float) -> Callable[[], float]:
        """The wall clock, but CPU time for long calls (their samples include waiting)."""
        if per_call > LONG_CALL and self.timer is time.perf_counter:
            return time.process_time
        return self.timer

    def measure(self, func: Callable[[], Any]) -> Measurement:
        """Warm up, then collect interleaved (reference, benchmark) pairs; drop outliers."""
        ref_loops = self.calibrate(reference_workload)
        per_call = min(self._per_call(func) for _ in range(CALIBRATIONS))
        loops, timer = self._loops(per_call), self._timer_for(per_call)
        self._time(reference_workload, ref_loops, timer)

        def pair(_: int) -> tuple[float, float]:
            reference = self._time(reference_workload, ref_loops, timer)
            return self._time(func, loops, timer), reference

        ratios, seconds = self._sample(pair)
        return Measurement(without_outliers(ratios), seconds)

    def measure_pair(self, new: Callable[[], Any], old: Callable[[], Any]) -> Measurement:
        """A/B rounds: the same loops of ``old`` and ``new``, in alternating order (ABBA:
        a drift of the machine hits both sides alike); one ratio new/old per round. All
        rounds are kept: the decision's bounds on the median need no outlier rule."""
        per_call = min(self._per_call(new) for _ in range(CALIBRATIONS))
        loops, timer = self._loops(per_call), self._timer_for(per_call)
        self._time(old, loops, timer)

        def pair(round_: int) -> tuple[float, float]:
            if round_ % 2:
                spent = self._time(new, loops, timer)
                return spent, self._time(old, loops, timer)
            before = self._time(old, loops, timer)
            return self._time(new, loops, timer), before

        return Measurement(*self._sample(pair))

    def _sample(self, pair: Callable[[int], tuple[float, float]]) -> tuple[list[float], list[float]]:
        """Ratios of ``pair(i)``'s (time, reference time) and the times: for measure_time,
        longer (up to EXTRA_TIME times) while the median is not :func:`settled`."""
        ratios: list[float] = []
        seconds: list[float] = []
        start = time.perf_counter()
        check = start + self.measure_time
        for i in range(self.samples):
            spent, reference = pair(i)
            ratios.append(spent / max(reference, 1e-12))
            seconds.append(spent)
            now = time.perf_counter()
            if len(ratios) >= MIN_SAMPLES and now > check:
                if len(ratios) >= FEW or now - start > self.measure_time * EXTRA_TIME or settled(ratios):
                    break
                check = now + self.measure_time / 20
        return ratios, seconds


def settled(ratios: list[float]) -> bool:
    """Whether the median is known well enough: its 95 % bounds within SETTLED of it."""
    low, high = median_bounds(ratios, 0.025)
    middle = quartiles(ratios)[1]
    return high - low <= 2 * SETTLED * middle


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


def tracer() -> str | None:
    """What traces or profiles this thread, if anything: timings taken under it are the
    tracer's, not the code's (coverage slows a benchmark 2-3 times). None when nothing."""
    import sys

    coverage = sys.modules.get("coverage")
    if coverage is not None and getattr(coverage.Coverage, "current", lambda: None)() is not None:
        return "coverage"
    if sys.gettrace() is not None:
        return "a tracer (sys.settrace: coverage or a debugger)"
    if sys.getprofile() is not None:
        return "a profiler (sys.setprofile)"
    monitoring = getattr(sys, "monitoring", None)  # Python 3.12+
    if monitoring is not None:
        for tool in range(6):  # the ids tools may use; 0-5 are named in the docs
            name = monitoring.get_tool(tool)
            if name is not None:
                return f"sys.monitoring tool {name!r}"
    return None
