"""The project's other files, measured for the gates whose figure is a project total.

When a run names files (a commit hook names the staged ones), a gate with a
``project_figure`` (GT104's share of annotated slots) is still judged on every file of
the project; its findings stay those of the named files. Only the other files'
measures are wanted, so a cached file's stored measures are read without decoding its
findings, and only the files the cache cannot answer for are checked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gates.core.cache import ResultCache
from gates.core.checker import Checker
from gates.core.discovery import FileEntry

Tasks = list[tuple[FileEntry, frozenset[str]]]  # each file with the codes ignored on it
Measures = dict[str, list[tuple[str, Any]]]  # by checker code: (path, measure) of each file


def rest_measures(
    tasks: Tasks, checkers: list[Checker], cache: ResultCache | None, check: Callable[[Tasks], Measures]
) -> Measures:
    """The measures of ``tasks``' files: from the cache where it holds them for the files'
    current bytes, else from ``check`` (which checks and stores the files it is given)."""
    measures: Measures = {c.code: [] for c in checkers}
    if cache is None:
        return check(tasks)
    missed: Tasks = []
    for entry, ignored in tasks:
        stored = _stored(cache, entry, [c.code for c in checkers if c.code not in ignored])
        if stored is None:
            missed.append((entry, ignored))
            continue
        for code, value in stored.items():
            measures[code].append((entry.path, value))
    if missed:
        for code, values in check(missed).items():
            measures[code] += values
    return measures


def _stored(cache: ResultCache, entry: FileEntry, codes: list[str]) -> dict[str, Any] | None:
    """The file's stored measures, when the cache holds them for its current bytes."""
    if entry.problem is not None:  # a FIFO or an unlistable folder: never opened
        return None
    return cache.current_measures(entry.path, entry.file, codes)
