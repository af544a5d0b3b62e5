"""Every selected static gate's figure at every sampled commit of a range.

Each distinct file content (git blob, and whether it sits where tests do) is analysed
once, by the same per-file step as ``gates check`` (:func:`gates.core.engine.check_source`),
in worker processes when there are many; results are kept in ``.gates_cache/`` by blob id,
and the newest commit's are also offered to ``gates check``'s own cache. A commit's figure
is then each checker's own ``summarize`` over its files' results, so the figure at HEAD is
``gates check``'s, to the digit.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from gates.core.cache import CheckerResult, ResultCache, checker_key, content_digest
from gates.core.checker import Checker
from gates.core.config import Settings, settings_from_toml
from gates.core.discovery import SKIPPED_DIRS, PathMatcher, is_test_path
from gates.core.engine import check_source, fewer_collections
from gates.core.selection import per_file_ignores, select_checkers
from gates.core.source import SourceFile
from gates.errors import UsageError
from gates.history.store import HistoryStore, content_key
from gates.history.walk import BlobReader, Commit, History, states

PERF_FILE = ".performance_baselines.json"
PARALLEL_MIN_CONTENTS = 16


@dataclass(frozen=True)
class GateInfo:
    """What a gate's column means: its name, unit, limit and which way is better."""

    code: str
    name: str
    unit: str
    threshold: float
    floor: bool
    precision: int


@dataclass(frozen=True)
class Figure:
    measured: float
    passed: bool
    violations: int


@dataclass
class Sample:
    """One sampled commit: its figures by gate code, and the config they were judged by."""

    commit: Commit
    figures: dict[str, Figure]
    config: str  # "commit" (its own pyproject.toml), "none" (it had none), or "now"
    files: int


@dataclass
class Trail:
    """What ``gates history`` found over a range."""

    samples: list[Sample]
    gates: dict[str, GateInfo]
    config_mode: str
    shallow: bool
    commits_walked: int
    contents: int  # distinct contents the samples hold
    analysed: int  # of which analysed in this run (the others came from a cache)
    notes: list[str] = field(default_factory=list)
    skipped_gates: list[str] = field(default_factory=list)
    perf: dict[str, list[tuple[Commit, float]]] = field(default_factory=dict)


