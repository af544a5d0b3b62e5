"""What CPython's compiler rejects in a tree the parser accepted, found without compiling.

``ast.parse`` accepts ``return`` at module level, ``break`` outside a loop, ``await`` in a
plain function, ``from __future__ import braces`` and more; ``compile()`` (and so
``import``) rejects them. Compiling every file would cost as much again as parsing it, so
this module walks the statements of the tree that already exists: every statement outside
a def, and inside a def only those on a line that spells a word one of the rules is about
(``break``, ``continue``, ``global``, ``nonlocal``, ``except:``, ``import *``); it looks at
expressions only on the lines that spell ``yield``, ``await`` or ``async``. The rare file
with a ``match`` statement, or a ``global`` outside any def, goes to ``compile()`` itself.

Known gaps (docs/hostile-inputs.md): ``too many statically nested blocks`` (20 nested
loops, ``with`` or ``try``), expressions nested so deep that the compiler runs out of
recursion, ``lambda`` parameters named twice, and starred targets nested inside a target.
"""

from __future__ import annotations

import ast
import sys
import warnings
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from gates.analysis.compile_scopes import (
    COMPREHENSIONS, Problem, at, bound_names, children, future_problems, global_problems,
    is_docstring, own_expressions, parameter_problems, parameters, scope_walk,
)
from gates.analysis.names import function_defs
from gates.core.source import SourceFile



@dataclass
class _Scope:
    """What one scope (module, class, def) collects while its statements are walked."""

    globals: list[ast.Global] = field(default_factory=list)
    nonlocals: list[ast.Nonlocal] = field(default_factory=list)
    yields: bool = False


@dataclass
class _Context:
    kind: str  # "module", "class", "function" or "async"
    loop: bool = False
    scope: _Scope = field(default_factory=_Scope)
    outer: tuple[ast.FunctionDef | ast.AsyncFunctionDef, ...] = ()  # the defs around, innermost last

    @property
    def function(self) -> bool:
        return self.kind in ("function", "async")


_EXPRESSION_WORDS = ("yield", "await", "async")
_STATEMENT_WORDS = ("break", "continue", "global", "nonlocal", "except:", "import *")


def _lines_of(text: str, words: tuple[str, ...]) -> list[int]:
    found: set[int] = set()
    for word in words:
        if word in text:
            found.update(_word_lines(text, word))
    return sorted(found)


def _word_lines(text: str, word: str) -> list[int]:
    """The lines (1-based, sorted) where ``word`` occurs, found at C speed."""
    lines: list[int] = []
    line, last, at = 1, 0, text.find(word)
    while at != -1:
        line += text.count("\n", last, at)
        last = at
        if not lines or lines[-1] != line:
            lines.append(line)
        at = text.find(word, at + len(word))
    return lines


def _touches(lines: list[int], node: ast.stmt) -> bool:
    index = bisect_left(lines, node.lineno)
    return index < len(lines) and lines[index] <= (node.end_lineno or node.lineno)


