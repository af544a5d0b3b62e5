"""GT201 flake8, GT202 mypy, GT203 bandit: the same findings as the tool run directly on the
same files with the same configuration; a missing tool is a one-line error; imports stay lazy."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import Completed


def tool(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env=env)


def rel(path: str, root: Path) -> str:
    """A tool's path (./a.py, /abs/a.py or a.py) relative to the sample root."""
    return Path(os.path.relpath(os.path.join(root, path), root)).as_posix()


def gates_findings(result: Completed, code: str) -> set[tuple[str, int, int, str]]:
    data = json.loads(result.stdout)
    return {(f["path"], f["line"], f["column"], f["message"]) for f in data["findings"] if f["code"] == code}


SAMPLE = {
    "pkg/__init__.py": "",
    "pkg/core.py": """\
        import os
        import pickle
        import subprocess


        def run(cmd, shell_flag=True):
            subprocess.call(cmd, shell=True)
            return eval(cmd)


        def load(blob: bytes) -> object:
            return pickle.loads(blob)


        def width() -> int:
            return "a line that is longer than seventy-nine characters but shorter than 100"


        x: int = "text"  # noqa: E501
        y = undefined  # noqa
        """,
    "pkg/util.py": """\
        from typing import List


        def total(values: List[int]) -> str:
            return sum(values)
        """,
    "tests/test_core.py": "import os\nassert os\n",
}


@pytest.fixture
def sample(project) -> Path:
    return project({
        **SAMPLE,
        "setup.cfg": "[flake8]\nmax-line-length = 100\nextend-ignore = E302\n",
        "pyproject.toml": textwrap.dedent("""\
            [tool.gates]

            [tool.mypy]
            disallow_untyped_defs = true

            [tool.bandit]
            skips = ["B301", "B403"]
            """),
    })


PRODUCTION = ["pkg/__init__.py", "pkg/core.py", "pkg/util.py"]


def test_flake8_gate_reports_what_flake8_reports(sample: Path, run_gates) -> None:
    ours = gates_findings(run_gates("check", "--select", "GT201", "--format", "json", cwd=sample), "GT201")
    direct = tool("flake8", *PRODUCTION, cwd=sample).stdout
    theirs = set()
    for line in direct.splitlines():
        path, row, col, text = line.split(":", 3)
        if not text.strip().startswith("GT"):  # gates' own flake8 plugin: left to gates' own gates
            theirs.add((rel(path, sample), int(row), int(col), text.strip()))
    assert ours == theirs
    codes = {message.split()[0] for *_, message in ours}
    assert "F401" in codes
    assert "F821" not in codes  # `# noqa` works as in flake8
    assert "E501" not in codes and "E302" not in codes  # setup.cfg honoured


def test_mypy_gate_reports_what_mypy_reports(sample: Path, run_gates) -> None:
    ours = gates_findings(run_gates("check", "--select", "GT202", "--format", "json", cwd=sample), "GT202")
    direct = tool("mypy", "--show-column-numbers", "--no-error-summary", *PRODUCTION, cwd=sample).stdout
    pattern = re.compile(r"^(.+?):(\d+):(\d+): error: (.*)$")
    theirs = {
        (rel(m[1], sample), int(m[2]), int(m[3]), m[4]) for m in map(pattern.match, direct.splitlines()) if m
    }
    assert ours == theirs and theirs
    messages = " ".join(message for *_, message in ours)
    assert "[no-untyped-def]" in messages  # [tool.mypy] honoured
    assert "[assignment]" in messages and "[return-value]" in messages


