"""What the coverage gate shows at the end of a test run: the verdict (or the figure alone
when no floor is configured), the files under ``min-file``, the uncovered changed lines."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gates.model import percent_text

if TYPE_CHECKING:
    from gates.coverage.gate import Verdict

NO_FLOOR = (
    "; no floor configured, total not judged (set --gates-fail-under, --cov-fail-under "
    "or coverage.py's [report] fail_under)"
)


def summary_lines(
    verdict: Verdict | None, error: str | None, note: str | None,
    floor_from: str = "", floor_configured: bool = True,
) -> list[tuple[str, dict[str, bool]]]:
    """What the end of the run shows: the verdict, the low files, the uncovered changes.

    Without gates' own floor the total is judged on pytest-cov's or coverage.py's (named),
    and with neither it is only reported."""
    if error:
        return [(f"ERROR: gates: {error}", {"red": True, "bold": True})]
    if note:
        return [(f"coverage gate {note}", {"yellow": True})]
    if verdict is None:
        return []
    lines = [_verdict_line(verdict, floor_from, floor_configured)]
    return lines + _low_file_lines(verdict) + _uncovered_change_lines(verdict)


def _verdict_line(verdict: Verdict, floor_from: str, floor_configured: bool) -> tuple[str, dict[str, bool]]:
    head = "passed" if verdict.passed else "FAILED"
    style = {"green": True} if verdict.passed else {"red": True, "bold": True}
    summary = verdict.summary
    if not floor_configured and floor_from:
        summary += f" ({floor_from})"
    elif not floor_configured and not verdict.low_files and verdict.diff is None:
        head, style = "reported", {}
        summary = f"total {_shown_total(verdict)} ({verdict.figures.kind}){NO_FLOOR}"
    return f"GT301 coverage {head}: {summary}", style


def _shown_total(verdict: Verdict) -> str:
    return percent_text(verdict.figures.total, verdict.figures.precision)


def _low_file_lines(verdict: Verdict) -> list[tuple[str, dict[str, bool]]]:
    if not verdict.low_files:
        return []
    floor = percent_text(verdict.options.min_file)
    lines: list[tuple[str, dict[str, bool]]] = [(f"files under min-file {floor}, least covered first:", {})]
    width = max(len(f.path) for f in verdict.low_files)
    for f in verdict.low_files:
        shown = percent_text(f.percent, verdict.figures.precision)
        lines.append((f"  {f.path.ljust(width)}  {shown}", {}))
    return lines


def _uncovered_change_lines(verdict: Verdict) -> list[tuple[str, dict[str, bool]]]:
    from gates.coverage.gate import line_ranges

    if verdict.diff is None or verdict.diff.total <= verdict.diff.covered:
        return []
    lines: list[tuple[str, dict[str, bool]]] = [
        (f"changed lines not covered (since {verdict.diff.base}):", {})
    ]
    for changes in verdict.diff.files:
        if changes.uncovered:
            lines.append((f"  {changes.path}: {line_ranges(changes.uncovered)}", {}))
    return lines
