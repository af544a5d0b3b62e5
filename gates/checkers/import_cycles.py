"""GT109 import-cycles: no cycle among the project's modules (or among the children of a package)."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gates.adoption.fingerprint import SEPARATOR, code_hash
from gates.analysis.imports import ImportOptions, imports_of, module_name, within
from gates.core.checker import Checker, Project, ProjectOutcome, option
from gates.core.source import SourceFile
from gates.model import Finding, Location

_NAMED = 8  # the members of a larger group a finding names, in name order

# One import of one file, as the measure carries it: (line, column, target, parent).
Row = tuple[int, int, str, str]
# Where an edge of the graph was seen first: (path, line, column, imported module).
Site = tuple[str, int, int, str]


@dataclass(frozen=True)
class ImportCyclesOptions(ImportOptions):
    siblings_of: tuple[str, ...] = option(
        (), "packages whose children (with everything inside them) are the graph's nodes, as "
        "import-linter's acyclic_siblings; empty: the nodes are the modules")


class _Tarjan:
    """Tarjan's strongly connected components, iteratively (no recursion limit)."""

    def __init__(self, graph: Mapping[str, Sequence[str]]) -> None:
        self.graph = graph
        self.index: dict[str, int] = {}
        self.low: dict[str, int] = {}
        self.stack: list[str] = []
        self.on_stack: set[str] = set()
        self.found: list[list[str]] = []

    def _enter(self, node: str, work: list[tuple[str, Iterator[str]]]) -> None:
        self.index[node] = self.low[node] = len(self.index)
        self.stack.append(node)
        self.on_stack.add(node)
        work.append((node, iter(self.graph.get(node, ()))))

    def _leave(self, node: str) -> None:
        if self.low[node] != self.index[node]:
            return
        component = []
        while True:
            member = self.stack.pop()
            self.on_stack.discard(member)
            component.append(member)
            if member == node:
                break
        if len(component) > 1:
            self.found.append(sorted(component))

    def visit(self, start: str) -> None:
        work: list[tuple[str, Iterator[str]]] = []
        self._enter(start, work)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    parent = work[-1][0]
                    self.low[parent] = min(self.low[parent], self.low[node])
                self._leave(node)
            elif child not in self.index:
                self._enter(child, work)
            elif child in self.on_stack:
                self.low[node] = min(self.low[node], self.index[child])


def strongly_connected(graph: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """The components of more than one node, each sorted."""
    tarjan = _Tarjan(graph)
    for start in sorted(graph):
        if start not in tarjan.index:
            tarjan.visit(start)
    return tarjan.found


def shortest_cycle(graph: Mapping[str, Sequence[str]], start: str, members: set[str]) -> list[str]:
    """The shortest path from ``start`` back to itself inside one component."""
    previous: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for child in graph.get(node, ()):
            if child not in members:
                continue
            if child == start:
                path = [node]
                while path[-1] != start:
                    path.append(previous[path[-1]])
                return [start, *reversed(path[:-1]), start]
            if child not in previous:
                previous[child] = node
                queue.append(child)
    return [start, start]  # not reached for a component of more than one node


class ImportCyclesChecker(Checker):
    name = "import-cycles"
    code = "GT109"
    description = "no import cycle among the project's modules"
    rationale = (
        "Modules that import each other can only be understood, tested and moved together, "
        "and break at import time as soon as one of them uses the other at module level. "
        "The graph is built from the production code's imports (inside functions too; "
        "`if TYPE_CHECKING:` ones unless type-checking = false), relative imports resolved, "
        "`from a import b` counted as an import of the module a.b when that is a module of "
        "the project. Each strongly connected group of modules is one finding, at the first "
        "import of its shortest cycle, naming the whole path. siblings-of = [\"pkg\"] "
        "checks the children of pkg instead (their submodules folded into them), as "
        "import-linter's acyclic_siblings contract. The ratchet baseline knows a group by its "
        "first module in name order: a group that gains or loses other members stays the "
        "same debt. A cycle of files that per-file-ignores skips is not seen."
    )
    options_type = ImportCyclesOptions
    enabled_by_default = False
    unit = "cycles"

    def measure(self, source: SourceFile) -> tuple[Row, ...]:
        return tuple(
            (found.line, found.column, found.target, found.parent)
            for found in imports_of(source, self.options.source_roots, self.options.type_checking)
        )

    def _node(self, module: str) -> str | None:
        """The graph node a module belongs to."""
        if not self.options.siblings_of:
            return module
        for ancestor in self.options.siblings_of:
            if module != ancestor and within(module, ancestor):
                return f"{ancestor}.{module[len(ancestor) + 1:].split('.')[0]}"
        return None

    def _edges(self, measures: Sequence[tuple[str, Any]]) -> dict[tuple[str, str], Site]:
        """Each edge between two nodes, with where it was first seen (files in path order)."""
        roots = self.options.source_roots
        modules = {module_name(path, roots)[0] for path, _ in measures}
        edges: dict[tuple[str, str], Site] = {}
        for path, rows in sorted(measures):
            source = self._node(module_name(path, roots)[0])
            if source is None:
                continue
            for line, column, target, parent in rows:
                imported = target if target in modules else parent if parent in modules else ""
                node = self._node(imported) if imported else None
                if node is not None and node != source:
                    edges.setdefault((source, node), (path, line, column, imported))
        return edges

    def check_project(self, project: Project) -> Iterable[Finding]:
        edges = self._edges(project.measures)
        graph: dict[str, list[str]] = {}
        for source, target in sorted(edges):
            graph.setdefault(source, []).append(target)
        findings = []
        for component in strongly_connected(graph):
            cycle = shortest_cycle(graph, component[0], set(component))
            path, line, column, imported = edges[(cycle[0], cycle[1])]
            message = f"import cycle: {' -> '.join(cycle)}"
            if len(component) > len(cycle) - 1:
                named = ", ".join(component[:_NAMED])
                more = f", … ({len(component)} in all)" if len(component) > _NAMED else ""
                message += f" (one of the cycles among {named}{more})"
            # Known to the baseline by the group's first module: a group that gains or loses
            # members (or whose shortest cycle changes) is the same debt, not a new finding.
            fingerprint = f"{component[0]}{SEPARATOR}{code_hash('', 'import cycle')}"
            findings.append(Finding(self.code, self.name, Location(path, line, column), message,
                                    fingerprint=fingerprint))
        return ProjectOutcome(tuple(findings))
