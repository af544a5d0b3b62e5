"""Absolute limits: ``@pytest.mark.budget(seconds=…, memory=…)`` per test, and
``--gates-max-duration`` for the whole session (timed on the controller under xdist)."""

from __future__ import annotations

import re
import time
import tracemalloc
from collections.abc import Generator
from typing import Any

import pytest

MARKER_HELP = (
    "budget(seconds=None, memory=None): fail the test when its call takes longer than "
    "`seconds` (wall clock) or allocates a peak above `memory` (bytes or '50 MB')"
)
_UNITS = {"": 1, "b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "kib": 2**10, "mib": 2**20, "gib": 2**30}


def parse_memory(value: Any) -> int:
    """Bytes from an int or a text like '50 MB' or '1.5 GiB'."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    match = re.fullmatch(r"\s*([0-9.]+)\s*([a-zA-Z]*)\s*", str(value))
    unit = match.group(2).lower() if match else ""
    if not match or unit not in _UNITS:
        raise ValueError(f"memory budget {value!r}: expected bytes or a size like '50 MB'")
    return int(float(match.group(1)) * _UNITS[unit])


def _limits(item: pytest.Item) -> tuple[float | None, int | None]:
    mark = item.get_closest_marker("budget")
    if mark is None:
        return None, None
    seconds = mark.kwargs.get("seconds")
    memory = mark.kwargs.get("memory")
    if mark.args or (seconds is None and memory is None):
        raise pytest.UsageError(f"{item.nodeid}: write @pytest.mark.budget(seconds=0.5, memory='50 MB')")
    try:
        return (float(seconds) if seconds is not None else None,
                parse_memory(memory) if memory is not None else None)
    except ValueError as exc:
        raise pytest.UsageError(f"{item.nodeid}: {exc}") from None


def over_budget(item: str, spent: float, peak: int, seconds: float | None, memory: int | None) -> str | None:
    """The failure message, or None within budget."""
    problems = []
    if seconds is not None and spent > seconds:
        problems.append(f"took {spent:.3f} s, budget {seconds:g} s")
    if memory is not None and peak > memory:
        problems.append(f"peak memory {peak:,} bytes, budget {memory:,} bytes")
    return f"budget exceeded: {item} {'; '.join(problems)}" if problems else None


class BudgetPlugin:
    """Per-test budgets on every process; the session limit on the controller only."""

    def __init__(self, max_duration: float) -> None:
        self.max_duration = max_duration
        self.started = time.perf_counter()
        self.spent: float | None = None

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Generator[None, Any, Any]:
        seconds, memory = _limits(item)
        if seconds is None and memory is None:
            return (yield)
        tracing = memory is not None and not tracemalloc.is_tracing()
        if tracing:
            tracemalloc.start()
        if memory is not None:
            tracemalloc.reset_peak()
        start = time.perf_counter()
        try:
            result = yield
        finally:
            spent = time.perf_counter() - start
            peak = tracemalloc.get_traced_memory()[1] if memory is not None else 0
            if tracing:
                tracemalloc.stop()
        problem = over_budget(item.nodeid, spent, peak, seconds, memory)
        if problem:
            pytest.fail(problem, pytrace=False)
        return result

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if not self.max_duration or hasattr(session.config, "workerinput"):
            return
        self.spent = time.perf_counter() - self.started
        if self.spent > self.max_duration and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.spent is None:
            return
        ok = self.spent <= self.max_duration
        head = "passed" if ok else "FAILED"
        style = {"green": True} if ok else {"red": True, "bold": True}
        terminalreporter.write_line(
            f"gates: session duration {head}: {self.spent:.2f} s (max-duration {self.max_duration:g} s)",
            **style,
        )
