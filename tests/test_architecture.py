"""The arrows of the architecture, as import-linter contracts in pyproject.toml.

The layering (docs: the architecture page; ../DESIGN.md) is only real if a change that
breaks it fails the suite: the model imports nothing of gates, checkers never import
reporters, the CLI or pytest, the engine never imports the CLI or the plugin, reporters
see results only.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    script = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True))"
    return subprocess.run(
        [sys.executable, "-c", script], cwd=root, env=env, capture_output=True, text=True, timeout=300
    )


def test_the_import_contracts_hold() -> None:
    result = _lint_imports(REPO_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout and "KEPT" in result.stdout


def test_every_arrow_of_the_design_is_a_contract() -> None:
    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    sources: dict[str, set[str]] = {}
    for contract in config["contracts"]:
        for source in contract["source_modules"]:
            sources.setdefault(source, set()).update(contract["forbidden_modules"])
    assert {"gates.errors", "gates.core", "gates.cli", "pytest_gates"} <= sources["gates.model"]
    assert {"gates.reporters", "gates.cli", "pytest"} <= sources["gates.checkers"]
    assert {"gates.cli", "pytest_gates"} <= sources["gates.core"]
    assert {"gates.core.registry", "gates.core.engine", "gates.core.files"} <= sources["gates.reporters"]
    assert "gates.fix" in sources["gates.core"] and "libcst" in sources["gates.cli"]


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        ("gates/checkers/syntax.py", "import gates.reporters.text", "Checkers never import"),
        ("gates/model.py", "import gates.errors", "The model imports nothing"),
        ("gates/reporters/text.py", "import gates.core.registry", "Reporters see results only"),
        ("gates/core/engine.py", "import gates.cli", "The engine and its machinery"),
    ],
)
def test_a_new_wrong_way_import_breaks_the_suite(tmp_path: Path, module: str, line: str, broken: str) -> None:
    """The contracts catch a real violation: a copy of the code with one import added."""
    for package in ("gates", "pytest_gates"):
        shutil.copytree(REPO_ROOT / package, tmp_path / package,
                        ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO_ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / module
    target.write_text(target.read_text() + f"\n{line}  # noqa: E402\n")
    result = _lint_imports(tmp_path)
    assert result.returncode != 0
    assert broken in result.stdout.replace("\n", " ")
