"""``--gates-max-memory`` (``max-memory`` in ``[tool.gates.perf]``): the session's peak memory.

The figure is the peak resident set size (RSS) of the largest process of the session, as
the kernel counts it (``getrusage``'s ``ru_maxrss``): the test process itself, each
subprocess it ran and waited for, and under pytest-xdist every worker, which reports its
own peak to the controller. The largest one is judged, not the sum: a worker's peak is
what the code under test needed in one process, the same figure with or without ``-n``,
where a sum would grow with the number of workers. The peak covers the whole process
(interpreter, pytest, imports, every test), not only what Python allocated (tracemalloc,
which the per-test ``budget`` marker uses): it is what the operating system had to give.
"""

from __future__ import annotations

import sys
from typing import Any

import pytest

WORKER_KEY = "gates_peak_rss"


def process_peak_rss() -> int | None:
    """Peak RSS in bytes of this process or of any waited-for child; None where unknown."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows has no getrusage
        return None
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    scale = 1 if sys.platform == "darwin" else 1024  # macOS counts bytes, Linux KiB
    return max(own, children) * scale


def size_text(value: float) -> str:
    """Bytes for people: 1.23 GB, 456.0 MB (decimal units, as limits are usually written)."""
    for unit, factor in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if value >= factor:
            return f"{value / factor:.3g} {unit}" if unit == "GB" else f"{value / factor:.1f} {unit}"
    return f"{value:.0f} B"


class SessionMemoryPlugin:
    """Workers report their peak; the controller (or the only process) judges the largest."""

    def __init__(self, max_memory: int) -> None:
        self.max_memory = max_memory
        self.peaks: list[int] = []
        self.peak: int | None = None

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        peak = getattr(node, "workeroutput", {}).get(WORKER_KEY)
        if isinstance(peak, int):
            self.peaks.append(peak)

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        own = process_peak_rss()
        config = session.config
        if hasattr(config, "workerinput"):
            config.workeroutput[WORKER_KEY] = own  # type: ignore[attr-defined]
            return
        known = [p for p in (own, *self.peaks) if p is not None]
        if not known:
            return
        self.peak = max(known)
        if self.peak > self.max_memory and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.peak is None:
            if not self.peaks and process_peak_rss() is None:  # pragma: no cover - Windows
                terminalreporter.write_line("gates: max-memory not measured (no getrusage here)")
            return
        ok = self.peak <= self.max_memory
        head = "passed" if ok else "FAILED"
        style = {"green": True} if ok else {"red": True, "bold": True}
        processes = f"largest of {len(self.peaks) + 1} processes" if self.peaks else "one process"
        terminalreporter.write_line(
            f"gates: session peak memory {head}: {size_text(self.peak)} ({processes}, peak RSS; "
            f"max-memory {size_text(self.max_memory)})",
            **style,
        )
