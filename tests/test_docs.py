"""The docs site builds without a warning, and README stays a newcomer's page."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO_ROOT


def test_the_docs_build_strictly(tmp_path: Path) -> None:
    """`mkdocs build --strict`: a broken link, anchor or page left out of the nav fails."""
    pytest.importorskip("mkdocs")
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=300,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    assert (tmp_path / "site" / "index.html").is_file()


def test_the_readme_is_short_and_keeps_the_two_set_up_commands() -> None:
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 200
    assert "python3 -m pip install -e . && gates report examples/" in text
    assert "python3 -m pip install -e '.[dev]' && python3 -m pytest -n 2" in text
