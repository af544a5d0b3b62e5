"""`gates check | list | explain` as a user runs them: exit codes, output lines, JSON contract."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import REPO_ROOT

VIOLATIONS = {
    "app/__init__.py": "",
    "app/main.py": """\
        import random


        def main():
            print("starting")
            random.seed()
    """,
}


def test_check_prints_findings_with_file_line_col_and_fails(project, run_gates) -> None:
    root = project(VIOLATIONS)
    result = run_gates("check", ".", cwd=root)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert "app/main.py:5:5: GT101 print() call in production code; use logging" in lines
    assert any(line.startswith("app/main.py:6:5: GT105 random.seed()") for line in lines)
    assert any(line.startswith("no-print (GT101)") and "FAILED" in line for line in lines)
    assert any(line.startswith("file-size (GT103)") and "passed" in line for line in lines)
    assert result.stderr == ""


def test_clean_project_passes_with_exit_0(project, run_gates) -> None:
    root = project({"ok.py": "def f(x: int) -> int:\n    return x\n"})
    result = run_gates("check", cwd=root)
    assert result.returncode == 0
    assert "all 7 gates passed (1 file checked)" in result.stdout


def test_paths_are_shown_relative_to_where_the_user_stands(project, run_gates) -> None:
    root = project(VIOLATIONS)
    result = run_gates("check", "app", "--select", "GT101", cwd=root)
    assert "app/main.py:5:5: GT101" in result.stdout
    inside = run_gates("check", ".", "--select", "GT101", cwd=root / "app")
    assert "main.py:5:5: GT101" in inside.stdout.splitlines()[0]
    above = run_gates("check", "proj/app", "--select", "GT101", cwd=root.parent)
    assert above.stdout.startswith("proj/app/main.py:5:5: GT101")
    (root / "docs").mkdir()
    beside = run_gates("check", "../app", "--select", "GT101", cwd=root / "docs")
    assert beside.stdout.startswith("../app/main.py:5:5: GT101")


def test_json_output_is_the_documented_contract(project, run_gates) -> None:
    root = project(VIOLATIONS)
    result = run_gates("check", "--format", "json", cwd=root)
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["version"] == 1
    assert set(data) >= {"version", "findings", "gates"}
    finding = next(f for f in data["findings"] if f["code"] == "GT101")
    assert finding == {
        "code": "GT101",
        "gate": "no-print",
        "path": "app/main.py",
        "line": 5,
        "column": 5,
        "message": "print() call in production code; use logging",
    }
    gate = next(g for g in data["gates"] if g["code"] == "GT102")
    assert {"name", "code", "passed", "measured", "threshold"} <= set(gate)
    assert gate["name"] == "function-length" and gate["passed"] is True
    assert gate["threshold"] == 50 and gate["measured"] == 3


def test_json_paths_are_relative_to_the_project_root_even_from_a_subfolder(project, run_gates) -> None:
    root = project({**VIOLATIONS, "pyproject.toml": "[tool.gates]\n"})
    result = run_gates("check", ".", "--format", "json", cwd=root / "app")
    paths = {f["path"] for f in json.loads(result.stdout)["findings"]}
    assert paths == {"app/main.py"}


def test_select_and_ignore_take_codes_prefixes_and_names(project, run_gates) -> None:
    root = project(VIOLATIONS)
    only_print = json.loads(run_gates("check", "--select", "no-print", "--format", "json", cwd=root).stdout)
    assert {g["code"] for g in only_print["gates"]} == {"GT100", "GT101"}
    prefix = json.loads(run_gates("check", "--select", "GT10", "--ignore", "GT105,GT100", "--format", "json", cwd=root).stdout)
    assert {g["code"] for g in prefix["gates"]} == {
        "GT101", "GT102", "GT103", "GT104", "GT106", "GT107", "GT108", "GT109"}


def test_quiet_prints_findings_only(project, run_gates) -> None:
    root = project(VIOLATIONS)
    result = run_gates("check", "-q", cwd=root)
    assert result.returncode == 1
    assert [line.split(" ")[1] for line in result.stdout.splitlines()] == ["GT101", "GT105"]


def test_unknown_gate_on_command_line_is_a_usage_error(project, run_gates) -> None:
    root = project(VIOLATIONS)
    result = run_gates("check", "--select", "GT999", cwd=root)
    assert result.returncode == 2
    assert result.stderr.startswith("gates: error: --select: unknown gate 'GT999'")
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1


def test_missing_path_is_a_usage_error(project, run_gates) -> None:
    root = project(VIOLATIONS)
    result = run_gates("check", "nope/", cwd=root)
    assert result.returncode == 2
    assert result.stderr == "gates: error: nope: no such file or folder\n"


def test_list_shows_every_gate_with_code_default_and_description(run_gates, tmp_path: Path) -> None:
    result = run_gates("list", cwd=tmp_path)
    assert result.returncode == 0
    rows = {line.split()[0]: line for line in result.stdout.splitlines()}
    assert {"GT100", "GT101", "GT102", "GT103", "GT105"} <= set(rows)
    assert "max 50 lines" in rows["GT102"] and "max 800 lines" in rows["GT103"]


def test_explain_shows_rationale_options_and_examples(run_gates, tmp_path: Path) -> None:
    result = run_gates("explain", "GT102", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("GT102 function-length:")
    assert "max = 50" in result.stdout and 'mode = "physical"' in result.stdout
    assert "Example — fails at line 1:" in result.stdout
    by_name = run_gates("explain", "no-print", cwd=tmp_path)
    assert by_name.stdout.startswith("GT101 no-print:")
    unknown = run_gates("explain", "GT999", cwd=tmp_path)
    assert unknown.returncode == 2 and "gates list" in unknown.stderr


def test_version_and_module_entry(run_gates, tmp_path: Path) -> None:
    result = run_gates("--version", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.startswith("gates ")


def test_help_explains_exit_codes(run_gates, tmp_path: Path) -> None:
    result = run_gates("check", "--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "exit 0 when all gates pass, 1 when a gate fails, 2 on a usage" in " ".join(result.stdout.split())


def test_the_project_passes_its_own_stricter_gates(run_gates) -> None:
    result = run_gates("check", "--no-cache", ".", cwd=REPO_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "function-length (GT102)" in result.stdout and "<= 40" in result.stdout


def test_the_recursion_limit_is_put_back_after_a_run(project, monkeypatch) -> None:
    import io
    import sys

    from gates.cli import main

    root = project({**VIOLATIONS, "deep.py": "x = " + " + ".join(["1"] * 1500) + "\n"})
    monkeypatch.chdir(root)
    before = sys.getrecursionlimit()
    sys.setrecursionlimit(1_500)
    outputs = {}
    try:
        for argv in (["check", "--no-cache"], ["report", "--no-cache"], ["baseline"], ["badge"]):
            out = io.StringIO()
            assert main(argv, out=out) in (0, 1), argv
            assert sys.getrecursionlimit() == 1_500, argv
            outputs[argv[0]] = out.getvalue()
    finally:
        sys.setrecursionlimit(before)
    assert "app/main.py:5:5: GT101" in outputs["check"]
    assert "deep.py" not in outputs["check"]  # parsed and walked: no GT100, no crash


def test_dash_means_the_standard_output_for_every_output_path(project, run_gates) -> None:
    root = project(VIOLATIONS)
    checked = run_gates("check", "--format", "json", "-o", "-", cwd=root)
    assert checked.returncode == 1 and json.loads(checked.stdout)["findings"]
    badge = run_gates("badge", "-o", "-", cwd=root)
    assert badge.returncode == 0 and badge.stdout.startswith("<svg")
    baseline = run_gates("baseline", "--file", "-", cwd=root)
    assert baseline.returncode == 0, baseline.stderr
    assert json.loads(baseline.stdout)["findings"]
    assert baseline.stderr.startswith("wrote the standard output\n")
    assert not (root / "-").exists() and not (root / ".gates-baseline.json").exists()


def test_explain_shows_each_gates_real_enabled_default(run_gates, tmp_path: Path) -> None:
    """Copying the options block of an off-by-default gate must not turn it on."""
    on_by_default = run_gates("explain", "GT101", cwd=tmp_path).stdout
    off_by_default = run_gates("explain", "GT201", cwd=tmp_path).stdout
    plugin_gate = run_gates("explain", "GT301", cwd=tmp_path).stdout
    assert "\n  enabled = true\n" in on_by_default
    assert "\n  enabled = false\n" in off_by_default
    assert "enabled = true" not in plugin_gate and "# enabled  # unset" in plugin_gate


def test_a_command_alone_parses_as_in_the_whole_parser() -> None:
    # A run builds only its own command's sub-parser (start-up time): each must be the one
    # the whole parser has, options added by other modules included (report --roadmap).
    import argparse

    from gates.cli.app import _ADDERS, build_parser

    def commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
        action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        return dict(action.choices)

    whole = commands(build_parser())
    assert sorted(whole) == sorted(_ADDERS)
    for name in _ADDERS:
        assert commands(build_parser(name))[name].format_help() == whole[name].format_help(), name
