"""The plugin's command-line options (one group, ``--gates-`` prefix) and its settings.

Settings come from ``[tool.gates.coverage]`` and ``[tool.gates.seeds]`` in the project's
pyproject.toml, validated exactly as ``gates check`` validates them; a command-line
option replaces the config's value.
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from gates.core.config import Settings, build_options, load_settings
from gates.errors import UsageError
from gates.core.runtime_options import (
    PERF_MODES,
    CoverageOptions,
    PerfOptions,
    SeedsOptions,
    coverage_options_problem,
    perf_options_problem,
    seeds_options_problem,
)

STASH_KEY = pytest.StashKey["PluginSettings"]()


def _percent(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 100.0:
        raise argparse.ArgumentTypeError(f"expected a percentage between 0 and 100, like 80; got {text!r}")
    return value


def _size(text: str) -> int:
    from pytest_gates.budgets.hooks import parse_memory

    try:
        return parse_memory(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected bytes or a size like 1.2GB or '500 MB'; got {text!r}") from None


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup("gates", "gates: coverage gate (GT301) and deterministic seeds (GT302)")
    add = group.addoption
    add("--gates-seed", metavar="N|random|last", default=None,
        help="seed for random, numpy and torch before every test (default 42, or `seed` in "
        "[tool.gates.seeds]); `random` draws one, `last` replays the previous run's")
    add("--gates-no-seeds", action="store_true", default=False,
        help="do not reseed random number generators (GT302 off)")
    add("--gates-no-seed-new-generators", action="store_true", default=False,
        help="let generators a test creates without a seed (numpy default_rng(), "
        "random.Random()) draw OS entropy, as without gates")
    add("--gates-deterministic-threads", action="store_true", default=None,
        help="one thread for OpenMP/MKL/OpenBLAS/NumExpr, torch deterministic algorithms")
    add("--gates-cov", metavar="PKG", action="append", default=None,
        help="measure coverage of PKG (a package or folder) with coverage.py; repeatable")
    add("--gates-fail-under", metavar="PCT", type=_percent, default=None,
        help="fail when total coverage is below PCT (default: pytest-cov's --cov-fail-under "
        "or coverage.py's [report] fail_under; with neither, the figure is only reported)")
    add("--gates-min-file", metavar="PCT", type=_percent, default=None,
        help="also fail when any measured file is below PCT (default off)")
    add("--gates-diff", metavar="REF", default=None,
        help="also gate the coverage of lines changed since the merge-base with git REF")
    add("--gates-diff-fail-under", metavar="PCT", type=_percent, default=None,
        help="floor for changed-lines coverage (default 80)")
    add("--gates-coverage-file", metavar="FILE", default=None,
        help="coverage data file (default: coverage.py's, usually .coverage)")
    add("--gates-no-coverage", action="store_true", default=False,
        help="do not run the coverage gate (GT301 off)")
    _add_perf_options(add)
    from pytest_gates.shard.hooks import add_shard_options

    add_shard_options(add)


def _add_perf_options(add: Any) -> None:
    add("--gates-perf", choices=PERF_MODES, default=None,
        help="perf fixture (GT303): compare against the baselines (default); save a run to "
        "them; accept this run as the new baseline (an intended slowdown); prune: compare "
        "and drop the baselines of tests that no longer exist; off. Never judged nor saved "
        "under a tracer (coverage, a debugger)")
    add("--gates-perf-max-regression", metavar="PCT", type=float, default=None,
        help="fail a benchmark more than PCT slower than its baseline (default 20)")
    add("--gates-perf-against", metavar="REF", default=None,
        help="A/B mode: check git REF out into a temporary worktree and measure each benchmark "
        "against REF's code in the same run (rounds alternate), instead of the stored baselines")
    add("--gates-perf-timer", choices=("wall", "cpu"), default=None,
        help="time with the wall clock (default) or the process's CPU time")
    add("--gates-perf-any-machine", action="store_true", default=None,
        help="compare baselines saved on another machine too (default: warn and skip)")
    add("--gates-perf-no-memory", action="store_true", default=False,
        help="do not gate peak memory against the baselines")
    add("--gates-perf-file", metavar="FILE", default=None,
        help="baseline file (default .performance_baselines.json at the project root)")
    add("--gates-max-duration", metavar="SECONDS", type=float, default=None,
        help="fail the session when it takes longer than SECONDS (default: no limit)")
    add("--gates-max-memory", metavar="SIZE", type=_size, default=None,
        help="fail the session when its largest process's peak RSS exceeds SIZE "
        "(bytes, or like 1.2GB; default: no limit)")


class PluginSettings(NamedTuple):
    """What the plugin does in this session, config and command line merged."""

    root: Path
    coverage: CoverageOptions
    coverage_on: bool  # False: switched off; True: may run
    coverage_explicit: bool  # asked for even when nothing is measured in this session
    seeds: SeedsOptions
    seeds_on: bool
    seed_arg: str | None
    perf: PerfOptions = PerfOptions()
    # fail-under set in [tool.gates.coverage] or by --gates-fail-under: gates' own floor.
    # Otherwise pytest-cov's or coverage.py's floor stands, and with neither none applies.
    floor_configured: bool = False


def _opt(ns: argparse.Namespace, name: str) -> Any:
    # Missing when the plugin was registered after the command line was parsed.
    return getattr(ns, name, None)


def _coverage_cli(ns: argparse.Namespace) -> dict[str, Any]:
    cov = _opt(ns, "gates_cov")
    pairs = {
        "fail_under": _opt(ns, "gates_fail_under"),
        "min_file": _opt(ns, "gates_min_file"),
        "diff_base": _opt(ns, "gates_diff"),
        "diff_fail_under": _opt(ns, "gates_diff_fail_under"),
        "data_file": _opt(ns, "gates_coverage_file"),
        "source": tuple(cov) if cov else None,
    }
    return {key: value for key, value in pairs.items() if value is not None}


def _load(rootpath: Path, ns: argparse.Namespace) -> PluginSettings:
    settings = load_settings(start=rootpath)
    cov_where = settings.where("tool.gates.coverage")
    cov_table = settings.gate_table("coverage", "GT301")
    cov, cov_enabled = build_options(CoverageOptions, cov_table, cov_where)
    seeds_where = settings.where("tool.gates.seeds")
    seeds, seeds_enabled = build_options(SeedsOptions, settings.gate_table("seeds", "GT302"), seeds_where)
    cli = _coverage_cli(ns)
    cov = dataclasses.replace(cov, **cli)
    problem = coverage_options_problem(cov)
    if problem:
        raise UsageError(f"{cov_where}: {problem}")
    problem = seeds_options_problem(seeds)
    if problem:
        raise UsageError(f"{seeds_where}: {problem}")
    perf = _perf_settings(settings, ns)
    if _opt(ns, "gates_deterministic_threads"):
        seeds = dataclasses.replace(seeds, deterministic_threads=True)
    if _opt(ns, "gates_no_seed_new_generators"):
        seeds = dataclasses.replace(seeds, seed_new_generators=False)
    return PluginSettings(
        root=settings.root,
        coverage=cov,
        coverage_on=cov_enabled is not False and not _opt(ns, "gates_no_coverage"),
        coverage_explicit=bool(cov_enabled) or bool(set(cli) - {"source"}),
        seeds=seeds,
        seeds_on=seeds_enabled is not False and not _opt(ns, "gates_no_seeds"),
        seed_arg=_opt(ns, "gates_seed"),
        perf=perf,
        floor_configured="fail_under" in cli or any(k in cov_table for k in ("fail-under", "fail_under")),
    )


def _perf_settings(settings: Settings, ns: argparse.Namespace) -> PerfOptions:
    where = settings.where("tool.gates.perf")
    perf: PerfOptions
    perf, enabled = build_options(PerfOptions, settings.gate_table("perf", "GT303"), where)
    pairs = {
        "mode": _opt(ns, "gates_perf") or ("off" if enabled is False else None),
        "max_regression": _opt(ns, "gates_perf_max_regression"),
        "timer": _opt(ns, "gates_perf_timer"),
        "against": _opt(ns, "gates_perf_against"),
        "any_machine": _opt(ns, "gates_perf_any_machine"),
        "memory_check": False if _opt(ns, "gates_perf_no_memory") else None,
        "file": _opt(ns, "gates_perf_file"),
        "max_duration": _opt(ns, "gates_max_duration"),
        "max_memory": _opt(ns, "gates_max_memory"),
    }
    perf = dataclasses.replace(perf, **{k: v for k, v in pairs.items() if v is not None})
    problem = perf_options_problem(perf)
    if problem:
        raise UsageError(f"{where}: {problem}")
    return perf


def plugin_settings(config: pytest.Config) -> PluginSettings:
    """The session's settings, read once (early, from the pre-parsed command line)."""
    cached = config.stash.get(STASH_KEY, None)
    if cached is not None:
        return cached
    try:
        loaded = _load(config.rootpath, config.known_args_namespace)
    except UsageError as exc:
        raise pytest.UsageError(f"gates: {exc}") from None
    config.stash[STASH_KEY] = loaded
    return loaded
