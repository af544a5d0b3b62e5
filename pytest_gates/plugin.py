"""The hooks pytest calls. Each part (coverage gate, seeds) is its own plugin object,
registered in ``pytest_configure`` only when it is switched on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gates.errors import UsageError
from pytest_gates.coverage.hooks import CoverageGate, start_measurement
from pytest_gates.options import add_options, plugin_settings
from pytest_gates.seeds.hooks import (
    MARKER,
    MARKER_HELP,
    SeedsPlugin,
    ThreadLimits,
    item_seed,
    remember_seed,
    resolve_seed,
)

SEED_KEY = pytest.StashKey[int]()
HEADER_KEY = pytest.StashKey[list[str]]()
THREADS_KEY = pytest.StashKey[ThreadLimits]()
MEASUREMENT_KEY = pytest.StashKey[Any]()
PERF_KEY = pytest.StashKey[Any]()


def pytest_addoption(parser: pytest.Parser) -> None:
    add_options(parser)


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config) -> None:
    # Before conftest.py files are imported: they may import the measured package or numpy.
    settings = plugin_settings(early_config)
    if settings.seeds_on and settings.seeds.deterministic_threads:
        limits = ThreadLimits()
        limits.apply()
        early_config.stash[THREADS_KEY] = limits
    early_config.stash[MEASUREMENT_KEY] = start_measurement(early_config, settings)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", MARKER_HELP)
    settings = plugin_settings(config)
    header: list[str] = []
    seed, how = resolve_seed(config, settings.seed_arg, settings.seeds.seed)
    config.stash[SEED_KEY] = seed
    if not hasattr(config, "workerinput"):
        remember_seed(config, seed)
    if settings.seeds_on:
        _configure_seeds(config, seed, how, header)
    else:
        header.append("gates: seeds off (GT302)")
    measurement = config.stash.get(MEASUREMENT_KEY, None)
    if settings.coverage_on:
        gate = CoverageGate(settings, measurement)
        described = gate.describe(config)
        if described is not None or measurement is not None:
            config.pluginmanager.register(gate, "gates-coverage")
        if described is not None:
            header.append(f"gates: {described}")
            _check_diff_base(config, settings.root, settings.coverage.diff_base)
    _configure_perf(config, header)
    _configure_shard(config, seed, header)
    config.stash[HEADER_KEY] = header


def _configure_shard(config: pytest.Config, seed: int, header: list[str]) -> None:
    """``--gates-shard=DIR``: one shard of a split run, judged by ``gates combine``."""
    from pytest_gates.shard.hooks import ShardPlugin, shard_identity

    identity = shard_identity(config)
    if identity is None:
        return
    settings = plugin_settings(config)
    gate = config.pluginmanager.get_plugin("gates-coverage")
    perf = config.pluginmanager.get_plugin("gates-perf")
    for part in (gate, perf):
        if part is not None:
            part.sharded = True
    config.pluginmanager.register(ShardPlugin(identity, settings, seed), "gates-shard")
    where = f"{identity.number} of {identity.total or '?'}" if identity.number else identity.name
    header.append(f"gates: shard {where}, record to {identity.folder}; coverage floors and "
                  "baselines are left to `gates combine`")


def _configure_perf(config: pytest.Config, header: list[str]) -> None:
    from pytest_gates.budgets.hooks import MARKER_HELP as BUDGET_HELP
    from pytest_gates.budgets.hooks import BudgetPlugin

    config.addinivalue_line("markers", BUDGET_HELP)
    settings = plugin_settings(config)
    perf = settings.perf
    config.pluginmanager.register(BudgetPlugin(perf.max_duration), "gates-budgets")
    if perf.max_duration:
        header.append(f"gates: max-duration {perf.max_duration:g} s for the session")
    if perf.max_memory:
        from pytest_gates.budgets.session_memory import SessionMemoryPlugin, size_text

        config.pluginmanager.register(SessionMemoryPlugin(perf.max_memory), "gates-max-memory")
        header.append(f"gates: max-memory {size_text(perf.max_memory)} peak RSS per process")
    if perf.mode == "off":
        return
    from pytest_gates.perf.hooks import PerfPlugin

    try:
        plugin = PerfPlugin(perf, settings.root)
    except UsageError as exc:
        raise pytest.UsageError(f"gates: {exc}") from None
    plugin.start_ab(config, settings.root)
    if plugin.ab is not None and plugin.ab.problem is None and not hasattr(config, "workerinput"):
        header.append(f"gates: perf A/B against {perf.against} ({plugin.ab.commit[:12]}), "
                      "measured in the same run")
    config.stash[PERF_KEY] = plugin
    config.pluginmanager.register(plugin, "gates-perf")


def _configure_seeds(config: pytest.Config, seed: int, how: str, header: list[str]) -> None:
    from pytest_gates.seeds.reseeders import all_reseeders

    settings = plugin_settings(config)
    try:
        reseeders = all_reseeders(new_generators=settings.seeds.seed_new_generators)
    except UsageError as exc:
        raise pytest.UsageError(f"gates: {exc}") from None
    threads = settings.seeds.deterministic_threads
    config.pluginmanager.register(SeedsPlugin(seed, reseeders, threads), "gates-seeds")
    text = f"gates: seed {seed} ({how}; replay with --gates-seed={seed})"
    if threads:
        text += ", deterministic threads"
    if config.pluginmanager.hasplugin("randomly") and hasattr(config.option, "randomly_reset_seed"):
        # Both plugins reseed before every test; gates wins, randomly still shuffles.
        config.option.randomly_reset_seed = False
        text += "; pytest-randomly shuffles the order, gates seeds"
    header.append(text)


def _check_diff_base(config: pytest.Config, root: Path, ref: str) -> None:
    """An unknown ref or a shallow clone should stop the run before the tests, not after."""
    if not ref or hasattr(config, "workerinput"):
        return
    from gates.core.git import check_ref

    try:
        check_ref(root, ref)
    except UsageError as exc:
        raise pytest.UsageError(f"gates: {exc}") from None


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """pytest-xdist: every worker uses the controller's seed (it may have been drawn)."""
    node.workerinput["gates_seed"] = node.config.stash[SEED_KEY]


def pytest_report_header(config: pytest.Config) -> list[str]:
    return config.stash.get(HEADER_KEY, [])


def pytest_unconfigure(config: pytest.Config) -> None:
    limits = config.stash.get(THREADS_KEY, None)
    if limits is not None:
        limits.undo()


@pytest.fixture
def gates_seed(request: pytest.FixtureRequest) -> int:
    """The seed this test runs with: the session's, or the one of its gates_seed mark."""
    seed = request.config.stash.get(SEED_KEY, 42)
    node = request.node
    return item_seed(node, seed) if isinstance(node, pytest.Item) else seed


@pytest.fixture
def perf(request: pytest.FixtureRequest) -> Any:
    """Measure a function against its stored baseline (GT303): ``perf(func, *args)``."""
    from pytest_gates.perf.hooks import Perf

    plugin = request.config.stash.get(PERF_KEY, None)
    mode = plugin.options.mode if plugin is not None else "off"
    return Perf(plugin, request.node.nodeid, mode)
