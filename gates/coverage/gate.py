"""GT301's decision: coverage figures + options (+ changed lines) -> findings and a verdict.

Pure and shared: ``gates check`` (through the checker) and the pytest plugin both call
:func:`evaluate`, so the two can never judge the same data differently.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from gates.coverage.figures import CoverageFigures, FileCoverage, fails_under
from gates.core.runtime_options import CoverageOptions
from gates.model import limit_decimals, percent_text

if TYPE_CHECKING:
    from gates.model import Finding, GateResult

NAME, CODE = "coverage", "GT301"
# How a changed-lines finding's message starts: such findings fail the gate only with
# the changed-lines figure (they are listed even when that figure passes).
UNCOVERED = "changed lines not covered: "


class CoverageMeasure(NamedTuple):
    """What GT301 measured, as the checker hands it to ``summarize`` (see
    :class:`gates.core.checker.ProjectOutcome`): the figures the verdict is judged on,
    whatever the baseline and ``--diff`` keep of the findings."""

    total: float
    precision: int  # coverage.py's [report] precision
    kind: str  # "line" or "branch"
    data_file: str
    files_under_min: int  # before any review
    diff_base: str | None = None  # None: no changed-lines figure
    diff_covered: int = 0
    diff_total: int = 0
    note: str = ""  # where the figures come from and how fresh they are (GateResult.note)

    @property
    def diff_percent(self) -> float:
        return 100.0 * self.diff_covered / self.diff_total if self.diff_total else 100.0


def total_precision(precision: int, floor: float) -> int:
    """Decimals the total is shown and judged with: coverage.py's, or the floor's own when
    it has more (80.25 is judged at 2 decimals, as coverage.py's fail-under rule does)."""
    return max(precision, limit_decimals(floor))


class FileChanges(NamedTuple):
    """Changed lines of one measured file that coverage.py counts as statements."""

    path: str
    covered: tuple[int, ...]
    uncovered: tuple[int, ...]


class DiffCoverage(NamedTuple):
    base: str
    files: tuple[FileChanges, ...]

    @property
    def covered(self) -> int:
        return sum(len(f.covered) for f in self.files)

    @property
    def total(self) -> int:
        return self.covered + sum(len(f.uncovered) for f in self.files)

    @property
    def percent(self) -> float:
        return 100.0 * self.covered / self.total if self.total else 100.0


def diff_coverage(
    figures: CoverageFigures, changed: Mapping[str, set[int]], base: str
) -> DiffCoverage:
    """Match changed lines (by absolute path) against the measured statements."""
    files = []
    for measured in figures.files:
        lines = changed.get(os.path.realpath(measured.file))
        if not lines:
            continue
        covered = tuple(sorted(lines & measured.executed))
        uncovered = tuple(sorted(lines & measured.missing))
        if covered or uncovered:
            files.append(FileChanges(measured.path, covered, uncovered))
    return DiffCoverage(base, tuple(files))


def line_ranges(lines: Iterable[int]) -> str:
    """1, 2, 3, 7 -> "1-3, 7"."""
    ranges: list[list[int]] = []
    for line in sorted(lines):
        if ranges and line == ranges[-1][1] + 1:
            ranges[-1][1] = line
        else:
            ranges.append([line, line])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in ranges)


class Verdict(NamedTuple):
    """Everything the gate decided. ``findings()`` and ``result()`` build the records
    reporters take (gates.model is imported only then: the plugin needs neither)."""

    figures: CoverageFigures
    options: CoverageOptions
    total_failed: bool
    low_files: tuple[FileCoverage, ...]
    diff: DiffCoverage | None
    diff_failed: bool
    summary: str

    @property
    def failures(self) -> int:
        return int(self.total_failed) + len(self.low_files) + int(self.diff_failed)

    @property
    def passed(self) -> bool:
        return self.failures == 0

    def findings(self) -> list[Finding]:
        return _findings(self.figures, self.options, self.total_failed, self.low_files, self.diff)

    def measure(self) -> CoverageMeasure:
        """The figures behind the verdict, for a stateless ``summarize``."""
        figures, diff = self.figures, self.diff
        return CoverageMeasure(
            figures.total, figures.precision, figures.kind, figures.data_file,
            len(self.low_files), diff.base if diff else None,
            diff.covered if diff else 0, diff.total if diff else 0,
        )

    def result(self) -> GateResult:
        """The gate's result, judged by :func:`judged` from the findings and the measure."""
        return judged(self.measure(), self.options, self.findings())


