"""``--gates-perf=prune``: which baselines belong to tests that no longer exist.

A session may run a part of the suite (a file, ``-k``): an entry is stale only when this
session can tell. Its test id was not collected, and either its file is gone or its file
was collected (so the test was renamed or deleted). Entries of files this session did not
collect are kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any


class Collected:
    """The test ids collected in the session (before ``-k``/``-m`` deselect any)."""

    def __init__(self) -> None:
        self.ids: set[str] = set()
        self.files: set[str] = set()

    def add(self, nodeid: str) -> None:
        self.ids.add(nodeid)
        self.files.add(nodeid.split("::", 1)[0])

    def _exists(self, key: str) -> bool:
        # A key is a test id, or a test id + "::name" for a named measurement.
        return key in self.ids or key.rsplit("::", 1)[0] in self.ids

    def stale(self, entries: Mapping[str, Any], rootpath: Path) -> list[str]:
        """The keys of ``entries`` whose test is gone, sorted."""
        gone = []
        for key in entries:
            if self._exists(key):
                continue
            file = key.split("::", 1)[0]
            if file in self.files or not (rootpath / file).exists():
                gone.append(key)
        return sorted(gone)
