"""GT301 in `gates check`: real coverage data from real test runs, judged as coverage.py does."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from gates.coverage.figures import fails_under
from gates.coverage.gate import line_ranges

PACKAGE = {
    "pkg/__init__.py": "",
    "pkg/full.py": """\
        def one():
            return 1
    """,
    "pkg/half.py": """\
        def pick(x):
            if x > 0:
                return "positive"
            return "other"


        def unused(y):
            total = 0
            for i in range(y):
                total += i
            return total
    """,
    "tests/test_pkg.py": """\
        from pkg.full import one
        from pkg.half import pick


        def test_one():
            assert one() == 1


        def test_pick():
            assert pick(3) == "positive"
    """,
}


def measure(root: Path, *args: str) -> None:
    """`coverage run -m pytest` in ``root``, as a user would."""
    subprocess.run(
        [sys.executable, "-m", "coverage", "run", *args, "--source=pkg", "-m", "pytest", "-q",
         "-p", "no:randomly", "-p", "no:gates", "-p", "no:hypothesispytest", "tests"],
        cwd=root, check=True, capture_output=True,
    )


def coverage_report_total(root: Path) -> str:
    out = subprocess.run(
        [sys.executable, "-m", "coverage", "report"], cwd=root, check=True,
        capture_output=True, text=True,
    ).stdout
    total = next(line for line in out.splitlines() if line.startswith("TOTAL"))
    return total.split()[-1]


def gate_line(stdout: str) -> str:
    return next(line for line in stdout.splitlines() if line.startswith("coverage (GT301)"))


@pytest.mark.parametrize("branch", [False, True], ids=["line", "branch"])
def test_figure_is_exactly_what_coverage_report_prints(project, run_gates, branch) -> None:
    root = project({**PACKAGE, ".coveragerc": "[report]\nprecision = 2\n"})
    measure(root, *(["--branch"] if branch else []))
    expected = coverage_report_total(root).replace("%", " %")  # coverage.py's figure, gates' spelling
    result = run_gates("check", "--select", "GT301", cwd=root)
    line = gate_line(result.stdout)
    assert f"total {expected} < 80 % ({'branch' if branch else 'line'})" in line
    assert result.returncode == 1
    kind = "branch" if branch else "line"
    assert f".coverage:1:1: GT301 total {kind} coverage {expected} is below fail-under 80 %" in result.stdout


@pytest.mark.parametrize(("floor", "code"), [("54.5", 0), ("54.6", 1)])
def test_the_floor_is_compared_at_its_own_precision(project, run_gates, floor, code) -> None:
    # 6 of 11 lines = 54.545...%: `coverage report` shows 55% (precision 0); the gate judges at
    # the floor's 1 decimal, as coverage.py does, and shows the figure it judged: 54.5 %
    # (never "55 % < 54.6 %").
    config = f"[tool.gates.coverage]\nenabled = true\nfail-under = {floor}\n"
    root = project({**PACKAGE, "pyproject.toml": config})
    measure(root)
    expected = coverage_report_total(root)
    assert expected == "55%"
    result = run_gates("check", "--select", "GT301", cwd=root)
    assert result.returncode == code, result.stdout + result.stderr
    sign = ">=" if code == 0 else "<"
    assert f"total 54.5 % {sign} {floor} % (line)" in gate_line(result.stdout)


def test_min_file_lists_files_under_the_floor_least_covered_first(project, run_gates) -> None:
    files = dict(PACKAGE)
    files["pkg/zero.py"] = "def never():\n    return 0\n"
    files["pyproject.toml"] = "[tool.gates.coverage]\nenabled = true\nfail-under = 0\nmin-file = 90\n"
    root = project(files)
    measure(root)
    result = run_gates("check", "--format", "json", cwd=root)
    assert result.returncode == 1
    gate = next(g for g in json.loads(result.stdout)["gates"] if g["code"] == "GT301")
    assert "2 files < min-file 90 %: pkg/zero.py 0 %, pkg/half.py 44 %" in gate["summary"]
    assert gate["unit"] == "%" and gate["threshold"] == 0


def test_a_corrupt_data_file_is_one_line_naming_the_file(project, run_gates) -> None:
    root = project({**PACKAGE, ".coverage": "this is not a database\n" * 50})
    result = run_gates("check", "--select", "GT301", cwd=root)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("gates: error: .coverage: ")
    assert "Traceback" not in result.stderr


def test_a_missing_data_file_fails_the_gate_and_says_how_to_make_one(project, run_gates) -> None:
    # Like `coverage report` ("No data to report.", exit 1): a failed gate, not a usage error,
    # so the other gates of the run are still reported.
    root = project(PACKAGE)
    result = run_gates("check", "--select", "coverage,GT101", cwd=root)
    assert result.returncode == 1 and result.stderr == ""
    assert ("coverage (GT301) FAILED  no coverage data (no .coverage: run the tests under coverage "
            "first; pytest --cov or coverage run -m pytest)") in result.stdout
    assert "no-print (GT101) passed  0 prints" in result.stdout


def test_data_file_option_is_relative_to_the_project(project, run_gates) -> None:
    root = project({**PACKAGE, "pyproject.toml": '[tool.gates.coverage]\ndata-file = "out/cov.db"\n'})
    measure(root)
    (root / "out").mkdir()
    (root / ".coverage").rename(root / "out" / "cov.db")
    result = run_gates("check", "--select", "GT301", "pkg", cwd=root)
    assert "total 55 % < 80 % (line)" in gate_line(result.stdout)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("fail-under = 120", "fail-under must be between 0 and 100"),
        ("fail_under = 80", "unknown key 'fail_under'"),
        ('min-file = "high"', "min-file: expected a number"),
    ],
)
def test_bad_options_are_config_errors(project, run_gates, table, message) -> None:
    root = project({"pyproject.toml": f"[tool.gates.coverage]\n{table}\n", "a.py": "x = 1\n"})
    result = run_gates("check", cwd=root)
    assert result.returncode == 2
    assert message in result.stderr


def test_coverage_and_seeds_are_listed_but_off_by_default(run_gates, tmp_path) -> None:
    listed = run_gates("list", cwd=tmp_path).stdout
    assert re.search(r"GT301\s+coverage\s+min 80 % \(off by default\)", listed)
    assert re.search(r"GT302\s+seeds\s+seed 42 \(pytest plugin\) \(off by default\)", listed)
    explained = run_gates("explain", "GT301", cwd=tmp_path).stdout
    assert "diff-fail-under = 80.0" in explained


# The decision itself: coverage.py's fail-under rule, case by case.
@pytest.mark.parametrize(
    ("total", "floor", "precision", "fails"),
    [
        (79.996, 80, 2, False),  # shown as 80.00: passes, as coverage.py decides
        (79.994, 80, 2, True),
        (79.5, 80, 0, False),  # shown as 80
        (79.4, 80, 0, True),
        (80.24, 80.25, 0, True),  # the floor's own decimals count
        (80.25, 80.25, 0, False),
        (99.999, 100, 2, True),  # 100 means 100
        (100.0, 100, 0, False),
        (0.0, 0, 0, False),
    ],
)
def test_fail_under_matches_coverage_py(total, floor, precision, fails) -> None:
    from coverage.results import should_fail_under

    assert fails_under(total, floor, precision) is fails
    assert should_fail_under(total, floor, precision) is fails


@pytest.mark.parametrize(("pc", "precision"), [(99.999, 2), (0.001, 1), (44.444, 0), (66.666, 2), (100.0, 0)])
def test_the_shown_figure_is_coverage_pys(pc, precision) -> None:
    from coverage.results import display_covered

    from gates.model import percent_text

    assert percent_text(pc, precision) == display_covered(pc, precision) + " %"


def test_line_ranges() -> None:
    assert line_ranges([7, 1, 2, 3, 9, 10]) == "1-3, 7, 9-10"
    assert line_ranges([]) == ""


def test_the_checker_and_its_findings_carry_the_same_code_and_name() -> None:
    """The checker names its gate without importing gates.coverage (lazily loaded)."""
    from gates.checkers.coverage import CoverageChecker
    from gates.coverage import gate

    assert (CoverageChecker.code, CoverageChecker.name) == (gate.CODE, gate.NAME)
