"""gates' per-file AST gates inside flake8: GT101, GT102, GT103 and GT105.

Registered under the entry-point group ``flake8.extension`` with the prefix ``GT``, so a
team already on flake8 gets them in its existing run. Same semantics as ``gates check``:
the limits and ``enabled`` flags come from ``[tool.gates]`` in the nearest
pyproject.toml, test files are not production code, and ``# gates: ignore[GT101]``
silences a finding as ``# noqa: GT101`` does.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator
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
from gates.core.selection import configure
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


@lru_cache(maxsize=16)
def _project(folder: str) -> tuple[Settings, tuple[Checker, ...]]:
    """The settings and the enabled checkers for files under ``folder`` (read once)."""
    _, config = find_root(Path(folder))
    settings = load_settings(config) if config else load_settings(start=Path(folder))
    checkers = []
    for cls in CHECKERS:
        table = settings.gate_tables.get(cls.name) or settings.gate_tables.get(cls.code) or {}
        checker, enabled = configure(cls, table, settings)
        if enabled is not False:
            checkers.append(checker)
    return settings, tuple(checkers)


def _relative(file: str, root: Path) -> str:
    absolute = Path(os.path.abspath(file))
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return absolute.as_posix()


def _ignored_keys(settings: Settings, path: str) -> set[str]:
    """Codes and names that ``per-file-ignores`` silences for ``path`` (prefixes expanded)."""
    keys: set[str] = set()
    for pattern, values in settings.per_file_ignores:
        if PathMatcher([pattern]).matches(path):
            keys.update(values)
    return keys | {cls.code for cls in CHECKERS if any(cls.code.startswith(k.upper()) for k in keys)}


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
            settings, checkers = _project(folder)
        except UsageError as exc:
            yield 1, 0, f"GT000 gates configuration error: {exc}", type(self)
            return
        path = _relative(self.filename, settings.root)
        if PathMatcher(settings.exclude).matches(path):
            return
        silenced = _ignored_keys(settings, path)
        text = "".join(self.lines).replace("\r\n", "\n").replace("\r", "\n")
        source = SourceFile(path, text, self.tree, is_test=is_test_path(path))
        for checker in checkers:
            if not checker.applies_to(source):
                continue
            if checker.code in silenced or checker.name in silenced:
                continue
            for finding in checker.check(source):
                if not is_suppressed(finding, source.lines):
                    yield finding.line, finding.column - 1, f"{finding.code} {finding.message}", type(self)
