"""Changed-lines mode on real git repositories: `gates check --diff REF` and `--staged`."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

CONFIG = "[tool.gates.function-length]\nmax = 4\n"

OLD = """\
def main():
    print("old")


def long():
    x = 1
    x = 2
    return x
"""


def git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false", *args],
        cwd=root, capture_output=True, text=True, check=True,
    )
    return done.stdout


@pytest.fixture
def repo(project) -> Path:
    root = project({"pyproject.toml": CONFIG, "app/main.py": OLD, "app/other.py": "print('other')\n"})
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    git(root, "checkout", "-qb", "feature")
    return root


def findings(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if ": GT" in line]


def write(root: Path, name: str, text: str) -> None:
    (root / name).parent.mkdir(parents=True, exist_ok=True)
    (root / name).write_text(text)


def test_only_findings_on_changed_lines_count(repo, run_gates) -> None:
    write(repo, "app/main.py", OLD.replace('    print("old")\n', '    print("old")\n    print("new")\n'))
    git(repo, "commit", "-qam", "change")
    result = run_gates("check", "--diff", "main", cwd=repo)
    assert result.returncode == 1
    assert findings(result.stdout) == ["app/main.py:3:5: GT101 print() call in production code; use logging"]
    assert run_gates("check", "--diff", "HEAD", cwd=repo).returncode == 0


def test_uncommitted_and_untracked_changes_count(repo, run_gates) -> None:
    write(repo, "app/other.py", "print('other')\nprint('more')\n")
    write(repo, "app/fresh.py", "print('fresh')\n")
    result = run_gates("check", "--diff", "main", "--select", "GT101", cwd=repo)
    assert [f.split(": GT")[0] for f in findings(result.stdout)] == ["app/fresh.py:1:1", "app/other.py:2:1"]


def test_a_function_that_grew_counts_though_its_def_line_did_not_change(repo, run_gates) -> None:
    grown = OLD.replace("    x = 2\n", "    x = 2\n    x = 3\n")  # long(): 4 -> 5 lines, over max 4
    write(repo, "app/main.py", grown)
    result = run_gates("check", "--diff", "main", "--select", "GT102", cwd=repo)
    assert result.returncode == 1
    assert findings(result.stdout) == ["app/main.py:5:1: GT102 function long is 5 lines long (max 4)"]
    # Already over the limit at the base and grown again: the message gives the base's size.
    git(repo, "commit", "-qam", "grow")
    git(repo, "branch", "-f", "main")
    write(repo, "app/main.py", grown.replace("    x = 3\n", "    x = 3\n    x = 4\n"))
    again = run_gates("check", "--diff", "main", "--select", "GT102", cwd=repo)
    assert findings(again.stdout) == [
        "app/main.py:5:1: GT102 function long is 6 lines long (max 4) (5 at the base)"
    ]
    write(repo, "app/main.py", grown.replace("    x = 1\n", "    y = 1\n"))  # same size, edited
    assert run_gates("check", "--diff", "main", "--select", "GT102", cwd=repo).returncode == 0


def test_a_finding_that_an_edit_elsewhere_created_counts(repo, run_gates) -> None:
    write(repo, "app/quiet.py", "print = print if False else len\n\n\ndef f():\n    print('x')\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "quiet")
    git(repo, "branch", "-f", "main")
    write(repo, "app/quiet.py", "\n\n\ndef f():\n    print('x')\n")  # the builtin again
    result = run_gates("check", "--diff", "main", "--select", "GT101", cwd=repo)
    assert findings(result.stdout) == ["app/quiet.py:5:5: GT101 print() call in production code; use logging"]


def test_staged_mode_sees_the_index_not_unstaged_work(repo, run_gates) -> None:
    write(repo, "app/main.py", OLD + "\nprint('staged')\n")
    git(repo, "add", "app/main.py")
    write(repo, "app/other.py", "print('other')\nprint('unstaged')\n")
    write(repo, "app/untracked.py", "print('untracked')\n")
    result = run_gates("check", "--staged", "--select", "GT101", cwd=repo)
    assert result.returncode == 1
    assert findings(result.stdout) == ["app/main.py:10:1: GT101 print() call in production code; use logging"]


def test_staged_mode_before_the_first_commit_counts_every_staged_line(project, run_gates) -> None:
    root = project({"a.py": "print(1)\n", "b.py": "print(2)\n"})
    git(root, "init", "-q")
    git(root, "add", "a.py")
    result = run_gates("check", "--staged", "--select", "GT101", cwd=root)
    assert [f.split(":")[0] for f in findings(result.stdout)] == ["a.py"]


def test_a_renamed_and_edited_file_counts_only_its_changed_lines(repo, run_gates) -> None:
    git(repo, "mv", "app/main.py", "app/core.py")
    write(repo, "app/core.py", OLD.replace("    x = 1\n", "    x = 1\n    print(x)\n"))
    result = run_gates("check", "--diff", "main", "--select", "GT101,GT102", cwd=repo)
    assert [f.split(": ")[1].split()[0] for f in findings(result.stdout)] == ["GT102", "GT101"]
    assert all(f.startswith("app/core.py:") for f in findings(result.stdout))
    assert "app/core.py:2:5" not in result.stdout  # the old print did not change


def test_a_project_in_a_subfolder_of_the_repository(project, run_gates) -> None:
    root = project({"sub/pyproject.toml": "[tool.gates]\n", "sub/a.py": "print(1)\n", "b.py": "print(2)\n"})
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    write(root, "sub/a.py", "print(1)\nprint(3)\n")
    result = run_gates("check", "--diff", "main", "--select", "GT101", cwd=root / "sub")
    assert findings(result.stdout) == ["a.py:2:1: GT101 print() call in production code; use logging"]


def test_diff_and_the_baseline_combine(repo, run_gates) -> None:
    assert run_gates("baseline", cwd=repo).returncode == 0
    write(repo, "app/other.py", "print('other')\nprint('more')\n")
    result = run_gates("check", "--diff", "main", cwd=repo)
    assert result.returncode == 1
    assert findings(result.stdout) == ["app/other.py:2:1: GT101 print() call in production code; use logging"]


def one_line_error(result) -> str:
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    return result.stderr


def test_an_unknown_ref_is_a_one_line_error(repo, run_gates) -> None:
    assert "--diff nosuch: unknown git ref" in one_line_error(run_gates("check", "--diff", "nosuch", cwd=repo))
    assert "unknown git ref" in one_line_error(run_gates("check", "--diff=-p", cwd=repo))


def test_outside_a_repository_is_a_one_line_error(project, run_gates) -> None:
    root = project({"a.py": "x = 1\n"})
    assert "not inside a git repository" in one_line_error(run_gates("check", "--staged", cwd=root))


def test_a_shallow_clone_says_how_to_fetch_the_history(repo, run_gates, tmp_path) -> None:
    for n in range(2):
        write(repo, "app/other.py", f"x = {n}\n")
        git(repo, "commit", "-qam", f"c{n}")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "feature", repo.as_uri(), str(clone))
    error = one_line_error(run_gates("check", "--diff", "HEAD~2", cwd=clone))
    assert "shallow clone" in error and "git fetch --unshallow" in error
    error = one_line_error(run_gates("check", "--diff", "main", cwd=clone))
    assert "unknown git ref" in error and "shallow clone" in error


def test_a_project_figure_may_not_drop_below_its_value_at_the_base(project, run_gates) -> None:
    # 3 of 6 slots annotated: 50 %, under the goal of 60 %
    root = project({"a.py": "def f(x: int, y, w) -> None: ...\n", "b.py": "def g(z) -> int: ...\n"})
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    assert run_gates("check", "--select", "GT104", cwd=root).returncode == 1
    unchanged = run_gates("check", "--diff", "main", "--select", "GT104", cwd=root)
    assert unchanged.returncode == 0
    assert "(min 50 %); floor 50 % from the merge-base with main (goal 60 %)" in unchanged.stdout
    write(root, "b.py", "def g(z, v) -> int: ...\n")  # 3 of 7: worse than at the base
    dropped = run_gates("check", "--diff", "main", "--select", "GT104", cwd=root)
    assert dropped.returncode == 1 and "42.86 % of 7 slots annotated (min 50 %)" in dropped.stdout
    write(root, "new.py", "def h(a: int, b: int) -> None: ...\n")  # a new file counts now: 6 of 10
    assert run_gates("check", "--diff", "main", "--select", "GT104", cwd=root).returncode == 0
