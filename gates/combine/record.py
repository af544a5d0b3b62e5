"""A shard record: what one shard of a split test run measured, for ``gates combine``.

``pytest --gates-shard=DIR`` writes ``gates-shard-<name>.json`` (this record) and, when the
run measured coverage, ``.coverage.gates-shard-<name>`` (a coverage.py data file) into
DIR. The record names the commit and a hash of the gates configuration the shard ran
with, so that shards of different commits or settings are never merged into one figure.
Standard library only: the pytest plugin imports this module at the end of a sharded run.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple, TextIO

from gates.errors import UsageError

FORMAT = "gates-shard"
VERSION = 1
RECORD_PREFIX = "gates-shard-"
COVERAGE_PREFIX = ".coverage.gates-shard-"


class ShardRecord(NamedTuple):
    """One shard's run. ``coverage`` and ``perf`` are None when the shard measured none.

    ``coverage`` holds ``data`` (the data file's name in the shard's folder) and the
    options the shard would have judged with (``fail_under`` already resolved: gates'
    own floor, else pytest-cov's or coverage.py's); ``perf`` holds ``records`` (each
    benchmark's :class:`~pytest_gates.perf.record.PerfRecord` as JSON), ``changes`` (the
    baseline changes the shard would write) and ``file`` (the baseline file).
    """

    name: str
    number: int | None  # the shard's index, 1 to total ("index" in the file)
    total: int | None
    commit: str
    config: str  # hash of the settings the gates judged with
    tests: tuple[str, ...]
    counts: Mapping[str, int]
    exitstatus: int
    seed: int | None
    duration: float
    peak_memory: int | None
    max_duration: float = 0.0
    max_memory: int = 0
    coverage: Mapping[str, Any] | None = None
    perf: Mapping[str, Any] | None = None
    root: str = ""
    path: str = ""  # where it was read from (not written)

    @property
    def label(self) -> str:
        """How messages name the shard: ``shard 2 (group-2) in ci/shard-2/gates-shard-2.json``."""
        head = f"shard {self.number} ({self.name})" if self.number is not None else f"shard {self.name}"
        return f"{head} in {self.path}" if self.path else head

    def to_json(self) -> dict[str, Any]:
        data = self._asdict()
        del data["path"]
        data["index"] = data.pop("number")
        data["tests"] = list(self.tests)
        data["counts"] = dict(self.counts)
        return {"format": FORMAT, "version": VERSION, **data}


_TYPES: dict[str, tuple[type, ...]] = {
    "name": (str,), "commit": (str,), "config": (str,), "tests": (list,), "counts": (dict,),
    "exitstatus": (int,), "duration": (int, float), "max_duration": (int, float),
    "max_memory": (int,), "root": (str,),
}
_OPTIONAL: dict[str, tuple[type, ...]] = {
    "index": (int,), "total": (int,), "seed": (int,), "peak_memory": (int,),
    "coverage": (dict,), "perf": (dict,),
}


def _wrong_type(value: Any, types: tuple[type, ...]) -> bool:
    return not isinstance(value, types) or isinstance(value, bool)


def _field_problem(data: Mapping[str, Any]) -> str | None:
    for key, types in _TYPES.items():
        if _wrong_type(data.get(key), types):
            return f'"{key}" missing or not a {types[0].__name__}'
    for key, types in _OPTIONAL.items():
        if data.get(key) is not None and _wrong_type(data[key], types):
            return f'"{key}" is not a {types[0].__name__}'
    if not all(isinstance(t, str) for t in data["tests"]):
        return '"tests" is not a list of test ids'
    if not all(isinstance(v, int) for v in data["counts"].values()):
        return '"counts" is not an object of whole numbers'
    return None


def parse_record(text: str, path: Path) -> ShardRecord:
    """The record in ``text``; anything else is a :class:`UsageError` naming ``path``."""
    fix = "write it again with `pytest --gates-shard=DIR` of this gates version"
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path}:{exc.lineno}: not a shard record (invalid JSON); {fix}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UsageError(f"{path}: not a gates shard record; {fix}")
    if data.get("version") != VERSION:
        raise UsageError(f"{path}: shard record version {data.get('version')!r}, expected {VERSION}; {fix}")
    problem = _field_problem(data)
    if problem:
        raise UsageError(f"{path}: broken shard record ({problem}); {fix}")
    fields: dict[str, Any] = {key: data[key] for key in ShardRecord._fields if key in data}
    fields.pop("path", None)
    fields["tests"] = tuple(data["tests"])
    fields["number"] = data.get("index")
    return ShardRecord(**fields, path=str(path))


def read_record(path: Path) -> ShardRecord:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read the shard record: {exc}") from None
    return parse_record(text, path)


def find_records(folders: list[Path]) -> list[Path]:
    """Every shard record under ``folders`` (recursively: one artifact folder per shard)."""
    found: list[Path] = []
    for folder in folders:
        if folder.is_file():
            found.append(folder)
            continue
        if not folder.is_dir():
            raise UsageError(f"{folder}: no such folder; give the folders the shards wrote "
                             "(pytest --gates-shard=DIR)")
        found.extend(sorted(folder.rglob(f"{RECORD_PREFIX}*.json")))
    return found


def safe_name(name: str) -> str:
    """A shard name usable in a file name."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("._") or "shard"


def config_hash(settings: Mapping[str, Any]) -> str:
    """A short, stable hash of the settings the gates judged with."""
    text = json.dumps(settings, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def current_commit(root: Path) -> str:
    """The checked-out commit of ``root``'s repository; "" outside git."""
    try:
        proc = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True,
                              text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return ""
    return proc.stdout.strip() if proc.returncode == 0 else ""


def changes_to_json(changes: Mapping[str, Any]) -> dict[str, Any]:
    """A shard's baseline changes (:class:`NewRun` or :class:`LastVerdict` by benchmark) as JSON."""
    from gates.perf.records import NewRun

    data: dict[str, Any] = {}
    for key, change in changes.items():
        if isinstance(change, NewRun):
            new = change._asdict()
            new["run"] = None if change.run is None else list(change.run)
            new["fingerprint"] = change.fingerprint and change.fingerprint.to_json()
            data[key] = {"new": new}
        else:
            data[key] = {"last": change.to_json()}
    return data


def changes_from_json(data: Any, where: str) -> dict[str, Any]:
    """The changes of :func:`changes_to_json`; bad data is a :class:`UsageError` naming ``where``."""
    from gates.perf.records import Fingerprint, LastVerdict, NewRun

    changes: dict[str, Any] = {}
    try:
        for key, change in dict(data).items():
            if "last" in change:
                changes[key] = LastVerdict.from_json(change["last"])
                continue
            new = dict(change["new"])
            run = new.get("run")
            new["run"] = None if run is None else tuple(float(v) for v in run)
            fingerprint = new.get("fingerprint")
            new["fingerprint"] = None if fingerprint is None else Fingerprint.from_json(fingerprint)
            changes[key] = NewRun(**new)
    except (TypeError, ValueError, KeyError) as exc:
        raise UsageError(f"{where}: broken perf changes in the shard record ({exc}); run the shard again") from None
    return changes


def write_record(folder: Path, record: ShardRecord) -> Path:
    """Write ``record`` atomically into ``folder``; its path."""
    from gates.core.files import write_atomic

    path = folder / f"{RECORD_PREFIX}{safe_name(record.name)}.json"
    text = json.dumps(record.to_json(), indent=1, sort_keys=True) + "\n"

    def render(out: TextIO) -> None:
        out.write(text)

    write_atomic(path, render)
    return path
