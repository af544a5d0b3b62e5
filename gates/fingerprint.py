"""What a finding is about, independent of its line number: its scope and a hash of its code.

The ratchet baseline matches findings by ``(path, code, scope, hash)``: the scope is the
qualified name of the innermost function or class around the finding (the checker's own
``symbol`` when it gives one), the hash covers the finding's source line with all
whitespace removed and its message with every digit sequence replaced. Lines added
above a function move its findings but change neither part.
"""

from __future__ import annotations

import ast
import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from gates.model import Finding

_DIGITS = re.compile(r"\d+")
_BODIES = ("body", "handlers", "orelse", "finalbody", "cases")  # as names.function_defs walks
SEPARATOR = "|"


class Scopes:
    """The functions and classes of one file as line ranges, to find what encloses a line."""

    def __init__(self, tree: ast.Module | None) -> None:
        self._ranges: list[tuple[int, int, str]] = []
        if tree is not None:
            self._collect(tree.body, "")
        self._ranges.sort()
        self._starts = [start for start, _, _ in self._ranges]

    def _collect(self, statements: list[ast.stmt], prefix: str) -> None:
        for node in statements:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                qualname = prefix + node.name
                end = node.end_lineno or node.lineno
                self._ranges.append((node.lineno, end, qualname))
                inner = ".<locals>." if not isinstance(node, ast.ClassDef) else "."
                self._collect(node.body, qualname + inner)
            else:
                for name in _BODIES:
                    body = getattr(node, name, None)
                    if body:
                        self._collect(body, prefix)

    def enclosing(self, line: int) -> str:
        """The innermost function or class whose lines include ``line``; "" at module level."""
        # Sorted by start: the first range from the right that contains the line is the
        # innermost (a range starting later inside it would have matched first).
        for index in range(bisect.bisect_right(self._starts, line) - 1, -1, -1):
            _, end, qualname = self._ranges[index]
            if line <= end:
                return qualname
        return ""


def code_hash(line_text: str, message: str) -> str:
    """12 hex digits over the line without whitespace and the message without its numbers."""
    normalised = "".join(line_text.split()) + "\0" + _DIGITS.sub("#", message)
    from gates.cache import content_digest

    return content_digest(normalised.encode("utf-8", "surrogatepass"), 6)


def fingerprint(finding: Finding, lines: Sequence[str], scopes: Scopes) -> str:
    """``scope|hash`` for one finding of a file with these lines and scopes."""
    scope = finding.symbol or scopes.enclosing(finding.line)
    text = lines[finding.line - 1] if 0 < finding.line <= len(lines) else ""
    return f"{scope}{SEPARATOR}{code_hash(text, finding.message)}"


def with_fingerprints(
    findings: Iterable[Finding], lines: Sequence[str], tree: ast.Module | None
) -> list[Finding]:
    """The findings of one file, each carrying its fingerprint."""
    scopes: Scopes | None = None
    result = []
    for finding in findings:
        if not finding.fingerprint:
            scopes = scopes or Scopes(tree)
            finding = replace(finding, fingerprint=fingerprint(finding, lines, scopes))
        result.append(finding)
    return result


def parse_quietly(text: str) -> ast.Module | None:
    """A tree for scopes of a file whose findings came from a whole-project tool."""
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def split(fingerprint_text: str) -> tuple[str, str]:
    """(scope, hash) of a fingerprint."""
    scope, _, digest = fingerprint_text.rpartition(SEPARATOR)
    return scope, digest
