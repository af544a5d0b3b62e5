"""Coverage figures from coverage.py's data, computed exactly as ``coverage report`` does.

coverage.py is imported only inside the functions that need it: ``import gates`` and a
pre-commit run must not pay for it. The figures come from coverage.py's own JSON report
(its public, versioned machine format), so every rule of the text report applies too:
``[report] omit``/``include``, exclusions, ``[paths]`` remapping, branch coverage.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any, NamedTuple

from gates.core.percent import percentage
from gates.errors import UsageError
from gates.model import Direction, as_shown, judge


def percent(numerator: int, denominator: int) -> float:
    """A percentage as coverage.py computes it: nothing to cover counts as 100 %."""
    return percentage(numerator, denominator)


def display(pc: float, precision: int) -> str:
    """The figure as ``coverage report`` prints it, without the ``%`` (the model's rule:
    rounding never shows 0 or 100 for a figure that is not exactly that)."""
    return f"{as_shown(pc, precision, '%'):.{precision}f}"


def fails_under(pc: float, floor: float, precision: int) -> bool:
    """coverage.py's fail-under decision, which is the model's one rule (:func:`judge`):
    79.996 % shown as "80.00" passes a floor of 80; a floor of 100 needs exactly 100 %;
    a floor with more decimals than ``precision`` is compared at its own."""
    return not judge(pc, floor, Direction.FLOOR, precision, "%")


def floor_text(floor: float) -> str:
    """A configured floor as the user wrote it: 80 -> "80", 80.5 -> "80.5"."""
    return f"{floor:g}"


# Records are NamedTuples, not dataclasses: the pytest plugin imports this module at the
# end of every gated run, and a dataclass costs ten times as much to define.
class FileCoverage(NamedTuple):
    """One measured file. ``path`` is the name ``coverage report`` prints; ``file`` is absolute."""

    path: str
    file: str
    statements: int
    covered_lines: int
    branches: int
    covered_branches: int
    executed: frozenset[int]
    missing: frozenset[int]

    @property
    def percent(self) -> float:
        return percent(
            self.covered_lines + self.covered_branches, self.statements + self.branches
        )


class CoverageFigures(NamedTuple):
    """Every measured file of one data set, and how ``coverage report`` rounds them."""

    files: tuple[FileCoverage, ...]
    precision: int
    branch: bool
    data_file: str

    @property
    def total(self) -> float:
        covered = sum(f.covered_lines + f.covered_branches for f in self.files)
        possible = sum(f.statements + f.branches for f in self.files)
        return percent(covered, possible)

    @property
    def kind(self) -> str:
        return "branch" if self.branch else "line"


def _file_from_json(name: str, entry: dict[str, Any]) -> FileCoverage:
    summary = entry["summary"]
    return FileCoverage(
        path=name.replace(os.sep, "/"),
        file=os.path.abspath(name),
        statements=int(summary["num_statements"]),
        covered_lines=int(summary["covered_lines"]),
        branches=int(summary.get("num_branches", 0)),
        covered_branches=int(summary.get("covered_branches", 0)),
        executed=frozenset(entry.get("executed_lines", ())),
        missing=frozenset(entry.get("missing_lines", ())),
    )


def _data_file_name(cov: Any) -> str:
    path = str(cov.config.data_file)
    return os.path.relpath(path) if os.path.isabs(path) else path


def figures_from(cov: Any) -> CoverageFigures:
    """The figures of a ``coverage.Coverage`` object (running, loaded or combined).

    Paths are resolved against the current folder, as coverage.py names them.
    Raises :class:`UsageError` for anything coverage.py cannot report on.
    """
    from coverage.exceptions import CoverageException

    name = _data_file_name(cov)
    try:
        found = _analysed(cov)
        files, branch = found if found is not None else _from_json_report(cov)
    except CoverageException as exc:
        raise UsageError(f"{name}: {_reason(exc)}") from None
    except Exception as exc:  # sqlite3 errors, unreadable source files
        raise UsageError(f"{name}: cannot read the coverage data: {_reason(exc)}") from None
    return CoverageFigures(files, int(cov.config.precision), branch, name)


def _analysed(cov: Any) -> tuple[tuple[FileCoverage, ...], bool] | None:
    """The per-file numbers every coverage.py report is built from (the JSON report's
    ``summary`` is made of exactly these), without the JSON report's per-function and
    per-class regions, which cost a third more on a large project. None when this
    coverage.py does not have the reporting internals: then the JSON report is read."""
    try:
        from coverage.report_core import get_analysis_to_report
    except ImportError:
        return None
    prepare = getattr(cov, "_prepare_data_for_reporting", None)
    if prepare is None:
        return None
    prepare()  # [paths] remapping, as every report does first
    data = cov.get_data()
    data.set_query_contexts(cov.config.report_contexts)
    files = []
    for reporter, analysis in get_analysis_to_report(cov, None):
        nums, name = analysis.numbers, reporter.relative_filename()
        files.append(FileCoverage(
            path=name.replace(os.sep, "/"), file=os.path.abspath(name),
            statements=nums.n_statements, covered_lines=nums.n_executed,
            branches=nums.n_branches, covered_branches=nums.n_executed_branches,
            executed=frozenset(analysis.executed), missing=frozenset(analysis.missing),
        ))
    return tuple(sorted(files, key=lambda f: f.path)), bool(data.has_arcs())


def _from_json_report(cov: Any) -> tuple[tuple[FileCoverage, ...], bool]:
    with tempfile.TemporaryDirectory(prefix="gates-coverage-") as folder:
        out = os.path.join(folder, "coverage.json")
        cov.json_report(outfile=out, pretty_print=False, show_contexts=False)
        with open(out, encoding="utf-8") as handle:
            report = json.load(handle)
    files = tuple(_file_from_json(n, e) for n, e in sorted(report["files"].items()))
    return files, bool(report.get("meta", {}).get("branch_coverage", False))


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    if "No data to report" in text:
        return "no coverage data to report; run the tests under coverage first"
    if "file is not a database" in text or "Couldn't use data file" in text:
        return f"not a coverage data file ({text}); delete it and measure again"
    return text


class MissingDataFile(UsageError):
    """There is no coverage data file to read: the tests have not run under coverage.

    ``path`` is the file looked for, ``shown`` its name as coverage.py gives it. A
    :class:`UsageError` to callers that cannot go on without figures (the pytest plugin);
    the coverage gate turns it into a failing verdict that says what to run.
    """

    def __init__(self, path: Path, shown: str) -> None:
        super().__init__(
            f"{shown}: no coverage data file; run `coverage run -m pytest` or "
            "`pytest --cov` first, or set data-file in [tool.gates.coverage]"
        )
        self.path = path
        self.shown = shown


def load_figures(root: Path, data_file: str = "") -> CoverageFigures:
    """Read a data file as ``coverage report`` run in ``root`` would.

    ``data_file`` (relative to ``root``) overrides coverage.py's own setting
    (``[run] data_file``, ``COVERAGE_FILE``, default ``.coverage``).
    """
    try:
        import coverage
        from coverage.exceptions import CoverageException
    except ImportError:
        raise UsageError(
            "the coverage gate needs coverage.py: pip install 'gates[coverage]'"
        ) from None
    with contextlib.chdir(root):
        try:
            if data_file:
                cov = coverage.Coverage(data_file=data_file, config_file=True)
            else:
                cov = coverage.Coverage(config_file=True)
        except CoverageException as exc:
            raise UsageError(f"coverage.py configuration in {root}: {_reason(exc)}") from None
        path = Path(cov.config.data_file)
        shown = _data_file_name(cov)
        if not path.is_file():
            raise MissingDataFile(root / path, shown)
        try:
            cov.load()
        except Exception as exc:
            raise UsageError(f"{shown}: {_reason(exc)}") from None
        return figures_from(cov)
