"""``--format markdown``: the scorecard as a table, for ``$GITHUB_STEP_SUMMARY`` and PR comments.

Every string from the checked code (paths, symbols, messages) is escaped, so a file
named ``<script>.py`` or ``a|b.py`` shows as its name and cannot break the table.
"""

from __future__ import annotations

import re
from typing import TextIO

from gates.model import Finding, RunResult
from gates.reporters import ReportOptions
from gates.reporters.checklist import result_verdict, status_mark
from gates.reporters.scorecard import ScoreRow, project_name, scorecard_rows, verdict_line

# GitHub caps a step summary at 1 MiB; a findings list this long is read in SARIF anyway.
MAX_FINDINGS = 200
_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md(text: str) -> str:
    """Text safe inside a Markdown table cell: HTML neutralised, punctuation escaped, one line."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _scorecard(rows: list[ScoreRow]) -> list[str]:
    lines = ["| | gate | measured | limit | summary |", "|---|---|---:|---|---|"]
    for row in rows:
        mark = "✅" if row.gate.passed else "❌"
        gate = f"{md(row.gate.name)} ({row.gate.code})"
        lines.append(f"| {mark} | {gate} | {md(row.measured)} | {md(row.limit)} | {md(row.remark)} |")
    return lines


def _offenders(rows: list[ScoreRow]) -> list[str]:
    failing = [row for row in rows if row.offenders and not row.gate.passed]
    if not failing:
        return []
    lines = ["", "### Worst offenders", "", "| gate | where | how bad |", "|---|---|---:|"]
    for row in failing:
        for offender in row.offenders:
            lines.append(f"| {md(row.gate.name)} | {md(offender.where)} | {md(offender.amount)} |")
    return lines


def _findings(findings: tuple[Finding, ...]) -> list[str]:
    if not findings:
        return []
    lines = ["", f"### Findings ({len(findings):,})", "", "| where | code | message |", "|---|---|---|"]
    for finding in findings[:MAX_FINDINGS]:
        where = md(f"{finding.path}:{finding.line}:{finding.column}")
        lines.append(f"| {where} | {finding.code} | {md(finding.message)} |")
    if len(findings) > MAX_FINDINGS:
        lines += ["", f"… and {len(findings) - MAX_FINDINGS:,} more (see `--format json` or `sarif`)."]
    return lines


def _checklist(result: RunResult) -> list[str]:
    """The roadmap's checklist, ticked ✅, crossed ❌ or marked ➖, to paste into its tracking issue."""
    checklist = result.checklist
    assert checklist is not None
    mark = "✅" if checklist.passed else "❌"
    lines = [f"## {mark} Roadmap: {md(checklist.roadmap)}", "", f"**{md(result_verdict(result))}**", ""]
    for item in checklist.items:
        detail = md(item.detail) if item.status != "unmeasured" else f"not measured: {md(item.detail)}"
        limit = f" (limit {md(item.limit_text)})" if item.status == "failed" and item.limit_text else ""
        lines.append(f"- {status_mark(item)} {md(item.text)} \u2014 {detail}{limit} <sub>{md(item.where)}</sub>")
    for gate in checklist.other_failures:
        lines.append(f"- ❌ {md(gate.name)} ({gate.code}) \u2014 {md(gate.summary)}")
    return lines


class MarkdownReporter:
    """The same document for ``check`` and ``report``: scorecard, worst offenders, findings;
    for ``report --roadmap``, the roadmap's checklist."""

    def __init__(self, options: ReportOptions | None = None) -> None:
        self.options = options or ReportOptions()

    def report(self, result: RunResult, out: TextIO) -> None:
        if result.checklist is not None:
            out.write("\n".join(_checklist(result)) + "\n")
            return
        rows = scorecard_rows(result, ascii_only=False)
        mark = "✅" if result.passed else "❌"
        lines = [f"## {mark} gates: {md(project_name(result.root))}", "", f"**{verdict_line(result)}**", ""]
        lines += _scorecard(rows) + _offenders(rows)
        if not self.options.quiet:
            lines += _findings(result.findings)
        out.write("\n".join(lines) + "\n")
