"""GT106 counts complexity by radon's rules without radon; the figures are radon's own.

Every def's figure must equal radon's (``ComplexityVisitor``), and the findings,
messages, measured values and scorecard those of radon's figures. Checked on crafted
edge cases, on the standard library, and on generated programs (a fast hypothesis
profile; `GATES_HYPOTHESIS_EXAMPLES=100000` runs a long one).
"""

from __future__ import annotations

import io
import shutil
import sysconfig
import textwrap
from pathlib import Path

import pytest

from gates.analysis import complexity_count
from gates.analysis.complexity_count import Complexities, complexity
from gates.analysis.statements import function_defs
from gates.checkers import complexity as complexity_checker
from gates.checkers.complexity import ComplexityChecker, ComplexityOptions, function_complexities
from gates.cli import main
from gates.core.discovery import discover
from gates.core.source import SourceFile

hypothesis = pytest.importorskip("hypothesis")
hypothesmith = pytest.importorskip("hypothesmith")
from hypothesis import given, strategies as st  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning", "ignore::DeprecationWarning")
from hypothesis_profile import PROFILE  # noqa: E402
STDLIB = Path(sysconfig.get_paths()["stdlib"])
SAMPLES = ["argparse.py", "ast.py", "json/decoder.py", "email/_header_value_parser.py",
           "inspect.py", "tomllib/_parser.py", "typing.py", "dataclasses.py"]
LIMITS = (1, 2, 3, 5, 8, 10, 15)


def full(source: SourceFile, limit: int) -> tuple[list[tuple[str, int, int]], int | None]:
    """Findings and measure from radon run on every def: the reference."""
    figures = source.shared(function_complexities)
    over = [(qualname, node.lineno, c) for qualname, node, c in figures if c > limit]
    within = [c for _, _, c in figures if c <= limit]
    return over, max(within) if within else None


def counted(source: SourceFile, limit: int) -> tuple[list[tuple[str, int, int]], int | None]:
    index = Complexities(source)
    over = [(qualname, node.lineno, c) for qualname, node, c in index.over(limit)]
    return over, index.worst_within(limit)


def assert_counts_are_radons(source: SourceFile, limits: tuple[int, ...] = LIMITS) -> None:
    figures = source.shared(function_complexities)
    ours = [complexity(node) for _, node in function_defs(source)]
    assert ours == [figure for _, _, figure in figures], source.path
    for limit in limits:
        assert counted(source, limit) == full(source, limit), (source.path, limit)


def radon_and_ours(text: str) -> list[int]:
    source = SourceFile.from_source("m.py", textwrap.dedent(text))
    assert source.tree is not None
    assert_counts_are_radons(source)
    return [c for _, _, c in source.shared(function_complexities)]


@pytest.mark.parametrize("text, expected", [
    # keywords right after number literals: `1if`, `0x1for` is `0x1f or`, `1jif`, `1.if`
    ("def f(a, z):\n    return [1if a else 2, 0x1for y in z, 1jif a else 0, 1.if a else 0]\n", [5]),
    # the header (defaults, annotations) and the docstring are not counted
    ("def f(a=b or c, d: int if e else str = 0) -> x if y else z:\n"
     "    '''if a or b and c, for while except'''\n    return a or d\n", [2]),
    # a nested def (its decorators and defaults too) counts on its own, not in the def around it
    ("def f(a):\n    @dec(a or b)\n    def g(p=a or b):\n        return a if a else a and a\n    return g\n",
     [1, 3]),
    # a nested class's body counts for nobody; its methods on their own
    ("def f(a):\n    class K(a if a else a):\n        x = a or a\n        def m(self):\n"
     "            return a or a\n    return K\n", [1, 2]),
    # match: cases besides a bare name or `_`, less one at most; guards count what they hold
    ("def f(a):\n    match a:\n        case 1 if a or a: pass\n        case [*_]: pass\n"
     "        case _: pass\n        case x: pass\n", [5]),
    ("def f(a):\n    match a:\n        case _: pass\n", [1]),
    # try: handlers and else; except* counts nothing, its bodies do
    ("def f(a):\n    try:\n        pass\n    except A:\n        pass\n    except B:\n        pass\n"
     "    else:\n        pass\n    finally:\n        x = a or a\n"
     "def g(a):\n    try:\n        pass\n    except* B:\n        x = a if a else a\n", [5, 2]),
    # loops: +1 for else; assert 1, whatever it holds; lambdas and f-strings are looked into
    ("def f(a):\n    for i in a:\n        pass\n    else:\n        pass\n    while a:\n"
     "        assert a or (a if a else a), [i for i in a if a]\n", [5]),
    ("def f(a):\n    g = lambda q=a or a: q if q else a\n    return f'{a if a else a!r} {a and a}'\n", [5]),
    ("async def f(a):\n    async for i in a:\n        pass\n    async with a as b, a or a as c:\n"
     "        return {k: v async for k, v in a if k if v}\n", [6]),
])
def test_count_is_radons_figure(text: str, expected: list[int]) -> None:
    assert radon_and_ours(text) == expected


