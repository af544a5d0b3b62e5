"""The roadmap's own criteria, each judged by measurement: ``gates report --roadmap``.

The gates the roadmap names run once, each at the tightest limit the roadmap sets for
it; every criterion is then judged on its own against the measured figure, so a phase-1
line ("functions < 60 lines") can pass while a phase-3 line ("< 40") fails.
"""

from __future__ import annotations

import dataclasses
import importlib.util
from collections.abc import Iterable, Sequence
from typing import Any

from gates.core.config import Settings
from gates.model import Checklist, ChecklistItem, ChecklistStatus, Direction, Finding, GateResult, RunResult, percent_text
from gates.core.registry import find_checker
from gates.reporters.scorecard import format_value
from gates.roadmap.bans import merged_rules
from gates.roadmap.choose import choose
from gates.roadmap.parse import Criterion
from gates.roadmap.plan import SETTABLE, Requirement

PASSED: ChecklistStatus = "passed"
FAILED: ChecklistStatus = "failed"
UNMEASURED: ChecklistStatus = "unmeasured"


def _limit_text(criterion: Criterion, gate: GateResult | None, limit: float | None) -> str:
    """``≤ 799 lines``, ``≥ 80 %``: the criterion's own limit as shown next to a failure."""
    metric = criterion.metric
    if limit is None or metric is None or gate is None:
        return ""
    sign = "\u2264" if metric.upper else "\u2265"
    if gate.unit == "%":
        return f"{sign} {percent_text(limit)}"
    return f"{sign} {format_value(limit, gate.unit)}"


def _item(
    criterion: Criterion,
    status: ChecklistStatus,
    detail: str,
    gate: GateResult | None = None,
    limit: float | None = None,
) -> ChecklistItem:
    """One line of the checklist: the criterion, its verdict and what was measured."""
    return ChecklistItem(
        path=criterion.path, line=criterion.line, text=criterion.text, status=status, detail=detail,
        gate=criterion.metric.gate if criterion.metric is not None else None,
        code=None if gate is None else gate.code,
        measured=None if gate is None else gate.measured,
        unit="" if gate is None else gate.unit,
        limit=limit, limit_text=_limit_text(criterion, gate, limit),
    )


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
        if key == "rules" and isinstance(table.get(key), list):  # the project's confirmed rules win
            value = merged_rules(table[key], value)
        table.update({"enabled": True, key: value})
        tables[cls.name] = table
    return dataclasses.replace(settings, gate_tables=tables, select=(), ignore=())


def _amount(gate: GateResult) -> str:
    """The gate's figure as every surface shows it (``80 %`` at precision 0)."""
    return f"complexity {gate.measured:,.0f}" if gate.unit == "complexity" else gate.shown


def _worst(findings: Sequence[Finding], gate: GateResult) -> str:
    """``relays.py has 2,119 lines``: the finding that holds the measured figure."""
    worst = [f for f in findings if f.value == gate.measured]
    if not worst:
        return _amount(gate)
    first = min(worst, key=Finding.sort_key)
    where = first.path if first.symbol is None else f"{first.path}:{first.line} {first.symbol}"
    return f"{where} has {_amount(gate)}"


def _on_off_detail(gate: GateResult, findings: Sequence[Finding]) -> str:
    if gate.passed or not findings:
        return gate.summary
    first = min(findings, key=Finding.sort_key)
    more = f" and {len(findings) - 1:,} more" if len(findings) > 1 else ""
    return f"{gate.summary}: {first.path}:{first.line}{more}"


def _note(gate: GateResult) -> str:
    return f" ({gate.note})" if gate.note else ""


def judge(req: Requirement, gate: GateResult | None, findings: Sequence[Finding]) -> ChecklistItem:
    """The verdict on one criterion from its gate's result."""
    criterion, metric = req.criterion, req.metric
    unmeasured = _unmeasured(req)
    if unmeasured or metric is None:
        return _item(criterion, UNMEASURED, unmeasured)
    if gate is None:
        return _item(criterion, UNMEASURED, missing_tool(req.gate) or f"gate {req.gate} did not run")
    note = _note(gate)
    if req.gate == "banned-import":
        return _migration(req, gate, findings, note)
    if metric.option is None or req.limit is None:
        status = PASSED if gate.passed else FAILED
        return _item(criterion, status, _on_off_detail(gate, findings) + note, gate)
    passed, detail = _against_limit(gate, findings, req.limit, metric.upper)
    return _item(criterion, PASSED if passed else FAILED, detail + note, gate, req.limit)


def _unmeasured(req: Requirement) -> str:
    """Why a criterion cannot be judged by this run ("" when it can)."""
    metric = req.metric
    if req.status != SETTABLE or metric is None:
        return req.reason
    if metric.at_test_time:  # gates report cannot measure a limit of the test run
        return f"measured while the tests run: {metric.at_test_time}"
    return ""


def _migration(req: Requirement, gate: GateResult, findings: Sequence[Finding], note: str) -> ChecklistItem:
    """A retired module: met when nothing imports it any more (each line judged on its own
    module, not on the gate's other rules)."""
    modules = sorted({rule["module"] for rule in dict(req.values).get("rules", [])})
    left = [f for f in findings if any(f": {module} is banned" in f.message for module in modules)]
    names = ", ".join(modules)
    if not left:
        return _item(req.criterion, PASSED, f"no import of {names} left{note}", gate)
    first = min(left, key=Finding.sort_key)
    more = f" and {len(left) - 1:,} more" if len(left) > 1 else ""
    plural = "s" if len(left) != 1 else ""
    detail = f"{len(left):,} import{plural} of {names} left: {first.path}:{first.line}{more}{note}"
    return _item(req.criterion, FAILED, detail, gate)


def _against_limit(gate: GateResult, findings: Sequence[Finding], limit: float, upper: bool) -> tuple[bool, str]:
    """(met, what to show) for the gate's measured figure against the criterion's own limit,
    judged by the model's one rule on the figure as the gate shows it."""
    passed = gate.meets(limit, Direction.CEILING if upper else Direction.FLOOR)
    if upper and not passed:
        return passed, _worst(findings, gate)
    return passed, _amount(gate)


def checklist(
    roadmap: str, requirements: Sequence[Requirement], result: RunResult, repository_path: str = ""
) -> Checklist:
    """The roadmap's criteria judged against the run's gates (``repository_path``: the
    roadmap from the top of its git repository; default ``roadmap``)."""
    by_name = {gate.name: gate for gate in result.gates}
    findings: dict[str, list[Finding]] = {}
    for finding in result.findings:
        findings.setdefault(finding.gate, []).append(finding)
    items = tuple(judge(r, by_name.get(r.gate), findings.get(r.gate, [])) for r in requirements)
    named = {r.gate for r in requirements}
    others = tuple(g for g in result.gates if g.name not in named and not g.passed)
    return Checklist(roadmap, repository_path or roadmap, items, others)
