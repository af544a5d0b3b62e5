"""The bundled example project breaks each gate exactly once, where its comments say.

Each planted violation carries a ``# violation: GTxxx`` comment on the line the finding
must point at; the tests read those comments, so moving code around in ``examples/``
needs no change here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Completed

REPO_ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = REPO_ROOT / "examples"
GATE_CODES = ["GT100", "GT101", "GT102", "GT103", "GT105", "GT106"]
# GT104 type-coverage runs and passes: a project total, which one missing annotation in a
# fully annotated example could not fail.
GATES_RUN = len(GATE_CODES) + 1
_MARKER = re.compile(r"#\s*violation:\s*(GT\d+)")


def planted_violations() -> set[tuple[str, str, int]]:
    """(code, path relative to examples/, line) for every ``# violation:`` comment."""
    planted = set()
    for file in sorted(EXAMPLES.rglob("*.py")):
        lines = file.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            for code in _MARKER.findall(line):
                planted.add((code, file.relative_to(EXAMPLES).as_posix(), number))
    return planted


def test_one_violation_of_each_gate_is_planted() -> None:
    assert sorted(code for code, _, _ in planted_violations()) == GATE_CODES


def test_gates_check_reports_exactly_the_planted_violations(
    run_gates: Callable[..., Completed],
) -> None:
    result = run_gates("check", "--no-cache", "--format", "json", "examples/", cwd=REPO_ROOT)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    found = {(f["code"], f["path"], f["line"]) for f in report["findings"]}
    assert found == planted_violations()
    assert len(report["findings"]) == len(GATE_CODES)
    assert sorted(g["code"] for g in report["gates"] if not g["passed"]) == GATE_CODES


def test_text_output_lists_every_finding_and_fails_every_gate(
    run_gates: Callable[..., Completed],
) -> None:
    result = run_gates("check", "--no-cache", "examples/", cwd=REPO_ROOT)
    assert result.returncode == 1, result.stderr
    for code, path, line in planted_violations():
        assert re.search(rf"^examples/{re.escape(path)}:{line}:\d+: {code} ", result.stdout, re.M)
    assert f"{len(GATE_CODES)} of {GATES_RUN} gates failed" in result.stdout


def test_the_examples_readme_lists_every_violation_where_it_is() -> None:
    readme = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    for code, path, line in planted_violations():
        assert re.search(rf"^\| {code} [a-z-]+ \| `{re.escape(path)}` \| {line} \|", readme, re.M), (
            f"examples/README.md does not list {code} at {path}:{line}"
        )


def test_the_example_project_keeps_every_default() -> None:
    """An empty [tool.gates]: the example shows the roadmap's criteria, not tuned limits."""
    text = (EXAMPLES / "pyproject.toml").read_text(encoding="utf-8")
    tables = re.findall(r"^\[tool\.gates[^\]]*\]", text, re.M)
    assert tables == ["[tool.gates]"]
    body = text.split("[tool.gates]", 1)[1]
    assert not [line for line in body.splitlines() if line.strip() and not line.startswith("#")]