@pytest.mark.parametrize("name", SAMPLES)
def test_count_is_radons_on_every_def_of_real_files(name: str) -> None:
    assert_counts_are_radons(SourceFile.read(STDLIB / name, name))


@pytest.mark.slow
def test_count_is_radons_on_every_def_of_the_standard_library() -> None:
    defs = 0
    for entry in discover([STDLIB], STDLIB):
        if not entry.is_test:
            source = SourceFile.read(entry.file, entry.path)
            assert_counts_are_radons(source, (5, 10))
            defs += len(function_defs(source))
    assert defs > 10_000


def test_checker_findings_and_measure_come_from_radons_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    for limit in (3, 10):
        checker = ComplexityChecker(ComplexityOptions(max=limit))
        for name in SAMPLES:
            runs = []
            for ours in (True, False):
                if not ours:
                    monkeypatch.setattr(complexity_count, "complexity", complexity_checker.radon_complexity)
                source = SourceFile.read(STDLIB / name, name)
                runs.append((list(checker.check(source)), checker.measure(source)))
            monkeypatch.undo()
            assert runs[0] == runs[1], (name, limit)
            assert runs[0][1] is not None


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_report_is_identical_with_radons_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    for name in SAMPLES:
        shutil.copyfile(STDLIB / name, tmp_path / name.replace("/", "_"))
    (tmp_path / "pyproject.toml").write_text("[tool.gates.complexity]\nmax = 12\n")
    monkeypatch.chdir(tmp_path)
    outputs = []
    for ours in (True, False):
        if not ours:
            monkeypatch.setattr(complexity_count, "complexity", complexity_checker.radon_complexity)
        out = io.StringIO()
        code = main(["report", "--select", "GT106", "--format", fmt, "--no-cache", "-j", "1", "."], out)
        outputs.append((code, out.getvalue()))
    assert outputs[0] == outputs[1]
    assert outputs[0][0] == 1 and "GT106" in outputs[0][1]


# Statements that put every counted construct where a miscount would show: after
# numbers, in headers, docstrings, decorators, nested defs and classes, lambdas,
# f-strings, asserts, guards, comments.
FRAGMENTS = [
    "x = 1if a else 0x1for b in c", "x = [i for i in a if i if (i > 1jif b else 2)]",
    "if a or b and c:\n    pass\nelif d:\n    pass\nelse:\n    pass",
    "for i in a:\n    pass\nelse:\n    pass", "while a:\n    break\nelse:\n    pass",
    "try:\n    pass\nexcept A:\n    pass\nexcept B:\n    pass\nelse:\n    pass\nfinally:\n    pass",
    "try:\n    pass\nexcept* A:\n    x = a or b",
    "match a:\n    case 1 if b or c:\n        pass\n    case _:\n        pass",
    "match a:\n    case {'k': [1, *r]} | C(x=2):\n        pass\n    case y:\n        pass",
    "assert a or b, 'if'", "assert (lambda: a if b else c)()",
    "'''docstring: if or and for while'''", "pass  # comment: if a or b", "y = lambda q: q if q else a or b",
    "z = f'{a if b else c!r} or {d and e}'", "with a as b:\n    pass", "x = {k: v for k, v in a}",
    "@dec(a or b)\ndef g(p=a or b):\n    '''if'''\n    return p and a",
    "class K(a if b else c):\n    x = a or b\n    def m(self):\n        return 1if a else 2",
    "async def h():\n    async for i in a:\n        pass\n    return [j async for j in a if j]",
]


@st.composite
def programs(draw: st.DrawFn, depth: int = 0) -> str:
    lines = []
    for fragment in draw(st.lists(st.sampled_from(FRAGMENTS), max_size=6)):
        lines.append(fragment)
        if depth < 2 and draw(st.booleans()):
            lines.append(draw(programs(depth + 1)))
    body = textwrap.indent("\n".join(lines) or "pass", "    ")
    doc = draw(st.sampled_from(["", "    '''if a or b'''\n", "    'for'; x = a or b\n"]))
    return f"def f{depth}(a=x or y) -> a if b else c:\n{doc}{body}\n"


@PROFILE
@given(programs())
def test_count_is_radons_on_generated_defs(program: str) -> None:
    source = SourceFile.from_source("m.py", program)
    assert source.tree is not None, program
    assert_counts_are_radons(source)


@pytest.mark.slow
@PROFILE
@given(st.one_of(hypothesmith.from_node(), hypothesmith.from_grammar()))
def test_count_is_radons_on_any_generated_program(program: str) -> None:
    source = SourceFile.from_source("m.py", program)
    if source.tree is not None:
        assert_counts_are_radons(source)
