"""A hostile or careless repository: every bad input ends as a finding or a one-line error
(exit 2), never a traceback, a hang, a silent pass or a write outside what the user named.

The table in docs/hostile-inputs.md points at these tests.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import threading
import time

import pytest

from tests.conftest import REPO_ROOT

PRINTS = {"app.py": "print('hi')\n"}


def _one_line_error(result, *words: str) -> None:  # type: ignore[no-untyped-def]
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stderr.startswith("gates: error: ") and len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr


def _env() -> dict[str, str]:
    return {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(REPO_ROOT)}


# --- the exit code survives a closed pipe ------------------------------------------------


def test_a_reader_that_closes_the_pipe_early_still_sees_the_failure(project) -> None:  # type: ignore[no-untyped-def]
    # Far more output than a pipe buffers (64 KiB), so gates writes after `head -1` has gone.
    root = project({"app.py": "".join(f"print({i})\n" for i in range(4000))})
    proc = subprocess.Popen(
        [sys.executable, "-m", "gates", "check", "--no-cache", "."],
        cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(),
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()
    code = proc.wait(timeout=120)
    error = proc.stderr.read().decode()
    assert first.startswith(b"app.py:1:1: GT101")
    assert code == 1, error
    assert "Traceback" not in error and "BrokenPipe" not in error


def test_the_whole_report_arrives_before_the_command_exits(project) -> None:  # type: ignore[no-untyped-def]
    # The command leaves through os._exit (no interpreter teardown): its buffered output
    # is flushed first, to a pipe as to a file.
    root = project({"app.py": "".join(f"print({i})\n" for i in range(4000))})
    proc = subprocess.run([sys.executable, "-m", "gates", "check", "--no-cache", "."], cwd=root,
                          capture_output=True, env=_env(), timeout=120)
    lines = proc.stdout.decode().splitlines()
    assert proc.returncode == 1 and proc.stderr == b""
    assert sum(" GT101 " in line for line in lines) == 4000  # and GT103: 4,000 lines is over 800
    assert lines[-1] == "2 of 7 gates failed (1 file checked)"


def test_exit_handlers_still_run_before_the_fast_exit(project, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # What coverage.py (measuring gates in a subprocess) or a plugin registers with atexit
    # runs before the command leaves, and the exit code is the verdict's.
    root = project({"app.py": "print(1)\n"})
    marker = tmp_path / "saved"
    probe = (f"import atexit, pathlib, sys\natexit.register(pathlib.Path({str(marker)!r}).write_text, 'saved')\n"
             "sys.argv = ['gates', 'check', '--no-cache', '.']\nfrom gates.cli import entry\nentry()\n")
    proc = subprocess.run([sys.executable, "-c", probe], cwd=root, capture_output=True, env=_env(), timeout=120)
    assert proc.returncode == 1 and b"app.py:1:1: GT101" in proc.stdout, proc.stderr
    assert marker.read_text() == "saved"


# --- output targets are never replaced ---------------------------------------------------


def test_output_through_a_symlink_updates_the_file_and_keeps_the_link(project, run_gates, tmp_path) -> None:  # type: ignore[no-untyped-def]
    root = project(PRINTS)
    shared = tmp_path / "shared" / "report.txt"
    shared.parent.mkdir()
    shared.write_text("old\n")
    (root / "report.txt").symlink_to(shared)
    result = run_gates("check", "-o", "report.txt", cwd=root)
    assert result.returncode == 1, result.stderr
    assert (root / "report.txt").is_symlink()
    assert shared.read_text().startswith("app.py:1:1: GT101")
    assert sorted(p.name for p in shared.parent.iterdir()) == ["report.txt"]


def test_output_through_a_dangling_symlink_is_refused(project, run_gates, tmp_path) -> None:  # type: ignore[no-untyped-def]
    root = project(PRINTS)
    (root / "report.txt").symlink_to(tmp_path / "elsewhere.txt")  # planted: never create outside
    _one_line_error(run_gates("check", "-o", "report.txt", cwd=root), "symlink to a missing file")
    assert not (tmp_path / "elsewhere.txt").exists()


def test_a_shared_baseline_reached_through_a_symlink_is_tightened_in_place(project, run_gates, tmp_path) -> None:  # type: ignore[no-untyped-def]
    root = project({"a.py": "print(1)\n", "b.py": "print(2)\n"})
    shared = tmp_path / "team" / "baseline.json"
    shared.parent.mkdir()
    assert run_gates("baseline", cwd=root).returncode == 0
    (root / ".gates-baseline.json").rename(shared)
    (root / ".gates-baseline.json").symlink_to(shared)
    assert '"a.py"' in shared.read_text()
    (root / "a.py").write_text("x = 1\n")
    result = run_gates("baseline", "--update", cwd=root)
    assert result.returncode == 0, result.stderr
    assert (root / ".gates-baseline.json").is_symlink()
    text = shared.read_text()
    assert '"a.py"' not in text and '"b.py"' in text


def test_output_to_a_fifo_is_written_as_a_stream(project, run_gates) -> None:  # type: ignore[no-untyped-def]
    root = project(PRINTS)
    fifo = root / "report.pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = run_gates("check", "-o", str(fifo), cwd=root)
    reader.join(timeout=60)
    assert result.returncode == 1, result.stderr
    assert received and received[0].startswith(b"app.py:1:1: GT101")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert not [p for p in root.iterdir() if p.name.endswith(".tmp")]


def test_output_to_a_socket_is_a_one_line_error(project, run_gates) -> None:  # type: ignore[no-untyped-def]
    root = project(PRINTS)
    previous = os.getcwd()
    os.chdir(root)  # a socket's path must be short
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind("sock")
    finally:
        os.chdir(previous)
    try:
        _one_line_error(run_gates("check", "-o", "sock", cwd=root), "sock", "not a regular file")
        assert stat.S_ISSOCK(os.lstat(root / "sock").st_mode)
    finally:
        server.close()


# --- no tracebacks -----------------------------------------------------------------------


def test_a_folder_that_cannot_be_listed_is_a_finding(project, run_gates, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    root = project({"ok.py": "x = 1\n", "locked/hidden.py": "print(1)\n"})
    real_scandir = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        if os.path.basename(os.fspath(path)) == "locked":  # chmod 000 does not stop root
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = run_gates("check", "--no-cache", cwd=root)
    assert result.returncode == 1, result.stderr
    assert "locked:1:1: GT100 folder cannot be listed (Permission denied)" in result.stdout
    assert result.stderr == ""


def test_a_symlink_loop_named_py_is_a_finding(project, run_gates) -> None:  # type: ignore[no-untyped-def]
    root = project({"ok.py": "x = 1\n"})
    (root / "loop.py").symlink_to("loop.py")
    result = run_gates("check", cwd=root)
    assert result.returncode == 1 and result.stderr == ""
    assert "loop.py:1:1: GT100 file cannot be read: Too many levels of symbolic links" in result.stdout


def test_a_gitignore_line_git_accepts_but_pathspec_rejects_is_dropped(project, run_gates) -> None:  # type: ignore[no-untyped-def]
    root = project({".gitignore": "!\nskipped.py\n", "skipped.py": "print(1)\n", "ok.py": "x = 1\n"})
    result = run_gates("check", "--no-cache", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "(1 file checked)" in result.stdout


def test_an_invalid_exclude_pattern_is_a_config_error(project, run_gates) -> None:  # type: ignore[no-untyped-def]
    root = project({**PRINTS, "pyproject.toml": '[tool.gates]\nexclude = ["\\\\"]\n'})
    _one_line_error(run_gates("check", cwd=root), "pyproject.toml", "exclude", "'\\\\'")


BAD_NAME = b"bad\xff.py"


@pytest.mark.parametrize("args", [("--format", "sarif"), ("-o", "out.txt"), ("--format", "json", "-o", "o.json")])
def test_a_file_name_that_is_not_utf8_is_shown_escaped(project, run_gates, args) -> None:  # type: ignore[no-untyped-def]
    root = project({"ok.py": "x = 1\n"})
    with open(os.path.join(os.fsencode(root), BAD_NAME), "w") as handle:
        handle.write("print(1)\n")
    result = run_gates("check", "--no-cache", *args, cwd=root)
    assert result.returncode == 1, result.stderr
    written = result.stdout if "-o" not in args else (root / args[-1]).read_text(encoding="utf-8")
    assert "bad\\xff.py" in written.replace("\\\\", "\\")


def test_gates_baseline_records_a_file_name_that_is_not_utf8(project, run_gates) -> None:  # type: ignore[no-untyped-def]
    root = project({"ok.py": "x = 1\n"})
    with open(os.path.join(os.fsencode(root), BAD_NAME), "w") as handle:
        handle.write("print(1)\n")
    assert run_gates("baseline", cwd=root).returncode == 0
    data = json.loads((root / ".gates-baseline.json").read_text(encoding="utf-8"))
    assert [e["path"] for e in data["findings"]] == ["bad\\xff.py"]
    assert run_gates("check", cwd=root).returncode == 0


def _bomb() -> str:
    return "[" * 100_000 + "]" * 100_000


def test_a_baseline_nested_100000_deep_is_a_one_line_error(project, run_gates) -> None:  # type: ignore[no-untyped-def]
    root = project({**PRINTS, ".gates-baseline.json": _bomb()})
    _one_line_error(run_gates("check", cwd=root), ".gates-baseline.json", "not a valid gates baseline")


@pytest.mark.parametrize("command", [["check", "--select", "GT303"], ["report", "--select", "GT303"]])
@pytest.mark.parametrize(("content", "why"), [
    (_bomb(), "JSON nested too deeply"),
    ('{"version": 1, "benchmarks": {"t::x": {"memory": "96 B", "runs": [[1.0]]}}}',
     "entry 't::x' has \"memory\" '96 B', not a whole number of bytes"),
])
def test_a_broken_perf_file_is_a_one_line_error(  # type: ignore[no-untyped-def]
    project, run_gates, command: list[str], content: str, why: str,
) -> None:
    root = project({**PRINTS, ".performance_baselines.json": content})
    result = run_gates(*command, cwd=root)
    _one_line_error(result, ".performance_baselines.json", f"not a valid baseline file ({why})")
    assert "--gates-perf=save" in result.stderr


def test_a_cache_header_nested_100000_deep_is_a_miss(project, run_gates) -> None:  # type: ignore[no-untyped-def]
    root = project(PRINTS)
    assert run_gates("check", cwd=root).returncode == 1
    (cached,) = (root / ".gates_cache").glob("results-*.json")
    cached.write_text(_bomb() + "\n{}")
    result = run_gates("check", cwd=root)
    assert result.returncode == 1 and result.stderr == ""
    assert result.stdout.startswith("app.py:1:1: GT101")


def test_init_from_a_roadmap_whose_name_holds_a_newline(project, run_gates) -> None:  # type: ignore[no-untyped-def]
    root = project({"road\nmap.md": "# Plan\n\n- [ ] Largest file <500 lines\n"})
    result = run_gates("init", "--from", "road\nmap.md", cwd=root)
    assert result.returncode == 0, result.stderr
    text = (root / "pyproject.toml").read_text()
    assert "road\\nmap.md" in text
    assert run_gates("check", cwd=root).returncode == 0


# --- never silently wrong ----------------------------------------------------------------


@pytest.mark.parametrize("key", ["ignore", "select"])
def test_an_empty_gate_key_is_a_config_error(project, run_gates, key) -> None:  # type: ignore[no-untyped-def]
    root = project({**PRINTS, "pyproject.toml": f'[tool.gates]\n{key} = [""]\n'})
    _one_line_error(run_gates("check", cwd=root), "pyproject.toml", key, "empty gate key")


def test_a_fifo_named_like_a_module_is_reported_not_read(project) -> None:  # type: ignore[no-untyped-def]
    root = project({"ok.py": "x = 1\n"})
    os.mkfifo(root / "a.py")
    for args in (("check", "."), ("check", "a.py")):  # found by the walk, and named by pre-commit
        proc = subprocess.run(
            [sys.executable, "-m", "gates", *args], cwd=root, capture_output=True, text=True,
            env=_env(), timeout=120,
        )
        assert proc.returncode == 1, proc.stderr
        assert "a.py:1:1: GT100 file is a FIFO, not a regular file" in proc.stdout


def test_jobs_never_exceed_the_files_or_the_cores(project, run_gates, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import concurrent.futures

    files = {f"m{i}.py": "x = 1\n" for i in range(20)}
    root = project({**files, "pyproject.toml": "[tool.gates]\njobs = 200\n"})
    asked: list[int] = []
    real = concurrent.futures.ProcessPoolExecutor

    def pool(workers, *args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(workers)
        return real(workers, *args, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", pool)
    assert run_gates("check", "--no-cache", cwd=root).returncode == 0
    assert all(n <= min(20, os.cpu_count() or 1) for n in asked), asked


def test_two_baseline_updates_at_once_keep_both_sides(project, run_gates) -> None:  # type: ignore[no-untyped-def]
    # Big modules to audit: each run reads the baseline long before it saves, so without a
    # lock both read the same old file and the last save drops the other's tightening.
    big = "".join(f"x{i} = {i}\n" for i in range(40_000))
    root = project({"a.py": "print(1)\n", "b.py": "print(2)\n", "c.py": "print(3)\n",
                    "big_a.py": big, "big_b.py": big})
    assert run_gates("baseline", "--allow-worse", cwd=root).returncode == 0
    shutil.rmtree(root / ".gates_cache")  # each run audits its big module afresh
    (root / "a.py").write_text("x = 1\n")
    (root / "b.py").write_text("x = 2\n")
    with open(root / ".gates-baseline.json.lock", "a+b") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)  # both runs audit, then queue for the lock
        procs = [
            subprocess.Popen([sys.executable, "-m", "gates", "baseline", "--update", name, f"big_{name}"],
                             cwd=root, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for name in ("a.py", "b.py")
        ]
        time.sleep(1.5)
    for proc in procs:
        assert proc.wait(timeout=120) == 0, proc.stderr.read() if proc.stderr else ""
    paths = [e["path"] for e in json.loads((root / ".gates-baseline.json").read_text())["findings"]]
    assert [p for p in paths if not p.startswith("big")] == ["c.py"]


def test_control_characters_in_names_are_escaped_in_text_output(project, run_gates) -> None:  # type: ignore[no-untyped-def]
    root = project({"ok.py": "x = 1\n", "evil\x1b[2J\nfake.py:9:9: GT000 all clear.py": "print(1)\n"})
    for fmt in ("text", "github"):
        result = run_gates("check", "--no-cache", "--format", fmt, cwd=root)
        assert result.returncode == 1
        assert "\x1b" not in result.stdout
        assert "evil\\x1b[2J" in result.stdout
        assert not any(line.startswith("fake.py") for line in result.stdout.splitlines())


def test_control_characters_in_roadmap_lines_are_escaped(project, run_gates) -> None:  # type: ignore[no-untyped-def]
    root = project({"app.py": "x = 1\n", "ROADMAP.md": "# Plan\n\n- [ ] Largest file <500 lines \x1b[2J\n"})
    result = run_gates("report", "--roadmap", "ROADMAP.md", cwd=root)
    assert "\x1b" not in result.stdout, result.stdout
    assert "\\x1b[2J" in result.stdout


_SAVER = """
import sys
from pathlib import Path
from gates.perf import baselines
from gates.perf.records import NewRun
path, round_ = Path(sys.argv[1]), 0
while True:  # saves until killed: thousands of entries, so a write takes a while
    round_ += 1
    baselines.update(path, {f"t::{i}": NewRun(None, memory=round_ * 1000 + i) for i in range(3000)})
    print(round_, flush=True)
