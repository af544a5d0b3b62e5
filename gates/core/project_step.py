"""Each checker's whole-project step (``check_project``) after the per-file checks: its
findings filtered as per-file findings are, its figure added to the run's measures."""

from __future__ import annotations

import dataclasses
import tokenize
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from gates.adoption.fingerprint import with_fingerprints
from gates.core.checker import PROJECT, Checker, Project, ProjectFile, ProjectOutcome
from gates.core.discovery import FileEntry
from gates.core.source import SourceFile
from gates.core.suppression import is_suppressed
from gates.model import Finding


def _read_lines(file: Path) -> list[str]:
    """A file's lines as SourceFile numbers them; none when it cannot be read."""
    try:
        with tokenize.open(file) as handle:
            text = handle.read()
    except (OSError, SyntaxError, UnicodeDecodeError):
        return []
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _kept(
    found: list[Finding], ignored_by_path: dict[str, frozenset[str]], root: Path
) -> Iterable[Finding]:
    """Whole-project findings minus those that per-file-ignores or an inline comment silence.

    Per-file findings go through the same two filters in ``_check_file``.
    """
    lines: dict[str, list[str]] = {}
    kept: dict[str, list[Finding]] = {}
    for finding in found:
        if finding.code in ignored_by_path.get(finding.path, frozenset()):
            continue
        if finding.path not in lines:
            lines[finding.path] = _read_lines(root / finding.path)
        if not is_suppressed(finding, lines[finding.path]):
            kept.setdefault(finding.path, []).append(finding)
    for path, group in kept.items():
        if all(finding.fingerprint for finding in group):
            yield from group  # the gate knew them already: no need to parse the file again
            continue
        # Scopes of a file whose findings came from a whole-project tool.
        yield from with_fingerprints(group, SourceFile.from_source(path, "\n".join(lines[path])))


def project_steps(
    tasks: list[tuple[FileEntry, frozenset[str]]],
    checkers: list[Checker],
    root: Path,
    findings: dict[str, list[Finding]],
    measures: dict[str, list[tuple[str, Any]]],
    progress: Callable[[int, int], None] | None,
    total: int,
) -> None:
    """Each checker's whole-project step, its findings and figure added to the run's."""
    # A FIFO or an unlistable folder is GT100's finding; a wrapped tool must not open it.
    files = tuple(ProjectFile(e.file, e.path, e.is_test) for e, _ in tasks if e.problem is None)
    project = Project(root, files)
    ignored_by_path = {entry.path: ignored for entry, ignored in tasks}
    for done, checker in enumerate(checkers, len(tasks) + 1):
        own = dataclasses.replace(project, measures=tuple(measures[checker.code]))
        found, measure = _project_step(checker, own)
        findings[checker.code].extend(_kept(found, ignored_by_path, root))
        if measure is not None:
            measures[checker.code].append((PROJECT, measure))
        if progress:
            progress(done, total)


def _project_step(checker: Checker, project: Project) -> tuple[list[Finding], Any]:
    """The checker's whole-project findings, and the figure it measured (None for none)."""
    outcome = checker.check_project(project)
    if isinstance(outcome, ProjectOutcome):
        return list(outcome.findings), outcome.measure
    return list(outcome), None
