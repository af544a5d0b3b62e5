"""The architecture gates (GT107 banned-import, GT108 layers, GT109 import-cycles) on real
projects through `gates check`: relative imports, `from x import y` of a submodule,
conditional and function-level imports, TYPE_CHECKING, namespace packages, src layouts,
the ratchet baseline and `--diff`."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from gates.analysis.imports import module_name, resolve_relative

BANNED = """\
[tool.gates.banned-import]
enabled = true
rules = [
    {module = "numpy", allow-in = ["src/ember/backend/**"], message = "use ember.ops"},
    {module = "ember.core.operators_v2"},
]
"""
LAYERS = """\
[tool.gates.layers]
enabled = true
layers = ["ember.api", "ember.nn | ember.ops", "ember.core"]
"""
CYCLES = "[tool.gates.import-cycles]\nenabled = true\n"


def found(run_gates, root: Path, *args: str) -> list[tuple[str, str, int]]:
    result = run_gates("check", "--format", "json", *args, cwd=root)
    assert result.returncode in (0, 1), result.stderr
    data = json.loads(result.stdout)
    return sorted((f["code"], f["path"], f["line"]) for f in data["findings"] if f["code"] >= "GT107")


def test_module_names_from_paths() -> None:
    assert module_name("src/ember/core/__init__.py") == ("ember.core", True)
    assert module_name("ember/core/x.py") == ("ember.core.x", False)
    assert module_name("lib/pkg/x.py", ["lib"]) == ("pkg.x", False)
    assert resolve_relative("ember.core.x", False, 1, "y") == "ember.core.y"
    assert resolve_relative("ember.core", True, 2, None) == "ember"
    assert resolve_relative("ember", False, 1, "y") is None  # no parent package


def test_banned_import_in_a_src_layout(project, run_gates) -> None:
    root = project({
        "pyproject.toml": BANNED,
        "src/ember/__init__.py": "",
        "src/ember/model.py": """\
            import os
            from numpy import random          # a submodule of a banned module
            try:
                import numpy as np
            except ImportError:
                np = None
            def fit():
                from numpy.linalg import norm  # inside a function
                return norm
            """,
        "src/ember/backend/numpy_ops.py": "import numpy\n",  # allowed here
        "src/ember/api/views.py": "from ..core import operators_v2\nfrom ..core.operators_v2.add import add\n",
        "src/ember/core/operators_v2/add.py": "from . import helpers\nimport ember.core.operators_v2.helpers\n",
        "tests/test_model.py": "import numpy\n",  # tests are not production code
    })
    assert found(run_gates, root) == [
        ("GT107", "src/ember/api/views.py", 1), ("GT107", "src/ember/api/views.py", 2),
        ("GT107", "src/ember/model.py", 2), ("GT107", "src/ember/model.py", 4),
        ("GT107", "src/ember/model.py", 8),
    ]
    result = run_gates("check", "--select", "GT107", cwd=root)
    assert "src/ember/model.py:2:1: GT107 import of numpy.random: numpy is banned outside " \
           "src/ember/backend/**; use ember.ops" in result.stdout


def test_type_checking_imports_count_unless_switched_off(project, run_gates) -> None:
    code = """\
        from __future__ import annotations
        import typing
        if typing.TYPE_CHECKING:
            import numpy
        else:
            import numpy.random
        """
    root = project({"pyproject.toml": BANNED, "ember/model.py": code})
    assert found(run_gates, root) == [("GT107", "ember/model.py", 4), ("GT107", "ember/model.py", 6)]
    (root / "pyproject.toml").write_text(BANNED.replace("enabled = true", "enabled = true\ntype-checking = false"))
    assert found(run_gates, root) == [("GT107", "ember/model.py", 6)]


def test_layers_with_independent_siblings_and_namespace_packages(project, run_gates) -> None:
    root = project({  # no __init__.py anywhere: namespace packages
        "pyproject.toml": LAYERS,
        "ember/api/views.py": "from ember.nn import dense\nfrom ember.core import engine\n",
        "ember/nn/dense.py": "from ..ops import add\nfrom ember.core import engine\n",
        "ember/ops/add.py": "from ember.core import engine\n",
        "ember/core/engine.py": "def late():\n    from ember.api import views\n    from ember import ops\n",
        "ember/tools.py": "from ember.api import views\n",  # outside every layer
    })
    assert found(run_gates, root) == [
        ("GT108", "ember/core/engine.py", 2), ("GT108", "ember/core/engine.py", 3),
        ("GT108", "ember/nn/dense.py", 1),
    ]
    result = run_gates("check", "--select", "GT108", cwd=root)
    assert "ember/nn/dense.py:1:1: GT108 ember.nn imports ember.ops.add from ember.ops, " \
           "an independent sibling" in result.stdout


def test_cycles_are_reported_once_with_their_path(project, run_gates) -> None:
    root = project({
        "pyproject.toml": CYCLES,
        "src/app/__init__.py": "",
        "src/app/a.py": "import os\nfrom app import b\n",  # `from app import b`: the module app.b
        "src/app/b.py": "from .c import thing\n",
        "src/app/c.py": "def f():\n    from . import a\n",  # function-level: still a cycle
        "src/app/d.py": "from app import a\n",  # imports into the cycle, not part of it
        "src/app/x.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from app import y\n",
        "src/app/y.py": "import app.x\n",
    })
    result = run_gates("check", "--select", "GT109", cwd=root)
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if ": GT109" in line]
    assert lines == [
        "src/app/a.py:2:1: GT109 import cycle: app.a -> app.b -> app.c -> app.a",
        "src/app/x.py:3:5: GT109 import cycle: app.x -> app.y -> app.x",
    ]
    (root / "pyproject.toml").write_text(CYCLES + "type-checking = false\n")
    assert found(run_gates, root) == [("GT109", "src/app/a.py", 2)]


def test_siblings_of_folds_modules_into_packages(project, run_gates) -> None:
    root = project({
        "pyproject.toml": CYCLES + 'siblings-of = ["app"]\n',
        "app/__init__.py": "",
        "app/red/one.py": "from app.blue import two\n",
        "app/blue/two.py": "",
        "app/blue/three.py": "from app.red import four\n",
        "app/red/four.py": "",
    })
    result = run_gates("check", "--select", "GT109", cwd=root)
    assert "app/blue/three.py:1:1: GT109 import cycle: app.blue -> app.red -> app.blue" in result.stdout


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false", *args],
        cwd=root, capture_output=True, text=True, check=True,
    )


@pytest.fixture
def migrating(project) -> Path:
    """A repository in the middle of a migration: two banned imports and a cycle on main."""
    root = project({
        "pyproject.toml": BANNED + CYCLES,
        "ember/__init__.py": "",
        "ember/model.py": "import numpy\n\n\ndef f():\n    from ember import stats\n",
        "ember/stats.py": "import numpy as np\nfrom ember import model\n",
    })
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    return root


def test_the_baseline_records_the_migration_and_fails_only_new_imports(migrating, run_gates) -> None:
    assert run_gates("check", cwd=migrating).returncode == 1
    assert run_gates("baseline", cwd=migrating).returncode == 0
    assert run_gates("check", cwd=migrating).returncode == 0
    (migrating / "ember/model.py").write_text("\n\nimport numpy\n\n\ndef f():\n    from ember import stats\n")
    assert run_gates("check", cwd=migrating).returncode == 0  # moved, not new
    (migrating / "ember/extra.py").write_text("import numpy.fft\n")
    result = run_gates("check", cwd=migrating)
    assert result.returncode == 1
    assert [line for line in result.stdout.splitlines() if ": GT" in line] == [
        "ember/extra.py:1:1: GT107 import of numpy.fft: numpy is banned outside src/ember/backend/**; use ember.ops"
    ]


def test_diff_counts_only_imports_on_changed_lines(migrating, run_gates) -> None:
    git(migrating, "checkout", "-qb", "feature")
    assert run_gates("check", "--diff", "main", cwd=migrating).returncode == 0
    (migrating / "ember/extra.py").write_text("from ember import model\n")
    (migrating / "ember/model.py").write_text("import numpy\nfrom ember import extra\n")
    result = run_gates("check", "--diff", "main", cwd=migrating)
    assert result.returncode == 1
    assert [line for line in result.stdout.splitlines() if ": GT" in line] == [
        "ember/extra.py:1:1: GT109 import cycle: ember.extra -> ember.model -> ember.extra"
    ]


def test_a_broken_rule_is_a_one_line_error(project, run_gates) -> None:
    root = project({
        "pyproject.toml": "[tool.gates.banned-import]\nenabled = true\nrules = [{modul = \"numpy\"}]\n",
        "a.py": "",
    })
    result = run_gates("check", cwd=root)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "gates: error: pyproject.toml [tool.gates.banned-import] rules: unknown key 'modul' in a "
        "rule; known keys: module, allow-in, message"
    )


def test_unconfigured_the_gates_change_no_verdict(project, run_gates) -> None:
    root = project({"a.py": "import b\n", "b.py": "import a\n"})
    result = json.loads(run_gates("check", "--format", "json", cwd=root).stdout)
    assert not {"GT107", "GT108", "GT109"} & {g["code"] for g in result["gates"]}


def test_a_cycle_group_that_grows_is_the_same_debt(migrating, run_gates) -> None:
    """A group is known to the baseline by its first module in name order."""
    assert run_gates("baseline", cwd=migrating).returncode == 0
    (migrating / "ember/stats.py").write_text("import numpy as np\nfrom ember import model, zeta\n")
    (migrating / "ember/zeta.py").write_text("from ember import stats\n")
    result = run_gates("check", "--no-baseline", "--select", "GT109", cwd=migrating)
    assert "ember.model -> ember.stats -> ember.model (one of the cycles among ember.model, " \
           "ember.stats, ember.zeta)" in result.stdout
    assert run_gates("check", "--select", "GT109", cwd=migrating).returncode == 0
    (migrating / "ember/other.py").write_text("from ember import more\n")
    (migrating / "ember/more.py").write_text("from ember import other\n")
    assert run_gates("check", "--select", "GT109", cwd=migrating).returncode == 1


@pytest.mark.parametrize(("layers", "error"), [
    ('["a | b : c"]', 'layer "a | b : c" mixes | and :; write its siblings with one of them'),
    ('["a b"]', 'layer "a b" is not a package or siblings like "a | b"'),
])
def test_a_broken_layer_is_a_one_line_error(project, run_gates, layers: str, error: str) -> None:
    root = project({"pyproject.toml": f"[tool.gates.layers]\nenabled = true\nlayers = {layers}\n", "a.py": ""})
    result = run_gates("check", cwd=root)
    assert result.returncode == 2
    assert result.stderr.strip() == f"gates: error: pyproject.toml [tool.gates.layers]: {error}"
