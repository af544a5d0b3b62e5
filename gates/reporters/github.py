"""``--format github``: GitHub Actions workflow commands, one ``::error`` annotation per finding.

GitHub shows each annotation on the line in the pull request's diff. Paths are
relative to the repository root, where the runner checks the code out. A gate that
fails without findings is one annotation without a file; the verdict of every gate
ends the output as a notice.
"""

from __future__ import annotations

from typing import TextIO

from gates.model import RunResult
from gates.reporters import ReportOptions
from gates.reporters.checklist import result_verdict
from gates.reporters.printable import printable
from gates.reporters.scorecard import repository_prefix, scorecard_rows, verdict_line


def escape_data(text: str) -> str:
    """The message part of a workflow command (``%``, CR and LF are encoded; any other
    control character from the repository is escaped, as in the text output)."""
    return printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    """A property value (``file=…``): also ``:`` and ``,``, which separate properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _checklist(result: RunResult, out: TextIO) -> None:
    """Each criterion not met (an error) or not measured (a notice) on its roadmap line; then all."""
    checklist = result.checklist
    assert checklist is not None
    path = escape_property(checklist.repository_path)
    for item in checklist.items:
        if item.status == "passed":
            continue
        command, title = ("error", "roadmap criterion not met") if item.status == "failed" else ("notice", "not measured")
        where = f"file={path},line={item.line},title={escape_property(title)}"
        out.write(f"::{command} {where}::{escape_data(f'{item.text} — {item.detail}')}\n")
    lines = [result_verdict(result)] + [
        f"{item.status:10}  {item.where}  {item.text} \u2014 {item.detail}" for item in checklist.items
    ]
    out.write(f"::notice title=gates roadmap::{escape_data(chr(10).join(lines))}\n")


class GithubReporter:
    def __init__(self, options: ReportOptions | None = None) -> None:
        self.options = options or ReportOptions()

    def report(self, result: RunResult, out: TextIO) -> None:
        if result.checklist is not None:
            _checklist(result, out)
            return
        prefix = repository_prefix(result)
        for f in result.findings:
            properties = ",".join(
                [
                    f"file={escape_property(prefix + f.path)}",
                    f"line={f.line}",
                    f"col={f.column}",
                    f"title={escape_property(f'{f.code} {f.gate}')}",
                ]
            )
            out.write(f"::error {properties}::{escape_data(f.message)}\n")
        with_findings = {f.code for f in result.findings}
        rows = scorecard_rows(result)
        for row in rows:
            if not row.gate.passed and row.gate.code not in with_findings:
                title = escape_property(f"{row.gate.code} {row.gate.name}")
                out.write(f"::error title={title}::{escape_data(row.detail)}\n")
        if self.options.quiet:
            return
        lines = [verdict_line(result)] + [
            f"{row.verdict:6}  {row.gate.name} ({row.gate.code}): {row.measured}, limit {row.limit}"
            + (f"; {row.remark}" if row.remark else "")
            for row in rows
        ]
        out.write(f"::notice title=gates::{escape_data(chr(10).join(lines))}\n")