def judged(measure: CoverageMeasure, options: CoverageOptions, findings: Sequence[Finding]) -> GateResult:
    """GT301's verdict as a pure function of the figures and the findings that count.

    The total and the changed-lines figure are judged against their floors by the model's
    rule; a file under ``min-file`` fails the gate only while its finding counts (the
    baseline knows it, or ``--diff`` leaves it out: it does not).
    """
    from gates.model import Direction, GateResult, as_shown, judge

    precision = total_precision(measure.precision, options.fail_under)
    total_failed = not judge(measure.total, options.fail_under, Direction.FLOOR, precision, "%")
    diff_failed = measure.diff_total > 0 and fails_under(
        measure.diff_percent, options.diff_fail_under, measure.precision
    )
    total_finding = [f for f in findings if f.path == measure.data_file and f.line == 1]
    low = sorted(
        ((f.path, f.value) for f in findings
         if f.value is not None and not f.message.startswith(UNCOVERED) and f not in total_finding),
        key=lambda row: (row[1], row[0]),
    )
    failures = int(total_failed) + len(low) + int(diff_failed)
    return GateResult(
        name=NAME,
        code=CODE,
        passed=failures == 0,
        measured=as_shown(measure.total, precision, "%"),
        threshold=options.fail_under,
        unit="%",
        violations=failures,
        summary=_summary(measure, options, total_failed, low, diff_failed),
        details=tuple(low),
        direction=Direction.FLOOR,
        precision=precision,
    )


def _findings(
    figures: CoverageFigures,
    options: CoverageOptions,
    total_failed: bool,
    low: Iterable[FileCoverage],
    diff: DiffCoverage | None,
) -> list[Finding]:
    from gates.model import Finding, Location

    found = []
    precision = figures.precision
    if total_failed:
        shown = percent_text(figures.total, total_precision(precision, options.fail_under))
        message = (
            f"total {figures.kind} coverage {shown} is below "
            f"fail-under {percent_text(options.fail_under)}"
        )
        found.append(Finding(CODE, NAME, Location(figures.data_file), message, figures.total))
    for f in low:
        message = (f"file coverage {percent_text(f.percent, precision)} is below "
                   f"min-file {percent_text(options.min_file)}")
        found.append(Finding(CODE, NAME, Location(f.path), message, f.percent))
    for changes in diff.files if diff else ():
        if changes.uncovered:
            count = len(changes.covered) + len(changes.uncovered)
            message = (
                f"{UNCOVERED}{line_ranges(changes.uncovered)} "
                f"({len(changes.covered)} of {count} changed lines covered)"
            )
            where = Location(changes.path, changes.uncovered[0])
            found.append(Finding(CODE, NAME, where, message, float(len(changes.uncovered))))
    return found


def _summary(
    measure: CoverageMeasure,
    options: CoverageOptions,
    total_failed: bool,
    low: Sequence[tuple[str, float]],
    diff_failed: bool,
) -> str:
    sign = "<" if total_failed else ">="
    precision = measure.precision
    total = percent_text(measure.total, total_precision(precision, options.fail_under))
    floor = f"{sign} {percent_text(options.fail_under)}" if options.fail_under else "(no floor set)"
    parts = [f"total {total} {floor} ({measure.kind})"]
    if low:
        worst = ", ".join(f"{path} {percent_text(pc, precision)}" for path, pc in low[:3])
        more = f" and {len(low) - 3} more" if len(low) > 3 else ""
        noun = "file" if len(low) == 1 else "files"
        parts.append(f"{len(low)} {noun} < min-file {percent_text(options.min_file)}: {worst}{more}")
    elif options.min_file > 0 and not measure.files_under_min:
        parts.append(f"every file >= {percent_text(options.min_file)}")
    if measure.diff_base is not None:
        parts.append(_diff_summary(measure, options, diff_failed))
    return "; ".join(parts)


def _diff_summary(measure: CoverageMeasure, options: CoverageOptions, diff_failed: bool) -> str:
    if not measure.diff_total:
        return f"no changed statements since {measure.diff_base}"
    sign = "<" if diff_failed else ">="
    return (
        f"changed lines {percent_text(measure.diff_percent, measure.precision)} {sign} "
        f"{percent_text(options.diff_fail_under)} "
        f"({measure.diff_covered} of {measure.diff_total} since {measure.diff_base})"
    )


def evaluate(
    figures: CoverageFigures,
    options: CoverageOptions,
    changed: Mapping[str, set[int]] | None = None,
) -> Verdict:
    """Judge ``figures`` against ``options``; ``changed`` enables changed-lines coverage."""
    precision = figures.precision
    total_failed = fails_under(figures.total, options.fail_under, precision)
    low: tuple[FileCoverage, ...] = ()
    if options.min_file > 0:
        under = [f for f in figures.files if fails_under(f.percent, options.min_file, precision)]
        low = tuple(sorted(under, key=lambda f: (f.percent, f.path)))
    diff = diff_coverage(figures, changed, options.diff_base) if changed is not None else None
    diff_failed = (
        diff is not None
        and diff.total > 0
        and fails_under(diff.percent, options.diff_fail_under, precision)
    )
    verdict = Verdict(figures, options, total_failed, low, diff, diff_failed, "")
    rows = [(f.path, f.percent) for f in low]
    return verdict._replace(summary=_summary(verdict.measure(), options, total_failed, rows, diff_failed))
