"""Which calls a checker asks about, resolved without walking the whole tree.

A checker names the callees it cares about (``print``; anything imported from
``random``, ``numpy`` or ``torch``). Every statement that binds or calls such a name
spells the name on one of its lines, so the walk of :mod:`gates.analysis.names` can
skip every statement that spans none of those lines: most of a file.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from gates.analysis.names import ResolvedCall, ScopeBuilder, resolve_calls
from gates.analysis.statements import statement_imports
from gates.core.source import SourceFile, line_of_each


@dataclass(frozen=True)
class CallQuery:
    """The calls a checker asks about: callees spelled with one of ``names`` or with a
    local name an import binds to one of ``modules`` (or a submodule of one)."""

    names: frozenset[str] = frozenset()
    modules: frozenset[str] = frozenset()

    def __call__(self, source: SourceFile) -> list[ResolvedCall]:
        if source.tree is None:
            return []
        words = set(self.names) | _import_aliases(source, self.modules)
        lines = _lines_mentioning(source.text, words)
        if not lines:
            return []
        return resolve_calls(ScopeBuilder(frozenset(words), lines), source.tree)


def _import_aliases(source: SourceFile, modules: frozenset[str]) -> set[str]:
    """Local names that imports anywhere in the file bind to ``modules`` or their members."""
    found: set[str] = set()
    for node in statement_imports(source):
        found.update(_bound_names(node, modules))
    return found


def _bound_names(node: ast.Import | ast.ImportFrom, modules: frozenset[str]) -> set[str]:
    if isinstance(node, ast.Import):
        return {
            alias.asname or alias.name.partition(".")[0]
            for alias in node.names
            if alias.name.partition(".")[0] in modules
        }
    if node.level == 0 and node.module and node.module.partition(".")[0] in modules:
        return {alias.asname or alias.name for alias in node.names}
    return set()


def _lines_mentioning(text: str, words: set[str]) -> list[int]:
    """Sorted numbers of the lines where one of ``words`` stands as a whole identifier."""
    starts: list[int] = []
    for word in words:
        position = text.find(word)
        while position >= 0:
            end = position + len(word)
            before = text[position - 1] if position else " "
            after = text[end] if end < len(text) else " "
            if not (_is_name_char(before) or _is_name_char(after)):
                starts.append(position)
            position = text.find(word, end)
    starts.sort()
    return sorted(set(line_of_each(text, starts)))


def _is_name_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def resolved_calls(source: SourceFile, query: CallQuery | None = None) -> list[ResolvedCall]:
    """Calls whose callee resolves to a qualified name, computed once per file and query.

    Without a query every call of the file is resolved (a walk over every node). With
    one, only the statements on lines that mention the query's names are walked.
    """
    if query is None:
        return source.shared(_every_call)
    return source.shared(query)


def _every_call(source: SourceFile) -> list[ResolvedCall]:
    return resolve_calls(ScopeBuilder(), source.tree) if source.tree is not None else []
