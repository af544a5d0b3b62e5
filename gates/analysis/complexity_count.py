"""Cyclomatic complexity of every def, counted by radon's rules without radon.

radon's ``ComplexityVisitor`` (radon 6) gives a def 1 plus the points of the statements
of its body: ``if``/``elif`` statements and ``x if c else y`` 1 each; ``for``,
``async for`` and ``while`` 1, plus 1 for an ``else``; a ``try`` 1 per ``except`` plus 1
for an ``else`` (``except*`` counts nothing, its bodies are still visited); a
``BoolOp`` of n values n - 1; each comprehension ``for`` 1 plus 1 per ``if``; a
``match`` 1 per ``case``, less 1 when any case is a bare name or ``_`` (a
``MatchAs`` without a sub-pattern); an ``assert`` 1, and nothing inside it is visited.
Lambdas, ``with`` and ``finally`` add nothing but are looked into. A nested def or class
adds nothing to the def around it and is not looked into: nested defs are measured on
their own, and a def's header (decorators, defaults, annotations) counts for nobody.

This counter follows those rules with one explicit-stack walk per def over the nodes
radon visits, and a type test per node instead of radon's per-node method lookup and
name comparisons: about an eighth of radon's time (``benchmarks/gt106_count.py``). radon stays the reference: the tests
compare this figure with radon's on every def of the standard library and on generated
programs.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any

from gates.analysis.statements import Function, function_defs
from gates.core.source import SourceFile

# Fields that never hold a node: names, operators' context, flags and literal values.
_NOT_NODES = frozenset({
    "ctx", "type_comment", "kind", "id", "attr", "arg", "module", "level", "name", "names",
    "asname", "conversion", "is_async", "kwd_attrs", "rest", "op", "ops",
})
_CHILDREN: dict[type[Any], tuple[str, ...]] = {
    kind: tuple(f for f in kind._fields if f not in _NOT_NODES)
    for kind in vars(ast).values()
    if isinstance(kind, type) and issubclass(kind, ast.AST) and kind._fields is not None
}
_CHILDREN[ast.Constant] = ()  # a constant's value is no node; any other value has no children
# Not looked into: radon measures a nested def on its own and a nested class's body
# belongs to the class; an assert counts 1 whatever it holds.
_OPAQUE = {ast.FunctionDef: 0, ast.AsyncFunctionDef: 0, ast.ClassDef: 0, ast.Assert: 1}


def _match_points(node: ast.Match) -> int:
    cases = node.cases
    wildcard = any(getattr(case.pattern, "pattern", False) is None for case in cases)
    return max(0, len(cases) - wildcard)


def _loop_points(node: ast.For | ast.AsyncFor | ast.While) -> int:
    return 2 if node.orelse else 1


# The points of the nodes that have any (radon's ``generic_visit``), by node type.
_POINTS: dict[type[Any], Callable[[Any], int]] = {
    ast.If: lambda node: 1,
    ast.IfExp: lambda node: 1,
    ast.BoolOp: lambda node: len(node.values) - 1,
    ast.comprehension: lambda node: len(node.ifs) + 1,
    ast.For: _loop_points,
    ast.AsyncFor: _loop_points,
    ast.While: _loop_points,
    ast.Try: lambda node: len(node.handlers) + (1 if node.orelse else 0),
    ast.Match: _match_points,
}


# Per node type, what the walk does: (its points, or None; its points when it is not
# looked into, or None; the fields that may hold nodes). One look-up per node.
_PLAN: dict[type[Any], tuple[Callable[[Any], int] | None, int | None, tuple[str, ...]]] = {
    kind: (_POINTS.get(kind), _OPAQUE.get(kind), fields) for kind, fields in _CHILDREN.items()
}
_NOTHING: tuple[None, None, tuple[str, ...]] = (None, None, ())
# Nodes without children (a name, a constant) and None: never pushed, as they add nothing.
_LEAVES = frozenset(kind for kind, fields in _CHILDREN.items() if not fields) | {type(None)}


def complexity(node: Function) -> int:
    """radon's cyclomatic complexity of one def (``radon cc``'s figure for it)."""
    total = 1
    stack: list[Any] = list(node.body)
    pop, push, extend = stack.pop, stack.append, stack.extend
    plan, leaves = _PLAN.get, _LEAVES
    while stack:
        item = pop()
        points, opaque, fields = plan(type(item), _NOTHING)
        if points is not None:
            total += points(item)
        elif opaque is not None:
            total += opaque
            continue
        for name in fields:
            value = getattr(item, name)
            kind = type(value)
            if kind is list:
                extend(value)  # its leaves are popped and found to add nothing
            elif kind not in leaves:
                push(value)
    return total


class Complexities:
    """radon's figure of every def of one file, in ``function_defs`` order.

    Shared per file (``source.shared``): ``check`` and ``measure`` read the same figures.
    """

    def __init__(self, source: SourceFile) -> None:
        self.defs = function_defs(source)
        self.figures = [complexity(node) for _, node in self.defs]

    def over(self, limit: int) -> list[tuple[str, Function, int]]:
        """(qualified name, def, complexity) of every def over ``limit``, in source order."""
        return [(qualname, node, figure)
                for (qualname, node), figure in zip(self.defs, self.figures) if figure > limit]

    def worst_within(self, limit: int) -> int | None:
        """The largest figure that is at most ``limit``, or None when no def has one."""
        return max((figure for figure in self.figures if figure <= limit), default=None)
