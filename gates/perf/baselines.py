"""The baseline file of GT303, ``.performance_baselines.json``: read, merge, write safely.

One entry per benchmark (test id, plus ``::name`` for a named measurement). The file is
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
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from gates.errors import UsageError

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


def fingerprint() -> dict[str, Any]:
    """What makes timings comparable: CPU model, core count, Python version and flavour."""
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count() or 1,
        "python": f"{sys.version_info.major}.{sys.version_info.minor}",
        "implementation": platform.python_implementation(),
    }


def _broken(path: Path, why: str) -> UsageError:
    return UsageError(
        f"{path}: not a valid baseline file ({why}); repair it, or delete it and run "
        "`pytest --gates-perf=save`"
    )


def _check_entry(path: Path, key: str, entry: Any) -> None:
    if not isinstance(entry, dict):
        raise _broken(path, f"entry {key!r} is not an object")
    runs = entry.get("runs")
    if not isinstance(runs, list) or not all(
        isinstance(run, list) and run and all(isinstance(v, (int, float)) for v in run)
        for run in runs
    ):
        raise _broken(path, f"entry {key!r} has no list of sample runs")
    if not runs and not isinstance(entry.get("memory"), int):
        raise _broken(path, f"entry {key!r} has neither samples nor memory")


def load(path: Path) -> dict[str, dict[str, Any]]:
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
    if not isinstance(data, dict) or not isinstance(data.get("benchmarks"), dict):
        raise _broken(path, 'no "benchmarks" object')
    if data.get("version") != FORMAT_VERSION:
        raise _broken(path, f"format version {data.get('version')!r}, expected {FORMAT_VERSION}")
    for key, entry in data["benchmarks"].items():
        _check_entry(path, key, entry)
    return dict(data["benchmarks"])


def samples(entry: Mapping[str, Any]) -> list[float]:
    """Every stored sample of a baseline, all runs pooled."""
    return [float(v) for run in entry["runs"] for v in run]


def _round(value: float) -> float:
    return float(f"{value:.6g}")


def condense(run: list[float], size: int = MAX_SAMPLES) -> list[float]:
    """At most ``size`` values that keep the run's distribution: its evenly spaced order
    statistics, from the minimum to the maximum (the middle one is the median when the
    run has an odd number of samples). A run of hundreds of samples stays a short list."""
    ordered = sorted(run)
    if len(ordered) <= size:
        return ordered
    last = len(ordered) - 1
    return [ordered[round(i * last / (size - 1))] for i in range(size)]


def new_entry(
    previous: Mapping[str, Any] | None, run: list[float] | None, **fields: Any
) -> dict[str, Any]:
    """A baseline entry holding ``run`` after the runs of ``previous`` (the last MAX_RUNS).

    Without a run (memory measured only) the entry keeps no samples.
    """
    runs = list(previous["runs"]) if previous and run else []
    if run:
        runs.append([_round(v) for v in condense(run)])
    entry = {
        key: _round(value) if isinstance(value, float) else value
        for key, value in fields.items()
        if value is not None
    }
    entry["runs"] = runs[-MAX_RUNS:]
    entry["saved"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return entry


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


def dumps(benchmarks: Mapping[str, Any]) -> str:
    data = {"version": FORMAT_VERSION, "benchmarks": dict(benchmarks)}
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


def update(path: Path, changes: Mapping[str, Mapping[str, Any]]) -> None:
    """Merge ``changes`` (key -> fields to set) into the file, under the lock, atomically.

    A change holding ``save`` replaces the entry, keeping the stored runs and adding its
    ``run`` (if any); any other change updates the fields of an existing entry.
    """
    try:
        with _locked(path):
            benchmarks = load(path)
            for key, change in changes.items():
                fields = dict(change)
                if fields.pop("save", False):
                    run = fields.pop("run", None)
                    benchmarks[key] = new_entry(benchmarks.get(key), run, **fields)
                elif key in benchmarks:
                    benchmarks[key] = {**benchmarks[key], **fields}
            _write(path, dumps(benchmarks))
    except OSError as exc:
        raise UsageError(f"{path}: cannot write the baselines: {exc.strerror or exc}") from None


def _write(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
