"""Roadmap sentences that retire a library or a package become banned-import rules
(`gates init --from`), and `gates report --roadmap` ticks them when nothing imports it."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from gates.roadmap.bans import ban_rule

ROADMAP = """\
# Purification

## Success criteria
- [ ] Replace direct NumPy usage with `ember.ops`
- [ ] Delete `src/ember/core/operators_v2/` and clean up circular dependency workarounds
- [ ] All NumPy operations replaced with backend-agnostic equivalents
"""


@pytest.mark.parametrize(("sentence", "rule"), [
    ("Replacing direct NumPy usage with emberharmony's backend abstraction system",
     {"module": "numpy", "allow-in": [], "message": "use emberharmony's backend abstraction system"}),
    ("All NumPy operations replaced with backend-agnostic equivalents",
     {"module": "numpy", "allow-in": [], "message": "use backend-agnostic equivalents"}),
    ("Delete src/ember/core/operators_v2/ after the move", {"module": "ember.core.operators_v2", "allow-in": []}),
    ("Drop numpy.random in favour of ember.random", {"module": "numpy.random", "allow-in": []}),
    ("Remove pkg/legacy.py", {"module": "pkg.legacy", "allow-in": []}),
    ("Migrate away from pandas", {"module": "pandas", "allow-in": []}),
])
def test_sentences_that_retire_a_module(sentence: str, rule: dict[str, object]) -> None:
    assert ban_rule(sentence) == (("rules", [rule]),)


@pytest.mark.parametrize("sentence", [
    "Replace random number generation with backend-agnostic version",  # names no module
    "Update imports and references",
    "Use NumPy for the reference implementation",  # names a library, retires nothing
    "Testing Environment: CPU/GPU support removed",
    "Remove config.yaml from the repository",
    "Remove e.g. the old code",
    "Replace pandas-like code with polars",
])
def test_sentences_that_retire_nothing(sentence: str) -> None:
    assert ban_rule(sentence) == ()


# The project's own rule, kept by `gates init --from` and counted by `gates report --roadmap`.
EMBER = """\
    [project]
    name = "ember"

    [tool.gates.banned-import]
    rules = [{module = "numpy", allow-in = ["src/ember/backend/**"]}]
    """


def written(root: Path) -> dict[str, object]:
    with (root / "pyproject.toml").open("rb") as handle:
        table: dict[str, object] = tomllib.load(handle)["tool"]["gates"]["banned-import"]
    return table


def test_init_proposes_the_rules_and_keeps_the_projects_own(project, run_gates) -> None:
    root = project({
        "pyproject.toml": EMBER,
        "ROADMAP.md": ROADMAP,
    })
    dry = run_gates("init", "--from", "ROADMAP.md", "--dry-run", "-v", cwd=root)
    assert dry.returncode == 0, dry.stderr
    assert "confirm allow-in: the paths where ember.core.operators_v2 may stay" in dry.stdout
    assert "numpy: banned by an earlier line already" in dry.stdout
    assert run_gates("init", "--from", "ROADMAP.md", cwd=root).returncode == 0
    assert written(root) == {"enabled": True, "rules": [
        {"module": "numpy", "allow-in": ["src/ember/backend/**"]},
        {"module": "ember.core.operators_v2", "allow-in": []},
    ]}
    again = run_gates("init", "--from", "ROADMAP.md", cwd=root)
    assert "nothing to change" in again.stdout


def test_report_ticks_each_retired_module_by_measurement(project, run_gates) -> None:
    root = project({
        "pyproject.toml": EMBER,
        "ROADMAP.md": ROADMAP,
        "src/ember/__init__.py": "",
        "src/ember/backend/numpy_backend.py": "import numpy as np\n",  # allowed by the project's rule
        "src/ember/core/operators_v2/__init__.py": "from . import add\n",  # the package itself
        "src/ember/core/operators_v2/add.py": "",
        "src/ember/model.py": "def fit():\n    from .core.operators_v2 import add\n",
    })
    report = run_gates("report", "--roadmap", "ROADMAP.md", cwd=root)
    assert "passed        ROADMAP.md:4  Replace direct NumPy usage with ember.ops — no import of numpy left" \
        in report.stdout.replace("PASSED", "passed")
    assert "1 import of ember.core.operators_v2 left: src/ember/model.py:2" in report.stdout
    (root / "src/ember/model.py").write_text("def fit():\n    from .ops import add\n")
    report = run_gates("report", "--roadmap", "ROADMAP.md", cwd=root)
    assert "no import of ember.core.operators_v2 left" in report.stdout
