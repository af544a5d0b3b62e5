"""The perf fixture's judgement with a fake sampler: re-measurement and the fingerprint rule."""

from __future__ import annotations

import time
from pathlib import Path

from gates.core.runtime_options import PerfOptions
from gates.perf import baselines as perf_baselines
from gates.perf.records import PerfEntry, Verdict
from pytest_gates.perf.hooks import PerfPlugin
from pytest_gates.perf.measure import Measurement, Sampler

SLOW = Measurement([3.0, 3.1, 2.9, 3.0, 3.05, 2.95, 3.0], [1e-3] * 7)
SAME = Measurement([1.0, 1.1, 0.9, 1.0, 1.05, 0.95, 1.0], [1e-3] * 7)


def plugin_with(tmp_path: Path, *measurements: Measurement, **options: object) -> PerfPlugin:
    entry = PerfEntry((tuple(SAME.ratios),), fingerprint=perf_baselines.fingerprint(), memory=1000)
    (tmp_path / "b.json").write_text(perf_baselines.dumps({"t::a": entry}))
    plugin = PerfPlugin(PerfOptions(file="b.json", **options), tmp_path)  # type: ignore[arg-type]
    queue = list(measurements)
    plugin.measure = lambda func: queue.pop(0)  # type: ignore[method-assign]
    return plugin


def test_flagged_once_then_fine_passes(tmp_path: Path) -> None:
    record = plugin_with(tmp_path, SLOW, SAME).judge("t::a", lambda: None, 1000)
    assert record.verdict == Verdict.OK and record.remeasured


def test_flagged_twice_fails(tmp_path: Path) -> None:
    record = plugin_with(tmp_path, SLOW, SLOW).judge("t::a", lambda: None, 1000)
    assert record.verdict == Verdict.REGRESSED and record.ratio is not None and record.ratio > 2.5


def test_unflagged_is_measured_once(tmp_path: Path) -> None:
    record = plugin_with(tmp_path, SAME).judge("t::a", lambda: None, 1000)
    assert record.verdict == Verdict.OK and not record.remeasured


def test_memory_only_and_memory_regression(tmp_path: Path) -> None:
    plugin = plugin_with(tmp_path)
    assert plugin.judge("t::a", None, 1100).verdict == Verdict.OK
    regressed = plugin.judge("t::a", None, 100_000)
    assert regressed.verdict == Verdict.REGRESSED and regressed.memory_regressed
    assert regressed.baseline_memory == 1000 and regressed.ratio is None


def test_other_machine_skipped_unless_any_machine(tmp_path: Path) -> None:
    plugin = plugin_with(tmp_path, SLOW)
    plugin.fingerprint = plugin.fingerprint._replace(cpu="another")
    assert plugin.judge("t::a", lambda: None, 1000).verdict == Verdict.OTHER_MACHINE
    plugin = plugin_with(tmp_path, SLOW, SLOW, any_machine=True)
    plugin.fingerprint = plugin.fingerprint._replace(cpu="another")
    assert plugin.judge("t::a", lambda: None, 1000).verdict == Verdict.REGRESSED


def test_sampler_with_a_fake_timer() -> None:
    clock = [0.0]

    def timer() -> float:
        clock[0] += 0.001  # every reading advances 1 ms: every sample takes the same
        return clock[0]

    measured = Sampler(timer, sample_time=0.002, samples=10).measure(lambda: None)
    assert len(measured.ratios) == 10
    assert max(measured.ratios) == min(measured.ratios) > 0


def test_cpu_timer_is_process_time() -> None:
    from pytest_gates.perf.measure import TIMERS

    assert TIMERS["cpu"] is time.process_time and TIMERS["wall"] is time.perf_counter


def test_long_calls_are_timed_in_cpu_time() -> None:
    # A 3 ms sleep is 3 ms of waiting, as a long sample on a busy machine waits: the
    # wall clock would count it, the CPU time of a long call does not.
    nap = 0.003
    measured = Sampler(time.perf_counter, measure_time=0.02).measure(lambda: time.sleep(nap))
    assert len(measured.seconds) >= 7
    assert measured.seconds_median < nap / 3
    sampler = Sampler(time.perf_counter)
    assert sampler._timer_for(0.001) is time.perf_counter  # short calls keep the wall clock
    assert Sampler(time.process_time)._timer_for(0.01) is time.process_time