"""


def test_a_perf_save_killed_mid_write_leaves_the_file_whole_and_its_mode(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """SIGKILL a process that keeps saving the perf file: the file is always a whole
    version (old or new), keeps its mode, and the temporary file the killed writer left
    beside it is removed by a later save once it is stale."""
    from gates.core.files import STALE_SECONDS
    from gates.perf import baselines
    from gates.perf.records import NewRun

    path = tmp_path / ".performance_baselines.json"
    baselines.update(path, {"t::0": NewRun(None, memory=1)})
    os.chmod(path, 0o640)
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    for _ in range(3):
        saver = subprocess.Popen([sys.executable, "-c", _SAVER, str(path)], stdout=subprocess.PIPE, env=env)
        assert saver.stdout is not None
        saver.stdout.readline()  # one whole save done: the next is under way
        deadline = time.monotonic() + 10
        while not _temporaries(tmp_path) and time.monotonic() < deadline:
            pass  # kill it while its temporary file is being written
        saver.send_signal(9)
        saver.wait()
        memory = {entry.memory for entry in baselines.load(path).values()}  # whole: loads
        assert len(baselines.load(path)) in (1, 3000) and memory
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    left = _temporaries(tmp_path)
    assert left  # killed mid-write: the temporary file stays for now
    old = time.time() - STALE_SECONDS - 5
    for temporary in left:
        os.utime(temporary, (old, old))
    baselines.update(path, {"t::0": NewRun(None, memory=2)})
    assert _temporaries(tmp_path) == []
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640


def _temporaries(folder) -> list:  # type: ignore[no-untyped-def]
    return [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_a_plain_check_imports_none_of_the_repositorys_tool_plugins(project, run_gates) -> None:  # type: ignore[no-untyped-def]
    """flake8 local plugins, mypy plugins and coverage plugins named by the repository run
    only with GT201, GT202 or GT301 on (docs/hostile-inputs.md); a plain `gates check`
    has them off, so nothing of the repository is imported."""
    marker = "import pathlib; pathlib.Path(__file__).with_name('IMPORTED').write_text('yes')\n"
    root = project({
        "app.py": "x = 1\n",
        "evil.py": marker,
        "setup.cfg": "[flake8:local-plugins]\nextension =\n    X = evil:Plugin\npaths = .\n",
        "mypy.ini": "[mypy]\nplugins = evil.py\n",
        ".coveragerc": "[run]\nplugins = evil\n",
    })
    result = run_gates("check", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (root / "IMPORTED").exists()
