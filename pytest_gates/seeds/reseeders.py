"""The random number generators the plugin reseeds: built-ins and the ``gates.reseeders`` group.

A reseeder acts only when its library is already imported: the plugin never imports
NumPy or torch for a test suite that does not use them.

A third-party package adds one by registering, under the entry-point group
``gates.reseeders``, either a function ``reseed(seed: int) -> None`` or a class whose
instances have ``reseed(seed)`` and, optionally, ``getstate()``/``setstate(state)`` (so
the state can be restored after each test) and ``module = "name"`` (act only once that
module is imported).
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from typing import Any, Protocol, cast

from gates.errors import UsageError
from gates.core.registry import load_plugin, plugins

GROUP = "gates.reseeders"
THREAD_VARIABLES = (
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "NUMEXPR_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
)


class Reseeder(Protocol):
    name: str

    def active(self) -> bool: ...

    def reseed(self, seed: int) -> None: ...

    def getstate(self) -> object: ...

    def setstate(self, state: object) -> None: ...


class RandomReseeder:
    """Python's ``random`` module (its hidden global ``Random`` instance)."""

    name = "random"

    def __init__(self) -> None:
        self._seeded: dict[int, object] = {}  # setstate is cheaper than seed

    def active(self) -> bool:
        return True

    def reseed(self, seed: int) -> None:
        state = self._seeded.get(seed)
        if state is None:
            random.seed(seed)
            self._seeded[seed] = random.getstate()
        else:
            random.setstate(state)  # type: ignore[arg-type]

    def getstate(self) -> object:
        return random.getstate()

    def setstate(self, state: object) -> None:
        random.setstate(state)  # type: ignore[arg-type]


class NumpyReseeder:
    """NumPy's legacy global state (``numpy.random.seed``/``rand``/...), once numpy is imported.

    ``numpy.random`` is a lazy submodule: once ``numpy`` itself is imported, importing it
    is cheap, and the test may touch it at any moment, so it is seeded too.
    """

    name = "numpy"

    def __init__(self) -> None:
        self._random: Any = None

    def active(self) -> bool:
        if self._random is None:
            if "numpy" not in sys.modules:
                return False
            import numpy.random

            self._random = numpy.random
        return True

    def reseed(self, seed: int) -> None:
        self._random.seed(seed)

    def getstate(self) -> object:
        return self._random.get_state()

    def setstate(self, state: object) -> None:
        self._random.set_state(state)


class TorchReseeder:
    """torch's CPU generator and, when CUDA is initialised, every CUDA device's."""

    name = "torch"

    def active(self) -> bool:
        return "torch" in sys.modules

    def reseed(self, seed: int) -> None:
        # manual_seed seeds CPU and all CUDA devices (lazily, if CUDA is not initialised).
        sys.modules["torch"].manual_seed(seed)

    def getstate(self) -> object:
        torch = sys.modules["torch"]
        cuda = torch.cuda.get_rng_state_all() if torch.cuda.is_initialized() else None
        return torch.get_rng_state(), cuda

    def setstate(self, state: object) -> None:
        torch = sys.modules["torch"]
        cpu, cuda = cast(tuple[Any, Any], state)
        torch.set_rng_state(cpu)
        if cuda is not None:
            torch.cuda.set_rng_state_all(cuda)


class PluginReseeder:
    """A reseeder from the ``gates.reseeders`` group: a function, or an object with ``reseed``."""

    def __init__(self, name: str, target: Any) -> None:
        self.name = name
        self._target = target
        self._reseed: Callable[[int], None] = getattr(target, "reseed", target)
        self._module: str | None = getattr(target, "module", None)
        self._restorable = hasattr(target, "getstate") and hasattr(target, "setstate")

    def active(self) -> bool:
        return self._module is None or self._module in sys.modules

    def reseed(self, seed: int) -> None:
        self._reseed(seed)

    def getstate(self) -> object:
        return self._target.getstate() if self._restorable else None

    def setstate(self, state: object) -> None:
        if self._restorable:
            self._target.setstate(state)


def _instance(target: Any) -> Any:
    """A class registered as a reseeder is instantiated; a function is used as it is."""
    return target() if isinstance(target, type) else target


def plugin_reseeders() -> list[Reseeder]:
    """Reseeders registered by installed packages. One that fails to load is an error."""
    found: list[Reseeder] = []
    for entry in sorted(plugins(GROUP), key=lambda e: e.name):
        target = load_plugin(entry, "reseeder", _instance)
        if not callable(getattr(target, "reseed", target)):
            raise UsageError(
                f"reseeder plugin '{entry.name}' ({entry.value}) is neither a function "
                "reseed(seed) nor an object with a reseed(seed) method"
            )
        found.append(PluginReseeder(entry.name, target))
    return found


def all_reseeders(*, new_generators: bool = True) -> list[Reseeder]:
    """The built-in reseeders, then the installed plugins'; with ``new_generators`` also
    the one that makes generators created without a seed derive from the test's seed."""
    found: list[Reseeder] = [RandomReseeder(), NumpyReseeder(), TorchReseeder(), *plugin_reseeders()]
    if new_generators:
        from pytest_gates.seeds.new_generators import NewGeneratorsReseeder

        found.append(NewGeneratorsReseeder())
    return found


def make_torch_deterministic() -> bool:
    """Switch torch to deterministic algorithms and one thread, if torch is imported."""
    torch = sys.modules.get("torch")
    if torch is None:
        return False
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    cudnn = getattr(getattr(torch, "backends", None), "cudnn", None)
    if cudnn is not None:
        cudnn.deterministic = True
        cudnn.benchmark = False
    return True
