"""Which files a run sees: .gitignore (tracked or not), venvs, build folders, hidden folders, symlinks."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from gates.core.discovery import discover, is_test_path


def checked(run_gates, root: Path, *args: str) -> list[str]:
    result = run_gates("check", *args, "--format", "json", "--select", "GT101", cwd=root)
    assert result.returncode in (0, 1), result.stderr
    return sorted(f["path"] for f in json.loads(result.stdout)["findings"])


def test_skips_venvs_build_output_hidden_and_cache_folders(project, run_gates) -> None:
    files = {name: "print(1)\n" for name in [
        "app.py", ".venv/lib/x.py", "venv/x.py", "env/pyvenv.cfg", "env/lib/x.py",
        "build/lib/x.py", "dist/x.py", "__pycache__/x.py", ".tox/py/x.py",
        "node_modules/x/x.py", ".hidden/x.py", "pkg/mod.py",
    ]}
    root = project(files)
    assert checked(run_gates, root) == ["app.py", "pkg/mod.py"]


def test_respects_gitignore_for_untracked_and_tracked_files(project, run_gates) -> None:
    root = project({
        ".gitignore": "generated/\n*_pb2.py\n!keep_pb2.py\n",
        "generated/a.py": "print(1)\n",
        "api_pb2.py": "print(1)\n",
        "keep_pb2.py": "print(1)\n",
        "sub/.gitignore": "local.py\n/anchored.py\n",
        "sub/local.py": "print(1)\n",
        "sub/deeper/local.py": "print(1)\n",
        "sub/anchored.py": "print(1)\n",
        "sub/deeper/anchored.py": "print(1)\n",
        "app.py": "print(1)\n",
    })
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "-f", "api_pb2.py", "app.py"], cwd=root, check=True)
    assert checked(run_gates, root) == ["app.py", "keep_pb2.py", "sub/deeper/anchored.py"]


def test_gitignore_applies_when_checking_a_subfolder(project, run_gates) -> None:
    root = project({".gitignore": "*_gen.py\n", "pkg/a_gen.py": "print(1)\n", "pkg/b.py": "print(1)\n"})
    assert checked(run_gates, root, "pkg") == ["pkg/b.py"]


def test_explicitly_named_file_is_checked_even_if_gitignored_but_exclude_applies(project, run_gates) -> None:
    root = project({
        ".gitignore": "scratch.py\n",
        "pyproject.toml": "[tool.gates]\nexclude = ['vendored.py']\n",
        "scratch.py": "print(1)\n",
        "vendored.py": "print(1)\n",
    })
    assert checked(run_gates, root, "scratch.py", "vendored.py") == ["scratch.py"]


def test_symlinks_outside_the_project_and_symlinked_folders_are_not_followed(project, run_gates, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.py").write_text("print(1)\n")
    root = project({"app.py": "x = 1\n", "loop/a.py": "print(1)\n"})
    os.symlink(outside / "secret.py", root / "link.py")
    os.symlink(outside, root / "linkdir")
    os.symlink(root / "loop", root / "loop" / "again")
    assert checked(run_gates, root) == ["loop/a.py"]


def test_a_folder_named_like_a_module_is_walked_not_read(project, run_gates) -> None:
    root = project({"weird.py/inner.py": "print(1)\n"})
    assert checked(run_gates, root) == ["weird.py/inner.py"]


def test_test_files_are_not_production_code() -> None:
    for path in ["tests/test_a.py", "test_a.py", "a_test.py", "conftest.py", "pkg/tests/helpers.py", "test/x.py"]:
        assert is_test_path(path), path
    for path in ["testing.py", "pkg/contest.py", "latest/x.py", "tests.py"]:
        assert not is_test_path(path), path


def test_discover_each_file_once_in_stable_order(tmp_path: Path) -> None:
    for name in ["b.py", "a.py", "sub/c.py"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    found = discover([tmp_path, tmp_path / "a.py", tmp_path / "sub"], tmp_path)
    assert [e.path for e in found] == ["a.py", "b.py", "sub/c.py"]


def test_matching_patterns_raises_no_warning() -> None:
    """A project that runs its tests with ``-W error`` must not fail on gates' matching."""
    import warnings

    from gates.core.discovery import PathMatcher

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        matcher = PathMatcher(["build/", "*.log", "!keep.log"])
        assert matcher.matches("build", is_dir=True)
        assert matcher.matches("x.log") and not matcher.matches("keep.log")
