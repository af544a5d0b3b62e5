"""GT106 runs radon only where a def's figure can matter; the results are radon's own.

The bound of every def must be at least radon's figure, and the findings, messages,
measured values and scorecard must equal those of radon run on every def. Checked on
crafted edge cases, on the standard library, and on generated programs (a fast
hypothesis profile; `GATES_HYPOTHESIS_EXAMPLES=100000` runs a long one).
"""

from __future__ import annotations

import io
import shutil
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

from gates.analysis import complexity_bound
from gates.checkers.complexity import ComplexityChecker, ComplexityOptions, function_complexities
from gates.analysis.complexity_bound import PrunedComplexities, complexity_bounds
from gates.analysis.names import function_defs
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
    """Findings and measure from radon run on every def: the unpruned reference."""
    figures = source.shared(function_complexities)
    over = [(qualname, node.lineno, c) for qualname, node, c in figures if c > limit]
    within = [c for _, _, c in figures if c <= limit]
    return over, max(within) if within else None


def pruned(source: SourceFile, limit: int) -> tuple[list[tuple[str, int, int]], int | None]:
    index = PrunedComplexities(source)
    over = [(qualname, node.lineno, c) for qualname, node, c in index.over(limit)]
    return over, index.worst_within(limit)


def assert_pruning_is_exact(source: SourceFile, limits: tuple[int, ...] = LIMITS) -> None:
    figures = source.shared(function_complexities)
    bounds = complexity_bounds(source)
    assert len(bounds) == len(figures)
    for bound, (qualname, node, figure) in zip(bounds, figures):
        assert bound >= figure, (source.path, qualname, node.lineno, bound, figure)
    for limit in limits:
        assert pruned(source, limit) == full(source, limit), (source.path, limit)


def radon_and_bound(text: str) -> list[tuple[int, int]]:
    source = SourceFile.from_source("m.py", textwrap.dedent(text))
    assert source.tree is not None
    assert_pruning_is_exact(source)
    return [(c, b) for (_, _, c), b in zip(source.shared(function_complexities), complexity_bounds(source))]


@pytest.mark.parametrize("text, expected", [
    # a keyword right after a number literal: `1if`, `0x1for` is `0x1f or`, `1jif`, `1.if`
    ("def f(a, z):\n    return [1if a else 2, 0x1for y in z, 1jif a else 0, 1.if a else 0]\n", [(5, 6)]),
    ("def f(a):\n    return 'x'if a else'y'\n", [(2, 2)]),
    # the header (defaults, annotations) and the docstring are not counted, by either
    ("def f(a=b or c, d: int if e else str = 0) -> x if y else z:\n"
     "    '''if a or b and c, for while except'''\n    return a or d\n", [(2, 2)]),
    # a nested def (decorators too) counts on its own, not in the def around it
    ("def f(a):\n    @dec(a or b)\n    def g():\n        return a if a else a and a\n    return g\n",
     [(1, 1), (3, 3)]),
    ("def f(a):\n    class K:\n        x = a or a\n        def m(self):\n            return a or a\n    return K\n",
     [(1, 2), (2, 2)]),
    # match: cases besides a wildcard; try: handlers and else; loops: +1 for else
    ("def f(a):\n    match a:\n        case 1: pass\n        case [*_]: pass\n        case _: pass\n", [(3, 4)]),
    ("def f(a):\n    try:\n        pass\n    except A:\n        pass\n    except B:\n        pass\n    else:\n        pass\n"
     "def g(a):\n    try:\n        pass\n    except* B:\n        pass\n", [(4, 4), (1, 2)]),
    ("def f():\n    'if'; return a or b\n", [(2, 3)]),
    ("def f(a):\n    for i in a:\n        pass\n    else:\n        pass\n    while a:\n        assert a or a\n",
     [(5, 6)]),
    # keywords inside names or strings only loosen the bound
    ("def f(error, iffy, format_or):\n    return f'{error if iffy else format_or}'\n", [(2, 2)]),
])
def test_bound_is_at_least_radons_figure(text: str, expected: list[tuple[int, int]]) -> None:
    assert radon_and_bound(text) == expected


