"""What every format says about a roadmap checklist (``RunResult.checklist``): the words.

The checklist is judged once, by :mod:`gates.roadmap.checklist`; each reporter lays it out
in its own module and takes the shared sentences from here, so a criterion reads the same
in text, on the terminal, in Markdown and in HTML.
"""

from __future__ import annotations

from gates.reporters.printable import printable

from gates.model import Checklist, ChecklistItem, RunResult

_WORDS = {"passed": "passed", "failed": "FAILED"}
_MARKS = {"passed": "\u2705", "failed": "\u274c"}
UNMEASURED_MARK = "\u2796"


def status_word(item: ChecklistItem) -> str:
    """``passed``, ``FAILED`` or ``not measured``."""
    return _WORDS.get(item.status, "not measured")


def status_mark(item: ChecklistItem) -> str:
    """✅, ❌ or ➖."""
    return _MARKS.get(item.status, UNMEASURED_MARK)


def item_line(item: ChecklistItem) -> str:
    """``Largest file <800 lines — relays.py has 2,119 lines (limit ≤ 799 lines)``."""
    text = f"{item.text} \u2014 {item.detail}"
    if item.status == "failed" and item.limit_text:
        text += f" (limit {item.limit_text})"
    return printable(text)


def checklist_verdict(checklist: Checklist, files_checked: int) -> str:
    """``3 of 4 measured criteria met, 1 failed; 2 not measured (12 files checked)``."""
    met, failed = checklist.tally("passed"), checklist.tally("failed")
    unmeasured = checklist.tally("unmeasured")
    parts = f"{met} of {met + failed} measured criteria met" if met + failed else "no criterion measured"
    if failed:
        parts += f", {failed} failed"
    if unmeasured:
        parts += f"; {unmeasured} not measured"
    if checklist.other_failures:
        parts += "; also failed: " + ", ".join(f"{g.name} ({g.code})" for g in checklist.other_failures)
    return f"{parts} ({files_checked:,} file{'s' if files_checked != 1 else ''} checked)"


def result_verdict(result: RunResult) -> str:
    """:func:`checklist_verdict` of a run that measured a roadmap."""
    assert result.checklist is not None
    return checklist_verdict(result.checklist, result.files_checked)
