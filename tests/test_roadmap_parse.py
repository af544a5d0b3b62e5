"""Reading criteria from roadmap prose: each phrasing, each bound, strict and inclusive limits.

These call the parser directly (thousands of phrasings would be slow as processes);
tests/test_roadmap_cli.py runs the same through the real command line.
"""

from __future__ import annotations

import pytest

from gates.core.registry import find_checker
from gates.roadmap.parse import Bound, Criterion, parse_roadmap
from gates.roadmap.plan import NOT_AS_WRITTEN, SETTABLE, UNAVAILABLE, UNKNOWN, inclusive_limit, resolve


def read(line: str) -> list[Criterion]:
    return parse_roadmap(f"## Success criteria\n\n- [ ] {line}\n", "ROADMAP.md")


def only(line: str) -> Criterion:
    found = read(line)
    assert len(found) == 1, found
    return found[0]


# (phrase, metric, value in the metric's unit, upper, strict)
PHRASES = [
    ("Test coverage ≥80%", "coverage", 80, False, False),
    ("Test coverage >= 80 percent", "coverage", 80, False, False),
    ("Test coverage at least 80%", "coverage", 80, False, False),
    ("Code coverage must not drop below 80 %", "coverage", 80, False, False),
    ("80%+ test coverage", "coverage", 80, False, False),
    ("Raise test coverage from 45% to 85%", "coverage", 85, False, False),
    ("Type coverage ≥60%", "type-coverage", 60, False, False),
    ("Type hints on more than 60% of functions", "type-coverage", 60, False, True),
    ("Largest file <800 lines", "file-size", 800, True, True),
    ("No file over 800 lines", "file-size", 800, True, False),
    ("Modules: no more than 800 lines", "file-size", 800, True, False),
    ("All functions < 50 lines", "function-length", 50, True, True),
    ("Functions under 50 lines", "function-length", 50, True, True),
    ("No function longer than 50 lines", "function-length", 50, True, False),
    ("Function length ≤ 50", "function-length", 50, True, False),
    ("Methods: 50 lines or less", "function-length", 50, True, False),
    ("Cyclomatic complexity ≤ 10", "complexity", 10, True, False),
    ("REGRESSION_THRESHOLD = 1.2  # 20% slower is a regression", "perf-regression", 20, True, False),
    ("No performance regression over 20%", "perf-regression", 20, True, False),
    ("Benchmarks at most 1.2x slower than the baseline", "perf-regression", 20, True, False),
    ("Unit tests pass in <30 seconds", "test-duration", 30, True, True),
    ("The test suite runs in under 2 minutes", "test-duration", 120, True, True),
    ("Memory usage <1.2GB", "memory", 1.2e9, True, True),
    ("Peak RAM at most 512 MiB", "memory", 512 * 2**20, True, False),
]


@pytest.mark.parametrize(("phrase", "key", "value", "upper", "strict"), PHRASES)
def test_each_phrasing_gives_its_metric_and_bound(phrase: str, key: str, value: float, upper: bool, strict: bool) -> None:
    criterion = only(phrase)
    assert criterion.metric is not None and criterion.metric.key == key, criterion
    assert criterion.bound is not None
    assert criterion.bound.value == pytest.approx(value)
    assert (criterion.bound.upper, criterion.bound.strict) == (upper, strict)


@pytest.mark.parametrize(("phrase", "gate"), [
    ("No print() statements in production code", "no-print"),
    ("Replace print() with logging", "no-print"),
    ("Zero print calls", "no-print"),
    ("Mypy passes with no errors on annotated code", "mypy"),
    ("Security scanning (bandit)", "bandit"),
    ("flake8 clean", "flake8"),
    ("Deterministic tests: every random generator seeded", "unseeded-rng"),
])
def test_on_off_criteria_turn_their_gate_on(phrase: str, gate: str) -> None:
    requirement = resolve(only(phrase))
    assert requirement.status == SETTABLE, requirement
    assert requirement.gate == gate
    assert dict(requirement.values)["enabled"] is True


