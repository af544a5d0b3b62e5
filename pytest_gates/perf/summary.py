"""What GT303 shows: the failure message of a regressed benchmark, the summary table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from gates.core.runtime_options import PerfOptions
from gates.perf.records import Verdict

if TYPE_CHECKING:
    from pytest_gates.perf.record import PerfRecord

Line = tuple[str, dict[str, bool]]


def _bytes(value: int | None) -> str:
    if value is None:
        return "-"
    size = float(value)
    for unit in ("B", "KiB", "MiB"):
        if size < 1024:
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GiB"


def _seconds(value: float | None) -> str:
    if value is None:
        return "-"
    seconds = float(value)
    if seconds >= 1:
        return f"{seconds:.3g} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.3g} ms"
    return f"{seconds * 1e6:.3g} us"


def _baseline_failure(record: PerfRecord, options: PerfOptions) -> list[str]:
    ratio = record.ratio
    if ratio is None or ratio <= 1 + options.max_regression / 100:
        return []
    return [
        f"{(ratio - 1) * 100:.0f}% slower than its baseline (limit {options.max_regression:g}%, "
        f"p={record.p or 0:.2g}, confirmed by a second measurement)"
    ]


def _ab_failure(record: PerfRecord, options: PerfOptions) -> list[str]:
    ratio = record.ratio
    if record.against is None or ratio is None or ratio <= 1 + options.ab_max_regression / 100:
        return []
    low = record.bounds[0] if record.bounds else ratio
    return [
        f"{(ratio - 1) * 100:.0f}% slower than {record.against}'s code measured in the same "
        f"run (limit {options.ab_max_regression:g}%, ratio at least {low:.3f} at "
        f"{1 - options.alpha:.0%} confidence, confirmed by a second measurement)"
    ]


def failure_text(record: PerfRecord, options: PerfOptions) -> str:
    """Why the benchmark failed, with the figures and how to accept the change."""
    parts = _ab_failure(record, options) if record.against else _baseline_failure(record, options)
    if record.memory_regressed:
        parts.append(
            f"peak memory {_bytes(record.memory)} vs baseline "
            f"{_bytes(record.baseline_memory)} (limit +{options.memory_regression:g}%)"
        )
    accept = ("If the change is intended: raise ab-max-regression, or compare against a later ref"
              if record.against is not None and not record.memory_regressed else
              "If the change is intended: pytest --gates-perf=accept (replaces the baseline)")
    return f"GT303 perf: {record.key} regressed: {'; '.join(parts)}. {accept}"


def _row(r: PerfRecord, against: bool) -> tuple[str, ...]:
    ratio = "-" if r.ratio is None else f"{r.ratio:.2f}x"
    if r.bounds is not None:
        ratio += f" ({r.bounds[0]:.2f}-{r.bounds[1]:.2f})"
    p = "-" if r.p is None else f"{r.p:.2g}"
    row = (r.key, _seconds(r.seconds), ratio, p, _bytes(r.memory), r.verdict.value)
    if against:
        return (*row[:2], r.against or "baseline", *row[2:])
    return row


def _table(rows: list[PerfRecord], against: bool) -> list[Line]:
    head: tuple[str, ...] = ("benchmark", "time now", "ratio", "p", "memory", "verdict")
    if against:  # A/B mode: what each ratio is to (REF measured now, or the stored baseline)
        head = (*head[:2], "against", *head[2:])
    table = [head, *(_row(r, against) for r in sorted(rows, key=lambda r: r.key))]
    widths = [max(len(row[i]) for row in table) for i in range(len(head))]
    lines: list[Line] = []
    for row in table:
        text = "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        lines.append((text, {"red": True, "bold": True} if row[-1] == Verdict.REGRESSED else {}))
    return lines


def summary_lines(
    rows: list[PerfRecord], options: PerfOptions, errors: Sequence[str] = (),
    pruned: Sequence[str] = (), traced_by: str | None = None, ab_problem: str | None = None,
) -> list[Line]:
    """The errors (writing the file), then one row per measurement: benchmark, time now,
    ratio, p, memory, verdict; then what was saved, not judged or pruned."""
    lines: list[Line] = [(f"ERROR: gates: {e}", {"red": True, "bold": True}) for e in errors]
    if rows:
        lines.extend(_table(rows, bool(options.against) and options.mode in ("compare", "prune")))
    return lines + _ab_notes(rows, options, ab_problem) + _notes(rows, options, pruned, traced_by)


def _ab_notes(rows: list[PerfRecord], options: PerfOptions, problem: str | None) -> list[Line]:
    """Why A/B mode did not run, for the session or for single benchmarks."""
    ref = options.against
    if not ref or options.mode not in ("compare", "prune"):
        return []
    if problem is not None:
        return [(f"A/B mode against {ref} not possible: {problem}; benchmarks judged against "
                 "the stored baselines", {"yellow": True})]
    noted = sorted({(r.key, r.ab_note) for r in rows if r.ab_note})
    lines: list[Line] = []
    if noted:
        lines.append((f"{len(noted)} benchmark(s) not measured against {ref}, judged against the "
                      "stored baselines:", {"yellow": True}))
        lines.extend((f"  {key}: {note}", {"yellow": True}) for key, note in noted)
    return lines


def _notes(rows: list[PerfRecord], options: PerfOptions, pruned: Sequence[str],
           traced_by: str | None) -> list[Line]:
    """What was saved, not judged (a tracer ran) or pruned."""
    lines: list[Line] = []
    saved = sum(1 for r in rows if r.verdict == Verdict.SAVED)
    if saved:
        what = "accepted as the new" if options.mode == "accept" else "saved to"
        lines.append((f"{saved} baseline(s) {what} {options.file}", {"green": True}))
    traced = sum(1 for r in rows if r.verdict == Verdict.TRACED)
    if traced:
        lines.append((
            f"{traced} measurement(s) not judged and not saved: measured under "
            f"{traced_by or 'a tracer or profiler'}; run the benchmarks without coverage "
            "or a debugger to judge them", {"yellow": True},
        ))
    if pruned:
        lines.append((f"pruned {len(pruned)} baseline(s) of tests that no longer exist: "
                      + ", ".join(pruned), {"yellow": True}))
    return lines
