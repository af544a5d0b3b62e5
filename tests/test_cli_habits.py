"""What ruff and flake8 users expect of a linter's command line, and figures shown one way."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys


def test_counts_have_thousands_separators_and_complexity_reads_before_its_figure(project, run_gates) -> None:
    busy = "def busy(x):\n" + "".join(f"    if x == {i}:\n        return {i}\n" for i in range(11))
    root = project({"a.py": "print(1)\n" * 1234, "b.py": busy})
    check = run_gates("check", "--select", "GT101,GT106", cwd=root).stdout
    assert "no-print (GT101)   FAILED  1,234 prints" in check
    assert "1 function over complexity 10 (worst: b.py:1 busy, complexity 12)" in check
    report = run_gates("report", "--select", "GT101,GT106", cwd=root).stdout
    assert "1,234 prints" in report and "complexity 12" in report
    assert "1234 prints" not in check + report and "12 complexity" not in check + report


def test_one_gate_is_one_gate(project, run_gates) -> None:
    root = project({"a.py": "x = 1\n"})
    assert run_gates("check", "--select", "GT100", cwd=root).stdout.endswith(
        "the 1 gate passed (1 file checked)\n")
    root.joinpath("a.py").write_text("def (:\n")
    assert run_gates("check", "--select", "GT100", cwd=root).stdout.endswith(
        "1 of 1 gate failed (1 file checked)\n")


def test_percent_limits_are_spaced_as_every_other_percentage(project, run_gates) -> None:
    listed = run_gates("list", cwd=project({})).stdout
    assert "min 80 %" in listed and "min 60 %" in listed and "80%" not in listed


COVERED = {
    "pyproject.toml": "[tool.gates.coverage]\nenabled = true\nfail-under = 80\nmin-file = 90\n"
                      "[tool.gates.type-coverage]\nmin-file = 90\n",
    "pkg/__init__.py": "",
    "pkg/mod.py": "def one() -> int:\n    return 1\n\n\ndef pick(x):\n    if x > 0:\n"
                  "        return 'positive'\n    return 'other'\n\n\ndef never(a, b):\n    return a + b\n",
    "tests/test_mod.py": "from pkg.mod import one, pick\n\n\ndef test_one():\n    assert one() == 1\n\n\n"
                         "def test_pick():\n    assert pick(3) == 'positive'\n",
}


def test_every_percentage_gates_writes_is_spelled_as_the_scorecard_does(project, run_gates) -> None:
    """"75 %" in the report's rows, summaries, notes and per-file tables, and in the pytest
    plugin's lines; pytest-cov's own table keeps its own "75%"."""
    root = project(COVERED)
    tested = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:hypothesispytest",
         "-p", "no:cacheprovider", "--cov=pkg", "tests"],
        cwd=root, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"}, timeout=120,
    )
    assert tested.returncode == 1, tested.stdout + tested.stderr  # 75 % < 80 %: gates' own floor
    plugin = [line for line in tested.stdout.splitlines()
              if line.startswith(("gates", "GT301", "files under")) or line.startswith("  pkg/")]
    assert "GT301 coverage FAILED: total 75 % < 80 % (line); 1 file < min-file 90 %: pkg/mod.py 75 %" in plugin
    assert not [line for line in plugin if re.search(r"\d%", line)], plugin
    assert re.search(r"^TOTAL .* 75%$", tested.stdout, re.M)  # pytest-cov's table, verbatim
    report = run_gates("report", "-v", cwd=root)
    assert report.returncode == 1, report.stdout + report.stderr
    assert "total 75 % < 80 % (line); 1 file < min-file 90 %: pkg/mod.py 75 %" in report.stdout
    assert "16.67 % of 6 slots annotated (min 60 %); 1 file below min-file 90 %" in report.stdout
    assert re.findall(r"\d%", report.stdout) == [], report.stdout


MESSY = {"a.py": "print(1)\nprint(2)\n", "b.py": "import random\nrandom.seed()\nprint(3)\n"}


def test_exit_zero_reports_failures_but_exits_0(project, run_gates) -> None:
    root = project(MESSY)
    failed = run_gates("check", cwd=root)
    assert failed.returncode == 1
    zero = run_gates("check", "--exit-zero", cwd=root)
    assert zero.returncode == 0 and zero.stdout == failed.stdout
    assert run_gates("report", "--exit-zero", cwd=root).returncode == 0
    assert run_gates("check", "--exit-zero", "--select", "GT999", cwd=root).returncode == 2


def test_statistics_count_findings_per_code(project, run_gates) -> None:
    root = project(MESSY)
    result = run_gates("check", "--statistics", cwd=root)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[:2] == ["3  GT101  print() call in production code; use logging",
                         "1  GT105  random.seed() without an explicit seed; pass a fixed seed"]
    assert "a.py:1:1" not in result.stdout and "2 of 7 gates failed" in result.stdout
    wrong = run_gates("check", "--statistics", "--format", "json", cwd=root)
    assert wrong.returncode == 2 and "--statistics" in wrong.stderr


def test_output_format_is_an_alias_of_format(project, run_gates) -> None:
    root = project(MESSY)
    ruff_style = run_gates("check", "--output-format", "json", cwd=root)
    assert ruff_style.stdout == run_gates("check", "--format", "json", cwd=root).stdout
    assert json.loads(ruff_style.stdout)["findings"]


def test_quiet_report_shows_only_the_failing_rows(project, run_gates) -> None:
    root = project(MESSY)
    full = run_gates("report", cwd=root).stdout
    quiet = run_gates("report", "-q", cwd=root).stdout
    assert "function-length" in full and "function-length" not in quiet
    assert "no-print" in quiet and "unseeded-rng" in quiet
    assert quiet.rstrip().endswith("2 of 7 gates failed (2 files checked)")


def test_no_gate_left_is_a_usage_error(project, run_gates) -> None:
    root = project(MESSY)
    result = run_gates("check", "--ignore", "GT1", cwd=root)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == ("gates: error: no gates selected: --select/--ignore (or select/ignore "
                             "in the config) leave none; `gates list` shows them\n")


def test_a_folder_without_python_files_is_said_out_loud(project, run_gates) -> None:
    root = project({"README.md": "nothing here\n"})
    result = run_gates("check", cwd=root)
    assert result.stderr == "gates: warning: no Python files found in the current folder\n"
    assert result.returncode == 0  # as ruff: a warning; project gates may still judge data files


PLACED = {
    "pyproject.toml": "[tool.gates]\nselect = ['GT101', 'GT103', 'GT104']\n[tool.gates.file-size]\nmax = 3\n",
    "pkg/big.py": "def f(x):\n    return x\n\n\nprint(x)\n",
    "pkg/sub/ok.py": "y = 1\n",
    "ROADMAP.md": "- [ ] No module longer than 3 lines\n",
}


def test_one_output_has_one_path_base_the_current_folder(project, run_gates) -> None:
    """Findings, the summary's worst file, worst offenders, per-file figures and the
    checklist's details all name files from where the user stands, as ruff does."""
    root = project(PLACED)
    inside = root / "pkg" / "sub"
    check = run_gates("check", "-v", "..", cwd=inside).stdout
    assert "../big.py:5:1: GT101" in check and "../big.py:1:1: GT103" in check
    assert "(worst: ../big.py:1, 5 lines)" in check
    assert "  ../big.py\n" in check and "  ok.py\n" in check  # the type-coverage table
    assert "pkg/" not in check
    report = run_gates("report", "-v", "..", cwd=inside).stdout
    assert "(worst: ../big.py:1, 5 lines)" in report
    assert re.search(r"^  no-print +\.\./big\.py:5 ", report, re.M), report
    assert "pkg/" not in report
    above = run_gates("report", root.name, cwd=root.parent).stdout
    assert f"(worst: {root.name}/pkg/big.py:1, 5 lines)" in above
    assert re.search(rf"^  no-print +{root.name}/pkg/big\.py:5 ", above, re.M), above
    checklist = run_gates("report", "--roadmap", "../../ROADMAP.md", "..", cwd=inside).stdout
    assert "../../ROADMAP.md:1" in checklist and "../big.py" in checklist and "pkg/" not in checklist
    # Machine formats keep their documented base: the project root.
    found = json.loads(run_gates("check", "--format", "json", "..", cwd=inside).stdout)["findings"]
    assert {f["path"] for f in found} == {"pkg/big.py"}


def test_a_data_file_note_names_the_file_from_where_the_user_stands(project, run_gates) -> None:
    import coverage

    root = project({"pyproject.toml": "[tool.gates.coverage]\nenabled = true\nfail-under = 0\n",
                    "pkg/mod.py": "a = 1\nb = 2\n"})
    inside = root / "pkg"
    missing = run_gates("check", "--select", "GT301", "..", cwd=inside).stdout
    assert "(no ../.coverage: run the tests under coverage first" in missing, missing
    data = coverage.CoverageData(str(root / ".coverage"))
    data.add_lines({str((root / "pkg" / "mod.py").resolve()): [1, 2]})
    data.write()
    found = run_gates("check", "--select", "GT301", "..", cwd=inside).stdout
    assert "total 100 % (no floor set) (line) (from ../.coverage, " in found, found
    assert "(from .coverage, " in run_gates("check", "--select", "GT301", cwd=root).stdout
    # Machine formats keep their documented base: the project root.
    (gate,) = json.loads(run_gates("check", "--select", "GT301", "--format", "json", "..", cwd=inside).stdout)["gates"]
    assert gate["note"].startswith("from .coverage, ")
