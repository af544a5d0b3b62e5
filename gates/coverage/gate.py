"""GT301's decision: coverage figures + options (+ changed lines) -> findings and a verdict.

Pure and shared: ``gates check`` (through the checker) and the pytest plugin both call
:func:`evaluate`, so the two can never judge the same data differently.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, NamedTuple

from gates.coverage.figures import CoverageFigures, FileCoverage, display, fails_under, floor_text
from gates.core.runtime_options import CoverageOptions

if TYPE_CHECKING:
    from gates.model import Finding, GateResult

NAME, CODE = "coverage", "GT301"


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

    def result(self) -> GateResult:
        from gates.model import GateResult

        return GateResult(
            name=NAME,
            code=CODE,
            passed=self.passed,
            measured=self.figures.total,
            threshold=self.options.fail_under,
            unit="%",
            violations=self.failures,
            summary=self.summary,
            details=tuple((f.path, f.percent) for f in self.low_files),
        )


def _pc(figures: CoverageFigures, value: float) -> str:
    return display(value, figures.precision) + "%"


def _findings(
    figures: CoverageFigures,
    options: CoverageOptions,
    total_failed: bool,
    low: Iterable[FileCoverage],
    diff: DiffCoverage | None,
) -> list[Finding]:
    from gates.model import Finding, Location

    found = []
    if total_failed:
        message = (
            f"total {figures.kind} coverage {_pc(figures, figures.total)} is below "
            f"fail-under {floor_text(options.fail_under)}%"
        )
        found.append(Finding(CODE, NAME, Location(figures.data_file), message, figures.total))
    for f in low:
        message = f"file coverage {_pc(figures, f.percent)} is below min-file {floor_text(options.min_file)}%"
        found.append(Finding(CODE, NAME, Location(f.path), message, f.percent))
    for changes in diff.files if diff else ():
        if changes.uncovered:
            count = len(changes.covered) + len(changes.uncovered)
            message = (
                f"changed lines not covered: {line_ranges(changes.uncovered)} "
                f"({len(changes.covered)} of {count} changed lines covered)"
            )
            where = Location(changes.path, changes.uncovered[0])
            found.append(Finding(CODE, NAME, where, message, float(len(changes.uncovered))))
    return found


def _summary(
    figures: CoverageFigures,
    options: CoverageOptions,
    total_failed: bool,
    low: tuple[FileCoverage, ...],
    diff: DiffCoverage | None,
    diff_failed: bool,
) -> str:
    sign = "<" if total_failed else ">="
    parts = [
        f"total {_pc(figures, figures.total)} {sign} {floor_text(options.fail_under)}% ({figures.kind})"
    ]
    if low:
        worst = ", ".join(f"{f.path} {_pc(figures, f.percent)}" for f in low[:3])
        more = f" and {len(low) - 3} more" if len(low) > 3 else ""
        noun = "file" if len(low) == 1 else "files"
        parts.append(f"{len(low)} {noun} < min-file {floor_text(options.min_file)}%: {worst}{more}")
    elif options.min_file > 0:
        parts.append(f"every file >= {floor_text(options.min_file)}%")
    if diff is not None:
        if not diff.total:
            parts.append(f"no changed statements since {diff.base}")
        else:
            sign = "<" if diff_failed else ">="
            parts.append(
                f"changed lines {_pc(figures, diff.percent)} {sign} "
                f"{floor_text(options.diff_fail_under)}% ({diff.covered} of {diff.total} since {diff.base})"
            )
    return "; ".join(parts)


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
    summary = _summary(figures, options, total_failed, low, diff, diff_failed)
    return Verdict(figures, options, total_failed, low, diff, diff_failed, summary)
