"""The per-file result cache under .gates_cache/: used when nothing changed, never stale.

A planted finding proves a run read the cache: a run that shows it used the cache, a
run that does not show it checked the file afresh.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from gates.core.cache import checker_key, checksum
from gates.core.checker import Checker
from gates.checkers.function_length import FunctionLengthChecker
from gates.checkers.no_print import NoPrintChecker

PLANTED = "planted by the test"


def cache_files(root: Path) -> list[Path]:
    return sorted((root / ".gates_cache").glob("results-*.json"))


def plant(root: Path, checker: Checker | None = None) -> None:
    """Add a finding to one checker's cached result (no-print, default options) for every
    file, and keep the file's checksum valid."""
    key = checker_key(checker or NoPrintChecker())
    for file in cache_files(root):
        header, _, payload = file.read_bytes().partition(b"\n")
        entries = json.loads(payload)
        for entry in entries.values():
            results = entry[1]
            if results.get(key) is not None:
                results[key][0].append(["GT101", "no-print", "", 1, 1, PLANTED, None, None, "|x"])
        payload = json.dumps(entries).encode()
        meta = json.loads(header)
        meta["checksum"] = checksum(payload)
        file.write_bytes(json.dumps(meta).encode() + b"\n" + payload)


def run_with_version(root: Path, version: str, *args: str) -> subprocess.CompletedProcess[str]:
    code = (
        "import sys, gates; gates.__version__ = sys.argv[1]; from gates.cli import main; "
        "raise SystemExit(main(sys.argv[2:]))"
    )
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-c", code, version, *args], cwd=root,
                          capture_output=True, text=True, env=env, check=False)


def test_a_rerun_reads_the_cache_and_gives_the_same_output(project, run_gates) -> None:
    root = project({"a.py": "print(1)\n", "b.py": "def f(x): ...\n", "tests/test_a.py": "x = 1\n"})
    first = run_gates("check", cwd=root)
    assert len(cache_files(root)) == 1
    assert (root / ".gates_cache/.gitignore").read_text().splitlines()[-1] == "*"
    assert run_gates("check", cwd=root).stdout == first.stdout
    plant(root)
    assert PLANTED in run_gates("check", cwd=root).stdout
    assert PLANTED not in run_gates("check", "--no-cache", cwd=root).stdout


def test_an_edited_file_is_checked_again(project, run_gates) -> None:
    root = project({"a.py": "print(1)\n", "b.py": "x = 1\n"})
    run_gates("check", cwd=root)
    plant(root)
    (root / "a.py").write_text("print(1)\nprint(2)\n")
    output = run_gates("check", cwd=root).stdout
    assert "a.py:2:1: GT101" in output
    assert output.count(PLANTED) == 1  # from b.py, which did not change


def test_a_changed_setting_is_checked_again(project, run_gates) -> None:
    root = project({"a.py": "def f():\n    return 1\n"})
    assert run_gates("check", cwd=root).returncode == 1  # type coverage 0 %
    plant(root, FunctionLengthChecker())
    assert PLANTED in run_gates("check", "--select", "GT102", cwd=root).stdout
    (root / "pyproject.toml").write_text("[tool.gates.function-length]\nmax = 1\n")
    output = run_gates("check", "--select", "GT102", cwd=root).stdout
    assert "a.py:1:1: GT102 function f is 2 lines long (max 1)" in output
    assert PLANTED not in output


def test_another_gates_version_never_reads_the_cache(project) -> None:
    root = project({"a.py": "x = 1\n"})
    assert run_with_version(root, "1.0", "check").returncode == 0
    plant(root)
    assert PLANTED in run_with_version(root, "1.0", "check").stdout  # the same version reads it
    upgraded = run_with_version(root, "1.1", "check")
    assert upgraded.returncode == 0 and PLANTED not in upgraded.stdout
    assert len(cache_files(root)) == 2  # each version keeps its own file