def test_mypy_runs_once_for_the_whole_project(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import mypy.api

    from gates.core.config import load_settings
    from gates.core.engine import run
    from gates.core.selection import select_checkers

    calls: list[list[str]] = []
    real = mypy.api.run

    def counting(args: list[str]) -> tuple[str, str, int]:
        calls.append(args)
        return real(args)

    monkeypatch.setattr(mypy.api, "run", counting)
    monkeypatch.chdir(sample)
    settings = load_settings(start=sample)
    result = run([sample], settings, select_checkers(settings, ["GT202"]), jobs=1)
    assert len(calls) == 1
    assert {f.path for f in result.findings} == {"pkg/core.py", "pkg/util.py"}


def test_bandit_gate_reports_what_bandit_reports(sample: Path, run_gates) -> None:
    ours = gates_findings(run_gates("check", "--select", "GT203", "--format", "json", cwd=sample), "GT203")
    direct = tool("bandit", "-q", "-c", "pyproject.toml", "-f", "json", "--severity-level", "medium",
                  "--confidence-level", "medium", *PRODUCTION, cwd=sample)
    theirs = {
        (rel(r["filename"], sample), r["line_number"], r["col_offset"] + 1,
         f"{r['test_id']} {r['issue_text']} (severity {r['issue_severity'].lower()}, "
         f"confidence {r['issue_confidence'].lower()})")
        for r in json.loads(direct.stdout)["results"]
    }
    assert ours == theirs and theirs
    ids = {message.split()[0] for *_, message in ours}
    assert {"B602", "B307"} <= ids
    assert "B301" not in ids  # [tool.bandit] skips honoured
    assert "B404" not in ids  # low severity: under the default threshold


def test_bandit_thresholds_come_from_the_gate(sample: Path, run_gates) -> None:
    (sample / "pyproject.toml").write_text(
        "[tool.gates.bandit]\nseverity = \"high\"\nconfidence = \"high\"\n")
    result = run_gates("check", "--select", "GT203", "--format", "json", cwd=sample)
    ids = {message.split()[0] for *_, message in gates_findings(result, "GT203")}
    assert ids == {"B602"}


def test_tool_findings_honour_inline_suppression_and_per_file_ignores(project, run_gates) -> None:
    root = project({
        "a.py": 'x: int = "one"  # gates: ignore[GT202]\ny: int = "two"\n',
        "legacy/b.py": 'z: int = "three"\n',
        "pyproject.toml": '[tool.gates]\nper-file-ignores = { "legacy/*" = ["mypy"] }\n',
    })
    result = run_gates("check", "--select", "GT202", "--format", "json", cwd=root)
    assert [(p, line) for p, line, *_ in gates_findings(result, "GT202")] == [("a.py", 2)]


def test_the_tools_are_off_by_default(sample: Path, run_gates) -> None:
    data = json.loads(run_gates("check", "--format", "json", cwd=sample).stdout)
    assert not {"GT201", "GT202", "GT203"} & {g["code"] for g in data["gates"]}


BLOCK = """\
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == {module!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}")
sys.meta_path.insert(0, Block())
from gates.cli import main
raise SystemExit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize(("gate", "module"), [("GT201", "flake8"), ("GT202", "mypy"), ("GT203", "bandit")])
def test_a_missing_tool_is_a_one_line_error_naming_the_install(project, gate: str, module: str) -> None:
    root = project({"m.py": "X = 1\n"})
    proc = subprocess.run([sys.executable, "-c", BLOCK.format(module=module), "check", "--select", gate],
                          cwd=root, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert f"needs {module}, which is not installed; run: pip install {module}" in proc.stderr


LAZY = """\
import sys
from gates.cli import main
code = main(sys.argv[1:])
heavy = sorted({m.split(".")[0] for m in sys.modules} & {"mypy", "bandit", "radon", "flake8"})
sys.stderr.write(",".join(heavy) + "\\n")
raise SystemExit(code)
"""


def test_checking_prints_does_not_import_the_heavy_tools(project) -> None:
    root = project({"m.py": "def f(x):\n    print(x)\n"})
    proc = subprocess.run([sys.executable, "-c", LAZY, "check", "--select", "GT101"],
                          cwd=root, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert proc.stderr == "\n"
    proc = subprocess.run([sys.executable, "-c", LAZY, "check", "--select", "GT101,GT106"],
                          cwd=root, capture_output=True, text=True, timeout=120)
    assert proc.stderr == "\n"  # GT106 counts by radon's rules without radon
    (root / "pyproject.toml").write_text("[tool.gates.complexity]\nmin-maintainability = 1\n")
    proc = subprocess.run([sys.executable, "-c", LAZY, "check", "--select", "GT101,GT106"],
                          cwd=root, capture_output=True, text=True, timeout=120)
    assert proc.stderr == "radon\n"  # the probe itself sees what a real import leaves behind


def test_mypy_blocking_errors_are_findings_marked_as_stopping_mypy(project, run_gates) -> None:
    # mypy exits 2 at a duplicate module name (no line number) and never checks c.py.
    root = project({"a/m.py": "X = 1\n", "b/m.py": "Y = 2\n", "c.py": 'z: int = "three"\n'})
    result = run_gates("check", "--select", "GT202", "--format", "json", cwd=root)
    assert result.returncode == 1, result.stdout + result.stderr
    found = sorted(gates_findings(result, "GT202"))
    assert [(p, line) for p, line, *_ in found] == [("b/m.py", 1)]
    assert 'Duplicate module named "m"' in found[0][-1]
    assert "blocking: mypy stopped here" in found[0][-1]


def test_a_file_mypy_cannot_parse_is_a_blocking_finding(project, run_gates) -> None:
    root = project({"bad.py": "x = (\n", "ok.py": 'z: int = "three"\n'})
    result = run_gates("check", "--select", "GT202", "--format", "json", cwd=root)
    found = sorted(gates_findings(result, "GT202"))
    assert [p for p, *_ in found] == ["bad.py"]
    assert "[syntax]" in found[0][-1] and "blocking" in found[0][-1]
