"""The expressions the compiler may reject although they parse, looked at only on the
lines that spell ``yield``, ``await``, ``async``, ``lambda``, ``:=`` or ``__debug__``:
``yield`` outside a def or inside a comprehension, ``await`` outside an async def, an
async comprehension outside one, ``:=`` rebinding a comprehension's variable, a lambda
naming a parameter twice, an assignment to ``__debug__``.

Every statement that holds such an expression spells the word on one of its lines, so
the statements spanning none of those lines (most of a file) are never looked at.
Finding the lines costs a pass over the text per search, so the six words are found in
four searches, each led by a letter that starts few other words (``y`` for ``yield`` and
``async``, ``b`` for ``lambda`` and ``__debug__``, ``w`` for ``await``, ``:`` for ``:=``):
a regular expression that begins with one literal character is scanned for that
character in C, about as fast as ``str.find``.
"""

from __future__ import annotations

import ast
import re
from bisect import bisect_left, bisect_right
from operator import attrgetter
from typing import Any, NamedTuple

from gates.analysis.statements import STATEMENT_BODIES
from gates.core.source import line_of_each
from gates.analysis.placement import ASYNC_DEF, CLASS, COMPOUNDS, DEF, MODULE, repeats_a_parameter

# Each word whole (no letter, digit or underscore on either side). The lookbehinds come
# after the literal letters: a pattern that begins with an assertion loses the fast
# first-character search, and one that looks behind before matching its letters pays
# for it at every ``y`` or ``b`` of the text.
_SEARCHES = (
    re.compile(r"y(?:ield(?<!\wyield)|nc(?<=async)(?<!\wasync))(?!\w)"),
    re.compile(r"b(?:da(?<=lambda)(?<!\wlambda)|ug__(?<=__debug__)(?<!\w__debug__))(?!\w)"),
    re.compile(r"wait(?<=await)(?<!\wawait)(?!\w)"),
    re.compile(r":="),
)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_SCOPES = {ast.FunctionDef: DEF, ast.AsyncFunctionDef: ASYNC_DEF, ast.ClassDef: CLASS}
_END = attrgetter("end_lineno")
# The fields that hold statements, of the statements that hold some.
_BODIES = {kind: compound[0] for kind, compound in COMPOUNDS.items()} | {kind: ("body",) for kind in _SCOPES}


class Keywords(NamedTuple):
    """Where a file spells the words: the sorted numbers of the lines with any of them,
    those with ``yield``, and whether it spells ``__debug__``."""

    lines: list[int]
    yields: list[int]
    debug: bool


def keyword_lines(text: str) -> Keywords:
    """The lines holding one of the words as a word, or ``:=``."""
    starts: list[int] = []
    for search in _SEARCHES:
        starts += [match.start() for match in search.finditer(text)]
    if not starts:
        return Keywords([], [], False)
    return _lines(text, sorted(starts))


def _lines(text: str, starts: list[int]) -> Keywords:
    """The lines of the sorted ``starts``, those spelling ``yield``, and whether one spells
    ``__debug__``."""
    numbers = line_of_each(text, starts)
    yields = [line for start, line in zip(starts, numbers) if text.startswith("yi", start)]
    debug = any(text.startswith("bu", start) for start in starts)
    return Keywords(sorted(set(numbers)), yields, debug)


def expressions_suspect(tree: ast.Module, lines: list[int], debug: bool) -> bool:
    """Could the compiler reject an expression of a statement on one of ``lines``?
    ``debug``: the file spells ``__debug__``."""
    return _Lines(debug, lines).body(tree.body, 0, len(lines), MODULE)


class _Lines:
    """The statements spanning given lines, each looked at once, with its scope."""

    def __init__(self, debug: bool, lines: list[int]) -> None:
        self.debug = debug
        self.lines = lines

    def body(self, statements: list[Any], low: int, high: int, scope: int) -> bool:
        """Are the statements of ``statements`` on ``lines[low:high]`` suspect?"""
        lines = self.lines
        key = _END if type(statements[0]) is not ast.match_case else _case_end
        index, count = 0, len(statements)
        while low < high:
            index = bisect_left(statements, lines[low], index, count, key=key)  # the first ending on or after
            if index == count:
                return False
            node = statements[index]
            last = key(node)
            start = bisect_left(lines, _first_line(node), low, high)
            stop = bisect_right(lines, last, start, high)
            if start < stop and self.statement(node, start, stop, scope):
                return True
            low = bisect_left(lines, last, start, high)  # the next statement may begin on this one's last line
            index += 1
        return False

    def statement(self, node: Any, low: int, high: int, scope: int) -> bool:
        """Is ``node`` suspect on ``lines[low:high]`` (all within its span)?"""
        kind = type(node)
        if self.debug and names_debug(node):
            return True
        bodies = _BODIES.get(kind, ())
        # A compound statement's header ends where its first inner statement begins.
        if not bodies or self.lines[low] <= _first_line(getattr(node, bodies[0])[0]):
            if self.header(node, kind, low, high, scope):
                return True
        inner = _SCOPES.get(kind, scope)
        for name in bodies:
            statements = getattr(node, name)
            if statements and self.body(statements, low, high, inner):
                return True
        return False


    def header(self, node: Any, kind: type, low: int, high: int, scope: int) -> bool:
        """Is an expression of ``node`` (a compound statement's header only) suspect?"""
        where = _HEADER if kind in _SCOPES else _PLAIN
        # A statement on one line has all its parts on a keyword line: nothing to skip.
        lines = self.lines[low:high] if getattr(node, "end_lineno", 0) != getattr(node, "lineno", 0) else None
        parts: list[tuple[Any, _Where]] = []
        for name in _fields(kind):
            _push(getattr(node, name), where, parts, self.debug)
        return bool(parts) and _parts_suspect(parts, scope, self.debug, lines)


