"""GT303's decision on synthetic samples: deterministic, no timing."""

from __future__ import annotations

import math
import random

import pytest

from gates.perf.records import Verdict
from gates.perf.stats import (
    decide,
    level,
    mann_whitney_greater,
    memory_regressed,
    quartiles,
    run_bound,
    t_quantile,
    without_outliers,
)


def noisy(center: float, n: int, spread: float, seed: int) -> list[float]:
    rng = random.Random(seed)
    return [center * math.exp(rng.gauss(0, spread)) for _ in range(n)]


def test_quartiles_and_outliers() -> None:
    assert quartiles([3.0]) == (3.0, 3.0, 3.0)
    assert quartiles([1.0, 2.0, 3.0, 4.0, 5.0])[1] == 3.0
    assert without_outliers([1.0, 1.1, 0.9, 1.0, 1.05, 50.0]) == [1.0, 1.1, 0.9, 1.0, 1.05]
    assert without_outliers([1.0, 99.0]) == [1.0, 99.0]


def test_mann_whitney_separated_and_identical() -> None:
    low, high = [1.0, 1.1, 1.2, 1.3, 1.4], [2.0, 2.1, 2.2, 2.3, 2.4]
    assert mann_whitney_greater(high, low) < 0.01
    assert mann_whitney_greater(low, high) > 0.99
    assert mann_whitney_greater([1.0] * 5, [1.0] * 5) == 1.0  # all tied: no evidence
    assert mann_whitney_greater([], low) == 1.0


def test_mann_whitney_matches_a_hand_computed_value() -> None:
    # ranks of x: 3 5 7 8 9 -> U = 17; mean 10, variance 20 * 10 / 12;
    # z = (17 - 10 - 0.5) / 4.082 = 1.592 -> p = 0.0557
    x = [19.0, 22.0, 16.0, 29.0, 24.0]
    y = [20.0, 11.0, 17.0, 12.0]
    assert mann_whitney_greater(x, y) == pytest.approx(0.0557, abs=0.0005)


@pytest.mark.parametrize(("p", "df", "expected"), [(0.99, 1, 31.821), (0.99, 4, 3.747), (0.95, 2, 2.920)])
def test_t_quantile(p: float, df: int, expected: float) -> None:
    assert t_quantile(p, df) == pytest.approx(expected, abs=0.002)


def test_run_bound_needs_two_runs() -> None:
    assert run_bound([[1.0, 1.1]], 0.01) == 0.0
    # log medians 0, 0.095, -0.105: sd 0.1002, pooled with the prior 0.05 worth 4 df:
    # sqrt((4 * 0.0025 + 2 * 0.01004) / 6) = 0.0709; t(0.99, df 6) = 3.143; sqrt(1 + 1/3)
    bound = run_bound([[1.0] * 3, [1.1] * 3, [0.9] * 3], 0.01)
    assert bound == pytest.approx(math.exp(-0.0034 + 3.143 * 0.0709 * 1.1547), rel=0.01)


def test_same_distribution_is_not_a_regression() -> None:
    runs = [noisy(1.0, 30, 0.1, seed) for seed in range(3)]
    false_alarms = sum(
        decide(noisy(1.0, 30, 0.1, 100 + i), runs).verdict == Verdict.REGRESSED for i in range(200)
    )
    assert false_alarms <= 2


def test_real_slowdown_is_detected() -> None:
    runs = [noisy(1.0, 30, 0.05, seed) for seed in range(3)]
    decision = decide(noisy(1.5, 30, 0.05, 7), runs)
    assert decision.verdict == Verdict.REGRESSED
    assert decision.ratio == pytest.approx(1.5, rel=0.05)
    assert decision.p_value < 0.01


def test_slowdown_under_the_threshold_passes() -> None:
    runs = [noisy(1.0, 30, 0.02, seed) for seed in range(3)]
    decision = decide(noisy(1.1, 30, 0.02, 9), runs)
    assert decision.verdict == Verdict.OK  # significant, but only 10 % slower


