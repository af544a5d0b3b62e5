"""Gates that read another tool's data say where their figure comes from, how old it is,
and when the measured sources changed since (GateResult.note), in every format."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from gates.cli import main
from gates.perf import baselines as perf_baselines
from gates.perf.records import PerfEntry
from tests.test_coverage_gate import PACKAGE, measure

TWO_HOURS = 2 * 3600 + 30


def _at(path: Path, when: float) -> None:
    os.utime(path, (when, when))


def report(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["report", *args])
    out = capsys.readouterr().out
    return code, out


def gate_of(out: str, code: str) -> dict[str, object]:
    data = json.loads(out)
    gate: dict[str, object] = next(g for g in data["gates"] if g["code"] == code)
    return gate


@pytest.fixture
def measured(project: Callable[..., Path]) -> Path:
    """A project measured by `coverage run -m pytest`, its data and sources 2 h old."""
    root = project(PACKAGE)
    measure(root)
    written = time.time() - TWO_HOURS
    for source in root.rglob("*.py"):
        _at(source, written - 60)
    _at(root / ".coverage", written)
    return root


def test_coverage_says_its_data_file_and_age_then_stale(measured: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = report(capsys, "--select", "GT301", "--format", "json", str(measured))
    assert code == 1  # 55 % < 80 %
    assert gate_of(out, "GT301")["note"] == "from .coverage, 2 h old"
    # a test file is not a measured source (--source=pkg): the figure is not stale
    _at(measured / "tests" / "test_pkg.py", time.time())
    assert gate_of(report(capsys, "--select", "GT301", "--format", "json", str(measured))[1], "GT301")["note"] == (
        "from .coverage, 2 h old")
    _at(measured / "pkg" / "half.py", time.time())  # edited after the tests ran
    gate = gate_of(report(capsys, "--select", "GT301", "--format", "json", str(measured))[1], "GT301")
    assert gate["note"] == "from .coverage, 2 h old; stale: 1 file changed since"
    assert gate["measured"] == round(100 * 6 / 11)  # the figure itself is unchanged (as shown: precision 0)
    code, text = report(capsys, "--select", "GT301", str(measured))
    row = next(line for line in text.splitlines() if line.startswith("coverage"))
    shown = os.path.relpath(measured / ".coverage").replace(os.sep, "/")  # from here, as every path of the text
    assert f"(from {shown}, 2 h old; stale: 1 file changed since)" in row


def test_a_missing_coverage_file_is_a_failed_row_not_an_aborted_report(
    project: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root = project({**PACKAGE, "ROADMAP.md": "- [ ] Test coverage ≥ 80%\n- [ ] Largest file < 800 lines\n"})
    code, out = report(capsys, "--select", "GT301,GT103", "--format", "json", str(root))
    assert code == 1
    gate = gate_of(out, "GT301")
    assert (gate["passed"], gate["summary"]) == (False, "no coverage data")
    assert gate["note"] == "no .coverage: run the tests under coverage first; pytest --cov or coverage run -m pytest"
    assert gate_of(out, "GT103")["passed"] is True
    # the roadmap's checklist: the coverage line fails and says why; the others are judged
    cwd = os.getcwd()
    os.chdir(root)
    try:
        code, out = report(capsys, "--roadmap", "ROADMAP.md", "--format", "json")
    finally:
        os.chdir(cwd)
    assert code == 1
    coverage, largest = json.loads(out)["criteria"]
    assert coverage["status"] == "failed" and "no .coverage: run the tests under coverage first" in coverage["detail"]
    assert largest["status"] == "passed"


def test_perf_says_how_old_its_baselines_are_and_when_code_changed_since(
    project: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    benchmarks = {"tests/test_x.py::fast": {"runs": [[1.0]], "last": {"verdict": "ok", "ratio": 1.05}}}
    root = project({"pyproject.toml": "[tool.gates]\nselect = ['GT303']\n", "app/core.py": "x = 1\n",
                    ".performance_baselines.json": perf_baselines.dumps(
                        {key: PerfEntry.from_json(entry) for key, entry in benchmarks.items()})})
    written = time.time() - TWO_HOURS
    _at(root / "app" / "core.py", written - 60)
    _at(root / ".performance_baselines.json", written)
    code, out = report(capsys, "--format", "json", str(root))
    assert code == 0 and gate_of(out, "GT303")["note"] == "from .performance_baselines.json, 2 h old"
    (root / "app" / "new.py").write_text("y = 2\n")
    code, out = report(capsys, "--format", "json", str(root))
    assert gate_of(out, "GT303")["note"] == "from .performance_baselines.json, 2 h old; stale: 1 file changed since"
    (root / ".performance_baselines.json").unlink()  # no file: the summary says so, nothing to date
    code, out = report(capsys, "--format", "json", str(root))
    gate = gate_of(out, "GT303")
    assert code == 0 and "note" not in gate and "no baseline file" in str(gate["summary"])
