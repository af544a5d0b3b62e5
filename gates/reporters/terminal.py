"""What gates draws on an interactive terminal: the scorecard table and the progress bar.

rich is imported inside these functions only, when something is actually drawn, so
``gates check`` in a pre-commit hook never pays for importing it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from gates.model import ChecklistItem, RunResult
from gates.reporters.checklist import item_line, result_verdict, status_word
from gates.reporters.printable import printable
from gates.reporters.scorecard import ScoreRow, project_name, scorecard_rows, verdict_line

if TYPE_CHECKING:
    from rich.text import Text

# A run shorter than this shows no progress bar at all: it would only flicker.
PROGRESS_DELAY_SECONDS = 0.75


def _console(out: TextIO, color: bool, width: int | None) -> Any:
    from rich.console import Console

    return Console(
        file=out,
        color_system="auto" if color else None,
        no_color=not color,
        highlight=False,
        emoji=False,
        width=width,
    )


def _summary(row: ScoreRow) -> Text:
    from rich.text import Text

    text = Text(printable(row.gate.summary) if row.gate.summary != row.measured else "")
    if row.gate.note:
        text.append(f"\n{row.gate.note}" if text else row.gate.note, style="italic")
    return text


def _titled_table(result: RunResult, command: str) -> Any:
    """A rich table titled with the command, the project and how many files it checked."""
    from rich import box
    from rich.table import Table

    files = f"{result.files_checked:,} file{'s' if result.files_checked != 1 else ''}"
    return Table(
        title=f"{command}: {project_name(result.root)} ({files})",
        title_justify="left", title_style="bold", box=box.SIMPLE_HEAD, header_style="bold",
    )


def _scorecard_table(result: RunResult) -> Any:
    from rich.text import Text

    table = _titled_table(result, "gates report")
    table.add_column("gate", no_wrap=True)
    table.add_column("measured", justify="right", no_wrap=True)
    table.add_column("limit", no_wrap=True)
    table.add_column("verdict", no_wrap=True)
    table.add_column("summary")
    for row in scorecard_rows(result, ascii_only=False):
        gate = Text(row.gate.name, style="bold")
        gate.append(f" {row.gate.code}", style="dim")
        verdict = Text("✔ passed", style="green") if row.gate.passed else Text("✘ FAILED", style="bold red")
        table.add_row(gate, row.measured, row.limit, verdict, _summary(row))
    return table


def _offenders_table(result: RunResult) -> Any:
    from rich import box
    from rich.table import Table

    rows = [row for row in scorecard_rows(result) if row.offenders and not row.gate.passed]
    if not rows:
        return None
    table = Table(title="worst offenders", title_justify="left", title_style="bold",
                  box=box.SIMPLE, show_header=False)
    table.add_column("gate", style="bold", no_wrap=True)
    table.add_column("where", overflow="fold")
    table.add_column("how bad", justify="right", no_wrap=True)
    for row in rows:
        for index, offender in enumerate(row.offenders):
            table.add_row(row.gate.name if index == 0 else "", printable(offender.where), offender.amount)
    return table


def draw_scorecard(result: RunResult, out: TextIO, *, color: bool, width: int | None = None) -> None:
    """The scorecard as rich tables: aligned, wrapped to the terminal, coloured when allowed."""
    from rich.text import Text

    console = _console(out, color, width)
    console.print(_scorecard_table(result))
    offenders = _offenders_table(result)
    if offenders is not None:
        console.print(offenders)
    console.print(Text(verdict_line(result), style="bold " + ("green" if result.passed else "red")))


_CHECKLIST_STYLES = {"passed": ("\u2714 ", "green"), "failed": ("\u2718 ", "bold red")}


def _checklist_verdict(item: ChecklistItem) -> Text:
    from rich.text import Text

    mark, style = _CHECKLIST_STYLES.get(item.status, ("\u2013 ", "dim"))
    return Text(mark + status_word(item), style=style)


def draw_checklist(result: RunResult, out: TextIO, *, color: bool, width: int | None = None) -> None:
    """The roadmap's checklist as a rich table: one row per criterion, then the verdict."""
    from rich.text import Text

    checklist = result.checklist
    assert checklist is not None
    table = _titled_table(result, f"gates report --roadmap {checklist.roadmap}")
    table.add_column("verdict", no_wrap=True)
    table.add_column("line", style="dim", no_wrap=True)
    table.add_column("criterion")
    for item in checklist.items:
        table.add_row(_checklist_verdict(item), printable(item.where), item_line(item))
    for gate in checklist.other_failures:
        table.add_row(Text("\u2718 FAILED", style="bold red"), "", f"{gate.name} ({gate.code}) \u2014 {gate.summary}")
    console = _console(out, color, width)
    console.print(table)
    console.print(Text(result_verdict(result), style="bold " + ("green" if result.passed else "red")))


class DelayedProgress:
    """A progress callback for the engine that draws a bar on a terminal stream, but only
    once the run has lasted :data:`PROGRESS_DELAY_SECONDS`: a quick run shows nothing."""

    def __init__(
        self,
        stream: TextIO,
        *,
        delay: float = PROGRESS_DELAY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream
        self.delay = delay
        self.clock = clock
        self.started = clock()
        self._bar: Any = None
        self._task: Any = None

    @property
    def shown(self) -> bool:
        return self._bar is not None

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            if self.clock() - self.started < self.delay:
                return
            self._start(total)
        self._bar.update(self._task, completed=done, total=total)

    def _start(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        console = Console(file=self.stream, highlight=False)
        self._bar = Progress(
            "auditing", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=console, transient=True,
        )
        self._task = self._bar.add_task("audit", total=total)
        self._bar.start()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
