"""GT104's fix, decided on the ast: ``-> None`` where a function never returns a value,
and (``--unsafe``) a parameter's type from its literal default — the rules autotyping
calls safe (none-return) and aggressive (scalar defaults).

``-> None`` is added only to a def that GT104 counts as missing its return annotation and
that: returns no value on any path (``return`` and ``return None`` only), is no generator,
is not abstract or an ``@overload``, is not a stub (only ``raise NotImplementedError``,
or, in a class, only ``pass``/``...``/a docstring) and is not overridden, in a class related
to its own in the same file, by a method that returns a value or says it returns
something else. Defs with a ``# type:`` comment keep their annotations where they are.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field

from gates.analysis.statements import COMPOUND_STATEMENTS, STATEMENT_BODIES, Function, docstring, function_defs
from gates.core.source import SourceFile
from gates.core.suppression import suppressed_on

_ABSTRACT = frozenset({"abstractmethod", "abstractproperty", "abstractclassmethod", "abstractstaticmethod",
                       "overload"})
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_KEYS = frozenset({"*", "GT104", "gt104", "type-coverage"})


@dataclass
class DefPlan:
    """What to add to one def (found again by its place among the file's defs)."""

    index: int
    name: str
    returns_none: bool = False
    params: dict[str, str] = field(default_factory=dict)  # parameter -> type name


def _own_nodes(node: Function) -> Iterator[ast.AST]:
    """Every node of the def's body that belongs to the def itself (not to nested scopes)."""
    stack: list[ast.AST] = list(node.body)
    while stack:
        current = stack.pop()
        yield current
        for child in ast.iter_child_nodes(current):
            if not isinstance(child, _SCOPES):
                stack.append(child)


def _returns_value_or_yields(node: Function) -> bool:
    for inner in _own_nodes(node):
        if isinstance(inner, (ast.Yield, ast.YieldFrom)):
            return True
        if isinstance(inner, ast.Return) and inner.value is not None:
            if not (isinstance(inner.value, ast.Constant) and inner.value.value is None):
                return True
    return False


def _decorator_names(node: Function) -> set[str]:
    names = set()
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        names.add(target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", ""))
    return names


def _raises_not_implemented(statement: ast.stmt) -> bool:
    if not (isinstance(statement, ast.Raise) and statement.exc is not None):
        return False
    exc = statement.exc.func if isinstance(statement.exc, ast.Call) else statement.exc
    return isinstance(exc, ast.Name) and exc.id == "NotImplementedError"


def _is_stub(node: Function, in_class: bool) -> bool:
    body = list(node.body)[1 if docstring(node) is not None else 0:]
    if len(body) == 1 and _raises_not_implemented(body[0]):
        return True
    trivial = all(isinstance(s, ast.Pass) or (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))
                  for s in body)
    return in_class and trivial


def _says_not_none(node: Function) -> bool:
    return node.returns is not None and not (isinstance(node.returns, ast.Constant) and node.returns.value is None)


class _Classes:
    """The file's classes by name, their methods and their bases (by simple name)."""

    def __init__(self, tree: ast.Module) -> None:
        self.owner: dict[int, ast.ClassDef] = {}  # id(def) -> class whose body holds it
        self.methods: dict[str, list[Function]] = {}  # "C.m" -> defs (any class named C)
        self.bases: dict[str, set[str]] = {}
        for node in _class_defs(tree.body):
            self.bases.setdefault(node.name, set()).update(
                b.attr if isinstance(b, ast.Attribute) else getattr(b, "id", "") for b in node.bases)
            for method in _statements(node.body):
                self.owner[id(method)] = node
                self.methods.setdefault(f"{node.name}.{method.name}", []).append(method)

    def related(self, name: str) -> set[str]:
        """Every class of the file above or below ``name`` in its hierarchy."""
        below: dict[str, set[str]] = {}
        for cls, bases in self.bases.items():
            for base in bases:
                below.setdefault(base, set()).add(cls)
        found: set[str] = set()
        for links in (self.bases, below):
            todo = [name]
            while todo:
                for other in links.get(todo.pop(), ()):
                    if other not in found and other != name:
                        found.add(other)
                        todo.append(other)
        return found

    def overridden_with_value(self, node: Function) -> bool:
        owner = self.owner.get(id(node))
        if owner is None:
            return False
        return any(_says_not_none(other) or _returns_value_or_yields(other)
                   for cls in self.related(owner.name)
                   for other in self.methods.get(f"{cls}.{node.name}", ()))


def _class_defs(body: list[ast.stmt]) -> Iterator[ast.ClassDef]:
    """Every class of the file (a class statement is never inside an expression)."""
    for statement in body:
        if isinstance(statement, ast.ClassDef):
            yield statement
        for name in STATEMENT_BODIES:
            inner = getattr(statement, name, None)
            if isinstance(inner, list) and inner and isinstance(inner[0], (ast.stmt, ast.excepthandler, ast.match_case)):
                yield from _class_defs(inner)


def _statements(body: list[ast.stmt]) -> Iterator[Function]:
    for statement in body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield statement
        elif type(statement) in COMPOUND_STATEMENTS:
            for name in STATEMENT_BODIES:
                yield from _statements(getattr(statement, name, None) or [])


def _counted(line: str) -> bool:
    return "#" not in line or not (suppressed_on(line) & _KEYS)


def _literal_type(default: ast.expr) -> str | None:
    if isinstance(default, ast.UnaryOp) and isinstance(default.op, (ast.USub, ast.UAdd)):
        default = default.operand
        if not (isinstance(default, ast.Constant) and type(default.value) in (int, float)):
            return None
    if isinstance(default, ast.Constant) and type(default.value) in (bool, int, float, str, bytes):
        return type(default.value).__name__
    return None


def _param_types(node: Function, lines: list[str], bound: set[str]) -> dict[str, str]:
    args = node.args
    positional = [*args.posonlyargs, *args.args]
    pairs = list(zip(positional[len(positional) - len(args.defaults):], args.defaults))
    pairs += [(arg, d) for arg, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None]
    types = {}
    for arg, default in pairs:
        kind = _literal_type(default)
        if arg.annotation is None and kind is not None and kind not in bound and _counted(lines[arg.lineno - 1]):
            types[arg.arg] = kind
    return types


def _has_type_comment(node: Function, lines: list[str]) -> bool:
    return any("# type:" in line for line in lines[node.lineno - 1: node.body[0].lineno - 1] or lines[node.lineno - 1:node.lineno])


def _implied(node: Function) -> bool:
    """An ``__init__`` with an annotated parameter: GT104 (as mypy) takes it as ``-> None`` already."""
    args = node.args
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    return node.name == "__init__" and any(a is not None and a.annotation is not None for a in every)


def _returns_none(node: Function, classes: _Classes) -> bool:
    """Whether ``-> None`` is safe on ``node``, which has no return annotation."""
    in_class = id(node) in classes.owner
    return not (_returns_value_or_yields(node) or _decorator_names(node) & _ABSTRACT
                or _is_stub(node, in_class) or (in_class and classes.overridden_with_value(node)))


def plan_returns(source: SourceFile, *, unsafe: bool, bound: set[str]) -> list[DefPlan]:
    """What to add to each def of ``source``; ``bound``: names the file binds anywhere
    (a parameter is typed ``int`` only where ``int`` is the builtin)."""
    assert source.tree is not None
    lines = source.lines
    classes = _Classes(source.tree)
    plans = []
    for index, (_, node) in enumerate(function_defs(source)):
        if _has_type_comment(node, lines):
            continue
        plan = DefPlan(index, node.name, params=_param_types(node, lines, bound) if unsafe else {})
        plan.returns_none = (node.returns is None and _counted(lines[node.lineno - 1])
                             and not _implied(node) and _returns_none(node, classes))
        if plan.returns_none or plan.params:
            plans.append(plan)
    return plans
