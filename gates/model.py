"""The records every part of gates passes around: findings, gate results, a run's result.

This module imports nothing from the rest of gates; everything else imports it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Literal, NamedTuple, cast


class Direction(Enum):
    """Which way a gate's figure is better, and so what its limit is."""

    FLOOR = "floor"  # higher is better: the figure must be at least the limit (coverage)
    CEILING = "ceiling"  # lower is better: the figure must be at most the limit (a size, a count)


def limit_decimals(limit: float) -> int:
    """The decimals a limit is written with: 80 -> 0, 80.25 -> 2 (as coverage.py reads fail-under)."""
    if limit == int(limit):
        return 0
    from decimal import Decimal  # only for a limit with decimals: rare, and not free to import

    return max(0, -int(Decimal(str(limit)).as_tuple().exponent))


def as_shown(value: float, precision: int, unit: str) -> float:
    """``value`` rounded as it is shown with ``precision`` decimals.

    A percentage never rounds up to 100 nor down to 0 unless it is exactly that, as
    coverage.py shows it: 99.996 is 99.99 at two decimals, 0.001 is 0.01.
    """
    rounded = round(value, precision)
    if unit == "%":
        step = 10.0**-precision
        if rounded >= 100.0 and value < 100.0:
            return round(100.0 - step, precision)
        if rounded <= 0.0 and value > 0.0:
            return round(step, precision)
    return rounded


def percent_text(value: float, precision: int | None = None) -> str:
    """A percentage as every gates surface writes it: the number, a space, ``%``.

    With ``precision``, a figure rounded as shown (:func:`as_shown`): ``79.69 %``, ``1,500 %``;
    without, a limit as the user wrote it: ``80 %``, ``80.5 %``. Quotes of another tool's own
    output (pytest-cov's "Required test coverage of 30.0% reached") keep that tool's spelling.
    """
    if precision is None:
        return f"{value:g} %"
    return f"{as_shown(value, precision, '%'):,.{precision}f} %"


def shown(value: float, unit: str, precision: int) -> str:
    """The figure as every surface shows it: ``80 %``, ``79.69 %``, ``1,090 lines``, ``1 print``."""
    if unit == "%":
        return percent_text(value, precision)
    number = f"{as_shown(value, precision, unit):,.{precision}f}"
    if unit in NAMED_UNITS:
        return f"{unit} {number}"  # a measure's name reads before its figure: "complexity 12"
    if as_shown(value, precision, unit) == 1 and unit.endswith("s"):
        unit = unit[:-1]
    return f"{number} {unit}".rstrip()


# Units that name a measure rather than count things.
NAMED_UNITS = frozenset({"complexity"})


def judge(value: float, limit: float, direction: Direction, precision: int, unit: str) -> bool:
    """The one pass/fail rule: True when ``value``, as shown, meets ``limit``.

    The figure is rounded as shown with ``precision`` decimals, or with as many as the
    limit itself is written with when that is more (coverage.py's fail-under rule:
    80.24 fails a floor of 80.25 even at precision 0). A floor of 100 % needs exactly
    100 %, since a percentage is never shown as 100 unless it is. Limits are inclusive.
    """
    figure = as_shown(value, max(precision, limit_decimals(limit)), unit)
    return figure >= limit if direction is Direction.FLOOR else figure <= limit


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

    # Built directly: ``dataclasses.replace`` costs several times more, paid per finding.
    def with_fingerprint(self, fingerprint: str) -> Finding:
        """The same finding carrying ``fingerprint``."""
        return Finding(self.code, self.gate, self.location, self.message, self.value, self.symbol, fingerprint)

    def with_path(self, path: str) -> Finding:
        """The same finding at the same line and column of ``path``."""
        at = self.location
        return Finding(self.code, self.gate, Location(path, at.line, at.column), self.message, self.value,
                       self.symbol, self.fingerprint)


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

    ``direction`` says which way the figure is better (a floor or a ceiling) and
    ``precision`` how many decimals it is shown with; ``measured`` is the figure as
    shown, the one :func:`judge` decided on. Left out (a result built before these
    fields existed), a percentage is a floor shown with 2 decimals and anything else a
    ceiling shown in whole numbers (2 decimals for a fraction).
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
    # None in the constructor means "from the unit"; __post_init__ fills it in.
    direction: Direction = cast(Direction, None)
    precision: int = cast(int, None)

    def __post_init__(self) -> None:
        if self.direction is None:
            default = Direction.FLOOR if self.unit == "%" else Direction.CEILING
            object.__setattr__(self, "direction", default)
        if self.precision is None:
            whole = self.unit != "%" and float(self.measured).is_integer()
            object.__setattr__(self, "precision", 0 if whole else 2)

    @property
    def shown(self) -> str:
        """The figure as every surface shows it, e.g. ``80 %`` at precision 0."""
        return shown(self.measured, self.unit, self.precision)

    def meets(self, limit: float, direction: Direction | None = None) -> bool:
        """The figure judged against ``limit`` (another than the gate's own, e.g. a
        roadmap's) by :func:`judge`; ``direction`` defaults to the gate's."""
        return judge(self.measured, limit, direction or self.direction, self.precision, self.unit)


# GateDoc and ChecklistItem are named tuples, not dataclasses: every run imports this
# module, and a named tuple is defined several times faster (each dataclass costs a
# fraction of a millisecond of a pre-commit hook's start-up).
class GateDoc(NamedTuple):
    """A gate's documentation as machine formats carry it (SARIF rules): its one-line
    description, and its help as plain text and as Markdown (``gates explain``)."""

    code: str
    name: str
    description: str
    text: str
    markdown: str


ChecklistStatus = Literal["passed", "failed", "unmeasured"]


class ChecklistItem(NamedTuple):
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


class Checklist(NamedTuple):
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

    def tally(self, status: ChecklistStatus) -> int:
        """How many criteria have this status."""
        return sum(item.status == status for item in self.items)


@dataclass(frozen=True)
class RunResult:
    """Everything one run of the gates produced.

    Reporters see nothing else, never the disk: ``repository`` is the top of the git
    repository holding ``root`` (CI systems resolve paths against it; empty when the
    root is not in one), ``config_file`` the settings file the run read, relative to
    ``root`` (empty when there was none), ``docs`` the documentation of the run's gates.
    ``checklist`` is the roadmap's checklist when the run measured a roadmap
    (``gates report --roadmap``); its verdict is then the run's.
    """

    root: str
    files_checked: int
    gates: tuple[GateResult, ...]
    findings: tuple[Finding, ...]
    repository: str = ""
    config_file: str = ""
    docs: tuple[GateDoc, ...] = ()
    checklist: Checklist | None = None

    @property
    def passed(self) -> bool:
        if self.checklist is not None:
            return self.checklist.passed
        return all(gate.passed for gate in self.gates)
