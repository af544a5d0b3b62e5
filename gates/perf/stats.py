"""GT303's decision: is a benchmark slower than its baseline, beyond noise?

Pure functions on samples, standard library only. A sample is the time of the benchmark
divided by the time of a fixed reference workload measured right before it (the ratio
A/R): a machine that is slower as a whole slows both, and the ratio stays.

A benchmark has regressed when all hold:

1. its median ratio is more than ``max_regression`` above the baseline's level: the
   geometric mean of the stored runs' medians (each run counts once, however many
   samples it kept),
2. a one-sided Mann-Whitney U test (normal approximation, tie-corrected) says the
   current samples are larger than the pooled baseline samples with p < ``alpha``, and
3. when the baseline holds two or more runs: the current median lies above the
   one-sided (1 - ``run_alpha``) prediction bound of a run's median, from the spread of the
   stored runs' medians pooled with a prior spread (log scale, Student's t). Samples of one run are correlated
   (a process keeps its speed mode), so only runs tell how far a new run may land.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from typing import NamedTuple

from gates.perf.records import Verdict


def quartiles(values: Sequence[float]) -> tuple[float, float, float]:
    """First quartile, median, third quartile (inclusive method; one value: all three)."""
    if len(values) == 1:
        return values[0], values[0], values[0]
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, q2, q3


def without_outliers(values: Sequence[float]) -> list[float]:
    """Drop values outside [Q1 - 1.5 IQR, Q3 + 1.5 IQR] (Tukey's fences)."""
    if len(values) < 4:
        return list(values)
    q1, _, q3 = quartiles(values)
    low, high = q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1)
    return [v for v in values if low <= v <= high]


def _ranks(values: Sequence[float]) -> tuple[list[float], float]:
    """Average ranks (1-based) and the tie term sum(t^3 - t)."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    ties = 0.0
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        t = j - i + 1
        ties += t**3 - t
        i = j + 1
    return ranks, ties


def mann_whitney_greater(current: Sequence[float], baseline: Sequence[float]) -> float:
    """One-sided p-value that ``current`` tends to be larger than ``baseline``."""
    n1, n2 = len(current), len(baseline)
    if n1 == 0 or n2 == 0:
        return 1.0
    ranks, ties = _ranks([*current, *baseline])
    u = sum(ranks[:n1]) - n1 * (n1 + 1) / 2
    n = n1 + n2
    variance = n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1)))
    if variance <= 0:
        return 1.0
    z = (u - n1 * n2 / 2 - 0.5) / math.sqrt(variance)  # continuity correction
    return 0.5 * math.erfc(z / math.sqrt(2))


class Decision(NamedTuple):
    """The verdict on one benchmark and the figures behind it."""

    verdict: Verdict  # REGRESSED, OK or FASTER
    ratio: float  # current median / baseline median
    p_value: float


def _t_cdf(x: float, df: int) -> float:
    """Student's t distribution function for x >= 0.

    With t = sqrt(df) tan(u) the density becomes c cos(u)^(df - 1), smooth on [0, pi/2):
    Simpson's rule on u is accurate to many digits.
    """
    c = math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2)) / math.sqrt(math.pi)
    top = math.atan(x / math.sqrt(df))
    steps = 200
    h = top / steps
    total = 1.0 + math.cos(top) ** (df - 1)
    total += sum((4 if i % 2 else 2) * math.cos(i * h) ** (df - 1) for i in range(1, steps))
    return 0.5 + c * total * h / 3


def t_quantile(p: float, df: int) -> float:
    """The ``p`` quantile (p > 0.5) of Student's t with ``df`` degrees of freedom."""
    low, high = 0.0, 1000.0
    for _ in range(60):
        mid = (low + high) / 2
        low, high = (mid, high) if _t_cdf(mid, df) < p else (low, mid)
    return (low + high) / 2


def level(runs: Sequence[Sequence[float]]) -> float:
    """The baseline's level: the geometric mean of its runs' medians."""
    medians = [statistics.median(run) for run in runs if run]
    if not medians or min(medians) <= 0:
        return 0.0
    return math.exp(statistics.fmean(math.log(m) for m in medians))


# Rule 3's spread between runs: what the stored runs show, pooled with a prior of
# PRIOR_SPREAD (sd of the log of a run's median, the noise study's busy-machine figure)
# worth PRIOR_DF degrees of freedom. Three runs alone estimate a spread badly: by chance
# two agree and the bound lets anything pass, or they look far apart (Student's t with
# 2 df is 2.9 at 95 %) and the bound rises past real 1.5x slowdowns (seen with numpy on
# a busy machine: 1.5x detected in 2 runs of 4).
PRIOR_SPREAD = 0.05
PRIOR_DF = 4


