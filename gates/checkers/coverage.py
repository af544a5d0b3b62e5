"""GT301 coverage: total (and changed-lines) test coverage from coverage.py's data file.

A whole-project checker: ``check_project`` reads the data file that pytest-cov,
``coverage run -m pytest`` or the gates pytest plugin wrote, computes the figure exactly
as ``coverage report`` prints it, and judges it with :func:`gates.coverage.gate.evaluate`,
the same decision the pytest plugin makes at the end of a test run. It returns the
findings with the figures (:class:`~gates.coverage.gate.CoverageMeasure`); ``summarize``
judges those and the findings the baseline and ``--diff`` kept, and keeps no state.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gates.core.checker import Project, ProjectChecker, ProjectOutcome, project_measure
from gates.coverage.figures import floor_text
from gates.coverage.gate import CODE, NAME, CoverageMeasure, evaluate, judged
from gates.model import Finding, GateResult
from gates.core.runtime_options import CoverageOptions, coverage_options_problem


class CoverageChecker(ProjectChecker):
    name = NAME
    code = CODE
    description = "test coverage (line or branch, as measured) is at least `fail-under` (default 80%)"
    rationale = (
        "Untested code is where regressions hide. The figure is the one `coverage report` "
        "prints for the same data file and configuration, compared at the same precision "
        "(79.996% shown as 80.00% passes 80). Optional: `min-file`, a floor for every "
        "measured file (the files under it are listed, least covered first), and "
        "`diff-base`, a git ref: the lines changed since the merge-base with it must be "
        "covered to `diff-fail-under`. Off by default in `gates check` (it needs a data "
        "file: run the tests under coverage first); the pytest plugin gates every run "
        "that measures coverage."
    )
    options_type = CoverageOptions
    unit = "%"

    @property
    def threshold(self) -> float:
        return float(self.options.fail_under)

    def default_text(self) -> str:
        return f"min {floor_text(self.options.fail_under)}%"

    def check_options(self) -> str | None:
        return coverage_options_problem(self.options)

    def check_project(self, project: Project) -> ProjectOutcome:
        from gates.coverage.figures import load_figures

        figures = load_figures(project.root, self.options.data_file)
        changed = None
        if self.options.diff_base:
            from gates.core.git import changed_lines

            changed = changed_lines(project.root, self.options.diff_base)
        verdict = evaluate(figures, self.options, changed)
        return ProjectOutcome(tuple(verdict.findings()), verdict.measure())

    def summarize(
        self, findings: Sequence[Finding], measures: Sequence[tuple[str, Any]]
    ) -> GateResult:
        measure = project_measure(measures)
        if not isinstance(measure, CoverageMeasure):  # check_project did not run
            return super().summarize(findings, measures)
        return judged(measure, self.options, findings)
