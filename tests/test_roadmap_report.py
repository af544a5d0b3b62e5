"""`gates report --roadmap ROADMAP.md`: the roadmap's own criteria, ticked and crossed by measurement."""

from __future__ import annotations

import json
import os
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import REPO_ROOT, Completed, run_gates_process

ROADMAP = """\
# Roadmap

Prose about the plan, with no figure in it.

## Phase 1

- [ ] Largest file <800 lines
- [ ] No print() statements in production code
- [x] Type coverage ≥50%
- [ ] Team trained on new patterns

## Phase 3

| Metric | Current | Target |
|---|---|---|
| Function length | 55 lines | Functions < 60 lines |
| Function length (end of year) | 55 lines | Functions < 40 lines |
| Memory | ? | Memory usage <1.2GB |
"""

LONG_FUNCTION = "def handle(x: int) -> int:\n" + "".join(f"    x += {i}\n" for i in range(53)) + "    return x\n"


@pytest.fixture
def relay(project) -> Path:  # type: ignore[no-untyped-def]
    return project({
        "ROADMAP.md": ROADMAP,
        "pyproject.toml": "[tool.gates.file-size]\nmax = 2000\n",  # the project's own limit is looser
        "relay/relays.py": "x: int = 1\n" * 900,
        "relay/cli.py": "def main(a: int) -> None:\n    print(a)\n",
        "relay/handler.py": LONG_FUNCTION,
    })


def report(folder: Path, *args: str) -> Completed:
    return run_gates_process("report", "--roadmap", "ROADMAP.md", *args, cwd=folder)


def line_of(text: str) -> int:
    return next(i for i, line in enumerate(ROADMAP.splitlines(), 1) if text in line)


def test_text_checklist_ticks_and_crosses_each_line_by_measurement(relay: Path) -> None:
    done = report(relay)
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()

    def row(text: str) -> str:
        return next(line for line in lines if f"ROADMAP.md:{line_of(text)} " in line)

    assert row("Largest file").startswith("FAILED")
    assert "relay/relays.py has 900 lines" in row("Largest file") and "≤ 799 lines" in row("Largest file")
    assert row("No print()").startswith("FAILED") and "relay/cli.py:2" in row("No print()")
    assert row("Type coverage").startswith("passed") and "100.00 %" in row("Type coverage")
    assert row("Team trained").startswith("not measured")
    assert row("< 60 lines").startswith("passed") and "55 lines" in row("< 60 lines")
    assert row("< 40 lines").startswith("FAILED") and "relay/handler.py:1 handle has 55 lines" in row("< 40 lines")
    # the session's peak memory is a limit of the test run: `gates report` does not judge it
    assert row("Memory usage").startswith("not measured")
    assert "measured while the tests run: the session's peak RSS" in row("Memory usage")
    assert "max-memory" in row("Memory usage")
    assert "Prose about the plan" not in done.stdout
    assert lines[-1] == "2 of 5 measured criteria met, 3 failed; 2 not measured (3 files checked)"


def test_markdown_checklist_to_paste_into_the_tracking_issue(relay: Path) -> None:
    done = report(relay, "--format", "markdown")
    assert done.returncode == 1
    out = done.stdout
    assert out.startswith("## ❌ Roadmap: ROADMAP.md\n")
    assert f"- ❌ Largest file &lt;800 lines — relay/relays.py has 900 lines (limit ≤ 799 lines) <sub>ROADMAP.md:{line_of('Largest')}</sub>" in out
    assert f"- ✅ Type coverage ≥50% — 100.00 % <sub>ROADMAP.md:{line_of('Type coverage')}</sub>" in out
    assert f"- ➖ Team trained on new patterns — not measured: not a criterion gates can measure <sub>ROADMAP.md:{line_of('Team')}</sub>" in out


def test_every_criterion_passes_when_the_code_meets_it(project) -> None:  # type: ignore[no-untyped-def]
    folder = project({"ROADMAP.md": "- [ ] Largest file <800 lines\n- [ ] Replace print() with logging\n",
                      "app.py": "import logging\nlogging.info('x')\n"})
    done = report(folder, "--format", "markdown")
    assert done.returncode == 0, done.stdout
    assert done.stdout.startswith("## ✅ Roadmap: ROADMAP.md")
    assert "**2 of 2 measured criteria met (1 file checked)**" in done.stdout


def test_json_lists_every_criterion_with_its_verdict_and_figure(relay: Path) -> None:
    done = report(relay, "--format", "json")
    data = json.loads(done.stdout)
    assert data["passed"] is False and data["roadmap"] == "ROADMAP.md"
    by_line = {c["line"]: c for c in data["criteria"]}
    largest = by_line[line_of("Largest file")]
    assert (largest["status"], largest["gate"], largest["measured"], largest["limit"]) == ("failed", "file-size", 900.0, 799)
    assert by_line[line_of("Team trained")]["status"] == "unmeasured"
    assert {g["name"] for g in data["gates"]} >= {"file-size", "no-print", "type-coverage", "function-length"}


