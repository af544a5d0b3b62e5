"""Does a file that parses also compile? CPython's compiler rejects code the parser
accepts: ``return`` or ``yield`` outside a def, ``await`` outside an async def,
``break`` outside a loop, a ``nonlocal`` with no binding, an unknown ``__future__``
feature, a parameter named twice, a comprehension that rebinds with ``:=``, and trees
too deep for the default recursion limit.

Compiling every file would cost about as much as parsing it again, so the real
``compile()`` runs only on a file where something cheap to see could fail: a statement
the shared statement walk noted (:func:`gates.analysis.statements.statement_suspects`), an
expression on a line that spells a telling word (:mod:`gates.analysis.compile_expressions`),
or a tree that parsed only above the default recursion limit. The compiler's own error
gives the finding its message and line. What this does not see: docs/hostile-inputs.md.
"""

from __future__ import annotations

import __future__
import ast
import warnings
from bisect import bisect_left
from collections.abc import Iterator
from typing import Any

from gates.analysis.compile_expressions import Keywords, expressions_suspect, keyword_lines
from gates.analysis.statements import STATEMENT_BODIES, docstring, statement_suspects
from gates.analysis.placement import CLASS, COMPOUNDS, MODULE, REJECTED
from gates.core.source import PYTHON, ParseError, SourceFile, default_recursion

_FEATURES = frozenset(__future__.all_feature_names)
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
# The fields that hold statements, of the statements that hold some.
_BODIES = {kind: compound[0] for kind, compound in COMPOUNDS.items()} | {kind: ("body",) for kind in _DEFS}


def compile_problem(source: SourceFile) -> ParseError | None:
    """Why CPython cannot compile a file that parsed, or None (shared per file)."""
    if source.tree is None or not (source.deep or _suspect(source)):
        return None
    with warnings.catch_warnings(), default_recursion():
        warnings.simplefilter("ignore")
        try:
            compile(source.text, source.path, "exec", dont_inherit=True)
        except SyntaxError as exc:
            reason = f"does not compile with Python {PYTHON}: {type(exc).__name__}: {exc.msg}"
            return ParseError(reason, exc.lineno or 1, max(exc.offset or 1, 1))
        except RecursionError:
            return ParseError("is nested too deeply to compile under Python's default recursion limit")
        except (ValueError, MemoryError, OverflowError) as exc:
            return ParseError(f"does not compile: {type(exc).__name__}: {exc}")
    return None


def _suspect(source: SourceFile) -> bool:
    """Could the compiler reject this parsed file? False when the checks here see nothing."""
    tree = source.tree
    assert tree is not None
    for node, scope, verdict in statement_suspects(source):
        if verdict is REJECTED or _statement_suspect(node, scope, source):
            return True
    keywords = source.shared(_keywords)
    return bool(keywords.lines) and expressions_suspect(tree, keywords.lines, keywords.debug)


def _keywords(source: SourceFile) -> Keywords:
    return keyword_lines(source.text)


def _statement_suspect(node: Any, scope: int, source: SourceFile) -> bool:
    """A statement the walk noted for a closer look."""
    kind = type(node)
    tree = source.tree
    assert tree is not None
    if kind is ast.Return:  # in an async def, a value: rejected in an async generator
        return _in_generator(node, source)
    if kind is ast.ImportFrom:
        return _import_suspect(node, scope, tree)
    if kind is ast.Global or kind is ast.Nonlocal:
        return _declaration_suspect(node, scope, _enclosing(node, tree), tree)
    if kind is ast.Match:
        return not _patterns_compile(node)
    return True  # except*: left to the compiler


def _enclosing(node: Any, tree: ast.Module) -> tuple[Any, ...]:
    """The defs around a statement of ``tree``, outermost first (classes aside): a
    descent from the module, each step a bisection of the statements by last line."""
    found: list[Any] = []
    body: list[Any] = tree.body
    while True:
        holder = _holder(body, node)
        if holder is None:
            return tuple(found)
        if type(holder) is not ast.ClassDef and isinstance(holder, _DEFS):
            found.append(holder)
        body = [inner for name in _BODIES[type(holder)] for inner in getattr(holder, name)]


