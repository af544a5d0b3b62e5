"""The record of one measurement in a test run: what the ``perf`` fixture measured and
decided. Workers hand theirs to the controller as JSON objects (pytest-xdist carries
plain data only); the controller writes the baseline file and the summary from them."""

from __future__ import annotations

from typing import Any, NamedTuple

from gates.perf.records import Verdict


class PerfRecord(NamedTuple):
    """One benchmark (or memory measurement) of this run and its verdict.

    ``ratio`` and ``p`` are set once it was compared with timed samples; ``ratios`` (the
    samples) only when saving."""

    key: str
    verdict: Verdict
    memory: int | None = None  # peak bytes of one call
    median: float | None = None  # median ratio to the reference workload
    seconds: float | None = None  # the benchmark's own median time
    ratios: tuple[float, ...] | None = None
    ratio: float | None = None  # median / the baseline's level
    p: float | None = None
    remeasured: bool = False  # flagged once and measured again
    baseline_memory: int | None = None
    memory_regressed: bool = False
    replace: bool = False  # saved: the run replaces the stored ones (a new level)
    against: str | None = None  # A/B mode: the git ref measured in the same run
    bounds: tuple[float, float] | None = None  # A/B: the ratio's lower and upper bounds
    ab_note: str | None = None  # A/B mode asked but not possible for this benchmark: why

    def to_json(self) -> dict[str, Any]:
        data = self._asdict()
        data["verdict"] = self.verdict.value
        data["ratios"] = None if self.ratios is None else list(self.ratios)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PerfRecord:
        """A record from :meth:`to_json` (a worker's); a bad one is a bug, not bad input."""
        ratios = data.get("ratios")
        fields = {**data, "verdict": Verdict(data["verdict"])}
        fields["ratios"] = None if ratios is None else tuple(ratios)
        bounds = data.get("bounds")
        fields["bounds"] = None if bounds is None else (bounds[0], bounds[1])
        return cls(**fields)
