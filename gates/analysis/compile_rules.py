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

import __future__
import ast
import sys
import warnings
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

Problem = tuple[int, int, str]  # line, column (1-based), the compiler's message
_FUTURES = frozenset(__future__.all_feature_names)
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


@dataclass
class _Scope:
    """What one scope (module, class, def) collects while its statements are walked."""

    globals: list[ast.Global] = field(default_factory=list)
    yields: bool = False
    returns: list[ast.Return] = field(default_factory=list)


@dataclass
class _Context:
    kind: str  # "module", "class", "function" or "async"
    loop: bool = False
    scope: _Scope = field(default_factory=_Scope)

    @property
    def function(self) -> bool:
        return self.kind in ("function", "async")


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


def _at(node: ast.AST, message: str) -> Problem:
    return (getattr(node, "lineno", 1), getattr(node, "col_offset", 0) + 1, message)


class _Rules:
    """One pass over a file's statements; ``problems`` holds what the compiler would reject."""

    def __init__(self, tree: ast.Module, text: str) -> None:
        self.problems: list[Problem] = []
        self.needs_compiler = "__debug__" in text
        self.yield_lines = _word_lines(text, "yield") if "yield" in text else []
        self.async_lines = sorted(set(_word_lines(text, "await") + _word_lines(text, "async")))
        self.tree = tree
        self.handlers: dict[type[ast.AST], Callable[[Any, _Context], None]] = {
            ast.FunctionDef: self._def, ast.AsyncFunctionDef: self._def, ast.ClassDef: self._class,
            ast.For: self._loop, ast.While: self._loop, ast.AsyncFor: self._loop,
            ast.AsyncWith: self._async_with, ast.Try: self._try, ast.Match: self._match,
            ast.Return: self._return, ast.Break: self._break, ast.Continue: self._break,
            ast.Nonlocal: self._nonlocal, ast.Global: self._global, ast.ImportFrom: self._import_from,
            ast.Assign: self._assign,
        }
        if sys.version_info >= (3, 11):
            self.handlers[ast.TryStar] = self._try

    def run(self) -> None:
        self._futures(self.tree.body)
        module = _Context("module")
        self._body(self.tree.body, module)
        if module.scope.globals:
            self.problems.extend(_global_problems(self.tree, module.scope.globals, set()))

    def _body(self, body: list[ast.stmt], context: _Context) -> None:
        for statement in body:
            handler = self.handlers.get(type(statement))
            if handler is not None:
                handler(statement, context)
            else:
                for name in ("body", "orelse", "finalbody"):  # if, with: the same context
                    inner = getattr(statement, name, None)
                    if inner:
                        self._body(inner, context)
            if self.yield_lines or self.async_lines:
                self._expressions(statement, context)

    # --- statements ----------------------------------------------------------------

    def _def(self, node: ast.FunctionDef | ast.AsyncFunctionDef, context: _Context) -> None:
        names = [a.arg for a in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs)]
        names += [a.arg for a in (node.args.vararg, node.args.kwarg) if a is not None]
        if len(set(names)) != len(names):
            twice = next(n for i, n in enumerate(names) if n in names[:i])
            self.problems.append(_at(node, f"duplicate argument '{twice}' in function definition"))
        inner = _Context("async" if isinstance(node, ast.AsyncFunctionDef) else "function")
        self._body(node.body, inner)
        if inner.scope.globals:
            self.problems.extend(_global_problems(node, inner.scope.globals, set(names)))
        if inner.kind == "async" and inner.scope.yields:
            for ret in inner.scope.returns:
                self.problems.append(_at(ret, "'return' with value in async generator"))

    def _class(self, node: ast.ClassDef, context: _Context) -> None:
        inner = _Context("class")
        self._body(node.body, inner)
        if inner.scope.globals:
            self.problems.extend(_global_problems(node, inner.scope.globals, set()))

    def _loop(self, node: ast.For | ast.While | ast.AsyncFor, context: _Context) -> None:
        if isinstance(node, ast.AsyncFor) and context.kind != "async":
            self.problems.append(_at(node, "'async for' outside async function"))
        if not isinstance(node, ast.While):
            self._target(node.target)
        self._body(node.body, replace(context, loop=True))
        self._body(node.orelse, context)

    def _async_with(self, node: ast.AsyncWith, context: _Context) -> None:
        if context.kind != "async":
            self.problems.append(_at(node, "'async with' outside async function"))
        self._body(node.body, context)

    def _try(self, node: ast.Try, context: _Context) -> None:
        for handler in node.handlers[:-1]:
            if handler.type is None:
                self.problems.append(_at(handler, "default 'except:' must be last"))
        for part in (node.body, *(h.body for h in node.handlers), node.orelse, node.finalbody):
            self._body(part, context)

    def _match(self, node: ast.Match, context: _Context) -> None:
        self.needs_compiler = True  # pattern rules (unreachable cases, bound names): rare
        for case in node.cases:
            self._body(case.body, context)

    def _return(self, node: ast.Return, context: _Context) -> None:
        if not context.function:
            self.problems.append(_at(node, "'return' outside function"))
        elif node.value is not None:
            context.scope.returns.append(node)

    def _break(self, node: ast.Break | ast.Continue, context: _Context) -> None:
        if not context.loop:
            message = "'break' outside loop" if isinstance(node, ast.Break) else "'continue' not properly in loop"
            self.problems.append(_at(node, message))

    def _nonlocal(self, node: ast.Nonlocal, context: _Context) -> None:
        if context.kind == "module":
            self.problems.append(_at(node, "nonlocal declaration not allowed at module level"))
        self.needs_compiler = True  # which binding it names: the symbol table's rules

    def _global(self, node: ast.Global, context: _Context) -> None:
        context.scope.globals.append(node)

    def _import_from(self, node: ast.ImportFrom, context: _Context) -> None:
        if context.kind != "module" and any(alias.name == "*" for alias in node.names):
            self.problems.append(_at(node, "import * only allowed at module level"))
        if node.module == "__future__" and context.kind != "module":
            self.problems.append(_at(node, "from __future__ imports must occur at the beginning of the file"))

    def _assign(self, node: ast.Assign, context: _Context) -> None:
        for target in node.targets:
            self._target(target)

    def _target(self, target: ast.expr) -> None:
        if isinstance(target, ast.Starred):
            self.problems.append(_at(target, "starred assignment target must be in a list or tuple"))
        elif isinstance(target, (ast.Tuple, ast.List)):
            if sum(isinstance(e, ast.Starred) for e in target.elts) > 1:
                self.problems.append(_at(target, "multiple starred expressions in assignment"))

    def _futures(self, body: list[ast.stmt]) -> None:
        """``from __future__`` only first (after the docstring), only known features."""
        at_top = True
        for index, statement in enumerate(body):
            if isinstance(statement, ast.ImportFrom) and statement.module == "__future__":
                self.problems.extend(_future_problems(statement, at_top))
            elif not (index == 0 and _is_docstring(statement)):
                at_top = False

    # --- expressions, only on the lines that spell yield, await or async -------------

    def _expressions(self, statement: ast.stmt, context: _Context) -> None:
        yields = bool(self.yield_lines) and _touches(self.yield_lines, statement)
        awaits = bool(self.async_lines) and _touches(self.async_lines, statement)
        if yields or awaits:
            for part in _own_expressions(statement):
                self._scan(part, context, context.kind == "async", False)

    def _scan(self, node: ast.AST, context: _Context, is_async: bool, in_comprehension: bool) -> None:
        kind = type(node)
        if kind is ast.Lambda:
            assert isinstance(node, ast.Lambda)
            self._scan(node.body, _Context("function"), False, False)
            return
        if kind in (ast.Yield, ast.YieldFrom):
            self._yield(node, context, in_comprehension)
        elif kind is ast.Await:
            self._await(node, context, is_async, in_comprehension)
        elif kind in _COMPREHENSIONS:
            self._comprehension(node, context, is_async, in_comprehension)  # type: ignore[arg-type]
            return
        for child in ast.iter_child_nodes(node):
            self._scan(child, context, is_async, in_comprehension)

    def _comprehension(self, node: ast.ListComp, context: _Context, is_async: bool, outer: bool) -> None:
        """The first iterable is evaluated where the comprehension stands; the rest runs in
        its own function, which a generator expression may make asynchronous."""
        first, *others = node.generators
        self._scan(first.iter, context, is_async, outer)
        inner_async = is_async or isinstance(node, ast.GeneratorExp)
        if not inner_async and any(g.is_async for g in node.generators):
            self.problems.append(_at(node, "asynchronous comprehension outside of an asynchronous function"))
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
            self.problems.append(_at(node, f"'{word}' inside comprehension"))
        elif not context.function:
            self.problems.append(_at(node, "'yield' outside function"))
        elif context.kind == "async" and isinstance(node, ast.YieldFrom):
            self.problems.append(_at(node, "'yield from' inside async function"))
        context.scope.yields = True

    def _await(self, node: ast.AST, context: _Context, is_async: bool, in_comprehension: bool) -> None:
        if is_async:
            return
        if in_comprehension:
            message = "asynchronous comprehension outside of an asynchronous function"
        else:
            message = "'await' outside async function" if context.function else "'await' outside function"
        self.problems.append(_at(node, message))


