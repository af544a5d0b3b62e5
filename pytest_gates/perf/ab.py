"""A/B mode of GT303 in a session: the worktree of REF, shared with pytest-xdist workers,
and the judgement of one benchmark against REF's code measured in the same run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from gates.core.runtime_options import PerfOptions
from gates.perf.records import Verdict
from gates.perf.stats import decide_paired
from pytest_gates.perf.against import OldTree, Worktree
from pytest_gates.perf.measure import Sampler
from pytest_gates.perf.record import PerfRecord

WORKER_KEY = "gates_perf_against"


class ABMode:
    """REF's code beside the current code, or the reason why not (``problem``)."""

    def __init__(self, ref: str) -> None:
        self.ref = ref
        self.old: OldTree | None = None
        self.problem: str | None = None
        self.worktree: Worktree | None = None
        self.commit = ""

    @classmethod
    def start(cls, config: Any, root: Path, ref: str) -> ABMode:
        """The controller (or the only process) checks REF out and removes it at the end
        of the session; a pytest-xdist worker uses the controller's worktree."""
        mode = cls(ref)
        workerinput = getattr(config, "workerinput", None)
        if workerinput is not None:
            sent = workerinput.get(WORKER_KEY) or {"problem": "the controller sent no worktree"}
            mode.problem = sent.get("problem")
            if mode.problem is None:
                mode.old = OldTree(Path(sent["top"]), Path(sent["tree"]), ref)
                mode.commit = sent["commit"]
            return mode
        made = Worktree.create(root, ref)
        if isinstance(made, str):
            mode.problem = made
            return mode
        config.add_cleanup(made.remove)
        mode.worktree, mode.commit = made, made.commit
        mode.old = OldTree(made.top, made.tree, ref)
        return mode

    def for_worker(self) -> dict[str, str]:
        if self.worktree is None:
            return {"problem": self.problem or "no worktree"}
        return {"top": str(self.worktree.top), "tree": str(self.worktree.tree), "commit": self.commit}

    def judge(self, sampler: Sampler, options: PerfOptions, record: PerfRecord,
              func: Callable[[], Any]) -> PerfRecord:
        """``record`` judged against REF's code, or with ``ab_note`` saying why it was not."""
        if self.old is None:
            return record._replace(ab_note=self.problem)
        old = self.old.counterpart(func)
        if isinstance(old, str):
            return record._replace(ab_note=old)
        try:
            old()
        except Exception as exc:  # REF's code may not accept today's call
            return record._replace(ab_note=f"{self.ref}'s version raised {type(exc).__name__}: {exc}")
        measured = sampler.measure_pair(func, old)
        decision = decide_paired(measured.ratios, options.ab_max_regression, options.alpha)
        if decision.verdict == Verdict.REGRESSED:  # measured again; fails only if again
            measured = sampler.measure_pair(func, old)
            decision = decide_paired(measured.ratios, options.ab_max_regression, options.alpha)
            record = record._replace(remeasured=True)
        return record._replace(
            verdict=decision.verdict, ratio=decision.ratio, p=decision.p_value,
            bounds=(decision.low, decision.high), against=self.ref,
            seconds=measured.seconds_median, median=None,
        )
