"""Which defs GT106 must hand to radon: a sound upper bound of each def's complexity.

radon's ``ComplexityVisitor`` gives a def 1 plus one point per decision in its body:
``if``/``elif`` statements, ``x if c else y``, each comprehension ``for`` and each of
its ``if``; ``for``/``while`` plus one more for their ``else``; each ``except`` and a
``try``'s ``else``; each ``and``/``or`` operator (a BoolOp of n values adds n - 1); each
``case`` (minus a wildcard); each ``assert``. Lambdas, ``with``, ``finally`` and
``except*`` add nothing, and nested defs and classes add nothing to the def around them
(they are measured on their own). Every point is spelled by a distinct keyword token in
the def's own lines, and an ``else`` only counts for a loop or a ``try`` (one each), so
1 + the keywords there, with the ``else`` tokens capped at the ``for``, ``while`` and
``try`` tokens, is at least radon's figure. radon therefore only runs where that bound
can change a result: on the defs whose bound exceeds ``max`` (the violations and their
exact figures), and for the worst passing figure, on the defs in descending order of
bound until the best exact figure found reaches the next bound.

A def's own lines leave out text radon never visits for it: the header lines before the
first body statement (arguments, defaults, annotations; decorators are above the
``def`` line), its docstring (but the docstring's last line when another statement
follows it there), and the whole span of each def nested directly in it, decorators
included. None of these holds code of the def: a compound statement always starts a
line, and whatever follows a def on its last line belongs to that def's body.

The keyword scan is a regular expression (C speed) over those lines only. A keyword
token ends before a character that cannot continue a name, and starts after one that
cannot either, or after the end of a number literal (``1if``, ``0x1for`` is
``0x1f or``, ``1jif``): the pattern accepts exactly those neighbours, so each keyword
token is the tail of a run of word characters that yields one match. Words in strings
and comments are counted too, which only loosens the bound.
"""

from __future__ import annotations

import ast
import re
from itertools import accumulate
from typing import Any

from gates.analysis.names import Function, docstring, function_defs
from gates.core.source import SourceFile

# The first letter of a keyword, not preceded by a name character unless that character
# may end a number literal (digits, hex digits, the imaginary j), then the rest of it.
_KEYWORD = re.compile(
    r"[aceifotw](?<![^\W\dA-Fa-fjJ].)"
    r"(?:(?<=e)l(?:if|se)|(?<=e)xcept|(?<=i)f|(?<=f)or|(?<=w)hile|(?<=t)ry"
    r"|(?<=a)nd|(?<=a)ssert|(?<=o)r|(?<=c)ase)(?!\w)"
)


def _points(words: list[str]) -> int:
    """The most decision points radon can find where these keywords are spelled.

    ``else`` counts only for a loop or a ``try`` (at most one each); ``try`` itself
    counts nothing.
    """
    elses = words.count("else")
    loops = words.count("for") + words.count("while")
    tries = words.count("try")
    return len(words) - elses - tries + min(elses, loops + tries)


def _docstring_lines(node: Function) -> tuple[int, int] | None:
    """The lines of the def's docstring that hold no code: all of them, unless another
    statement follows it on its last line (``"doc"; x = 1``)."""
    first = docstring(node)
    if first is None:
        return None
    last = first.end_lineno or first.lineno
    if len(node.body) > 1 and _first_line(node.body[1]) <= last:
        last -= 1
    return first.lineno, last


def _first_line(node: ast.stmt) -> int:
    """The statement's first line, its decorators included."""
    decorators: list[ast.expr] = getattr(node, "decorator_list", [])
    return min([node.lineno, *(d.lineno for d in decorators)])


def _own_lines(defs: list[tuple[str, Function]]) -> list[list[tuple[int, int]]]:
    """For each def, the ranges of lines (first, last) that hold its own code: its body
    after the docstring, less the span of each def nested directly in it."""
    own: list[list[tuple[int, int]]] = []
    open_defs: list[tuple[int, int]] = []  # (index, end line) of the defs around this one
    for index, (_, node) in enumerate(defs):
        first, end = _first_line(node.body[0]), node.end_lineno or node.lineno
        doc_lines = _docstring_lines(node)
        if doc_lines is not None:
            first = doc_lines[1] + 1
        while open_defs and open_defs[-1][1] < node.lineno:
            open_defs.pop()
        if open_defs:  # function_defs lists defs in source order, outer before inner
            ranges = own[open_defs[-1][0]]
            low, high = ranges.pop()  # the nested def lies in the last range
            ranges += [(low, _first_line(node) - 1), (end + 1, high)]
        open_defs.append((index, end))
        own.append([(first, end)])
    return own


def complexity_bounds(source: SourceFile) -> list[int]:
    """An upper bound of radon's complexity for each def of ``function_defs``, in order."""
    defs = function_defs(source)
    if not defs:
        return []
    text = source.text
    # Line n starts at ends[n - 1] + n - 1: the lengths of the lines before it, and their "\n".
    ends = [0, *accumulate(map(len, source.lines))]
    scan = _KEYWORD.findall
    bounds = []
    for ranges in _own_lines(defs):
        words: list[str] = []
        for first, last in ranges:
            if last >= first:
                words += scan(text, ends[first - 1] + first - 1, ends[last] + last)
        bounds.append(1 + _points(words))
    return bounds


_VISITOR: Any = None


def _complexity_visitor() -> Any:
    """A subclass of radon's ``ComplexityVisitor`` that goes straight to ``generic_visit``
    on constants.

    ``ast.NodeVisitor.visit_Constant`` looks up the ``visit_Num``-style methods of
    Python < 3.8 on every constant before it falls back to ``generic_visit``; radon
    defines none of them, so going there directly changes no figure and saves about a
    tenth of radon's time. radon builds a fresh ``ComplexityVisitor`` by name for every
    body it enters, so the subclass carries radon's own ``visit_FunctionDef`` and
    ``visit_ClassDef`` rebound to a copy of radon's module namespace in which that name
    is the subclass: radon's code, unchanged, and radon's class untouched for everyone
    else in the process.
    """
    global _VISITOR
    if _VISITOR is None:
        import types

        import radon.visitors as radon_visitors

        base = radon_visitors.ComplexityVisitor
        namespace = dict(vars(radon_visitors))
        subclass: Any = type("_ConstantShortcutVisitor", (base,), {})
        namespace["ComplexityVisitor"] = subclass

        def rebound(name: str) -> Any:
            function = vars(base)[name]
            return types.FunctionType(
                function.__code__, namespace, function.__name__,
                function.__defaults__, function.__closure__,
            )

        subclass.visit_FunctionDef = rebound("visit_FunctionDef")
        subclass.visit_AsyncFunctionDef = rebound("visit_AsyncFunctionDef")
        subclass.visit_ClassDef = rebound("visit_ClassDef")
        subclass.visit_Constant = base.generic_visit
        _VISITOR = subclass
    return _VISITOR


def radon_complexity(node: Function) -> int:
    """radon's cyclomatic complexity of one def, as ``radon cc`` reports it."""
    return int(_complexity_visitor().from_ast(node).functions[0].complexity)


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
