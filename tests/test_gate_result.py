"""One gate result, one rule: every surface shows and judges a gate's figure the same way.

Real coverage.py data files (written with coverage.py's own ``CoverageData`` API, for a
real source file in the project), real commands through ``gates.cli.main`` in-process.
A project at 79.69 % with coverage.py's ``[report] precision = 0`` is shown as 80 % and
passes a floor of 80 everywhere, as ``coverage report --fail-under=80`` passes it; at
79.4 % it is shown as 79 % and fails everywhere.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from gates.cli import main
from gates.model import Direction, GateResult, as_shown, judge, percent_text, shown

ROADMAP = "# Roadmap\n\n- [ ] Test coverage >= 80%\n"
SVG = "{http://www.w3.org/2000/svg}"


def covered_project(root: Path, covered: int, statements: int, precision: int = 0) -> Path:
    """A project whose one module has ``statements`` statements, ``covered`` of them run."""
    root.mkdir(parents=True, exist_ok=True)
    import coverage

    (root / "mod.py").write_text("".join(f"x{i} = {i}\n" for i in range(statements)))
    (root / ".coveragerc").write_text(f"[report]\nprecision = {precision}\n")
    (root / "ROADMAP.md").write_text(ROADMAP)
    (root / "pyproject.toml").write_text("[tool.gates.coverage]\nenabled = true\n")
    data = coverage.CoverageData(str(root / ".coverage"))
    data.add_lines({str((root / "mod.py").resolve()): range(1, covered + 1)})
    data.write()
    return root


def gates(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """``gates ARGS`` run in ``root``, in this process: (exit code, stdout)."""
    capsys.readouterr()
    before = os.getcwd()
    os.chdir(root)
    try:
        code = main(list(args))
    finally:
        os.chdir(before)
    return code, capsys.readouterr().out


def coverage_py_passes(root: Path) -> bool:
    done = subprocess.run([sys.executable, "-m", "coverage", "report", "--fail-under=80"],
                          cwd=root, capture_output=True, text=True)
    return done.returncode == 0


def badge(svg: str) -> tuple[str, str]:
    tree = ET.fromstring(svg)
    color = next(r.get("fill") for r in tree.iter(f"{SVG}rect") if r.get("data-gates") == "color")
    value = next(t.text for t in tree.iter(f"{SVG}text") if t.get("data-gates") == "value")
    return value or "", color or ""


@pytest.mark.parametrize(
    ("covered", "statements", "figure", "passes"),
    [(255, 320, "80", True), (397, 500, "79", False)],  # 79.69 % and 79.40 %
    ids=["79.69-shown-80-passes", "79.40-shown-79-fails"],
)
def test_every_surface_shows_and_judges_the_figure_alike(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], covered: int, statements: int,
    figure: str, passes: bool,
) -> None:
    root = covered_project(tmp_path / "proj", covered, statements)
    assert coverage_py_passes(root) is passes
    exit_code = 0 if passes else 1
    sign, verdict = (">=", "passed") if passes else ("<", "FAILED")

    code, out = gates(root, capsys, "check", "--select", "GT301")
    assert code == exit_code, out
    assert f"coverage (GT301) {verdict}  total {figure} % {sign} 80 % (line)" in out

    code, out = gates(root, capsys, "report", "--select", "GT301")
    assert code == exit_code, out
    row = next(line for line in out.splitlines() if line.startswith("coverage"))
    assert f" {figure} % " in row and ">= 80 %" in row and verdict in row, row

    code, out = gates(root, capsys, "report", "--roadmap", "ROADMAP.md")
    assert code == exit_code, out
    line = next(line for line in out.splitlines() if "Test coverage" in line)
    assert line.startswith("passed" if passes else "FAILED"), line
    assert f"Test coverage >= 80% — {figure} %" in line, line

    code, out = gates(root, capsys, "badge", "--metric", "coverage")
    assert code == 0
    assert badge(out) == (f"{figure}%", "#97ca00" if passes else "#fe7d37")  # green, orange

    code, out = gates(root, capsys, "report", "--select", "GT301", "--format", "json")
    (gate,) = json.loads(out)["gates"]
    assert (gate["passed"], gate["measured"]) == (passes, float(figure))
    assert (gate["direction"], gate["precision"], gate["threshold"]) == ("floor", 0, 80.0)

    code, out = gates(root, capsys, "check", "--select", "GT301", "--format", "sarif")
    run = json.loads(out)["runs"][0]
    assert [r["ruleId"] for r in run["results"]] == ([] if passes else ["GT301"])
    assert run["properties"]["gates"][0]["measured"] == float(figure)

    code, out = gates(root, capsys, "report", "--select", "GT301", "--format", "markdown")
    assert f"| {figure} % | ≥ 80 % |" in out or f"| {figure} % | >= 80 % |" in out, out


def test_a_limit_with_decimals_is_judged_and_shown_with_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    # "> 80%" is a floor of 80.01: the gate runs at that tightest limit and is judged, as
    # coverage.py judges fail-under = 80.01, at two decimals; both lines show that figure.
    root = covered_project(tmp_path / "proj", 255, 320)
    (root / "ROADMAP.md").write_text("# R\n\n- Test coverage >= 80%\n- Test coverage > 80%\n")
    code, out = gates(root, capsys, "report", "--roadmap", "ROADMAP.md")
    lines = [line for line in out.splitlines() if "Test coverage" in line]
    assert code == 1
    assert all(line.startswith("FAILED") and "— 79.69 %" in line for line in lines), lines
    (root / "ROADMAP.md").write_text("# R\n\n- Test coverage >= 80%\n- Test coverage >= 79.5%\n")
    code, out = gates(root, capsys, "report", "--roadmap", "ROADMAP.md")
    lines = [line for line in out.splitlines() if "Test coverage" in line]
    assert code == 0
    assert all(line.startswith("passed") and "— 80 %" in line for line in lines), lines


def test_a_percentage_scorecard_row_never_guesses_its_direction() -> None:
    from gates.reporters.scorecard import limit_text

    # A ceiling in percent (e.g. duplicated lines <= 5 %) that fails over its limit.
    gate = GateResult("dup", "XT001", False, 7.0, 5.0, "%", 1, "", direction=Direction.CEILING)
    assert limit_text(gate) == "<= 5 %"
    assert limit_text(GateResult("cov", "XT002", False, 7.0, 5.0, "%", 1, "")) == ">= 5 %"
    # A result built without the new fields: a percentage is a floor with 2 decimals.
    legacy = GateResult("cov", "XT002", True, 79.996, 80.0, "%", 0, "")
    assert (legacy.direction, legacy.precision, legacy.shown) == (Direction.FLOOR, 2, "80.00 %")
    assert legacy.meets(80.0)


@pytest.mark.parametrize(
    ("value", "limit", "direction", "precision", "met"),
    [
        (79.6875, 80, Direction.FLOOR, 0, True),
        (79.4, 80, Direction.FLOOR, 0, False),
        (79.996, 80, Direction.FLOOR, 2, True),
        (80.24, 80.25, Direction.FLOOR, 0, False),  # the limit's own decimals count
        (99.999, 100, Direction.FLOOR, 2, False),  # 100 means exactly 100
        (99.6, 100, Direction.FLOOR, 0, False),
        (100.0, 100, Direction.FLOOR, 0, True),
        (50, 50, Direction.CEILING, 0, True),  # limits are inclusive
        (51, 50, Direction.CEILING, 0, False),
        (0.001, 0.0, Direction.CEILING, 2, False),  # never shown as 0 unless it is
    ],
)
def test_judge(value: float, limit: float, direction: Direction, precision: int, met: bool) -> None:
    assert judge(value, limit, direction, precision, "%") is met
    figure = as_shown(value, max(precision, 2 if limit != int(limit) else 0), "%")
    assert (figure >= limit if direction is Direction.FLOOR else figure <= limit) is met


def test_shown() -> None:
    assert shown(79.6875, "%", 0) == "80 %"
    assert shown(99.6, "%", 0) == "99 %" and shown(0.2, "%", 0) == "1 %"
    assert shown(1090, "lines", 0) == "1,090 lines" and shown(1, "prints", 0) == "1 print"
    # One spelling for every percentage: a limit as written, a figure as shown.
    assert percent_text(80.0) == "80 %" and percent_text(54.5) == "54.5 %"
    assert percent_text(1499.6, 0) == "1,500 %" and percent_text(99.996, 2) == "99.99 %"


# -- stateless project gates: the verdict is judged on the findings the baseline kept ----
def min_file_project(root: Path) -> Path:
    """Total 98.2 % (over the floor of 80), one file at 80 % (under min-file 90)."""
    import coverage

    root.mkdir(parents=True)
    (root / "full.py").write_text("".join(f"a{i} = {i}\n" for i in range(100)))
    (root / "low.py").write_text("".join(f"b{i} = {i}\n" for i in range(10)))
    (root / "pyproject.toml").write_text("[tool.gates.coverage]\nenabled = true\nmin-file = 90\n")
    data = coverage.CoverageData(str(root / ".coverage"))
    data.add_lines({str((root / "full.py").resolve()): range(1, 101),
                    str((root / "low.py").resolve()): range(1, 9)})
    data.write()
    return root


def test_a_baseline_written_when_coverage_said_80_percent_tightly_still_knows_its_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    """GT301 used to write "80%": a baseline entry's hash covers that message. A measured
    finding is also matched by its file and scope, so the new spelling flips no verdict."""
    from gates.adoption.fingerprint import code_hash

    root = min_file_project(tmp_path / "proj")
    old = code_hash("b0 = 0", "file coverage 80% is below min-file 90%")
    assert old != code_hash("b0 = 0", "file coverage 80 % is below min-file 90 %")
    entry = {"path": "low.py", "code": "GT301", "symbol": "", "hash": old, "min": 80.0}
    (root / ".gates-baseline.json").write_text(json.dumps({"version": 1, "findings": [entry]}))
    code, out = gates(root, capsys, "check")
    assert code == 0 and "1 known in the baseline" in out, out


def test_a_file_under_min_file_known_in_the_baseline_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    root = min_file_project(tmp_path / "proj")
    code, out = gates(root, capsys, "check")
    assert code == 1 and "low.py:1:1: GT301 file coverage 80 % is below min-file 90 %" in out, out

    code, out = gates(root, capsys, "baseline")
    assert code == 0, out
    code, out = gates(root, capsys, "check")
    assert code == 0, out
    assert "passed  total 98 % >= 80 % (line); 1 known in the baseline" in out, out
    assert "GT301 file coverage" not in out

    code, out = gates(root, capsys, "check", "--format", "json")
    (gate,) = [g for g in json.loads(out)["gates"] if g["code"] == "GT301"]
    assert (gate["passed"], gate["violations"], json.loads(out)["findings"]) == (True, 0, [])

    # A second file falling under min-file is new: it fails, and is the one shown.
    (root / "new.py").write_text("c = 1\nd = 2\n")
    import coverage

    data = coverage.CoverageData(str(root / ".coverage"))
    data.read()
    data.add_lines({str((root / "new.py").resolve()): [1]})
    data.write()
    code, out = gates(root, capsys, "check")
    assert code == 1, out
    assert "new.py:1:1: GT301 file coverage 50 % is below min-file 90 %" in out
    assert "low.py:1:1" not in out and "1 file < min-file 90 %: new.py 50 %" in out
