"""GT303 perf: the last verdict of every benchmark in ``.performance_baselines.json``.

The pytest plugin measures (the ``perf`` fixture) and records each benchmark's last
verdict in the baseline file; this checker reads the file, so ``gates check`` shows
every benchmark's verdict and fails when one regressed in its last run.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from gates.core.checker import Project, ProjectChecker
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


class PerfChecker(ProjectChecker):
    name = "perf"
    code = "GT303"
    description = (
        "no benchmark regressed by more than `max-regression` (default 20%) in its last "
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

    def __init__(self, options: Any = None) -> None:
        super().__init__(options)
        self.verdicts: list[tuple[str, str, float | None]] = []
        self.found = False

    def default_text(self) -> str:
        return f"max {self.options.max_regression:g}% slower (pytest plugin)"

    def check_options(self) -> str | None:
        return perf_options_problem(self.options)

    def check_project(self, project: Project) -> Iterable[Finding]:
        from gates.perf import baselines as perf_baselines
        from gates.perf.records import Verdict

        path = project.root / self.options.file
        benchmarks = perf_baselines.load(path)  # UsageError when broken
        self.found = path.exists()
        text = path.read_text(encoding="utf-8") if self.found else ""
        findings = []
        for key in sorted(benchmarks):
            verdict, ratio = _verdict(benchmarks[key])
            self.verdicts.append((key, verdict, ratio))
            if verdict == Verdict.REGRESSED:
                shown = f" ({ratio:.2f}x its baseline)" if ratio else ""
                message = f"benchmark {key} regressed in its last run{shown}"
                findings.append(
                    Finding(self.code, self.name, Location(self.options.file, _line_of(text, key)),
                            message, value=ratio, symbol=key)
                )
        return findings

    def summarize(
        self, findings: Sequence[Finding], measures: Sequence[tuple[str, Any]]
    ) -> GateResult:
        details = tuple((key, ratio) for key, _, ratio in self.verdicts if ratio is not None)
        verdict = super().summarize(findings, measures)
        return dataclasses.replace(verdict, summary=self._summary(), details=details)

    def _summary(self) -> str:
        if not self.found:
            return f"no baseline file {self.options.file} (run pytest --gates-perf=save)"
        rows = self.verdicts
        listed = rows if len(rows) <= SHOWN else [r for r in rows if r[1] not in ("ok", "faster")]
        parts = [f"{key} {verdict}" + (f" {ratio:.2f}x" if ratio else "") for key, verdict, ratio in listed]
        head = f"{len(rows)} benchmark{'s' if len(rows) != 1 else ''}"
        return f"{head}: {'; '.join(parts)}" if parts else f"{head}, all ok"
