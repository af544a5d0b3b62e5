"""``--format html``: one self-contained page (inline style, no script, no network).

The scorecard, the worst offenders, each gate's per-item figures, a per-file table and
every finding grouped by file. Every string is escaped: a file or symbol named
``<script>`` shows as text and never runs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from html import escape
from typing import TextIO

from gates import __version__
from gates.model import Finding, RunResult
from gates.reporters import ReportOptions
from gates.reporters.checklist import result_verdict, status_word
from gates.reporters.scorecard import ScoreRow, item_value, project_name, scorecard_rows, verdict_line

_STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:75em;
padding:0 1em;color:#1f2328}
h1{font-size:1.6em}h2{font-size:1.25em;margin-top:2em;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse;margin:.5em 0 1em}th,td{padding:.3em .7em;text-align:left;
vertical-align:top;border-bottom:1px solid #eaeef2}th{background:#f6f8fa}
td.num{text-align:right;font-variant-numeric:tabular-nums}code{font-size:.95em}
.passed{color:#1a7f37;font-weight:600}.FAILED{color:#cf222e;font-weight:600}
.note{color:#59636e;font-style:italic}.verdict{font-size:1.1em;font-weight:600}
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _table(headings: Sequence[str], rows: Iterable[Sequence[str]], numeric: Sequence[int] = ()) -> str:
    """A table from already-escaped cells; the columns in ``numeric`` align right."""
    head = "".join(f"<th>{h}</th>" for h in headings)
    body = []
    for row in rows:
        cells = "".join(
            f'<td class="num">{cell}</td>' if index in numeric else f"<td>{cell}</td>"
            for index, cell in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _scorecard(rows: list[ScoreRow]) -> str:
    def summary(row: ScoreRow) -> str:
        note = f'<br><span class="note">{_e(row.gate.note)}</span>' if row.gate.note else ""
        return _e(row.gate.summary) + note

    cells = [
        (f"{_e(r.gate.name)} <code>{_e(r.gate.code)}</code>", _e(r.measured), _e(r.limit),
         f'<span class="{r.verdict}">{r.verdict}</span>', summary(r))
        for r in rows
    ]
    return _table(("gate", "measured", "limit", "verdict", "summary"), cells, numeric=(1,))


def _offenders(rows: list[ScoreRow]) -> str:
    cells = [
        (_e(row.gate.name), f"<code>{_e(o.where)}</code>", _e(o.amount))
        for row in rows
        if not row.gate.passed
        for o in row.offenders
    ]
    if not cells:
        return ""
    return "<h2>Worst offenders</h2>" + _table(("gate", "where", "how bad"), cells, numeric=(2,))


def _details(rows: list[ScoreRow]) -> str:
    parts = []
    for row in rows:
        if row.gate.details:
            cells = [(f"<code>{_e(k)}</code>", _e(item_value(v, row.gate))) for k, v in row.gate.details]
            parts.append(f"<h2>{_e(row.gate.name)} per item</h2>" + _table(("item", "measured"), cells, (1,)))
    return "".join(parts)


def _per_file(result: RunResult) -> str:
    if not result.findings:
        return ""
    codes = [gate.code for gate in result.gates]
    counts: dict[str, Counter[str]] = {}
    for finding in result.findings:
        counts.setdefault(finding.path, Counter())[finding.code] += 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1].total(), item[0]))
    cells = [
        (f'<a href="#f{index}"><code>{_e(path)}</code></a>', *(str(c[code] or "") for code in codes), str(c.total()))
        for index, (path, c) in enumerate(ranked)
    ]
    numeric = tuple(range(1, len(codes) + 2))
    return "<h2>Files</h2>" + _table(("file", *map(_e, codes), "total"), cells, numeric)


def _findings(result: RunResult) -> str:
    by_file: dict[str, list[Finding]] = {}
    for finding in result.findings:
        by_file.setdefault(finding.path, []).append(finding)
    ranked = sorted(by_file, key=lambda path: (-len(by_file[path]), path))
    parts = ["<h2>Findings</h2>"] if ranked else []
    for index, path in enumerate(ranked):
        cells = [
            (str(f.line), str(f.column), _e(f.code), _e(f.message), f"<code>{_e(f.symbol or '')}</code>")
            for f in by_file[path]
        ]
        parts.append(f'<h3 id="f{index}"><code>{_e(path)}</code></h3>')
        parts.append(_table(("line", "col", "code", "message", "symbol"), cells, numeric=(0, 1)))
    return "".join(parts)


_CHECKLIST_STYLE = (
    "body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:70em;padding:0 1em}"
    "table{border-collapse:collapse}th,td{padding:.3em .7em;text-align:left;border-bottom:1px solid #eaeef2}"
    ".passed{color:#1a7f37}.failed{color:#cf222e}.unmeasured{color:#59636e}"
)


def _checklist_page(result: RunResult) -> str:
    """The roadmap's checklist as a table on one self-contained page."""
    checklist = result.checklist
    assert checklist is not None
    rows = []
    for item in checklist.items:
        cells = (status_word(item), item.where, item.text, item.detail, item.limit_text)
        tds = "".join(f"<td>{escape(cell)}</td>" for cell in cells)
        rows.append(f'<tr class="{item.status}">{tds}</tr>')
    title = escape(f"Roadmap: {checklist.roadmap}")
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{_CHECKLIST_STYLE}</style></head><body><h1>{title}</h1><p>{escape(result_verdict(result))}</p>"
        "<table><tr><th>verdict</th><th>line</th><th>criterion</th><th>measured</th><th>limit</th></tr>"
        + "".join(rows) + "</table></body></html>\n"
    )


class HtmlReporter:
    """The same page for ``check`` and ``report``."""

    def __init__(self, options: ReportOptions | None = None) -> None:
        self.options = options or ReportOptions()

    def report(self, result: RunResult, out: TextIO) -> None:
        if result.checklist is not None:
            out.write(_checklist_page(result))
            return
        rows = scorecard_rows(result, ascii_only=False)
        name = _e(project_name(result.root))
        verdict = "passed" if result.passed else "FAILED"
        out.write(
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<title>gates report: {name}</title><style>{_STYLE}</style></head><body>\n"
            f"<h1>gates report: {name}</h1>\n"
            f'<p class="verdict {verdict}">{_e(verdict_line(result))}</p>\n'
            f"<h2>Scorecard</h2>{_scorecard(rows)}\n{_offenders(rows)}\n{_details(rows)}\n"
            f"{_per_file(result)}\n{_findings(result)}\n"
            f"<footer><p>gates {_e(__version__)}</p></footer></body></html>\n"
        )
