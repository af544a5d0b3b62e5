"""``gates history`` as text (a table with sparklines), JSON, CSV and Markdown."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any, TextIO

from gates.history.forecast import Forecast
from gates.history.measure import Sample, Trail
from gates.history.walk import Commit
from gates.model import shown

SPARKS = "▁▂▃▄▅▆▇█"
SPARK_WIDTH = 40


def day(commit: Commit) -> str:
    return datetime.fromtimestamp(commit.time, timezone.utc).strftime("%Y-%m-%d")


def sparkline(values: Sequence[float], width: int = SPARK_WIDTH) -> str:
    """The values as block characters, at most ``width`` of them (evenly picked)."""
    if not values:
        return ""
    if len(values) > width:
        values = [values[round(i * (len(values) - 1) / (width - 1))] for i in range(width)]
    low, high = min(values), max(values)
    span = high - low
    return "".join(SPARKS[0 if span == 0 else round((v - low) / span * (len(SPARKS) - 1))] for v in values)


def _cell(trail: Trail, code: str, value: float) -> str:
    gate = trail.gates[code]
    return shown(value, gate.unit, gate.precision)


def config_line(trail: Trail) -> str:
    if trail.config_mode == "now":
        return "config: the current one, applied to every commit (--config-now)"
    return "config: as it was at each commit (pyproject.toml read from the commit; --config-now to apply today's)"


def reach_line(trail: Trail) -> str:
    if not trail.samples:
        return "no commits in the range"
    first = trail.samples[0].commit
    text = (f"{len(trail.samples):,} commits measured of {trail.commits_walked:,} walked "
            f"(first parent), {day(first)} to {day(trail.samples[-1].commit)}; "
            f"{trail.contents:,} distinct file contents, {trail.analysed:,} analysed in this run")
    if trail.shallow:
        text += f"\nshallow clone: history seen back to {day(first)} ({first.sha[:8]}) only; `git fetch --unshallow` for more"
    return text


def _row(trail: Trail, codes: list[str], sample: Sample) -> list[str]:
    cells = [day(sample.commit), sample.commit.sha[:8]]
    for code in codes:
        figure = sample.figures.get(code)
        if figure is None:
            cells.append("-")
        else:
            cells.append(_cell(trail, code, figure.measured) + ("" if figure.passed else " ✗"))
    return cells


def _write_table(trail: Trail, codes: list[str], out: TextIO) -> None:
    rows = [_row(trail, codes, s) for s in trail.samples]
    header = ["date", "commit", *(trail.gates[c].name for c in codes)]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    out.write("  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip() + "\n")
    for row in rows:
        cells = [v.rjust(w) if i > 1 else v.ljust(w) for i, (v, w) in enumerate(zip(row, widths))]
        out.write("  ".join(cells).rstrip() + "\n")


def _write_sparklines(trail: Trail, codes: list[str], out: TextIO) -> None:
    width = max((len(trail.gates[c].name) for c in codes), default=0)
    for code in codes:
        values = [s.figures[code].measured for s in trail.samples if code in s.figures]
        if values:
            out.write(f"{trail.gates[code].name.ljust(width)}  {sparkline(values)}  "
                      f"{_cell(trail, code, values[0])} → {_cell(trail, code, values[-1])}\n")


def write_text(trail: Trail, found: list[Forecast], out: TextIO) -> None:
    codes = list(trail.gates)
    _write_table(trail, codes, out)
    out.write("\n")
    _write_sparklines(trail, codes, out)
    _write_perf_text(trail, out)
    out.write("\nforecast (trend of the last 8 samples):\n")
    for item in found:
        out.write(f"  {item.text}" + (f"; {item.roadmap}" if item.roadmap else "") + "\n")
    out.write("\n" + config_line(trail) + "\n" + reach_line(trail) + "\n")
    for note in trail.notes:
        out.write(f"note: {note}\n")
    if trail.skipped_gates:
        out.write("not measured over history (they need the project run, not its files): "
                  + ", ".join(trail.skipped_gates) + "\n")


def _write_perf_text(trail: Trail, out: TextIO) -> None:
    if not trail.perf:
        return
    out.write("\nperf baselines (median ratio, at each commit that changed .performance_baselines.json):\n")
    width = max(len(n) for n in trail.perf)
    for name, levels in sorted(trail.perf.items()):
        values = [v for _, v in levels]
        out.write(f"  {name.ljust(width)}  {sparkline(values)}  {values[0]:.3g} → {values[-1]:.3g} "
                  f"({len(values)} changes)\n")


def as_data(trail: Trail, found: list[Forecast]) -> dict[str, Any]:
    return {
        "config": trail.config_mode,
        "shallow": trail.shallow,
        "commits_walked": trail.commits_walked,
        "contents": trail.contents,
        "analysed": trail.analysed,
        "notes": trail.notes,
        "not_measured": trail.skipped_gates,
        "gates": {c: {"name": g.name, "unit": g.unit, "limit": g.threshold,
                      "direction": "floor" if g.floor else "ceiling"} for c, g in trail.gates.items()},
        "samples": [{
            "commit": s.commit.sha, "time": s.commit.time, "date": day(s.commit),
            "subject": s.commit.subject, "config": s.config, "files": s.files,
            "figures": {c: {"measured": f.measured, "passed": f.passed, "violations": f.violations}
                        for c, f in s.figures.items()},
        } for s in trail.samples],
        "forecast": [{
            "gate": f.code, "now": f.now, "limit": f.limit, "passed": f.passed,
            "per_week": f.per_week, "reach": f.reach.isoformat() if f.reach else None,
            "text": f.text, "roadmap": f.roadmap,
        } for f in found],
        "perf": {name: [{"commit": c.sha, "date": day(c), "median": v} for c, v in levels]
                 for name, levels in sorted(trail.perf.items())},
    }


def write_json(trail: Trail, found: list[Forecast], out: TextIO) -> None:
    json.dump(as_data(trail, found), out, ensure_ascii=False, separators=(",", ":"))
    out.write("\n")


def write_csv(trail: Trail, found: list[Forecast], out: TextIO) -> None:
    codes = list(trail.gates)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["commit", "date", *(trail.gates[c].name for c in codes)])
    for s in trail.samples:
        writer.writerow([s.commit.sha, day(s.commit),
                         *(repr(s.figures[c].measured) if c in s.figures else "" for c in codes)])


def write_markdown(trail: Trail, found: list[Forecast], out: TextIO) -> None:
    codes = list(trail.gates)
    out.write("### gates history\n\n")
    out.write("| gate | trend | first | now | limit | forecast |\n|---|---|---|---|---|---|\n")
    by_code = {f.code: f for f in found}
    for code in codes:
        values = [s.figures[code].measured for s in trail.samples if code in s.figures]
        if not values:
            continue
        gate = trail.gates[code]
        item = by_code.get(code)
        text = "" if item is None else item.text.split(": ", 1)[-1] + (f"; {item.roadmap}" if item.roadmap else "")
        out.write(f"| {gate.name} | {sparkline(values, 20)} | {_cell(trail, code, values[0])} | "
                  f"{_cell(trail, code, values[-1])} | {_cell(trail, code, gate.threshold)} | {text} |\n")
    out.write(f"\n{config_line(trail)}. {reach_line(trail)}.\n")
