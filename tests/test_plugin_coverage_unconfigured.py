"""Installing gates changes no coverage verdict of a project that has not configured
gates' own floor (issue 15): pytest-cov's and coverage.py's floors stand, with neither the
figure is only reported; `coverage run` with a `[paths]` section; coverage.py's warnings
under `filterwarnings = error`."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import run_gates_process
from test_plugin_coverage import NO_RANDOMLY, gate_lines, proj, run  # noqa: F401 (fixture)

pytest_plugins = ["pytester"]


def test_cov_fail_under_0_in_pytest_ini_keeps_the_run_green(proj: pytest.Pytester) -> None:
    proj.makeini("[pytest]\naddopts = --cov-fail-under=0\n")
    result = run(proj, "--cov=pkg")
    assert result.ret == pytest.ExitCode.OK
    assert gate_lines(result) == [
        "GT301 coverage reported: total 57.14 % (line); no floor configured, total not judged "
        "(set --gates-fail-under, --cov-fail-under or coverage.py's [report] fail_under)"
    ]


def test_without_any_floor_the_figure_is_reported_not_judged(proj: pytest.Pytester) -> None:
    result = run(proj, "--cov=pkg")
    assert result.ret == pytest.ExitCode.OK
    assert gate_lines(result)[0].startswith("GT301 coverage reported: total 57.14 % (line)")
    result.stdout.fnmatch_lines(["gates: coverage gate: no fail-under configured (figure only) on pytest-cov data"])


@pytest.mark.parametrize("floor, passed", [(30, True), (60, False)])
def test_coverage_py_fail_under_is_the_floor_gates_agrees_with(
    proj: pytest.Pytester, floor: int, passed: bool
) -> None:
    (proj.path / ".coveragerc").write_text(f"[report]\nprecision = 2\nfail_under = {floor}\n")
    result = run(proj, "--cov=pkg")
    result.stdout.fnmatch_lines([f"gates: coverage gate: fail-under {floor} % (pytest-cov's fail-under) on*"])
    pytest_cov = "reached" if passed else "not reached"
    result.stdout.fnmatch_lines([f"*Required test coverage of {floor}*{pytest_cov}*"])
    assert result.ret == (pytest.ExitCode.OK if passed else pytest.ExitCode.TESTS_FAILED)
    sign, head = (">=", "passed") if passed else ("<", "FAILED")
    assert gate_lines(result) == [
        f"GT301 coverage {head}: total 57.14 % {sign} {floor} % (line) (pytest-cov's fail-under)"
    ]


def test_coverage_run_with_a_fail_under_in_pyproject(proj: pytest.Pytester) -> None:
    (proj.path / ".coveragerc").unlink()
    proj.makepyprojecttoml("[tool.coverage.report]\nprecision = 2\nfail_under = 30\n")
    result = proj.run(sys.executable, "-m", "coverage", "run", "--source=pkg", "-m", "pytest", *NO_RANDOMLY)
    assert result.ret == pytest.ExitCode.OK
    assert gate_lines(result) == ["GT301 coverage passed: total 57.14 % >= 30 % (line) (coverage.py's fail_under)"]


def test_gates_own_floor_wins_when_configured(proj: pytest.Pytester) -> None:
    proj.makepyprojecttoml("[tool.gates.coverage]\nfail-under = 50\n")
    result = run(proj, "--cov=pkg", "--cov-fail-under=0")
    assert gate_lines(result) == ["GT301 coverage passed: total 57.14 % >= 50 % (line)"]
    assert run(proj, "--cov=pkg", "--gates-fail-under=60").ret == pytest.ExitCode.TESTS_FAILED


def test_gates_check_keeps_its_own_default_floor(proj: pytest.Pytester) -> None:
    """`gates check --select GT301` is an explicit opt-in to gates' gate: its default 80 %."""
    (proj.path / ".coveragerc").write_text("[report]\nprecision = 2\nfail_under = 30\n")
    run(proj, "--cov=pkg")
    checked = run_gates_process("check", "--select", "GT301", cwd=proj.path)
    assert checked.returncode == 1
    assert re.search(r"total 57\.14 % < 80 % \(line\)", checked.stdout)


def test_coverage_run_with_a_paths_section_behaves_as_without_gates(pytester: pytest.Pytester) -> None:
    src = pytester.path / "src" / "pkg"
    src.mkdir(parents=True)
    (src / "__init__.py").write_text("")
    (src / "mod.py").write_text("def f(x):\n    if x:\n        return 1\n    return 2\n")
    pytester.makepyfile(
        test_a="import sys\nsys.path.insert(0, 'src')\nfrom pkg.mod import f\n\n"
        "def test_f():\n    assert f(1) == 1\n"
    )
    (pytester.path / ".coveragerc").write_text(
        "[run]\nsource = pkg\n[paths]\nsource =\n    src\n    */site-packages\n"
    )
    command = (sys.executable, "-m", "coverage", "run", "-m", "pytest", *NO_RANDOMLY)
    bare = pytester.run(*command, "-p", "no:gates")
    result = pytester.run(*command)
    assert bare.ret == result.ret == pytest.ExitCode.OK
    assert "ERROR: gates" not in result.stdout.str()
    assert gate_lines(result)[0].startswith("GT301 coverage reported: total 75 % (line)")
    report = subprocess.run([sys.executable, "-m", "coverage", "report"], cwd=pytester.path,
                            capture_output=True, text=True, check=True).stdout
    assert report.splitlines()[-1].split()[-1] == "75%"  # the data coverage run wrote is whole


def test_gates_cov_warnings_under_filterwarnings_error_are_lines(
    proj: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Run as a user would, not as an xdist worker of this suite (that quiets the warnings).
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    proj.makeini("[pytest]\nfilterwarnings = error\n")
    result = run(proj, "--gates-cov=its")
    output = result.stdout.str() + result.stderr.str()
    assert "Traceback" not in output and "INTERNALERROR" not in output
    result.stdout.fnmatch_lines(["gates: coverage.py: Module its was never imported.*"])
    errors = [line for line in result.outlines if line.startswith("ERROR: gates:")]
    assert len(errors) == 1
    result.assert_outcomes(passed=1)
