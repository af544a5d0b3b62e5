"""GT102 function-length: functions stay short enough to read in one screen."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from gates.core.checker import Example, SizeChecker, option
from gates.analysis.statements import docstring, function_defs
from gates.model import Finding
from gates.core.source import SourceFile

_DOCSTRING_OWNERS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@dataclass(frozen=True)
class FunctionLengthOptions:
    max: int = option(50, "the longest a def may be, in lines (def line to last body line)")
    mode: str = option("physical", '"physical" counts every line; "logical" skips blank lines, '
                       "comment-only lines and docstrings")


def _body(lines: int) -> str:
    return "".join(f"    x = {i}\n" for i in range(lines))


def _docstring_lines(node: ast.AST) -> set[int]:
    lines: set[int] = set()
    for inner in ast.walk(node):
        if isinstance(inner, _DOCSTRING_OWNERS) and (first := docstring(inner)) is not None:
            lines.update(range(first.lineno, (first.end_lineno or first.lineno) + 1))
    return lines


class FunctionLengthChecker(SizeChecker):
    name = "function-length"
    code = "GT102"
    description = "no function longer than `max` lines (default 50)"
    rationale = (
        "Long functions hide bugs and resist review. The span runs from the `def` line "
        "to the last line of the body; decorators are excluded; nested functions are "
        "also counted on their own. mode = \"logical\" skips blank lines, comment-only "
        "lines and docstrings. The limit is inclusive: 50 passes, 51 fails."
    )
    options_type = FunctionLengthOptions
    noun = "function"
    examples = (
        Example("def f():\n" + _body(49)),
        Example("def f():\n" + _body(50), fails_at=(1,)),
        Example("@decorator\n@other\ndef f():\n" + _body(49)),
        Example("class C:\n    async def m(self):\n" + _body(50).replace("    ", "        "),
                fails_at=(2,)),
        Example("def f():\n" + _body(3), options=(("max", 3),), fails_at=(1,)),
        Example('def f():\n    """Doc\n\n    string."""\n\n    # comment\n    return 1\n',
                options=(("max", 2), ("mode", "logical"))),
    )

    def _spans(self, source: SourceFile) -> Iterator[tuple[str, ast.AST, int]]:
        logical = self.options.mode == "logical"
        for qualname, node in function_defs(source):
            start = node.lineno
            end = node.end_lineno or start
            if logical:
                skip = _docstring_lines(node)
                text = source.lines[start - 1 : end]
                length = sum(
                    1
                    for number, line in enumerate(text, start)
                    if number not in skip and line.strip() and not line.lstrip().startswith("#")
                )
            else:
                length = end - start + 1
            yield qualname, node, length

    def check(self, source: SourceFile) -> Iterable[Finding]:
        limit = self.options.max
        for qualname, node, length in self._spans(source):
            if length > limit:
                message = f"function {qualname} is {length} lines long (max {limit})"
                yield self.finding(source, node, message, value=length, symbol=qualname)

    def measure(self, source: SourceFile) -> float | None:
        lengths = [n for _, _, n in self._spans(source) if n <= self.options.max]
        return float(max(lengths)) if lengths else None

    def check_options(self) -> str | None:
        if self.options.mode not in ("physical", "logical"):
            return 'mode must be "physical" or "logical"'
        if self.options.max < 1:
            return "max must be at least 1"
        return None
