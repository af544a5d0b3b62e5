"""`--output FILE`: written all at once or not at all, for every command that writes."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TextIO

import pytest

from gates.core.files import write_atomic
from gates.errors import UsageError

PROJECT = {"app.py": "print('hi')\n"}


def test_output_goes_to_the_file_and_creates_its_folder(project, run_gates) -> None:
    root = project(PROJECT)
    result = run_gates("check", "--format", "json", "--output", "reports/gates.json", cwd=root)
    assert result.returncode == 1, result.stderr
    assert result.stdout == "" and result.stderr == ""
    data = json.loads((root / "reports" / "gates.json").read_text())
    assert data["findings"][0]["path"] == "app.py"
    assert not [p for p in (root / "reports").iterdir() if p.name != "gates.json"]


def test_text_written_to_a_file_has_no_colour(project, run_gates) -> None:
    root = project(PROJECT)
    run_gates("report", "-o", "card.txt", cwd=root)
    text = (root / "card.txt").read_text()
    assert "\x1b[" not in text and text.startswith("gates report: proj (1 file)")


def test_dash_means_standard_output(project, run_gates) -> None:
    root = project(PROJECT)
    assert run_gates("check", "--output", "-", cwd=root).stdout.startswith("app.py:1:1: GT101")


def test_an_unwritable_destination_is_a_one_line_error(project, run_gates) -> None:
    root = project(PROJECT)
    (root / "taken").mkdir()
    result = run_gates("check", "--output", "taken", cwd=root)
    assert result.returncode == 2
    assert result.stderr.startswith("gates: error: taken: cannot be written:")
    assert len(result.stderr.splitlines()) == 1
    assert os.listdir(root / "taken") == []


def test_a_failure_while_writing_leaves_the_old_file_and_no_partial_one(tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    target.write_text("old report\n")

    def broken(out: TextIO) -> None:
        out.write("half a rep")
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        write_atomic(target, broken)
    assert target.read_text() == "old report\n"
    assert os.listdir(tmp_path) == ["report.txt"]


def test_a_new_file_gets_ordinary_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        write_atomic(tmp_path / "r.txt", lambda out: out.write("x") and None)
    finally:
        os.umask(umask)
    assert (tmp_path / "r.txt").stat().st_mode & 0o777 == 0o644


def test_a_missing_parent_that_cannot_be_made_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    with pytest.raises(UsageError, match="cannot be written"):
        write_atomic(tmp_path / "file" / "sub" / "r.txt", lambda out: None)
