"""GT303 in a test run: the ``perf`` fixture, judged against ``.performance_baselines.json``.

Workers (or the only process) measure and judge; the controller collects every record
and writes the baseline file once, at the end of the session, under a lock.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from gates.core.runtime_options import PerfOptions
from gates.perf import baselines as baselines
from gates.perf.records import JUDGED, LastVerdict, NewRun, PerfEntry, Verdict
from gates.perf.stats import decide, memory_regressed
from pytest_gates.perf.measure import TIMERS, Measurement, Sampler, peak_memory, tracer
from pytest_gates.perf.prune import Collected
from pytest_gates.perf.record import PerfRecord

if TYPE_CHECKING:
    from pytest_gates.perf.ab import ABMode

RECORDS_KEY = "gates_perf_records"
UNIT = "ratio to the reference workload"


class PerfPlugin:
    """Holds the session's baselines and the records of every measurement."""

    def __init__(self, options: PerfOptions, root: Path) -> None:
        self.options = options
        self.path = root / options.file
        self.baselines = baselines.load(self.path)  # UsageError when broken
        self.fingerprint = baselines.fingerprint()
        self.sampler = Sampler(
            TIMERS[options.timer], options.sample_time, options.samples, options.measure_time
        )
        self.records: list[PerfRecord] = []
        self.errors: list[str] = []
        self.collected = Collected()  # test ids of the session, for --gates-perf=prune
        self.pruned: list[str] = []
        self.traced_by: str | None = None
        # A shard (--gates-shard) leaves the baseline file to `gates combine`, which merges
        # every shard's changes at once; it cannot prune from a part of the suite either.
        self.sharded = False
        self.changed: dict[str, NewRun | LastVerdict] = {}
        self.ab: ABMode | None = None  # A/B mode (--gates-perf-against), started by start_ab

    def start_ab(self, config: Any, root: Path) -> None:
        """A/B mode when asked for and judging (saving measures the current code only)."""
        if self.options.against and self.options.mode in ("compare", "prune"):
            from pytest_gates.perf.ab import ABMode

            self.ab = ABMode.start(config, root, self.options.against)

    @pytest.hookimpl(optionalhook=True)
    def pytest_configure_node(self, node: Any) -> None:
        """pytest-xdist: workers measure against the controller's worktree of REF."""
        if self.ab is not None:
            from pytest_gates.perf.ab import WORKER_KEY

            node.workerinput[WORKER_KEY] = self.ab.for_worker()

    def measure(self, func: Callable[[], Any]) -> Measurement:
        return self.sampler.measure(func)

    def judge(self, key: str, func: Callable[[], Any] | None, memory: int | None) -> PerfRecord:
        """Measure ``func`` (unless memory only) and decide; the record of the decision."""
        entry = self.baselines.get(key)
        note = None
        if self.ab is not None and func is not None:
            judged = self.ab.judge(self.sampler, self.options, PerfRecord(key, Verdict.OK, memory), func)
            if judged.ab_note is None:
                return self._memory(judged, entry) if entry is not None else judged
            note = judged.ab_note  # not possible for this one: the stored baselines judge
        record = self._judge_stored(key, func, memory, entry)
        return record._replace(ab_note=note)

    def _judge_stored(self, key: str, func: Callable[[], Any] | None, memory: int | None,
                      entry: PerfEntry | None) -> PerfRecord:
        measured = self.measure(func) if func is not None else None
        record = PerfRecord(key, Verdict.SAVED, memory)
        if measured is not None:
            record = record._replace(median=measured.median, seconds=measured.seconds_median)
        if self.options.mode in ("save", "accept"):
            return record._replace(ratios=tuple(measured.ratios) if measured else None,
                                   replace=self._new_level(entry, measured))

        if entry is None:
            return record._replace(verdict=Verdict.NO_BASELINE)
        if entry.fingerprint != self.fingerprint and not self.options.any_machine:
            return record._replace(verdict=Verdict.OTHER_MACHINE)
        return self._compare(record, entry, func, measured)

    def _new_level(self, entry: PerfEntry | None, measured: Measurement | None) -> bool:
        """Whether a saved run replaces the stored ones: always with ``accept``; with
        ``save`` when it is at another level than they are (the code changed: averaging
        the two levels would judge the next run against neither)."""
        if self.options.mode == "accept":
            return True
        if entry is None or measured is None or not entry.runs or entry.fingerprint != self.fingerprint:
            return False
        options = self.options
        decision = decide(measured.ratios, entry.runs, options.max_regression, options.alpha, options.run_alpha)
        return decision.verdict != Verdict.OK

    def _compare(
        self, record: PerfRecord, entry: PerfEntry, func: Any, measured: Measurement | None
    ) -> PerfRecord:
        verdict = Verdict.OK
        if measured is not None:
            options = self.options
            limits = (options.max_regression, options.alpha, options.run_alpha)
            decision = decide(measured.ratios, entry.runs, *limits)
            if decision.verdict == Verdict.REGRESSED:  # a flagged benchmark is measured again
                again = self.measure(func)  # and fails only when flagged again
                decision = decide(again.ratios, entry.runs, *limits)
                record = record._replace(median=again.median, seconds=again.seconds_median,
                                 remeasured=True)
            verdict = decision.verdict
            record = record._replace(ratio=decision.ratio, p=decision.p_value)
        return self._memory(record._replace(verdict=verdict), entry)

    def _memory(self, record: PerfRecord, entry: PerfEntry) -> PerfRecord:
        """``record`` with the peak-memory check against the stored baseline."""
        memory = record.memory
        if self.options.memory_check and memory is not None and entry.memory:
            record = record._replace(baseline_memory=entry.memory)
            if memory_regressed(memory, entry.memory, self.options.memory_regression):
                return record._replace(memory_regressed=True, verdict=Verdict.REGRESSED)
        return record

    def changes(self, records: list[PerfRecord]) -> dict[str, NewRun | LastVerdict]:
        """What the controller writes: new runs when saving, changed verdicts otherwise."""
        changes: dict[str, NewRun | LastVerdict] = {}
        for r in records:
            if r.verdict == Verdict.SAVED:
                changes[r.key] = NewRun(
                    r.ratios, r.median, r.seconds, r.memory, UNIT, self.options.timer,
                    self.fingerprint, r.replace,
                )
            elif r.key in self.baselines and r.verdict in JUDGED and r.against is None:
                ratio = None if r.ratio is None else round(r.ratio, 3)
                stored = self.baselines[r.key].last
                if stored is None or stored.verdict != r.verdict:
                    changes[r.key] = LastVerdict(r.verdict, ratio)
        return changes

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        sent = getattr(node, "workeroutput", {}).get(RECORDS_KEY, [])
        self.records.extend(PerfRecord.from_json(data) for data in sent)

    def pytest_itemcollected(self, item: pytest.Item) -> None:
        self.collected.add(item.nodeid)

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node: Any, ids: list[str]) -> None:
        for nodeid in ids:
            self.collected.add(nodeid)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        config = session.config
        if hasattr(config, "workerinput"):
            sent = [record.to_json() for record in self.records]
            config.workeroutput[RECORDS_KEY] = sent  # type: ignore[attr-defined]
            return
        from gates.errors import UsageError

        changes = self.changes(self.records)
        if self.sharded:
            self.changed = changes
            return
        try:
            if changes:
                baselines.update(self.path, changes)
            if self.options.mode == "prune" and session.exitstatus in (0, 1):
                self.pruned = self.collected.stale(self.baselines, session.config.rootpath)
                if self.pruned:
                    baselines.prune(self.path, self.pruned)
        except UsageError as exc:
            self.errors.append(str(exc))
            session.exitstatus = pytest.ExitCode.USAGE_ERROR

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        from pytest_gates.perf.summary import summary_lines

        lines = summary_lines(self.records, self.options, self.errors, self.pruned, self.traced_by,
                             self.ab.problem if self.ab is not None else None)
        if lines:
            terminalreporter.write_sep("-", "gates: performance (GT303)")
            for text, style in lines:
                terminalreporter.write_line(text, **style)


