"""Options of the gates the pytest plugin runs: ``[tool.gates.coverage]`` and ``[tool.gates.seeds]``.

Kept apart and import-light (no checker machinery, no coverage.py): the plugin is loaded
in every pytest session and must not slow a test run down just by being installed.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_SEED = 2**32 - 1  # NumPy's legacy seed range


@dataclass(frozen=True)
class CoverageOptions:
    """GT301: every floor is a percentage, compared as coverage.py compares fail-under."""

    fail_under: float = 80.0
    min_file: float = 0.0
    diff_base: str = ""
    diff_fail_under: float = 80.0
    data_file: str = ""
    source: tuple[str, ...] = ()


def coverage_options_problem(options: CoverageOptions) -> str | None:
    for key in ("fail_under", "min_file", "diff_fail_under"):
        value = getattr(options, key)
        if not 0.0 <= value <= 100.0:
            return f"{key.replace('_', '-')} must be between 0 and 100, got {value}"
    return None


@dataclass(frozen=True)
class SeedsOptions:
    """GT302: the session's seed, and whether native thread pools are pinned to one thread."""

    seed: int = 42
    deterministic_threads: bool = False


def seeds_options_problem(options: SeedsOptions) -> str | None:
    if not 0 <= options.seed <= MAX_SEED:
        return f"seed must be between 0 and {MAX_SEED}, got {options.seed}"
    return None


@dataclass(frozen=True)
class PerfOptions:
    """GT303 and budgets: limits in percent, times in seconds."""

    mode: str = "compare"  # save | compare | off
    max_regression: float = 20.0
    alpha: float = 0.01  # Mann-Whitney U, samples of this run against the baseline's
    run_alpha: float = 0.05  # prediction bound of a run's median from the stored runs
    memory_check: bool = True
    memory_regression: float = 20.0
    timer: str = "wall"  # wall | cpu
    file: str = ".performance_baselines.json"
    any_machine: bool = False
    sample_time: float = 0.0005  # seconds per sample, each of benchmark and reference
    samples: int = 2000  # at most, per measurement
    measure_time: float = 0.4  # seconds of sampling per measurement (at least 7 samples)
    max_duration: float = 0.0  # whole session; 0 = no limit
    max_memory: int = 0  # bytes, peak RSS of the session's largest process; 0 = no limit


PERF_MODES = ("save", "compare", "off")
PERF_TIMERS = ("wall", "cpu")


def perf_options_problem(options: PerfOptions) -> str | None:
    if options.mode not in PERF_MODES:
        return f"mode must be one of {', '.join(PERF_MODES)}, got {options.mode!r}"
    if options.timer not in PERF_TIMERS:
        return f"timer must be wall or cpu, got {options.timer!r}"
    if options.max_regression <= 0 or options.memory_regression <= 0:
        return "max-regression and memory-regression must be positive percentages"
    if not (0 < options.alpha < 1 and 0 < options.run_alpha < 1):
        return f"alpha and run-alpha must be between 0 and 1, got {options.alpha}, {options.run_alpha}"
    if options.samples < 5 or options.sample_time <= 0 or options.measure_time <= 0:
        return "samples must be at least 5, sample-time and measure-time positive"
    return _session_limits_problem(options)


def _session_limits_problem(options: PerfOptions) -> str | None:
    if options.max_duration < 0:
        return "max-duration must be 0 (no limit) or a number of seconds"
    if options.max_memory < 0:
        return "max-memory must be 0 (no limit) or a number of bytes, e.g. 1200000000 for 1.2 GB"
    return None
