"""``gates history --format html``: one page, a burn-down chart per gate as inline SVG.

Each chart plots the figure over commit time, the limit as a dashed line, the roadmap's
date as a vertical line when one is known, and a ``<title>`` on each point naming the
commit (the browser shows it on hover). Nothing is loaded from the network.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from html import escape
from typing import TextIO

from gates.history.forecast import Forecast
from gates.history.measure import Commit, Trail
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


def chart(title: str, points: list[tuple[Commit, float, bool, str]], limit: float | None,
          due: date | None = None, label: str = "") -> str:
    """An SVG burn-down: (commit, value, passed, shown value) points over commit time."""
    if not points:
        return ""
    times = [c.time for c, _, _, _ in points]
    values = [v for _, v, _, _ in points]
    due_time = None if due is None else datetime(due.year, due.month, due.day, tzinfo=timezone.utc).timestamp()
    t_low, t_high = min(times + ([due_time] if due_time else [])), max(times + ([due_time] if due_time else []))
    v_low = min(values + ([limit] if limit is not None else []))
    v_high = max(values + ([limit] if limit is not None else []))
    ax, bx = _scale(t_low, t_high, WIDTH, False)
    ay, by = _scale(v_low, v_high, HEIGHT, True)
    xy = [(ax * t + bx, ay * v + by) for t, v in zip(times, values)]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
             f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>"]
    if limit is not None:
        y = ay * limit + by
        parts.append(f'<line class="limit" x1="{PAD}" y1="{y:.1f}" x2="{WIDTH - PAD}" y2="{y:.1f}"/>')
        parts.append(f'<text x="{WIDTH - PAD + 2}" y="{y + 4:.1f}">limit</text>')
    if due_time is not None:
        x = ax * due_time + bx
        parts.append(f'<line class="due" x1="{x:.1f}" y1="{PAD / 2}" x2="{x:.1f}" y2="{HEIGHT - PAD}">'
                     f"<title>{escape(label)}</title></line>")
        parts.append(f'<text x="{x + 3:.1f}" y="{PAD / 2 + 10}">{escape(due.isoformat() if due else "")}</text>')
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
    parts.append(f'<polyline class="line" points="{path}"/>')
    for (x, y), (commit, _, passed, text) in zip(xy, points):
        hover = f"{commit.sha[:8]} {day(commit)}: {text} — {commit.subject}"
        mark = "" if passed else ' class="fail"'
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5"{mark}>'
                     f"<title>{escape(hover)}</title></circle>")
    parts.append(f'<text x="{PAD}" y="{HEIGHT - PAD / 2 + 4}">{escape(day(points[0][0]))}</text>')
    parts.append(f'<text x="{WIDTH - PAD}" y="{HEIGHT - PAD / 2 + 4}" text-anchor="end">'
                 f"{escape(day(points[-1][0]))}</text>")
    parts.append(f'<text x="4" y="{PAD - 6}">{escape(_label(v_high))}</text>')
    parts.append(f'<text x="4" y="{HEIGHT - PAD + 12}">{escape(_label(v_low))}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def _label(value: float) -> str:
    return f"{value:,.4g}"


def write_html(trail: Trail, found: list[Forecast], out: TextIO,
               dates: dict[str, tuple[date, float | None, str]] | None = None) -> None:
    dates = dates or {}
    by_code = {f.code: f for f in found}
    out.write('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
              f"<title>gates history</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
              "<h1>gates history</h1>\n")
    out.write(f'<p class="note">{escape(config_line(trail))}<br>{escape(reach_line(trail))}</p>\n')
    for code, gate in trail.gates.items():
        points = [(s.commit, s.figures[code].measured, s.figures[code].passed,
                   shown(s.figures[code].measured, gate.unit, gate.precision))
                  for s in trail.samples if code in s.figures]
        if not points:
            continue
        due, _, where = dates.get(code, (None, None, ""))
        out.write(f"<h2>{escape(gate.name)} ({code})</h2>\n")
        item = by_code.get(code)
        if item is not None:
            out.write(f"<p>{escape(item.text)}{escape('; ' + item.roadmap) if item.roadmap else ''}</p>\n")
        label = f"roadmap date {due.isoformat()} ({where})" if due else ""
        out.write(chart(f"{gate.name} over time", points, gate.threshold, due, label) + "\n")
    if trail.perf:
        out.write("<h2>perf baselines</h2>\n")
        for name, levels in sorted(trail.perf.items()):
            out.write(f"<p>{escape(name)}: median ratio at each commit that changed it</p>\n")
            out.write(chart(name, [(c, v, True, f"{v:.3g}") for c, v in levels], None) + "\n")
    for note in trail.notes:
        out.write(f'<p class="note">note: {escape(note)}</p>\n')
    out.write("</body>\n</html>\n")
