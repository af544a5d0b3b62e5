"""The roadmap checklist for machines: json, sarif, junit and github.

Each criterion keeps its place in the roadmap (path and line), its verdict (``passed``,
``failed`` or ``unmeasured``) and the figure measured; json and sarif also carry the
run's own gates and findings, in the same shape as ``gates report``.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from gates.reporters.github import escape_data, escape_property
from gates.reporters.json import result_to_dict
from gates.reporters.junit import xml_text
from gates.reporters.sarif import sarif_log
from gates.roadmap.checklist import FAILED, PASSED, Checklist, Item

if TYPE_CHECKING:
    from gates.roadmap.render import Render

ROADMAP_RULE = "roadmap"


def _criterion(item: Item) -> dict[str, Any]:
    criterion, gate = item.criterion, item.gate
    data: dict[str, Any] = {
        "path": criterion.path, "line": criterion.line, "text": criterion.text,
        "status": item.status, "detail": item.detail,
    }
    if criterion.metric is not None:
        data["gate"] = criterion.metric.gate
    if gate is not None:
        data.update(code=gate.code, measured=gate.measured, unit=gate.unit)
    if item.limit is not None:
        data["limit"] = item.limit
    return data


def render_json(report: Checklist, out: TextIO, roadmap: Path) -> None:
    document = result_to_dict(report.result)
    document["passed"] = report.passed
    document["roadmap"] = report.roadmap
    document["criteria"] = [_criterion(item) for item in report.items]
    json.dump(document, out, indent=2)
    out.write("\n")


def _in_repository(report: Checklist, roadmap: Path) -> str:
    """The roadmap's path from the top of the git repository, as CI systems resolve paths."""
    relative = os.path.relpath(roadmap, report.result.repository or report.result.root)
    return roadmap.as_posix() if relative.startswith("..") else Path(relative).as_posix()


def _sarif_result(item: Item, uri: str, index: int) -> dict[str, Any]:
    kind, level = {PASSED: ("pass", "none"), FAILED: ("fail", "error")}.get(item.status, ("review", "note"))
    words = {PASSED: "met", FAILED: "not met"}.get(item.status, "not measured")
    region = {"startLine": item.criterion.line}
    return {
        "ruleId": ROADMAP_RULE, "ruleIndex": index, "kind": kind, "level": level,
        "message": {"text": f"Roadmap criterion {words}: {item.criterion.text} \u2014 {item.detail}"},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"}, "region": region}}],
        "properties": _criterion(item),
    }


def render_sarif(report: Checklist, out: TextIO, roadmap: Path) -> None:
    log = sarif_log(report.result)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    rules.append({
        "id": ROADMAP_RULE, "name": "roadmap-criterion",
        "shortDescription": {"text": "a measurable criterion written in the project's roadmap"},
        "defaultConfiguration": {"level": "error"},
    })
    uri = _in_repository(report, roadmap)
    run["results"] += [_sarif_result(item, uri, len(rules) - 1) for item in report.items]
    run["properties"]["passed"] = report.passed
    json.dump(log, out, indent=2)
    out.write("\n")


def render_junit(report: Checklist, out: TextIO, roadmap: Path) -> None:
    counts = {
        "tests": str(len(report.items)), "failures": str(report.count(FAILED)),
        "errors": "0", "skipped": str(len(report.items) - report.count(FAILED) - report.count(PASSED)),
    }
    suites = ET.Element("testsuites", {"name": "gates roadmap", **counts})
    suite = ET.SubElement(suites, "testsuite", {"name": xml_text(f"roadmap: {report.roadmap}"), **counts})
    for item in report.items:
        case = ET.SubElement(suite, "testcase", name=xml_text(item.criterion.text),
                             classname=xml_text(item.criterion.where))
        if item.status == FAILED:
            failure = ET.SubElement(case, "failure", message=xml_text(item.detail), type="roadmap")
            failure.text = xml_text(f"{item.criterion.where}: {item.criterion.text}\n{item.detail}")
        elif item.status != PASSED:
            ET.SubElement(case, "skipped", message=xml_text(item.detail))
        ET.SubElement(case, "system-out").text = xml_text(item.detail)
    ET.indent(suites)
    out.write('<?xml version="1.0" encoding="utf-8"?>\n')
    out.write(ET.tostring(suites, encoding="unicode") + "\n")


def render_github(report: Checklist, out: TextIO, roadmap: Path) -> None:
    path = escape_property(_in_repository(report, roadmap))
    for item in report.items:
        if item.status == PASSED:
            continue
        command, title = ("error", "roadmap criterion not met") if item.status == FAILED else ("notice", "not measured")
        where = f"file={path},line={item.criterion.line},title={escape_property(title)}"
        out.write(f"::{command} {where}::{escape_data(f'{item.criterion.text} — {item.detail}')}\n")
    lines = [report.verdict()] + [
        f"{item.status:10}  {item.criterion.where}  {item.criterion.text} \u2014 {item.detail}"
        for item in report.items
    ]
    out.write(f"::notice title=gates roadmap::{escape_data(chr(10).join(lines))}\n")


FORMATS: dict[str, Render] = {
    "json": render_json, "sarif": render_sarif, "junit": render_junit, "github": render_github,
}
