"""Per-content results of ``gates history`` under ``.gates_cache/``, keyed by git blob id.

A blob id is a hash of the file's content, so an entry holds for that content wherever and
whenever it appears in the history; with the checker's key (class and options) and the
same environment stamp as ``gates check``'s cache (:mod:`gates.core.cache`), whose rules
it follows: anything unreadable, foreign or damaged is ignored and rewritten, a folder
that cannot be written is not used. Findings are stored without their path.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gates.core.cache import (
    CACHE_DIR, CheckerResult, checksum, decode_result, encode_result, environment, read_entries,
)
from gates.core.files import own_folder, replace_bytes

FORMAT = 1


def content_key(blob: str, is_test: bool) -> str:
    """A content's key: its blob id, and whether it sits where tests do (checkers differ)."""
    return f"{blob}:{'t' if is_test else 'p'}"


class HistoryStore:
    """Every analysed content's results by checker key: loaded once, saved once."""

    def __init__(self, root: Path, enabled: bool = True) -> None:
        self.folder = root / CACHE_DIR
        self.environment = environment()
        name = checksum(json.dumps(self.environment, sort_keys=True).encode("utf-8"))[:16]
        self.file = self.folder / f"history-{name}.json"
        self.enabled = enabled
        self.entries: dict[str, dict[str, Any]] = self._load() if enabled else {}
        self.dirty = False

    def _load(self) -> dict[str, dict[str, Any]]:
        return read_entries(self.folder, self.file, FORMAT, self.environment)

    def lookup(self, key: str, checker: str) -> tuple[bool, CheckerResult]:
        """(found, result) of one checker (by its key) on one content."""
        stored = self.entries.get(key)
        if not isinstance(stored, dict) or checker not in stored:
            return False, None
        try:
            return True, decode_result("", stored[checker])
        except (TypeError, ValueError):
            return False, None

    def store(self, key: str, checker: str, result: CheckerResult) -> None:
        try:
            encoded = encode_result("", result)
        except ValueError:
            return  # a measure JSON cannot carry: analysed again next time
        self.entries.setdefault(key, {})[checker] = encoded
        self.dirty = True

    def save(self) -> None:
        if not (self.enabled and self.dirty):
            return
        payload = json.dumps(self.entries, separators=(",", ":")).encode("utf-8")
        meta = {"format": FORMAT, "environment": self.environment, "checksum": checksum(payload)}
        try:
            if not own_folder(self.folder):
                return
            ignore = self.folder / ".gitignore"
            if not ignore.is_file() or ignore.is_symlink():
                replace_bytes(ignore, b"# created by gates\n*\n")
            replace_bytes(self.file, json.dumps(meta).encode("utf-8") + b"\n" + payload)
        except OSError:
            return
