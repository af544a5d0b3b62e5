"""GT107-GT109 against import-linter: one made-up project, its contracts written both ways
(import-linter's forbidden, layers and acyclic_siblings; gates' banned-import, layers and
import-cycles), the same violations; and gates' own code, its forbidden contracts from
pyproject.toml written as banned-import rules, with two arrows broken. The differences by
design are in docs/gates/index.md."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from gates.analysis.imports import module_name

pytestmark = pytest.mark.skipif(shutil.which("lint-imports") is None, reason="import-linter not installed")

FILES = {
    "shop/__init__.py": "",
    "shop/api/__init__.py": "",
    "shop/api/views.py": "from shop.services import orders\nfrom shop.legacy import money\n",
    "shop/services/__init__.py": "",
    "shop/services/orders.py": (
        "from shop.core import model\nfrom ..adapters import db\n\n\n"
        "def late():\n    from shop.api import views\n    import decimal\n"
    ),
    "shop/adapters/__init__.py": "",
    "shop/adapters/db.py": "import decimal\nfrom shop.core import model\nfrom shop.services import orders\n",
    "shop/core/__init__.py": "",
    "shop/core/model.py": (
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from shop.api import views\n"
        "try:\n    from ..legacy.money import Money\nexcept ImportError:\n    Money = None\n"
    ),
    "shop/legacy/__init__.py": "",
    "shop/legacy/money.py": "import decimal\n\n\nclass Money:\n    pass\n",
}

IMPORT_LINTER = """\
[importlinter]
root_packages =
    shop
include_external_packages = True

[importlinter:contract:forbidden]
name = forbidden
type = forbidden
source_modules =
    shop.api
    shop.services
    shop.core
forbidden_modules =
    shop.legacy
    decimal
allow_indirect_imports = True

[importlinter:contract:layers]
name = layers
type = layers
layers =
    shop.api
    shop.services | shop.adapters
    shop.core

[importlinter:contract:acyclic]
name = acyclic
type = acyclic_siblings
ancestors =
    shop
"""

GATES = """\
[tool.gates.banned-import]
enabled = true
rules = [
    {module = "shop.legacy", allow-in = ["shop/adapters/**", "shop/__init__.py"]},
    {module = "decimal", allow-in = ["shop/adapters/**", "shop/legacy/**", "shop/__init__.py"]},
]

[tool.gates.layers]
enabled = true
layers = ["shop.api", "shop.services | shop.adapters", "shop.core"]

[tool.gates.import-cycles]
enabled = true
siblings-of = ["shop"]
"""

_CHAIN = re.compile(r"^-\s+(\S+) -> (\S+) \(l\.([\d, ]+)\)$")
_BREAKER = re.compile(r"^- (\.\S+) -> (\.\S+) \(\d+ imports?\)$")
_SECTIONS = ("forbidden", "layers", "acyclic")


def import_linter(root: Path, sections: tuple[str, ...] = _SECTIONS) -> dict[str, set[tuple[str, int]]]:
    """Each contract's violations as import-linter prints them: (importer, line) for the
    import contracts, (sibling, "") for the packages of acyclic_siblings' cycle breakers."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    script = Path(sys.executable).parent / "lint-imports"
    command = [str(script) if script.exists() else "lint-imports", "--no-cache"]
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    found: dict[str, set[tuple[str, int]]] = {name: set() for name in sections}
    section = ""
    broken = done.stdout.split("Broken contracts", 1)[1]
    for line in broken.splitlines():
        if line.strip() in sections:
            section = line.strip()
        elif match := _CHAIN.match(line.strip()):
            for number in match[3].split(","):
                found[section].add((match[1], int(number)))
        elif match := _BREAKER.match(line.strip()):
            found[section].update({("shop" + match[1], 0), ("shop" + match[2], 0)})
    return found


def gates(root: Path, run_gates) -> dict[str, set[tuple[str, int]]]:
    result = run_gates("check", "--format", "json", "--select", "GT107,GT108,GT109", cwd=root)
    assert result.returncode == 1, result.stderr
    found: dict[str, set[tuple[str, int]]] = {name: set() for name in _SECTIONS}
    for finding in json.loads(result.stdout)["findings"]:
        importer = module_name(finding["path"])[0]
        if finding["code"] == "GT107":
            found["forbidden"].add((importer, finding["line"]))
        elif finding["code"] == "GT108":
            found["layers"].add((importer, finding["line"]))
        elif finding["code"] == "GT109":
            found["acyclic"].update((name, 0) for name in re.findall(r"shop\.\w+", finding["message"]))
    return found


