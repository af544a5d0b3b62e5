"""GT303 perf: the last verdict of every benchmark in ``.performance_baselines.json``.

The pytest plugin measures (the ``perf`` fixture) and records each benchmark's last
verdict in the baseline file; this checker reads the file, so ``gates check`` shows
every benchmark's verdict and fails when one regressed in its last run.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from gates.core.checker import Project, ProjectChecker, ProjectOutcome, project_measure
from gates.model import Finding, GateResult, Location
from gates.core.runtime_options import PerfOptions, perf_options_problem

if TYPE_CHECKING:
    from gates.perf.records import PerfEntry

NOT_COMPARED = "saved, not compared yet"
SHOWN = 10  # benchmarks listed one by one in the summary; beyond, only the non-ok ones


def _line_of(text: str, key: str) -> int:
    needle = f'"{key}": {{'
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip().startswith(needle):
            return number
    return 1


def _verdict(entry: PerfEntry) -> tuple[str, float | None]:
    last = entry.last
    if last is None:
        return NOT_COMPARED, None
    return last.verdict.value, None if last.ratio is None else float(last.ratio)


class PerfMeasure(NamedTuple):
    """What the baseline file said: whether it exists, each benchmark's last verdict."""

    found: bool
    verdicts: tuple[tuple[str, str, float | None], ...]  # (benchmark, verdict, ratio)
    note: str = ""  # where the verdicts come from and how fresh they are (GateResult.note)


def _data_note(path: Path, project: Project) -> str:
    """``from .performance_baselines.json, 2 h old; stale: 3 files changed since``: the
    verdicts are as old as the last gated test run, and code changed since may be slower
    or faster now. (A missing file is said by the summary already.)"""
    from gates.core.datafile import inspect_data_file  # only when the gate runs

    return inspect_data_file(path, project.root, [f.file for f in project.files]).note("")


# Where a failing verdict leads: the two commands that change what is stored.
ACCEPT_OR_PRUNE = (
    "an intended slowdown: pytest --gates-perf=accept; tests deleted or renamed: pytest --gates-perf=prune"
)


def _advice(rows: Sequence[tuple[str, str, float | None]]) -> list[str]:
    """The accept-or-prune hint, when a benchmark regressed."""
    return [ACCEPT_OR_PRUNE] if any(verdict == "regressed" for _, verdict, _ in rows) else []


class PerfChecker(ProjectChecker):
    name = "perf"
    code = "GT303"
    description = (
        "no benchmark regressed by more than `max-regression` (default 20 %) in its last "
        "run against .performance_baselines.json (pytest plugin, `perf` fixture)"
    )
    rationale = (
        "A slowdown nobody measured ships. The pytest plugin's `perf` fixture measures a "
        "function interleaved with a reference workload, and fails a test only when the "
        "median ratio is over the limit, the difference is significant (Mann-Whitney U) "
        "and beyond the spread between the stored runs, confirmed by a second "
        "measurement. Each benchmark's last verdict is kept in the baseline file; this "
        "checker shows them and fails on a regression. Off by default in `gates check` "
        "(it needs the baseline file): `gates check --select GT303`."
    )
    options_type = PerfOptions
    unit = "regressions"

    def default_text(self) -> str:
        return f"max {self.options.max_regression:g} % slower (pytest plugin)"

    def check_options(self) -> str | None:
        return perf_options_problem(self.options)

    def check_project(self, project: Project) -> ProjectOutcome:
        from gates.perf import baselines as perf_baselines
        from gates.perf.records import Verdict

        path = project.root / self.options.file
        benchmarks = perf_baselines.load(path)  # UsageError when broken
        found = path.exists()
        text = path.read_text(encoding="utf-8") if found else ""
        findings = []
        verdicts = []
        for key in sorted(benchmarks):
            verdict, ratio = _verdict(benchmarks[key])
            verdicts.append((key, verdict, ratio))
            if verdict == Verdict.REGRESSED:
                shown = f" ({ratio:.2f}x its baseline)" if ratio else ""
                message = f"benchmark {key} regressed in its last run{shown}"
                findings.append(
                    Finding(self.code, self.name, Location(self.options.file, _line_of(text, key)),
                            message, value=ratio, symbol=key)
                )
        note = _data_note(path, project) if found else ""
        return ProjectOutcome(tuple(findings), PerfMeasure(found, tuple(verdicts), note))

    def summarize(
        self, findings: Sequence[Finding], measures: Sequence[tuple[str, Any]]
    ) -> GateResult:
        """The regressions that count (the baseline and ``--diff`` kept), with every
        benchmark's last verdict from the measure ``check_project`` returned."""
        measure = project_measure(measures)
        if not isinstance(measure, PerfMeasure):  # check_project did not run
            measure = PerfMeasure(False, ())
        details = tuple((key, ratio) for key, _, ratio in measure.verdicts if ratio is not None)
        verdict = super().summarize(findings, measures)
        return dataclasses.replace(
            verdict, summary=self._summary(measure), details=details, note=measure.note
        )

    def _summary(self, measure: PerfMeasure) -> str:
        if not measure.found:
            return f"no baseline file {self.options.file} (run pytest --gates-perf=save)"
        rows = measure.verdicts
        listed = rows if len(rows) <= SHOWN else [r for r in rows if r[1] not in ("ok", "faster")]
        parts = [f"{key} {verdict}" + (f" {ratio:.2f}x" if ratio else "") for key, verdict, ratio in listed]
        parts += _advice(rows)
        head = f"{len(rows)} benchmark{'s' if len(rows) != 1 else ''}"
        return f"{head}: {'; '.join(parts)}" if parts else f"{head}, all ok"
