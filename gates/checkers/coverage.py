"""GT301 coverage: total (and changed-lines) test coverage from coverage.py's data file.

A whole-project checker: ``check_project`` reads the data file that pytest-cov,
``coverage run -m pytest`` or the gates pytest plugin wrote, computes the figure exactly
as ``coverage report`` prints it, and judges it with :func:`gates.coverage.gate.evaluate`,
the same decision the pytest plugin makes at the end of a test run. It returns the
findings with the figures (:class:`~gates.coverage.gate.CoverageMeasure`); ``summarize``
judges those and the findings the baseline and ``--diff`` kept, and keeps no state.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from gates.core.checker import Project, ProjectChecker, ProjectOutcome, project_measure
from gates.model import Finding, GateResult, percent_text
from gates.core.runtime_options import CoverageOptions, coverage_options_problem

if TYPE_CHECKING:
    from gates.coverage.figures import CoverageFigures

# The figures and the judgement (gates.coverage) are imported when the gate runs: every
# `gates check` loads every registered checker, most of them without running this one.


class CoverageChecker(ProjectChecker):
    name = "coverage"  # gates.coverage.gate.NAME, CODE (its findings' own)
    code = "GT301"
    description = "test coverage (line or branch, as measured) is at least `fail-under` (default 80 %)"
    rationale = (
        "Untested code is where regressions hide. The figure is the one `coverage report` "
        "prints for the same data file and configuration, compared at the same precision "
        "(79.996 % shown as 80.00 % passes 80). Optional: `min-file`, a floor for every "
        "measured file (the files under it are listed, least covered first), and "
        "`diff-base`, a git ref: the lines changed since the merge-base with it must be "
        "covered to `diff-fail-under`. Off by default in `gates check` (it needs a data "
        "file: run the tests under coverage first); the pytest plugin gates every run "
        "that measures coverage. Every report says which data file the figure comes from, "
        "how old it is, and how many measured files changed since (stale); without a data "
        "file the gate fails, as `coverage report` does, and says to run the tests under "
        "coverage first."
    )
    options_type = CoverageOptions
    unit = "%"

    @property
    def threshold(self) -> float:
        return float(self.options.fail_under)

    def default_text(self) -> str:
        return f"min {percent_text(self.options.fail_under)}"

    def check_options(self) -> str | None:
        return coverage_options_problem(self.options)

    def check_project(self, project: Project) -> ProjectOutcome:
        from gates.coverage.figures import MissingDataFile, load_figures
        from gates.coverage.gate import evaluate

        try:
            figures = load_figures(project.root, self.options.data_file)
        except MissingDataFile as missing:
            from gates.core.datafile import inspect_data_file

            note = inspect_data_file(missing.path, project.root).note(MISSING_HINT)
            return ProjectOutcome((), NoCoverageData(note))
        changed = None
        if self.options.diff_base:
            from gates.core.git import changed_lines

            changed = changed_lines(project.root, self.options.diff_base)
        verdict = evaluate(figures, self.options, changed)
        measure = verdict.measure()._replace(note=_data_note(figures, project.root))
        return ProjectOutcome(tuple(verdict.findings()), measure)

    def summarize(
        self, findings: Sequence[Finding], measures: Sequence[tuple[str, Any]]
    ) -> GateResult:
        from gates.coverage.gate import CoverageMeasure, judged

        measure = project_measure(measures)
        if isinstance(measure, NoCoverageData):
            # Nothing was measured: like `coverage report` ("No data to report.", exit 1)
            # the gate fails rather than let an unmeasured project pass.
            return GateResult(self.name, self.code, False, 0.0, self.threshold, "%", 1,
                              "no coverage data", note=measure.note)
        if not isinstance(measure, CoverageMeasure):  # check_project did not run
            return super().summarize(findings, measures)
        result = judged(measure, self.options, findings)
        return dataclasses.replace(result, note=measure.note) if measure.note else result


MISSING_HINT = "run the tests under coverage first; pytest --cov or coverage run -m pytest"


class NoCoverageData(NamedTuple):
    """The project measure when there is no data file: where it was looked for."""

    note: str


def _data_note(figures: CoverageFigures, root: Path) -> str:
    """The data file's age, and how many measured files were modified after it was
    written (``from .coverage, 2 h old; stale: 3 files changed since``)."""
    from gates.core.datafile import inspect_data_file

    sources = [Path(f.file) for f in figures.files]
    return inspect_data_file(root / figures.data_file, root, sources).note(MISSING_HINT)
