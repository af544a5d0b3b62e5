"""``pytest --gates-shard=DIR``: this run is one shard of a split suite; write its record.

At the end of the session the controller (the only process without pytest-xdist) writes
into DIR the shard record (:mod:`gates.combine.record`) and, when coverage was measured,
the session's coverage data as ``.coverage.gates-shard-<name>``; ``gates combine`` judges
every shard together. A shard does not judge its own fraction of the coverage, and leaves
the perf baselines to the combine step; per-test budgets, perf verdicts, max-duration and
max-memory still fail the shard itself.

The shard's name and index come from ``--gates-shard-name/-index/-total``, else the
``GATES_SHARD_NAME/_INDEX/_TOTAL`` environment variables, else pytest-split's ``--group``
and ``--splits``.
"""

from __future__ import annotations

import dataclasses
import os
import socket
import time
from collections.abc import Generator
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from gates.errors import UsageError
from pytest_gates.options import PluginSettings

PEAK_KEY = "gates_shard_peak_rss"
ENV_DIR, ENV_NAME, ENV_INDEX, ENV_TOTAL = (
    "GATES_SHARD_DIR", "GATES_SHARD_NAME", "GATES_SHARD_INDEX", "GATES_SHARD_TOTAL")


def add_shard_options(add: Any) -> None:
    add("--gates-shard", metavar="DIR", default=None,
        help="this run is one shard of a split suite: write its record (coverage data, perf, "
        "budgets, tests run) into DIR for `gates combine` (env GATES_SHARD_DIR)")
    add("--gates-shard-name", metavar="NAME", default=None,
        help="the shard's name (env GATES_SHARD_NAME; default its index)")
    add("--gates-shard-index", metavar="I", type=int, default=None,
        help="the shard's index, 1 to N (env GATES_SHARD_INDEX; default pytest-split's --group)")
    add("--gates-shard-total", metavar="N", type=int, default=None,
        help="how many shards there are (env GATES_SHARD_TOTAL; default pytest-split's --splits)")


class ShardIdentity(NamedTuple):
    folder: Path
    name: str
    number: int | None
    total: int | None


def _number(config: pytest.Config, option: str, env: str, fallback: str) -> int | None:
    value = getattr(config.option, option, None)
    if value is None and os.environ.get(env):
        try:
            value = int(os.environ[env])
        except ValueError:
            raise pytest.UsageError(f"gates: {env}={os.environ[env]!r} is not a whole number") from None
    if value is None:
        value = getattr(config.option, fallback, None)  # pytest-split
    if value is not None and value < 1:
        raise pytest.UsageError(f"gates: the shard's {option.rsplit('_', 1)[-1]} must be 1 or more, got {value}")
    return value if value is None else int(value)


def shard_identity(config: pytest.Config) -> ShardIdentity | None:
    """Where this shard writes and who it is; None when the run is not a shard."""
    folder = getattr(config.option, "gates_shard", None) or os.environ.get(ENV_DIR)
    if not folder:
        return None
    index = _number(config, "gates_shard_index", ENV_INDEX, "group")
    total = _number(config, "gates_shard_total", ENV_TOTAL, "splits")
    if index is not None and total is not None and index > total:
        raise pytest.UsageError(f"gates: shard index {index} is beyond the {total} shards")
    name = getattr(config.option, "gates_shard_name", None) or os.environ.get(ENV_NAME)
    if not name:
        name = str(index) if index is not None else f"{socket.gethostname()}-{os.getpid()}"
    return ShardIdentity(Path(folder).absolute(), name, index, total)


def _outcome(previous: str | None, report: pytest.TestReport) -> str:
    if report.failed:
        return "failed" if report.when == "call" else "errors"
    if report.skipped:
        return previous if previous in ("failed", "errors") else "skipped"
    if report.when == "call":
        return previous if previous in ("failed", "errors", "skipped") else "passed"
    return previous or "passed"