@dataclass
class _Config:
    settings: Settings
    checkers: list[Checker]
    keys: dict[str, str]
    ignored: Callable[[str], frozenset[str]]
    excluded: PathMatcher
    origin: str
    where: dict[str, tuple[str, bool, frozenset[str]] | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Selection:
    """How to choose the gates: the current settings and the command line's select/ignore."""

    settings: Settings
    select: list[str] | None
    ignore: list[str] | None
    config_now: bool


def _static(checkers: list[Checker]) -> tuple[list[Checker], list[str]]:
    """The checkers a past commit can be judged by from its files alone, and the others."""
    kept, skipped = [], []
    for checker in checkers:
        whole_project = type(checker).check_project is not Checker.check_project
        if checker.runtime_only or whole_project:
            skipped.append(f"{checker.code} {checker.name}")
        else:
            kept.append(checker)
    return kept, skipped


class _Configs:
    """The config of each commit, read once per distinct pyproject.toml blob."""

    def __init__(self, selection: Selection, reader: BlobReader, config_path: str) -> None:
        self.selection = selection
        self.reader = reader
        self.config_path = config_path
        self.known: dict[str, _Config] = {}
        self.notes: list[str] = []
        self.skipped: set[str] = set()

    def _build(self, settings: Settings, origin: str) -> _Config:
        chosen = select_checkers(settings, self.selection.select, self.selection.ignore)
        checkers, skipped = _static(chosen)
        self.skipped.update(skipped)
        return _Config(
            settings, checkers, {c.code: checker_key(c) for c in checkers},
            per_file_ignores(settings), PathMatcher(settings.exclude), origin,
        )

    def at(self, files: dict[str, str], commit: Commit) -> _Config:
        blob = "now" if self.selection.config_now else files.get(self.config_path, "")
        if blob not in self.known:
            self.known[blob] = self._read(blob, commit)
        return self.known[blob]

    def _read(self, blob: str, commit: Commit) -> _Config:
        now = self.selection.settings
        if blob == "now":
            return self._build(now, "now")
        if not blob:
            return self._build(Settings(root=now.root), "none")
        path = now.root / "pyproject.toml"
        try:
            return self._build(settings_from_toml(self.reader.read(blob), now.root, path), "commit")
        except UsageError as exc:
            self.notes.append(f"the config at {commit.sha[:8]} cannot be used ({exc}); "
                              "the current config judged those commits")
            return self._build(now, "now")


def _checked(path: str, scope: str) -> bool:
    """A tracked file ``gates check`` would check (its folder rules; .gitignore aside)."""
    if not path.endswith(".py") or not path.startswith(scope):
        return False
    for folder in path.split("/")[:-1]:
        if folder.startswith(".") or folder in SKIPPED_DIRS or folder.endswith(".egg-info"):
            return False
    return True


def _week(commit: Commit) -> str:
    year, week, _ = datetime.fromtimestamp(commit.time, timezone.utc).isocalendar()
    return f"{year}-{week:02d}"


def _sampled(commits: Sequence[Commit], every: str | None) -> set[int]:
    """Indexes of the commits to measure: all, or the last of each week."""
    if every is None:
        return set(range(len(commits)))
    last: dict[str, int] = {}
    for index, commit in enumerate(commits):
        last[_week(commit)] = index
    return set(last.values())


# A sampled commit's files: (root-relative path, blob, is_test, ignored codes).
_File = tuple[str, str, bool, frozenset[str]]


@dataclass
class _Plan:
    commits: list[tuple[Commit, _Config, list[_File]]]
    perf: dict[str, list[tuple[Commit, float]]]


def _perf_levels(data: bytes) -> dict[str, float]:
    try:
        benchmarks = json.loads(data).get("benchmarks", {})
        return {k: float(v["median"]) for k, v in benchmarks.items()
                if isinstance(v, dict) and isinstance(v.get("median"), (int, float))}
    except (ValueError, AttributeError, TypeError):
        return {}


def _chosen(files: dict[str, str], config: _Config, prefix: str, scope: str) -> list[_File]:
    """The files of a commit that are checked, with what each one's path implies (memoised)."""
    chosen: list[_File] = []
    where = config.where
    for path, blob in files.items():
        if path not in where:
            relative = path[len(prefix):]
            checked = _checked(path, prefix + scope) and not config.excluded.matches(relative)
            where[path] = (relative, is_test_path(relative), config.ignored(relative)) if checked else None
        known = where[path]
        if known is not None:
            chosen.append((known[0], blob, known[1], known[2]))
    return chosen


class _Perf:
    """Each benchmark's level at each commit that changed the baselines file."""

    def __init__(self, path: str, reader: BlobReader) -> None:
        self.path, self.reader, self.blob = path, reader, ""
        self.levels: dict[str, list[tuple[Commit, float]]] = {}

    def see(self, commit: Commit, files: dict[str, str]) -> None:
        blob = files.get(self.path, "")
        if blob and blob != self.blob:
            for name, level in _perf_levels(self.reader.read(blob)).items():
                self.levels.setdefault(name, []).append((commit, level))
        self.blob = blob


def _plan(history: History, prefix: str, scope: str, configs: _Configs, every: str | None,
          reader: BlobReader) -> _Plan:
    sampled = _sampled(history.commits, every)
    planned: list[tuple[Commit, _Config, list[_File]]] = []
    perf = _Perf(prefix + PERF_FILE, reader)
    previous: tuple[_Config | None, list[_File]] = (None, [])
    touched = True
    for index, (commit, files) in enumerate(states(history)):
        perf.see(commit, files)
        touched = touched or any(_checked(c.path, prefix) for c in history.changes[index])
        if index not in sampled:
            continue
        config = configs.at(files, commit)
        if touched or config is not previous[0]:
            previous = (config, _chosen(files, config, prefix, scope))
        touched = False
        planned.append((commit, config, previous[1]))
    return _Plan(planned, perf.levels)


# ---- analysis ---------------------------------------------------------------------------

_WORKER: list[Checker] = []


def _init_worker(checkers: list[Checker]) -> None:
    _WORKER[:] = checkers


def _analyse(task: tuple[str, bytes, bool]) -> dict[str, CheckerResult]:
    path, data, is_test = task
    return _analyse_with(_WORKER, path, data, is_test)


def _analyse_with(checkers: Sequence[Checker], path: str, data: bytes, is_test: bool) -> dict[str, CheckerResult]:
    source = SourceFile.from_bytes(data, path, is_test=is_test)
    outcome = check_source(source, "", frozenset(), checkers)
    return outcome.results([c.code for c in checkers])


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _run_tasks(tasks: list[tuple[str, bytes, bool]], checkers: list[Checker], jobs: int) -> list[dict[str, CheckerResult]]:
    workers = jobs or (min(_cores(), len(tasks) // 8) if len(tasks) >= PARALLEL_MIN_CONTENTS else 1)
    workers = max(1, min(workers, _cores(), len(tasks) or 1))
    if workers <= 1:
        return [_analyse_with(checkers, *task) for task in tasks]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    chunk = max(1, len(tasks) // (workers * 8))
    with ProcessPoolExecutor(workers, multiprocessing.get_context(method), _init_worker, (checkers,)) as pool:
        return list(pool.map(_analyse, tasks, chunksize=chunk))


Results = dict[str, dict[str, CheckerResult]]  # content key -> checker key -> result


def _fill(plan: _Plan, store: HistoryStore, reader: BlobReader, root: Path, jobs: int) -> tuple[Results, int]:
    """Every result the samples need, from the store or analysed; and how many contents were analysed."""
    results: Results = {}
    analysed = 0
    by_config: dict[int, tuple[_Config, dict[str, tuple[str, str, bool]]]] = {}
    for _, config, files in plan.commits:
        wanted = by_config.setdefault(id(config), (config, {}))[1]
        for path, blob, is_test, _ in files:
            wanted.setdefault(content_key(blob, is_test), (path, blob, is_test))
    for config, wanted in by_config.values():
        missing = []
        for key, (path, blob, is_test) in wanted.items():
            have = results.setdefault(key, {})
            for code, ckey in config.keys.items():
                if ckey not in have:
                    found, result = store.lookup(key, ckey)
                    if not found:
                        missing.append((key, path, blob, is_test))
                        break
                    have[ckey] = result
        analysed += _analyse_missing(missing, config, results, store, reader, root, jobs)
    return results, analysed


def _analyse_missing(missing: list[tuple[str, str, str, bool]], config: _Config, results: Results,
                     store: HistoryStore, reader: BlobReader, root: Path, jobs: int) -> int:
    """Analyse the contents no cache had (``gates check``'s cache is asked first)."""
    if not missing:
        return 0
    check_cache = ResultCache(root, config.checkers)
    codes = list(config.keys)
    tasks, keys = [], []
    for key, path, blob, is_test in missing:
        data = reader.read(blob)
        hit = check_cache.lookup(path, content_digest(data), codes)
        if hit is not None:
            _keep(key, hit, config, results, store)
        else:
            tasks.append((path, data, is_test))
            keys.append(key)
    with fewer_collections():
        outcomes = _run_tasks(tasks, config.checkers, jobs)
    for key, outcome in zip(keys, outcomes):
        _keep(key, outcome, config, results, store)
    return len(tasks)


def _keep(key: str, outcome: dict[str, CheckerResult], config: _Config, results: Results, store: HistoryStore) -> None:
    for code, result in outcome.items():
        results.setdefault(key, {})[config.keys[code]] = result
        store.store(key, config.keys[code], result)


def _figures(config: _Config, files: list[_File], results: Results) -> dict[str, Figure]:
    """Each checker's own verdict over the files' results, as ``gates check`` folds them."""
    figures = {}
    for checker in config.checkers:
        ckey = config.keys[checker.code]
        findings: list[Any] = []
        measures: list[tuple[str, Any]] = []
        for path, blob, is_test, ignored in files:
            if checker.code in ignored:
                continue
            result = results[content_key(blob, is_test)].get(ckey)
            if result is None:
                continue
            findings.extend(result[0])
            if result[1] is not None:
                measures.append((path, result[1]))
        verdict = checker.summarize(findings, measures)
        figures[checker.code] = Figure(verdict.measured, verdict.passed, verdict.violations)
    return figures


def _share_newest(plan: _Plan, results: Results, root: Path) -> None:
    """The newest commit's results offered to ``gates check``'s cache, for the files whose
    bytes on disk are those of the commit (a checkout at that commit is then warm)."""
    if not plan.commits:
        return
    _, config, files = plan.commits[-1]
    cache = ResultCache(root, config.checkers)
    for path, blob, is_test, ignored in files:
        try:
            data = (root / path).read_bytes()
        except OSError:
            continue
        if _blob_id(data) != blob:
            continue
        kept = results[content_key(blob, is_test)]
        wanted = {code: ckey for code, ckey in config.keys.items() if code not in ignored}
        if all(ckey in kept for ckey in wanted.values()):
            cache.store(path, content_digest(data), {code: kept[ckey] for code, ckey in wanted.items()})
    cache.save()


def _blob_id(data: bytes) -> str:
    from hashlib import sha1

    return sha1(b"blob %d\0" % len(data) + data).hexdigest()


def measure(history: History, top: Path, prefix: str, scope: str, selection: Selection, *,
            every: str | None = None, cache: bool = True, jobs: int = 0) -> Trail:
    """The figures of every sampled commit of ``history``."""
    root = selection.settings.root
    reader = BlobReader(top)
    try:
        configs = _Configs(selection, reader, prefix + "pyproject.toml")
        plan = _plan(history, prefix, scope, configs, every, reader)
        store = HistoryStore(root, cache)
        results, analysed = _fill(plan, store, reader, root, jobs)
    finally:
        reader.close()
    store.save()
    if cache:
        _share_newest(plan, results, root)
    samples, gates = [], {}
    last: tuple[object, object, dict[str, Figure]] = (None, None, {})
    for commit, config, files in plan.commits:
        if last[0] is not config or last[1] is not files:
            last = (config, files, _figures(config, files, results))
        samples.append(Sample(commit, last[2], config.origin, len(files)))
    for config in configs.known.values():
        gates.update({checker.code: _info(checker) for checker in config.checkers})
    if plan.commits:  # the newest commit's limits
        gates.update({checker.code: _info(checker) for checker in plan.commits[-1][1].checkers})
    contents = {content_key(b, t) for _, _, files in plan.commits for _, b, t, _ in files}
    mode = "now" if selection.config_now else "commit"
    return Trail(samples, gates, mode, history.shallow, len(history.commits), len(contents), analysed,
                 configs.notes, sorted(configs.skipped), plan.perf)


def _info(checker: Checker) -> GateInfo:
    probe = checker.summarize([], [])
    return GateInfo(checker.code, checker.name, checker.unit, checker.threshold,
                    checker.higher_is_better(), probe.precision)
