"""The expressions the compiler may reject although they parse, looked at only on the
lines that spell ``yield``, ``await``, ``async``, ``lambda``, ``:=`` or ``__debug__``:
``yield`` outside a def or inside a comprehension, ``await`` outside an async def, an
async comprehension outside one, ``:=`` rebinding a comprehension's variable, a lambda
naming a parameter twice, an assignment to ``__debug__``.

Every statement that holds such an expression spells the word on one of its lines, so
the statements spanning none of those lines (most of a file) are never looked at.
"""

from __future__ import annotations

import ast
from bisect import bisect_right
from dataclasses import dataclass, replace
from typing import Any

from gates.analysis.names import STATEMENT_BODIES
from gates.analysis.placement import ASYNC_DEF, CLASS, DEF, MODULE, repeats_a_parameter

_WORDS = ("yield", "await", "async", "lambda", "__debug__")
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_HEADERS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_SCOPES = {ast.FunctionDef: DEF, ast.AsyncFunctionDef: ASYNC_DEF, ast.ClassDef: CLASS}


def keyword_lines(text: str) -> list[int]:
    """Sorted numbers of the lines holding one of _WORDS as a word, or ``:=``."""
    positions = [p for word in _WORDS for p in _found(text, word) if _is_word(text, p, len(word))]
    return _line_numbers(text, positions + _found(text, ":="))


def _line_numbers(text: str, positions: list[int]) -> list[int]:
    positions.sort()
    lines: list[int] = []
    line, previous = 1, 0
    for position in positions:
        line += text.count("\n", previous, position)
        previous = position
        if not lines or lines[-1] != line:
            lines.append(line)
    return lines


def _found(text: str, word: str) -> list[int]:
    found = []
    position = text.find(word)
    while position >= 0:
        found.append(position)
        position = text.find(word, position + len(word))
    return found


def _is_word(text: str, start: int, length: int) -> bool:
    return not (_name_char(text, start - 1) or _name_char(text, start + length))


def _name_char(text: str, index: int) -> bool:
    return 0 <= index < len(text) and (text[index].isalnum() or text[index] == "_")


class _Lines:
    """The statements spanning given lines, each looked at once, with its scope."""

    def __init__(self, debug: bool, lines: list[int]) -> None:
        self.debug = debug
        self.lines = tuple(lines)
        self.seen: set[int] = set()
        self.starts: dict[int, list[int]] = {}

    def spanning(self, body: list[Any], line: int) -> list[Any]:
        key = id(body)
        if key not in self.starts:
            self.starts[key] = [_first_line(node) for node in body]
        index = bisect_right(self.starts[key], line) - 1
        found = []
        while index >= 0 and _last_line(body[index]) >= line:
            found.append(body[index])
            index -= 1
        return found

    def suspect(self, body: list[Any], line: int, scope: int) -> bool:
        for node in self.spanning(body, line):
            if id(node) not in self.seen:
                self.seen.add(id(node))
                if header_suspect(node, scope, self.debug, self.lines):
                    return True
            if self._inner_suspect(node, line, _SCOPES.get(type(node), scope)):
                return True
        return False

    def _inner_suspect(self, node: Any, line: int, scope: int) -> bool:
        """The statements of ``node``'s bodies on ``line`` (handlers and cases with their headers)."""
        for name in STATEMENT_BODIES:
            inner = getattr(node, name, None)
            if inner and self.suspect(inner, line, scope):
                return True
        return False


def _first_line(node: Any) -> int:
    line: int = node.pattern.lineno if type(node) is ast.match_case else node.lineno  # a case has none
    return line


def _last_line(node: Any) -> int:
    end: int = _last_line(node.body[-1]) if type(node) is ast.match_case else node.end_lineno
    return end


def expressions_suspect(tree: ast.Module, lines: list[int], debug: bool) -> bool:
    """Could the compiler reject an expression of a statement on one of ``lines``?
    ``debug``: the file spells ``__debug__``."""
    spans = _Lines(debug, lines)
    return any(spans.suspect(tree.body, line, MODULE) for line in lines)


def header_suspect(node: Any, scope: int, debug: bool, lines: tuple[int, ...]) -> bool:
    """The expressions of a statement (a compound one's header only), evaluated in
    ``scope``, on ``lines``; ``debug``: also look for assignments to ``__debug__``."""
    if debug and names_debug(node):
        return True
    where = _Where(header=isinstance(node, _HEADERS), debug=debug, lines=lines)
    for name, value in ast.iter_fields(node):
        if name in STATEMENT_BODIES:
            continue
        for child in value if isinstance(value, list) else [value]:
            if isinstance(child, ast.AST) and _spans(child, lines) and _expression_suspect(child, scope, where):
                return True
    return False


