"""Inline suppression: ``# gates: ignore[GT101]`` (code or name) and ``# noqa: GT101``.

A bare ``# gates: ignore`` silences every gate on its line. A bare ``# noqa`` does not:
it is aimed at flake8, and silencing our gates by accident would hide real findings.
"""

from __future__ import annotations

import re

from gates.model import Finding

_GATES = re.compile(r"#\s*gates:\s*ignore(?:\[([^\]]*)\])?", re.IGNORECASE)
_NOQA = re.compile(r"#\s*noqa:\s*([A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*)", re.IGNORECASE)
_ALL = "*"


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