def test_ratio_over_threshold_but_runs_spread_too_much_passes() -> None:
    # Each run is tight, but runs land far apart (speed modes): 1.5x is within that.
    runs = [noisy(c, 30, 0.01, i) for i, c in enumerate((0.7, 1.0, 1.4))]
    assert decide(noisy(1.5, 30, 0.01, 5), runs).verdict == Verdict.OK


def test_single_run_baseline_uses_the_samples() -> None:
    runs = [noisy(1.0, 30, 0.05, 1)]
    assert decide(noisy(1.4, 30, 0.05, 2), runs).verdict == Verdict.REGRESSED


def test_faster_is_reported() -> None:
    runs = [noisy(1.0, 30, 0.02, seed) for seed in range(3)]
    assert decide(noisy(0.5, 30, 0.02, 3), runs).verdict == Verdict.FASTER


def test_threshold_is_configurable() -> None:
    runs = [noisy(1.0, 30, 0.01, seed) for seed in range(3)]
    current = noisy(1.15, 30, 0.01, 4)
    assert decide(current, runs, max_regression=20).verdict == Verdict.OK
    assert decide(current, runs, max_regression=10).verdict == Verdict.REGRESSED


def test_memory_regression() -> None:
    assert memory_regressed(200_000, 100_000)
    assert not memory_regressed(110_000, 100_000)
    assert not memory_regressed(3000, 1000)  # tiny peaks move by a few KiB


def test_level_is_the_geometric_mean_of_run_medians() -> None:
    # one run with many samples weighs no more than one with few
    runs = [[1.0] * 3, [4.0] * 300]
    assert level(runs) == pytest.approx(2.0)
    assert level([]) == 0.0


def test_a_spread_baseline_needs_a_bigger_slowdown() -> None:
    # Two saved runs at 1.0, one in a slow mode at 1.4: the 95 % bound for a new run's
    # median is 1.46x, so 1.3x is not confirmed, 1.6x is.
    runs = [noisy(1.0, 101, 0.03, 1), noisy(1.0, 101, 0.03, 2), noisy(1.4, 101, 0.03, 3)]
    assert run_bound(runs, 0.05) == pytest.approx(1.46, rel=0.02)
    assert decide(noisy(1.3, 400, 0.03, 4), runs).verdict == Verdict.OK
    assert decide(noisy(1.6, 400, 0.03, 5), runs).verdict == Verdict.REGRESSED
    # one run at 1.15 no longer hides a 1.3x slowdown (the prior tempers three runs' spread)
    mild = [noisy(1.0, 101, 0.03, 1), noisy(1.0, 101, 0.03, 2), noisy(1.15, 101, 0.03, 3)]
    assert decide(noisy(1.3, 400, 0.03, 4), mild).verdict == Verdict.REGRESSED
    # runs that agree (the usual case with short samples) leave the threshold in charge
    tight = [noisy(1.0, 101, 0.03, seed) for seed in (1, 2, 6)]
    assert decide(noisy(1.3, 400, 0.03, 4), tight).verdict == Verdict.REGRESSED


def test_median_bounds_follow_the_binomial_law() -> None:
    from gates.perf.stats import median_bounds

    # 7 values: only the extremes bound the median at 1 % (P = 1/128 each side)
    assert median_bounds(list(range(1, 8)), 0.01) == (1, 7)
    # 100 values: the 38th and 63rd order statistics (normal approximation: 50 -+ 11.6)
    assert median_bounds(list(range(100)), 0.01) == (37, 62)


def test_paired_ratios_decide_against_the_limit_and_the_bound() -> None:
    from gates.perf.stats import decide_paired

    slower = [1.10 + 0.01 * (i % 5 - 2) for i in range(50)]
    assert decide_paired(slower, 5.0).verdict == Verdict.REGRESSED
    assert decide_paired(slower, 15.0).verdict == Verdict.OK  # under the limit
    # over the limit by the median, but half the rounds found the new code faster
    spread = [1.3, 0.8] * 25 + [1.3]
    assert decide_paired(spread, 5.0).verdict == Verdict.OK
    assert decide_paired([1 / r for r in slower], 5.0).verdict == Verdict.FASTER
