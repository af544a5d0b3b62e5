"""GT100 agrees with CPython's compiler: a file that parses but that `compile()` rejects
(module-level `return`, `await` outside an async def, `nonlocal` with no binding,
`from __future__ import braces`, `break` outside a loop, a parameter named twice, a tree
that parses only above the default recursion limit) is a finding at the compiler's line."""

from __future__ import annotations

import json
import sys
import sysconfig
import warnings
from pathlib import Path

import pytest

from compile_cases import CASES, KNOWN_GAPS
from gates.checkers.syntax import SyntaxChecker
from gates.cli.audit import deeply
from gates.core.source import SourceFile


def _compiles(text: str) -> bool:
    """What `python -m py_compile` says, at Python's default recursion limit."""
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(text, "<case>", "exec", dont_inherit=True)
        return True
    except (SyntaxError, RecursionError, ValueError):
        return False
    finally:
        sys.setrecursionlimit(previous)


def _gt100(text: str) -> list[str]:
    """GT100's messages on a file, under the CLI's raised recursion limit."""
    def check() -> list[str]:
        source = SourceFile.from_source("case.py", text)
        return [f.message for f in SyntaxChecker().check(source)]

    return deeply(check)


@pytest.mark.parametrize("name", sorted(CASES))
def test_gt100_fails_exactly_the_crafted_files_cpython_cannot_compile(name: str) -> None:
    text = CASES[name]
    assert bool(_gt100(text)) == (not _compiles(text))


@pytest.mark.parametrize("name", sorted(KNOWN_GAPS))
def test_the_known_gaps_are_still_gaps(name: str) -> None:
    """Starred targets and repeated keyword arguments: the compiler rejects these, GT100
    does not see them (docs/hostile-inputs.md). Fails once GT100 learns one: move it up."""
    text = KNOWN_GAPS[name]
    assert not _compiles(text)
    assert _gt100(text) == []


DEEP = {
    "minus": "x = " + "-" * 5000 + "1\n",
    "attributes": "x = a" + ".b" * 5000 + "\n",
    "calls": "x = a" + "()" * 5000 + "\n",
    "operators": "x = " + "+".join(["a"] * 5000) + "\n",
}


@pytest.mark.parametrize("name", sorted(DEEP))
def test_a_tree_that_parses_only_above_the_default_recursion_limit_is_a_finding(name: str) -> None:
    assert not _compiles(DEEP[name])
    assert any("recursion" in m for m in _gt100(DEEP[name]))


def test_compile_findings_through_the_cli(project, run_gates) -> None:
    root = project({
        "ret.py": "import os\n\nreturn os\n",
        "aw.py": "def f():\n    await g()\n",
        "fut.py": "from __future__ import braces\n",
        "nl.py": "def f():\n    nonlocal x\n",
        "ok.py": "async def f():\n    await g()\n    return [x async for x in y]\n",
    })
    result = run_gates("check", "--select", "GT100", "--format", "json", cwd=root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    found = {(f["path"], f["line"], f["message"]) for f in json.loads(result.stdout)["findings"]}
    assert found == {
        ("aw.py", 2, "file does not compile with Python 3.11: SyntaxError: 'await' outside async function"),
        ("fut.py", 1, "file does not compile with Python 3.11: SyntaxError: not a chance"),
        ("nl.py", 2, "file does not compile with Python 3.11: SyntaxError: no binding for nonlocal 'x' found"),
        ("ret.py", 3, "file does not compile with Python 3.11: SyntaxError: 'return' outside function"),
    } if sys.version_info[:2] == (3, 11) else found


@pytest.mark.slow
def test_gt100_agrees_with_compile_over_the_standard_library() -> None:
    """Every file of the standard library, its tests (and their deliberately broken files)
    included: GT100 fails exactly those that `compile()` rejects."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    disagree = []
    for file in sorted(stdlib.rglob("*.py")):
        if "site-packages" in file.parts:
            continue
        data = file.read_bytes()
        source = deeply(lambda: SourceFile.from_bytes(data, str(file)))
        flagged = bool(deeply(lambda: list(SyntaxChecker().check(source))))
        try:
            text = data.decode(source_encoding(data))
        except (SyntaxError, UnicodeDecodeError, LookupError):
            compiles = False
        else:
            compiles = "\0" not in text and _compiles(text.replace("\r\n", "\n"))
        if flagged == compiles:
            disagree.append(str(file))
    assert disagree == []


def source_encoding(data: bytes) -> str:
    import io
    import tokenize

    return tokenize.detect_encoding(io.BytesIO(data).readline)[0]
