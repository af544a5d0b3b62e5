"""Name resolution shared by the checkers that ask "which ``print`` is this?".

One walk over a file's tree builds its scopes (module, function, lambda, class,
comprehension) with every binding, then resolves each call's callee to a qualified
name: ``builtins.print`` for the builtin, ``numpy.random.default_rng`` for a function
reached through any import alias, or None when the name is bound to something we
cannot know statically (an assignment, a parameter, a def). Python's own rules
apply: ``global``/``nonlocal``, class bodies invisible to nested functions,
comprehension targets local to the comprehension, walrus binding in the enclosing
function.
"""

from __future__ import annotations

import ast
import builtins
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


_BUILTINS = frozenset(dir(builtins)) | {"__builtins__"}
# Fields that never hold a node worth visiting; `ctx` alone is a third of all nodes.
_LEAF_FIELDS = frozenset({"ctx", "type_comment", "kind", "id", "attr", "arg", "module", "level"})
_CHILD_FIELDS: dict[type[ast.AST], tuple[str, ...]] = {}
_DISPATCH: dict[type[ast.AST], Callable[[Any, Any], None]] = {}

_STATEMENTS = frozenset(c for c in vars(ast).values() if isinstance(c, type) and issubclass(c, ast.stmt))


def _base_name(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None
_UNKNOWN = ""  # a binding that is not an import: the name's value is not known statically


@dataclass(eq=False)
class Scope:
    kind: str
    parent: Scope | None
    bindings: dict[str, set[str]] = field(default_factory=dict)
    globals: set[str] = field(default_factory=set)
    nonlocals: set[str] = field(default_factory=set)

    def bind(self, name: str, qualname: str = _UNKNOWN) -> None:
        self.bindings.setdefault(name, set()).add(qualname)


class ScopeBuilder(ast.NodeVisitor):
    """Scopes and calls of one file.

    ``names`` limits the calls recorded to those whose callee starts with one of them;
    ``lines`` (sorted) lets it skip every statement that spans none of them. That is
    sound because a statement that binds or calls a name spells the name on one of its
    lines: pass the lines where the names occur in the text.
    """

    def __init__(self, names: frozenset[str] | None = None, lines: list[int] | None = None):
        self.module = Scope("module", None)
        self.scope = self.module
        self.calls: list[tuple[ast.Call, Scope]] = []
        self.names = names
        self.lines = lines

    def _untouched(self, node: Any) -> bool:
        assert self.lines is not None
        decorators = getattr(node, "decorator_list", None)
        # Decorators come first, in source order: the first one starts the statement.
        first = decorators[0].lineno if decorators else node.lineno
        index = bisect_left(self.lines, first)
        return index == len(self.lines) or self.lines[index] > (node.end_lineno or first)

    def visit(self, node: ast.AST) -> None:
        # NodeVisitor.visit looks the method up by name on every node; cache it per type
        # on the class (plain functions: a cache of bound methods would be a reference
        # cycle that keeps every tree alive until the cyclic GC runs).
        kind = type(node)
        if self.lines is not None and kind in _STATEMENTS and self._untouched(node):
            return
        if kind not in _DISPATCH:
            found: Callable[[Any, Any], None] = getattr(
                type(self), "visit_" + kind.__name__, ScopeBuilder.generic_visit
            )
            _DISPATCH[kind] = found
        _DISPATCH[kind](self, node)

    def generic_visit(self, node: ast.AST) -> None:
        kind = type(node)
        fields = _CHILD_FIELDS.get(kind)
        if fields is None:
            fields = _CHILD_FIELDS[kind] = tuple(f for f in kind._fields if f not in _LEAF_FIELDS)
        visit = self.visit
        for name in fields:
            value = getattr(node, name, None)
            if type(value) is list:
                for item in value:
                    if isinstance(item, ast.AST):
                        visit(item)
            elif isinstance(value, ast.AST):
                visit(value)

    # -- scopes -------------------------------------------------------------------
    def _enter(self, kind: str) -> Scope:
        self.scope = Scope(kind, self.scope)
        return self.scope

    def _leave(self, previous: Scope) -> None:
        self.scope = previous

    def _visit_all(self, nodes: list[ast.expr] | list[ast.stmt] | list[ast.expr | None]) -> None:
        for node in nodes:
            if node is not None:
                self.visit(node)

    def _visit_arguments(self, args: ast.arguments) -> None:
        self._visit_all(list(args.defaults))
        self._visit_all(list(args.kw_defaults))

    def _bind_arguments(self, args: ast.arguments) -> None:
        every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
        every += [a for a in (args.vararg, args.kwarg) if a is not None]
        for arg in every:
            self.scope.bind(arg.arg)

    def _visit_annotations(self, args: ast.arguments) -> None:
        every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
        every += [a for a in (args.vararg, args.kwarg) if a is not None]
        self._visit_all([a.annotation for a in every])

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.scope.bind(node.name)
        self._visit_all(list(node.decorator_list))
        self._visit_arguments(node.args)
        self._visit_annotations(node.args)
        if node.returns is not None:
            self.visit(node.returns)
        outer = self.scope
        self._enter("function")
        self._bind_arguments(node.args)
        self._visit_all(list(node.body))
        self._leave(outer)

    visit_FunctionDef = _function
    visit_AsyncFunctionDef = _function

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._visit_arguments(node.args)
        outer = self.scope
        self._enter("function")
        self._bind_arguments(node.args)
        self.visit(node.body)
        self._leave(outer)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.scope.bind(node.name)
        self._visit_all(list(node.decorator_list))
        self._visit_all(list(node.bases))
        self._visit_all([k.value for k in node.keywords])
        outer = self.scope
        self._enter("class")
        self._visit_all(list(node.body))
        self._leave(outer)

    def _comprehension(
        self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp
    ) -> None:
        generators = node.generators
        self.visit(generators[0].iter)  # evaluated in the enclosing scope
        outer = self.scope
        self._enter("comprehension")
        for index, generator in enumerate(generators):
            if index:
                self.visit(generator.iter)
            self.visit(generator.target)
            self._visit_all(list(generator.ifs))
        if isinstance(node, ast.DictComp):
            self.visit(node.key)
            self.visit(node.value)
        else:
            self.visit(node.elt)
        self._leave(outer)

    visit_ListComp = _comprehension
    visit_SetComp = _comprehension
    visit_GeneratorExp = _comprehension
    visit_DictComp = _comprehension

    def visit_Constant(self, node: ast.Constant) -> None:
        """Leaves; also bypasses NodeVisitor's slow deprecated Num/Str dispatch."""

    # -- bindings -----------------------------------------------------------------
    def visit_Name(self, node: ast.Name) -> None:
        if not isinstance(node.ctx, ast.Load):
            self.scope.bind(node.id)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        target_scope = self.scope
        while target_scope.kind == "comprehension" and target_scope.parent is not None:
            target_scope = target_scope.parent
        target_scope.bind(node.target.id)
        self.visit(node.value)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.asname:
                self.scope.bind(alias.asname, alias.name)
            else:
                top = alias.name.partition(".")[0]
                self.scope.bind(top, top)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        for alias in node.names:
            if alias.name == "*":
                continue
            local = alias.asname or alias.name
            qualname = f"{module}.{alias.name}" if node.level == 0 else _UNKNOWN
            self.scope.bind(local, qualname)

    def visit_Global(self, node: ast.Global) -> None:
        self.scope.globals.update(node.names)

    def visit_Nonlocal(self, node: ast.Nonlocal) -> None:
        self.scope.nonlocals.update(node.names)

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name:
            self.scope.bind(node.name)
        self.generic_visit(node)

    def visit_MatchAs(self, node: ast.MatchAs) -> None:
        if node.name:
            self.scope.bind(node.name)
        self.generic_visit(node)

    def visit_MatchStar(self, node: ast.MatchStar) -> None:
        if node.name:
            self.scope.bind(node.name)

    def visit_MatchMapping(self, node: ast.MatchMapping) -> None:
        if node.rest:
            self.scope.bind(node.rest)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        if self.names is None or _base_name(node.func) in self.names:
            self.calls.append((node, self.scope))
        self.generic_visit(node)


def _lookup(name: str, scope: Scope, module: Scope) -> str | None:
    """The qualified name ``name`` refers to in ``scope``, or None when unknown."""
    current: Scope | None = scope
    if name in scope.globals:
        current = module
    elif name in scope.nonlocals:
        current = scope.parent
    first = True
    while current is not None:
        if (first or current.kind != "class") and name in current.bindings:
            values = current.bindings[name]
            if len(values) == 1:
                (value,) = values
                return value or None
            return None
        first = False
        current = current.parent
    return f"builtins.{name}" if name in _BUILTINS else None


@dataclass(frozen=True)
class ResolvedCall:
    node: ast.Call
    qualname: str


def resolve_calls(builder: ScopeBuilder, tree: ast.Module) -> list[ResolvedCall]:
    """Walk ``tree`` with ``builder`` and resolve every call it recorded."""
    builder.visit(tree)
    calls = []
    for call, scope in builder.calls:
        qualname = _qualify(call.func, scope, builder.module)
        if qualname is not None:
            calls.append(ResolvedCall(call, qualname))
    return calls


def dotted(node: ast.expr) -> tuple[str, list[str]] | None:
    """``a.b.c`` as ("a", ["b", "c"]); None when the chain does not start at a name."""
    attributes: list[str] = []
    while isinstance(node, ast.Attribute):
        attributes.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return node.id, attributes[::-1]


def _qualify(node: ast.expr, scope: Scope, module: Scope) -> str | None:
    parts = dotted(node)
    if parts is None:
        return None
    base = _lookup(parts[0], scope, module)
    if base is None:
        return None
    if base == "builtins.__builtins__":
        base = "builtins"
    return ".".join([base, *parts[1]])
