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