def _first_line(node: Any) -> int:
    if type(node) is ast.match_case:  # a case has no position of its own
        line: int = node.pattern.lineno
        return line
    decorators = getattr(node, "decorator_list", None)
    return decorators[0].lineno if decorators else node.lineno  # type: ignore[no-any-return]


def _case_end(node: Any) -> int:
    return _case_end(node.body[-1]) if type(node) is ast.match_case else node.end_lineno


class _Where(NamedTuple):
    """Where an expression stands: in a def's or class's header, inside a lambda, inside a
    comprehension (binding ``iteration``), in a comprehension's iterable."""

    header: bool = False
    in_lambda: bool = False
    in_comprehension: bool = False
    in_iterable: bool = False
    iteration: frozenset[str] = frozenset()


_PLAIN = _Where()
_HEADER = _Where(header=True)


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


def _parts_suspect(parts: list[tuple[Any, _Where]], scope: int, debug: bool, lines: list[int] | None) -> bool:
    """Is one of the expressions in ``parts`` (or inside one) suspect in ``scope``? Only
    the parts spanning one of ``lines`` are looked at (all when None)."""
    while parts:
        node, where = parts.pop()
        if lines is not None and not _spans(node, lines):
            continue
        kind = type(node)
        if _node_suspect(node, kind, scope, where, debug):
            return True
        if kind in _COMPREHENSIONS:
            parts += _comprehension_parts(node, where)
            continue
        if kind is ast.Lambda:
            where = where._replace(in_lambda=True)
        for name in _fields(kind):
            _push(getattr(node, name), where, parts, debug)
    return False


def _node_suspect(node: Any, kind: type, scope: int, where: _Where, debug: bool) -> bool:
    """Is this expression itself (not its parts) suspect?"""
    check = _CHECKS.get(kind)
    if (check is not None and check(node, scope, where)) or (debug and names_debug(node)):
        return True
    return kind in _COMPREHENSIONS and _async_misplaced(node, scope, where)


def _async_misplaced(node: Any, scope: int, where: _Where) -> bool:
    return any(g.is_async for g in node.generators) and (where.in_lambda or scope != ASYNC_DEF)


def _push(value: Any, where: _Where, parts: list[tuple[Any, _Where]], debug: bool) -> None:
    """Add the nodes of a field to look at (names and constants hold nothing to see
    unless the file spells ``__debug__``)."""
    if type(value) is list:
        for item in value:
            if isinstance(item, ast.AST) and (debug or type(item) not in _LEAVES):
                parts.append((item, where))
    elif isinstance(value, ast.AST) and (debug or type(value) not in _LEAVES):
        parts.append((value, where))


_LEAVES = frozenset({ast.Name, ast.Constant})
# Fields that never hold an expression to look at; statement bodies are walked apart
# (a lambda's or a conditional expression's body is an expression).
_SKIPPED = frozenset({"ctx", "op", "type_comment", "kind"})
_FIELDS: dict[type, tuple[str, ...]] = {}


def _fields(kind: type) -> tuple[str, ...]:
    fields = _FIELDS.get(kind)
    if fields is None:
        holds_statements = issubclass(kind, (ast.stmt, ast.excepthandler, ast.match_case))
        skipped = _SKIPPED | set(STATEMENT_BODIES) if holds_statements else _SKIPPED
        fields = _FIELDS[kind] = tuple(name for name in kind._fields if name not in skipped)  # type: ignore[attr-defined]
    return fields


def _spans(node: Any, lines: list[int]) -> bool:
    """Does ``node`` span one of ``lines``? Every word looked for is spelt inside the node
    that it makes suspect, so a part spanning none of them holds nothing to see."""
    first = getattr(node, "lineno", None)
    if first is None:  # arguments, comprehensions, with items: no position of their own
        return True
    index = bisect_right(lines, first - 1)
    return index < len(lines) and lines[index] <= (node.end_lineno or first)


def _comprehension_parts(node: Any, where: _Where) -> list[tuple[Any, _Where]]:
    """Each part of a comprehension with where it stands (its iterables apart)."""
    targets = [g.target for g in node.generators]
    bound = frozenset(n.id for target in targets for n in ast.walk(target) if isinstance(n, ast.Name))
    inside = where._replace(in_comprehension=True, iteration=where.iteration | bound)
    iterable = inside._replace(in_iterable=True)
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
