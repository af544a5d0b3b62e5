"""Property-based hardness: any program, any byte-level mutation of a real file, yields
findings or a GT100 finding — never an exception.

The suite runs a fast profile; `GATES_HYPOTHESIS_EXAMPLES=100000 pytest tests/test_hardness.py`
runs a long one.
"""

from __future__ import annotations

import sysconfig
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
hypothesmith = pytest.importorskip("hypothesmith")
from hypothesis import given, strategies as st  # noqa: E402

from gates.core.config import Settings  # noqa: E402
from gates.core.engine import _check_file  # noqa: E402
from gates.core.selection import select_checkers  # noqa: E402
from gates.core.discovery import FileEntry  # noqa: E402
from gates.core.source import SourceFile  # noqa: E402

# hypothesmith compiles the programs it generates; their warnings are not ours.
pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning", "ignore::DeprecationWarning")
from hypothesis_profile import PROFILE  # noqa: E402
CHECKERS = select_checkers(Settings(root=Path(".")))
STDLIB = Path(sysconfig.get_paths()["stdlib"])
SEEDS = [STDLIB / name for name in ("textwrap.py", "random.py", "functools.py", "shlex.py")]


def check_text(text: str, path: str = "m.py") -> None:
    source = SourceFile.from_source(path, text)
    for checker in CHECKERS:
        if checker.applies_to(source):
            for finding in checker.check(source):
                assert finding.line >= 1 and finding.column >= 1
            checker.measure(source)


@pytest.mark.slow
@PROFILE
@given(hypothesmith.from_grammar())
def test_any_grammatical_program_is_checked_without_exception(program: str) -> None:
    check_text(program)


@pytest.mark.slow
@PROFILE
@given(hypothesmith.from_node())
def test_any_generated_syntax_tree_is_checked_without_exception(program: str) -> None:
    check_text(program)
    check_text(program, "tests/test_generated.py")


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = draw(st.sampled_from(SEEDS)).read_bytes()
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["insert", "delete", "replace"]))
        chunk = draw(st.binary(min_size=1, max_size=8))
        if kind == "insert":
            data = data[:at] + chunk + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + len(chunk):]
        else:
            data = data[:at] + chunk + data[at + len(chunk):]
    return data


@PROFILE
@given(mutated())
def test_any_byte_mutation_of_a_real_file_is_checked_without_exception(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    folder = tmp_path_factory.mktemp("mutated")
    file = folder / "m.py"
    file.write_bytes(data)
    outcome = _check_file(FileEntry(file, "m.py", False), frozenset(), CHECKERS)
    for findings in outcome.findings.values():
        assert all(f.path == "m.py" for f in findings)


def _differential(program: str) -> None:
    """The pruned walk finds exactly the print and RNG calls the full walk finds."""
    from gates.analysis.calls import CallQuery, resolved_calls

    source = SourceFile.from_source("m.py", program)
    every = resolved_calls(source)
    queries = {
        CallQuery(frozenset({"print", "__builtins__"}), frozenset({"builtins"})):
            lambda q: q == "builtins.print",
        CallQuery(modules=frozenset({"random", "numpy", "torch"})):
            lambda q: q.split(".")[0] in {"random", "numpy", "torch"},
    }
    for query, relevant in queries.items():
        full = {(c.node.lineno, c.node.col_offset, c.qualname) for c in every if relevant(c.qualname)}
        pruned = {(c.node.lineno, c.node.col_offset, c.qualname)
                  for c in resolved_calls(source, query) if relevant(c.qualname)}
        assert pruned == full


@pytest.mark.slow
@PROFILE
@given(hypothesmith.from_node())
def test_pruned_name_resolution_agrees_with_the_full_walk(program: str) -> None:
    _differential(program)


@pytest.mark.parametrize("name", ["textwrap.py", "random.py", "argparse.py", "pydoc.py", "doctest.py"])
def test_pruned_name_resolution_agrees_on_real_files(name: str) -> None:
    _differential((STDLIB / name).read_text(encoding="utf-8"))
