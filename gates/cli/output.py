"""Where a run's result goes: the chosen format, to stdout or atomically to ``--output FILE``.

The command line calls :func:`open_output` before the audit (so a wrong ``--format``
fails at once, not after minutes of checking) and :meth:`Output.write` after it.
"""

from __future__ import annotations

import dataclasses
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from gates.core.files import is_stdout, write_output
from gates.model import RunResult
from gates.cli.formats import make_reporter
from gates.reporters import Reporter, ReportOptions
from gates.reporters.text import is_terminal, use_color

if TYPE_CHECKING:
    from gates.reporters.terminal import DelayedProgress



@dataclass(frozen=True)
class Output:
    reporter: Reporter
    path: Path | None  # None or "-": the standard output
    stream: TextIO

    def write(self, result: RunResult) -> None:
        if not result.docs and getattr(self.reporter, "needs_docs", False):
            from gates.core.docs import gate_docs

            result = dataclasses.replace(result, docs=gate_docs(gate.code for gate in result.gates))
        write_output(self.path, lambda handle: self.reporter.report(result, handle), self.stream)


def open_output(
    fmt: str,
    path: Path | None,
    stream: TextIO,
    *,
    scorecard: bool = False,
    no_color: bool = False,
    quiet: bool = False,
    verbose: bool = False,
    statistics: bool = False,
) -> Output:
    """The reporter for ``fmt``, set up for where it writes (colour only on a terminal)."""
    to_stream = is_stdout(path)
    options = ReportOptions(
        scorecard=scorecard,
        color=to_stream and use_color(stream, no_color),
        terminal=to_stream and is_terminal(stream),
        quiet=quiet,
        verbose=verbose,
        statistics=statistics,
        cwd=Path.cwd(),
    )
    return Output(make_reporter(fmt, options), None if to_stream else path, stream)


def progress_for(stream: TextIO | None = None) -> DelayedProgress | None:
    """A delayed progress bar on ``stream`` (stderr) when it is a terminal; else None."""
    stream = stream or sys.stderr
    if not is_terminal(stream):
        return None
    from gates.reporters.terminal import DelayedProgress

    return DelayedProgress(stream)
