"""gates inside flake8: GT101/GT102/GT103/GT105 with the same findings as `gates check`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml  # pre-commit's own dependency

from conftest import REPO_ROOT

AST_GATES = "GT101,GT102,GT103,GT105"
FILES = {
    "app/main.py": """\
        import random
        import numpy as np


        def long_one(x):
            a = 1
            b = 2
            c = 3
            d = 4
            return x


        def talk(x):
            print(x)
            print(x)  # gates: ignore[GT101]
            print(x)  # noqa: GT101
            rng = np.random.default_rng()
            random.seed()
            return rng
        """,
    "app/big.py": "X = 1\n" * 12,
    "tests/test_main.py": """\
        import random


        def test_talk():
            print("tests may print")
            random.seed()
        """,
    "pyproject.toml": """\
        [tool.gates]
        per-file-ignores = { "app/big.py" = ["GT1"] }

        [tool.gates.function-length]
        max = 5

        [tool.gates.file-size]
        max = 10
        """,
}


def flake8(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "flake8", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def test_flake8_reports_the_same_findings_as_gates_check(project, run_gates) -> None:
    root = project(FILES)
    (root / "app" / "small.py").write_text("Y = 2\n" * 11)  # over the file-size max of 10
    ours = json.loads(run_gates("check", "--select", AST_GATES, "--format", "json", cwd=root).stdout)
    expected = {(f["path"], f["line"], f["column"], f"{f['code']} {f['message']}") for f in ours["findings"]}
    output = flake8("--select", "GT", "app", "tests", cwd=root).stdout
    theirs = set()
    for line in output.splitlines():
        path, row, col, text = line.split(":", 3)
        theirs.add((path, int(row), int(col), text.strip()))
    assert theirs == expected
    codes = sorted(text.split()[0] for *_, text in theirs)
    assert codes == ["GT101", "GT102", "GT102", "GT103", "GT103", "GT105", "GT105", "GT105"]


def test_a_gate_disabled_in_the_config_is_off_in_flake8_too(project) -> None:
    root = project({**FILES, "pyproject.toml": "[tool.gates.no-print]\nenabled = false\n"})
    output = flake8("--select", "GT", "app", cwd=root).stdout
    assert "GT101" not in output and "GT105" in output


def test_flake8_lists_the_plugin() -> None:
    proc = subprocess.run([sys.executable, "-m", "flake8", "--version"], capture_output=True, text=True)
    assert "gates:" in proc.stdout


PLUGIN_CODES = ("GT101", "GT102", "GT103", "GT105")  # the per-file gates the plugin runs
CONFIGS = {
    "defaults": "",
    "ignore": '[tool.gates]\nignore = ["GT101"]\n',
    "ignore by name and prefix": '[tool.gates]\nignore = ["no-print", "GT10"]\n',
    "select": '[tool.gates]\nselect = ["GT101", "function-length"]\n',
    "select and ignore": '[tool.gates]\nselect = ["GT1"]\nignore = ["GT105"]\n',
    "per-file-ignores": (
        '[tool.gates]\nper-file-ignores = { "app/main.py" = ["no-print", "GT105"], '
        '"app/b*.py" = ["GT1"], "tests/*" = ["unseeded-rng"] }\n'
    ),
    "disabled": "[tool.gates.no-print]\nenabled = false\n[tool.gates.unseeded-rng]\nenabled = false\n",
}
LIMITS = "\n[tool.gates.function-length]\nmax = 5\n\n[tool.gates.file-size]\nmax = 10\n"


@pytest.mark.parametrize("config", CONFIGS.values(), ids=list(CONFIGS))
def test_flake8_and_gates_check_select_the_same_findings(project, run_gates, config: str) -> None:
    root = project({**FILES, "pyproject.toml": config + LIMITS})
    (root / "app" / "small.py").write_text("Y = 2\n" * 11)
    checked = run_gates("check", "--format", "json", "--no-cache", "app", "tests", cwd=root)
    if checked.returncode == 2:  # a config that leaves no gate is a usage error in `gates check`
        assert "no gates selected" in checked.stderr
        ours = set()
    else:
        assert checked.returncode in (0, 1), checked.stderr
        ours = {
            (f["code"], f["path"], f["line"])
            for f in json.loads(checked.stdout)["findings"] if f["code"] in PLUGIN_CODES
        }
    linted = flake8("--select", "GT", "app", "tests", cwd=root)
    assert linted.returncode in (0, 1), linted.stderr
    theirs = set()
    for line in linted.stdout.splitlines():
        path, row, _, text = line.split(":", 3)
        theirs.add((text.split()[0], path, int(row)))
    assert theirs == ours
    if config == CONFIGS["defaults"]:
        assert {code for code, *_ in ours} == set(PLUGIN_CODES)  # every gate has a finding


# -- pre-commit hooks of these gates --------------------------------------------------
MY_HOOKS = {"gates-type-coverage", "gates-complexity", "gates-flake8", "gates-mypy", "gates-bandit"}


@pytest.fixture(scope="module")
def hooks() -> dict[str, dict]:  # type: ignore[type-arg]
    manifest = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text())
    return {hook["id"]: hook for hook in manifest}


def test_every_metric_hook_runs_its_gate_and_is_documented(hooks: dict) -> None:  # type: ignore[type-arg]
    readme = (REPO_ROOT / "README.md").read_text()
    assert MY_HOOKS <= set(hooks)
    for hook_id in MY_HOOKS:
        assert f"`{hook_id}`" in readme, hook_id
        assert hooks[hook_id]["entry"].startswith("gates check --select GT")
    coverage = hooks["gates-type-coverage"]
    assert coverage["pass_filenames"] is False and coverage["require_serial"] is True
