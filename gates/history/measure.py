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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from gates.core.cache import checker_key
from gates.core.checker import Checker
from gates.core.config import Settings, settings_from_toml
from gates.core.discovery import SKIPPED_DIRS, PathMatcher, is_test_path
from gates.core.selection import per_file_ignores, select_checkers
from gates.errors import UsageError
from gates.history.analyse import Results, fill, share_newest
from gates.history.store import HistoryStore, content_key
from gates.history.walk import BlobReader, Commit, History, states

PERF_FILE = ".performance_baselines.json"


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
class CommitConfig:
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
        self.known: dict[str, CommitConfig] = {}
        self.notes: list[str] = []
        self.skipped: set[str] = set()

    def _build(self, settings: Settings, origin: str) -> CommitConfig:
        chosen = select_checkers(settings, self.selection.select, self.selection.ignore)
        checkers, skipped = _static(chosen)
        self.skipped.update(skipped)
        return CommitConfig(
            settings, checkers, {c.code: checker_key(c) for c in checkers},
            per_file_ignores(settings), PathMatcher(settings.exclude), origin,
        )

    def at(self, files: dict[str, str], commit: Commit) -> CommitConfig:
        blob = "now" if self.selection.config_now else files.get(self.config_path, "")
        if blob not in self.known:
            self.known[blob] = self._read(blob, commit)
        return self.known[blob]

    def _read(self, blob: str, commit: Commit) -> CommitConfig:
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
CheckedFile = tuple[str, str, bool, frozenset[str]]


@dataclass
class Plan:
    commits: list[tuple[Commit, CommitConfig, list[CheckedFile]]]
    perf: dict[str, list[tuple[Commit, float]]]


def _perf_levels(data: bytes) -> dict[str, float]:
    try:
        benchmarks = json.loads(data).get("benchmarks", {})
        return {k: float(v["median"]) for k, v in benchmarks.items()
                if isinstance(v, dict) and isinstance(v.get("median"), (int, float))}
    except (ValueError, AttributeError, TypeError):
        return {}


def _chosen(files: dict[str, str], config: CommitConfig, prefix: str, scope: str) -> list[CheckedFile]:
    """The files of a commit that are checked, with what each one's path implies (memoised)."""
    chosen: list[CheckedFile] = []
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
          reader: BlobReader) -> Plan:
    sampled = _sampled(history.commits, every)
    planned: list[tuple[Commit, CommitConfig, list[CheckedFile]]] = []
    perf = _Perf(prefix + PERF_FILE, reader)
    previous: tuple[CommitConfig | None, list[CheckedFile]] = (None, [])
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
    return Plan(planned, perf.levels)


def _figures(config: CommitConfig, files: list[CheckedFile], results: Results) -> dict[str, Figure]:
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


def _samples(plan: Plan, results: Results) -> list[Sample]:
    """Each sampled commit's figures; a commit with the files and config of the one before
    shares its figures."""
    samples = []
    last: tuple[object, object, dict[str, Figure]] = (None, None, {})
    for commit, config, files in plan.commits:
        if last[0] is not config or last[1] is not files:
            last = (config, files, _figures(config, files, results))
        samples.append(Sample(commit, last[2], config.origin, len(files)))
    return samples


def measure(history: History, top: Path, prefix: str, scope: str, selection: Selection, *,
            every: str | None = None, cache: bool = True, jobs: int = 0) -> Trail:
    """The figures of every sampled commit of ``history``."""
    root = selection.settings.root
    reader = BlobReader(top)
    try:
        configs = _Configs(selection, reader, prefix + "pyproject.toml")
        plan = _plan(history, prefix, scope, configs, every, reader)
        store = HistoryStore(root, cache)
        results, analysed = fill(plan, store, reader, root, jobs)
    finally:
        reader.close()
    store.save()
    if cache:
        share_newest(plan, results, root)
    samples = _samples(plan, results)
    gates = {}
    for config in [*configs.known.values(), *(plan.commits[-1][1:2] if plan.commits else [])]:
        gates.update({checker.code: _info(checker) for checker in config.checkers})  # newest last
    contents = {content_key(b, t) for _, _, files in plan.commits for _, b, t, _ in files}
    mode = "now" if selection.config_now else "commit"
    return Trail(samples, gates, mode, history.shallow, len(history.commits), len(contents), analysed,
                 configs.notes, sorted(configs.skipped), plan.perf)


def _info(checker: Checker) -> GateInfo:
    probe = checker.summarize([], [])
    return GateInfo(checker.code, checker.name, checker.unit, checker.threshold,
                    checker.higher_is_better(), probe.precision)