class Perf:
    """The ``perf`` fixture: ``perf(func, *args, **kwargs)`` measures and returns the result."""

    def __init__(self, plugin: PerfPlugin | None, nodeid: str, mode: str) -> None:
        self._plugin = plugin
        self._nodeid = nodeid
        self._mode = mode

    def __call__(self, func: Callable[..., Any], *args: Any, name: str = "", **kwargs: Any) -> Any:
        return self._run(functools.partial(func, *args, **kwargs), name, timed=True)

    def memory(self, func: Callable[..., Any], *args: Any, name: str = "", **kwargs: Any) -> Any:
        """Measure the peak memory of one call only."""
        return self._run(functools.partial(func, *args, **kwargs), name, timed=False)

    def _run(self, call: Callable[[], Any], name: str, timed: bool) -> Any:
        plugin = self._plugin
        if plugin is None or self._mode == "off":
            return call()
        key = f"{self._nodeid}::{name}" if name else self._nodeid
        if tracer() is not None:  # its timings and allocations are the tracer's
            plugin.records.append(PerfRecord(key, Verdict.TRACED))
            plugin.traced_by = plugin.traced_by or tracer()
            return call()
        result, memory = peak_memory(call)
        record = plugin.judge(key, call if timed else None, memory)
        plugin.records.append(record)
        if record.verdict == Verdict.OTHER_MACHINE:
            warnings.warn(
                f"gates: baseline of {key} was saved on another machine; not compared "
                "(--gates-perf-any-machine compares anyway)", stacklevel=3,
            )
        if record.verdict == Verdict.REGRESSED:
            from pytest_gates.perf.summary import failure_text

            pytest.fail(failure_text(record, plugin.options), pytrace=False)
        return result
