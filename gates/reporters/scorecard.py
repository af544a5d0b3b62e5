"""What every human-facing format shows about a gate: measured value, limit, verdict, worst offenders.

The rows are computed once here, from the :class:`GateResult` and the findings alone,
so that text, the terminal table, Markdown and HTML say the same thing and a new gate
appears in all of them without a special case.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from gates.model import Direction, Finding, GateResult, RunResult, percent_text, shown

WORST_COUNT = 3


@dataclass(frozen=True)
class Offender:
    """One of a gate's worst cases: where it is and how bad."""

    where: str  # "path:line symbol" or "path"
    amount: str  # "1,090 lines", "3 prints", "41.30 %"


@dataclass(frozen=True)
class ScoreRow:
    gate: GateResult
    measured: str
    limit: str
    verdict: str
    offenders: tuple[Offender, ...]

    @property
    def detail(self) -> str:
        """The gate's own summary, plus its note about where the figure comes from."""
        if self.gate.note:
            return f"{self.gate.summary} ({self.gate.note})"
        return self.gate.summary

    @property
    def remark(self) -> str:
        """:attr:`detail` for a table that already shows the measured value: no repeat of it."""
        if self.gate.summary == self.measured:
            return f"({self.gate.note})" if self.gate.note else ""
        return self.detail


def format_value(value: float, unit: str, precision: int | None = None) -> str:
    """``41.30 %``, ``1,090 lines``, ``1 print``: a value in the gate's unit, as the model
    shows it (:func:`gates.model.shown`). ``precision`` None: 2 decimals for a percentage
    or a fraction, none for a whole number."""
    if precision is None:
        precision = 0 if unit != "%" and float(value).is_integer() else 2
    return shown(value, unit, precision)


def limit_text(gate: GateResult, *, ascii_only: bool = True) -> str:
    """``>= 80 %`` or ``<= 50``: the sign is the gate's own direction, never a guess."""
    if gate.direction is Direction.FLOOR:
        sign = ">=" if ascii_only else "≥"
    else:
        sign = "<=" if ascii_only else "≤"
    if gate.unit == "%":
        return f"{sign} {percent_text(gate.threshold)}"
    return f"{sign} {gate.threshold:,g}"


def _by_value(gate: GateResult, findings: Sequence[Finding]) -> tuple[Offender, ...]:
    measured = [f for f in findings if f.value is not None]
    floor = gate.direction is Direction.FLOOR
    measured.sort(key=lambda f: ((f.value or 0.0) if floor else -(f.value or 0.0), f.sort_key()))
    offenders = []
    for finding in measured[:WORST_COUNT]:
        where = f"{finding.path}:{finding.line}"
        if finding.symbol:
            where += f" {finding.symbol}"
        offenders.append(Offender(where, item_value(finding.value or 0.0, gate)))
    return tuple(offenders)


def _by_file(findings: Sequence[Finding], gate: GateResult) -> tuple[Offender, ...]:
    """The files with the most findings; a file with one finding is named with its line."""
    counts = Counter(f.path for f in findings)
    first = {}
    for finding in sorted(findings, key=Finding.sort_key, reverse=True):
        first[finding.path] = f"{finding.path}:{finding.line}"
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:WORST_COUNT]
    unit = "findings" if gate.unit in ("lines", "%") else gate.unit
    return tuple(
        Offender(first[path] if count == 1 else path, format_value(count, unit))
        for path, count in ranked
    )


def _by_detail(gate: GateResult) -> tuple[Offender, ...]:
    floor = gate.direction is Direction.FLOOR
    ranked = sorted(gate.details, key=lambda item: (item[1] if floor else -item[1], item[0]))
    return tuple(Offender(key, item_value(value, gate)) for key, value in ranked[:WORST_COUNT])


def item_value(value: float, gate: GateResult) -> str:
    """A per-item value of the gate (a finding's, a detail's): a percentage with the gate's
    precision, anything else as :func:`format_value` shows it."""
    if gate.unit in RATIO_ITEMS:
        return f"{value:,.2f}x"  # each item is a ratio to its baseline, not a count
    return format_value(value, gate.unit, gate.precision if gate.unit == "%" else None)


# Gates whose items are ratios (a benchmark's time over its baseline) while the gate
# counts them: "1.94x", never "1.94 regressions".
RATIO_ITEMS = frozenset({"regressions"})


def worst_offenders(gate: GateResult, findings: Sequence[Finding]) -> tuple[Offender, ...]:
    """The gate's worst cases: largest measured findings, else the files with the most
    findings, else (for a passing or project-level gate) the worst of its ``details``."""
    if any(f.value is not None for f in findings):
        return _by_value(gate, findings)
    if findings:
        return _by_file(findings, gate)
    if not gate.passed and gate.details:
        return _by_detail(gate)
    return ()


def scorecard_rows(result: RunResult, *, ascii_only: bool = True) -> list[ScoreRow]:
    by_gate: dict[str, list[Finding]] = {}
    for finding in result.findings:
        by_gate.setdefault(finding.code, []).append(finding)
    return [
        ScoreRow(
            gate=gate,
            measured=gate.shown,
            limit=limit_text(gate, ascii_only=ascii_only),
            verdict="passed" if gate.passed else "FAILED",
            offenders=worst_offenders(gate, by_gate.get(gate.code, [])),
        )
        for gate in result.gates
    ]


def verdict_line(result: RunResult) -> str:
    """``2 of 5 gates failed (42 files checked)`` or ``all 5 gates passed (42 files checked)``."""
    files = f"{result.files_checked:,} file{'s' if result.files_checked != 1 else ''}"
    failed = sum(not g.passed for g in result.gates)
    total = len(result.gates)
    if failed:
        return f"{failed:,} of {total:,} gate{'s' if total != 1 else ''} failed ({files} checked)"
    if total == 1:
        return f"the 1 gate passed ({files} checked)"
    return f"all {total:,} gates passed ({files} checked)"


def project_name(root: str) -> str:
    return Path(root).name or root


def repository_prefix(result: RunResult) -> str:
    """The project root relative to its git repository's top (``""`` when they are the same).

    CI systems (GitHub code scanning, workflow annotations) resolve paths against the
    repository, while findings are relative to the project, which may be a subfolder.
    """
    if not result.repository:
        return ""
    relative = os.path.relpath(result.root, result.repository).replace(os.sep, "/")
    return "" if relative == "." else relative + "/"


def statistics_lines(findings: Sequence[Finding]) -> list[str]:
    """``--statistics``, as flake8 and ruff print it: a line per code, most findings first,
    with the count and the code's first message."""
    counts = Counter(f.code for f in findings)
    first: dict[str, str] = {}
    for finding in findings:
        first.setdefault(finding.code, finding.message)
    width = len(f"{max(counts.values(), default=0):,}")
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [f"{count:>{width},}  {code}  {first[code]}\n" for code, count in ranked]
