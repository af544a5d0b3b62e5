"""Reuse the figures of an unchanged coverage data file (the gate on an existing data file).

Computing the figures imports coverage.py and re-analyses every measured source file,
which costs more than a short test run can absorb. When the gate reads a data file that
this session did not write, the figures only change when one of these does: the data
file, a measured source file, coverage.py's configuration files or environment
variables, coverage.py itself, or the folder the run starts in. The entry in pytest's
cache records all of them (size and modification time, as build tools do) and is used
only when every one is unchanged.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any

from gates.coverage.figures import CoverageFigures, FileCoverage

CACHE_KEY = "gates/coverage-figures"
CONFIG_FILES = (".coveragerc", "setup.cfg", "tox.ini", "pyproject.toml")
ENVIRONMENT = ("COVERAGE_FILE", "COVERAGE_RCFILE")
FORMAT = 1


def _stat(path: str) -> list[int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns]


def _context(root: Path, data_file: str) -> dict[str, Any]:
    """What decides the figures besides the data and the sources."""
    spec = importlib.util.find_spec("coverage")
    return {
        "format": FORMAT,
        "root": str(root),
        "data_file_option": data_file,
        "coverage": _stat(spec.origin) if spec and spec.origin else None,
        "environment": {name: os.environ.get(name) for name in ENVIRONMENT},
        "config": {name: _stat(str(root / name)) for name in CONFIG_FILES},
    }


def _file(row: list[Any]) -> FileCoverage:
    path, file, statements, lines, branches, covered_branches, executed, missing = row
    return FileCoverage(
        str(path), str(file), int(statements), int(lines), int(branches),
        int(covered_branches), frozenset(executed), frozenset(missing),
    )


def cached_figures(cache: Any, root: Path, data_file: str) -> CoverageFigures | None:
    """The figures stored for exactly this data, or None."""
    entry = cache.get(CACHE_KEY, None)
    if not isinstance(entry, dict) or entry.get("context") != _context(root, data_file):
        return None
    try:
        if _stat(entry["data_path"]) != entry["data_stat"]:
            return None
        files = [_file(row) for row in entry["files"]]
        if any(_stat(f.file) != stat for f, stat in zip(files, entry["sources"])):
            return None
        return CoverageFigures(tuple(files), entry["precision"], entry["branch"], entry["data_file"])
    except (KeyError, TypeError, ValueError):
        return None


def store_figures(cache: Any, root: Path, data_file: str, data_path: str, figures: CoverageFigures) -> None:
    rows = [
        [f.path, f.file, f.statements, f.covered_lines, f.branches, f.covered_branches,
         sorted(f.executed), sorted(f.missing)]
        for f in figures.files
    ]
    cache.set(CACHE_KEY, {
        "context": _context(root, data_file),
        "data_path": data_path,
        "data_stat": _stat(data_path),
        "files": rows,
        "sources": [_stat(f.file) for f in figures.files],
        "precision": figures.precision,
        "branch": figures.branch,
        "data_file": figures.data_file,
    })
