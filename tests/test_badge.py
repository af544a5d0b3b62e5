"""`gates badge`: an SVG per metric, coloured by the gate's threshold."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from gates.reporters.badge import COLORS, Badge, badge_for, percentage_color, render_svg
from gates.errors import UsageError
from gates.model import Direction, GateResult, RunResult, judge

SVG = "{http://www.w3.org/2000/svg}"


def read_badge(svg: str) -> tuple[str, str, str]:
    """(label, value, colour) as a viewer shows them."""
    tree = ET.fromstring(svg)
    color = next(r.get("fill") for r in tree.iter(f"{SVG}rect") if r.get("data-gates") == "color")
    value = next(t.text for t in tree.iter(f"{SVG}text") if t.get("data-gates") == "value")
    label = tree.find(f"{SVG}title").text.split(": ")[0]  # type: ignore[union-attr]
    return label, value or "", color or ""


def coverage(measured: float, passed: bool | None = None) -> RunResult:
    passed = judge(measured, 80.0, Direction.FLOOR, 2, "%") if passed is None else passed
    gate = GateResult("coverage", "GT301", passed, measured, 80.0, "%", int(not passed), "")
    return RunResult("/p", 1, (gate,), ())


@pytest.mark.parametrize(
    ("measured", "color"),
    [(65.0, "red"), (69.9, "red"), (70.0, "orange"), (79.99, "orange"), (79.994, "orange"),
     (79.996, "green"), (80.0, "green"), (89.9, "green"), (90.0, "brightgreen"), (100.0, "brightgreen")],
)
def test_percentage_colour_follows_the_threshold(measured: float, color: str) -> None:
    assert percentage_color(measured, 80.0) == color
    assert read_badge(render_svg(badge_for(coverage(measured), "coverage")))[2] == COLORS[color]


def test_percentage_badge_shows_the_figure_as_the_gate_judged_it() -> None:
    assert badge_for(coverage(83.444), "coverage") == Badge("coverage", "83.44%", "green")
    assert badge_for(coverage(83.444), "GT301") == Badge("coverage", "83.44%", "green")
    # Shown and judged alike: 79.994 is "79.99%" under the floor, 79.996 is "80.00%" over it.
    assert badge_for(coverage(79.994), "coverage") == Badge("coverage", "79.99%", "orange")


def test_an_unknown_metric_names_the_choices() -> None:
    with pytest.raises(UsageError, match="no gate 'type-coverage' in this run; choose one of: overall, coverage"):
        badge_for(coverage(90), "type-coverage")


def test_labels_are_escaped() -> None:
    svg = render_svg(Badge("<b>&", "1 < 2", "red"))
    assert read_badge(svg)[:2] == ("<b>&", "1 < 2")


def test_overall_badge_from_the_command_line(project, run_gates) -> None:
    root = project({"ok.py": "x = 1\n"})
    result = run_gates("badge", "-o", "badges/gates.svg", cwd=root)
    assert result.returncode == 0 and result.stdout == ""
    assert read_badge((root / "badges" / "gates.svg").read_text()) == ("gates", "passing", COLORS["brightgreen"])
    (root / "bad.py").write_text("print(1)\nimport random\nrandom.seed()\n")
    failing = run_gates("badge", cwd=root)
    assert failing.returncode == 0  # the badge was made; the gates decide nothing here
    assert read_badge(failing.stdout) == ("gates", "2 failing", COLORS["red"])


def test_a_gate_badge_runs_only_that_gate(project, run_gates) -> None:
    root = project({"long.py": "def f():\n" + "    x = 1\n" * 60, "p.py": "print(1)\n"})
    result = run_gates("badge", "--metric", "function-length", cwd=root)
    assert read_badge(result.stdout) == ("function length", "61 lines", COLORS["red"])
    missing = run_gates("badge", "--metric", "nonsense", cwd=root)
    assert missing.returncode == 2 and "unknown gate 'nonsense'" in missing.stderr
