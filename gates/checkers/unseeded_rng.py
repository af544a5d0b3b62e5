"""GT105 unseeded-rng: random generators are created with an explicit seed."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from gates.core.checker import Checker, Example
from gates.analysis.calls import CallQuery, resolved_calls
from gates.model import Finding
from gates.core.source import SourceFile

# Callables that create or seed a generator, with the name of their seed parameter.
# A call without that argument, or with None, draws the seed from the OS or the clock.
SEEDED_CALLS: dict[str, str] = {
    "random.seed": "a",
    "random.Random": "x",
    "numpy.random.seed": "seed",
    "numpy.random.default_rng": "seed",
    "numpy.random.RandomState": "seed",
    "numpy.random.SeedSequence": "entropy",
    "numpy.random.PCG64": "seed",
    "numpy.random.PCG64DXSM": "seed",
    "numpy.random.MT19937": "seed",
    "numpy.random.Philox": "seed",
    "numpy.random.SFC64": "seed",
    # tensorflow, keras, jax and mlx: their seeding calls with no seed or None.
    "tensorflow.random.set_seed": "seed",
    "tensorflow.keras.utils.set_random_seed": "seed",
    "keras.utils.set_random_seed": "seed",
    "jax.random.PRNGKey": "seed",
    "jax.random.key": "seed",
    "mlx.core.random.seed": "seed",
    "mlx.core.random.key": "seed",
}
# Always non-deterministic: they take no seed at all.
ALWAYS_UNSEEDED = frozenset(
    {"torch.seed", "torch.random.seed", "torch.cuda.seed", "torch.cuda.seed_all"}
)

# Every name above is reached through an import that names one of these modules.
_RNG_MODULES = ("random", "numpy", "torch", "tensorflow", "keras", "jax", "mlx")
_RNG_CALLS = CallQuery(modules=frozenset(_RNG_MODULES))


def _seed_given(call: ast.Call, keyword: str) -> bool:
    if call.args:
        first = call.args[0]
        if isinstance(first, ast.Starred):
            return True
        return not (isinstance(first, ast.Constant) and first.value is None)
    for kw in call.keywords:
        if kw.arg is None:
            return True
        if kw.arg == keyword:
            return not (isinstance(kw.value, ast.Constant) and kw.value.value is None)
    return False


class UnseededRngChecker(Checker):
    name = "unseeded-rng"
    code = "GT105"
    description = "random generators are created or seeded with an explicit seed"
    rationale = (
        "A generator seeded from the clock or the OS makes results and test failures "
        "impossible to reproduce. random.seed(), random.Random(), "
        "numpy.random.default_rng(), numpy.random.RandomState(), numpy.random.seed() "
        "torch.seed(), tf.random.set_seed(), keras.utils.set_random_seed(), "
        "jax.random.PRNGKey() / jax.random.key() and mlx.core.random.seed() / key() "
        "without a seed (or with None) are flagged, through any import alias. random.SystemRandom and secrets are meant to be unpredictable and pass. "
        "Test files are checked too."
    )
    checks_tests = True
    unit = "unseeded calls"
    examples = (
        Example("import random\nrandom.seed()\n", fails_at=(2,)),
        Example("import random\nrandom.seed(42)\nrng = random.Random(7)\n"),
        Example("import random as r\nrng = r.Random(None)\n", fails_at=(2,)),
        Example("import numpy as np\nrng = np.random.default_rng()\n", fails_at=(2,)),
        Example("import numpy as np\nrng = np.random.default_rng(seed=0)\n"),
        Example("from numpy.random import default_rng as mk\nrng = mk()\n", fails_at=(2,)),
        Example("from numpy import random as npr\nnpr.seed()\nnpr.RandomState()\n",
                fails_at=(2, 3)),
        Example("import torch\ntorch.seed()\ntorch.manual_seed(0)\n", fails_at=(2,)),
        Example("import tensorflow as tf\ntf.random.set_seed(None)\ntf.random.set_seed()\n",
                fails_at=(2, 3)),
        Example("import tensorflow as tf\ntf.random.set_seed(1234)\n"),
        Example("import keras\nkeras.utils.set_random_seed()\n", fails_at=(2,)),
        Example("from keras.utils import set_random_seed\nset_random_seed(812)\n"),
        Example("import jax\nkey = jax.random.PRNGKey()\nk2 = jax.random.key(None)\n",
                fails_at=(2, 3)),
        Example("from jax import random as jr\nkey = jr.key(0)\nk2 = jr.PRNGKey(seed=1)\n"),
        Example("import mlx.core as mx\nmx.random.seed()\nk = mx.random.key()\n",
                fails_at=(2, 3)),
        Example("import mlx.core as mx\nmx.random.seed(0)\nk = mx.random.key(1)\n"),
        Example("import random\nrng = random.SystemRandom()\n"),
        Example("import secrets\ntoken = secrets.token_hex()\n"),
        Example("import random\nrandom.seed()\n", path="tests/test_rng.py", fails_at=(2,)),
        Example("class random:\n    @staticmethod\n    def seed(): ...\nrandom.seed()\n"),
    )

    def check(self, source: SourceFile) -> Iterable[Finding]:
        for call in resolved_calls(source, _RNG_CALLS):
            name = call.qualname
            if name in ALWAYS_UNSEEDED:
                reason = f"{name}() seeds from a non-deterministic source"
            elif name in SEEDED_CALLS and not _seed_given(call.node, SEEDED_CALLS[name]):
                reason = f"{name}() without an explicit seed"
            else:
                continue
            yield self.finding(source, call.node, f"{reason}; pass a fixed seed")
