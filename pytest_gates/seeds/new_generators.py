"""Generators a test creates without a seed derive from the test's seed (GT302).

Reseeding the global state (``random.seed``, ``numpy.random.seed``) does not reach a
generator the test builds itself: ``numpy.random.default_rng()`` or
``random.Random()`` without a seed draw fresh OS entropy on every run, so the test is
not reproducible (pytest-randomly#558, numpy#15571). NumPy has no hook for this; its
seedless ``SeedSequence`` takes its entropy from ``numpy.random.bit_generator.randbits``.
While a test runs, that function and ``random.Random.seed(None)`` are replaced by a
deterministic source: the n-th unseeded generator of a test phase gets entropy made of
the phase's seed and n, the same in every run, in any order, under xdist. Between tests
and outside the session both are the originals again.

NumPy is patched only once a test (or what it imports) has imported it; the plugin never
imports it. ``random.SystemRandom`` and ``secrets`` stay unpredictable; ``tempfile``'s
private ``Random()`` keeps OS entropy, so parallel workers do not pick the same names.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from typing import Any

_ENTROPY_MODULE = "numpy.random.bit_generator"
# Callers that need real entropy even in a test: temporary file names in parallel workers.
_KEEP_ENTROPY = frozenset({"tempfile"})


class NewGeneratorsReseeder:
    """A reseeder (see :mod:`pytest_gates.seeds.reseeders`) that seeds new unseeded generators."""

    name = "new-generators"

    def __init__(self) -> None:
        self._seed: int | None = None  # None: not inside a test phase
        self._count = 0
        self._random_seed: Callable[..., None] | None = None
        self._numpy: Any = None
        self._numpy_randbits: Callable[[int], int] | None = None

    def active(self) -> bool:
        return True

    def reseed(self, seed: int) -> None:
        self._seed, self._count = seed, 0
        if self._random_seed is None:
            self._patch_random()
        if self._numpy is None and _ENTROPY_MODULE in sys.modules:
            self._patch_numpy(sys.modules[_ENTROPY_MODULE])

    def getstate(self) -> object:
        return None  # outside the tests: the original sources

    def setstate(self, state: object) -> None:
        self._seed = None
        self.restore()

    def restore(self) -> None:
        """Put the original entropy sources back (after each test and at the end)."""
        if self._random_seed is not None:
            random.Random.seed = self._random_seed  # type: ignore[method-assign]
            self._random_seed = None
        if self._numpy is not None:
            self._numpy.randbits = self._numpy_randbits
            self._numpy = self._numpy_randbits = None

    def _entropy(self, bits: int) -> int:
        assert self._seed is not None
        self._count += 1
        # Distinct for every (seed, n): a generator seeded with the test's seed itself
        # (the gates_seed fixture) does not draw the same stream as an unseeded one.
        derived = random.Random(f"gates-new-generator/{self._seed}/{self._count}")
        return derived.getrandbits(bits)

    def _patch_random(self) -> None:
        original = random.Random.seed
        owner = self

        def seed(self: random.Random, a: Any = None, version: int = 2) -> None:
            if a is None and owner._seed is not None and not _caller_keeps_entropy():
                a = owner._entropy(128)
            original(self, a, version)

        self._random_seed = original
        random.Random.seed = seed  # type: ignore[method-assign]

    def _patch_numpy(self, module: Any) -> None:
        original = module.randbits
        owner = self

        def randbits(bits: int) -> int:
            return original(bits) if owner._seed is None else owner._entropy(bits)

        self._numpy, self._numpy_randbits = module, original
        module.randbits = randbits


def _caller_keeps_entropy() -> bool:
    # seed() <- Random.__init__ <- the code that built the generator.
    try:
        frame = sys._getframe(3)
    except ValueError:  # called from the top of a stack
        return False
    return frame.f_globals.get("__name__") in _KEEP_ENTROPY
