"""``gates combine``: shard records -> one :class:`~gates.model.RunResult`.

The shards' coverage data files are combined by coverage.py (``Coverage.combine``, as
``coverage combine`` does) into the project's data file and judged once, with the options
the shards ran with; perf verdicts are merged and the shards' new baselines written into
one ``.performance_baselines.json`` under its lock; max-duration and max-memory are judged
on the largest shard. An incomplete set (see :mod:`gates.combine.checks`) gives one
failing "shards" row and no other figure at all.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gates.combine.checks import expected_count, problems
from gates.combine.record import ShardRecord, find_records, read_record
from gates.errors import UsageError
from gates.model import Direction, Finding, GateResult, Location, RunResult

if TYPE_CHECKING:
    from gates.coverage.figures import CoverageFigures

SHARDS_CODE = "GT300"


def load_records(folders: Sequence[Path]) -> list[ShardRecord]:
    paths = find_records(list(folders))
    if not paths:
        where = ", ".join(map(str, folders))
        raise UsageError(f"{where}: no shard records (gates-shard-*.json); run each shard with "
                         "`pytest --gates-shard=DIR` and give the folders they wrote")
    return [read_record(path) for path in paths]


def combine(folders: Sequence[Path], expect: int | None, root: Path, data_file: str = "") -> RunResult:
    """The combined verdict of the shards under ``folders``; ``root`` is the project."""
    records = load_records(folders)
    expected = expected_count(records, expect)
    if expected is None:
        raise UsageError("how many shards make the whole run? pass --expect N "
                         "(or --gates-shard-total N to every shard)")
    found = problems(records, expected)
    if found:
        return _incomplete(records, expected, found, root)
    gates: list[GateResult] = [_shards_row(records, expected)]
    findings = _failed_tests(records)
    measured = 0  # the files in the combined coverage data: what the scorecard counts
    if any(r.coverage for r in records):
        result, more, measured = _coverage(records, root, data_file)
        gates.append(result)
        findings += more
    perf = _perf(records, root)
    if perf is not None:
        gates.append(perf[0])
        findings += perf[1]
    return RunResult(root=str(root), files_checked=measured, gates=tuple(gates), findings=tuple(findings))


def _incomplete(records: Sequence[ShardRecord], expected: int, found: list[str], root: Path) -> RunResult:
    summary = f"INCOMPLETE, not judged: {found[0]}" + (f" (and {len(found) - 1} more)" if len(found) > 1 else "")
    row = GateResult("shards", SHARDS_CODE, False, float(len(records)), float(expected), "shards",
                     len(found), summary, direction=Direction.FLOOR, precision=0,
                     note="no figure is computed from an incomplete set of shards")
    where = Location(records[0].path if records else ".")
    findings = tuple(Finding(SHARDS_CODE, "shards", where, f"incomplete: {text}") for text in found)
    return RunResult(root=str(root), files_checked=0, gates=(row,), findings=findings)


def _shards_row(records: Sequence[ShardRecord], expected: int) -> GateResult:
    counts = {key: sum(r.counts.get(key, 0) for r in records) for key in ("passed", "failed", "skipped", "errors")}
    tests = sum(counts.values())
    bad = counts["failed"] + counts["errors"]
    shown = ", ".join(f"{n} {key}" for key, n in counts.items() if n)
    summary = f"{len(records)} of {expected} shards, {tests} tests: {shown or 'none run'}"
    seeds = sorted({r.seed for r in records if r.seed is not None})
    note = f"seed {seeds[0]}" if len(seeds) == 1 else (f"seeds {', '.join(map(str, seeds))}" if seeds else "")
    return GateResult("shards", SHARDS_CODE, bad == 0, float(len(records)), float(expected), "shards",
                      bad, summary, direction=Direction.FLOOR, precision=0, note=note)


def _failed_tests(records: Sequence[ShardRecord]) -> list[Finding]:
    return [Finding(SHARDS_CODE, "shards", Location(r.path),
                    f"{r.label}: {r.counts.get('failed', 0)} failed, {r.counts.get('errors', 0)} errors")
            for r in records if r.counts.get("failed", 0) or r.counts.get("errors", 0)]


def _coverage_options(record: ShardRecord) -> Any:
    from gates.core.runtime_options import CoverageOptions

    data = record.coverage or {}
    try:
        return CoverageOptions(
            fail_under=float(data.get("fail_under", 0.0)), min_file=float(data.get("min_file", 0.0)),
            diff_base=str(data.get("diff_base", "")),
            diff_fail_under=float(data.get("diff_fail_under", 80.0)),
        )
    except (TypeError, ValueError):
        raise UsageError(f"{record.path}: broken coverage options in the shard record; run the shard again") from None


def _coverage(
    records: Sequence[ShardRecord], root: Path, data_file: str
) -> tuple[GateResult, list[Finding], int]:
    from gates.coverage.gate import evaluate

    options = _coverage_options(records[0])
    figures = combined_figures(records, root, data_file)
    changed = None
    if options.diff_base:
        from gates.core.git import changed_lines

        changed = changed_lines(root, options.diff_base)
    verdict = evaluate(figures, options, changed)
    result = verdict.result()
    floor_from = str((records[0].coverage or {}).get("floor_from", ""))
    note = f"combined from {len(records)} shards into {figures.data_file}"
    if not options.fail_under:
        note += "; no floor configured, total not judged"
    elif floor_from:
        note += f"; floor: {floor_from}"
    return dataclasses.replace(result, note=note), verdict.findings(), len(figures.files)


def _data_files(records: Sequence[ShardRecord]) -> list[str]:
    files = []
    for r in records:
        name = str((r.coverage or {}).get("data", ""))
        path = Path(r.path).parent / name
        if Path(name).name != name or name in ("", ".", ".."):  # a record never points elsewhere
            raise UsageError(f"{r.path}: coverage data {name!r} is not a file name beside the record; "
                             "run the shard again")
        if not path.is_file():
            raise UsageError(f"{r.path}: its coverage data file {path} is missing; upload the "
                             "whole folder the shard wrote")
        files.append(str(path))
    return files


def _check_readable(files: Sequence[str]) -> None:
    """coverage.py skips an unreadable file with a warning; here it stops the combine."""
    from coverage import CoverageData

    for name in files:
        try:
            CoverageData(basename=name).read()
        except Exception as exc:
            raise UsageError(f"{name}: not a coverage data file ({' '.join(str(exc).split())}); "
                             "run the shard again") from None


def combined_figures(records: Sequence[ShardRecord], root: Path, data_file: str = "") -> CoverageFigures:
    """Combine the shards' data into the project's data file (atomically) and read it."""
    try:
        import coverage
    except ImportError:
        raise UsageError("gates combine needs coverage.py for the shards' coverage: "
                         "pip install 'gates[coverage]'") from None
    from gates.coverage.figures import figures_from

    files = _data_files(records)
    _check_readable(files)
    with contextlib.chdir(root):
        target = Path(os.path.abspath(data_file or coverage.Coverage(config_file=True).config.data_file))
        temporary = target.with_name(f"{target.name}.gates-combine-{os.getpid()}.tmp")
        try:
            writer = coverage.Coverage(data_file=str(temporary), config_file=True)
            _map_shard_roots(writer, records, root)
            writer.combine(files, strict=True, keep=True)
            writer.save()
            os.replace(temporary, target)
        except OSError as exc:
            raise UsageError(f"{target}: cannot write the combined coverage data: {exc.strerror or exc}") from None
        finally:
            temporary.unlink(missing_ok=True)
        reader = coverage.Coverage(data_file=str(target), config_file=True)
        reader.load()
        figures = figures_from(reader)
    return figures._replace(data_file=os.path.relpath(target, root))


def _map_shard_roots(cov: Any, records: Sequence[ShardRecord], root: Path) -> None:
    """Shards checked out elsewhere (another runner's folder): their paths map onto ``root``,
    as a ``[paths]`` entry of coverage.py would."""
    others = sorted({r.root for r in records if r.root and Path(r.root) != root})
    if others:
        paths = dict(cov.get_option("paths") or {})
        paths["gates-shard-roots"] = [str(root), *others]
        cov.set_option("paths", paths)


def _perf(records: Sequence[ShardRecord], root: Path) -> tuple[GateResult, list[Finding]] | None:
    from gates.combine.perf import perf_result

    return perf_result(records, root)
