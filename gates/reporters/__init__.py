"""Output formats: one module each, all behind :class:`Reporter`.

A format is a class registered under the entry-point group ``gates.reporters``; the
entry point's name is the ``--format`` value. gates builds it with the run's
:class:`ReportOptions` and calls ``report(result, out)``. The built-in formats register
exactly the same way, so a third-party format is one class and one line of packaging::

    [project.entry-points."gates.reporters"]
    teamcity = "my_package.teamcity:TeamCityReporter"
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from typing import Protocol, TextIO

from gates.errors import UsageError
from gates.core.registry import load_plugin
from gates.model import RunResult

GROUP = "gates.reporters"
BUILTIN_FORMATS = ("text", "json", "sarif", "junit", "markdown", "github", "html")
FORMAT_HELP = (
    f"output format: {', '.join(BUILTIN_FORMATS)} (default text), or one a plugin "
    "registers under the gates.reporters entry-point group"
)


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
    cwd: Path | None = None


class Reporter(Protocol):
    """Writes a run's result to a text stream. Never prints, exits or decides the exit code."""

    def report(self, result: RunResult, out: TextIO) -> None: ...


class ReporterFactory(Protocol):
    """What the entry point names: usually the reporter class itself."""

    def __call__(self, options: ReportOptions) -> Reporter: ...


def available_formats() -> list[str]:
    """The registered format names, sorted, without importing any reporter module."""
    return sorted({entry.name for entry in entry_points(group=GROUP)})


def make_reporter(name: str, options: ReportOptions) -> Reporter:
    """The reporter registered as ``name``; an unknown or broken one is a :class:`UsageError`."""
    found = [entry for entry in entry_points(group=GROUP) if entry.name == name]
    if not found:
        known = ", ".join(available_formats()) or "none (is gates installed? pip install -e .)"
        raise UsageError(f"--format: unknown format '{name}'; known formats: {known}")
    entry = found[0]
    reporter: Reporter = load_plugin(entry, "reporter", lambda factory: factory(options))
    if not callable(getattr(reporter, "report", None)):
        raise UsageError(f"reporter plugin '{name}' ({entry.value}) has no report(result, out)")
    if entry.value.startswith("gates."):
        return reporter
    return _Guarded(reporter, f"reporter plugin '{name}' ({entry.value})")


class _Guarded:
    """A third-party reporter whose failure is a one-line error naming it, not a traceback."""

    def __init__(self, reporter: Reporter, label: str) -> None:
        self.reporter = reporter
        self.label = label

    def report(self, result: RunResult, out: TextIO) -> None:
        try:
            self.reporter.report(result, out)
        except (OSError, UsageError):
            raise
        except Exception as exc:
            raise UsageError(
                f"{self.label} failed: {type(exc).__name__}: {exc}; fix or uninstall that package"
            ) from None
