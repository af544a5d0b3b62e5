"""The records every part of gates passes around: findings, gate results, a run's result.

This module imports nothing from the rest of gates; everything else imports it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


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


ChecklistStatus = Literal["passed", "failed", "unmeasured"]


@dataclass(frozen=True)
class ChecklistItem:
    """One criterion of a roadmap, judged: ``gates report --roadmap``.

    ``path`` and ``line`` place the criterion in the roadmap (the path as the user gave
    it); ``text`` is the criterion as written. ``status`` is ``passed`` (ticked),
    ``failed`` or ``unmeasured`` (not a criterion gates can measure here; ``detail`` says
    why). ``detail`` is what was measured, for a person ("83.40 %", "relays.py has 2,119
    lines"). ``gate`` names the gate the criterion maps to, when it maps to one; ``code``,
    ``measured`` and ``unit`` are that gate's, present when it ran. ``limit`` is the
    criterion's own limit in ``unit`` (``limit_text`` as shown: "≤ 799 lines"), when it
    has one.
    """

    path: str
    line: int
    text: str
    status: ChecklistStatus
    detail: str
    gate: str | None = None
    code: str | None = None
    measured: float | None = None
    unit: str = ""
    limit: float | None = None
    limit_text: str = ""

    @property
    def where(self) -> str:
        """``ROADMAP.md:12``."""
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Checklist:
    """A roadmap's criteria, each judged by measurement, in the roadmap's order.

    ``roadmap`` is the roadmap's path as the user gave it; ``repository_path`` is the
    same file from the top of its git repository, as CI systems (code scanning,
    workflow annotations) resolve paths. ``other_failures`` are failing gates no
    criterion names (a file that does not parse), which fail the checklist too.
    """

    roadmap: str
    repository_path: str
    items: tuple[ChecklistItem, ...]
    other_failures: tuple[GateResult, ...] = ()

    @property
    def passed(self) -> bool:
        return not self.other_failures and all(item.status != "failed" for item in self.items)

    def count(self, status: ChecklistStatus) -> int:
        return sum(item.status == status for item in self.items)


@dataclass(frozen=True)
class RunResult:
    """Everything one run of the gates produced.

    ``checklist`` is the roadmap's checklist when the run measured a roadmap
    (``gates report --roadmap``); its verdict is then the run's.
    """

    root: str
    files_checked: int
    gates: tuple[GateResult, ...]
    findings: tuple[Finding, ...]
    checklist: Checklist | None = None

    @property
    def passed(self) -> bool:
        if self.checklist is not None:
            return self.checklist.passed
        return all(gate.passed for gate in self.gates)