class ShardPlugin:
    """Registered on the controller and on xdist workers (which report their peak memory)."""

    def __init__(self, identity: ShardIdentity, settings: PluginSettings, seed: int | None) -> None:
        self.identity = identity
        self.settings = settings
        self.seed = seed
        self.started = time.perf_counter()
        self.outcomes: dict[str, str] = {}
        self.peaks: list[int] = []
        self.written: Path | None = None
        self.error: str | None = None

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "setup" or report.nodeid in self.outcomes:
            self.outcomes[report.nodeid] = _outcome(self.outcomes.get(report.nodeid), report)

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        peak = getattr(node, "workeroutput", {}).get(PEAK_KEY)
        if isinstance(peak, int):
            self.peaks.append(peak)

    @pytest.hookimpl(wrapper=True, trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> Generator[None, Any, Any]:
        # Inside every other finisher: the coverage data is saved, the verdicts are in.
        result = yield
        from pytest_gates.budgets.session_memory import process_peak_rss

        config = session.config
        if hasattr(config, "workerinput"):
            config.workeroutput[PEAK_KEY] = process_peak_rss()  # type: ignore[attr-defined]
            return result
        if config.option.collectonly:
            return result
        try:
            self.written = self._write(session, process_peak_rss())
        except UsageError as exc:
            self.error = str(exc)
            session.exitstatus = pytest.ExitCode.USAGE_ERROR
        return result

    def _write(self, session: pytest.Session, own_peak: int | None) -> Path:
        from gates.combine.record import ShardRecord, current_commit, write_record

        config, settings, who = session.config, self.settings, self.identity
        peaks = [p for p in (own_peak, *self.peaks) if p is not None]
        coverage = self._coverage(config)
        counts = {key: 0 for key in ("passed", "failed", "skipped", "errors")}
        for outcome in self.outcomes.values():
            counts[outcome] += 1
        record = ShardRecord(
            name=who.name, number=who.number, total=who.total,
            commit=current_commit(settings.root), config=self._config_hash(coverage),
            tests=tuple(sorted(self.outcomes)), counts=counts, exitstatus=int(session.exitstatus),
            seed=self.seed, duration=round(time.perf_counter() - self.started, 3),
            peak_memory=max(peaks) if peaks else None, max_duration=settings.perf.max_duration,
            max_memory=settings.perf.max_memory, coverage=coverage, perf=self._perf(config),
            root=str(settings.root),
        )
        return write_record(who.folder, record)

    def _coverage(self, config: pytest.Config) -> dict[str, Any] | None:
        from gates.combine.record import COVERAGE_PREFIX, safe_name
        from pytest_gates.coverage.hooks import write_data

        gate = config.pluginmanager.get_plugin("gates-coverage")
        data = getattr(gate, "shard_data", None)
        if data is None:
            return None
        name = f"{COVERAGE_PREFIX}{safe_name(self.identity.name)}"
        self.identity.folder.mkdir(parents=True, exist_ok=True)
        write_data(data, self.identity.folder / name)
        return {"data": name, **getattr(gate, "shard_options", {})}

    def _perf(self, config: pytest.Config) -> dict[str, Any] | None:
        from gates.combine.record import changes_to_json

        plugin = config.pluginmanager.get_plugin("gates-perf")
        if plugin is None:
            return None
        options = plugin.options
        return {
            "file": options.file, "max_regression": options.max_regression, "mode": options.mode,
            "records": [record.to_json() for record in plugin.records],
            "changes": changes_to_json(plugin.changed),
        }

    def _config_hash(self, coverage: dict[str, Any] | None) -> str:
        from gates.combine.record import config_hash

        settings = self.settings
        judged = {key: value for key, value in (coverage or {}).items() if key != "data"}
        return config_hash({
            "coverage": dataclasses.asdict(settings.coverage), "coverage_on": settings.coverage_on,
            "judged": judged, "perf": dataclasses.asdict(settings.perf),
            "seeds": dataclasses.asdict(settings.seeds), "seeds_on": settings.seeds_on,
        })

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.error:
            terminalreporter.write_line(f"ERROR: gates: {self.error}", red=True, bold=True)
        elif self.written is not None:
            terminalreporter.write_line(
                f"gates: shard record {self.written} written; `gates combine` judges the shards together")