def test_the_same_violations_as_import_linter(project, run_gates) -> None:
    root = project({**FILES, ".importlinter": IMPORT_LINTER, "pyproject.toml": GATES})
    theirs, ours = import_linter(root), gates(root, run_gates)
    assert theirs["forbidden"] == {("shop.api.views", 2), ("shop.services.orders", 7), ("shop.core.model", 5)}
    assert theirs["layers"] and theirs["acyclic"]
    assert ours["forbidden"] == theirs["forbidden"]
    assert ours["layers"] == theirs["layers"]
    # import-linter names the dependencies to remove (its cycle breakers); gates names the
    # siblings in each cycle group, which include the breakers' ends: here shop.core too,
    # whose TYPE_CHECKING import of shop.api closes a cycle once api -> services is kept.
    assert theirs["acyclic"] < ours["acyclic"] == {
        ("shop.adapters", 0), ("shop.api", 0), ("shop.core", 0), ("shop.services", 0)}


def test_acyclic_siblings_kept_by_both(project, run_gates) -> None:
    files = {**FILES, "shop/core/model.py": "", "shop/services/orders.py": "from ..adapters import db\n",
             "shop/adapters/db.py": "import decimal\n"}
    root = project({**files, ".importlinter": IMPORT_LINTER, "pyproject.toml": GATES})
    assert not import_linter(root)["acyclic"] and not gates(root, run_gates)["acyclic"]


# --- a real project: gates' own forbidden contracts (pyproject.toml), both ways ---------------


def _as_paths(module: str) -> list[str]:
    path = module.replace(".", "/")
    return [f"!{path}/**", f"!{path}.py"]


def gates_rules(contracts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each forbidden contract as banned-import rules: the forbidden module, allowed
    everywhere except in the contract's source modules (gitignore negation)."""
    rules = []
    for contract in contracts:
        sources = [p for source in contract["source_modules"] for p in _as_paths(source)]
        for module in contract["forbidden_modules"]:
            rules.append({"module": module, "allow-in": ["**", *sources]})
    return rules


def test_the_same_violations_as_import_linter_on_gates_own_code(project, run_gates) -> None:
    repo = Path(__file__).resolve().parent.parent
    config = tomllib.loads((repo / "pyproject.toml").read_text())["tool"]["importlinter"]
    contracts = [c for c in config["contracts"] if c["type"] == "forbidden"]
    root = project({})
    for package in ("gates", "pytest_gates"):
        shutil.copytree(repo / package, root / package, ignore=shutil.ignore_patterns("__pycache__"))
    # Two arrows broken: a checker imports the CLI (in a function), a reporter the engine.
    broken = {
        "gates/checkers/no_print.py": "\n\ndef _late() -> None:\n    from gates.cli import main\n",
        "gates/reporters/text.py": "\nfrom ..core import engine\n",
    }
    expected = set()
    for name, addition in broken.items():
        text = (root / name).read_text()
        (root / name).write_text(text + addition)
        expected.add((module_name(name)[0], text.count("\n") + addition.count("\n")))
    lines = ["[importlinter]", "root_packages =", "    gates", "    pytest_gates", "include_external_packages = True"]
    for index, contract in enumerate(contracts):
        lines += ["", f"[importlinter:contract:c{index}]", f"name = c{index}", "type = forbidden",
                  "source_modules =", *(f"    {m}" for m in contract["source_modules"]),
                  "forbidden_modules =", *(f"    {m}" for m in contract["forbidden_modules"]),
                  "allow_indirect_imports = True"]
    (root / ".importlinter").write_text("\n".join(lines) + "\n")
    rules = ",\n    ".join(
        "{module = %s, allow-in = %s}" % (json.dumps(r["module"]), json.dumps(r["allow-in"]))
        for r in gates_rules(contracts))
    (root / "pyproject.toml").write_text(f"[tool.gates.banned-import]\nenabled = true\nrules = [\n    {rules},\n]\n")
    theirs = {pair for name, pairs in import_linter(root, sections=tuple(f"c{i}" for i in range(len(contracts)))).items()
              for pair in pairs}
    result = run_gates("check", "--format", "json", "--select", "GT107", cwd=root)
    ours = {(module_name(f["path"])[0], f["line"]) for f in json.loads(result.stdout)["findings"]}
    assert theirs == ours == expected
