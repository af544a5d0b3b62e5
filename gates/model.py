"""The records every part of gates passes around: findings, gate results, a run's result.

This module imports nothing from the rest of gates; everything else imports it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Location:
    """A place in a file: root-relative path with ``/`` separators, 1-based line and column."""

    path: str
    line: int = 1
    column: int = 1


@dataclass(frozen=True)
class Finding:
    """One problem a gate found.

    ``value`` is the measured quantity for gates that measure something
    (a function's length, a file's line count); ``symbol`` names the function or
    class the finding is about, when there is one. ``fingerprint`` (``scope|hash``,
    filled in by the engine, see :mod:`gates.adoption.fingerprint`) says what the finding is about
    independently of its line number; the ratchet baseline matches findings by it.
    """

    code: str
    gate: str
    location: Location
    message: str
    value: float | None = None
    symbol: str | None = None
    fingerprint: str = field(default="", compare=False)

    @property
    def path(self) -> str:
        return self.location.path

    @property
    def line(self) -> int:
        return self.location.line

    @property
    def column(self) -> int:
        return self.location.column

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.code)


@dataclass(frozen=True)
class GateResult:
    """The verdict of one gate over a whole run.

    ``measured`` and ``threshold`` are in the same ``unit``: for a counting gate
    (no-print) the number of violations against the number allowed; for a size gate
    (function-length) the largest size seen against the maximum allowed; for a
    percentage gate (coverage) the percentage against the floor.

    ``details`` are per-item figures in the same unit (e.g. per-file percentages),
    which reports show as tables and as the worst offenders. ``note`` says where the
    figure comes from and how fresh it is, for gates that read data produced elsewhere
    ("from .coverage, 2 h old", "no .coverage: run pytest --cov first"); every report
    format shows it next to the verdict.
    """

    name: str
    code: str
    passed: bool
    measured: float
    threshold: float
    unit: str
    violations: int
    summary: str
    details: tuple[tuple[str, float], ...] = field(default=())
    note: str = ""


@dataclass(frozen=True)
class GateDoc:
    """A gate's documentation as machine formats carry it (SARIF rules): its one-line
    description, and its help as plain text and as Markdown (``gates explain``)."""

    code: str
    name: str
    description: str
    text: str
    markdown: str


@dataclass(frozen=True)
class RunResult:
    """Everything one run of the gates produced.

    Reporters see nothing else, never the disk: ``repository`` is the top of the git
    repository holding ``root`` (CI systems resolve paths against it; empty when the
    root is not in one), ``config_file`` the settings file the run read, relative to
    ``root`` (empty when there was none), ``docs`` the documentation of the run's gates.
    """

    root: str
    files_checked: int
    gates: tuple[GateResult, ...]
    findings: tuple[Finding, ...]
    repository: str = ""
    config_file: str = ""
    docs: tuple[GateDoc, ...] = ()

    @property
    def passed(self) -> bool:
        return all(gate.passed for gate in self.gates)
