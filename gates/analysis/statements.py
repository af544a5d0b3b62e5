"""The shared statement walk: one pass per file over its statements (never into
expressions: a def, a class, an import or a statement the compiler may reject cannot
hide inside one), giving every def with its qualified name, the line ranges of every
def and class, every import statement, and the statements for GT100's compile check
(:mod:`gates.analysis.placement` says which kinds it stops at).
"""

from __future__ import annotations

import ast
from typing import Any

from gates.analysis.placement import (ASYNC_DEF, CLASS, DEF, MAX_BLOCKS, MODULE, REJECTED, STEPS, Compound, Note,
                                      repeats_a_parameter)
from gates.core.source import SourceFile

Function = ast.FunctionDef | ast.AsyncFunctionDef
STATEMENT_BODIES = ("body", "handlers", "orelse", "finalbody", "cases")  # source order
# The nodes that hold statements in STATEMENT_BODIES (other than defs and classes).
COMPOUND_STATEMENTS = frozenset(
    getattr(ast, name)
    for name in ("If", "For", "AsyncFor", "While", "With", "AsyncWith", "Try", "TryStar",
                 "Match", "ExceptHandler", "match_case")
    if hasattr(ast, name)
)


# The statement kinds the walk stops at: the compiler's (placement.STEPS) and imports.
_WALK_STEPS = tuple({ast.Import: (None, None), **steps} for steps in STEPS)
_DEFINITIONS = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef})
_IMPORTS = frozenset({ast.Import, ast.ImportFrom})


class _DefinitionIndex:
    """One statement walk per file: every def with its qualified name, the line ranges of
    every def and class (for fingerprints), the statements the compiler may reject, every
    import statement (at any depth)."""

    def __init__(self, source: SourceFile) -> None:
        self.functions: list[tuple[str, Function]] = []
        self.ranges: list[tuple[int, int, str]] = []
        self.suspects: list[Note] = []
        self.imports: list[ast.Import | ast.ImportFrom] = []
        if source.tree is not None:
            self._collect(source.tree.body, "", MODULE, False, 0)

    def _collect(self, statements: list[Any], prefix: str, scope: int, loop: bool, blocks: int) -> None:
        steps = _WALK_STEPS[scope]
        for node in statements:
            kind = type(node)
            if kind in _DEFINITIONS:
                self._definition(node, kind, prefix)
                continue
            step = steps.get(kind)
            if step is None:
                continue
            if kind in _IMPORTS:
                self.imports.append(node)
            rule, compound = step
            if rule is not None and (verdict := rule(node, loop)) is not None:
                self.suspects.append((node, scope, verdict))
            if compound is not None:
                self._compound(node, compound, prefix, scope, loop, blocks)

    def _definition(self, node: Any, kind: type, prefix: str) -> None:
        qualname = prefix + node.name
        self.ranges.append((node.lineno, node.end_lineno or node.lineno, qualname))
        if kind is ast.ClassDef:
            self._collect(node.body, qualname + ".", CLASS, False, 0)
            return
        self.functions.append((qualname, node))
        if repeats_a_parameter(node.args):
            self.suspects.append((node, DEF, REJECTED))
        self._collect(node.body, qualname + ".<locals>.", ASYNC_DEF if kind is ast.AsyncFunctionDef else DEF, False, 0)

    def _compound(self, node: Any, compound: Compound, prefix: str, scope: int, loop: bool, blocks: int) -> None:
        bodies, opened, is_loop = compound
        depth = blocks + (opened if opened >= 0 else len(node.items))
        if depth >= MAX_BLOCKS:
            self.suspects.append((node, scope, REJECTED))
        if is_loop:
            self._collect(node.body, prefix, scope, True, depth)
            if node.orelse:  # a loop's else clause is outside the loop
                self._collect(node.orelse, prefix, scope, loop, depth)
            return
        for name in bodies:
            inner = getattr(node, name)
            if inner:
                self._collect(inner, prefix, scope, loop, depth)


def function_defs(source: SourceFile) -> list[tuple[str, Function]]:
    """Every def and async def with its qualified name (``C.m.<locals>.inner``), shared.

    Walks statements only: a def cannot hide inside an expression.
    """
    return source.shared(_DefinitionIndex).functions


def statement_suspects(source: SourceFile) -> list[Note]:
    """Statements the compiler may reject although they parse (a ``return`` outside a def,
    a ``break`` outside a loop, a future import, every ``global``, ``nonlocal`` and
    ``match``), as notes of :mod:`gates.analysis.placement`, shared."""
    return source.shared(_DefinitionIndex).suspects


def statement_imports(source: SourceFile) -> list[ast.Import | ast.ImportFrom]:
    """Every ``import`` and ``from ... import`` statement of the file, at any depth, in walk
    order, shared (an import is a statement: it never hides inside an expression)."""
    return source.shared(_DefinitionIndex).imports


def definition_ranges(source: SourceFile) -> list[tuple[int, int, str]]:
    """(first line, last line, qualified name) of every def and class, in walk order, shared."""
    return source.shared(_DefinitionIndex).ranges


def docstring(owner: Any) -> ast.Expr | None:
    """The docstring statement of a module, class or def: its first statement when that
    is a string literal."""
    first = owner.body[0] if owner.body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
        if isinstance(first.value.value, str):
            return first
    return None
