"""Shared fixtures: real projects in temporary folders, real `gates` processes."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir

# No example database or constants cache in the checkout: a test run leaves no files in
# the repository.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "gates-tests-hypothesis")
settings.register_profile("gates", database=None)
settings.load_profile("gates")

REPO_ROOT = Path(__file__).resolve().parent.parent

# The samples are projects for gates to check, not tests for pytest to run.
collect_ignore_glob = ["samples/*"]


@dataclass
class Completed:
    returncode: int
    stdout: str
    stderr: str


def run_gates_process(*args: str | os.PathLike[str], cwd: Path) -> Completed:
    """Run `python -m gates ARGS` in a fresh interpreter, as a user's shell would."""
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "gates", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    return Completed(proc.returncode, proc.stdout, proc.stderr)


def run_gates_in_process(*args: str | os.PathLike[str], cwd: Path) -> Completed:
    """``gates.cli.main(ARGS)`` in this process, from ``cwd``, with its output captured.

    What a user's shell sees, at a tenth of a fresh interpreter's cost: the exit code, the
    standard output and the standard error. (``run_gates_process`` stays for the few tests
    that need a real process: the console script, installed plugins, signals.)
    """
    from gates.cli import main

    out, err = io.StringIO(), io.StringIO()
    previous, color = os.getcwd(), os.environ.get("NO_COLOR")
    os.environ["NO_COLOR"] = "1"
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main([os.fspath(arg) for arg in args])
    finally:
        os.chdir(previous)
        if color is None:
            del os.environ["NO_COLOR"]
        else:
            os.environ["NO_COLOR"] = color
    return Completed(code, out.getvalue(), err.getvalue())


@pytest.fixture
def run_gates() -> Callable[..., Completed]:
    return run_gates_in_process


@pytest.fixture
def project(tmp_path: Path) -> Callable[..., Path]:
    """Write files (path -> text, dedented) into a fresh project folder and return it."""
    root = tmp_path / "proj"
    root.mkdir()

    def make(files: dict[str, str | bytes]) -> Path:
        for name, content in files.items():
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(textwrap.dedent(content))
        return root

    return make
