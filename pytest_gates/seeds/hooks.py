"""GT302: every test starts from the same seeded RNG state, in any order, with or without xdist.

Before the setup, the call and the teardown of every test each active reseeder is
seeded: the call with the session's seed itself (so a test that seeds its own generator
with the ``gates_seed`` fixture sees the same stream as the global one), setup and
teardown with the seed plus 1 and 2, so a fixture and the test do not draw the same
numbers. After the teardown the state from before the tests is put back.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any

import pytest

from gates.core.runtime_options import MAX_SEED
from pytest_gates.seeds.reseeders import THREAD_VARIABLES, Reseeder, make_torch_deterministic

CACHE_KEY = "gates/seed"
SETUP_OFFSET, TEARDOWN_OFFSET = 1, 2
MARKER = "gates_seed"
MARKER_HELP = "gates_seed(n): run this test with seed n instead of the session's seed (gates GT302)"


def parse_seed(text: str, where: str) -> int:
    """A seed from the command line or a marker; anything else is a usage error."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= MAX_SEED:
        raise pytest.UsageError(
            f"{where}: expected a whole number from 0 to {MAX_SEED}, `random` or `last`; got {text!r}"
        )
    return value


def resolve_seed(config: pytest.Config, arg: str | None, configured: int) -> tuple[int, str]:
    """The session's seed and how it was chosen (for the header)."""
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None and "gates_seed" in workerinput:
        return int(workerinput["gates_seed"]), "from the controller"
    if arg is None:
        return configured, "default" if configured == 42 else "configured"
    if arg == "random":
        import secrets

        return secrets.randbelow(MAX_SEED + 1), "random"
    if arg == "last":
        cache = getattr(config, "cache", None)
        if cache is None:
            raise pytest.UsageError(
                "--gates-seed=last needs pytest's cache; remove -p no:cacheprovider"
            )
        last = cache.get(CACHE_KEY, None)
        if not isinstance(last, int):
            raise pytest.UsageError(
                "--gates-seed=last: no seed stored in pytest's cache yet; run once with "
                "--gates-seed=N or --gates-seed=random first"
            )
        return last, "last run's"
    return parse_seed(arg, "--gates-seed"), "command line"


def remember_seed(config: pytest.Config, seed: int) -> None:
    """Keep the seed in pytest's cache so ``--gates-seed=last`` can replay this run."""
    cache = getattr(config, "cache", None)
    if cache is not None and cache.get(CACHE_KEY, None) != seed:
        cache.set(CACHE_KEY, seed)


def item_seed(item: pytest.Item, session_seed: int) -> int:
    marker = item.get_closest_marker(MARKER)
    if marker is None:
        return session_seed
    if len(marker.args) != 1 or marker.kwargs:
        pytest.fail(f"@pytest.mark.{MARKER} takes one seed, like @pytest.mark.{MARKER}(7)", pytrace=False)
    value = marker.args[0]
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_SEED:
        pytest.fail(
            f"@pytest.mark.{MARKER}({value!r}): expected a whole number from 0 to {MAX_SEED}",
            pytrace=False,
        )
    return value


def has_marker(item: pytest.Item) -> bool:
    """Whether the item or a parent carries the mark: what get_closest_marker finds, in
    a fraction of its cost (this runs before every test)."""
    node: Any = item
    while node is not None:
        for mark in node.own_markers:
            if mark.name == MARKER:
                return True
        node = node.parent
    return False


def runs_fixtures(item: pytest.Item) -> bool:
    """Whether the test's setup or teardown can run any code of the project: a test
    without fixtures (autouse and xunit-style ones count) has nothing to reseed for."""
    names = getattr(item, "fixturenames", None)
    return names is None or bool(names)


class SeedsPlugin:
    """Registered in ``pytest_configure`` when seeds are on.

    Each generator's state is captured once, just before the first test that finds its
    library imported, and put back after every test: whatever a test does, the next
    test and the code between tests (other plugins' hooks, the end of the session) see
    that state. Capturing once instead of before every test, skipping the setup and
    teardown of tests that have no fixture there to run, and few calls per test keep the
    plugin's cost small next to a fast test's own.
    """

    def __init__(self, seed: int, reseeders: Sequence[Reseeder], threads: bool) -> None:
        self.seed = seed
        self.reseeders = tuple(reseeders)
        self.threads = threads
        self._torch_done = False
        self._current = seed
        self._active: tuple[Reseeder, ...] = ()
        self._outside: list[tuple[Reseeder, object]] = []
        self._modules_seen = -1

    def _refresh(self) -> None:
        # A reseeder becomes active when its library is imported: look again only when
        # the set of imported modules has changed (the common case is "no").
        self._modules_seen = len(sys.modules)
        self._active = tuple(r for r in self.reseeders if r.active())
        known = {id(r) for r, _ in self._outside}
        self._outside += [(r, r.getstate()) for r in self._active if id(r) not in known]

    def _reseed(self, seed: int) -> None:
        if len(sys.modules) != self._modules_seen:
            self._refresh()
        seed &= MAX_SEED
        for reseeder in self._active:
            reseeder.reseed(seed)

    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        if self.threads and not self._torch_done:
            self._torch_done = make_torch_deterministic()
        self._current = self.seed
        if has_marker(item):
            self._current = item_seed(item, self.seed)
        if runs_fixtures(item):
            self._reseed(self._current + SETUP_OFFSET)

    def pytest_runtest_call(self) -> None:
        self._reseed(self._current)

    def pytest_runtest_teardown(self, item: pytest.Item, nextitem: pytest.Item | None) -> None:
        # Finalizers of wider-scoped fixtures run when the next test is elsewhere.
        if runs_fixtures(item) or nextitem is None or nextitem.parent is not item.parent:
            self._reseed(self._current + TEARDOWN_OFFSET)

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_logfinish(self) -> None:
        # After the teardown, also when it failed; before other plugins' hooks see the state.
        self._current = self.seed
        for reseeder, state in self._outside:
            if reseeder.active():
                reseeder.setstate(state)


class ThreadLimits:
    """Environment variables that pin native thread pools to one thread, undone at the end."""

    def __init__(self) -> None:
        self._before: dict[str, str | None] = {}

    def apply(self) -> None:
        wanted = dict.fromkeys(THREAD_VARIABLES, "1")
        wanted["CUBLAS_WORKSPACE_CONFIG"] = ":4096:8"  # needed by deterministic cuBLAS
        for name, value in wanted.items():
            self._before.setdefault(name, os.environ.get(name))
            os.environ[name] = value

    def undo(self) -> None:
        for name, value in self._before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self._before.clear()
