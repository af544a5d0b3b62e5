"""Inline suppression: ``# gates: ignore[GT101]`` (code or name) and ``# noqa: GT101``.

A bare ``# gates: ignore`` silences every gate on its line. A bare ``# noqa`` does not:
it is aimed at flake8, and silencing our gates by accident would hide real findings.
"""

from __future__ import annotations

import re

from gates.core.source import SourceFile, line_of_each
from gates.model import Finding

_GATES = re.compile(r"#\s*gates:\s*ignore(?:\[([^\]]*)\])?", re.IGNORECASE)
_NOQA = re.compile(r"#\s*noqa:\s*([A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*)", re.IGNORECASE)
_ALL = "*"
# What every suppressing comment starts with: lines without it suppress nothing. Led by
# the literal ``#``, so the search runs at ``str.find`` speed between comments.
_MARKER = re.compile(r"#\s*(?:gates:\s*ignore|noqa:)", re.IGNORECASE)


def suppressed_on(line: str) -> frozenset[str]:
    """The codes and names a source line suppresses (``*`` for all)."""
    if "#" not in line:
        return frozenset()
    keys: set[str] = set()
    for match in _GATES.finditer(line):
        inner = match.group(1)
        if inner is None or not inner.strip():
            keys.add(_ALL)
        else:
            keys.update(k.strip() for k in inner.split(",") if k.strip())
    for match in _NOQA.finditer(line):
        keys.update(k.upper() for k in re.split(r"[,\s]+", match.group(1)) if k)
    return frozenset(keys)


def is_suppressed(finding: Finding, lines: list[str]) -> bool:
    index = finding.line - 1
    if not 0 <= index < len(lines):
        return False
    keys = suppressed_on(lines[index])
    return bool(keys) and (
        _ALL in keys or finding.code in keys or finding.code.lower() in keys or finding.gate in keys
    )


def marked_lines(source: SourceFile) -> frozenset[int]:
    """The numbers of the lines that may suppress something (their text holds the start of
    a ``# gates: ignore`` or ``# noqa:`` comment), shared per file: a finding elsewhere is
    never suppressed, and a file without any (most) needs no look at its lines at all."""
    return source.shared(_marked_lines)


def _marked_lines(source: SourceFile) -> frozenset[int]:
    text = source.text
    starts = [match.start() for match in _MARKER.finditer(text)]
    if not starts:
        return frozenset()
    return frozenset(line_of_each(text, starts))


def unsuppressed(findings: list[Finding], source: SourceFile) -> list[Finding]:
    """``findings`` of ``source`` without those its lines suppress."""
    if not findings:
        return findings
    marked = marked_lines(source)
    if not marked:
        return findings
    return [f for f in findings if f.line not in marked or not is_suppressed(f, source.lines)]
