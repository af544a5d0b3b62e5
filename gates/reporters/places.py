"""Every path of one text output on one base: where the user stands, as ruff and flake8
show them, so each can be clicked and opened.

The engine keeps paths relative to the project root (the machine formats keep them so:
JSON names its root, SARIF and the GitHub formats resolve against the repository). The
text output moves all of them at once: the findings, the paths a gate's summary names
("worst: pkg/a.py:1"), its per-file figures, the data file its note names ("from
.coverage, 2 h old") and the checklist's details.
"""

from __future__ import annotations

import dataclasses
import os
import posixpath
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from gates.model import Checklist, Finding, GateResult, RunResult

# A path named in a summary ends where a path cannot go on: a line number, a space, a
# comma, a bracket or the end of the text ("pkg/a.py" is not found in "pkg/a.pyx").
_AFTER = r"(?=[:\s,;)]|$)"
_BEFORE = r"(?<![\w./-])"
# The data file a gate's note names (gates.core.datafile's "from .coverage, 2 h old" and
# "no .coverage: run ...", gates combine's "combined from 4 shards into .coverage").
_NOTE_FILE = re.compile(r"^(?:from|no) ([^\s,:;]+)|\binto ([^\s,:;]+)")


def placer(root: str, cwd: Path) -> Callable[[str], str]:
    """Root-relative path -> the same file from ``cwd`` (``a.py`` from inside ``pkg/``,
    ``proj/pkg/a.py`` from above). One relpath per folder, not per finding."""
    folders: dict[str, str] = {}
    placed: dict[str, str] = {}  # a file's findings come together: each path is placed once
    here = str(cwd)

    def place(path: str) -> str:
        if path in placed:
            return placed[path]
        if not path or os.path.isabs(path) or "::" in path:  # a test id stays as pytest shows it
            return path
        folder, name = posixpath.split(path)
        if folder not in folders:
            moved = os.path.relpath(os.path.join(root, folder), here).replace(os.sep, "/")
            folders[folder] = "" if moved == "." else moved + "/"
        placed[path] = folders[folder] + name
        return placed[path]

    return place


def relocated(result: RunResult, cwd: Path | None) -> RunResult:
    """``result`` with every project path seen from ``cwd`` (unchanged when it is the root)."""
    if cwd is None or os.path.normpath(str(cwd)) == os.path.normpath(result.root):
        return result
    place = placer(result.root, cwd)
    findings = tuple(_moved(f, place) for f in result.findings)
    named: dict[str, set[str]] = {}
    for finding in result.findings:
        named.setdefault(finding.code, set()).add(finding.path)
    gates = tuple(_gate(g, place, named.get(g.code, set())) for g in result.gates)
    checklist = result.checklist
    if checklist is not None:
        checklist = _checklist(checklist, place, _every_path(result, named))
    return dataclasses.replace(result, findings=findings, gates=gates, checklist=checklist)


def _every_path(result: RunResult, named: dict[str, set[str]]) -> set[str]:
    """The paths a checklist's details may name: the findings' and the per-file figures'."""
    return {path for paths in named.values() for path in paths} | {
        key for gate in result.gates for key, _ in gate.details
    }


def _moved(finding: Finding, place: Callable[[str], str]) -> Finding:
    return finding.with_path(place(finding.path))


def within(text: str, paths: Iterable[str], place: Callable[[str], str]) -> str:
    """``text`` with each of ``paths`` it names replaced by where ``place`` puts it."""
    for path in sorted({p for p in paths if p and p in text}, key=len, reverse=True):
        text = re.sub(_BEFORE + re.escape(path) + _AFTER, place(path).replace("\\", r"\\"), text)
    return text


def _gate(gate: GateResult, place: Callable[[str], str], named: set[str]) -> GateResult:
    keys = {key for key, _ in gate.details}
    details = tuple((place(key), value) for key, value in gate.details)
    noted = {name for found in _NOTE_FILE.finditer(gate.note) for name in found.groups() if name}
    return dataclasses.replace(gate, summary=within(gate.summary, named | keys, place), details=details,
                               note=within(gate.note, noted, place))


def _checklist(checklist: Checklist, place: Callable[[str], str], named: set[str]) -> Checklist:
    items = tuple(item._replace(detail=within(item.detail, named, place)) for item in checklist.items)
    others = tuple(_gate(g, place, named) for g in checklist.other_failures)
    return checklist._replace(items=items, other_failures=others)
