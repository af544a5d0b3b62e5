"""Every built-in gate's verdict is a pure function of the findings that count and its figure.

For each gate, hypothesis draws what a run could produce (findings, per-file measures, a
whole-project measure from ``check_project``), keeps an arbitrary part of the findings as
the ratchet baseline or ``--diff`` would, and asks ``summarize``. The verdict must agree:
a kept failing finding fails the gate; no kept failing finding and a figure within its
limit (judged by the model's one rule) passes it; a passing gate's figure is within its
limit. The checker is fresh for each case and asked twice in a row with different kept
findings, so a verdict remembered from ``check_project`` cannot pass.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, strategies as st
from hypothesis_profile import PROFILE

from gates.core.checker import PROJECT, Checker
from gates.core.registry import available_checkers
from gates.model import Direction, Finding, GateResult, Location, judge

# A case: (findings, measures, which findings fail the gate, figure limits besides the gate's own).
Case = tuple[list[Finding], list[tuple[str, Any]], Callable[[Finding], bool], bool]
BUILT_IN = {cls.code: cls for cls in available_checkers() if cls.__module__.startswith("gates.")}


def finding(code: str, path: str, line: int = 1, value: float | None = None, symbol: str | None = None) -> Finding:
    return Finding(code, "x", Location(path, line), "a finding", value=value, symbol=symbol)


paths = st.sampled_from(["a.py", "b.py", "pkg/c.py", "tests/test_d.py"])


def counting(checker: Checker) -> st.SearchStrategy[Case]:
    """Gates judged on their number of findings: every finding fails."""
    found = st.lists(st.builds(finding, st.just(checker.code), paths, st.integers(1, 99)), max_size=4)
    return found.map(lambda f: (f, [], lambda _: True, True))


def perf(checker: Checker) -> st.SearchStrategy[Case]:
    from gates.checkers.perf import PerfMeasure

    rows = st.lists(st.tuples(st.sampled_from(["k1", "k2", "k3"]), st.sampled_from(["ok", "regressed"]),
                              st.none() | st.floats(0.5, 3.0)), max_size=3)
    measure = st.builds(PerfMeasure, st.booleans(), rows.map(tuple))

    def case(found: list[Finding], m: Any) -> Case:
        return found, [(PROJECT, m)], lambda _: True, True

    regressions = st.lists(st.builds(finding, st.just(checker.code), st.just(".performance_baselines.json"),
                                     st.integers(1, 9), st.floats(1.2, 3.0), st.sampled_from(["k1", "k2"])),
                           max_size=3)
    return st.builds(case, regressions, measure)


def sizes(checker: Checker) -> st.SearchStrategy[Case]:
    """Size gates: findings over ``max``; the measures are each file's largest within it."""
    limit = checker.options.max
    over = st.builds(finding, st.just(checker.code), paths, st.integers(1, 99),
                     st.integers(limit + 1, limit * 3).map(float), st.sampled_from(["f", "C.m"]))
    within = st.lists(st.tuples(paths, st.integers(0, limit).map(float)), max_size=4)
    return st.builds(lambda f, m: (f, m, lambda _: True, True), st.lists(over, max_size=4), within)


def complexity(checker: Checker) -> st.SearchStrategy[Case]:
    low_index = st.builds(finding, st.just(checker.code), paths, st.just(1), st.floats(0, 49))
    return st.builds(lambda case, extra: (case[0] + extra, case[1], lambda _: True, True),
                     sizes(checker), st.lists(low_index, max_size=2))


def type_coverage(checker: Checker) -> st.SearchStrategy[Case]:
    """Per-file (annotated, slots); min-file findings fail, show-missing ones do not."""
    counts = st.integers(0, 40).flatmap(lambda total: st.tuples(st.integers(0, total), st.just(total)))
    measures = st.lists(st.tuples(paths, counts), max_size=5)
    low = st.builds(finding, st.just(checker.code), paths, st.just(1), st.floats(0, 59.99))
    missing = st.builds(finding, st.just(checker.code), paths, st.integers(1, 99))
    found = st.lists(low | missing, max_size=4)
    return st.builds(lambda f, m: (f, m, lambda x: x.value is not None, True), found, measures)


