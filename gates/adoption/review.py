"""What narrows a run to what a team must act on now: the ratchet baseline, ``--diff``.

The engine hands every gate's findings through each :class:`Review` before the gate's
verdict is summarized, so the verdict, the summary and the findings shown agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gates.core.checker import Checker
    from gates.model import Finding, GateResult


BASELINE_FILE = ".gates-baseline.json"  # in the project root


class Review:
    """A filter on a run's findings and verdicts. The base class keeps everything."""

    def floor(self, checker: Checker, measures: Sequence[tuple[str, Any]]) -> tuple[float, str] | None:
        """For a gate whose figure is a floor (``fail_under``): a figure under its goal that
        this review lets pass, and where it comes from ("the baseline"); None for none.
        ``measures`` are the run's per-file measures of the gate."""
        return None

    def keep(self, checker: Checker, findings: list[Finding]) -> list[Finding]:
        """The findings of this gate that still count."""
        return findings

    def verdict(self, checker: Checker, result: GateResult) -> GateResult:
        """The gate's verdict, e.g. with a note added to its summary."""
        return result