def _is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def _future_problems(node: ast.ImportFrom, at_top: bool) -> list[Problem]:
    if not at_top:
        return [_at(node, "from __future__ imports must occur at the beginning of the file")]
    for alias in node.names:
        if alias.name == "braces":
            return [_at(node, "not a chance")]
        if alias.name not in _FUTURES:
            return [_at(node, f"future feature {alias.name} is not defined")]
    return []


def _own_expressions(statement: ast.stmt) -> list[ast.AST]:
    """The expressions of ``statement`` itself: not those of the statements in its body
    (walked on their own), and for a def or class only what runs where it stands."""
    parts: list[ast.AST] = []
    for name, value in ast.iter_fields(statement):
        if name in ("body", "orelse", "finalbody", "handlers", "cases"):
            if name == "handlers":
                parts.extend(h.type for h in value if h.type is not None)
            if name == "cases":
                parts.extend(c.guard for c in value if c.guard is not None)
            continue
        if isinstance(value, ast.AST):
            parts.append(value)
        elif isinstance(value, list):
            parts.extend(item for item in value if isinstance(item, ast.AST))
    return parts


def _global_problems(function: ast.AST, declarations: list[ast.Global], parameters: set[str]) -> list[Problem]:
    """A name declared global in a function must not be one of its parameters, nor be
    annotated, assigned or used in it before the declaration."""
    problems: list[Problem] = []
    for declaration in declarations:
        for name in declaration.names:
            if name in parameters:
                problems.append(_at(declaration, f"name '{name}' is parameter and global"))
    names = {name: declaration for declaration in declarations for name in declaration.names}
    for node in _scope_walk(function):
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id in names:
            problems.append(_at(node, f"annotated name '{node.target.id}' can't be global"))
        elif isinstance(node, ast.Name) and node.id in names and _before(node, names[node.id]):
            verb = "used prior to" if isinstance(node.ctx, ast.Load) else "assigned to before"
            problems.append(_at(node, f"name '{node.id}' is {verb} global declaration"))
    return problems


