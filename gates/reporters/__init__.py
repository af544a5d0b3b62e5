"""Output formats: one module each, all behind :class:`Reporter`."""

from __future__ import annotations

from typing import Protocol, TextIO

from gates.model import RunResult


class Reporter(Protocol):
    """Writes a run's result to a text stream."""

    def report(self, result: RunResult, out: TextIO) -> None: ...
