"""The roadmap's own criteria, each judged by measurement: ``gates report --roadmap``.

The gates the roadmap names run once, each at the tightest limit the roadmap sets for
it; every criterion is then judged on its own against the measured figure, so a phase-1
line ("functions < 60 lines") can pass while a phase-3 line ("< 40") fails.
"""

from __future__ import annotations

import dataclasses
import importlib.util
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from gates.core.config import Settings
from gates.model import Finding, GateResult, RunResult
from gates.core.percent import should_fail_under
from gates.core.registry import find_checker
from gates.reporters.scorecard import format_value
from gates.roadmap.choose import choose
from gates.roadmap.parse import Criterion
from gates.roadmap.plan import SETTABLE, Requirement

PASSED, FAILED, UNMEASURED = "passed", "failed", "unmeasured"


@dataclass(frozen=True)
class Item:
    """One line of the checklist: the criterion, its verdict and what was measured."""

    criterion: Criterion
    status: str  # PASSED, FAILED or UNMEASURED
    detail: str  # "83.40 %", "relays.py has 2,119 lines", or why it was not measured
    gate: GateResult | None = None
    limit: float | None = None

    @property
    def limit_text(self) -> str:
        metric = self.criterion.metric
        if self.limit is None or metric is None or self.gate is None:
            return ""
        sign = "\u2264" if metric.upper else "\u2265"
        if self.gate.unit == "%":
            return f"{sign} {self.limit:g} %"
        return f"{sign} {format_value(self.limit, self.gate.unit)}"


@dataclass(frozen=True)
class Checklist:
    roadmap: str  # the roadmap's path as shown
    result: RunResult  # the audit behind the verdicts
    items: tuple[Item, ...]
    other_failures: tuple[GateResult, ...] = ()  # failing gates no criterion names (a file that does not parse)

    @property
    def passed(self) -> bool:
        return not self.other_failures and all(i.status != FAILED for i in self.items)

    def count(self, status: str) -> int:
        return sum(item.status == status for item in self.items)

    def verdict(self) -> str:
        """``3 of 4 measured criteria met, 1 failed; 2 not measured (12 files checked)``."""
        met, failed, unmeasured = self.count(PASSED), self.count(FAILED), self.count(UNMEASURED)
        files = self.result.files_checked
        parts = f"{met} of {met + failed} measured criteria met" if met + failed else "no criterion measured"
        if failed:
            parts += f", {failed} failed"
        if unmeasured:
            parts += f"; {unmeasured} not measured"
        if self.other_failures:
            parts += "; also failed: " + ", ".join(f"{g.name} ({g.code})" for g in self.other_failures)
        return f"{parts} ({files:,} file{'s' if files != 1 else ''} checked)"


def missing_tool(gate: str) -> str:
    """Why a tool gate cannot run here ("" when it can): its tool is not installed."""
    from gates.integrations.tools import ToolChecker

    cls = find_checker(gate)
    if cls is None or not issubclass(cls, ToolChecker):
        return ""
    if importlib.util.find_spec(cls.tool) is not None:
        return ""
    return f"{cls.tool} is not installed (pip install {cls.tool}), so gate {gate} cannot run"


def measurable(requirements: Iterable[Requirement]) -> list[Requirement]:
    return [r for r in requirements if r.status == SETTABLE and not missing_tool(r.gate)
            and not (r.metric is not None and r.metric.at_test_time)]


def adjusted(settings: Settings, requirements: Sequence[Requirement]) -> Settings:
    """The project's settings with each named gate on, at the roadmap's tightest limit."""
    tables: dict[str, Any] = {key: dict(value) for key, value in settings.gate_tables.items()}
    for (gate, key), (value, _) in choose(requirements).items():
        cls = find_checker(gate)
        assert cls is not None
        table = {**settings.gate_table(cls.name, cls.code), **tables.get(cls.name, {})}
        tables.pop(cls.code, None)
        table.update({"enabled": True, key: value})
        tables[cls.name] = table
    return dataclasses.replace(settings, gate_tables=tables, select=(), ignore=())


def _amount(value: float, unit: str) -> str:
    return f"complexity {value:,.0f}" if unit == "complexity" else format_value(value, unit)


def _worst(findings: Sequence[Finding], gate: GateResult) -> str:
    """``relays.py has 2,119 lines``: the finding that holds the measured figure."""
    worst = [f for f in findings if f.value == gate.measured]
    if not worst:
        return _amount(gate.measured, gate.unit)
    first = min(worst, key=Finding.sort_key)
    where = first.path if first.symbol is None else f"{first.path}:{first.line} {first.symbol}"
    return f"{where} has {_amount(gate.measured, gate.unit)}"


def _on_off_detail(gate: GateResult, findings: Sequence[Finding]) -> str:
    if gate.passed or not findings:
        return gate.summary
    first = min(findings, key=Finding.sort_key)
    more = f" and {len(findings) - 1:,} more" if len(findings) > 1 else ""
    return f"{gate.summary}: {first.path}:{first.line}{more}"


def _note(gate: GateResult) -> str:
    return f" ({gate.note})" if gate.note else ""


def judge(req: Requirement, gate: GateResult | None, findings: Sequence[Finding]) -> Item:
    """The verdict on one criterion from its gate's result."""
    criterion, metric = req.criterion, req.metric
    if req.status != SETTABLE or metric is None:
        return Item(criterion, UNMEASURED, req.reason)
    if metric.at_test_time:  # gates report cannot measure a limit of the test run
        return Item(criterion, UNMEASURED, f"measured while the tests run: {metric.at_test_time}")
    if gate is None:
        return Item(criterion, UNMEASURED, missing_tool(req.gate) or f"gate {req.gate} did not run")
    note = _note(gate)
    if metric.option is None or req.limit is None:
        status = PASSED if gate.passed else FAILED
        return Item(criterion, status, _on_off_detail(gate, findings) + note, gate)
    passed, detail = _against_limit(gate, findings, req.limit, metric.upper)
    return Item(criterion, PASSED if passed else FAILED, detail + note, gate, req.limit)


def _against_limit(gate: GateResult, findings: Sequence[Finding], limit: float, upper: bool) -> tuple[bool, str]:
    """(met, what to show) for the gate's measured figure against the criterion's own limit."""
    if upper:
        passed = gate.measured <= limit
        return passed, _amount(gate.measured, gate.unit) if passed else _worst(findings, gate)
    if gate.unit == "%":
        passed = not should_fail_under(gate.measured, limit)
    else:
        passed = gate.measured >= limit
    return passed, _amount(gate.measured, gate.unit)


def checklist(roadmap: str, requirements: Sequence[Requirement], result: RunResult) -> Checklist:
    by_name = {gate.name: gate for gate in result.gates}
    findings: dict[str, list[Finding]] = {}
    for finding in result.findings:
        findings.setdefault(finding.gate, []).append(finding)
    items = tuple(judge(r, by_name.get(r.gate), findings.get(r.gate, [])) for r in requirements)
    named = {r.gate for r in requirements}
    others = tuple(g for g in result.gates if g.name not in named and not g.passed)
    return Checklist(roadmap, result, items, others)
