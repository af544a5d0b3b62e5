"""gates' per-file AST gates inside flake8: GT101, GT102, GT103 and GT105.

Registered under the entry-point group ``flake8.extension`` with the prefix ``GT``, so a
team already on flake8 gets them in its existing run. Same semantics as ``gates check``:
the gates are those ``gates check`` selects (``enabled``, ``select``, ``ignore``), with
the limits and ``per-file-ignores`` of ``[tool.gates]`` in the nearest pyproject.toml
(:func:`gates.core.selection.select_checkers`, :func:`~gates.core.selection.per_file_ignores`), test files are not production code, and ``# gates: ignore[GT101]``
silences a finding as ``# noqa: GT101`` does.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from gates import __version__
from gates.core.checker import Checker
from gates.checkers.file_size import FileSizeChecker
from gates.checkers.function_length import FunctionLengthChecker
from gates.checkers.no_print import NoPrintChecker
from gates.checkers.unseeded_rng import UnseededRngChecker
from gates.core.config import Settings, find_root, load_settings
from gates.core.selection import per_file_ignores, select_checkers
from gates.core.discovery import PathMatcher, is_test_path
from gates.errors import UsageError
from gates.core.source import SourceFile
from gates.core.suppression import is_suppressed

CHECKERS: tuple[type[Checker], ...] = (
    NoPrintChecker,
    FunctionLengthChecker,
    FileSizeChecker,
    UnseededRngChecker,
)


@dataclass(frozen=True)
class _Project:
    """What ``gates check`` would run on files under one folder."""

    settings: Settings
    checkers: tuple[Checker, ...]
    ignored: Callable[[str], frozenset[str]]  # per-file-ignores: root path -> codes


@lru_cache(maxsize=16)
def _project(folder: str) -> _Project:
    """The settings and the checkers for files under ``folder`` (read once): the gates
    ``gates check`` selects (``enabled``, ``select`` and ``ignore`` of ``[tool.gates]``)
    that this plugin runs."""
    _, config = find_root(Path(folder))
    settings = load_settings(config) if config else load_settings(start=Path(folder))
    checkers = tuple(c for c in select_checkers(settings) if type(c) in CHECKERS)
    return _Project(settings, checkers, per_file_ignores(settings))


def _relative(file: str, root: Path) -> str:
    absolute = Path(os.path.abspath(file))
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return absolute.as_posix()


class GatesPlugin:
    """flake8 calls ``run`` once per file with the tree it already parsed."""

    name = "gates"
    version = __version__

    def __init__(self, tree: ast.Module, filename: str, lines: list[str]) -> None:
        self.tree = tree
        self.filename = filename
        self.lines = lines

    def run(self) -> Iterator[tuple[int, int, str, type[Any]]]:
        folder = os.path.dirname(os.path.abspath(self.filename))
        try:
            project = _project(folder)
        except UsageError as exc:
            yield 1, 0, f"GT000 gates configuration error: {exc}", type(self)
            return
        path = _relative(self.filename, project.settings.root)
        if PathMatcher(project.settings.exclude).matches(path):
            return
        silenced = project.ignored(path)
        text = "".join(self.lines).replace("\r\n", "\n").replace("\r", "\n")
        source = SourceFile(path, text, self.tree, is_test=is_test_path(path))
        for checker in project.checkers:
            if checker.code in silenced or not checker.applies_to(source):
                continue
            for finding in checker.check(source):
                if not is_suppressed(finding, source.lines):
                    yield finding.line, finding.column - 1, f"{finding.code} {finding.message}", type(self)
