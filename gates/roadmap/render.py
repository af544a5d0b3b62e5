"""The roadmap checklist in every built-in output format; people's formats here, machines' in
:mod:`gates.roadmap.render_machine`.

text: one aligned line per criterion (``passed`` / ``FAILED`` / ``not measured``);
markdown: a list ticked ✅, crossed ❌ or marked ➖, to paste into the roadmap's tracking
issue; html: the same as a table on one self-contained page.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import TextIO

from gates.errors import UsageError
from gates.reporters.markdown import md
from gates.reporters.scorecard import project_name
from gates.roadmap.checklist import FAILED, PASSED, Checklist, Item

Render = Callable[[Checklist, TextIO, Path], None]
_WORDS = {PASSED: "passed", FAILED: "FAILED"}
_MARKS = {PASSED: "\u2705", FAILED: "\u274c"}
UNMEASURED_MARK = "\u2796"


def _word(item: Item) -> str:
    return _WORDS.get(item.status, "not measured")


def _line(item: Item) -> str:
    """``Largest file <800 lines — relays.py has 2,119 lines (limit ≤ 799 lines)``."""
    text = f"{item.criterion.text} \u2014 {item.detail}"
    if item.status == FAILED and item.limit_text:
        text += f" (limit {item.limit_text})"
    return text


def render_text(report: Checklist, out: TextIO, roadmap: Path) -> None:
    files = report.result.files_checked
    out.write(f"gates report --roadmap {report.roadmap}: {project_name(report.result.root)}"
              f" ({files:,} file{'s' if files != 1 else ''})\n\n")
    wheres = [item.criterion.where for item in report.items]
    width = max(map(len, wheres), default=0)
    for item, where in zip(report.items, wheres):
        out.write(f"{_word(item):<12}  {where:<{width}}  {_line(item)}\n")
    for gate in report.other_failures:
        out.write(f"{'FAILED':<12}  {'':<{width}}  {gate.name} ({gate.code}) \u2014 {gate.summary}\n")
    out.write(f"\n{report.verdict()}\n")


def render_markdown(report: Checklist, out: TextIO, roadmap: Path) -> None:
    mark = "\u2705" if report.passed else "\u274c"
    lines = [f"## {mark} Roadmap: {md(report.roadmap)}", "", f"**{md(report.verdict())}**", ""]
    for item in report.items:
        symbol = _MARKS.get(item.status, UNMEASURED_MARK)
        detail = md(item.detail) if item.status != "unmeasured" else f"not measured: {md(item.detail)}"
        limit = f" (limit {md(item.limit_text)})" if item.status == FAILED and item.limit_text else ""
        lines.append(f"- {symbol} {md(item.criterion.text)} \u2014 {detail}{limit} "
                     f"<sub>{md(item.criterion.where)}</sub>")
    for gate in report.other_failures:
        lines.append(f"- \u274c {md(gate.name)} ({gate.code}) \u2014 {md(gate.summary)}")
    out.write("\n".join(lines) + "\n")


_STYLE = (
    "body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:70em;padding:0 1em}"
    "table{border-collapse:collapse}th,td{padding:.3em .7em;text-align:left;border-bottom:1px solid #eaeef2}"
    ".passed{color:#1a7f37}.failed{color:#cf222e}.unmeasured{color:#59636e}"
)


def render_html(report: Checklist, out: TextIO, roadmap: Path) -> None:
    rows = []
    for item in report.items:
        cells = (_word(item), item.criterion.where, item.criterion.text, item.detail, item.limit_text)
        tds = "".join(f"<td>{escape(cell)}</td>" for cell in cells)
        rows.append(f'<tr class="{item.status}">{tds}</tr>')
    title = escape(f"Roadmap: {report.roadmap}")
    out.write(
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{_STYLE}</style></head><body><h1>{title}</h1><p>{escape(report.verdict())}</p>"
        "<table><tr><th>verdict</th><th>line</th><th>criterion</th><th>measured</th><th>limit</th></tr>"
        + "".join(rows) + "</table></body></html>\n"
    )


def renderer(fmt: str) -> Render:
    """The checklist writer for ``--format``; a format without one is a usage error."""
    from gates.roadmap import render_machine

    formats: dict[str, Render] = {
        "text": render_text, "markdown": render_markdown, "html": render_html,
        **render_machine.FORMATS,
    }
    if fmt not in formats:
        raise UsageError(f"--format {fmt}: the roadmap checklist is written as {', '.join(formats)}")
    return formats[fmt]