def test_sarif_puts_each_criterion_on_its_roadmap_line(relay: Path) -> None:
    done = report(relay, "--format", "sarif")
    log = json.loads(done.stdout)
    schema = json.loads((REPO_ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())
    jsonschema.validate(log, schema, cls=jsonschema.Draft7Validator)
    roadmap = [r for r in log["runs"][0]["results"] if r["ruleId"] == "roadmap"]
    failed = [r for r in roadmap if r["kind"] == "fail"]
    lines = {r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in failed}
    assert lines == {line_of("Largest file"), line_of("No print()"), line_of("< 40 lines")}
    assert {r["level"] for r in roadmap if r["kind"] == "review"} == {"note"}


def test_junit_fails_and_skips_criteria(relay: Path) -> None:
    done = report(relay, "--format", "junit")
    suite = ET.fromstring(done.stdout).find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("7", "3", "2")
    names = {case.get("name"): case for case in suite.iter("testcase")}
    assert names["Team trained on new patterns"].find("skipped") is not None
    assert names["Largest file <800 lines"].find("failure") is not None


def test_github_annotates_the_roadmap_lines(relay: Path) -> None:
    done = report(relay, "--format", "github")
    assert f"::error file=ROADMAP.md,line={line_of('Largest file')},title=roadmap criterion not met::" in done.stdout
    assert f"::notice file=ROADMAP.md,line={line_of('Team trained')},title=not measured::" in done.stdout


def test_html_and_output_file(relay: Path) -> None:
    done = report(relay, "--format", "html", "--output", "out/roadmap.html")
    assert done.returncode == 1 and done.stdout == ""
    page = (relay / "out" / "roadmap.html").read_text(encoding="utf-8")
    assert "<title>Roadmap: ROADMAP.md</title>" in page and "Largest file &lt;800 lines" in page


def test_the_roadmap_picks_the_gates(relay: Path) -> None:
    done = report(relay, "--select", "GT101")
    assert done.returncode == 2 and "drop --select" in done.stderr
    missing = run_gates_process("report", "--roadmap", "NOPE.md", cwd=relay)
    assert missing.returncode == 2 and "NOPE.md: no such roadmap file" in missing.stderr


def test_a_ratchet_baseline_does_not_hide_what_the_roadmap_measures(project) -> None:  # type: ignore[no-untyped-def]
    folder = project({"ROADMAP.md": "- [ ] No print() statements in production code\n",
                      "pyproject.toml": "[tool.gates]\n", "app.py": "print('x')\n"})
    assert run_gates_process("baseline", cwd=folder).returncode == 0
    assert run_gates_process("check", "--select", "GT101", cwd=folder).returncode == 0  # known, so passing
    done = report(folder)
    assert done.returncode == 1 and "FAILED" in done.stdout and "app.py:1" in done.stdout
    assert report(folder, "--diff", "HEAD").returncode == 2


def test_json_checklist_keeps_to_the_published_schema(relay: Path) -> None:
    schema = json.loads((REPO_ROOT / "gates" / "schema" / "output-v1.json").read_text())
    data = json.loads(report(relay, "--format", "json").stdout)
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
    type_coverage = next(c for c in data["criteria"] if c["line"] == line_of("Type coverage"))
    assert (type_coverage["code"], type_coverage["unit"], type_coverage["limit"]) == ("GT104", "%", 50)
    assert "code" not in next(c for c in data["criteria"] if c["line"] == line_of("Memory usage"))
    # without --roadmap the document is as before: no roadmap keys at all
    plain = json.loads(run_gates_process("report", "--format", "json", cwd=relay).stdout)
    assert "roadmap" not in plain and "criteria" not in plain
    jsonschema.validate(plain, schema, cls=jsonschema.Draft202012Validator)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_on_a_terminal_the_checklist_is_a_coloured_table(relay: Path) -> None:
    from tests.test_report import _run_on_a_terminal

    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | {"COLUMNS": "160", "TERM": "xterm"}
    code, screen = _run_on_a_terminal(["report", "--roadmap", "ROADMAP.md"], relay, env)
    assert code == 1
    assert "\x1b[" in screen and "gates report --roadmap ROADMAP.md" in screen
    rows = screen.splitlines()
    assert any("✘ FAILED" in row and "Largest file <800 lines" in row for row in rows)
    assert any("✔ passed" in row and f"ROADMAP.md:{line_of('Type coverage')}" in row for row in rows)
    assert any("not measured" in row and "Team trained" in row for row in rows)
    assert "2 of 5 measured criteria met, 3 failed; 2 not measured (3 files checked)" in screen
