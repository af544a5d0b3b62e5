"""GT301 in real pytest runs: pytest-cov, `coverage run`, `--gates-cov`, under `-n 2`, and
the figure against what `coverage report` prints for the same data afterwards."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import run_gates_process

pytest_plugins = ["pytester"]

MODULE = """\
def covered(x):
    if x > 0:
        return "pos"
    return "neg"


def other():
    a = 1
    return a
"""
TEST_COVERED = "from pkg.mod import covered\n\ndef test_covered():\n    assert covered(1) == 'pos'\n"
TEST_OTHER = "from pkg.mod import other\n\ndef test_other():\n    assert other() == 1\n"
# pytest-randomly would shuffle; hypothesis's plugin costs about a second per run.
NO_RANDOMLY = ("-p", "no:randomly", "-p", "no:hypothesispytest")


@pytest.fixture
def proj(pytester: pytest.Pytester) -> pytest.Pytester:
    """7 statements, 4 run by test_covered: 57.14 % (line), 55.56 % (branch)."""
    pytester.mkpydir("pkg").joinpath("mod.py").write_text(MODULE)
    (pytester.path / ".coveragerc").write_text("[report]\nprecision = 2\n")
    pytester.makepyfile(test_covered=TEST_COVERED)
    return pytester


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess(*NO_RANDOMLY, *args)


def report_total(pytester: pytest.Pytester) -> str:
    out = subprocess.run(
        [sys.executable, "-m", "coverage", "report"], cwd=pytester.path,
        capture_output=True, text=True, check=True,
    ).stdout
    return next(line for line in out.splitlines() if line.startswith("TOTAL")).split()[-1]


def gate_lines(result: pytest.RunResult) -> list[str]:
    return [line for line in result.outlines if line.startswith("GT301 coverage")]


@pytest.mark.parametrize("branch", [False, True], ids=["line", "branch"])
def test_pytest_cov_figure_equals_coverage_report(proj: pytest.Pytester, branch: bool) -> None:
    result = run(proj, "--cov=pkg", "--gates-fail-under=80", *(["--cov-branch"] if branch else []))
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.assert_outcomes(passed=1)
    expected = report_total(proj)
    assert expected == ("55.56%" if branch else "57.14%")
    kind = "branch" if branch else "line"
    assert gate_lines(result) == [f"GT301 coverage FAILED: total {expected.replace('%', ' %')} < 80 % ({kind})"]
    result.stdout.fnmatch_lines(["gates: coverage gate: fail-under 80 % on pytest-cov data"])


def test_a_passing_gate_exits_0(proj: pytest.Pytester) -> None:
    result = run(proj, "--cov=pkg", "--gates-fail-under=57.14")
    assert result.ret == pytest.ExitCode.OK
    assert gate_lines(result) == ["GT301 coverage passed: total 57.14 % >= 57.14 % (line)"]


@pytest.mark.parametrize("measure", ["--cov=pkg", "--gates-cov=pkg"])
def test_under_xdist_the_figure_is_computed_once_on_combined_data(proj: pytest.Pytester, measure: str) -> None:
    proj.makepyfile(test_other=TEST_OTHER)
    result = run(proj, measure, "-n", "2", "--gates-fail-under=70")
    result.assert_outcomes(passed=2)
    expected = report_total(proj)
    assert expected == "85.71%"  # both workers' lines: 6 of 7
    assert gate_lines(result) == [f"GT301 coverage passed: total {expected.replace('%', ' %')} >= 70 % (line)"]
    assert result.ret == pytest.ExitCode.OK


def test_coverage_run_data_is_judged_live(proj: pytest.Pytester) -> None:
    result = proj.run(
        sys.executable, "-m", "coverage", "run", "--source=pkg", "-m", "pytest", *NO_RANDOMLY,
        "--gates-fail-under=80",
    )
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    expected = report_total(proj)
    assert gate_lines(result) == [f"GT301 coverage FAILED: total {expected.replace('%', ' %')} < 80 % (line)"]
    result.stdout.fnmatch_lines(["gates: coverage gate: fail-under 80 % on `coverage run` data"])


def test_coverage_run_under_xdist_is_skipped_with_a_reason(proj: pytest.Pytester) -> None:
    result = proj.run(
        sys.executable, "-m", "coverage", "run", "--source=pkg", "-m", "pytest", *NO_RANDOMLY, "-n", "2"
    )
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["gates: coverage gate skipped: `coverage run` combines pytest-xdist*"])


def test_gates_cov_writes_the_data_file_that_gates_check_reads(proj: pytest.Pytester) -> None:
    result = run(proj, "--gates-cov=pkg", "--gates-fail-under=80")
    assert gate_lines(result) == ["GT301 coverage FAILED: total 57.14 % < 80 % (line)"]
    assert report_total(proj) == "57.14%"
    checked = run_gates_process("check", "--select", "GT301", cwd=proj.path)
    assert re.search(r"coverage \(GT301\)\s+FAILED\s+total 57\.14 % < 80 % \(line\)", checked.stdout)


def test_an_existing_data_file_is_gated_when_asked(proj: pytest.Pytester) -> None:
    run(proj, "--cov=pkg")
    idle = run(proj)
    assert idle.ret == pytest.ExitCode.OK and not gate_lines(idle)
    asked = run(proj, "--gates-fail-under=50")
    assert gate_lines(asked) == ["GT301 coverage passed: total 57.14 % >= 50 % (line)"]
    asked.stdout.fnmatch_lines(["gates: coverage gate: fail-under 50 % on data file .coverage"])
    proj.makepyprojecttoml("[tool.gates.coverage]\nenabled = true\nfail-under = 80\n")
    assert run(proj).ret == pytest.ExitCode.TESTS_FAILED


def test_a_corrupt_data_file_is_one_error_line(proj: pytest.Pytester) -> None:
    (proj.path / ".coverage").write_text("garbage\n" * 100)
    result = run(proj, "--gates-fail-under=50")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    errors = [line for line in result.outlines if "ERROR: gates:" in line]
    assert len(errors) == 1
    assert errors[0].startswith("ERROR: gates: .coverage: not a coverage data file")
    assert "Traceback" not in result.stdout.str() + result.stderr.str()


def test_the_gate_can_be_switched_off(proj: pytest.Pytester) -> None:
    assert not gate_lines(run(proj, "--cov=pkg", "--gates-no-coverage"))
    assert not gate_lines(run(proj, "--cov=pkg", "-p", "no:gates"))
    proj.makepyprojecttoml("[tool.gates.coverage]\nenabled = false\n")
    result = run(proj, "--cov=pkg")
    assert result.ret == pytest.ExitCode.OK and not gate_lines(result)


def test_min_file_lists_files_least_covered_first(proj: pytest.Pytester) -> None:
    (proj.path / "pkg" / "never.py").write_text("def never():\n    return 0\n")
    result = run(proj, "--cov=pkg", "--gates-fail-under=0", "--gates-min-file=60")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines([
        "GT301 coverage FAILED: total * (no floor set) (line); 2 files < min-file 60 %: *",
        "files under min-file 60 %, least covered first:",
        "  pkg/never.py  0.00 %",
        "  pkg/mod.py    57.14 %",
    ])


def git(pytester: pytest.Pytester, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=pytester.path, check=True, capture_output=True,
    )


def test_changed_lines_coverage_against_a_git_ref(proj: pytest.Pytester) -> None:
    module = proj.path / "pkg" / "mod.py"
    module.write_text(MODULE.split("\n\n\n")[0] + "\n")
    git(proj, "init", "-q", "-b", "main")
    git(proj, "add", ".")
    git(proj, "commit", "-qm", "base")
    git(proj, "checkout", "-qb", "feature")
    module.write_text(MODULE)
    result = run(proj, "--cov=pkg", "--gates-fail-under=0", "--gates-diff=main")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines([
        "*changed lines 33.33 % < 80 % (1 of 3 since main)",  # `def other` runs on import
        "changed lines not covered (since main):",
        "  pkg/mod.py: 8-9",
    ])
    unknown = run(proj, "--cov=pkg", "--gates-diff=nope")
    assert unknown.ret == pytest.ExitCode.USAGE_ERROR
    unknown.stderr.fnmatch_lines(["ERROR: gates: diff base 'nope': unknown git ref*"])
    assert not re.search(r"\d+ passed", unknown.stdout.str())


def test_an_untracked_file_counts_as_changed_throughout(proj: pytest.Pytester) -> None:
    """README: changed lines include untracked files; a new module nobody added yet is
    new throughout, so its unrun lines are changed lines not covered."""
    git(proj, "init", "-q", "-b", "main")
    git(proj, "add", ".")
    git(proj, "commit", "-qm", "base")
    (proj.path / "pkg" / "fresh.py").write_text("def fresh(x):\n    y = x + 1\n    return y\n")
    result = run(proj, "--cov=pkg", "--gates-fail-under=0", "--gates-diff=main")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines([
        "*changed lines 0.00 % < 80 % (0 of 3 since main)",  # never imported: measured by --cov=pkg
        "changed lines not covered (since main):",
        "  pkg/fresh.py: 1-3",
    ])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--gates-fail-under=120"], "*--gates-fail-under: expected a percentage between 0 and 100*"),
        (["--gates-cov=pkg", "--cov=pkg"], "*--gates-cov and pytest-cov's --cov both measure coverage*"),
    ],
)
def test_usage_errors(proj: pytest.Pytester, args: list[str], message: str) -> None:
    result = run(proj, *args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([message])


def test_an_unchanged_data_file_is_not_analysed_again_and_a_change_is_seen(proj: pytest.Pytester) -> None:
    proj.makeconftest(
        "import sys\n\ndef pytest_unconfigure(config):\n"
        "    open('imported.txt', 'w').write(str('coverage' in sys.modules))\n"
    )
    run(proj, "--cov=pkg")
    first = run(proj, "--gates-fail-under=50")
    assert gate_lines(first) == ["GT301 coverage passed: total 57.14 % >= 50 % (line)"]
    assert (proj.path / "imported.txt").read_text() == "True"
    again = run(proj, "--gates-fail-under=50")
    assert gate_lines(again) == gate_lines(first)
    assert (proj.path / "imported.txt").read_text() == "False"  # figures reused
    module = proj.path / "pkg" / "mod.py"
    module.write_text(MODULE + "\n\ndef more():\n    return 2\n")  # a measured source changed
    assert gate_lines(run(proj, "--gates-fail-under=50")) == [  # 4 of 9 lines now
        "GT301 coverage FAILED: total 44.44 % < 50 % (line)"
    ]
    module.write_text(MODULE)
    proj.makepyfile(test_other=TEST_OTHER)
    run(proj, "--cov=pkg")  # new data
    assert gate_lines(run(proj, "--gates-fail-under=50")) == [
        "GT301 coverage passed: total 85.71 % >= 50 % (line)"
    ]