def test_no_high_severity_findings_sets_bandits_threshold() -> None:
    requirement = resolve(only("Security scanning (bandit), no high-severity findings"))
    assert dict(requirement.values) == {"enabled": True, "severity": "high"}


@pytest.mark.parametrize(("phrase", "key", "limit"), [
    ("Largest file <800 lines", "max", 799),
    ("Largest file ≤ 800 lines", "max", 800),
    ("Files under 800 lines", "max", 799),
    ("Files at most 800 lines", "max", 800),
    ("Files no more than 800 lines", "max", 800),
    ("No file longer than 800 lines", "max", 800),
    ("No file of 800 lines or more", "max", 799),
    ("All functions < 50 lines", "max", 49),
    ("Functions shorter than 50.5 lines", "max", 50),
    ("Type coverage > 80%", "fail-under", 80.01),
    ("Type coverage ≥ 80%", "fail-under", 80),
    ("Type coverage above 59.5 percent", "fail-under", 59.51),
    ("Type coverage of at least 79.995%", "fail-under", 80),
    ("Cyclomatic complexity < 10", "max", 9),
])
def test_strict_bounds_become_the_gates_inclusive_limit(phrase: str, key: str, limit: float) -> None:
    requirement = resolve(only(phrase))
    assert requirement.status == SETTABLE, requirement
    assert dict(requirement.values)[key] == limit
    assert type(dict(requirement.values)[key]) is type(limit)


@pytest.mark.parametrize(("value", "upper", "strict", "step", "limit"), [
    (800, True, True, 1, 799), (800, True, False, 1, 800), (800.5, True, True, 1, 800),
    (80, False, True, 0.01, 80.01), (80, False, False, 0.01, 80), (79.991, False, False, 0.01, 80.0),
    (0.5, True, True, 1, 0),
])
def test_inclusive_limit(value: float, upper: bool, strict: bool, step: float, limit: float) -> None:
    assert inclusive_limit(Bound(value, upper, strict, ""), step) == limit


@pytest.mark.parametrize("phrase", [
    "Test coverage ≥80%", "Unit tests pass in <30 seconds", "Memory usage <1.2GB",
    "REGRESSION_THRESHOLD = 1.2  # 20% slower is a regression",
])
def test_criteria_of_gates_not_installed_are_recognised_but_never_set(phrase: str) -> None:
    requirement = resolve(only(phrase))
    assert requirement.metric is not None
    cls = find_checker(requirement.gate)
    options = getattr(cls, "options_type", None)
    has_option = options is not None and requirement.metric.option in {
        f.replace("_", "-") for f in options.__dataclass_fields__
    }
    if has_option:
        assert requirement.status == SETTABLE
    else:
        assert requirement.status == UNAVAILABLE
        assert requirement.values == ()
        assert requirement.gate in requirement.reason


@pytest.mark.parametrize(("phrase", "why"), [
    ("Team trained on new patterns", "not a criterion"),
    ("Docstring coverage ≥ 90%", "not a criterion"),
    ("Dashboards for p95 latency < 200 ms", "not a criterion"),
    ("Test coverage 80%", "no limit gates can read"),
    ("Split relays.py (2,119 lines) into modules", "not a criterion"),
])
def test_what_cannot_be_read_is_listed_with_a_reason(phrase: str, why: str) -> None:
    requirement = resolve(only(phrase))
    assert requirement.status == UNKNOWN
    assert why in requirement.reason


@pytest.mark.parametrize(("phrase", "why"), [
    ("Test coverage < 80%", "floor"),
    ("Largest file > 800 lines", "ceiling"),
    ("Fewer than 10 mypy errors", "allows none"),
    ("Type coverage ≥ 120%", "between 0 and 100"),
    ("Functions < 1 line", "at least 1"),
    ("Memory usage under 80%", "measured in B"),
])
def test_recognised_but_not_measurable_as_written(phrase: str, why: str) -> None:
    requirement = resolve(only(phrase))
    assert requirement.status == NOT_AS_WRITTEN, requirement
    assert why in requirement.reason