def _holder(body: list[Any], node: Any) -> Any:
    """The statement of ``body`` that holds ``node``, or None when ``node`` is in ``body``."""
    line = node.lineno
    for statement in body[bisect_left(body, line, key=_last_line):]:
        if statement is node:
            return None
        if type(statement) in _BODIES and _last_line(statement) >= line:
            return statement
    raise ValueError("the statement is not in the tree")


def _last_line(node: Any) -> int:
    end: int | None = getattr(node, "end_lineno", None)  # a case has none
    return end if end is not None else _last_line(node.body[-1])


def _in_generator(node: Any, source: SourceFile) -> bool:
    """Is the return in an async def that spells ``yield`` (in a nested def, perhaps)?"""
    yields = source.shared(_keywords).yields
    if not yields or source.tree is None:
        return False
    function = _enclosing(node, source.tree)[-1]
    first = bisect_left(yields, function.lineno)
    if first == len(yields) or yields[first] > function.end_lineno:
        return False
    return any(isinstance(inner, (ast.Yield, ast.YieldFrom)) for inner in ast.walk(function))


def _patterns_compile(node: ast.Match) -> bool:
    """Do a match statement's patterns compile on their own, each case with a guard
    where it has one? The compiler's rules for patterns (unreachable cases, names bound
    twice or not by every alternative, repeated keys) see nothing else; the subject,
    guards and bodies are looked at as other expressions and statements are."""
    cases = [
        ast.match_case(case.pattern, None if case.guard is None else _placed(ast.Name("_", ast.Load()), node),
                       [_placed(ast.Pass(), node)])
        for case in node.cases
    ]
    match = _placed(ast.Match(_placed(ast.Name("_", ast.Load()), node), cases), node)
    try:
        compile(ast.Module([match], []), "<patterns>", "exec", dont_inherit=True)
    except Exception:  # anything odd: the real compile decides
        return False
    return True


def _placed(new: Any, where: Any) -> Any:
    return ast.copy_location(new, where)


def _import_suspect(node: ast.ImportFrom, scope: int, tree: ast.Module) -> bool:
    if node.module == "__future__":
        names = {alias.name for alias in node.names}
        return not names <= _FEATURES or node not in _leading_futures(tree)
    return scope != MODULE and any(alias.name == "*" for alias in node.names)


def _leading_futures(tree: ast.Module) -> list[ast.stmt]:
    """The future imports at the beginning of the file (after the docstring), where they must be."""
    body = tree.body[1:] if docstring(tree) is not None else tree.body
    leading: list[ast.stmt] = []
    for statement in body:
        if not (isinstance(statement, ast.ImportFrom) and statement.module == "__future__"):
            break
        leading.append(statement)
    return leading


def _declaration_suspect(node: Any, scope: int, defs: tuple[Any, ...], tree: ast.Module) -> bool:
    """A ``global``/``nonlocal`` the compiler may reject: in a class, at module level
    (nonlocal), naming a parameter or an annotated name, after the name is spelt in its
    scope, or (nonlocal) with no binding certain in an enclosing def."""
    nonlocal_ = type(node) is ast.Nonlocal
    if scope == CLASS or (scope == MODULE and nonlocal_):
        return True
    names = set(node.names)
    body, parameters = (defs[-1].body, _parameters(defs[-1])) if defs else (tree.body, set())
    if names & (parameters | _annotated_names(body) | _named_before(body, node)):
        return True
    return nonlocal_ and not all(_bound_outside(name, defs[:-1]) for name in names)


def _annotated_names(body: list[Any]) -> set[str]:
    return {
        statement.target.id
        for statement in _direct_statements(body)
        if type(statement) is ast.AnnAssign and type(statement.target) is ast.Name
    }


def _named_before(body: list[Any], declaration: Any) -> set[str]:
    """Names spelt in the scope before ``declaration`` (nested defs' bodies aside)."""
    names: set[str] = set()
    position = (declaration.lineno, declaration.col_offset)
    for statement in _direct_statements(body):  # in source order
        where = statement.pattern if type(statement) is ast.match_case else statement  # a case has no position
        if (where.lineno, where.col_offset) >= position:
            break
        for part in _own_parts(statement):
            names |= _identifiers(part)
    return names


