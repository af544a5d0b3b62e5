"""Where a statement stands, for the compiler's placement rules: ``break`` in a loop,
``return`` in a def, ``async for`` in an async def, at most 20 nested blocks.

The shared statement walk of :mod:`gates.analysis.statements` looks each statement's kind up
in :data:`STEPS` for its scope: most kinds (assignments, calls, a def's returns) are not
there and cost the walk one dictionary look-up. :mod:`gates.analysis.compiles` decides
what the notes mean.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from operator import attrgetter
from typing import Any

# The kind of the innermost scope a statement is in.
MODULE, CLASS, DEF, ASYNC_DEF = 0, 1, 2, 3
# The compiler allows 20 nested blocks (loops, with items, try parts) in one scope; a try
# statement counts for up to 3 around its innermost parts.
MAX_BLOCKS = 20
# The context of a statement the compiler certainly rejects: more nested blocks than
# MAX_BLOCKS, a parameter named twice, a misplaced break, continue, async for or with.
REJECTED = "rejected"
# A statement to look at more closely (return in an async def, future import, global,
# nonlocal, match, except*): the context is the kind of look, see gates.analysis.compiles.
LOOK = "look"
# What a note says: (statement, scope kind, REJECTED or LOOK).
Note = tuple[Any, int, str]
# A rule says: None (certainly fine), REJECTED or LOOK; it sees (node, in a loop).
Rule = Callable[[Any, bool], "str | None"]

_ARG = attrgetter("arg")


def _return(node: Any, loop: bool) -> str | None:
    """Outside a def; in an async def only with a value (an async generator's is rejected)."""
    return None if node.value is None else LOOK


def _break(node: Any, loop: bool) -> str | None:
    return None if loop else REJECTED


def _try(node: Any, loop: bool) -> str | None:
    """A bare ``except:`` must come last."""
    handlers = node.handlers
    if len(handlers) > 1 and any(h.type is None for h in handlers[:-1]):
        return REJECTED
    return None


def _import(node: Any, loop: bool) -> str | None:
    """A future import (anywhere)."""
    return LOOK if node.module == "__future__" else None


def _import_in_def(node: Any, loop: bool) -> str | None:
    """A future import, or an ``import *`` outside the module level."""
    return LOOK if node.module == "__future__" or node.names[0].name == "*" else None


def _rejected(node: Any, loop: bool) -> str | None:
    return REJECTED


def _look(node: Any, loop: bool) -> str | None:
    return LOOK


# Compound statements: (the fields that hold statements, the blocks the compiler opens
# around them (-1: one per with item), whether the first field is a loop's body).
Compound = tuple[tuple[str, ...], int, bool]
_COMPOUNDS: dict[str, Compound] = {
    "If": (("body", "orelse"), 0, False),
    "For": (("body", "orelse"), 1, True),
    "AsyncFor": (("body", "orelse"), 1, True),
    "While": (("body", "orelse"), 1, True),
    "With": (("body",), -1, False),
    "AsyncWith": (("body",), -1, False),
    "Try": (("body", "handlers", "orelse", "finalbody"), 3, False),
    "TryStar": (("body", "handlers", "orelse", "finalbody"), 3, False),
    "ExceptHandler": (("body",), 0, False),
    "Match": (("cases",), 0, False),
    "match_case": (("body",), 0, False),
}
COMPOUNDS: dict[type, Compound] = {
    getattr(ast, name): step for name, step in _COMPOUNDS.items() if hasattr(ast, name)
}
_EVERYWHERE: dict[str, Rule] = {
    "Break": _break, "Continue": _break, "Try": _try, "Global": _look, "Nonlocal": _look,
    "Match": _look, "TryStar": _look,
}
_OUTSIDE_ASYNC: dict[str, Rule] = {"AsyncFor": _rejected, "AsyncWith": _rejected}


def _rules(scope: int) -> dict[type, Rule]:
    rules = dict(_EVERYWHERE)
    rules["ImportFrom"] = _import if scope == MODULE else _import_in_def
    if scope != ASYNC_DEF:
        rules.update(_OUTSIDE_ASYNC)
    if scope < DEF:
        rules["Return"] = _rejected
    elif scope == ASYNC_DEF:
        rules["Return"] = _return
    return {getattr(ast, name): rule for name, rule in rules.items() if hasattr(ast, name)}


# What the walk does with a statement kind in each scope (indexed by MODULE ... ASYNC_DEF):
# (rule or None, Compound or None); kinds absent are neither watched nor compound.
Step = tuple["Rule | None", "Compound | None"]
STEPS: tuple[dict[type, Step], ...] = tuple(
    {kind: (_rules(scope).get(kind), COMPOUNDS.get(kind)) for kind in {*_rules(scope), *COMPOUNDS}}
    for scope in (MODULE, CLASS, DEF, ASYNC_DEF)
)


def repeats_a_parameter(args: ast.arguments) -> bool:
    """Does a def's or lambda's signature name a parameter twice?"""
    plain = args.args
    if args.posonlyargs or args.kwonlyargs or args.vararg or args.kwarg:
        every = [*args.posonlyargs, *plain, *args.kwonlyargs, args.vararg, args.kwarg]
        names = [arg.arg for arg in every if arg is not None]
        return len(set(names)) != len(names)
    return len(plain) > 1 and len(set(map(_ARG, plain))) != len(plain)
