"""The default human output.

``gates check``: one ``path:line:col: CODE message`` line per finding, then one summary
line per gate. ``gates report``: the scorecard, one aligned row per gate with its
measured value, limit and verdict, then each failing gate's worst offenders. On an
interactive terminal the scorecard is drawn by :mod:`gates.reporters.terminal` (rich);
anywhere else it is plain text, so it can be diffed, grepped and pasted.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TextIO

from gates.model import Finding, GateResult, RunResult
from gates.reporters import ReportOptions
from gates.reporters.places import relocated
from gates.reporters.printable import printable
from gates.reporters.checklist import item_line, result_verdict, status_word
from gates.reporters.scorecard import ScoreRow, item_value, project_name, scorecard_rows, verdict_line

_RED, _GREEN, _BOLD, _DIM, _RESET = "\033[31m", "\033[32m", "\033[1m", "\033[2m", "\033[0m"
_HEADINGS = ("gate", "code", "measured", "limit", "verdict", "summary")


def use_color(out: TextIO, no_color: bool = False) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if no_color or os.environ.get("NO_COLOR"):
        return False
    return is_terminal(out)


def is_terminal(out: TextIO) -> bool:
    isatty = getattr(out, "isatty", None)
    return bool(isatty and isatty())


def _offender_lines(rows: list[ScoreRow]) -> list[tuple[str, str, str]]:
    """(gate name on its first line only, where, how bad) for each worst offender."""
    return [
        (row.gate.name if index == 0 else "", printable(offender.where), offender.amount)
        for row in rows
        for index, offender in enumerate(row.offenders)
    ]


class TextReporter:
    def __init__(self, options: ReportOptions | None = None) -> None:
        self.options = options or ReportOptions()

    def _paint(self, text: str, style: str) -> str:
        return f"{style}{text}{_RESET}" if self.options.color else text

    @staticmethod
    def _display_path(path: str) -> str:
        return printable(path)

    def _details(self, gate: GateResult, out: TextIO) -> None:
        """The gate's per-file figures (already worst first), as ``-v`` shows them."""
        if not self.options.verbose:
            return
        for path, value in gate.details:
            figure = f"{item_value(value, gate):>8}"
            out.write(f"    {figure}  {self._display_path(path)}\n")

    def report(self, result: RunResult, out: TextIO) -> None:
        result = relocated(result, self.options.cwd)  # every path from where the user stands
        if result.checklist is not None and self.options.terminal:
            from gates.reporters.terminal import draw_checklist

            draw_checklist(result, out, color=self.options.color)
        elif result.checklist is not None:
            self._checklist(result, out)
        elif not self.options.scorecard:
            self._findings(result, out)
        elif self.options.terminal and not self.options.quiet:
            from gates.reporters.terminal import draw_scorecard

            draw_scorecard(result, out, color=self.options.color)
        else:
            self._scorecard(result, out)

    @staticmethod
    def _checklist(result: RunResult, out: TextIO) -> None:
        """The roadmap's checklist: one aligned line per criterion, then the verdict."""
        checklist = result.checklist
        assert checklist is not None
        files = result.files_checked
        out.write(f"gates report --roadmap {printable(checklist.roadmap)}: {project_name(result.root)}"
                  f" ({files:,} file{'s' if files != 1 else ''})\n\n")
        width = max((len(printable(item.where)) for item in checklist.items), default=0)
        for item in checklist.items:
            out.write(f"{status_word(item):<12}  {printable(item.where):<{width}}  {item_line(item)}\n")
        for gate in checklist.other_failures:
            out.write(f"{'FAILED':<12}  {'':<{width}}  {gate.name} ({gate.code}) \u2014 {gate.summary}\n")
        out.write(f"\n{result_verdict(result)}\n")

    def _findings(self, result: RunResult, out: TextIO) -> None:
        if self.options.statistics:
            from gates.reporters.scorecard import statistics_lines

            out.writelines(statistics_lines(result.findings))
        else:
            out.writelines(self._finding_lines(result.findings))
        if self.options.quiet:
            return
        if result.findings:
            out.write("\n")
        width = max((len(g.name) + len(g.code) for g in result.gates), default=0) + 3
        for gate in result.gates:
            label = f"{gate.name} ({gate.code})".ljust(width)
            verdict = self._paint("passed", _GREEN) if gate.passed else self._paint("FAILED", _RED)
            detail = f"{gate.summary} ({gate.note})" if gate.note else gate.summary
            out.write(f"{label} {verdict}  {printable(detail)}\n")
            self._details(gate, out)
        self._verdict(result, out)

    def _finding_lines(self, findings: Sequence[Finding]) -> list[str]:
        shown: dict[str, str] = {}  # a file's findings come together: one path join per file
        lines = []
        for finding in findings:
            path = shown.get(finding.path)
            if path is None:
                path = shown[finding.path] = self._display_path(finding.path)
            where = self._paint(f"{path}:{finding.line}:{finding.column}:", _BOLD)
            code = self._paint(finding.code, _BOLD + _RED)
            lines.append(f"{where} {code} {printable(finding.message)}\n")
        return lines

    def _verdict(self, result: RunResult, out: TextIO) -> None:
        style = _BOLD + (_GREEN if result.passed else _RED)
        out.write(self._paint(verdict_line(result), style) + "\n")

    def _scorecard(self, result: RunResult, out: TextIO) -> None:
        rows = scorecard_rows(result)
        if self.options.quiet:  # -q: only what needs attention
            rows = [row for row in rows if row.verdict != "passed"]
        files = f"{result.files_checked:,} file{'s' if result.files_checked != 1 else ''}"
        out.write(f"gates report: {project_name(result.root)} ({files})\n\n")
        if rows:
            self._table(rows, out)
        self._offenders(rows, out)
        if self.options.verbose:
            for gate in result.gates:
                if gate.details:
                    out.write(f"\n{gate.name} per file\n")
                    self._details(gate, out)
        out.write("\n")
        self._verdict(result, out)

    def _table(self, rows: list[ScoreRow], out: TextIO) -> None:
        """One aligned line per gate; the last column is left ragged."""
        table = [_HEADINGS] + [
            (r.gate.name, r.gate.code, r.measured, r.limit, r.verdict, r.remark) for r in rows
        ]
        widths = [max(len(line[i]) for line in table) for i in range(len(_HEADINGS) - 1)]
        for index, line in enumerate(table):
            cells = [cell.ljust(width) for cell, width in zip(line, widths)]
            if index:
                cells[4] = self._paint(cells[4], _GREEN if line[4] == "passed" else _RED)
            out.write("  ".join([*cells, line[-1]]).rstrip() + "\n")

    def _offenders(self, rows: list[ScoreRow], out: TextIO) -> None:
        failing = [row for row in rows if row.offenders and row.verdict == "FAILED"]
        if not failing:
            return
        out.write("\nworst offenders\n")
        lines = _offender_lines(failing)
        name_width = max(len(line[0]) for line in lines)
        where_width = max(len(line[1]) for line in lines)
        for name, where, amount in lines:
            out.write(f"  {name.ljust(name_width)}  {where.ljust(where_width)}  {amount}\n")
