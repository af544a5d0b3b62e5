"""Scope resolution behind GT101 and GT105: which `print` and which `random` a call means."""

from __future__ import annotations

import textwrap

import pytest

from gates.analysis.calls import resolved_calls
from gates.analysis.statements import function_defs
from gates.core.source import SourceFile


def resolved(code: str) -> list[tuple[int, str]]:
    source = SourceFile.from_source("m.py", textwrap.dedent(code))
    return sorted((c.node.lineno, c.qualname) for c in resolved_calls(source))


def prints(code: str) -> list[int]:
    return [line for line, name in resolved(code) if name == "builtins.print"]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("print(1)\n", [1]),
        ("def f(print):\n    print(1)\nprint(2)\n", [3]),
        ("def f():\n    print = log\n    print(1)\nprint(2)\n", [4]),
        ("def f():\n    global print\n    print(1)\nprint = log\n", []),
        ("def f():\n    print(1)\n    def print(): pass\n", []),
        ("import print\nprint(1)\n", []),
        ("from somewhere import print\nprint(1)\n", []),
        ("from . import print\nprint(1)\n", []),
        ("for print in xs:\n    print(1)\n", []),
        ("with open(f) as print:\n    print(1)\n", []),
        ("try:\n    pass\nexcept E as print:\n    print(1)\n", []),
        ("class C:\n    print = log\n    print(1)\n", []),
        ("class C:\n    print = log\n    def m(self):\n        print(1)\n", [4]),
        ("[print(x) for print in y]\nprint(2)\n", [2]),
        ("def f():\n    if (print := log):\n        print(1)\n", []),
        ("def f():\n    print = log\n    def g():\n        nonlocal print\n        print(1)\n", []),
        ("lambda print: print(1)\n", []),
        ("f = lambda: print(1)\n", [1]),
        ("import builtins\nbuiltins.print(1)\n", [2]),
        ("import builtins as b\nb.print(1)\n", [2]),
        ("__builtins__.print(1)\n", [1]),
        ("match x:\n    case print:\n        print(1)\n", []),
        ("def f(x=print(1)):\n    pass\n", [1]),
        ("@deco(print(1))\ndef print():\n    pass\n", []),
        ("sys.stdout.write('x')\nlogger.print(1)\n", []),
    ],
)
def test_print_resolution(code: str, expected: list[int]) -> None:
    assert prints(code) == expected


def test_import_aliases_resolve_to_qualified_names() -> None:
    code = """\
        import numpy as np
        import numpy.random
        import os.path as osp
        from numpy import random as npr
        from numpy.random import default_rng as mk
        np.random.default_rng()
        numpy.random.seed()
        npr.RandomState()
        mk()
        osp.join('a')
    """
    assert resolved(code) == [
        (6, "numpy.random.default_rng"),
        (7, "numpy.random.seed"),
        (8, "numpy.random.RandomState"),
        (9, "numpy.random.default_rng"),
        (10, "os.path.join"),
    ]


def test_function_level_import_is_scoped_to_the_function() -> None:
    code = """\
        def f():
            import random as r
            r.seed()
        r.seed()
    """
    assert resolved(code) == [(3, "random.seed")]


def test_rebinding_an_import_makes_it_unknown() -> None:
    code = """\
        import random
        random = FakeRandom()
        random.seed()
    """
    assert resolved(code) == []


def test_functions_are_found_everywhere_with_qualified_names() -> None:
    code = """\
        def top(): pass
        class C:
            def m(self):
                def inner(): pass
            async def am(self): pass
        if x:
            def in_if(): pass
        try:
            pass
        except E:
            def in_handler(): pass
        finally:
            def in_finally(): pass
        match y:
            case 1:
                def in_case(): pass
        with z:
            for i in j:
                while k:
                    def deep(): pass
        f = lambda: 0
    """
    source = SourceFile.from_source("m.py", textwrap.dedent(code))
    assert [name for name, _ in function_defs(source)] == [
        "top", "C.m", "C.m.<locals>.inner", "C.am", "in_if", "in_handler",
        "in_finally", "in_case", "deep",
    ]


def test_a_query_finds_aliases_imported_inside_functions_and_classes() -> None:
    from gates.analysis.calls import CallQuery

    code = """\
        class C:
            def m(self):
                from numpy import random as npr
                if True:
                    import random as r
                    r.seed()
                npr.seed()
    """
    source = SourceFile.from_source("m.py", textwrap.dedent(code))
    query = CallQuery(modules=frozenset({"random", "numpy"}))
    found = sorted((c.node.lineno, c.qualname) for c in resolved_calls(source, query))
    assert found == [(6, "random.seed"), (7, "numpy.random.seed")]


def test_imports_are_found_in_every_statement_that_holds_statements() -> None:
    # GT105 and the call queries take their imports from the shared statement walk: an
    # import inside any compound statement (async ones, except*, match cases, loops'
    # else) binds its alias, and a seed call through it is found.
    from gates.analysis.calls import CallQuery
    from gates.analysis.statements import statement_imports

    code = """\
        async def f(xs, cm, v):
            async for x in xs:
                import random as a
            else:
                import random as b
            async with cm:
                import random as c
            while v:
                import random as d
            try:
                import random as e
            except* ValueError:
                import random as g
            else:
                import random as h
            finally:
                import random as i
            match v:
                case [1, *_]:
                    import random as j
            with cm:
                class K:
                    import random as k
                    k.seed()  # k is the class's own name: seen in its body only
            a.seed(); b.seed(); c.seed(); d.seed(); e.seed(); g.seed(); h.seed(); i.seed(); j.seed()
    """
    source = SourceFile.from_source("m.py", textwrap.dedent(code))
    assert len(statement_imports(source)) == 10
    found = resolved_calls(source, CallQuery(modules=frozenset({"random"})))
    assert sorted(c.node.func.value.id for c in found) == list("abcdeghijk")  # type: ignore[attr-defined]
