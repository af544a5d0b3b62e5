"""The default human output: one ``path:line:col: CODE message`` line per finding,
then one summary line per gate."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TextIO

from gates.model import GateResult, RunResult
from gates.percent import format_percent

_RED, _GREEN, _BOLD, _DIM, _RESET = "\033[31m", "\033[32m", "\033[1m", "\033[2m", "\033[0m"


def use_color(out: TextIO, no_color: bool = False) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if no_color or os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(out, "isatty", None)
    return bool(isatty and isatty())


class TextReporter:
    def __init__(
        self, *, color: bool = False, quiet: bool = False, cwd: Path | None = None,
        verbose: bool = False,
    ):
        self.color = color
        self.quiet = quiet
        self.cwd = cwd
        self.verbose = verbose

    def _paint(self, text: str, style: str) -> str:
        return f"{style}{text}{_RESET}" if self.color else text

    def _display_path(self, root: Path, path: str) -> str:
        """Paths relative to where the user stands, so they can be clicked and opened."""
        if self.cwd is None:
            return path
        return os.path.relpath(root / path, self.cwd) if not os.path.isabs(path) else path

    def _details(self, root: Path, gate: GateResult, out: TextIO) -> None:
        """The gate's per-file figures (already worst first), as ``-v`` shows them."""
        if not self.verbose:
            return
        for path, value in gate.details:
            if gate.unit == "%":
                figure = f"{format_percent(value):>6} %"
            else:
                figure = f"{value:>8,.0f} {gate.unit}"
            out.write(f"    {figure}  {self._display_path(root, path)}\n")

    def report(self, result: RunResult, out: TextIO) -> None:
        root = Path(result.root)
        for finding in result.findings:
            where = f"{self._display_path(root, finding.path)}:{finding.line}:{finding.column}:"
            code = self._paint(finding.code, _BOLD + _RED)
            out.write(f"{self._paint(where, _BOLD)} {code} {finding.message}\n")
        if self.quiet:
            return
        if result.findings:
            out.write("\n")
        width = max((len(g.name) + len(g.code) for g in result.gates), default=0) + 3
        for gate in result.gates:
            label = f"{gate.name} ({gate.code})".ljust(width)
            verdict = self._paint("passed", _GREEN) if gate.passed else self._paint("FAILED", _RED)
            out.write(f"{label} {verdict}  {gate.summary}\n")
            self._details(root, gate, out)
        files = f"{result.files_checked} file{'s' if result.files_checked != 1 else ''}"
        failed = sum(not g.passed for g in result.gates)
        if failed:
            line = f"{failed} of {len(result.gates)} gates failed ({files} checked)"
            out.write(self._paint(line, _BOLD + _RED) + "\n")
        else:
            line = f"all {len(result.gates)} gates passed ({files} checked)"
            out.write(self._paint(line, _BOLD + _GREEN) + "\n")
