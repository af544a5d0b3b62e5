"""GT106 complexity: cyclomatic complexity per function (radon's rules), optional maintainability floor.

The figures are radon's: ``complexity_count`` counts them by radon's rules on the tree
the engine already parsed, about eight times faster than radon's visitor, and the tests
hold them equal to radon's on every def of the standard library. radon itself runs only
for the maintainability index, imported inside the function that uses it. Its raw metrics
(``radon.raw.analyze``, which the maintainability index needs) re-tokenize a
multi-line statement once per line, so they take minutes on a file with one
15,000-line statement (``pydoc_data/topics.py``, radon issue 223): the index is only
computed for files whose longest statement spans at most ``MI_STATEMENT_LIMIT`` lines.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from gates.core.checker import Example, SizeChecker, option
from gates.analysis.complexity_count import Complexities
from gates.analysis.statements import function_defs
from gates.model import Direction, Finding, GateResult, Location
from gates.core.source import SourceFile

# radon.raw.analyze costs about 0.1 s for a 150-line statement and grows with its square.
MI_STATEMENT_LIMIT = 150


@dataclass(frozen=True)
class ComplexityOptions:
    max: int = option(10, "the highest cyclomatic complexity a function may have (as radon cc counts)")
    min_maintainability: float = option(
        0.0, "fail a file whose maintainability index (as radon mi) is lower; 0 = off")


def radon_complexity(node: ast.AST) -> int:
    """radon's own figure for one def, from radon's visitor: the reference of the tests
    and benchmarks (the checker counts with ``complexity_count``)."""
    from radon.visitors import ComplexityVisitor

    return int(ComplexityVisitor.from_ast(node).functions[0].complexity)


def function_complexities(source: SourceFile) -> list[tuple[str, ast.AST, int]]:
    """(qualified name, def node, cyclomatic complexity) of every def, from radon itself.

    The reference (tests, benchmarks). radon's own rules: a def's figure covers its body
    but not the defs nested in it, which are measured on their own. Every def is
    measured, also the methods of a class defined inside a function (which ``radon cc``
    does not list).
    """
    return [(qualname, node, radon_complexity(node)) for qualname, node in function_defs(source)]


def longest_statement(tree: ast.AST) -> int:
    """Lines spanned by the longest simple statement or compound-statement header."""
    longest = 0
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt):
            continue
        inner = getattr(node, "body", None) or getattr(node, "cases", None)
        if isinstance(inner, list) and inner and hasattr(inner[0], "lineno"):
            span = inner[0].lineno - node.lineno
        else:
            span = (node.end_lineno or node.lineno) - node.lineno + 1
        longest = max(longest, span)
    return longest


def maintainability_index(source: SourceFile) -> float | None:
    """radon's maintainability index (as ``radon mi`` computes it), or None when the file
    has a statement too long for radon's raw metrics to finish in reasonable time."""
    from radon.metrics import h_visit_ast, mi_compute
    from radon.raw import analyze
    from radon.visitors import ComplexityVisitor

    if source.tree is None or longest_statement(source.tree) > MI_STATEMENT_LIMIT:
        return None
    raw = analyze(source.text)
    comments = (raw.comments + raw.multi) / raw.sloc * 100 if raw.sloc else 0
    volume = h_visit_ast(source.tree).total.volume
    complexity = ComplexityVisitor.from_ast(source.tree).total_complexity
    return float(mi_compute(volume, complexity, raw.lloc, comments))


class ComplexityChecker(SizeChecker):
    name = "complexity"
    code = "GT106"
    description = "no function with a cyclomatic complexity over `max` (default 10, radon)"
    rationale = (
        "Each decision point (if, loop, except, boolean operator, comprehension, match "
        "case) is another path to understand and test. Counted by radon's rules on the "
        "already-parsed tree, the figure `radon cc` gives; nested functions "
        "are measured on their own. The finding is on the `def` line. "
        "min-maintainability (0 = off) also fails a file whose maintainability index "
        f"(as `radon mi` computes it) is below it; files with a statement longer than "
        f"{MI_STATEMENT_LIMIT} lines are not given an index (radon's raw metrics are "
        "quadratic there)."
    )
    options_type = ComplexityOptions
    unit = "complexity"
    noun = "function"
    examples = (
        Example("def f(x):\n" + "".join(f"    if x == {i}:\n        return {i}\n" for i in range(9))),
        Example("def f(x):\n" + "".join(f"    if x == {i}:\n        return {i}\n" for i in range(10)),
                fails_at=(1,)),
        Example("def f(a, b, c):\n    return a and b or c\n", options=(("max", 2),), fails_at=(1,)),
        Example("class C:\n    def m(self, x):\n        if x:\n            return [i for i in x if i]\n",
                options=(("max", 3),), fails_at=(2,)),
        Example("def f(x):  # gates: ignore[GT106]\n    return 1 if x else 2\n", options=(("max", 1),)),
        Example("x = 1\n", options=(("min-maintainability", 50.0),)),
        Example("def f(a, b):\n    return a + b * 2\n", options=(("min-maintainability", 99.0),),
                fails_at=(1,)),
    )

    def check(self, source: SourceFile) -> Iterable[Finding]:
        limit = self.options.max
        for qualname, node, complexity in source.shared(Complexities).over(limit):
            message = f"function {qualname} has cyclomatic complexity {complexity} (max {limit})"
            yield self.finding(source, node, message, value=complexity, symbol=qualname)
        floor = self.options.min_maintainability
        if floor:
            index = maintainability_index(source)
            if index is not None and index < floor:
                message = f"maintainability index {index:.2f} is below min-maintainability {floor:g}"
                yield Finding(self.code, self.name, Location(source.path), message, value=index)

    def measure(self, source: SourceFile) -> float | None:
        worst = source.shared(Complexities).worst_within(self.options.max)
        return None if worst is None else float(worst)

    def higher_is_better(self, finding: Finding | None = None) -> bool:
        # A function's complexity is a ceiling; a file's maintainability index a floor.
        return finding is not None and finding.symbol is None

    def check_options(self) -> str | None:
        if self.options.max < 1:
            return "max must be at least 1"
        if not 0 <= self.options.min_maintainability <= 100:
            return "min-maintainability must be between 0 and 100"
        return None

    def summarize(
        self, findings: Sequence[Finding], measures: Sequence[tuple[str, Any]]
    ) -> GateResult:
        functions = [f for f in findings if f.symbol is not None]
        result = super().summarize(functions, measures)
        low = len(findings) - len(functions)
        if not low:
            return result
        plural = "s" if low != 1 else ""
        summary = f"{result.summary}; {low} file{plural} below min-maintainability"
        summary += f" {self.options.min_maintainability:g}"
        return GateResult(
            name=self.name, code=self.code, passed=False, measured=result.measured,
            threshold=result.threshold, unit=result.unit,
            violations=result.violations + low, summary=summary,
            direction=Direction.CEILING, precision=0,
        )