@pytest.mark.parametrize("name", SAMPLES)
def test_pruned_results_equal_radon_on_every_def_on_real_files(name: str) -> None:
    assert_pruning_is_exact(SourceFile.read(STDLIB / name, name))


@pytest.mark.slow
def test_pruned_results_equal_radon_on_every_def_over_the_standard_library() -> None:
    for entry in discover([STDLIB], STDLIB):
        if not entry.is_test:
            source = SourceFile.read(entry.file, entry.path)
            assert_pruning_is_exact(source, (5, 10))


def test_checker_findings_and_measure_equal_the_unpruned_run(monkeypatch: pytest.MonkeyPatch) -> None:
    for limit in (3, 10):
        checker = ComplexityChecker(ComplexityOptions(max=limit))
        for name in SAMPLES:
            runs = []
            for prune in (True, False):
                if not prune:
                    monkeypatch.setattr(complexity_bound, "complexity_bounds", unbounded)
                source = SourceFile.read(STDLIB / name, name)
                runs.append((list(checker.check(source)), checker.measure(source)))
            monkeypatch.undo()
            assert runs[0] == runs[1], (name, limit)


def unbounded(source: SourceFile) -> list[int]:
    """No pruning: every def may reach any figure, so radon measures them all."""
    return [sys.maxsize] * len(function_defs(source))


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_report_is_identical_with_and_without_pruning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    for name in SAMPLES:
        shutil.copyfile(STDLIB / name, tmp_path / name.replace("/", "_"))
    (tmp_path / "pyproject.toml").write_text("[tool.gates.complexity]\nmax = 12\n")
    monkeypatch.chdir(tmp_path)
    outputs = []
    for prune in (True, False):
        if not prune:
            monkeypatch.setattr(complexity_bound, "complexity_bounds", unbounded)
        out = io.StringIO()
        code = main(["report", "--select", "GT106", "--format", fmt, "--no-cache", "-j", "1", "."], out)
        outputs.append((code, out.getvalue()))
    assert outputs[0] == outputs[1]
    assert outputs[0][0] == 1 and "GT106" in outputs[0][1]


# Statements that put every counted keyword, and the ones that only loosen the bound, in
# the places where a miscount would show: after numbers, in headers, docstrings,
# decorators, nested defs and classes, lambdas, f-strings, comments.
FRAGMENTS = [
    "x = 1if a else 0x1for b in c", "x = [i for i in a if i if (i > 1jif b else 2)]",
    "if a or b and c:\n    pass\nelif d:\n    pass\nelse:\n    pass",
    "for i in a:\n    pass\nelse:\n    pass", "while a:\n    break\nelse:\n    pass",
    "try:\n    pass\nexcept A:\n    pass\nexcept B:\n    pass\nelse:\n    pass\nfinally:\n    pass",
    "match a:\n    case 1 if b:\n        pass\n    case _:\n        pass", "assert a or b, 'if'",
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
def test_pruning_is_exact_on_generated_defs(program: str) -> None:
    source = SourceFile.from_source("m.py", program)
    assert source.tree is not None, program
    assert_pruning_is_exact(source)


@pytest.mark.slow
@PROFILE
@given(st.one_of(hypothesmith.from_node(), hypothesmith.from_grammar()))
def test_pruning_is_exact_on_any_generated_program(program: str) -> None:
    source = SourceFile.from_source("m.py", program)
    if source.tree is not None:
        assert_pruning_is_exact(source)


def test_the_constant_shortcut_changes_no_figure_of_radons() -> None:
    """gates' radon subclass (visit_Constant shortcut) against radon's own visitor, on real
    files, and radon's class is left as radon wrote it."""
    from radon.visitors import ComplexityVisitor

    nodes = [node for name in ("argparse.py", "pydoc.py", "tarfile.py", "typing.py")
             for _, node in function_defs(SourceFile.read(STDLIB / name, name))]
    shortcut = [complexity_bound.radon_complexity(node) for node in nodes]
    assert "visit_Constant" not in vars(ComplexityVisitor)
    plain = [int(ComplexityVisitor.from_ast(n).functions[0].complexity) for n in nodes]
    assert shortcut == plain and len(nodes) > 500