@dataclass(frozen=True)
class _Where:
    """Where an expression stands: in a def's or class's header, inside a lambda, inside a
    comprehension (binding ``iteration``), in a comprehension's iterable."""

    header: bool = False
    in_lambda: bool = False
    in_comprehension: bool = False
    in_iterable: bool = False
    iteration: frozenset[str] = frozenset()
    debug: bool = False  # the file spells __debug__: look for assignments to it
    lines: tuple[int, ...] = ()  # the keyword lines: a part spanning none is skipped


def _yield_suspect(node: Any, scope: int, where: _Where) -> bool:
    if where.in_comprehension or where.header:
        return True
    return not where.in_lambda and (scope < DEF or (type(node) is ast.YieldFrom and scope == ASYNC_DEF))


def _walrus_suspect(node: ast.NamedExpr, scope: int, where: _Where) -> bool:
    if where.header or where.in_iterable:
        return True
    rebinds = getattr(node.target, "id", None) in where.iteration
    return where.in_comprehension and (scope == CLASS or rebinds)


def _await_suspect(node: Any, scope: int, where: _Where) -> bool:
    return where.in_lambda or where.header or scope != ASYNC_DEF


def _lambda_suspect(node: Any, scope: int, where: _Where) -> bool:
    return repeats_a_parameter(node.args)


_CHECKS = {
    ast.Yield: _yield_suspect, ast.YieldFrom: _yield_suspect, ast.Await: _await_suspect,
    ast.NamedExpr: _walrus_suspect, ast.Lambda: _lambda_suspect,
}


def _expression_suspect(node: Any, scope: int, where: _Where) -> bool:
    kind = type(node)
    if kind in _COMPREHENSIONS:
        return _comprehension_suspect(node, scope, where)
    check = _CHECKS.get(kind)
    if (check is not None and check(node, scope, where)) or (where.debug and names_debug(node)):
        return True
    if kind is ast.Lambda:
        where = replace(where, in_lambda=True)
    return any(
        _expression_suspect(child, scope, where)
        for child in ast.iter_child_nodes(node) if _spans(child, where.lines)
    )


def _spans(node: Any, lines: tuple[int, ...]) -> bool:
    """Does ``node`` span one of ``lines``? Every word looked for is spelt inside the node
    that it makes suspect, so a part spanning none of them holds nothing to see."""
    first = getattr(node, "lineno", None)
    if first is None:  # arguments, comprehensions, with items: no position of their own
        return True
    index = bisect_right(lines, first - 1)
    return index < len(lines) and lines[index] <= (node.end_lineno or first)


def _comprehension_suspect(node: Any, scope: int, where: _Where) -> bool:
    if any(g.is_async for g in node.generators) and (where.in_lambda or scope != ASYNC_DEF):
        return True
    return any(_expression_suspect(part, scope, place) for part, place in _comprehension_parts(node, where))


def _comprehension_parts(node: Any, where: _Where) -> list[tuple[Any, _Where]]:
    """Each part of a comprehension with where it stands (its iterables apart)."""
    targets = [g.target for g in node.generators]
    bound = frozenset(n.id for target in targets for n in ast.walk(target) if isinstance(n, ast.Name))
    inside = replace(where, in_comprehension=True, iteration=where.iteration | bound)
    iterable = replace(inside, in_iterable=True)
    ends = [node.key, node.value] if type(node) is ast.DictComp else [node.elt]
    conditions = [condition for g in node.generators for condition in g.ifs]
    return [(g.iter, iterable) for g in node.generators] + [
        (part, inside) for part in (*targets, *conditions, *ends)
    ]


def names_debug(node: Any) -> bool:
    """``__debug__`` anywhere but a plain read (an assignment, a parameter, an import name)."""
    if isinstance(node, (ast.Name, ast.Attribute)) and isinstance(node.ctx, ast.Load):
        return False
    if isinstance(node, ast.arguments):
        every = [*node.posonlyargs, *node.args, *node.kwonlyargs, node.vararg, node.kwarg]
        return any(arg is not None and arg.arg == "__debug__" for arg in every)
    return any(
        value == "__debug__" or (isinstance(value, list) and "__debug__" in value)
        for value in vars(node).values()
    )
