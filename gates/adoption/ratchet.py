"""The baseline at work: :class:`BaselineReview` lets ``gates check`` fail only on what is
new or worse, :func:`record` writes the tightened baseline for ``gates baseline``.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gates.adoption.baseline import Baseline, Entry, entry_for, in_gate, match, with_limit_noted
from gates.model import Finding, GateResult, RunResult, percent_text
from gates.adoption.review import Review

if TYPE_CHECKING:
    from gates.core.checker import Checker


def _vanished_in(root: Path) -> Callable[[str], bool]:
    seen: dict[str, bool] = {}

    def vanished(path: str) -> bool:
        if path not in seen:
            seen[path] = not (root / path).exists()
        return seen[path]

    return vanished


class BaselineReview(Review):
    """Known findings pass; new ones and measured ones past their ceiling or floor fail;
    a gate's figure is judged against its recorded floor when that is under the goal."""

    def __init__(self, baseline: Baseline, root: Path) -> None:
        self.baseline = baseline
        self.vanished = _vanished_in(root)
        self.known: dict[str, int] = {}

    def floor(self, checker: Checker, measures: Sequence[tuple[str, Any]]) -> tuple[float, str] | None:
        floor = self.baseline.floors.get(checker.code)
        return None if floor is None else (floor, "the baseline")

    def keep(self, checker: Checker, findings: list[Finding]) -> list[Finding]:
        found = match(findings, in_gate(checker, self.baseline.entries), self.vanished)
        self.known[checker.code] = len(found.known)
        worse = [with_limit_noted(finding, entry) for finding, entry in found.worse]
        return sorted([*found.new, *worse], key=Finding.sort_key)

    def verdict(self, checker: Checker, result: GateResult) -> GateResult:
        known = self.known.get(checker.code, 0)
        if not known:
            return result
        return dataclasses.replace(result, summary=f"{result.summary}; {known:,} known in the baseline")


@dataclass
class GateChange:
    """What an update did to one gate's part of the baseline."""

    code: str
    name: str
    before: int = 0
    after: int = 0
    left_out: int = 0  # new or worse findings not recorded (no --allow-worse)
    floor_before: float | None = None
    floor_after: float | None = None
    goal: float = 0.0

    def describe(self, fresh: bool = False) -> str:
        parts = []
        if self.after or self.before:
            was = "" if fresh or self.before == self.after else f" (was {self.before:,})"
            parts.append(f"{self.after:,} known{was}")
        if self.floor_after is not None:
            was = "" if self.floor_before in (None, self.floor_after) else f", was {percent_text(self.floor_before)}"
            parts.append(f"floor {percent_text(self.floor_after)}{was} (goal {percent_text(self.goal)})")
        if self.left_out:
            parts.append(f"{self.left_out:,} new or worse not recorded")
        return f"{self.code} {self.name}: {'; '.join(parts)}"


def _merged(entries: Iterable[Entry]) -> list[Entry]:
    """Equal entries (same finding, no measured value) folded into one with a count."""
    counts: Counter[Entry] = Counter()
    for entry in entries:
        counts[dataclasses.replace(entry, count=1)] += entry.count
    return sorted(dataclasses.replace(entry, count=n) for entry, n in counts.items())


@dataclass
class _Recorder:
    old: Baseline
    checked: set[str]
    vanished: Callable[[str], bool]
    allow_worse: bool

    def entries(self, checker: Checker, findings: Sequence[Finding], change: GateChange) -> list[Entry]:
        old_entries = in_gate(checker, self.old.entries)
        found = match(findings, old_entries, self.vanished)
        entries = [entry_for(f, checker.higher_is_better(f)) for f, _ in found.known]
        for finding, entry in found.worse:  # keeps its old limit unless --allow-worse
            limit = None if self.allow_worse else entry.limit
            entries.append(entry_for(finding, checker.higher_is_better(finding), limit))
        if self.allow_worse:
            entries += [entry_for(f, checker.higher_is_better(f)) for f in found.new]
        else:
            change.left_out = len(found.new) + len(found.worse)
        outside = [e for e in old_entries if e.path not in self.checked and not self.vanished(e.path)]
        return entries + outside  # entries of files this run did not check stay as they were

    def floor(self, checker: Checker, gate: GateResult, change: GateChange) -> float | None:
        old = self.old.floors.get(checker.code)
        change.floor_before, change.goal = old, checker.threshold
        if not checker.higher_is_better() or gate.measured >= checker.threshold:
            return None  # goal reached: nothing owed
        if old is not None and not self.allow_worse:
            return max(old, gate.measured)
        if old is None and not self.allow_worse:
            change.left_out += 1  # fell under its goal since the baseline was recorded
            return None
        return gate.measured


def _outside(old: Baseline, ran: set[str]) -> Baseline:
    """The part of ``old`` about gates that did not run: kept as it is."""
    entries = [e for e in old.entries if e.code not in ran]
    floors = {code: floor for code, floor in old.floors.items() if code not in ran}
    return Baseline(entries, floors, dict(old.gate_names))


def record(
    result: RunResult, checkers: Sequence[Checker], old: Baseline, *,
    checked: set[str], root: Path, allow_worse: bool,
) -> tuple[Baseline, list[GateChange]]:
    """The baseline after this run: known findings at their current (never looser) values,
    fixed ones gone, floors raised; new or worse ones only with ``allow_worse``.

    ``result`` must come from a run without the baseline applied; ``checked`` are the
    paths of its files. Entries of gates or files outside the run are kept unchanged.
    """
    recorder = _Recorder(old, checked, _vanished_in(root), allow_worse)
    gates = {gate.code: gate for gate in result.gates}
    new = _outside(old, {checker.code for checker in checkers})
    changes = []
    for checker in checkers:
        change = GateChange(checker.code, checker.name, before=old.known(checker.code))
        findings = [f for f in result.findings if f.code == checker.code]
        new.entries += recorder.entries(checker, findings, change)
        floor = recorder.floor(checker, gates[checker.code], change)
        if floor is not None:
            new.floors[checker.code] = change.floor_after = floor
            new.gate_names[checker.code] = checker.name
        changes.append(change)
    new.entries = _merged(new.entries)
    for change in changes:
        change.after = new.known(change.code)
    return new, changes
