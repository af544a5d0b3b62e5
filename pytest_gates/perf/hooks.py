"""GT303 in a test run: the ``perf`` fixture, judged against ``.performance_baselines.json``.

Workers (or the only process) measure and judge; the controller collects every record
and writes the baseline file once, at the end of the session, under a lock.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gates.perf import baselines as baselines
from gates.perf.stats import REGRESSED, decide, memory_regressed
from gates.core.runtime_options import PerfOptions
from pytest_gates.perf.measure import TIMERS, Measurement, Sampler, peak_memory

RECORDS_KEY = "gates_perf_records"
NO_BASELINE = "no baseline"
OTHER_MACHINE = "other machine"
SAVED = "saved"


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
        self.records: list[dict[str, Any]] = []

    def measure(self, func: Callable[[], Any]) -> Measurement:
        return self.sampler.measure(func)

    def judge(self, key: str, func: Callable[[], Any] | None, memory: int | None) -> dict[str, Any]:
        """Measure ``func`` (unless memory only) and decide; the record of the decision."""
        record: dict[str, Any] = {"key": key, "memory": memory}
        measured = self.measure(func) if func is not None else None
        if measured is not None:
            record.update(median=measured.median, seconds=measured.seconds_median)
        if self.options.mode == "save":
            record.update(verdict=SAVED, ratios=measured.ratios if measured else None)
            return record
        entry = self.baselines.get(key)
        if entry is None:
            record["verdict"] = NO_BASELINE
        elif entry.get("fingerprint") != self.fingerprint and not self.options.any_machine:
            record["verdict"] = OTHER_MACHINE
        else:
            self._compare(record, entry, func, measured)
        return record

    def _compare(
        self, record: dict[str, Any], entry: dict[str, Any], func: Any, measured: Any
    ) -> None:
        verdict = "ok"
        if measured is not None:
            base = entry["runs"]
            options = self.options
            limits = (options.max_regression, options.alpha, options.run_alpha)
            decision = decide(measured.ratios, base, *limits)
            if decision.verdict == REGRESSED:  # a flagged benchmark is measured again
                again = self.measure(func)  # and fails only when flagged again
                decision = decide(again.ratios, base, *limits)
                record.update(median=again.median, seconds=again.seconds_median, remeasured=True)
            verdict = decision.verdict
            record.update(ratio=decision.ratio, p=decision.p_value, baseline=entry.get("median"))
        stored_memory = entry.get("memory")
        if self.options.memory_check and record["memory"] is not None and stored_memory:
            record["baseline_memory"] = stored_memory
            if memory_regressed(record["memory"], stored_memory, self.options.memory_regression):
                record["memory_regressed"] = True
                verdict = REGRESSED
        record["verdict"] = verdict

    def changes(self, records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
        """What the controller writes: new runs when saving, changed verdicts otherwise."""
        changes: dict[str, dict[str, Any]] = {}
        for r in records:
            if r["verdict"] == SAVED:
                changes[r["key"]] = {
                    "save": True,
                    "run": r.get("ratios"),
                    "median": r.get("median"),
                    "seconds": r.get("seconds"),
                    "memory": r.get("memory"),
                    "unit": "ratio to the reference workload",
                    "timer": self.options.timer,
                    "fingerprint": self.fingerprint,
                }
            elif r["key"] in self.baselines and r["verdict"] != OTHER_MACHINE:
                last = {"verdict": r["verdict"]}
                if "ratio" in r:
                    last["ratio"] = round(r["ratio"], 3)
                if self.baselines[r["key"]].get("last", {}).get("verdict") != r["verdict"]:
                    changes[r["key"]] = {"last": last}
        return changes

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        self.records.extend(getattr(node, "workeroutput", {}).get(RECORDS_KEY, []))

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        config = session.config
        if hasattr(config, "workerinput"):
            config.workeroutput[RECORDS_KEY] = self.records  # type: ignore[attr-defined]
            return
        changes = self.changes(self.records)
        if changes:
            from gates.errors import UsageError

            try:
                baselines.update(self.path, changes)
            except UsageError as exc:
                self.records.append({"key": "", "verdict": "error", "error": str(exc)})
                session.exitstatus = pytest.ExitCode.USAGE_ERROR

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        from pytest_gates.perf.summary import summary_lines

        lines = summary_lines(self.records, self.options)
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
        result, memory = peak_memory(call)
        key = f"{self._nodeid}::{name}" if name else self._nodeid
        record = plugin.judge(key, call if timed else None, memory)
        plugin.records.append(record)
        if record["verdict"] == OTHER_MACHINE:
            warnings.warn(
                f"gates: baseline of {key} was saved on another machine; not compared "
                "(--gates-perf-any-machine compares anyway)", stacklevel=3,
            )
        if record["verdict"] == REGRESSED:
            from pytest_gates.perf.summary import failure_text

            pytest.fail(failure_text(record, plugin.options), pytrace=False)
        return result
