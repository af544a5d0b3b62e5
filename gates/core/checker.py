"""What every checker is: a name, a code, options, examples, and a pure ``check``.

A third-party checker subclasses :class:`Checker` and registers the class under the
entry-point group ``gates.checkers``; the engine treats it exactly like a built-in one.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from gates.model import Direction, Finding, GateResult, Location, judge, shown
from gates.core.source import SourceFile
# Re-exported: a checker declares its options with it (gates.checkers.base exports it too).
from gates.core.options import option as option

# The key under which a whole-project figure (ProjectOutcome.measure) reaches summarize,
# among the per-file measures, which are keyed by path.
PROJECT = ""


@dataclass(frozen=True)
class ProjectFile:
    """A file of the run, as whole-project checkers see it."""

    file: Path
    path: str
    is_test: bool


@dataclass(frozen=True)
class Project:
    """What a whole-project check gets: the root, every file of the run, and the gate's own
    per-file measures keyed by path (what ``measure`` recorded, from the cache too): a gate
    over the whole import graph reads each file's imports there, never parsing a file again."""

    root: Path
    files: tuple[ProjectFile, ...]
    measures: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class ProjectOutcome:
    """What a whole-project check found and measured.

    ``measure`` (picklable, None for nothing) reaches ``summarize`` among the measures,
    keyed :data:`PROJECT`: the gate's verdict is then a function of the findings that
    the baseline and ``--diff`` kept and of this figure, never of state the checker kept.
    Iterating over an outcome gives its findings, as a plain ``check_project`` does.
    """

    findings: tuple[Finding, ...]
    measure: Any = None

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)


def project_measure(measures: Sequence[tuple[str, Any]]) -> Any:
    """The whole-project figure among ``measures`` (see :class:`ProjectOutcome`), or None."""
    return next((value for key, value in measures if key == PROJECT), None)


@dataclass(frozen=True)
class NoOptions:
    """Options of a checker that has none."""


@dataclass(frozen=True)
class Example:
    """A snippet that documents and tests a rule.

    ``fails_at`` lists the lines the checker must flag; empty means the snippet must pass.
    ``options`` overrides the checker's defaults (kebab-case keys, as in pyproject.toml).
    """

    code: str
    fails_at: tuple[int, ...] = ()
    path: str = "example.py"
    options: tuple[tuple[str, Any], ...] = ()

    @property
    def passes(self) -> bool:
        return not self.fails_at


@dataclass(frozen=True)
class FixExample:
    """What ``gates fix`` makes of a snippet: ``before`` becomes ``after`` (``after`` equal
    to ``before``: left alone). ``unsafe``: only with ``gates fix --unsafe``. The fix's
    tests run every one, and ``gates explain`` and the gate pages show them."""

    before: str
    after: str
    unsafe: bool = False
    note: str = ""


