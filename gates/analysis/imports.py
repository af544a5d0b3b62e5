"""The imports of a file, read from the tree gates already parsed (the code is never imported).

Shared by the architecture gates (banned-import, layers, import-cycles): one statement
walk per file records every ``import`` and ``from … import`` with its line, inside
functions, classes, ``try`` and ``if`` blocks too, and whether it sits under
``if TYPE_CHECKING:``. Relative imports are resolved against the file's own module name,
which comes from its path: a folder is a package whether or not it has an
``__init__.py`` (namespace packages), and a leading source root (``src/``) is not part
of the name.
"""

from __future__ import annotations

import ast
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from gates.analysis.statements import COMPOUND_STATEMENTS, STATEMENT_BODIES
from gates.core.options import option
from gates.core.source import SourceFile

DEFAULT_SOURCE_ROOTS = ("src",)


class Import(NamedTuple):
    """One imported module, as written at one line.

    ``import a.b`` imports ``a.b``; ``from a import b`` imports ``a.b`` when that is a
    module and ``a`` otherwise: ``target`` is then ``a.b`` and ``parent`` is ``a`` (the
    whole project's modules decide which one it is). ``parent`` is "" when there is no
    such doubt. A named tuple, so that it is cheap to build and survives the result cache.
    """

    line: int
    column: int
    target: str
    parent: str = ""
    type_checking: bool = False

    def names(self) -> tuple[str, ...]:
        """The module the import may name: ``target``, then ``parent`` when there is one."""
        return (self.target, self.parent) if self.parent else (self.target,)


def module_name(path: str, source_roots: Sequence[str] = DEFAULT_SOURCE_ROOTS) -> tuple[str, bool]:
    """The dotted module name of a root-relative path, and whether it is a package
    (``__init__.py``): ``src/ember/core/__init__.py`` -> (``ember.core``, True)."""
    for root in source_roots:
        prefix = root.strip("/") + "/"
        if prefix != "/" and path.startswith(prefix):
            path = path[len(prefix):]
            break
    if path.endswith(".py"):
        path = path[:-3]
    parts = path.split("/")
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


def resolve_relative(module: str, is_package: bool, level: int, name: str | None) -> str | None:
    """The absolute module of ``from <level dots><name> import …`` in ``module``; None when
    it climbs above the top package."""
    parts = module.split(".") if module else []
    package = parts if is_package else parts[:-1]
    up = level - 1
    if up >= len(package):
        return None  # no parent package left (Python: "attempted relative import")
    base = package[: len(package) - up]
    return ".".join([*base, name] if name else base)


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


class _Collector:
    """``lines`` (sorted) are the lines that spell ``import``: a compound statement that spans
    none of them holds no import, and is skipped without a look inside (most function bodies)."""

    def __init__(self, module: str, is_package: bool, lines: list[int]) -> None:
        self.module = module
        self.is_package = is_package
        self.lines = lines
        self.found: list[Import] = []

    def _untouched(self, node: Any) -> bool:
        start = getattr(node, "lineno", 0)  # a match_case has no lines of its own
        if not start:
            return False
        index = bisect_left(self.lines, start)
        return index == len(self.lines) or self.lines[index] > (node.end_lineno or start)

    def walk(self, statements: list[Any], type_checking: bool) -> None:
        for node in statements:
            kind = type(node)
            if kind is ast.Import:
                self.found.extend(
                    Import(node.lineno, node.col_offset + 1, alias.name, "", type_checking)
                    for alias in node.names
                )
            elif kind is ast.ImportFrom:
                self._from(node, type_checking)
            elif kind in _WITH_BODIES and not self._untouched(node):
                self._inside(node, type_checking)

    def _inside(self, node: Any, type_checking: bool) -> None:
        if type(node) is ast.If and _is_type_checking(node.test):
            self.walk(node.body, True)
            self.walk(node.orelse, type_checking)
            return
        for name in STATEMENT_BODIES:
            inner = getattr(node, name, None)
            if inner:
                self.walk(inner, type_checking)

    def _from(self, node: ast.ImportFrom, type_checking: bool) -> None:
        base = node.module
        if node.level:
            base = resolve_relative(self.module, self.is_package, node.level, node.module)
        if not base:
            return  # above the top package: Python itself cannot import it
        line, column = node.lineno, node.col_offset + 1
        for alias in node.names:
            if alias.name == "*":
                self.found.append(Import(line, column, base, "", type_checking))
            else:
                self.found.append(Import(line, column, f"{base}.{alias.name}", base, type_checking))


_WITH_BODIES = COMPOUND_STATEMENTS | {ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef}


def collect_imports(source: SourceFile, source_roots: Sequence[str] = DEFAULT_SOURCE_ROOTS) -> list[Import]:
    """Every import of the file in source order (statements only: an import cannot hide
    inside an expression)."""
    if source.tree is None or "import" not in source.text:
        return []
    lines = [number for number, text in enumerate(source.lines, 1) if "import" in text]
    collector = _Collector(*module_name(source.path, source_roots), lines)
    collector.walk(source.tree.body, False)
    return collector.found


def within(name: str, package: str) -> bool:
    """``name`` is ``package`` or one of its submodules (``a.b`` is within ``a``, ``ab`` is not)."""
    return name == package or name.startswith(package + ".") if package else False


def imports_of(source: SourceFile, source_roots: Sequence[str], type_checking: bool) -> Iterator[Import]:
    """The file's imports (shared between the gates), without those under ``if TYPE_CHECKING:``
    unless ``type_checking``."""
    if tuple(source_roots) == DEFAULT_SOURCE_ROOTS:
        found = source.shared(collect_imports)
    else:
        found = collect_imports(source, source_roots)
    return (i for i in found if type_checking or not i.type_checking)


@dataclass(frozen=True)
class ImportOptions:
    """The options every import gate shares."""

    type_checking: bool = option(True, "count imports under `if TYPE_CHECKING:` (import-linter counts them too)")
    source_roots: tuple[str, ...] = option(
        DEFAULT_SOURCE_ROOTS, "folders that are not part of a module's name (src/ember/x.py is ember.x)")
