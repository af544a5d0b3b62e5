"""`gates report` as a user runs it: the scorecard, golden files, exit codes, terminal behaviour."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO_ROOT, run_gates_process

SAMPLE = REPO_ROOT / "tests" / "samples" / "report_project"
GOLDEN = REPO_ROOT / "tests" / "golden"
UPDATE = os.environ.get("GATES_UPDATE_GOLDEN") == "1"


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A copy of the fixed sample project, so the goldens do not depend on this checkout."""
    root = tmp_path / "report_project"
    shutil.copytree(SAMPLE, root)
    return root


def normalise(text: str) -> str:
    """What may differ between machines: the Python that parsed the files."""
    return re.sub(r"with Python \d+\.\d+", "with Python X.Y", text)


def assert_golden(name: str, text: str) -> None:
    """Compare with tests/golden/NAME; GATES_UPDATE_GOLDEN=1 rewrites it instead."""
    text = normalise(text)
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} changed; if on purpose: GATES_UPDATE_GOLDEN=1"


@pytest.mark.parametrize(
    ("args", "golden"),
    [
        (("report",), "report.txt"),
        (("report", "--format", "markdown"), "report.md"),
        (("check",), "check.txt"),
        (("check", "--format", "markdown"), "report.md"),
    ],
    ids=["report-text", "report-markdown", "check-text", "check-markdown"],
)
def test_output_matches_the_golden_file(sample: Path, args: tuple[str, ...], golden: str) -> None:
    result = run_gates_process(*args, cwd=sample)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    assert_golden(golden, result.stdout)


def test_scorecard_has_one_aligned_row_per_gate_with_limit_and_verdict(sample: Path) -> None:
    lines = run_gates_process("report", cwd=sample).stdout.splitlines()
    header = next(line for line in lines if line.startswith("gate "))
    table = lines[lines.index(header) + 1 :]
    rows = {line.split()[0]: line for line in table[: table.index("")]}
    for name in ("syntax", "no-print", "function-length", "file-size", "unseeded-rng"):
        assert rows[name].index("GT1") == header.index("code")
        assert rows[name][header.index("verdict") :].startswith(("passed", "FAILED"))
    assert "15 lines" in rows["function-length"] and "<= 12" in rows["function-length"]
    assert "passed" in rows["file-size"] and "largest 49 lines <= 60" in rows["file-size"]


def test_report_exit_code_is_that_of_check(project, run_gates) -> None:
    clean = project({"ok.py": "def f(x: int) -> int:\n    return x\n"})
    assert run_gates("report", cwd=clean).returncode == 0
    assert run_gates("check", cwd=clean).returncode == 0
    (clean / "bad.py").write_text("print('x')\n")
    assert run_gates("report", cwd=clean).returncode == 1
    assert run_gates("report", "missing/", cwd=clean).returncode == 2
    wrong = run_gates("report", "--format", "yaml", cwd=clean)
    assert wrong.returncode == 2
    assert wrong.stderr.startswith("gates: error: --format: unknown format 'yaml'; known formats: github, html")


def test_report_takes_the_same_selection_options_as_check(sample: Path) -> None:
    result = run_gates_process("report", "--select", "GT101", "--ignore", "GT100", cwd=sample)
    rows = [line.split()[0] for line in result.stdout.splitlines()[3:] if line and not line.startswith(" ")]
    assert rows[0] == "no-print" and "syntax" not in rows


def _run_on_a_terminal(
    args: list[str], cwd: Path, env: dict[str, str], *, module: bool = True
) -> tuple[int, str]:
    """Run `python -m gates ARGS` (or `python ARGS`) with stdout and stderr on a pseudo-terminal."""
    import pty

    master, slave = pty.openpty()
    command = [sys.executable, "-m", "gates", *args] if module else [sys.executable, *args]
    proc = subprocess.Popen(
        command, cwd=cwd, env=env,
        stdin=subprocess.DEVNULL, stdout=slave, stderr=slave,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal is gone: the process has exited
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    return proc.wait(timeout=120), b"".join(chunks).decode()


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_on_a_terminal_the_scorecard_is_a_coloured_table_unless_no_color(sample: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | {"COLUMNS": "140", "TERM": "xterm"}
    code, screen = _run_on_a_terminal(["report"], sample, env)
    assert code == 1
    assert "\x1b[" in screen and "✘ FAILED" in screen and "function-length" in screen
    assert "shop/cart.py:10 checkout" in screen
    code, plain = _run_on_a_terminal(["report"], sample, env | {"NO_COLOR": "1"})
    assert code == 1
    assert "✘ FAILED" in plain and "\x1b[3" not in plain  # no colour codes (30–37, 38;…)


# The command's own main (the installed command leaves through os._exit, so a probe
# after it would never run), then which modules it imported.
_PROBE = (
    "import sys\n"
    "from gates.cli import main\n"
    "main(sys.argv[1:])\n"
    "sys.stdout.flush()\n"
    "sys.stderr.write('rich imported\\n' if 'rich' in sys.modules else 'rich not imported\\n')\n"
)


def test_off_a_terminal_nothing_goes_to_stderr_and_rich_is_not_imported(sample: Path) -> None:
    for command in ("check", "report"):
        proc = subprocess.run(
            [sys.executable, "-c", _PROBE, command], cwd=sample, capture_output=True, text=True, timeout=120
        )
        assert proc.returncode == 0 and proc.stdout
        assert proc.stderr == "rich not imported\n", (command, proc.stderr)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_check_never_imports_rich_even_on_a_terminal(sample: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    _, check = _run_on_a_terminal(["-c", _PROBE, "check"], sample, env, module=False)
    _, report = _run_on_a_terminal(["-c", _PROBE, "report"], sample, env, module=False)
    assert "rich not imported" in check and "GT101" in check
    assert "rich imported" in report and "auditing" not in report  # quick: no progress bar
