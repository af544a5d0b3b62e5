"""Options of the gates the pytest plugin runs: ``[tool.gates.coverage]`` and ``[tool.gates.seeds]``.

Kept apart and import-light (no checker machinery, no coverage.py): the plugin is loaded
in every pytest session and must not slow a test run down just by being installed.
"""

from __future__ import annotations

from dataclasses import dataclass

from gates.core.options import option

MAX_SEED = 2**32 - 1  # NumPy's legacy seed range


@dataclass(frozen=True)
class CoverageOptions:
    """GT301: every floor is a percentage, compared as coverage.py compares fail-under."""

    fail_under: float = option(
        80.0, "the lowest total coverage, in %, as `coverage report` shows it; `gates check` "
        "uses 80 unless set; the pytest plugin only when set (else pytest-cov's or coverage.py's "
        "fail-under, or none)")
    min_file: float = option(0.0, "the lowest coverage of any measured file, in %; 0 = off")
    diff_base: str = option("", "a git ref: also gate the lines changed since the merge-base with it")
    diff_fail_under: float = option(80.0, "the lowest coverage of the changed lines (with diff-base), in %")
    data_file: str = option("", "the coverage data file, relative to the project; empty = coverage.py's")
    source: tuple[str, ...] = option((), "packages the pytest plugin measures itself, like --gates-cov")


def coverage_options_problem(options: CoverageOptions) -> str | None:
    for key in ("fail_under", "min_file", "diff_fail_under"):
        value = getattr(options, key)
        if not 0.0 <= value <= 100.0:
            return f"{key.replace('_', '-')} must be between 0 and 100, got {value}"
    return None


@dataclass(frozen=True)
class SeedsOptions:
    """GT302: the session's seed, and whether native thread pools are pinned to one thread."""

    seed: int = option(42, "the seed every test starts from (0 to 2**32 - 1)")
    deterministic_threads: bool = option(
        False, "pin native thread pools (OpenMP, BLAS, torch) to one thread for the session")
    seed_new_generators: bool = option(
        True, "generators a test creates without a seed (default_rng(), Random()) derive from its seed")


def seeds_options_problem(options: SeedsOptions) -> str | None:
    if not 0 <= options.seed <= MAX_SEED:
        return f"seed must be between 0 and {MAX_SEED}, got {options.seed}"
    return None


@dataclass(frozen=True)
class PerfOptions:
    """GT303 and budgets: limits in percent, times in seconds."""

    mode: str = option("compare", '"compare" judges against the baselines, "save" adds a run to them, '
                       '"accept" replaces them, "prune" compares and drops those of deleted tests, "off"')
    max_regression: float = option(20.0, "the most a benchmark may be slower than its baseline, in %")
    alpha: float = option(0.01, "significance level of the Mann-Whitney test, this run against the baseline")
    run_alpha: float = option(0.05, "level of the prediction bound of one run's median from the stored runs")
    memory_check: bool = option(True, "also fail a benchmark whose peak memory grew over memory-regression")
    memory_regression: float = option(20.0, "the most a benchmark's peak memory may grow, in %")
    timer: str = option("wall", '"wall" (the wall clock) or "cpu" (process CPU time)')
    file: str = option(".performance_baselines.json", "the baselines file, relative to the project")
    any_machine: bool = option(False, "also compare baselines saved on a machine with another fingerprint")
    sample_time: float = option(0.0005, "seconds per sample, each of benchmark and reference")
    samples: int = option(2000, "the most samples per measurement")
    measure_time: float = option(0.4, "seconds of sampling per measurement (at least 7 samples)")
    against: str = option("", "a git ref: measure each benchmark against that ref's code in the same "
                          "run (A/B mode) instead of the stored baselines; empty = off")
    ab_max_regression: float = option(5.0, "A/B mode: the most the new code may be slower than the "
                                      "ref's, in % (both measured in the same run)")
    max_duration: float = option(0.0, "seconds the whole test session may take; 0 = no limit")
    max_memory: int = option(0, "bytes of peak RSS of the session's largest process; 0 = no limit")


PERF_MODES = ("compare", "save", "accept", "prune", "off")
PERF_TIMERS = ("wall", "cpu")


def perf_options_problem(options: PerfOptions) -> str | None:
    if options.mode not in PERF_MODES:
        return f"mode must be one of {', '.join(PERF_MODES)}, got {options.mode!r}"
    if options.timer not in PERF_TIMERS:
        return f"timer must be wall or cpu, got {options.timer!r}"
    if min(options.max_regression, options.memory_regression, options.ab_max_regression) <= 0:
        return "max-regression, memory-regression and ab-max-regression must be positive percentages"
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
