"""GT106 complexity: the figures are radon's own, checked against radon's command line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
import textwrap
import time
from pathlib import Path

import pytest

from gates.checkers.complexity import MI_STATEMENT_LIMIT, longest_statement, maintainability_index
from gates.core.source import SourceFile

STDLIB = Path(sysconfig.get_paths()["stdlib"])
# Real code of every shape: deep nesting, closures, match statements, comprehensions.
STDLIB_SAMPLES = ["argparse.py", "ast.py", "json/decoder.py", "email/_header_value_parser.py",
                  "inspect.py", "tomllib/_parser.py"]
CRAFTED = """\
    import re

    def branches(x, items):
        if x and not items or x > 3:
            return [i for i in items if i if i > 1]
        elif x:
            for i in items:
                try:
                    pass
                except ValueError:
                    continue
                except TypeError:
                    break
                else:
                    pass
            else:
                return None
        while x:
            x -= 1
        assert x, "message"
        return x if x else None

    def matcher(command):
        match command:
            case "go":
                return 1
            case "stop" | "halt":
                return 2
            case _:
                return 0

    def outer(flag):
        def inner(y):
            return y or flag and y
        class Local:
            def method(self, z):
                return z if z else -z
        return inner if flag else Local

    class Top:
        def m(self, a):
            with open(a) as f:
                return {k: v for k, v in f if k}
        async def am(self, a):
            async for b in a:
                if b:
                    return b
    """


def radon(*args: str, cwd: Path) -> dict:  # type: ignore[type-arg]
    proc = subprocess.run([sys.executable, "-m", "radon", *args], capture_output=True, text=True,
                          check=True, timeout=120, cwd=cwd)
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


def radon_functions(blocks: list[dict]) -> set[tuple[int, int]]:  # type: ignore[type-arg]
    found: set[tuple[int, int]] = set()
    for block in blocks:
        if block["type"] in ("function", "method"):
            found.add((block["lineno"], block["complexity"]))
        found |= radon_functions(block.get("closures", []) + block.get("methods", []))
    return found


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cc")
    for name in STDLIB_SAMPLES:
        shutil.copyfile(STDLIB / name, root / name.replace("/", "_"))
    (root / "crafted.py").write_text(textwrap.dedent(CRAFTED))
    (root / "pyproject.toml").write_text("[tool.gates.complexity]\nmax = 1\n")
    return root


def test_every_function_complexity_equals_radons(sample: Path, run_gates) -> None:
    result = run_gates("check", "--select", "GT106", "--format", "json", cwd=sample)
    ours: dict[str, set[tuple[int, int]]] = {}
    for finding in json.loads(result.stdout)["findings"]:
        ours.setdefault(finding["path"], set()).add((finding["line"], int(finding["value"])))
    report = radon("cc", "-j", "--show-closures", *sorted(p.name for p in sample.glob("*.py")), cwd=sample)
    for path, blocks in report.items():
        theirs = {(line, cc) for line, cc in radon_functions(blocks) if cc > 1}  # max = 1
        assert theirs, path
        mine = ours.get(path, set())
        assert theirs <= mine, (path, sorted(theirs - mine))
        # the only extra functions are ones radon does not list at all
        radon_lines = {line for line, _ in radon_functions(blocks)}
        assert {line for line, _ in mine - theirs}.isdisjoint(radon_lines), path
    # radon does not list methods of a class defined inside a function; gates measures them
    crafted = ours["crafted.py"]
    assert (36, 2) in crafted and (36, 2) not in radon_functions(report["crafted.py"])
    assert (23, 3) in crafted  # match: two cases besides the wildcard, + 1


def test_maintainability_index_equals_radon_mi(sample: Path) -> None:
    names = sorted(p.name for p in sample.glob("*.py"))
    report = radon("mi", "-j", "-s", *names, cwd=sample)
    for name in names:
        source = SourceFile.read(sample / name, name)
        assert maintainability_index(source) == pytest.approx(report[name]["mi"], abs=1e-9), name


def test_maintainability_floor_fails_a_file_at_line_1(project, run_gates) -> None:
    root = project({
        "simple.py": "X = 1\n",
        "dense.py": "def f(a, b):\n    return a + b * 2 - a / b\n",
        "pyproject.toml": "[tool.gates.complexity]\nmin-maintainability = 99.5\n",
    })
    result = run_gates("check", "--select", "GT106", cwd=root)
    assert result.returncode == 1
    assert result.stdout.startswith("dense.py:1:1: GT106 maintainability index ")
    assert "simple.py" not in result.stdout
    assert "1 file below min-maintainability 99.5" in result.stdout


def test_a_huge_statement_gets_no_index_instead_of_hanging(project, run_gates) -> None:
    """radon's raw metrics are quadratic in a statement's length (radon issue 223)."""
    table = "TABLE = {\n" + "".join(f"    'k{i}': 'value {i}',\n" for i in range(5000)) + "}\n"
    source = SourceFile.from_source("t.py", table)
    assert longest_statement(source.tree) == 5002 > MI_STATEMENT_LIMIT  # type: ignore[arg-type]
    assert maintainability_index(source) is None
    root = project({"t.py": table, "pyproject.toml": "[tool.gates.complexity]\nmin-maintainability = 50\n"})
    started = time.perf_counter()
    assert run_gates("check", "--select", "GT106", cwd=root).returncode == 0
    assert time.perf_counter() - started < 60  # radon.raw.analyze on it: far longer


def test_findings_name_the_function_and_can_be_suppressed(project, run_gates) -> None:
    body = "".join(f"    if x == {i}:\n        return {i}\n" for i in range(11))
    root = project({
        "m.py": f"class C:\n    def busy(self, x):\n{textwrap.indent(body, '    ')}"
                f"def quiet(x):  # gates: ignore[GT106]\n{body}",
    })
    result = run_gates("check", "--select", "GT106", cwd=root)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == "m.py:2:5: GT106 function C.busy has cyclomatic complexity 12 (max 10)"
    assert "quiet" not in result.stdout
    assert "1 function over complexity 10 (worst: m.py:2 C.busy, complexity 12)" in result.stdout
