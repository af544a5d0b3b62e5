"""The baseline file of GT303, ``.performance_baselines.json``: read, merge, write safely.

One entry per benchmark (test id, plus ``::name`` for a named measurement), a
:class:`~gates.perf.records.PerfEntry`. The file is
written sorted and indented so that it diffs and merges cleanly in git. Writers take an
exclusive lock on ``<file>.lock``, re-read the file, merge their entries and replace the
file atomically (temporary file + rename): concurrent sessions never corrupt it and never
drop each other's entries.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from gates.errors import UsageError
from gates.perf.records import Fingerprint, LastVerdict, NewRun, PerfEntry

FORMAT_VERSION = 1
DEFAULT_FILE = ".performance_baselines.json"
MAX_RUNS = 5  # runs kept per baseline: more than one, so both speed modes are in it
MAX_SAMPLES = 101  # samples kept per run: evenly spaced order statistics, median included


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def fingerprint() -> Fingerprint:
    """This machine's fingerprint: timings of another one are not compared by default."""
    return Fingerprint(
        cpu=_cpu_model(),
        cores=os.cpu_count() or 1,
        python=f"{sys.version_info.major}.{sys.version_info.minor}",
        implementation=platform.python_implementation(),
    )


def _broken(path: Path, why: str) -> UsageError:
    return UsageError(
        f"{path}: not a valid baseline file ({why}); repair it, or delete it and run "
        "`pytest --gates-perf=save`"
    )


def _entries(path: Path, benchmarks: dict[str, Any]) -> dict[str, PerfEntry]:
    entries = {}
    for key, data in benchmarks.items():
        try:
            entries[key] = PerfEntry.from_json(data)
        except ValueError as exc:
            raise _broken(path, f"entry {key!r} {exc}") from None
    return entries


def load(path: Path) -> dict[str, PerfEntry]:
    """The benchmarks of ``path`` by key; an absent file has none. Broken -> UsageError."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise _broken(path, f"cannot read it: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _broken(path, f"invalid JSON at line {exc.lineno}") from None
    except RecursionError:  # JSON nested deeper than the decoder's stack
        raise _broken(path, "JSON nested too deeply") from None
    if not isinstance(data, dict) or not isinstance(data.get("benchmarks"), dict):
        raise _broken(path, 'no "benchmarks" object')
    if data.get("version") != FORMAT_VERSION:
        raise _broken(path, f"format version {data.get('version')!r}, expected {FORMAT_VERSION}")
    return _entries(path, data["benchmarks"])


def _round(value: float) -> float:
    return float(f"{value:.6g}")


def _rounded(value: float | None) -> float | None:
    return _round(value) if isinstance(value, float) else value


def condense(run: Sequence[float], size: int = MAX_SAMPLES) -> list[float]:
    """At most ``size`` values that keep the run's distribution: its evenly spaced order
    statistics, from the minimum to the maximum (the middle one is the median when the
    run has an odd number of samples). A run of hundreds of samples stays a short list."""
    ordered = sorted(run)
    if len(ordered) <= size:
        return ordered
    last = len(ordered) - 1
    return [ordered[round(i * last / (size - 1))] for i in range(size)]


def new_entry(previous: PerfEntry | None, new: NewRun) -> PerfEntry:
    """The entry holding ``new``'s run after the runs of ``previous`` (the last MAX_RUNS).

    Without a run (memory measured only) the entry keeps no samples; with ``new.replace``
    it keeps only the new run: the level the next run is judged against is the new one.
    """
    runs = list(previous.runs) if previous and new.run and not new.replace else []
    if new.run:
        runs.append(tuple(_round(v) for v in condense(new.run)))
    return PerfEntry(
        runs=tuple(runs[-MAX_RUNS:]), median=_rounded(new.median), seconds=_rounded(new.seconds),
        memory=new.memory, unit=new.unit, timer=new.timer, fingerprint=new.fingerprint,
        saved=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    )


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    lock_path = path.with_name(path.name + ".lock")
    with open(lock_path, "a+b") as handle:
        if sys.platform == "win32":  # pragma: no cover
            import msvcrt

            msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        yield  # the lock goes with the closed handle


def dumps(benchmarks: Mapping[str, PerfEntry]) -> str:
    """The file's text: sorted and indented, so that it diffs and merges cleanly."""
    data = {
        "version": FORMAT_VERSION,
        "benchmarks": {key: entry.to_json() for key, entry in benchmarks.items()},
    }
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


def update(path: Path, changes: Mapping[str, NewRun | LastVerdict]) -> None:
    """Merge ``changes`` into the file, under the lock, atomically.

    A :class:`NewRun` replaces the entry, keeping the stored runs and adding its run (if
    any); a :class:`LastVerdict` becomes the ``last`` of an existing entry.
    """
    try:
        with _locked(path):
            benchmarks = load(path)
            for key, change in changes.items():
                if isinstance(change, NewRun):
                    benchmarks[key] = new_entry(benchmarks.get(key), change)
                elif key in benchmarks:
                    benchmarks[key] = benchmarks[key]._replace(last=change)
            _write(path, dumps(benchmarks))
    except OSError as exc:
        raise UsageError(f"{path}: cannot write the baselines: {exc.strerror or exc}") from None


def prune(path: Path, keys: Sequence[str]) -> None:
    """Remove the entries ``keys`` from the file, under the lock, atomically."""
    try:
        with _locked(path):
            benchmarks = load(path)
            for key in keys:
                benchmarks.pop(key, None)
            _write(path, dumps(benchmarks))
    except OSError as exc:
        raise UsageError(f"{path}: cannot write the baselines: {exc.strerror or exc}") from None


def _write(path: Path, text: str) -> None:
    """The one atomic writer (:func:`gates.core.files.write_atomic`): a hidden temporary
    file beside ``path``, removed if the save is interrupted, the file's mode kept, a
    shared file reached through a symlink updated in place."""
    from gates.core.files import write_atomic

    def render(out: TextIO) -> None:
        out.write(text)

    write_atomic(path, render)