def run_bound(runs: Sequence[Sequence[float]], alpha: float) -> float:
    """Upper (1 - alpha) prediction bound of the next run's median; 0 under two runs
    (one run says nothing about the spread between runs: the samples decide alone)."""
    if len(runs) < 2:
        return 0.0
    logs = [math.log(statistics.median(run)) for run in runs]
    k = len(logs)
    pooled = (PRIOR_DF * PRIOR_SPREAD**2 + (k - 1) * statistics.variance(logs)) / (PRIOR_DF + k - 1)
    spread = math.sqrt(pooled) * math.sqrt(1 + 1 / k)
    return math.exp(statistics.fmean(logs) + t_quantile(1 - alpha, PRIOR_DF + k - 1) * spread)


def decide(
    current: Sequence[float],
    runs: Sequence[Sequence[float]],
    max_regression: float = 20.0,
    alpha: float = 0.01,
    run_alpha: float = 0.05,
) -> Decision:
    """Judge ``current`` samples against the baseline's ``runs``; limits in percent."""
    baseline = [v for run in runs for v in run]
    now = statistics.median(current)
    before = level(runs)
    ratio = now / before if before > 0 else math.inf
    p_slower = mann_whitney_greater(current, baseline)
    over = ratio > 1 + max_regression / 100
    if over and p_slower < alpha and now > run_bound(runs, run_alpha):
        return Decision(Verdict.REGRESSED, ratio, p_slower)
    p_faster = mann_whitney_greater(baseline, current)
    if ratio < 1 / (1 + max_regression / 100) and p_faster < alpha:
        return Decision(Verdict.FASTER, ratio, p_faster)
    return Decision(Verdict.OK, ratio, p_slower)


def memory_regressed(current: int, baseline: int, max_regression: float = 20.0) -> bool:
    """Peak memory more than ``max_regression`` percent above the baseline.

    Peaks under 4 KiB above the baseline never count: interpreter caches move that much.
    """
    return current > baseline * (1 + max_regression / 100) and current - baseline > 4096


# --- A/B mode (--gates-perf-against): old and new code measured in the same run -------


def _binomial_tail(n: int, k: int) -> float:
    """P(X >= k) for X ~ Binomial(n, 1/2), exactly."""
    if k <= 0:
        return 1.0
    return sum(math.comb(n, i) for i in range(k, n + 1)) / (1 << n)


def median_bounds(values: Sequence[float], alpha: float) -> tuple[float, float]:
    """Distribution-free one-sided (1 - ``alpha``) lower and upper bounds of the median:
    order statistics chosen by the binomial law of the count of values under it. With too
    few values for the level, the bounds are the extremes."""
    ordered = sorted(values)
    n = len(ordered)
    # P(X <= j) for X ~ Binomial(n, 1/2), growing j until it exceeds alpha
    total, cumulative, k = 1 << n, 0, 0
    while k < n:
        cumulative += math.comb(n, k)
        if cumulative / total > alpha:
            break
        k += 1
    k = max(k - 1, 0)  # the k-th order statistic (1-based) is the bound
    return ordered[k], ordered[n - 1 - k]


class PairedDecision(NamedTuple):
    """The verdict of an A/B measurement: median of paired ratios new/old and its bounds."""

    verdict: Verdict
    ratio: float
    low: float
    high: float
    p_value: float  # sign test: the new code is slower in more rounds than chance allows


def decide_paired(ratios: Sequence[float], max_regression: float = 5.0,
                  alpha: float = 0.01) -> PairedDecision:
    """Judge paired ratios new/old (one per round, rounds alternating old and new).

    Regressed when the median ratio is more than ``max_regression`` percent above 1 and
    its one-sided (1 - alpha) lower bound lies above 1; faster symmetrically. Both codes
    met the same machine in every round, so no baseline spread enters the decision.
    """
    ratio = statistics.median(ratios)
    low, high = median_bounds(ratios, alpha)
    slower = sum(1 for r in ratios if r > 1)
    p_slower = _binomial_tail(len(ratios), slower)
    limit = 1 + max_regression / 100
    if ratio > limit and low > 1:
        return PairedDecision(Verdict.REGRESSED, ratio, low, high, p_slower)
    if ratio < 1 / limit and high < 1:
        faster = sum(1 for r in ratios if r < 1)
        return PairedDecision(Verdict.FASTER, ratio, low, high, _binomial_tail(len(ratios), faster))
    return PairedDecision(Verdict.OK, ratio, low, high, p_slower)
