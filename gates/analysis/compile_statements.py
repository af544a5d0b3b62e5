"""The compiler's rules about statements, checked on the statements the shared definition
walk (:func:`gates.analysis.names.notable_statements`) recorded with where they stand:
``return`` outside a def, ``break`` outside a loop, ``async for`` outside an async def,
``import *`` below module level, ``nonlocal`` and ``global`` declarations, a bare
``except:`` that is not last, starred assignment targets, ``from __future__`` rules.
GT100 pays for no walk of its own for these."""

from __future__ import annotations

import ast
from typing import Any

from gates.analysis.compile_scopes import (
    Problem, at, bound_names, future_problems, global_problems, is_docstring, parameters,
)
from gates.analysis.names import IN_ASYNC, IN_CLASS, IN_FUNCTION, IN_LOOP, function_defs, notable_statements
from gates.core.source import SourceFile

_MODULE_LEVEL = IN_FUNCTION | IN_CLASS


def statement_problems(source: SourceFile) -> tuple[list[Problem], bool]:
    """What the compiler rejects among the file's statements, and whether the file needs
    the compiler itself (a ``match`` statement, a ``global`` outside any def: rare)."""
    problems: list[Problem] = []
    needs_compiler = False
    declarations: list[tuple[Any, int]] = []
    for node, flags in notable_statements(source):
        kind = type(node)
        if kind is ast.Match or kind is ast.Global and not flags & IN_FUNCTION:
            needs_compiler = True
        elif kind is ast.Global or kind is ast.Nonlocal:
            declarations.append((node, flags))
        else:
            problems.extend(_CHECKS[kind](node, flags))
    if declarations:
        problems.extend(_declaration_problems(source, declarations))
    return problems + _futures(source), needs_compiler


def _return(node: ast.Return, flags: int) -> list[Problem]:
    return [] if flags & IN_FUNCTION else [at(node, "'return' outside function")]


def _break(node: ast.Break | ast.Continue, flags: int) -> list[Problem]:
    if flags & IN_LOOP:
        return []
    message = "'break' outside loop" if isinstance(node, ast.Break) else "'continue' not properly in loop"
    return [at(node, message)]


def _async(node: ast.AsyncFor | ast.AsyncWith, flags: int) -> list[Problem]:
    if flags & IN_ASYNC:
        return []
    word = "for" if isinstance(node, ast.AsyncFor) else "with"
    return [at(node, f"'async {word}' outside async function")]


def _import_from(node: ast.ImportFrom, flags: int) -> list[Problem]:
    if not flags & _MODULE_LEVEL:
        return []  # at module level: _futures sees where a future import stands
    if any(alias.name == "*" for alias in node.names):
        return [at(node, "import * only allowed at module level")]
    if node.module == "__future__":
        return [at(node, "from __future__ imports must occur at the beginning of the file")]
    return []


def _try(node: ast.Try, flags: int) -> list[Problem]:
    return [at(h, "default 'except:' must be last") for h in node.handlers[:-1] if h.type is None]


def _assign(node: ast.Assign, flags: int) -> list[Problem]:
    return [problem for target in node.targets for problem in target_problems(target)]


def target_problems(target: ast.expr) -> list[Problem]:
    """A starred target alone, two starred targets in one tuple, ``__debug__`` assigned."""
    if isinstance(target, ast.Name):
        return [at(target, "cannot assign to __debug__")] if target.id == "__debug__" else []
    if isinstance(target, ast.Starred):
        return [at(target, "starred assignment target must be in a list or tuple")]
    if isinstance(target, (ast.Tuple, ast.List)) and sum(isinstance(e, ast.Starred) for e in target.elts) > 1:
        return [at(target, "multiple starred expressions in assignment")]
    return []


def _for_target(node: ast.AsyncFor, flags: int) -> list[Problem]:
    return _async(node, flags) + target_problems(node.target)


_CHECKS: dict[type, Any] = {
    ast.Return: _return, ast.Break: _break, ast.Continue: _break, ast.AsyncFor: _for_target,
    ast.AsyncWith: _async, ast.ImportFrom: _import_from, ast.Try: _try, ast.Assign: _assign,
}
if hasattr(ast, "TryStar"):
    _CHECKS[ast.TryStar] = _try


def _futures(source: SourceFile) -> list[Problem]:
    """``from __future__`` only first (after the docstring), only known features."""
    assert source.tree is not None
    problems: list[Problem] = []
    at_top = True
    for index, statement in enumerate(source.tree.body):
        if isinstance(statement, ast.ImportFrom) and statement.module == "__future__":
            problems.extend(future_problems(statement, at_top))
        elif not (index == 0 and is_docstring(statement)):
            at_top = False
    return problems


def _declaration_problems(source: SourceFile, declarations: list[tuple[Any, int]]) -> list[Problem]:
    """``global`` in a def and ``nonlocal`` anywhere, each checked against the defs around it."""
    defs = [node for _, node in function_defs(source)]
    problems: list[Problem] = []
    grouped: dict[int, tuple[Any, list[Any], list[Any]]] = {}
    for node, flags in declarations:
        around = _defs_around(defs, node.lineno)
        if isinstance(node, ast.Nonlocal):
            problems.extend(_nonlocal_binding(node, flags, around))
        if flags & IN_FUNCTION and around:
            entry = grouped.setdefault(id(around[-1]), (around[-1], [], []))
            entry[1 if isinstance(node, ast.Global) else 2].append(node)
    for function, globals_, nonlocals in grouped.values():
        problems.extend(_scope_declarations(function, globals_, nonlocals))
    return problems


def _defs_around(defs: list[Any], line: int) -> list[Any]:
    """The defs that enclose ``line``, outermost first."""
    return sorted((d for d in defs if d.lineno <= line <= (d.end_lineno or d.lineno)), key=lambda d: d.lineno)


def _scope_declarations(function: Any, globals_: list[Any], nonlocals: list[Any]) -> list[Problem]:
    names = set(parameters(function.args))
    problems = global_problems(function, globals_, names) if globals_ else []
    return problems + (global_problems(function, nonlocals, names, "nonlocal") if nonlocals else [])


def _nonlocal_binding(node: ast.Nonlocal, flags: int, around: list[Any]) -> list[Problem]:
    if not flags & _MODULE_LEVEL:
        return [at(node, "nonlocal declaration not allowed at module level")]
    enclosing = around[:-1] if flags & IN_FUNCTION else around
    bound = set().union(*(bound_names(function) for function in enclosing)) | {"__class__"}
    return [at(node, f"no binding for nonlocal '{name}' found") for name in node.names if name not in bound]
