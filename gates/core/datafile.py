"""Where a gate's figure comes from when another tool wrote it, and how fresh that is.

Gates that read data produced elsewhere (coverage.py's ``.coverage``, the perf gate's
``.performance_baselines.json``) put :meth:`DataFile.note` in their ``GateResult.note``,
so every report says "from .coverage, 2 h old", "stale: 3 files changed since", or
"no .coverage: run pytest --cov first" in the same words, instead of failing silently.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


def format_age(seconds: float) -> str:
    """``40 s``, ``12 min``, ``2 h``, ``3 days``: how old, to the unit a person thinks in."""
    seconds = max(0.0, seconds)
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds // 60:.0f} min"
    if seconds < 2 * 86400:
        return f"{seconds // 3600:.0f} h"
    return f"{seconds // 86400:.0f} days"


@dataclass(frozen=True)
class DataFile:
    """A data file's state: ``age`` is None when it does not exist."""

    name: str  # as shown to the user, relative to the project root when inside it
    age: float | None
    changed_since: int  # source files modified after the data file was written

    @property
    def exists(self) -> bool:
        return self.age is not None

    @property
    def stale(self) -> bool:
        return self.changed_since > 0

    def note(self, hint: str) -> str:
        """The sentence a report shows; ``hint`` says how to produce the file when it is missing."""
        if self.age is None:
            return f"no {self.name}: {hint}"
        text = f"from {self.name}, {format_age(self.age)} old"
        if self.changed_since:
            files = "file" if self.changed_since == 1 else "files"
            text += f"; stale: {self.changed_since} {files} changed since"
        return text


def inspect_data_file(
    file: Path, root: Path, sources: Iterable[Path] = (), *, now: float | None = None
) -> DataFile:
    """Whether ``file`` exists, its age, and how many of ``sources`` are newer than it."""
    try:
        name = file.relative_to(root).as_posix()
    except ValueError:
        name = str(file)
    try:
        written = file.stat().st_mtime
    except OSError:
        return DataFile(name, None, 0)
    changed = 0
    for source in sources:
        try:
            changed += os.stat(source).st_mtime > written
        except OSError:
            continue
    return DataFile(name, (time.time() if now is None else now) - written, changed)
