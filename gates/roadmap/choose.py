"""Which setting each criterion becomes, and the listing ``gates init`` prints about it.

Several lines may set the same option (phase 1 "functions < 60 lines", phase 3
"functions < 40 lines"): the tightest limit is written, and the others are listed as
covered by it. Every criterion appears in the listing, in one of these groups.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from gates.roadmap.apply import ADD, CONFLICT, OVERWRITE, SAME, Change, Setting, comment_for, toml_value
from gates.roadmap.bans import merged_rules
from gates.roadmap.context import REASONS
from gates.roadmap.plan import NOT_AS_WRITTEN, SETTABLE, UNAVAILABLE, UNKNOWN, Requirement

Slot = tuple[str, str]  # (gate, key)

GROUPS = (
    (ADD, "set"),
    (OVERWRITE, "overwritten (--force)"),
    (SAME, "already set"),
    (CONFLICT, "conflicts with pyproject.toml (nothing written; --force overwrites)"),
    ("covered", "covered by another line"),
    (UNAVAILABLE, "recognised, but the gate is not available here"),
    (NOT_AS_WRITTEN, "recognised, but not measurable as written"),
    (UNKNOWN, "not understood"),
)


@dataclass(frozen=True)
class Entry:
    requirement: Requirement
    group: str
    detail: str


def choose(requirements: Iterable[Requirement]) -> dict[Slot, tuple[Any, Requirement]]:
    """For each (gate, key) the value to write and the criterion it comes from."""
    chosen: dict[Slot, tuple[Any, Requirement]] = {}
    for req in requirements:
        if req.status != SETTABLE:
            continue
        for key, value in req.values:
            slot = (req.gate, key)
            if slot in chosen and key == "rules":  # banned-import: every retired module's rule
                chosen[slot] = (merged_rules(chosen[slot][0], value), chosen[slot][1])
            elif slot not in chosen or _tighter(req, key, value, chosen[slot][0]):
                chosen[slot] = (value, req)
    return chosen


def _tighter(req: Requirement, key: str, value: Any, old: Any) -> bool:
    metric = req.metric
    if metric is None or key != metric.option:
        return False  # on/off and fixed settings: the first line wins
    return bool(value < old) if metric.upper else bool(value > old)


def settings_of(chosen: dict[Slot, tuple[Any, Requirement]]) -> list[Setting]:
    return [
        Setting(gate, key, value, comment_for(req.criterion.where, req.criterion.text))
        for (gate, key), (value, req) in chosen.items()
    ]


def _assignments(req: Requirement, keys: Iterable[str] | None = None) -> str:
    wanted = set(keys) if keys is not None else None
    parts = [f"{key} = {toml_value(value)}" for key, value in req.values if wanted is None or key in wanted]
    return f"[tool.gates.{req.gate}] " + ", ".join(parts)


def _conversion(req: Requirement) -> str:
    """'("<800 lines" is at most 799)' when the written bound is not the gate's inclusive limit."""
    bound, metric = req.criterion.bound, req.metric
    if bound is None or metric is None or req.limit is None or req.limit == bound.value:
        return ""
    words = "at most" if metric.upper else "at least"
    limit = dict(req.values)[metric.option or ""]
    return f"  (\u201c{bound.written}\u201d is {words} {toml_value(limit)})"


def entries(requirements: Sequence[Requirement], chosen: dict[Slot, tuple[Any, Requirement]],
            changes: Sequence[Change]) -> list[Entry]:
    """One entry per criterion, in roadmap order."""
    status_of = {(c.setting.gate, c.setting.key): c for c in changes}
    result = []
    banned: set[str] = set()  # modules of the banned-import rules listed so far
    for req in requirements:
        if req.status != SETTABLE:
            result.append(Entry(req, req.status, req.reason))
            continue
        mine = _own_keys(req, chosen, banned)
        banned |= _modules(req)
        if not mine:
            result.append(Entry(req, "covered", _covered(req, chosen[(req.gate, req.values[0][0])][1])))
            continue
        change = min((status_of[(req.gate, key)] for key in mine), key=_severity)
        detail = _assignments(req, mine) + _conversion(req) + _confirm(req)
        if change.status in (CONFLICT, OVERWRITE):
            detail += f"; pyproject.toml has {toml_value(change.existing)}"
        result.append(Entry(req, change.status, detail))
    return result


def _own_keys(req: Requirement, chosen: dict[Slot, tuple[Any, Requirement]], banned: set[str]) -> list[str]:
    """The keys whose written value comes from ``req``: it set them first (or tightest), or it
    adds a banned-import rule for a module no earlier line banned."""
    return [key for key, _ in req.values if chosen[(req.gate, key)][1] is req
            or (key == "rules" and not _modules(req) <= banned)]


def _covered(req: Requirement, winner: Requirement) -> str:
    """Why a criterion writes nothing: another line sets the same, or stricter."""
    if _modules(req):
        return f"{', '.join(sorted(_modules(req)))}: banned by an earlier line already"
    if winner.values == req.values:
        return f"{_assignments(req)}, as {winner.criterion.where}"
    return f"{_assignments(req)}; the stricter {winner.criterion.where} sets {_assignments(winner)}"


def _modules(req: Requirement) -> set[str]:
    """The modules a requirement's banned-import rules name (none for other gates)."""
    rules = dict(req.values).get("rules", [])
    return {rule["module"] for rule in rules if isinstance(rule, dict)} if isinstance(rules, list) else set()


def _confirm(req: Requirement) -> str:
    """What the user must still say about a proposed banned-import rule."""
    modules = sorted(_modules(req))
    if not modules:
        return ""
    return (f"\n      confirm allow-in: the paths where {', '.join(modules)} may stay (the code that wraps "
            "it), then run without --dry-run; gates baseline records the imports left to migrate")


def _severity(change: Change) -> int:
    order = (CONFLICT, OVERWRITE, ADD, SAME)
    return order.index(change.status)


def listing(found: Sequence[Entry], groups: Sequence[str] | None = None) -> list[str]:
    """The printed groups (all, or ``groups``): a heading, then each criterion and what became of it."""
    lines: list[str] = []
    for group, heading in GROUPS:
        if groups is not None and group not in groups:
            continue
        members = [e for e in found if e.group == group]
        if not members:
            continue
        lines += ["", f"{heading} ({len(members)}):"]
        for entry in members:
            criterion = entry.requirement.criterion
            where = f"{criterion.where}  " if criterion.path else ""
            lines.append(f"  {where}{criterion.text}")
            lines.append(f"      {entry.detail}")
    return lines


SETTINGS = (ADD, OVERWRITE, SAME, CONFLICT)  # what gates init writes, or would: always listed in full
_WHY = {
    "covered": "covered by a stricter line that sets the same option",
    UNAVAILABLE: "recognised, but the gate is not available here",
    NOT_AS_WRITTEN: "recognised, but not measurable as written",
    UNKNOWN: "no criterion gates can measure (plans, product goals, figures of the product)",
}


def summary(found: Sequence[Entry]) -> list[str]:
    """What was not taken, as counts by reason ("12 lines ...: a runtime target of the product")."""
    counts: dict[str, int] = {}
    for entry in found:
        if entry.group in SETTINGS:
            continue
        why = entry.detail if entry.detail in REASONS else _WHY[entry.group]
        counts[why] = counts.get(why, 0) + 1
    if not counts:
        return []
    total = sum(counts.values())
    lines = ["", f"not taken ({total} line{'s' if total != 1 else ''}; -v lists each):"]
    for why, count in sorted(counts.items(), key=lambda item: -item[1]):
        lines.append(f"  {count:>3}  {why}")
    return lines
