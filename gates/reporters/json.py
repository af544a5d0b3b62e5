"""``--format json``: the machine contract, versioned. See README.md, "JSON output".

Keys are only ever added within a version; ``version`` changes when a key changes
meaning or goes away. The JSON Schema is ``gates/schema/output-v1.json``.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from gates.model import ChecklistItem, Finding, GateResult, RunResult
from gates.reporters import ReportOptions

FORMAT_VERSION = 1


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": finding.code,
        "gate": finding.gate,
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "message": finding.message,
    }
    if finding.value is not None:
        data["value"] = finding.value
    if finding.symbol is not None:
        data["symbol"] = finding.symbol
    return data


def gate_to_dict(gate: GateResult) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": gate.name,
        "code": gate.code,
        "passed": gate.passed,
        "measured": gate.measured,
        "threshold": gate.threshold,
        "unit": gate.unit,
        "direction": gate.direction.value,
        "precision": gate.precision,
        "violations": gate.violations,
        "summary": gate.summary,
    }
    if gate.note:
        data["note"] = gate.note
    if gate.details:
        data["details"] = [{"key": key, "value": value} for key, value in gate.details]
    return data


def criterion_to_dict(item: ChecklistItem) -> dict[str, Any]:
    """A roadmap criterion: where it is written, its verdict, and what was measured."""
    data: dict[str, Any] = {
        "path": item.path, "line": item.line, "text": item.text,
        "status": item.status, "detail": item.detail,
    }
    if item.gate is not None:
        data["gate"] = item.gate
    if item.code is not None:
        data.update(code=item.code, measured=item.measured, unit=item.unit)
    if item.limit is not None:
        data["limit"] = item.limit
    return data


def result_to_dict(result: RunResult) -> dict[str, Any]:
    """The document; a run that measured a roadmap adds ``roadmap`` and ``criteria``."""
    data: dict[str, Any] = {
        "version": FORMAT_VERSION,
        "passed": result.passed,
        "files_checked": result.files_checked,
        "findings": [finding_to_dict(f) for f in result.findings],
        "gates": [gate_to_dict(g) for g in result.gates],
    }
    if result.checklist is not None:
        data["roadmap"] = result.checklist.roadmap
        data["criteria"] = [criterion_to_dict(item) for item in result.checklist.items]
    return data


class JsonReporter:
    """The same document for ``check`` and ``report``; validated by ``gates/schema/output-v1.json``."""

    def __init__(self, options: ReportOptions | None = None) -> None:
        self.options = options or ReportOptions()

    def report(self, result: RunResult, out: TextIO) -> None:
        json.dump(result_to_dict(result), out, indent=2, sort_keys=False)
        out.write("\n")