class _Rules:
    """One pass over a file's statements; ``problems`` holds what the compiler would reject."""

    def __init__(self, tree: ast.Module, text: str) -> None:
        self.problems: list[Problem] = []
        self.needs_compiler = False
        self.tree = tree
        # Expressions are looked at only on these lines; a def's body only when it spans
        # one of ``self.lines`` (most defs hold no break, yield, await or global at all).
        self.expression_lines = _lines_of(text, _EXPRESSION_WORDS)
        self.lines = sorted(set(self.expression_lines + _lines_of(text, _STATEMENT_WORDS)))
        self.handlers: dict[type[ast.AST], Callable[[Any, _Context], None]] = {
            ast.FunctionDef: self._def, ast.AsyncFunctionDef: self._def, ast.ClassDef: self._class,
            ast.For: self._loop, ast.While: self._loop, ast.AsyncFor: self._loop,
            ast.AsyncWith: self._async_with, ast.Try: self._try, ast.Match: self._match,
            ast.Return: self._return, ast.Break: self._break, ast.Continue: self._break,
            ast.Nonlocal: self._nonlocal, ast.Global: self._global, ast.ImportFrom: self._import_from,
            ast.Assign: self._assign, ast.If: self._nested, ast.With: self._nested,
        }
        if sys.version_info >= (3, 11):
            self.handlers[ast.TryStar] = self._try

    def run(self) -> None:
        self._futures(self.tree.body)
        # (A global statement outside a def is checked by the compiler only: it is rare, and
        # checking it would walk the whole module.)
        self._body(self.tree.body, _Context("module"))

    def _body(self, body: list[ast.stmt], context: _Context) -> None:
        inside, lines, handlers, expressions = context.function, self.lines, self.handlers, self.expression_lines
        for statement in body:
            if inside and not _touches(lines, statement):
                continue  # no word in it that any rule inside a def looks for
            handler = handlers.get(type(statement))
            if handler is not None:
                handler(statement, context)
            if expressions and _touches(expressions, statement):
                self._expressions(statement, context)

    def _nested(self, node: ast.If | ast.With, context: _Context) -> None:
        self._body(node.body, context)
        if isinstance(node, ast.If):
            self._body(node.orelse, context)

    # --- statements ----------------------------------------------------------------

    def _def(self, node: ast.FunctionDef | ast.AsyncFunctionDef, context: _Context) -> None:
        if not _touches(self.lines, node):
            return  # nothing in it that a rule inside a def looks for
        names = parameters(node.args)
        inner = _Context("async" if isinstance(node, ast.AsyncFunctionDef) else "function", outer=(*context.outer, node))
        self._body(node.body, inner)
        if inner.scope.globals:
            self.problems.extend(global_problems(node, inner.scope.globals, set(names)))
        if inner.scope.nonlocals:
            self.problems.extend(global_problems(node, inner.scope.nonlocals, set(names), "nonlocal"))
        if inner.kind == "async" and inner.scope.yields:  # an async generator: rare
            for ret in scope_walk(node):
                if isinstance(ret, ast.Return) and ret.value is not None:
                    self.problems.append(at(ret, "'return' with value in async generator"))

    def _class(self, node: ast.ClassDef, context: _Context) -> None:
        self._body(node.body, _Context("class", outer=context.outer))

    def _loop(self, node: ast.For | ast.While | ast.AsyncFor, context: _Context) -> None:
        if isinstance(node, ast.AsyncFor) and context.kind != "async":
            self.problems.append(at(node, "'async for' outside async function"))
        if not isinstance(node, ast.While):
            self._target(node.target)
        self._body(node.body, replace(context, loop=True))
        self._body(node.orelse, context)

    def _async_with(self, node: ast.AsyncWith, context: _Context) -> None:
        if context.kind != "async":
            self.problems.append(at(node, "'async with' outside async function"))
        self._body(node.body, context)

    def _try(self, node: ast.Try, context: _Context) -> None:
        for handler in node.handlers[:-1]:
            if handler.type is None:
                self.problems.append(at(handler, "default 'except:' must be last"))
        for part in (node.body, *(h.body for h in node.handlers), node.orelse, node.finalbody):
            self._body(part, context)

    def _match(self, node: ast.Match, context: _Context) -> None:
        self.needs_compiler = True  # pattern rules (unreachable cases, bound names): rare
        for case in node.cases:
            self._body(case.body, context)

    def _return(self, node: ast.Return, context: _Context) -> None:
        if not context.function:
            self.problems.append(at(node, "'return' outside function"))

    def _break(self, node: ast.Break | ast.Continue, context: _Context) -> None:
        if not context.loop:
            message = "'break' outside loop" if isinstance(node, ast.Break) else "'continue' not properly in loop"
            self.problems.append(at(node, message))

    def _nonlocal(self, node: ast.Nonlocal, context: _Context) -> None:
        if context.kind == "module":
            self.problems.append(at(node, "nonlocal declaration not allowed at module level"))
            return
        enclosing = context.outer[:-1] if context.function else context.outer
        bound = set().union(*(bound_names(function) for function in enclosing)) | {"__class__"}
        for name in node.names:
            if name not in bound:
                self.problems.append(at(node, f"no binding for nonlocal '{name}' found"))
        context.scope.nonlocals.append(node)

    def _global(self, node: ast.Global, context: _Context) -> None:
        if context.function:
            context.scope.globals.append(node)
        else:
            self.needs_compiler = True  # global outside a def: rare, see run()

    def _import_from(self, node: ast.ImportFrom, context: _Context) -> None:
        if context.kind != "module" and any(alias.name == "*" for alias in node.names):
            self.problems.append(at(node, "import * only allowed at module level"))
        if node.module == "__future__" and context.kind != "module":
            self.problems.append(at(node, "from __future__ imports must occur at the beginning of the file"))

    def _assign(self, node: ast.Assign, context: _Context) -> None:
        for target in node.targets:
            self._target(target)

    def _target(self, target: ast.expr) -> None:
        if isinstance(target, ast.Name):
            if target.id == "__debug__":
                self.problems.append(at(target, "cannot assign to __debug__"))
        elif isinstance(target, ast.Starred):
            self.problems.append(at(target, "starred assignment target must be in a list or tuple"))
        elif isinstance(target, (ast.Tuple, ast.List)):
            if sum(isinstance(e, ast.Starred) for e in target.elts) > 1:
                self.problems.append(at(target, "multiple starred expressions in assignment"))

    def _futures(self, body: list[ast.stmt]) -> None:
        """``from __future__`` only first (after the docstring), only known features."""
        at_top = True
        for index, statement in enumerate(body):
            if isinstance(statement, ast.ImportFrom) and statement.module == "__future__":
                self.problems.extend(future_problems(statement, at_top))
            elif not (index == 0 and is_docstring(statement)):
                at_top = False

    # --- expressions, only on the lines that spell yield, await or async -------------

    def _expressions(self, statement: ast.stmt, context: _Context) -> None:
        for part in own_expressions(statement):
            self._scan(part, context, context.kind == "async", False)

    def _scan(self, node: ast.AST, context: _Context, is_async: bool, in_comprehension: bool) -> None:
        kind = type(node)
        if kind is ast.Lambda:
            assert isinstance(node, ast.Lambda)
            self._scan(node.body, _Context("function"), False, False)
            return
        if kind is ast.Name:
            self._name(node)  # type: ignore[arg-type]
        elif kind in (ast.Yield, ast.YieldFrom):
            self._yield(node, context, in_comprehension)
        elif kind is ast.Await:
            self._await(node, context, is_async, in_comprehension)
        elif kind in COMPREHENSIONS:
            self._comprehension(node, context, is_async, in_comprehension)  # type: ignore[arg-type]
            return
        for child in children(node):
            self._scan(child, context, is_async, in_comprehension)

    def _name(self, node: ast.Name) -> None:
        if node.id == "__debug__" and not isinstance(node.ctx, ast.Load):
            verb = "delete" if isinstance(node.ctx, ast.Del) else "assign to"
            self.problems.append(at(node, f"cannot {verb} __debug__"))

    def _comprehension(self, node: ast.ListComp, context: _Context, is_async: bool, outer: bool) -> None:
        """The first iterable is evaluated where the comprehension stands; the rest runs in
        its own function, which a generator expression may make asynchronous."""
        first, *others = node.generators
        self._scan(first.iter, context, is_async, outer)
        inner_async = is_async or isinstance(node, ast.GeneratorExp)
        if not inner_async and any(g.is_async for g in node.generators):
            self.problems.append(at(node, "asynchronous comprehension outside of an asynchronous function"))
        parts: list[ast.AST] = [first.target, *first.ifs]
        for generator in others:
            parts += [generator.target, generator.iter, *generator.ifs]
        for name in ("elt", "key", "value"):
            part = getattr(node, name, None)
            if part is not None:
                parts.append(part)
        for part in parts:
            self._scan(part, context, inner_async, True)

    def _yield(self, node: ast.AST, context: _Context, in_comprehension: bool) -> None:
        word = "yield from" if isinstance(node, ast.YieldFrom) else "yield"
        if in_comprehension:
            self.problems.append(at(node, f"'{word}' inside comprehension"))
        elif not context.function:
            self.problems.append(at(node, "'yield' outside function"))
        elif context.kind == "async" and isinstance(node, ast.YieldFrom):
            self.problems.append(at(node, "'yield from' inside async function"))
        context.scope.yields = True

    def _await(self, node: ast.AST, context: _Context, is_async: bool, in_comprehension: bool) -> None:
        if is_async:
            return
        if in_comprehension:
            message = "asynchronous comprehension outside of an asynchronous function"
        else:
            message = "'await' outside async function" if context.function else "'await' outside function"
        self.problems.append(at(node, message))


def compile_problem(source: SourceFile) -> Problem | None:
    """The first thing ``compile(text, path, "exec")`` would reject in the parsed file, or
    None. Sends the rare file with a ``match`` statement to ``compile()`` itself."""
    if source.tree is None:
        return None
    rules = _Rules(source.tree, source.text)
    try:
        rules.run()
    except RecursionError:  # an expression nested too deep to scan: the compiler decides
        return _compiled(source.text, source.path)
    problems = rules.problems + parameter_problems(function_defs(source))
    if problems:
        return min(problems)
    if rules.needs_compiler:
        return _compiled(source.text, source.path)
    return None


def _compiled(text: str, path: str) -> Problem | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(text, path, "exec", dont_inherit=True)
    except SyntaxError as exc:
        return (exc.lineno or 1, max(exc.offset or 1, 1), exc.msg)
    except (ValueError, RecursionError, MemoryError) as exc:
        return (1, 1, f"{type(exc).__name__}: {exc}")
    return None
