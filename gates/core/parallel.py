"""How many worker processes a run starts: enough files and enough source to pay for
them, never more than the files or the cores; and which files go first."""

from __future__ import annotations

import os
from collections.abc import Sequence

from gates.core.discovery import FileEntry

# Below this many files, or this much source, starting worker processes costs more than
# it saves (forking, the pool's threads and queues: 20-30 ms on 2 cores). Measured with
# benchmarks/parallel_break_even.py (the first N standard-library modules, fork start
# method, 2026-12-08): -j 2 / -j 1 = 1.15 at 8 files (49 KB), 0.93 at 16 (440 KB), 0.88
# at 24 (686 KB); and 23 asyncio modules (about 300 KB) measured for GT104's project
# figure alone took 50 ms in two workers against 41 ms in one process.
PARALLEL_MIN_FILES = 16
PARALLEL_MIN_BYTES = 512 * 1024


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def job_count(requested: int, tasks: Sequence[tuple[FileEntry, frozenset[str]]]) -> int:
    """Worker processes for ``tasks``: never more than the files or the cores (``jobs =
    200`` on 20 files and 2 cores forks 2, not 200); automatically (``requested`` 0), one
    process for fewer than PARALLEL_MIN_FILES files or PARALLEL_MIN_BYTES of source."""
    files = len(tasks)
    if requested:
        return max(1, min(requested, files, cores()))
    if files < PARALLEL_MIN_FILES or not at_least(PARALLEL_MIN_BYTES, tasks):
        return 1
    return max(1, min(cores(), files // (PARALLEL_MIN_FILES // 2)))


def at_least(size: int, tasks: Sequence[tuple[FileEntry, frozenset[str]]]) -> bool:
    """Do the files hold ``size`` bytes or more? (Stops counting once they do.)"""
    total = 0
    for entry, _ in tasks:
        total += file_size(entry)
        if total >= size:
            return True
    return False


def file_size(entry: FileEntry) -> int:
    """The file's size in bytes (0 when it cannot be read: checking it is quick)."""
    try:
        return entry.file.stat().st_size
    except OSError:
        return 0
