"""Output formats: one module each, all behind :class:`Reporter`.

A format is a class registered under the entry-point group ``gates.reporters``; the
entry point's name is the ``--format`` value. the CLI (:mod:`gates.cli.formats`) builds it with the run's
:class:`ReportOptions` and calls ``report(result, out)``. The built-in formats register
exactly the same way, so a third-party format is one class and one line of packaging::

    [project.entry-points."gates.reporters"]
    teamcity = "my_package.teamcity:TeamCityReporter"
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TextIO

if TYPE_CHECKING:
    from gates.model import RunResult

GROUP = "gates.reporters"
BUILTIN_FORMATS = ("text", "json", "sarif", "junit", "markdown", "github", "html")


@dataclass(frozen=True)
class ReportOptions:
    """How the user asked for the output.

    ``scorecard`` is true for ``gates report`` (one row per gate, worst offenders) and
    false for ``gates check`` (every finding). ``color`` is decided once, from the
    terminal, ``NO_COLOR`` and ``--no-color``; ``terminal`` says the output is an
    interactive terminal. ``cwd`` is where paths shown to a person are relative to.
    """

    scorecard: bool = False
    color: bool = False
    terminal: bool = False
    quiet: bool = False
    verbose: bool = False  # also the per-file tables of gates that keep one (GateResult.details)
    statistics: bool = False  # check: a count per code instead of every finding
    cwd: Path | None = None


class Reporter(Protocol):
    """Writes a run's result to a text stream. Never prints, exits or decides the exit code."""

    def report(self, result: RunResult, out: TextIO) -> None: ...


class ReporterFactory(Protocol):
    """What the entry point names: usually the reporter class itself."""

    def __call__(self, options: ReportOptions) -> Reporter: ...
