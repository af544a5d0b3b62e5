"""GT303 over the shards: every benchmark's verdict, the shards' new baselines written
once into the baseline file (under its lock), max-duration and max-memory judged on the
largest shard."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gates.combine.record import ShardRecord, changes_from_json
from gates.errors import UsageError
from gates.model import Finding, GateResult, Location

NAME, CODE = "perf", "GT303"


def merged_changes(records: Sequence[ShardRecord]) -> dict[str, Any]:
    """Every shard's baseline changes by benchmark (no two shards ran the same test)."""
    changes: dict[str, Any] = {}
    for r in records:
        if r.perf:
            changes.update(changes_from_json(r.perf.get("changes", {}), r.path))
    return changes


def _verdicts(records: Sequence[ShardRecord], file: str) -> tuple[Counter[str], list[Finding]]:
    words: Counter[str] = Counter()
    findings = []
    for r in records:
        for data in (r.perf or {}).get("records", []):
            if not isinstance(data, dict) or not isinstance(data.get("key"), str):
                raise UsageError(f"{r.path}: broken perf record in the shard record; run the shard again")
            verdict = str(data.get("verdict"))
            words[verdict] += 1
            if verdict == "regressed":
                ratio = data.get("ratio")
                shown = f" ({ratio:.2f}x its baseline)" if isinstance(ratio, (int, float)) else ""
                findings.append(Finding(CODE, NAME, Location(file),
                                        f"benchmark {data['key']} regressed{shown} in {r.label}",
                                        value=ratio if isinstance(ratio, (int, float)) else None,
                                        symbol=data["key"]))
    return words, findings


def _duration(records: Sequence[ShardRecord], parts: list[str], findings: list[Finding]) -> None:
    max_duration = max(r.max_duration for r in records)
    if not max_duration:
        return
    longest = max(records, key=lambda r: r.duration)
    over = longest.duration > max_duration
    parts.append(f"longest shard {longest.duration:.2f} s {'>' if over else '<='} max-duration {max_duration:g} s")
    if over:
        findings.append(Finding(CODE, NAME, Location(longest.path),
                                f"{longest.label} took {longest.duration:.2f} s, max-duration {max_duration:g} s"))


def _memory(records: Sequence[ShardRecord], parts: list[str], findings: list[Finding]) -> None:
    max_memory = max(r.max_memory for r in records)
    peaks = [r for r in records if r.peak_memory is not None]
    if not max_memory or not peaks:
        return
    largest = max(peaks, key=lambda r: r.peak_memory or 0)
    peak = largest.peak_memory or 0
    over = peak > max_memory
    parts.append(f"largest peak {peak:,} bytes {'>' if over else '<='} max-memory {max_memory:,} bytes")
    if over:
        findings.append(Finding(CODE, NAME, Location(largest.path),
                                f"{largest.label} peaked at {peak:,} bytes, max-memory {max_memory:,} bytes"))


def _write_baselines(measured: Sequence[ShardRecord], root: Path, file: str) -> int:
    """Write every shard's new baselines at once, under the file's lock; how many."""
    relative = Path(file)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        # A record comes from a CI artifact: it never names a file outside the project.
        raise UsageError(f"{measured[0].path}: perf file {file!r} is not a path inside the project; "
                         "set `file` in [tool.gates.perf] to a relative path and run the shards again")
    changes = merged_changes(measured)
    if changes:
        from gates.perf import baselines

        baselines.update(root / file, changes)  # UsageError when it cannot
    return len(changes)


def _benchmarks_text(words: Counter[str], changed: int, file: str) -> str:
    total = sum(words.values())
    shown = ", ".join(f"{n} {word}" for word, n in sorted(words.items()))
    text = f"{total} benchmark{'s' if total != 1 else ''}" + (f": {shown}" if shown else "")
    if changed:
        text += f"; {changed} baseline change{'s' if changed != 1 else ''} written to {file}"
    return text


def perf_result(records: Sequence[ShardRecord], root: Path) -> tuple[GateResult, list[Finding]] | None:
    """The perf row of the combined scorecard; None when no shard measured or budgeted any."""
    measured = [r for r in records if r.perf]
    if not measured and not any(r.max_duration or r.max_memory for r in records):
        return None
    parts: list[str] = []
    findings: list[Finding] = []
    if measured:
        file = str((measured[0].perf or {}).get("file", ".performance_baselines.json"))
        words, findings = _verdicts(measured, file)
        parts.append(_benchmarks_text(words, _write_baselines(measured, root, file), file))
    _duration(records, parts, findings)
    _memory(records, parts, findings)
    result = GateResult(NAME, CODE, not findings, float(len(findings)), 0.0, "regressions",
                        len(findings), "; ".join(parts), precision=0)
    return result, findings
