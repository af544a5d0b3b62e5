"""The settings of every property-based test: a fast profile in the suite, a long one on
demand (``GATES_HYPOTHESIS_EXAMPLES=100000 pytest tests/test_hardness.py``)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("GATES_HYPOTHESIS_EXAMPLES", "60"))
PROFILE = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
