"""The scope rules behind :mod:`gates.analysis.compile_rules`: parameters, ``global`` and
``nonlocal`` declarations, ``from __future__`` imports, and the expressions a statement
evaluates where it stands."""

from __future__ import annotations

import __future__
import ast
from typing import Any

Problem = tuple[int, int, str]  # line, column (1-based), the compiler's message
_FUTURES = frozenset(__future__.all_feature_names)
DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)
COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def at(node: ast.AST, message: str) -> Problem:
    """A problem at ``node``'s position."""
    return (getattr(node, "lineno", 1), getattr(node, "col_offset", 0) + 1, message)


def children(node: ast.AST) -> list[ast.AST]:
    """``ast.iter_child_nodes`` as a list, without its generator's cost."""
    found: list[ast.AST] = []
    for name in node._fields:
        value = getattr(node, name, None)
        if isinstance(value, ast.AST):
            if not isinstance(value, ast.expr_context):
                found.append(value)
        elif isinstance(value, list):
            found.extend(item for item in value if isinstance(item, ast.AST))
    return found


def is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def future_problems(node: ast.ImportFrom, at_top: bool) -> list[Problem]:
    if not at_top:
        return [at(node, "from __future__ imports must occur at the beginning of the file")]
    for alias in node.names:
        if alias.name == "braces":
            return [at(node, "not a chance")]
        if alias.name not in _FUTURES:
            return [at(node, f"future feature {alias.name} is not defined")]
    return []


_BODIES = frozenset({"body", "orelse", "finalbody", "handlers", "cases"})


def own_expressions(statement: ast.stmt) -> list[ast.AST]:
    """The expressions of ``statement`` itself: not those of the statements in its body
    (walked on their own), and for a def or class only what runs where it stands."""
    parts: list[ast.AST] = []
    for name, value in ast.iter_fields(statement):
        if name in _BODIES:
            parts.extend(_headers(name, value))
        elif isinstance(value, ast.AST):
            parts.append(value)
        elif isinstance(value, list):
            parts.extend(item for item in value if isinstance(item, ast.AST))
    return parts


def _headers(name: str, value: list[Any]) -> list[ast.AST]:
    """The expressions among a statement's bodies: except clauses' types, cases' guards."""
    if name == "handlers":
        return [h.type for h in value if h.type is not None]
    if name == "cases":
        return [c.guard for c in value if c.guard is not None]
    return []


def parameter_problems(defs: list[tuple[str, Any]]) -> list[Problem]:
    """A parameter named twice, or named ``__debug__``, in any def of the file."""
    problems: list[Problem] = []
    for _, node in defs:
        args = node.args
        if len(args.args) + len(args.posonlyargs) + len(args.kwonlyargs) + 2 < 2:
            continue
        names = parameters(args)
        if len(set(names)) != len(names):
            twice = [name for index, name in enumerate(names) if name in names[:index]]
            problems.append(at(node, f"duplicate argument '{twice[0]}' in function definition"))
        if "__debug__" in names:
            problems.append(at(node, "cannot assign to __debug__"))
    return problems


def parameters(args: ast.arguments) -> list[str]:
    names = [a.arg for a in args.args]
    if args.posonlyargs or args.kwonlyargs:
        names += [a.arg for a in args.posonlyargs] + [a.arg for a in args.kwonlyargs]
    if args.vararg is not None:
        names.append(args.vararg.arg)
    if args.kwarg is not None:
        names.append(args.kwarg.arg)
    return names


def global_problems(
    function: ast.AST, declarations: list[Any], parameters: set[str], word: str = "global"
) -> list[Problem]:
    """A name declared global (or nonlocal) in a scope must not be one of its parameters,
    nor be annotated in it, nor assigned or used in it before the declaration."""
    problems = [
        at(declaration, f"name '{name}' is parameter and {word}")
        for declaration in declarations
        for name in declaration.names
        if name in parameters
    ]
    names = {name: declaration for declaration in declarations for name in declaration.names}
    for node in scope_walk(function):
        problem = _global_misuse(node, names, word)
        if problem is not None:
            problems.append(problem)
    return problems


def bound_names(function: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """The names a def binds in its own scope: parameters, assignments, imports, defs."""
    bound = set(parameters(function.args))
    for node in scope_walk(function):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bound.add(node.id)
        elif isinstance(node, (*DEFS, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((a.asname or a.name).partition(".")[0] for a in node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    return bound


def _global_misuse(node: ast.AST, names: dict[str, Any], word: str) -> Problem | None:
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id in names:
        return at(node, f"annotated name '{node.target.id}' can't be {word}")
    if isinstance(node, ast.Name) and node.id in names and _before(node, names[node.id]):
        verb = "used prior to" if isinstance(node.ctx, ast.Load) else "assigned to before"
        return at(node, f"name '{node.id}' is {verb} {word} declaration")
    return None


def _before(node: ast.AST, declaration: ast.Global) -> bool:
    return (getattr(node, "lineno", 0), getattr(node, "col_offset", 0)) < (declaration.lineno, declaration.col_offset)


def scope_walk(function: ast.AST) -> list[ast.AST]:
    """The nodes of ``function``'s own scope: not those of nested defs, classes, lambdas
    or comprehensions (each its own scope)."""
    found: list[ast.AST] = []
    stack: list[ast.AST] = list(getattr(function, "body", []))
    while stack:
        node = stack.pop()
        found.append(node)
        if isinstance(node, (*DEFS, ast.ClassDef, ast.Lambda, *COMPREHENSIONS)):
            continue
        stack.extend(children(node))
    return found
