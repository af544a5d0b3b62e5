"""[tool.gates] in pyproject.toml: overrides, and every mistake as one line with exit 2."""

from __future__ import annotations

import json

import pytest

LONG = "def f():\n" + "".join(f"    x = {i}\n" for i in range(45))  # 46 lines


def gates_json(run_gates, root):
    result = run_gates("check", "--format", "json", cwd=root)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def test_gate_table_overrides_default(project, run_gates) -> None:
    root = project({"m.py": LONG, "pyproject.toml": "[tool.gates.function-length]\nmax = 45\n"})
    data = gates_json(run_gates, root)
    gate = next(g for g in data["gates"] if g["code"] == "GT102")
    assert gate["passed"] is False and gate["threshold"] == 45 and gate["measured"] == 46


def test_limits_are_inclusive(project, run_gates) -> None:
    root = project({"m.py": LONG, "pyproject.toml": "[tool.gates.function-length]\nmax = 46\n"})
    gate = next(g for g in gates_json(run_gates, root)["gates"] if g["code"] == "GT102")
    assert gate["passed"] is True


def test_gate_can_be_disabled_and_enabled(project, run_gates) -> None:
    root = project({"m.py": "print(1)\n", "pyproject.toml": "[tool.gates.no-print]\nenabled = false\n"})
    data = gates_json(run_gates, root)
    assert "GT101" not in {g["code"] for g in data["gates"]}


def test_exclude_and_per_file_ignores(project, run_gates) -> None:
    root = project(
        {
            "pyproject.toml": """\
                [tool.gates]
                exclude = ["legacy/"]
                per-file-ignores = { "scripts/*.py" = ["no-print"] }
            """,
            "legacy/old.py": "print('old')\n",
            "scripts/tool.py": "print('cli output')\n",
            "app.py": "print('bad')\n",
        }
    )
    data = gates_json(run_gates, root)
    assert [f["path"] for f in data["findings"]] == ["app.py"]
    assert data["files_checked"] == 2


def test_config_from_explicit_file(project, run_gates) -> None:
    root = project({"m.py": LONG, "ci/gates.toml": "[tool.gates.function-length]\nmax = 10\n"})
    result = run_gates("check", "m.py", "--config", "ci/gates.toml", "--format", "json", cwd=root)
    gate = next(g for g in json.loads(result.stdout)["gates"] if g["code"] == "GT102")
    assert gate["threshold"] == 10 and not gate["passed"]


BAD_CONFIGS = {
    "broken-toml": ("[tool.gates\nmax = 3\n", "pyproject.toml: invalid TOML"),
    "unknown-gate": ("[tool.gates.no-prints]\nenabled = true\n", "unknown gate 'no-prints'"),
    "unknown-key": ("[tool.gates.function-length]\nmaximum = 3\n", "unknown key 'maximum'; known keys: enabled, max, mode; did you mean max = 50  # the longest a def may be"),
    "unknown-run-key": ("[tool.gates]\nexlude = ['x']\n", "unknown key 'exlude' in [tool.gates]"),
    "wrong-type": ("[tool.gates.function-length]\nmax = 'fifty'\n", "max: expected a whole number, got 'fifty'; e.g. max = 50  # the longest a def may be, in lines"),
    "bool-for-int": ("[tool.gates.file-size]\nmax = true\n", "max: expected a whole number"),
    "perf-misspelt": ("[tool.gates.perf]\nmax-regresion = 3\n", "did you mean max-regression = 20.0  # the most"),
    "runtime-wrong-type": ("[tool.gates.seeds]\nseed = 'x'\n", "e.g. seed = 42  # the seed every test starts from"),
    "nothing-close": ("[tool.gates.file-size]\nzzz = 1\n", "unknown key 'zzz'; known keys: enabled, max\n"),
    "bad-choice": ("[tool.gates.function-length]\nmode = 'lines'\n", 'mode must be "physical" or "logical"'),
    "bad-select": ("[tool.gates]\nselect = ['GT777']\n", "unknown gate 'GT777'"),
    "bad-ignore-type": ("[tool.gates]\nignore = 3\n", "ignore: expected a list of strings"),
    "bad-per-file": ("[tool.gates]\nper-file-ignores = { 'x/*' = ['nope'] }\n", "unknown gate 'nope'"),
    "name-and-code-table": (
        "[tool.gates.no-print]\nenabled = true\n[tool.gates.GT101]\nenabled = false\n",
        "[tool.gates.no-print] and [tool.gates.GT101] configure the same gate",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_CONFIGS))
def test_config_mistakes_are_one_line_errors_with_exit_2(project, run_gates, name: str) -> None:
    text, expected = BAD_CONFIGS[name]
    root = project({"m.py": "x = 1\n", "pyproject.toml": text})
    result = run_gates("check", cwd=root)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith("gates: error: ")
    assert expected in result.stderr
    assert "pyproject.toml" in result.stderr or "--select" in result.stderr


def test_a_gate_table_may_be_named_by_its_code(project, run_gates) -> None:
    root = project({"m.py": LONG, "pyproject.toml": "[tool.gates.GT102]\nmax = 10\n"})
    data = json.loads(run_gates("check", "--select", "GT102", "--format", "json", cwd=root).stdout)
    assert next(g for g in data["gates"] if g["code"] == "GT102")["threshold"] == 10
    from gates.core.config import load_settings

    settings = load_settings(start=root)
    assert settings.gate_table("function-length", "GT102") == {"max": 10}
    assert settings.gate_table("no-print", "GT101") == {}


def test_missing_config_file_is_a_usage_error(project, run_gates) -> None:
    root = project({"m.py": "x = 1\n"})
    result = run_gates("check", "--config", "nope.toml", cwd=root)
    assert result.returncode == 2 and "nope.toml: config file not found" in result.stderr


def test_nearest_pyproject_with_gates_table_is_the_root(project, run_gates) -> None:
    root = project(
        {
            "pyproject.toml": "[tool.gates.function-length]\nmax = 10\n",
            "sub/pyproject.toml": "[project]\nname = 'sub'\n",
            "sub/m.py": LONG,
        }
    )
    data = json.loads(run_gates("check", "sub", "--format", "json", cwd=root).stdout)
    assert [f["path"] for f in data["findings"]] == ["sub/m.py"]


def test_settings_come_from_the_folder_common_to_all_paths_whatever_their_order(project, run_gates) -> None:
    root = project({
        "pyproject.toml": "[tool.gates]\nexclude = ['sub/']\n",
        "sub/pyproject.toml": "[tool.gates]\n",
        "b.py": "print(1)\n",
        "sub/c.py": "print(2)\n",
    })
    outputs = []
    for order in (["b.py", "sub/c.py"], ["sub/c.py", "b.py"]):
        result = run_gates("check", *order, "--format", "json", cwd=root)
        outputs.append([(f["code"], f["path"]) for f in json.loads(result.stdout)["findings"]])
    assert outputs[0] == outputs[1] == [("GT101", "b.py")]
    alone = run_gates("check", "sub/c.py", "--format", "json", cwd=root)
    assert [f["path"] for f in json.loads(alone.stdout)["findings"]] == ["c.py"]
