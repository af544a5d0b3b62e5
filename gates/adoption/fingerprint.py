"""What a finding is about, independent of its line number: its scope and a hash of its code.

The ratchet baseline matches findings by ``(path, code, scope, hash)``: the scope is the
qualified name of the innermost function or class around the finding (the checker's own
``symbol`` when it gives one), the hash covers the finding's source line with all
whitespace removed and its message with every digit sequence replaced. Lines added
above a function move its findings but change neither part.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence

from gates.analysis.statements import definition_ranges
from gates.model import Finding
from gates.core.source import SourceFile

_DIGITS = re.compile(r"\d+")
SEPARATOR = "|"


class Scopes:
    """The functions and classes of one file as line ranges, to find what encloses a line."""

    def __init__(self, source: SourceFile) -> None:
        self._ranges = sorted(definition_ranges(source))
        self._starts = [start for start, _, _ in self._ranges]

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
    from gates.core.cache import content_digest

    return content_digest(normalised.encode("utf-8", "surrogatepass"), 6)


def fingerprint(finding: Finding, lines: Sequence[str], scopes: Scopes) -> str:
    """``scope|hash`` for one finding of a file with these lines and scopes."""
    scope = finding.symbol or scopes.enclosing(finding.line)
    text = lines[finding.line - 1] if 0 < finding.line <= len(lines) else ""
    return f"{scope}{SEPARATOR}{code_hash(text, finding.message)}"


def with_fingerprints(findings: Iterable[Finding], source: SourceFile) -> list[Finding]:
    """The findings of one file, each carrying its fingerprint."""
    scopes: Scopes | None = None
    result = []
    for finding in findings:
        if not finding.fingerprint:
            scopes = scopes or Scopes(source)
            finding = finding.with_fingerprint(fingerprint(finding, source.lines, scopes))
        result.append(finding)
    return result


def split(fingerprint_text: str) -> tuple[str, str]:
    """(scope, hash) of a fingerprint."""
    scope, _, digest = fingerprint_text.rpartition(SEPARATOR)
    return scope, digest
