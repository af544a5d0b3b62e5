"""When each failing gate reaches its limit at the recent pace, and whether a roadmap date holds.

The pace is the least-squares slope of the figure over commit time across the last
``WINDOW`` samples. A failing gate whose figure does not move toward its limit is "not
reached, the trend is flat" (or "... going the wrong way").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from gates.history.measure import GateInfo, Trail
from gates.model import shown

WINDOW = 8
DAY = 86_400.0
# A pace under this share of the gap a week is flat: the date would be centuries away.
FLAT = 1e-6
_DATE = re.compile(r"\b(20\d\d-\d\d-\d\d)\b")


@dataclass(frozen=True)
class Forecast:
    code: str
    name: str
    now: float
    limit: float
    passed: bool
    per_week: float | None  # None: fewer than two samples in the window
    reach: date | None  # when the limit is reached at the pace; None when it is not
    text: str
    roadmap: str = ""  # what the roadmap's date for this gate says, when there is one


def slope(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of y over x; None when x does not vary."""
    if len(points) < 2:
        return None
    n = float(len(points))
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    var = sum((x - mean_x) ** 2 for x, _ in points)
    if var == 0:
        return None
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / var


def _figure(value: float, gate: GateInfo) -> str:
    return shown(value, gate.unit, gate.precision)


def _pace(value: float, gate: GateInfo) -> str:
    sign = "−" if value < 0 else "+"
    number = f"{abs(value):,.{max(gate.precision, 1) if abs(value) < 10 else 0}f}"
    return f"{sign}{number}{' %' if gate.unit == '%' else ''} a week"


def forecast_gate(trail: Trail, code: str, window: int = WINDOW) -> Forecast:
    gate = trail.gates[code]
    points = [(s.commit.time / DAY / 7, s.figures[code].measured) for s in trail.samples if code in s.figures]
    last = next(s for s in reversed(trail.samples) if code in s.figures)
    now, passed = last.figures[code].measured, last.figures[code].passed
    per_week = slope(points[-window:])
    if passed:
        text = f"{gate.name}: {_figure(now, gate)}, within its limit ({_figure(gate.threshold, gate)})"
        return Forecast(code, gate.name, now, gate.threshold, True, per_week, None, text)
    reach, how = _reach(gate, now, per_week, last.commit.time)
    head = f"{gate.name}: {_figure(now, gate)} → {_figure(gate.threshold, gate)}"
    return Forecast(code, gate.name, now, gate.threshold, False, per_week, reach, f"{head}{how}")


def _reach(gate: GateInfo, now: float, per_week: float | None, since: int) -> tuple[date | None, str]:
    """When a failing figure meets its limit at ``per_week``, and the words that say so."""
    if per_week is None:
        return None, ": no trend yet (one sample)"
    gap = gate.threshold - now  # positive when the figure must rise
    if abs(per_week) <= FLAT * max(1.0, abs(gap)):
        return None, f": not reached, the trend is flat ({_pace(per_week, gate)})"
    if per_week * gap < 0:
        return None, f": not reached, the trend goes the wrong way ({_pace(per_week, gate)})"
    start = datetime.fromtimestamp(since, timezone.utc).date()
    try:
        reach = start + timedelta(weeks=gap / per_week)
    except OverflowError:
        return None, f": not reached in this millennium at {_pace(per_week, gate)}"
    return reach, f" by {reach.isoformat()} at {_pace(per_week, gate)}"


def forecasts(trail: Trail, window: int = WINDOW) -> list[Forecast]:
    codes = [c for c in trail.gates if any(c in s.figures for s in trail.samples)]
    return [forecast_gate(trail, code, window) for code in codes]


def roadmap_dates(path: Path) -> dict[str, tuple[date, float | None, str]]:
    """Each gate (code) a roadmap line with an ISO date names: (date, its limit, where)."""
    from gates.roadmap.parse import parse_roadmap, read_roadmap
    from gates.roadmap.plan import resolve

    dates: dict[str, tuple[date, float | None, str]] = {}
    for criterion in parse_roadmap(read_roadmap(path), str(path)):
        found = _DATE.search(criterion.text)
        if not criterion.understood or found is None:
            continue
        requirement = resolve(criterion)
        try:
            when = date.fromisoformat(found.group(1))
        except ValueError:
            continue
        from gates.core.registry import find_checker

        cls = find_checker(requirement.gate)
        if cls is not None:
            dates[cls.code] = (when, requirement.limit, criterion.where)
    return dates


def with_roadmap(found: list[Forecast], dates: dict[str, tuple[date, float | None, str]]) -> list[Forecast]:
    """Each forecast with what it says of its gate's roadmap date."""
    from dataclasses import replace

    kept = []
    for item in found:
        if item.code not in dates:
            kept.append(item)
            continue
        when, _, where = dates[item.code]
        if item.passed:
            verdict = f"roadmap {when.isoformat()} ({where}): met already"
        elif item.reach is not None and item.reach <= when:
            verdict = f"roadmap {when.isoformat()} ({where}): holds at this pace"
        else:
            verdict = f"roadmap {when.isoformat()} ({where}): will not hold at this pace"
        kept.append(replace(item, roadmap=verdict))
    return kept