def test_a_corrupt_cache_is_ignored_and_rewritten(project, run_gates) -> None:
    root = project({"a.py": "print(1)\n"})
    expected = run_gates("check", cwd=root).stdout
    [file] = cache_files(root)
    good = file.read_bytes()
    for damage in (b"\x00garbage", good[: len(good) // 2], good.replace(b'"GT101"', b'"GT999"')):
        file.write_bytes(damage)
        result = run_gates("check", cwd=root)
        assert (result.returncode, result.stdout, result.stderr) == (1, expected, "")
        assert file.read_bytes() == good


def test_the_cache_is_safe_to_delete_and_optional(project, run_gates) -> None:
    root = project({"a.py": "print(1)\n"})
    expected = run_gates("check", cwd=root).stdout
    shutil.rmtree(root / ".gates_cache")
    assert run_gates("check", "--no-cache", cwd=root).stdout == expected
    assert not (root / ".gates_cache").exists()
    (root / ".gates_cache").write_text("not a folder")  # cannot be created: run without it
    result = run_gates("check", cwd=root)
    assert (result.stdout, result.stderr) == (expected, "")


def test_project_figures_and_verdicts_are_the_same_from_the_cache(project, run_gates) -> None:
    files = {f"m{i}.py": f"def f{i}(x: int, y) -> None:\n    print({i})\n" for i in range(20)}
    root = project({**files, "broken.py": "def (:\n", "tests/test_m.py": "import random\nrandom.seed()\n"})
    cold = run_gates("check", "--format", "json", "-j", "2", cwd=root)
    warm = run_gates("check", "--format", "json", cwd=root)
    assert json.loads(cold.stdout) == json.loads(warm.stdout)
    gates = {g["code"]: g for g in json.loads(warm.stdout)["gates"]}
    assert gates["GT104"]["measured"] == 66.67 and gates["GT105"]["violations"] == 1
    assert gates["GT100"]["violations"] == 1


def test_another_selection_of_gates_shares_the_cache(project, run_gates) -> None:
    root = project({"a.py": "print(1)\n"})
    run_gates("check", "--select", "GT101", cwd=root)
    run_gates("check", "--select", "GT102", cwd=root)
    plant(root)
    plant(root, FunctionLengthChecker())
    assert run_gates("check", "--select", "GT101", cwd=root).stdout.count(PLANTED) == 1
    assert run_gates("check", "--select", "GT101,GT102", cwd=root).stdout.count(PLANTED) == 2


def test_a_committed_cache_symlink_is_never_written_through(project, run_gates, tmp_path) -> None:
    """A cloned repository whose ``.gates_cache`` is a link to another folder: gates runs
    without its cache and writes, reads and deletes nothing there."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "results-0123456789abcdef.json").write_text("someone else's file")
    root = project({"app.py": "x = 1\n"})
    (root / ".gates_cache").symlink_to(outside, target_is_directory=True)
    first, second = run_gates("check", cwd=root), run_gates("check", cwd=root)
    assert first.returncode == second.returncode == 0, first.stdout + first.stderr
    assert sorted(p.name for p in outside.iterdir()) == ["results-0123456789abcdef.json"]
    assert (outside / "results-0123456789abcdef.json").read_text() == "someone else's file"


def test_planted_links_at_temporary_names_are_not_followed(project, run_gates, tmp_path) -> None:
    """Links committed inside a real ``.gates_cache`` at the names an older gates used for its
    temporary files (``.<name>.<pid>.tmp``) never make gates overwrite what they point to."""
    import os

    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    root = project({"app.py": "x = 1\n"})
    folder = root / ".gates_cache"
    folder.mkdir()
    for name in (".gitignore", "CACHEDIR.TAG"):
        (folder / f".{name}.{os.getpid()}.tmp").symlink_to(victim)
        (folder / name).symlink_to(victim)
    assert run_gates("check", cwd=root).returncode == 0
    assert victim.read_text() == "precious"
    assert not (folder / ".gitignore").is_symlink() and (folder / ".gitignore").read_text().endswith("*\n")
    assert list(folder.glob("results-*.json"))


def counting_digests(monkeypatch) -> list[int]:
    """Count the files a run hashes (reads to learn whether they changed)."""
    from gates.core import cache

    calls: list[int] = []
    original = cache.content_digest

    def counted(data: bytes, size: int = 16) -> str:
        calls.append(1)
        return original(data, size)

    monkeypatch.setattr(cache, "content_digest", counted)
    return calls


def test_a_file_with_its_stored_stamp_is_not_read_again(project, run_gates, monkeypatch) -> None:
    monkeypatch.setattr("gates.core.cache.RACY_SECONDS", 0.0)
    root = project({"a.py": "print(1)\n", "b.py": "x = 1\n"})
    first = run_gates("check", cwd=root)
    calls = counting_digests(monkeypatch)
    assert run_gates("check", cwd=root).stdout == first.stdout
    assert calls == []
    plant(root)
    assert run_gates("check", cwd=root).stdout.count(PLANTED) == 2  # both results, neither file read


def test_an_edit_that_keeps_size_and_modification_time_is_checked_again(project, run_gates, monkeypatch) -> None:
    monkeypatch.setattr("gates.core.cache.RACY_SECONDS", 0.0)
    root = project({"a.py": "print(1)\n", "b.py": "x = 1\n"})
    run_gates("check", cwd=root)
    plant(root)
    before = os.stat(root / "a.py")
    (root / "a.py").write_text("x = 2    \n")  # the same size
    os.utime(root / "a.py", ns=(before.st_atime_ns, before.st_mtime_ns))
    calls = counting_digests(monkeypatch)
    output = run_gates("check", cwd=root).stdout
    assert not [line for line in output.splitlines() if line.startswith("a.py")]  # checked afresh
    assert len(calls) == 1  # a.py only: its status-change time moved


def test_a_file_changed_just_before_its_stamp_is_hashed_until_the_stamp_is_safe(
    project, run_gates, monkeypatch
) -> None:
    root = project({"a.py": "print(1)\n"})
    run_gates("check", cwd=root)  # a.py was written a moment ago: its stamp is not kept
    calls = counting_digests(monkeypatch)
    run_gates("check", cwd=root)
    assert len(calls) == 1
    monkeypatch.setattr("gates.core.cache.RACY_SECONDS", 0.0)
    run_gates("check", cwd=root)  # hashed again, found unchanged, restamped
    assert len(calls) == 2
    run_gates("check", cwd=root)
    assert len(calls) == 2
