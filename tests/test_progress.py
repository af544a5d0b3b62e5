"""The progress bar: drawn only on a terminal, and only once the audit has lasted a moment."""

from __future__ import annotations

import io

from gates.cli.output import progress_for
from gates.reporters.terminal import DelayedProgress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_quick_audit_draws_nothing() -> None:
    clock, stream = Clock(), Terminal()
    progress = DelayedProgress(stream, delay=0.75, clock=clock)
    for done in range(1, 11):
        clock.now += 0.05
        progress(done, 10)
    progress.close()
    assert not progress.shown
    assert stream.getvalue() == ""


def test_a_slow_audit_draws_a_bar_that_counts_files() -> None:
    clock, stream = Clock(), Terminal()
    progress = DelayedProgress(stream, delay=0.75, clock=clock)
    progress(1, 40)
    assert not progress.shown
    clock.now += 1.0
    progress(2, 40)
    assert progress.shown
    progress(40, 40)
    progress.close()
    assert "auditing" in stream.getvalue() and "40/40" in stream.getvalue()


def test_no_progress_bar_off_a_terminal() -> None:
    assert progress_for(io.StringIO()) is None
    assert isinstance(progress_for(Terminal()), DelayedProgress)
