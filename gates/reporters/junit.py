"""``--format junit``: JUnit XML, one testcase per gate, as CI systems show test results
(for ``report --roadmap``, one per roadmap criterion).

A failing gate is a ``<failure>`` whose text lists its findings; every testcase carries
the measured value and the limit in ``<system-out>`` and as properties.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TextIO

from gates.model import Finding, RunResult
from gates.reporters import ReportOptions
from gates.reporters.scorecard import ScoreRow, project_name, scorecard_rows

# Characters XML 1.0 cannot carry at all, not even escaped (control characters, lone surrogates).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


def _testcase(row: ScoreRow, findings: list[Finding]) -> ET.Element:
    gate = row.gate
    case = ET.Element("testcase", name=xml_text(f"{gate.name} ({gate.code})"), classname="gates")
    properties = ET.SubElement(case, "properties")
    for name, value in (("measured", gate.measured), ("threshold", gate.threshold)):
        ET.SubElement(properties, "property", name=name, value=f"{value:g}")
    ET.SubElement(properties, "property", name="unit", value=xml_text(gate.unit))
    if not gate.passed:
        failure = ET.SubElement(case, "failure", message=xml_text(row.detail), type=gate.code)
        lines = [f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}" for f in findings]
        failure.text = xml_text("\n".join(lines or [row.detail]))
    out = ET.SubElement(case, "system-out")
    out.text = xml_text(f"measured {row.measured}, limit {row.limit}: {row.detail}")
    return case


def checklist_tree(result: RunResult) -> ET.Element:
    """The roadmap's checklist: one testcase per criterion, failed or skipped (not measured)."""
    checklist = result.checklist
    assert checklist is not None
    items = checklist.items
    failed, passed = checklist.tally("failed"), checklist.tally("passed")
    counts = {"tests": str(len(items)), "failures": str(failed), "errors": "0",
              "skipped": str(len(items) - failed - passed)}
    suites = ET.Element("testsuites", {"name": "gates roadmap", **counts})
    suite = ET.SubElement(suites, "testsuite", {"name": xml_text(f"roadmap: {checklist.roadmap}"), **counts})
    for item in items:
        case = ET.SubElement(suite, "testcase", name=xml_text(item.text), classname=xml_text(item.where))
        if item.status == "failed":
            failure = ET.SubElement(case, "failure", message=xml_text(item.detail), type="roadmap")
            failure.text = xml_text(f"{item.where}: {item.text}\n{item.detail}")
        elif item.status != "passed":
            ET.SubElement(case, "skipped", message=xml_text(item.detail))
        ET.SubElement(case, "system-out").text = xml_text(item.detail)
    return suites


def junit_tree(result: RunResult) -> ET.Element:
    rows = scorecard_rows(result)
    failures = str(sum(not row.gate.passed for row in rows))
    counts = {"tests": str(len(rows)), "failures": failures, "errors": "0", "skipped": "0"}
    suites = ET.Element("testsuites", {"name": "gates", **counts})
    suite_name = xml_text(f"gates: {project_name(result.root)}")
    suite = ET.SubElement(suites, "testsuite", {"name": suite_name, **counts})
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", name="files_checked", value=str(result.files_checked))
    by_gate: dict[str, list[Finding]] = {}
    for finding in result.findings:
        by_gate.setdefault(finding.code, []).append(finding)
    for row in rows:
        suite.append(_testcase(row, by_gate.get(row.gate.code, [])))
    return suites


class JunitReporter:
    def __init__(self, options: ReportOptions | None = None) -> None:
        self.options = options or ReportOptions()

    def report(self, result: RunResult, out: TextIO) -> None:
        tree = junit_tree(result) if result.checklist is None else checklist_tree(result)
        ET.indent(tree)
        out.write('<?xml version="1.0" encoding="utf-8"?>\n')
        out.write(ET.tostring(tree, encoding="unicode"))
        out.write("\n")
