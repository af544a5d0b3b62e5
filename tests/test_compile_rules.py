"""GT100 agrees with CPython's compiler on what parses but does not compile.

Differential: for every program ``ast.parse`` accepts, GT100 reports a problem exactly
when ``compile(source, path, "exec")`` raises SyntaxError. The cases the rules do not
cover (docs/hostile-inputs.md, "Known gaps") are listed in KNOWN_GAPS and skipped.
"""

from __future__ import annotations

import ast
import sys
import sysconfig
import warnings
from pathlib import Path

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings

from gates.analysis.compile_rules import compile_problem

KNOWN_GAPS = ("too many statically nested blocks", "maximum recursion depth", "too many expressions in star-unpacking")


def _compiler_says(text: str) -> str | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(text, "<case>", "exec", dont_inherit=True)
    except SyntaxError as exc:
        return exc.msg
    except (RecursionError, ValueError, MemoryError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def _agree(text: str) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return  # the parser's own finding, not the compiler's
    expected = _compiler_says(text)
    if expected is not None and any(gap in expected for gap in KNOWN_GAPS):
        return
    found = compile_problem(tree, text, "<case>")
    assert (found is None) == (expected is None), (text, expected, found)


REJECTED = {
    "module-level return": "return 1\n",
    "module-level yield": "x = yield 1\n",
    "return in a class body": "class A:\n    return 1\n",
    "module-level await": "await thing()\n",
    "await in a plain function": "def f():\n    await thing()\n",
    "await in a lambda": "async def f():\n    return lambda: await thing()\n",
    "async for in a plain function": "def f():\n    async for x in y:\n        pass\n",
    "async with at module level": "async with x:\n    pass\n",
    "async comprehension in a plain function": "def f():\n    return [x async for x in y]\n",
    "nonlocal at module level": "nonlocal x\n",
    "nonlocal without a binding": "def f():\n    nonlocal x\n",
    "future braces": "from __future__ import braces\n",
    "unknown future feature": "from __future__ import spam\n",
    "future import not at the top": "import os\nfrom __future__ import annotations\n",
    "break outside a loop": "def f():\n    break\n",
    "continue in a def inside a loop": "for x in y:\n    def f():\n        continue\n",
    "break in a loop's else": "for x in y:\n    pass\nelse:\n    break\n",
    "duplicate argument": "def f(a, a):\n    pass\n",
    "default except not last": "try:\n    pass\nexcept:\n    pass\nexcept ValueError:\n    pass\n",
    "starred target alone": "*a = 1\n",
    "two starred targets": "a, *b, *c = d\n",
    "yield in a comprehension": "def f():\n    return [(yield) for x in y]\n",
    "yield from in async def": "async def f():\n    yield from x\n",
    "return value in async generator": "async def f():\n    yield 1\n    return 2\n",
    "import star in a function": "def f():\n    from os import *\n",
    "parameter and global": "def f(x):\n    global x\n",
    "assigned before global": "def f():\n    x = 1\n    global x\n",
    "used before global": "def f():\n    print(x)\n    global x\n",
    "annotated global": "def f():\n    global x\n    x: int = 1\n",
    "assign to __debug__": "__debug__ = 1\n",
    "unreachable case": "match x:\n    case a:\n        pass\n    case 1:\n        pass\n",
}

ACCEPTED = {
    "yield in a lambda": "f = lambda: (yield)\n",
    "await in a generator expression": "g = (await x for x in y)\n",
    "yield in a comprehension's first iterable": "def f():\n    return [x for x in (yield)]\n",
    "future after the docstring": '"""Doc."""\nfrom __future__ import annotations\n',
    "break in a nested loop": "def f():\n    while True:\n        for x in y:\n            break\n        break\n",
    "global before use": "def f():\n    global x\n    x = 1\n",
    "async constructs in async def": "async def f():\n    async with a:\n        async for x in b:\n            await x\n    return [await y for y in z]\n",
}


@pytest.mark.parametrize("text", REJECTED.values(), ids=REJECTED.keys())
def test_gt100_rejects_what_the_compiler_rejects(text: str, run_gates, project) -> None:  # type: ignore[no-untyped-def]
    assert _compiler_says(text) is not None
    root = project({"mod.py": text})
    result = run_gates("check", "--no-cache", "--select", "GT100", cwd=root)
    assert result.returncode == 1, result.stdout
    assert "GT100 file does not compile with Python" in result.stdout


@pytest.mark.parametrize("text", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_gt100_accepts_what_the_compiler_accepts(text: str) -> None:
    assert _compiler_says(text) is None
    assert compile_problem(ast.parse(text), text, "<case>") is None


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(hypothesmith.from_grammar())
def test_gt100_agrees_with_compile_on_a_few_generated_programs(text: str) -> None:
    _agree(text)


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(hypothesmith.from_grammar())
def test_gt100_agrees_with_compile_on_generated_programs(text: str) -> None:
    _agree(text)


@pytest.mark.slow
@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(hypothesmith.from_node())
def test_gt100_agrees_with_compile_on_generated_trees(text: str) -> None:
    _agree(text)


@pytest.mark.slow
def test_gt100_agrees_with_compile_on_the_standard_library() -> None:
    root = Path(sysconfig.get_paths()["stdlib"])
    previous = sys.getrecursionlimit()
    checked = 0
    for file in sorted(root.rglob("*.py")):
        if "site-packages" in file.parts:
            continue
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        sys.setrecursionlimit(previous)
        _agree(text)
        checked += 1
    assert checked > 1000