def test_two_criteria_on_one_line() -> None:
    found = read("Functions under 50 lines, files under 800 lines, no print()")
    assert [(c.metric.key if c.metric else None) for c in found] == ["function-length", "file-size", "no-print"]


def test_a_negation_applies_only_to_its_own_criterion() -> None:
    found = read("Zero print() calls and functions under 50 lines")
    lengths = [c for c in found if c.metric is not None and c.metric.key == "function-length"]
    assert lengths[0].bound == Bound(50, True, True, "under 50 lines")


def test_prose_is_not_a_criterion_but_a_comparison_in_prose_is_listed() -> None:
    document = (
        "# Plan\n\nCoverage is measured with coverage.py on the unit suite.\n"
        "It has 2,119 lines today.\n\nLatency must stay below 200 ms.\n"
    )
    found = parse_roadmap(document, "R.md")
    assert [(c.line, c.metric) for c in found] == [(6, None)]


def test_tables_read_the_target_column_and_skip_the_current_one() -> None:
    document = (
        "| Metric | Current | Target |\n|---|---|---|\n"
        "| Largest file | 2,119 lines | <800 lines |\n"
        "| Test coverage | 45% | 80% |\n"
        "| Onboarding | 3 weeks | 1 week |\n"
    )
    found = parse_roadmap(document, "R.md")
    assert [(c.line, c.metric.key if c.metric else None) for c in found] == [
        (3, "file-size"), (4, "coverage"), (5, None)
    ]
    assert found[0].bound == Bound(800, True, True, "<800 lines")
    # A bare figure in the target column is the goal, in the gate's own direction.
    assert found[1].bound == Bound(80, False, False, "80%")


def test_code_blocks_give_only_what_they_state_clearly() -> None:
    document = "```python\nREGRESSION_THRESHOLD = 1.2\nassert run(case) < 2.5\nx = [1, 2]\n```\n"
    found = parse_roadmap(document, "R.md")
    assert [(c.line, c.metric.key if c.metric else None) for c in found] == [(2, "perf-regression")]


@pytest.mark.parametrize("mark", ["- [ ] ", "- [x] ", "* [X] ", "✅ ", "- ✅ ", "1. ", "- **", "| "])
def test_checkboxes_marks_lists_bold_and_table_cells_are_markup(mark: str) -> None:
    line = f"{mark}Largest file <800 lines" + ("**" if mark.endswith("**") else "") + (" |" if mark == "| " else "")
    found = parse_roadmap(f"## Goals\n\n{line}\n", "R.md")
    assert len(found) == 1
    assert found[0].text == "Largest file <800 lines"
    assert found[0].bound == Bound(800, True, True, "<800 lines")


@pytest.mark.parametrize(
    "document",
    [
        "".join("  " * level + "- coverage >= 80%\n" for level in range(3000)),  # 9 MB of nesting
        "- " + "print " * 26_000 + "\n",
        "- coverage " + "coverage >= 80% " * 10_000 + "\n",
        "- coverage " + "[" * 160_000 + "\n",
        "- coverage " + "<a " * 50_000 + "\n",
        "| a | b |\n" + "".join(" " * 1_500 + "| --- | --- |\n" for _ in range(1_000)),
        "- " + "(a, " * 40_000 + "roll back mypy " * 10_000 + "\n",  # context rules (gates.roadmap.context)
        "- " + "Week 1 performance engineer: 5% time new modules coverage >= 80% " * 4_000 + "\n",
    ],
    ids=["nested-lists", "print-word", "repeated-criteria", "brackets", "tags", "indented-separators",
         "tool-lists-and-triggers", "labels-staffing-new-code"],
)
def test_crafted_roadmaps_are_read_in_linear_time(document: str) -> None:
    """A hostile roadmap is read in time proportional to its size. Each of these took from
    20 s to many minutes when a pattern backtracked or a line was searched once per mention;
    read in linear time each takes well under a second (the bound only catches a hang)."""
    import time

    from gates.roadmap.parse import parse_roadmap

    started = time.perf_counter()
    parse_roadmap(document, "ROADMAP.md")
    assert time.perf_counter() - started < 20