@st.composite
def coverage(draw: st.DrawFn, checker: Checker) -> Case:
    """Real figures judged by ``evaluate`` (as ``check_project`` does), then a kept part."""
    from gates.coverage.figures import CoverageFigures, FileCoverage
    from gates.coverage.gate import UNCOVERED, evaluate, total_precision
    from gates.core.runtime_options import CoverageOptions

    files = []
    changed: dict[str, set[int]] = {}
    for index in range(draw(st.integers(1, 4))):
        statements = draw(st.integers(1, 300))
        executed = frozenset(draw(st.sets(st.integers(1, statements))))
        missing = frozenset(range(1, statements + 1)) - executed
        path = f"m{index}.py"
        files.append(FileCoverage(path, f"/p/{path}", statements, len(executed), 0, 0, executed, missing))
        changed[f"/p/{path}"] = draw(st.sets(st.integers(1, statements), max_size=5))
    options = CoverageOptions(
        fail_under=draw(st.sampled_from([0.0, 50.0, 79.5, 80.0, 80.25, 100.0])),
        min_file=draw(st.sampled_from([0.0, 60.0, 90.0])),
        diff_base=draw(st.sampled_from(["", "main"])),
        diff_fail_under=draw(st.sampled_from([50.0, 80.0])),
    )
    figures = CoverageFigures(tuple(files), draw(st.integers(0, 3)), False, ".coverage")
    verdict = evaluate(figures, options, changed if options.diff_base else None)
    checker.options = options
    precision = total_precision(figures.precision, options.fail_under)
    within = judge(figures.total, options.fail_under, Direction.FLOOR, precision, "%")
    if verdict.diff is not None and verdict.diff.total:
        within = within and judge(verdict.diff.percent, options.diff_fail_under, Direction.FLOOR,
                                  figures.precision, "%")
    # Changed lines not covered are listed, and fail the gate only through their figure.
    return verdict.findings(), [(PROJECT, verdict.measure())], lambda f: not f.message.startswith(UNCOVERED), within


STRATEGIES: dict[str, Callable[[Checker], st.SearchStrategy[Case]]] = {
    "GT100": counting, "GT101": counting, "GT105": counting, "GT107": counting, "GT108": counting,
    "GT109": counting, "GT201": counting,
    "GT202": counting, "GT203": counting, "GT302": counting, "GT303": perf,
    "GT102": sizes, "GT103": sizes, "GT106": complexity, "GT104": type_coverage,
    "GT301": coverage,
}


def test_every_built_in_gate_has_a_verdict_property() -> None:
    assert set(STRATEGIES) == set(BUILT_IN)


def check_verdict(gate: GateResult, kept: list[Finding], fails: Callable[[Finding], bool], within: bool) -> None:
    failing = [f for f in kept if fails(f)]
    if failing:
        assert not gate.passed, (gate, failing)
    elif within and gate.meets(gate.threshold):
        assert gate.passed, gate
    if gate.passed:
        assert gate.meets(gate.threshold) and within, gate
    assert judge(gate.measured, gate.threshold, gate.direction, gate.precision, gate.unit) == gate.meets(gate.threshold)


@pytest.mark.parametrize("code", sorted(STRATEGIES))
def test_the_verdict_agrees_with_the_kept_findings_and_the_figure(code: str) -> None:
    cls = BUILT_IN[code]

    @PROFILE
    @given(st.data())
    def verdicts(data: st.DataObject) -> None:
        checker = cls()
        found, measures, fails, within = data.draw(STRATEGIES[code](checker))
        first = data.draw(st.lists(st.booleans(), min_size=len(found), max_size=len(found)))
        kept = [f for f, keep in zip(found, first) if keep]
        check_verdict(checker.summarize(kept, measures), kept, fails, within)
        # The same checker again, with every finding known: judged anew, not remembered.
        check_verdict(checker.summarize([], measures), [], fails, within)

    verdicts()


def test_the_coverage_gate_passes_once_its_only_failing_finding_is_known() -> None:
    from gates.checkers.coverage import CoverageChecker
    from gates.coverage.figures import CoverageFigures, FileCoverage
    from gates.coverage.gate import evaluate
    from gates.core.runtime_options import CoverageOptions

    full = FileCoverage("a.py", "/p/a.py", 100, 100, 0, 0, frozenset(range(1, 101)), frozenset())
    low = FileCoverage("b.py", "/p/b.py", 10, 8, 0, 0, frozenset(range(1, 9)), frozenset({9, 10}))
    options = CoverageOptions(min_file=90.0)
    verdict = evaluate(CoverageFigures((full, low), 0, False, ".coverage"), options)
    checker = CoverageChecker(options)
    measures = [(PROJECT, verdict.measure())]
    assert not checker.summarize(verdict.findings(), measures).passed
    passed = checker.summarize([], measures)
    assert passed.passed and passed.violations == 0 and passed.details == ()
    assert (passed.measured, passed.precision, passed.direction) == (98.0, 0, Direction.FLOOR)


def test_a_file_that_does_not_parse_is_still_measured_by_file_size(project, run_gates) -> None:
    import json

    root = project({"long.py": "def broken(:\n" + "x = 1\n" * 20, "ok.py": "x = 1\n",
                    "pyproject.toml": "[tool.gates.file-size]\nmax = 10\n"})
    result = run_gates("check", "--select", "GT103", "--format", "json", cwd=root)
    data = json.loads(result.stdout)
    found = [(f["path"], f["line"], f["message"]) for f in data["findings"] if f["code"] == "GT103"]
    assert found == [("long.py", 1, "file is 21 lines long (max 10)")]
    assert result.returncode == 1