def _before(node: ast.AST, declaration: ast.Global) -> bool:
    return (getattr(node, "lineno", 0), getattr(node, "col_offset", 0)) < (declaration.lineno, declaration.col_offset)


def _scope_walk(function: ast.AST) -> list[ast.AST]:
    """The nodes of ``function``'s own scope: not those of nested defs, classes, lambdas
    or comprehensions (each its own scope)."""
    found: list[ast.AST] = []
    if isinstance(function, ast.Module):
        stack: list[ast.AST] = list(function.body)
    else:
        stack = list(getattr(function, "body", []))
    while stack:
        node = stack.pop()
        found.append(node)
        if isinstance(node, (*_DEFS, ast.ClassDef, ast.Lambda, *_COMPREHENSIONS)):
            continue
        stack.extend(ast.iter_child_nodes(node))
    return found


def compile_problem(tree: ast.Module, text: str, path: str) -> Problem | None:
    """The first thing ``compile(text, path, "exec")`` would reject in the parsed ``tree``,
    or None. Sends the rare file whose rules need the symbol table to ``compile()``."""
    rules = _Rules(tree, text)
    try:
        rules.run()
    except RecursionError:  # an expression nested too deep to scan: the compiler decides
        return _compiled(text, path)
    if rules.problems:
        return min(rules.problems)
    if rules.needs_compiler:
        return _compiled(text, path)
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
