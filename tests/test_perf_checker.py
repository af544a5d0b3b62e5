"""GT303 in `gates check`: the last verdict of every benchmark, read from the baseline file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from gates.perf import baselines as perf_baselines
from gates.perf.records import LastVerdict, PerfEntry, Verdict
from tests.conftest import Completed

CONFIG = "[tool.gates]\nselect = ['GT303']\n"


def baseline_file(**verdicts: str) -> str:
    benchmarks = {
        f"tests/test_x.py::{name}": PerfEntry(((1.0,),), last=LastVerdict(Verdict(v), 1.5))
        for name, v in verdicts.items()
    }
    benchmarks["tests/test_x.py::fresh"] = PerfEntry(((1.0,),))
    return perf_baselines.dumps(benchmarks)


def test_shows_every_verdict_and_fails_on_a_regression(
    project: Callable[..., Path], run_gates: Callable[..., Completed]
) -> None:
    text = baseline_file(fast="ok", slow="regressed")
    root = project({"pyproject.toml": CONFIG, ".performance_baselines.json": text})
    result = run_gates("check", ".", cwd=root)
    assert result.returncode == 1
    line = text.splitlines().index('    "tests/test_x.py::slow": {') + 1
    assert f".performance_baselines.json:{line}:1: GT303 benchmark tests/test_x.py::slow regressed" in result.stdout
    assert "tests/test_x.py::fast ok 1.50x" in result.stdout
    assert "tests/test_x.py::fresh saved, not compared yet" in result.stdout
    # the commands that accept the slowdown or drop a deleted test's entry, where the failure is
    assert "an intended slowdown: pytest --gates-perf=accept; tests deleted or renamed: pytest --gates-perf=prune" \
        in result.stdout


def test_passes_without_regressions_or_file(
    project: Callable[..., Path], run_gates: Callable[..., Completed]
) -> None:
    root = project({"pyproject.toml": CONFIG})
    result = run_gates("check", ".", cwd=root)
    assert result.returncode == 0
    assert "no baseline file .performance_baselines.json" in result.stdout
    (root / ".performance_baselines.json").write_text(baseline_file(a="ok", b="faster"))
    assert run_gates("check", ".", cwd=root).returncode == 0


def test_broken_file_is_a_usage_error(
    project: Callable[..., Path], run_gates: Callable[..., Completed]
) -> None:
    root = project({"pyproject.toml": CONFIG, ".performance_baselines.json": "{"})
    result = run_gates("check", ".", cwd=root)
    assert result.returncode == 2
    assert ".performance_baselines.json: not a valid baseline file" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_file_of_the_previous_version_is_read(
    project: Callable[..., Path], run_gates: Callable[..., Completed]
) -> None:
    from tests.test_perf_baselines import TODAYS_FILE

    root = project({"pyproject.toml": CONFIG, ".performance_baselines.json": TODAYS_FILE})
    result = run_gates("check", ".", cwd=root)
    assert result.returncode == 1
    assert "GT303 benchmark tests/test_speed.py::test_parse regressed in its last run (1.51x" in result.stdout
    assert "tests/test_speed.py::test_named::mem ok" in result.stdout
    assert (root / ".performance_baselines.json").read_text() == TODAYS_FILE


def test_a_field_of_the_wrong_type_is_a_usage_error(
    project: Callable[..., Path], run_gates: Callable[..., Completed]
) -> None:
    text = '{"version": 1, "benchmarks": {"t::a": {"runs": [], "memory": "96 B"}}}'
    root = project({"pyproject.toml": CONFIG, ".performance_baselines.json": text})
    result = run_gates("check", ".", cwd=root)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "entry 't::a' has \"memory\" '96 B', not a whole number of bytes" in result.stderr


def test_a_regression_is_shown_as_its_ratio_not_as_a_fraction_of_a_count(
    project: Callable[..., Path], run_gates: Callable[..., Completed]
) -> None:
    root = project({"pyproject.toml": CONFIG, ".performance_baselines.json": baseline_file(slow="regressed")})
    report = run_gates("report", ".", cwd=root).stdout
    assert "1 regression " in report  # the gate counts regressions ...
    assert "tests/test_x.py::slow  1.50x" in report  # ... each worst offender is a ratio
    assert "1.50 regressions" not in report
    verbose = run_gates("check", "-v", ".", cwd=root).stdout
    assert "1.50x  tests/test_x.py::slow" in verbose and "2 regressions" not in verbose
