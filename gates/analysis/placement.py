"""Where a statement stands, for the compiler's placement rules: ``break`` in a loop,
``return`` in a def, ``async for`` in an async def, at most 20 nested blocks.

The shared statement walk of :mod:`gates.analysis.names` calls :func:`placement` on the
statements of :data:`WATCHED`; :mod:`gates.analysis.compiles` decides what the notes mean.
"""

from __future__ import annotations

import ast
from typing import Any

# The kind of the innermost scope a statement is in.
MODULE, CLASS, DEF, ASYNC_DEF = 0, 1, 2, 3
LOOPS = frozenset({ast.For, ast.AsyncFor, ast.While})
# Statements the compiler may reject although they parse.
WATCHED = frozenset(
    getattr(ast, name)
    for name in ("Return", "Break", "Continue", "Global", "Nonlocal", "ImportFrom",
                 "AsyncFor", "AsyncWith", "Try", "TryStar", "Match")
    if hasattr(ast, name)
)
WATCHED_IN_DEF = WATCHED - {ast.Return}
# The compiler allows 20 nested blocks (loops, with items, try parts) in one scope; a try
# statement counts for up to 3 around its innermost parts.
MAX_BLOCKS = 20
_BLOCKS: dict[type, int] = {kind: 1 for kind in LOOPS} | {
    getattr(ast, name): 3 for name in ("Try", "TryStar") if hasattr(ast, name)
}
_WITH = (ast.With, ast.AsyncWith)
# The context of a statement the compiler certainly rejects: more nested blocks than
# MAX_BLOCKS, a parameter named twice, a misplaced break, continue, async for or with.
REJECTED = "rejected"
# What a note says (statement, scope kind, context): the context is REJECTED, the
# enclosing defs (global, nonlocal), the innermost def (return), or None.
Note = tuple[Any, int, Any]


def block_count(node: Any, kind: type) -> int:
    """How many blocks the compiler opens around the body of a compound statement."""
    return len(node.items) if kind in _WITH else _BLOCKS.get(kind, 0)


def placement(node: Any, kind: type, scope: int, loop: bool, defs: list[Any]) -> Note | None:
    """The note on one WATCHED statement (REJECTED where it is certainly misplaced), or
    None when it is certainly where it may be."""
    if kind is ast.Global or kind is ast.Nonlocal:
        return node, scope, tuple(defs)
    verdict = _RULES[kind](node, scope, loop)
    if verdict is None:
        return None
    return node, scope, REJECTED if verdict else (defs[-1] if defs else None)


# Each rule says: None (certainly fine), True (certainly rejected) or False (look closer).
def _return(node: Any, scope: int, loop: bool) -> bool | None:
    """In an async def only without a value: else it may be an async generator's."""
    return None if scope == DEF or (scope == ASYNC_DEF and node.value is None) else False


def _break(node: Any, scope: int, loop: bool) -> bool | None:
    return None if loop else True


def _async(node: Any, scope: int, loop: bool) -> bool | None:
    return None if scope == ASYNC_DEF else True


def _try(node: Any, scope: int, loop: bool) -> bool | None:
    """A bare ``except:`` must come last."""
    return True if any(h.type is None for h in node.handlers[:-1]) else None


def _import(node: Any, scope: int, loop: bool) -> bool | None:
    """A future import, or an ``import *`` outside the module level."""
    star = node.names[0].name == "*"
    return None if node.module != "__future__" and (scope == MODULE or not star) else False


def _closer(node: Any, scope: int, loop: bool) -> bool | None:
    return False  # match, except*: left to the compiler


_RULES = {
    ast.Return: _return, ast.Break: _break, ast.Continue: _break, ast.AsyncFor: _async,
    ast.AsyncWith: _async, ast.Try: _try, ast.ImportFrom: _import,
} | {kind: _closer for kind in WATCHED if kind.__name__ in ("Match", "TryStar")}


def repeats_a_parameter(args: ast.arguments) -> bool:
    """Does a def's or lambda's signature name a parameter twice?"""
    names = [arg.arg for arg in args.args]
    if args.posonlyargs or args.kwonlyargs or args.vararg or args.kwarg:
        names += [arg.arg for arg in (*args.posonlyargs, *args.kwonlyargs, args.vararg, args.kwarg) if arg]
    return len(names) > 1 and len(set(names)) != len(names)
