"""Percentages as gates show and judge them: one rounding rule for both.

A percentage gate prints its figure with ``PRECISION`` decimals and decides on that
same printed figure, so what the user reads is what was judged: 59.995 is never shown
as "60.00 %" and then failed against a floor of 60. The printed figure never rounds up
to 100 nor down to 0, as coverage.py's does not: 99.996 shows as "99.99 %" and fails
a floor of 100.
"""

from __future__ import annotations

PRECISION = 2


def percentage(part: int, whole: int) -> float:
    """``part`` of ``whole`` in percent; an empty whole counts as 100 % (nothing to miss)."""
    return 100.0 if whole == 0 else 100.0 * part / whole


def round_percent(value: float, precision: int = PRECISION) -> float:
    """``value`` rounded as it is displayed: never up to 100, never down to 0."""
    rounded = round(value, precision)
    step = 10.0**-precision
    if rounded >= 100.0 and value < 100.0:
        return round(100.0 - step, precision)
    if rounded <= 0.0 and value > 0.0:
        return step
    return rounded


def format_percent(value: float, precision: int = PRECISION) -> str:
    """The displayed figure, e.g. ``"59.99"`` (no ``%`` sign)."""
    return f"{round_percent(value, precision):.{precision}f}"


def should_fail_under(total: float, fail_under: float, precision: int = PRECISION) -> bool:
    """True when ``total`` (as displayed) is below the floor ``fail_under``.

    Pure, and the only place a percentage gate decides: the displayed figure is the
    judged figure.
    """
    return round_percent(total, precision) < fail_under