def _own_parts(statement: Any) -> list[Any]:
    """What of a statement is evaluated in its scope: a def's or class's name, decorators,
    defaults and bases; a compound statement's header; a simple statement whole."""
    if isinstance(statement, _DEFS):
        parts = [statement.name, *statement.decorator_list]
        if isinstance(statement, ast.ClassDef):
            return parts + [*statement.bases, *statement.keywords]
        return parts + [statement.args]
    if not any(getattr(statement, name, None) for name in STATEMENT_BODIES):
        return [statement]
    parts = []
    for field, value in ast.iter_fields(statement):
        if field not in STATEMENT_BODIES:
            parts += value if isinstance(value, list) else [value]
    return [part for part in parts if isinstance(part, (ast.AST, str))]


def _identifiers(part: Any) -> set[str]:
    """The names ``part`` reads or binds (those of nested scopes too: a few more is safe)."""
    if isinstance(part, str):
        return {part}
    found: set[str] = set()
    node: Any
    for node in ast.walk(part):
        kind = type(node)
        if kind is ast.Name:
            found.add(node.id)
        elif kind is ast.alias:
            found.add((node.asname or node.name).partition(".")[0])
        elif kind is ast.Global or kind is ast.Nonlocal:
            found.update(node.names)
        elif kind in _NAMED:
            found.add(getattr(node, _NAMED[kind]) or "")
    return found


# Nodes that bind the name in the given field.
_NAMED: dict[type, str] = {
    ast.arg: "arg", ast.ExceptHandler: "name", ast.MatchAs: "name", ast.MatchStar: "name",
    ast.MatchMapping: "rest", ast.FunctionDef: "name", ast.AsyncFunctionDef: "name", ast.ClassDef: "name",
}


def _parameters(function: Any) -> set[str]:
    args = function.args
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    return {arg.arg for arg in every if arg is not None}


def _bound_outside(name: str, enclosing: tuple[Any, ...]) -> bool:
    """Is ``name`` certainly bound in one of the ``enclosing`` defs (innermost last), as a
    ``nonlocal`` needs? A parameter, plain assignment, import, def or class counts; a
    ``global`` of the name there ends the search."""
    for function in reversed(enclosing):
        globals_, bound = _direct_bindings(function.body)
        if name in globals_:
            return False
        if name in bound or name in _parameters(function):
            return True
    return False


def _direct_bindings(body: list[Any]) -> tuple[set[str], set[str]]:
    """The names a def's own statements declare global, and those they certainly bind."""
    declared: set[str] = set()
    bound: set[str] = set()
    for statement in _direct_statements(body):
        if type(statement) is ast.Global:
            declared.update(statement.names)
        else:
            bound |= _binds(statement)
    return declared, bound


def _binds(statement: Any) -> set[str]:
    kind = type(statement)
    if kind is ast.Nonlocal:
        return set(statement.names)  # bound further out, as this nonlocal requires
    if kind in _DEFS:
        return {statement.name}
    if kind is ast.Import or kind is ast.ImportFrom:
        return {(a.asname or a.name).partition(".")[0] for a in statement.names}
    return {n.id for target in _targets(statement) for n in ast.walk(target) if isinstance(n, ast.Name)}


def _targets(statement: Any) -> list[Any]:
    kind = type(statement)
    if kind is ast.Assign:
        return list(statement.targets)
    if kind in (ast.AugAssign, ast.AnnAssign, ast.For, ast.AsyncFor):
        return [statement.target]
    if kind in (ast.With, ast.AsyncWith):
        return [item.optional_vars for item in statement.items if item.optional_vars is not None]
    return []


def _direct_statements(body: list[Any]) -> Iterator[Any]:
    """A scope's statements in source order, those of its compound statements included
    (except handlers and cases too), not those of nested defs and classes."""
    stack = body[::-1]
    while stack:
        statement = stack.pop()
        yield statement
        compound = COMPOUNDS.get(type(statement))
        if compound is not None:
            for name in reversed(compound[0]):
                stack += getattr(statement, name)[::-1]