class Checker:
    """Base class of all checkers. Subclasses set the class attributes and ``check``.

    A checker is pure: it never prints, exits or writes files. ``check`` yields the
    findings for one file; ``measure`` gives the per-file figure that ``summarize``
    folds into the gate's measured value.
    """

    name: ClassVar[str]
    code: ClassVar[str]
    description: ClassVar[str]
    rationale: ClassVar[str] = ""
    options_type: ClassVar[type[Any]] = NoOptions
    examples: ClassVar[tuple[Example, ...]] = ()
    fix_examples: ClassVar[tuple[FixExample, ...]] = ()  # what `gates fix` does, if anything
    checks_tests: ClassVar[bool] = False
    enabled_by_default: ClassVar[bool] = True
    needs_tree: ClassVar[bool] = True
    # A gate that acts only while the tests run (the pytest plugin); `gates check` has
    # nothing to check for it, so it has no pre-commit hook.
    runtime_only: ClassVar[bool] = False
    # The gate's figure is a total over every file of the project (GT104's annotated
    # slots): when files are named (a commit hook names the staged ones), the figure is
    # still measured over the whole project; findings stay those of the named files.
    project_figure: ClassVar[bool] = False
    unit: ClassVar[str] = "violations"

    def __init__(self, options: Any = None) -> None:
        self.options = options if options is not None else self.options_type()

    def applies_to(self, source: SourceFile) -> bool:
        if source.is_test and not self.checks_tests:
            return False
        return source.tree is not None or not self.needs_tree

    def check(self, source: SourceFile) -> Iterable[Finding]:
        return ()

    def check_options(self) -> str | None:
        """A problem with the configured options, as a fix the user can apply; None if fine."""
        return None

    def measure(self, source: SourceFile) -> Any:
        """A per-file figure (picklable) that ``summarize`` folds into the measured value.

        None means there is nothing to record for this file.
        """
        return None

    def check_project(self, project: Project) -> Iterable[Finding]:
        """Findings that need the whole project at once (a type checker, coverage data).

        Runs once per run, in the main process, after the per-file checks. A gate with a
        whole-project figure returns a :class:`ProjectOutcome` that carries it.
        """
        return ()

    @property
    def threshold(self) -> float:
        return 0.0

    def higher_is_better(self, finding: Finding | None = None) -> bool:
        """Which way a measured value improves: True for a floor (a percentage), False
        for a ceiling (a size, a count). ``finding`` None asks about the gate's own
        ``measured`` figure; a finding's ``value`` may go the other way."""
        return self.unit == "%"

    @property
    def direction(self) -> Direction:
        """The gate's figure as a floor or a ceiling (see :meth:`higher_is_better`)."""
        return Direction.FLOOR if self.higher_is_better() else Direction.CEILING

    def default_text(self) -> str:
        """The default, as ``gates list`` shows it."""
        return "0 allowed"

    def finding(
        self,
        source: SourceFile,
        node: ast.AST | None,
        message: str,
        *,
        value: float | None = None,
        symbol: str | None = None,
        line: int | None = None,
    ) -> Finding:
        if node is not None:
            line = getattr(node, "lineno", 1)
            column = getattr(node, "col_offset", 0) + 1
        else:
            column = 1
        location = Location(source.path, line or 1, column)
        return Finding(self.code, self.name, location, message, value=value, symbol=symbol)

    def summarize(
        self, findings: Sequence[Finding], measures: Sequence[tuple[str, Any]]
    ) -> GateResult:
        """Fold the run's findings and per-file measures into a verdict.

        A pure function of the findings that count (those the baseline and ``--diff``
        kept) and the measures. Default: any finding fails the gate; ``measured`` is the
        number of findings, a ceiling.
        """
        count = len(findings)
        return GateResult(
            name=self.name,
            code=self.code,
            passed=count == 0,
            measured=float(count),
            threshold=self.threshold,
            unit=self.unit,
            violations=count,
            summary=shown(count, self.unit, 0),
            direction=Direction.CEILING,
            precision=0,
        )


class SizeChecker(Checker):
    """A gate on a maximum size: ``measured`` is the largest size seen that is not suppressed."""

    unit = "lines"
    noun: ClassVar[str] = "item"

    @property
    def threshold(self) -> float:
        return float(self.options.max)

    def default_text(self) -> str:
        return f"max {shown(self.options.max, self.unit, 0)}"

    def summarize(
        self, findings: Sequence[Finding], measures: Sequence[tuple[str, Any]]
    ) -> GateResult:
        values = [f.value for f in findings if f.value is not None]
        values += [float(m) for _, m in measures]
        largest = max(values, default=0.0)
        count = len(findings)
        if count:
            worst = max(findings, key=lambda f: f.value or 0.0)
            where = f"{worst.path}:{worst.line}"
            if worst.symbol:
                where += f" {worst.symbol}"
            plural = "s" if count != 1 else ""
            summary = (
                f"{count:,} {self.noun}{plural} over {shown(self.options.max, self.unit, 0)} "
                f"(worst: {where}, {shown(largest, self.unit, 0)})"
            )
        else:
            summary = f"largest {shown(largest, self.unit, 0)} <= {self.options.max:,}"
        within = judge(largest, self.threshold, Direction.CEILING, 0, self.unit)
        return GateResult(
            name=self.name,
            code=self.code,
            passed=count == 0 and within,
            measured=largest,
            threshold=self.threshold,
            unit=self.unit,
            violations=count,
            summary=summary,
            direction=Direction.CEILING,
            precision=0,
        )


class ProjectChecker(Checker):
    """A gate judged from project-wide data (a coverage data file, perf baselines, a test
    run) rather than file by file: off by default, since the data may not exist yet."""

    enabled_by_default = False
    needs_tree = False

    def applies_to(self, source: SourceFile) -> bool:
        return False
