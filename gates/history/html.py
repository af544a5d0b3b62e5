"""``gates history --format html``: one page, a burn-down chart per gate as inline SVG.

Each chart plots the figure over commit time, the limit as a dashed line, the roadmap's
date as a vertical line when one is known, and a ``<title>`` on each point naming the
commit (the browser shows it on hover). Nothing is loaded from the network.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from html import escape
from typing import TextIO

from gates.history.forecast import Forecast
from gates.history.measure import Trail
from gates.history.walk import Commit
from gates.history.render import config_line, day, reach_line
from gates.model import shown

WIDTH, HEIGHT, PAD = 640, 220, 44
STYLE = """body{font:14px system-ui,sans-serif;margin:2em;max-width:60em;color:#222}
h2{font-size:1.1em;margin:1.5em 0 .3em}svg{background:#fafafa;border:1px solid #ddd}
.line{fill:none;stroke:#2563eb;stroke-width:1.5}.limit{stroke:#dc2626;stroke-dasharray:5 4}
.due{stroke:#7c3aed;stroke-dasharray:2 3}circle{fill:#2563eb}circle.fail{fill:#dc2626}
text{font-size:11px;fill:#555}p.note{color:#555}"""


def _scale(low: float, high: float, size: float, flip: bool) -> tuple[float, float]:
    span = (high - low) or 1.0
    factor = (size - 2 * PAD) / span
    return (-factor, PAD + (size - 2 * PAD) + low * factor) if flip else (factor, PAD - low * factor)


Point = tuple[Commit, float, bool, str]  # commit, figure, passed, figure as shown


@dataclass(frozen=True)
class _Frame:
    """The chart's scales: x from commit time, y from the figure (flipped)."""

    ax: float
    bx: float
    ay: float
    by: float
    low: float
    high: float

    def x(self, time: float) -> float:
        return self.ax * time + self.bx

    def y(self, value: float) -> float:
        return self.ay * value + self.by


def _frame(points: list[Point], limit: float | None, due_time: float | None) -> _Frame:
    times = [float(c.time) for c, _, _, _ in points] + ([due_time] if due_time is not None else [])
    values = [v for _, v, _, _ in points] + ([limit] if limit is not None else [])
    ax, bx = _scale(min(times), max(times), WIDTH, False)
    ay, by = _scale(min(values), max(values), HEIGHT, True)
    return _Frame(ax, bx, ay, by, min(values), max(values))


def _limit(frame: _Frame, limit: float | None) -> list[str]:
    if limit is None:
        return []
    y = frame.y(limit)
    return [f'<line class="limit" x1="{PAD}" y1="{y:.1f}" x2="{WIDTH - PAD}" y2="{y:.1f}"/>',
            f'<text x="{WIDTH - PAD + 2}" y="{y + 4:.1f}">limit</text>']


def _due(frame: _Frame, due: date | None, label: str) -> list[str]:
    if due is None:
        return []
    x = frame.x(datetime(due.year, due.month, due.day, tzinfo=timezone.utc).timestamp())
    return [f'<line class="due" x1="{x:.1f}" y1="{PAD / 2}" x2="{x:.1f}" y2="{HEIGHT - PAD}">'
            f"<title>{escape(label)}</title></line>",
            f'<text x="{x + 3:.1f}" y="{PAD / 2 + 10}">{escape(due.isoformat())}</text>']


def _points(frame: _Frame, points: list[Point]) -> list[str]:
    xy = [(frame.x(c.time), frame.y(v)) for c, v, _, _ in points]
    parts = [f'<polyline class="line" points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in xy)}"/>']
    for (x, y), (commit, _, passed, text) in zip(xy, points):
        hover = f"{commit.sha[:8]} {day(commit)}: {text} — {commit.subject}"
        mark = "" if passed else ' class="fail"'
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5"{mark}><title>{escape(hover)}</title></circle>')
    return parts


def _axes(frame: _Frame, points: list[Point]) -> list[str]:
    bottom = HEIGHT - PAD / 2 + 4
    return [f'<text x="{PAD}" y="{bottom}">{escape(day(points[0][0]))}</text>',
            f'<text x="{WIDTH - PAD}" y="{bottom}" text-anchor="end">{escape(day(points[-1][0]))}</text>',
            f'<text x="4" y="{PAD - 6}">{escape(_label(frame.high))}</text>',
            f'<text x="4" y="{HEIGHT - PAD + 12}">{escape(_label(frame.low))}</text>']


def chart(title: str, points: list[Point], limit: float | None, due: date | None = None, label: str = "") -> str:
    """An SVG burn-down of the points over commit time, the limit and the roadmap's date."""
    if not points:
        return ""
    due_time = None if due is None else datetime(due.year, due.month, due.day, tzinfo=timezone.utc).timestamp()
    frame = _frame(points, limit, due_time)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
             f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>",
             *_limit(frame, limit), *_due(frame, due, label), *_points(frame, points),
             *_axes(frame, points), "</svg>"]
    return "\n".join(parts)


def _label(value: float) -> str:
    return f"{value:,.4g}"


def _gate_section(trail: Trail, code: str, item: Forecast | None,
                  dates: dict[str, tuple[date, float | None, str]]) -> str:
    gate = trail.gates[code]
    points = [(s.commit, s.figures[code].measured, s.figures[code].passed,
               shown(s.figures[code].measured, gate.unit, gate.precision))
              for s in trail.samples if code in s.figures]
    if not points:
        return ""
    parts = [f"<h2>{escape(gate.name)} ({code})</h2>"]
    if item is not None:
        parts.append(f"<p>{escape(item.text + ('; ' + item.roadmap if item.roadmap else ''))}</p>")
    due, _, where = dates.get(code, (None, None, ""))
    label = f"roadmap date {due.isoformat()} ({where})" if due else ""
    parts.append(chart(f"{gate.name} over time", points, gate.threshold, due, label))
    return "\n".join(parts) + "\n"


def _perf_section(trail: Trail) -> str:
    if not trail.perf:
        return ""
    parts = ["<h2>perf baselines</h2>"]
    for name, levels in sorted(trail.perf.items()):
        parts.append(f"<p>{escape(name)}: median ratio at each commit that changed it</p>")
        parts.append(chart(name, [(c, v, True, f"{v:.3g}") for c, v in levels], None))
    return "\n".join(parts) + "\n"


def write_html(trail: Trail, found: list[Forecast], out: TextIO,
               dates: dict[str, tuple[date, float | None, str]] | None = None) -> None:
    by_code = {f.code: f for f in found}
    out.write('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
              f"<title>gates history</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
              "<h1>gates history</h1>\n")
    out.write(f'<p class="note">{escape(config_line(trail))}<br>{escape(reach_line(trail))}</p>\n')
    for code in trail.gates:
        out.write(_gate_section(trail, code, by_code.get(code), dates or {}))
    out.write(_perf_section(trail))
    for note in trail.notes:
        out.write(f'<p class="note">note: {escape(note)}</p>\n')
    out.write("</body>\n</html>\n")
