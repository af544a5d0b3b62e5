"""``--format sarif``: SARIF 2.1.0, as GitHub code scanning and other viewers read it.

One rule per gate of the run, its help written from the checker's own description,
rationale and examples (what ``gates explain`` shows); one result per finding, located
relative to the repository root (``%SRCROOT%``). A gate that fails without findings
(a project-wide figure under its floor) is one result on the project's pyproject.toml.
The gates' measured values travel in the run's property bag.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from gates import __version__
from gates.model import ChecklistItem, Finding, GateDoc, GateResult, RunResult
from gates.reporters import ReportOptions
from gates.reporters.json import criterion_to_dict, gate_to_dict
from gates.reporters.scorecard import repository_prefix

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
ROADMAP_RULE = "roadmap"


def _rule_help(gate: GateResult, docs: dict[str, GateDoc]) -> tuple[str, str, str]:
    """(description, help as text, help as Markdown) from the checker's own documentation."""
    doc = docs.get(gate.code)
    if doc is None:  # a result from elsewhere: say what we know
        return gate.name, gate.summary, gate.summary
    return doc.description, doc.text, doc.markdown


def _rule(gate: GateResult, docs: dict[str, GateDoc]) -> dict[str, Any]:
    description, text, markdown = _rule_help(gate, docs)
    return {
        "id": gate.code,
        "name": gate.name,
        "shortDescription": {"text": description[:1024]},
        "fullDescription": {"text": description[:1024]},
        "help": {"text": text, "markdown": markdown},
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": ["maintainability", "gates"], "precision": "very-high"},
    }


def _artifact(path: str, prefix: str) -> dict[str, Any]:
    if Path(path).is_absolute():
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(prefix + path), "uriBaseId": SRCROOT}


def _location(path: str, prefix: str, line: int = 1, column: int = 1) -> dict[str, Any]:
    region = {"startLine": line, "startColumn": column}
    return {"physicalLocation": {"artifactLocation": _artifact(path, prefix), "region": region}}


def _finding_result(finding: Finding, index: int, prefix: str) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": index,
        "level": "error",
        "message": {"text": finding.message},
        "locations": [_location(finding.path, prefix, finding.line, finding.column)],
    }
    properties: dict[str, Any] = {}
    if finding.value is not None:
        properties["value"] = finding.value
    if finding.symbol is not None:
        properties["symbol"] = finding.symbol
    if properties:
        result["properties"] = properties
    return result


def _gate_result(gate: GateResult, index: int, config_file: str, prefix: str) -> dict[str, Any]:
    """A failing gate with no finding to show: the verdict itself, on the project's config."""
    text = f"{gate.name}: {gate.summary}" + (f" ({gate.note})" if gate.note else "")
    result: dict[str, Any] = {"ruleId": gate.code, "ruleIndex": index, "level": "error", "message": {"text": text}}
    if config_file:
        result["locations"] = [_location(config_file, prefix)]
    return result


def _criterion_result(item: ChecklistItem, uri: str, index: int) -> dict[str, Any]:
    """A roadmap criterion on its roadmap line: pass, fail, or review (not measured)."""
    kind, level = {"passed": ("pass", "none"), "failed": ("fail", "error")}.get(item.status, ("review", "note"))
    words = {"passed": "met", "failed": "not met"}.get(item.status, "not measured")
    return {
        "ruleId": ROADMAP_RULE, "ruleIndex": index, "kind": kind, "level": level,
        "message": {"text": f"Roadmap criterion {words}: {item.text} \u2014 {item.detail}"},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": uri, "uriBaseId": SRCROOT}, "region": {"startLine": item.line}}}],
        "properties": criterion_to_dict(item),
    }


def _add_checklist(result: RunResult, run: dict[str, Any]) -> None:
    """The roadmap's criteria (``gates report --roadmap``): one rule, one result per criterion."""
    if result.checklist is None:
        return
    rules = run["tool"]["driver"]["rules"]
    rules.append({
        "id": ROADMAP_RULE, "name": "roadmap-criterion",
        "shortDescription": {"text": "a measurable criterion written in the project's roadmap"},
        "defaultConfiguration": {"level": "error"},
    })
    uri = result.checklist.repository_path
    run["results"] += [_criterion_result(item, uri, len(rules) - 1) for item in result.checklist.items]


def _results(result: RunResult, prefix: str) -> list[dict[str, Any]]:
    """One result per finding, and one per failing gate that has none to show."""
    index = {gate.code: position for position, gate in enumerate(result.gates)}
    results = [_finding_result(f, index.get(f.code, -1), prefix) for f in result.findings]
    with_findings = {f.code for f in result.findings}
    results += [
        _gate_result(gate, index[gate.code], result.config_file, prefix)
        for gate in result.gates
        if not gate.passed and gate.code not in with_findings
    ]
    return results


def sarif_log(result: RunResult) -> dict[str, Any]:
    prefix = repository_prefix(result)
    docs = {doc.code: doc for doc in result.docs}
    results = _results(result, prefix)
    top = Path(result.repository or result.root).as_uri().rstrip("/") + "/"
    driver = {
        "name": "gates",
        "version": __version__,
        "semanticVersion": __version__,
        "rules": [_rule(gate, docs) for gate in result.gates],
    }
    run = {
        "tool": {"driver": driver},
        "originalUriBaseIds": {SRCROOT: {"uri": top}},
        "invocations": [{"executionSuccessful": True}],
        "results": results,
        "properties": {
            "passed": result.passed,
            "filesChecked": result.files_checked,
            "gates": [gate_to_dict(g) for g in result.gates],
        },
    }
    _add_checklist(result, run)
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


class SarifReporter:
    needs_docs = True  # rules carry each gate's help: the CLI fills RunResult.docs for it

    def __init__(self, options: ReportOptions | None = None) -> None:
        self.options = options or ReportOptions()

    def report(self, result: RunResult, out: TextIO) -> None:
        json.dump(sarif_log(result), out, indent=2)
        out.write("\n")
