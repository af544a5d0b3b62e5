"""GT302 seeds: a runtime gate, enforced by the pytest plugin (``pytest_gates``).

This checker holds the gate's options (``[tool.gates.seeds]``) and its documentation;
there is nothing to check in the files themselves (GT105 does that part: generators
created without a seed). During a test run the plugin reseeds ``random``, NumPy's legacy
global state and torch before the setup, call and teardown of every test.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from gates.core.checker import ProjectChecker
from gates.model import Finding, GateResult
from gates.core.runtime_options import SeedsOptions, seeds_options_problem


class SeedsChecker(ProjectChecker):
    name = "seeds"
    code = "GT302"
    description = "every test starts from the same seeded state of random, numpy and torch (pytest plugin)"
    rationale = (
        "A test whose outcome depends on what ran before it, or on the clock, cannot be "
        "reproduced. The pytest plugin reseeds Python's random, NumPy's legacy global "
        "state and torch (CPU and CUDA) before the setup, call and teardown of every test "
        "with one seed (default 42, printed in the report header, replayable with "
        "--gates-seed=last), puts the pre-test state back after each test, and hands the "
        "seed to pytest-xdist workers. `deterministic-threads = true` also sets the "
        "OpenMP/MKL/OpenBLAS/NumExpr thread counts to 1 and switches on torch's "
        "deterministic algorithms. Nothing to check in `gates check`: the gate acts "
        "while the tests run."
    )
    options_type = SeedsOptions
    runtime_only = True

    def default_text(self) -> str:
        return f"seed {self.options.seed} (pytest plugin)"

    def check_options(self) -> str | None:
        return seeds_options_problem(self.options)

    def summarize(
        self, findings: Sequence[Finding], measures: Sequence[tuple[str, Any]]
    ) -> GateResult:
        # Nothing to find in the files: the gate acts while the tests run.
        verdict = super().summarize(findings, measures)
        return dataclasses.replace(verdict, summary=f"enforced while pytest runs (seed {self.options.seed})")
