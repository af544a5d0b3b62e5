"""Changed-lines coverage on real git repositories: merge-base, diff, and the clear errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gates.errors import UsageError
from gates.core.git import changed_lines, check_ref

BASE_MODULE = """\
def old(x):
    return x + 1
"""
CHANGED_MODULE = """\
def old(x):
    return x + 1


def double(x):
    return x * 2


def undouble(x):
    if x:
        return 1
    return 0
"""
TEST = """\
from pkg.mod import old, double


def test_it():
    assert old(1) == 2
    assert double(2) == 4
"""


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, check=True, capture_output=True, text=True
    ).stdout


def make_repo(root: Path) -> Path:
    """main: one module and its test; branch `feature`: two new functions, one tested."""
    (root / "pkg").mkdir(parents=True)
    (root / "tests").mkdir()
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "mod.py").write_text(BASE_MODULE)
    (root / "tests" / "test_mod.py").write_text("from pkg.mod import old\n\n\ndef test_it():\n    assert old(1) == 2\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "base")
    git(root, "checkout", "-qb", "feature")
    (root / "pkg" / "mod.py").write_text(CHANGED_MODULE)
    (root / "tests" / "test_mod.py").write_text(TEST)
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qam", "feature")
    return root


def test_changed_lines_since_the_merge_base(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo")
    (root / "pkg" / "mod.py").write_text(CHANGED_MODULE + "\n\nEXTRA = 1\n")  # uncommitted
    changed = changed_lines(root, "main")
    mod = str((root / "pkg" / "mod.py").resolve())
    assert changed[mod] == set(range(3, 16))
    assert str((root / "tests" / "test_mod.py").resolve()) in changed


def test_gates_check_reports_uncovered_changed_lines_by_file(tmp_path: Path, run_gates) -> None:
    root = make_repo(tmp_path / "repo")
    (root / "pyproject.toml").write_text(
        '[tool.gates.coverage]\nenabled = true\nfail-under = 0\ndiff-base = "main"\n'
    )
    subprocess.run(
        [sys.executable, "-m", "coverage", "run", "--source=pkg", "-m", "pytest", "-q",
         "-p", "no:gates", "-p", "no:randomly", "-p", "no:hypothesispytest", "tests"],
        cwd=root, check=True, capture_output=True,
    )
    result = run_gates("check", "--select", "GT301", cwd=root)
    assert result.returncode == 1, result.stdout + result.stderr
    # Changed statements: def double, its return, def undouble, if, return 1, return 0.
    assert "pkg/mod.py:10:1: GT301 changed lines not covered: 10-12 (3 of 6 changed lines covered)" in result.stdout
    assert "changed lines 50 % < 80 % (3 of 6 since main)" in result.stdout


def test_an_unknown_ref_is_a_clear_error(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo")
    with pytest.raises(UsageError, match="diff base 'nope': unknown git ref; name an existing branch"):
        check_ref(root, "nope")


def test_not_a_repository_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not inside a git repository"):
        changed_lines(tmp_path, "main")


def test_a_shallow_clone_says_to_fetch_the_history(tmp_path: Path) -> None:
    origin = make_repo(tmp_path / "origin")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "feature", f"file://{origin}", str(clone))
    git(clone, "fetch", "-q", "--depth", "1", "origin", "main:main")
    with pytest.raises(UsageError, match=r"shallow clone: fetch the history with `git fetch --unshallow`"):
        changed_lines(clone, "main")
    with pytest.raises(UsageError, match=r"unknown git ref.*shallow clone"):
        check_ref(clone, "origin/gone")


def commit_all(root: Path, message: str) -> None:
    git(root, "add", ".")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", message)


def test_a_changed_line_holding_u2028_hides_no_later_hunk(tmp_path: Path, run_gates) -> None:
    # str.splitlines() splits at U+2028: the rest of the line would read as a new file's
    # "diff --git" header, and the hunks after it would be lost.
    root = make_repo(tmp_path / "repo")
    body = [f"x{n} = {n}\n" for n in range(1, 21)]
    (root / "pkg" / "lines.py").write_text("".join(body), encoding="utf-8")
    commit_all(root, "lines")
    body[1] = "x2 = 2  # \u2028diff --git a/pkg/other.py b/pkg/other.py\n"
    body[19] = "print(20)\n"
    (root / "pkg" / "lines.py").write_text("".join(body), encoding="utf-8")
    assert changed_lines(root, "HEAD") == {str((root / "pkg" / "lines.py").resolve()): {2, 20}}
    result = run_gates("check", "--diff", "HEAD", "--select", "GT101", cwd=root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "pkg/lines.py:20:1: GT101" in result.stdout


def test_untracked_files_count_as_changed_throughout(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo")
    (root / "pkg" / "fresh.py").write_text("a = 1\nb = 2\nc = 3")  # no final newline
    (root / "notes.txt").write_text("not source\n")
    (root / ".gitignore").write_text("ignored.py\n")
    (root / "ignored.py").write_text("x = 1\n")
    changed = changed_lines(root, "main")
    assert changed[str((root / "pkg" / "fresh.py").resolve())] == {1, 2, 3}
    assert str((root / "notes.txt").resolve()) not in changed
    assert str((root / "ignored.py").resolve()) not in changed
