"""Criteria -> gate settings, against the gates installed here.

A strict bound becomes the gate's inclusive limit at the gate's resolution ("< 800
lines" → ``max = 799``; "> 80%" → ``fail-under = 80.01``, as percentages are judged
with two decimals). A criterion whose gate is not installed, or lacks the option, is
:data:`UNAVAILABLE`; one the gate rejects (a percentage over 100) is :data:`NOT_AS_WRITTEN`.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gates.core.config import build_options
from gates.errors import UsageError
from gates.core.registry import find_checker
from gates.roadmap.metrics import Metric
from gates.roadmap.parse import Bound, Criterion

if TYPE_CHECKING:
    from gates.core.checker import Checker

SETTABLE, UNAVAILABLE, NOT_AS_WRITTEN, UNKNOWN = "settable", "unavailable", "not as written", "unknown"
_EPSILON = 1e-9


@dataclass(frozen=True)
class Requirement:
    """A criterion resolved against the installed gates: the settings that measure it, or why none do."""

    criterion: Criterion
    status: str
    values: tuple[tuple[str, Any], ...] = ()  # the gate table's keys and values
    limit: float | None = None  # the inclusive limit, for a criterion with a figure
    reason: str = ""

    @property
    def metric(self) -> Metric | None:
        return self.criterion.metric

    @property
    def gate(self) -> str:
        return self.metric.gate if self.metric else ""


def inclusive_limit(bound: Bound, step: float) -> float:
    """The gate's inclusive limit for ``bound`` at resolution ``step``: "< 800" → 799, "≤ 800" → 800,
    "> 80" (step 0.01) → 80.01, "≥ 79.995" → 80."""
    scaled = bound.value / step
    if bound.upper:
        steps = math.ceil(scaled - _EPSILON) - 1 if bound.strict else math.floor(scaled + _EPSILON)
    else:
        steps = math.floor(scaled + _EPSILON) + 1 if bound.strict else math.ceil(scaled - _EPSILON)
    decimals = max(0, -math.floor(math.log10(step))) if step < 1 else 0
    return round(steps * step, decimals)


def _typed(value: float, default: Any) -> int | float:
    """The limit as the option's type: a whole number stays an int (``fail-under = 80``)."""
    if isinstance(default, int) and not isinstance(default, bool):
        return int(value)
    return int(value) if float(value).is_integer() else value


def option_defaults(cls: type[Checker]) -> dict[str, Any]:
    """The gate's options with their defaults, by kebab-case key."""
    result = {}
    for spec in dataclasses.fields(cls.options_type):
        default = spec.default_factory() if spec.default_factory is not dataclasses.MISSING else spec.default
        result[spec.name.replace("_", "-")] = default
    return result


def resolve(criterion: Criterion) -> Requirement:
    """What measures ``criterion`` here, if anything."""
    metric = criterion.metric
    if metric is None:
        return Requirement(criterion, UNKNOWN, reason=criterion.problem)
    if criterion.problem:
        return Requirement(criterion, NOT_AS_WRITTEN, reason=criterion.problem)
    cls = find_checker(metric.gate)
    if cls is None:
        origin = f"; it comes with {metric.provided_by}" if metric.provided_by else ""
        return Requirement(criterion, UNAVAILABLE, reason=f"gate {metric.gate} is not installed{origin}")
    values = dict(criterion.extra)
    limit = None
    if metric.option is None:
        values = {"enabled": True, **values}
    else:
        defaults = option_defaults(cls)
        if metric.option not in defaults or criterion.bound is None:
            return Requirement(criterion, UNAVAILABLE, reason=f"gate {metric.gate} has no setting {metric.option}")
        limit = inclusive_limit(criterion.bound, metric.step)
        values[metric.option] = _typed(limit, defaults[metric.option])
    problem = _rejected(cls, values)
    if problem:
        return Requirement(criterion, NOT_AS_WRITTEN, reason=f"{metric.gate}: {problem}")
    return Requirement(criterion, SETTABLE, tuple(values.items()), limit)


def _rejected(cls: type[Checker], values: dict[str, Any]) -> str:
    """The gate's own objection to these settings ("max must be at least 1"), or ""."""
    try:
        options, _ = build_options(cls.options_type, values, f"[tool.gates.{cls.name}]")
    except UsageError as exc:
        return str(exc)
    return cls(options).check_options() or ""


def strictest(requirements: Sequence[Requirement]) -> Requirement:
    """Of several settable criteria for the same gate option, the one with the tightest limit."""
    def tightness(req: Requirement) -> float:
        metric = req.metric
        limit = req.limit if req.limit is not None else 0.0
        return limit if metric is not None and metric.upper else -limit

    return min(requirements, key=tightness)


def by_setting(requirements: Iterable[Requirement]) -> dict[tuple[str, str], list[Requirement]]:
    """Settable requirements grouped by (gate, option key)."""
    groups: dict[tuple[str, str], list[Requirement]] = {}
    for req in requirements:
        if req.status != SETTABLE:
            continue
        metric = req.metric
        assert metric is not None
        groups.setdefault((metric.gate, metric.option or "enabled"), []).append(req)
    return groups
