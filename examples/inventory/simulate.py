"""Simulated demand, for sizing reorder levels before real sales data exists."""

from __future__ import annotations

import random


def daily_demand(days: int, mean: float, seed: int = 0) -> list[int]:
    """Units sold per day; the same seed gives the same series, so runs can be compared."""
    rng = random.Random(seed)
    return [max(0, round(rng.gauss(mean, mean / 3))) for _ in range(days)]


def suggested_reorder_level(days: int, mean: float, lead_time: int, seed: int = 0) -> int:
    """Enough stock to cover the worst `lead_time`-day window of the simulated demand."""
    demand = daily_demand(days, mean, seed)
    windows = (sum(demand[i : i + lead_time]) for i in range(len(demand) - lead_time + 1))
    return max(windows, default=0)
