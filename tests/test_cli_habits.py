"""What ruff and flake8 users expect of a linter's command line, and figures shown one way."""

from __future__ import annotations

import json


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
