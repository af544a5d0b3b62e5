"""Which defs GT106 must hand to radon: a sound upper bound of each def's complexity.

radon's ``ComplexityVisitor`` gives a def 1 plus one point per decision in its body:
``if``/``elif`` statements, ``x if c else y``, each comprehension ``for`` and each of
its ``if``; ``for``/``while`` plus one more for their ``else``; each ``except`` and a
``try``'s ``else``; each ``and``/``or`` operator (a BoolOp of n values adds n - 1); each
``case`` (minus a wildcard); each ``assert``. Lambdas, ``with`` and ``try``'s
``finally`` add nothing, and nested defs and classes add nothing to the def around them
(they are measured on their own). Every point is spelled by a distinct keyword token in
the body, so 1 + the number of those keywords in the body's text is at least radon's
figure. radon therefore only needs to run where that bound can change a result: on the
defs whose bound exceeds ``max`` (to find the violations and their exact figures), and
for the worst passing figure, on the defs in descending order of bound until the best
exact figure found reaches the next bound.

Text that radon never visits is left out of the count, which only tightens the bound:
the header lines before the first body statement (arguments, defaults, annotations; the
decorators are above the ``def`` line), a docstring (but its last line
when another statement follows it there), and the whole span of each def nested directly in this
one, decorators included. Each excluded range holds no code of this def: a compound
statement always starts a line, and whatever follows a def on its last line belongs to
that def's body.

The keyword scan is a regular expression (C speed). A keyword token ends before a
character that cannot continue a name, and starts after one that cannot either, or
after the end of a number literal (``1if``, ``0x1for`` is ``0x1f or``, ``1jif``): the
pattern accepts exactly those neighbours, so each keyword token is the tail of a run of
word characters that yields one match. Words in strings and comments are counted too,
which only loosens the bound.
"""

from __future__ import annotations

import ast
import re
from itertools import accumulate, repeat

from typing import Any

from gates.checkers.names import Function, function_defs
from gates.source import SourceFile

# The first letter of a keyword, not preceded by a name character unless that character
# may end a number literal (digits, hex digits, the imaginary j), then the rest of it.
_KEYWORD = re.compile(
    r"[aceifow](?<![^\W\dA-Fa-fjJ].)"
    r"(?:(?<=e)l(?:if|se)|(?<=e)xcept|(?<=i)f|(?<=f)or|(?<=w)hile"
    r"|(?<=a)nd|(?<=a)ssert|(?<=o)r|(?<=c)ase)(?!\w)"
)
_MARK = "\0"  # parsed text holds no NUL (the parser refuses it); a stray one only adds


def keyword_prefix(text: str) -> list[int]:
    """``prefix[n]`` = decision keywords on lines 1..n (``prefix[0]`` = 0)."""
    marked = _KEYWORD.sub(_MARK, text)
    return [0, *accumulate(map(str.count, marked.split("\n"), repeat(_MARK)))]


def _docstring_lines(node: Function) -> tuple[int, int] | None:
    """The lines of the def's docstring that hold no code: all of them, unless another
    statement follows it on its last line (``"doc"; x = 1``)."""
    first = node.body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
        if isinstance(first.value.value, str):
            last = first.end_lineno or first.lineno
            if len(node.body) > 1 and _first_line(node.body[1]) <= last:
                last -= 1
            return first.lineno, last
    return None


def _first_line(node: ast.stmt) -> int:
    """The statement's first line, its decorators included."""
    decorators: list[ast.expr] = getattr(node, "decorator_list", [])
    return min([node.lineno, *(d.lineno for d in decorators)])


def complexity_bounds(source: SourceFile) -> list[int]:
    """An upper bound of radon's complexity for each def of ``function_defs``, in order."""
    defs = function_defs(source)
    if not defs:
        return []
    prefix = keyword_prefix(source.text)

    def keywords(first: int, last: int) -> int:
        return prefix[last] - prefix[first - 1] if last >= first else 0

    bounds: list[int] = []
    open_defs: list[tuple[int, int]] = []  # (index, end line) of the defs around this one
    for index, (_, node) in enumerate(defs):
        end = node.end_lineno or node.lineno
        count = keywords(node.lineno, end) - keywords(node.lineno, _first_line(node.body[0]) - 1)
        docstring = _docstring_lines(node)
        if docstring is not None:
            count -= keywords(*docstring)
        while open_defs and open_defs[-1][1] < node.lineno:
            open_defs.pop()
        if open_defs:  # function_defs lists defs in source order, outer before inner
            bounds[open_defs[-1][0]] -= keywords(_first_line(node), end)
        open_defs.append((index, end))
        bounds.append(1 + count)
    return bounds


def radon_complexity(node: Function) -> int:
    """radon's cyclomatic complexity of one def, as ``radon cc`` reports it."""
    from radon.visitors import ComplexityVisitor

    return int(ComplexityVisitor.from_ast(node).functions[0].complexity)


class PrunedComplexities:
    """radon's figures for one file, computed only for the defs whose bound can matter.

    Shared per file (``source.shared``): ``check`` and ``measure`` reuse each other's
    figures.
    """

    def __init__(self, source: SourceFile) -> None:
        self.defs = function_defs(source)
        self.bounds = complexity_bounds(source)
        self._exact: dict[int, int] = {}

    def exact(self, index: int) -> int:
        """radon's figure for the def at ``index``."""
        if index not in self._exact:
            self._exact[index] = radon_complexity(self.defs[index][1])
        return self._exact[index]

    def over(self, limit: int) -> list[tuple[str, Function, int]]:
        """(qualified name, def, complexity) of every def over ``limit``, in source order."""
        found = []
        for index, (qualname, node) in enumerate(self.defs):
            if self.bounds[index] > limit and (figure := self.exact(index)) > limit:
                found.append((qualname, node, figure))
        return found

    def worst_within(self, limit: int) -> int | None:
        """The largest figure that is at most ``limit``, or None when no def has one.

        Branch and bound: defs in descending order of their bound (capped at ``limit``),
        figures already known and short defs first among equals; no def left can beat
        the best figure once it reaches the next bound.
        """
        best: int | None = None
        for index in sorted(range(len(self.defs)), key=lambda i: self._order(i, limit)):
            if best is not None and best >= min(self.bounds[index], limit):
                break
            figure = self.exact(index)
            if figure <= limit and (best is None or figure > best):
                best = figure
        return best

    def _order(self, index: int, limit: int) -> tuple[int, bool, int]:
        node: Any = self.defs[index][1]
        return -min(self.bounds[index], limit), index not in self._exact, node.end_lineno - node.lineno
