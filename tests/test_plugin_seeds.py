"""GT302 as users meet it: real pytest runs (pytester), in any order, alone, and under `-n 2`."""

from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

# pytest-randomly would shuffle; hypothesis's plugin costs about a second per run.
QUIET = ("-p", "no:randomly", "-p", "no:hypothesispytest")

# Every test records what the global generators give it, in a file of its own.
RECORDING_CONFTEST = """\
import json, os, random, sys
import pytest

def pytest_collection_modifyitems(items):
    if os.environ.get("REVERSE"):
        items.reverse()

@pytest.fixture
def record(request):
    def write(**values):
        folder = os.environ["RESULTS"]
        with open(os.path.join(folder, request.node.name + ".json"), "w") as handle:
            json.dump(values, handle)
    return write
"""
RECORDING_TESTS = """\
import random

def test_a(record):
    record(call=random.random())

def test_b_draws_a_lot_first(record):
    first = random.random()
    for _ in range(1000):
        random.random()
    record(call=first)

def test_c(record):
    record(call=random.random())
"""


def ok(result: pytest.RunResult, passed: int, **others: int) -> None:
    """The outcomes and a clean exit (an error in a hook still prints "1 passed")."""
    result.assert_outcomes(passed=passed, **others)
    assert result.ret == pytest.ExitCode.OK, result.outlines[-20:]


def first_draw(seed: int) -> float:
    return random.Random(seed).random()


@pytest.fixture
def results(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = pytester.path / "results"
    folder.mkdir()
    monkeypatch.setenv("RESULTS", str(folder))
    pytester.makeconftest(RECORDING_CONFTEST)
    pytester.makepyfile(test_record=RECORDING_TESTS)
    return folder


def recorded(folder: Path) -> dict[str, dict[str, float]]:
    found = {p.stem: json.loads(p.read_text()) for p in folder.glob("*.json")}
    for p in folder.glob("*.json"):
        p.unlink()
    return found


def header_seed(output: list[str]) -> int:
    match = re.search(r"gates: seed (\d+)", "\n".join(output))
    assert match, output
    return int(match.group(1))


def test_every_test_sees_the_same_number_in_any_order_alone_and_under_xdist(
    pytester: pytest.Pytester, results: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = first_draw(42)
    runs = {}
    ok(pytester.runpytest(*QUIET), 3)
    runs["full"] = recorded(results)
    ok(pytester.runpytest(*QUIET, "-k", "test_c"), 1, deselected=2)
    runs["alone"] = recorded(results)
    monkeypatch.setenv("REVERSE", "1")
    ok(pytester.runpytest(*QUIET), 3)
    runs["reversed"] = recorded(results)
    monkeypatch.delenv("REVERSE")
    ok(pytester.runpytest_subprocess(*QUIET, "-n", "2"), 3)
    runs["xdist"] = recorded(results)
    for name, values in runs.items():
        assert values, name
        assert all(v["call"] == expected for v in values.values()), (name, values)


def test_the_seed_is_in_the_header_and_can_be_chosen(pytester: pytest.Pytester, results: Path) -> None:
    result = pytester.runpytest(*QUIET)
    result.stdout.fnmatch_lines(["gates: seed 42 (default; replay with --gates-seed=42)"])
    result = pytester.runpytest(*QUIET, "--gates-seed=7")
    result.stdout.fnmatch_lines(["gates: seed 7 (command line; replay with --gates-seed=7)"])
    assert {v["call"] for v in recorded(results).values()} == {first_draw(7)}


def test_a_random_seed_is_kept_for_last_and_reaches_xdist_workers(
    pytester: pytest.Pytester, results: Path
) -> None:
    drawn = pytester.runpytest_subprocess(*QUIET, "--gates-seed=random", "-n", "2")
    ok(drawn, 3)
    seed = header_seed(drawn.outlines)
    assert {v["call"] for v in recorded(results).values()} == {first_draw(seed)}
    replay = pytester.runpytest(*QUIET, "--gates-seed=last")
    replay.stdout.fnmatch_lines([f"gates: seed {seed} (last run's; replay with --gates-seed={seed})"])
    assert {v["call"] for v in recorded(results).values()} == {first_draw(seed)}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--gates-seed=abc"], "*--gates-seed: expected a whole number from 0 to 4294967295*got 'abc'*"),
        (["--gates-seed=-1"], "*--gates-seed: expected a whole number*"),
        (["--gates-seed=last", "-p", "no:cacheprovider"], "*--gates-seed=last needs pytest's cache*"),
        (["--gates-seed=last"], "*no seed stored in pytest's cache yet*"),
    ],
)
def test_bad_seeds_are_usage_errors(pytester: pytest.Pytester, args: list[str], message: str) -> None:
    pytester.makepyfile("def test_x():\n    pass\n")
    result = pytester.runpytest(*QUIET, *args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([message])
    assert "Traceback" not in result.stderr.str()


def test_setup_and_teardown_are_seeded_too_and_state_is_restored(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        import random, pytest

        STATES = {}

        def pytest_runtest_logstart(nodeid):
            STATES[nodeid] = random.getstate()

        def pytest_runtest_logfinish(nodeid):
            assert random.getstate() == STATES[nodeid], "state leaked out of " + nodeid

        @pytest.fixture
        def drawn():
            before = random.random()
            yield before
            assert random.random() == random.Random(44).random()
        """
    )
    pytester.makepyfile(
        test_a="""
        import random, pytest

        @pytest.fixture(scope="module")
        def module_wide():
            yield
            with open("finalized.txt", "w") as handle:
                handle.write(repr(random.random()))

        def test_fixture_sees_seed_plus_one(drawn, module_wide):
            assert drawn == random.Random(43).random()
            assert random.random() == random.Random(42).random()
            random.seed(999)  # must not leak

        def test_without_fixtures_finalizes_the_module_fixture():
            random.seed(999)
        """,
        test_b="""
        import random

        def test_the_finalizer_was_seeded():
            assert open("finalized.txt").read() == repr(random.Random(44).random())
        """,
    )
    ok(pytester.runpytest(*QUIET), 3)


def test_marker_pins_one_test_and_the_fixture_hands_out_the_seed(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import random, pytest

        @pytest.mark.gates_seed(7)
        def test_pinned(gates_seed):
            assert gates_seed == 7
            assert random.random() == random.Random(7).random()

        def test_session_seed(gates_seed):
            assert gates_seed == 42
            assert random.random() == random.Random(gates_seed).random()

        @pytest.mark.gates_seed("x")
        def test_bad_marker():
            pass
        """
    )
    result = pytester.runpytest(*QUIET)
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*@pytest.mark.gates_seed('x'): expected a whole number from 0 to 4294967295*"])


def test_seeds_can_be_switched_off(pytester: pytest.Pytester, results: Path) -> None:
    result = pytester.runpytest(*QUIET, "--gates-no-seeds")
    result.stdout.fnmatch_lines(["gates: seeds off (GT302)"])
    values = [v["call"] for v in recorded(results).values()]
    assert len(set(values)) == 3
    pytester.makepyprojecttoml("[tool.gates.seeds]\nenabled = false\n")
    pytester.runpytest(*QUIET).stdout.fnmatch_lines(["gates: seeds off (GT302)"])
    plain = pytester.runpytest(*QUIET, "-p", "no:gates")
    assert "gates:" not in plain.stdout.str()
    ok(plain, 3)


def test_config_table_sets_the_seed_and_rejects_unknown_keys(pytester: pytest.Pytester, results: Path) -> None:
    pytester.makepyprojecttoml("[tool.gates.seeds]\nseed = 1234\n")
    pytester.runpytest(*QUIET).stdout.fnmatch_lines(["gates: seed 1234 (configured*"])
    assert {v["call"] for v in recorded(results).values()} == {first_draw(1234)}
    pytester.makepyprojecttoml("[tool.gates.seeds]\nsede = 1\n")
    result = pytester.runpytest(*QUIET)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*pyproject.toml [[]tool.gates.seeds[]]: unknown key 'sede'; known keys: enabled, seed*"])


def test_numpy_is_reseeded_when_imported_and_never_imported_otherwise(pytester: pytest.Pytester) -> None:
    pytest.importorskip("numpy")
    pytester.makepyfile(
        test_np="""
        import numpy as np

        def test_one():
            assert np.random.rand() == np.random.RandomState(42).rand()
            np.random.rand(1000)

        def test_two():
            assert np.random.rand() == np.random.RandomState(42).rand()
        """,
        test_plain="""
        import sys

        def test_numpy_not_imported_by_the_plugin():
            assert "numpy" not in sys.modules
        """,
    )
    ok(pytester.runpytest_subprocess(*QUIET, "test_np.py"), 2)
    ok(pytester.runpytest_subprocess(*QUIET, "test_plain.py"), 1)


def test_torch_is_reseeded_cpu_and_cuda_and_restored(pytester: pytest.Pytester) -> None:
    # A stand-in for torch with the calls the plugin makes, recording them.
    pytester.mkpydir("torch").joinpath("__init__.py").write_text(
        "calls = []\n"
        "def manual_seed(seed): calls.append(('seed', seed))\n"
        "def get_rng_state(): calls.append('get'); return 'cpu-state'\n"
        "def set_rng_state(state): calls.append(('set', state))\n"
        "class cuda:\n"
        "    @staticmethod\n"
        "    def is_initialized(): return True\n"
        "    @staticmethod\n"
        "    def get_rng_state_all(): return ['gpu-state']\n"
        "    @staticmethod\n"
        "    def set_rng_state_all(states): calls.append(('set-cuda', states))\n"
    )
    pytester.makepyfile(
        """
        import torch

        def test_one(gates_seed):
            assert torch.calls == ['get', ('seed', 43), ('seed', 42)]

        def test_two(gates_seed):
            assert torch.calls[3:5] == [('seed', 44), ('set', 'cpu-state')]
            assert torch.calls[5] == ('set-cuda', ['gpu-state'])
        """
    )
    ok(pytester.runpytest_subprocess(*QUIET), 2)


def test_third_party_reseeders_plug_in_through_entry_points(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    dist = pytester.path / "site" / "fake_reseeder-1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: fake-reseeder\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[gates.reseeders]\nfake = fake_reseeder:reseed\n")
    (pytester.path / "site" / "fake_reseeder.py").write_text("SEEDS = []\ndef reseed(seed):\n    SEEDS.append(seed)\n")
    monkeypatch.setenv("PYTHONPATH", str(pytester.path / "site"))
    pytester.makepyfile(
        """
        import fake_reseeder

        def test_seeded(gates_seed):
            assert fake_reseeder.SEEDS[-2:] == [43, 42]
        """
    )
    ok(pytester.runpytest_subprocess(*QUIET), 1)
    (dist / "entry_points.txt").write_text("[gates.reseeders]\nfake = fake_reseeder:missing\n")
    broken = pytester.runpytest_subprocess(*QUIET)
    assert broken.ret == pytest.ExitCode.USAGE_ERROR
    broken.stderr.fnmatch_lines(["*reseeder plugin 'fake' (fake_reseeder:missing) failed to load*"])


def test_pytest_randomly_shuffles_while_gates_seeds(pytester: pytest.Pytester, results: Path) -> None:
    pytest.importorskip("pytest_randomly")
    result = pytester.runpytest("-p", "randomly", "-p", "no:cacheprovider", "-p", "no:hypothesispytest")
    ok(result, 3)
    result.stdout.fnmatch_lines(["Using --randomly-seed=*", "*pytest-randomly shuffles the order, gates seeds"])
    assert {v["call"] for v in recorded(results).values()} == {first_draw(42)}
    xdist = pytester.runpytest_subprocess("-p", "randomly", "-n", "2", "-p", "no:hypothesispytest")
    ok(xdist, 3)
    assert {v["call"] for v in recorded(results).values()} == {first_draw(42)}


def test_deterministic_threads_for_the_session_only(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    pytester.makepyfile(
        """
        import os

        def test_threads():
            assert os.environ["OMP_NUM_THREADS"] == "1"
            assert os.environ["OPENBLAS_NUM_THREADS"] == "1"
        """
    )
    result = pytester.runpytest(*QUIET, "--gates-deterministic-threads")
    ok(result, 1)
    result.stdout.fnmatch_lines(["gates: seed 42 *, deterministic threads"])
    assert "OMP_NUM_THREADS" not in os.environ
    pytester.makepyprojecttoml("[tool.gates.seeds]\ndeterministic-threads = true\n")
    ok(pytester.runpytest(*QUIET), 1)
    pytester.makepyprojecttoml("")
    pytester.runpytest(*QUIET).assert_outcomes(failed=1)


def test_the_readme_example_runs(pytester: pytest.Pytester) -> None:
    from conftest import REPO_ROOT

    readme = (REPO_ROOT / "README.md").read_text()
    after = readme.split("A test can ask for its seed, or pin its own:", 1)[1]
    code = after.split("```python\n", 1)[1].split("```", 1)[0]
    pytester.makepyfile(test_readme=code)
    ok(pytester.runpytest(*QUIET), 2)


NEW_GENERATOR_TESTS = """\
import random
import numpy as np

def test_numpy(record):
    a = np.random.default_rng().integers(0, 2**62)
    b = np.random.Generator(np.random.PCG64()).integers(0, 2**62)
    record(call=[int(a), int(b)])

def test_random(record):
    record(call=[random.Random().random(), random.Random().random()])
"""


def _needs_numpy() -> None:
    # Only the pytest runs import it (importing it here may clash with other tests).
    import importlib.util

    if importlib.util.find_spec("numpy") is None:
        pytest.skip("needs numpy")


def _new_generator_run(pytester: pytest.Pytester, tmp_path: Path, name: str, *args: str) -> dict:
    results = tmp_path / name
    results.mkdir()
    os.environ["RESULTS"] = str(results)
    try:
        result = pytester.runpytest_subprocess(*QUIET, *args)
    finally:
        del os.environ["RESULTS"]
    assert result.ret == pytest.ExitCode.OK, result.outlines[-20:]
    return {f.stem: json.loads(f.read_text())["call"] for f in results.iterdir()}


def test_generators_created_without_a_seed_derive_from_the_tests_seed(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    _needs_numpy()
    pytester.makeconftest(RECORDING_CONFTEST)
    pytester.makepyfile(test_new=NEW_GENERATOR_TESTS)
    first = _new_generator_run(pytester, tmp_path, "one")
    assert first == _new_generator_run(pytester, tmp_path, "two")
    assert first == _new_generator_run(pytester, tmp_path, "xdist", "-n", "2")
    assert first["test_numpy"][0] != first["test_numpy"][1]  # two generators, two streams
    assert first["test_random"][0] != first["test_random"][1]
    assert first != _new_generator_run(pytester, tmp_path, "other", "--gates-seed=7")


def test_the_opt_out_leaves_unseeded_generators_to_os_entropy(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    _needs_numpy()
    pytester.makeconftest(RECORDING_CONFTEST)
    pytester.makepyfile(test_new=NEW_GENERATOR_TESTS)
    flag = _new_generator_run(pytester, tmp_path, "one", "--gates-no-seed-new-generators")
    assert flag != _new_generator_run(pytester, tmp_path, "two", "--gates-no-seed-new-generators")
    pytester.makepyprojecttoml("[tool.gates.seeds]\nseed-new-generators = false\n")
    config = _new_generator_run(pytester, tmp_path, "three")
    assert config != _new_generator_run(pytester, tmp_path, "four")


def test_new_generators_never_import_numpy(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_plain="""
        import random, sys

        def test_it():
            assert random.Random().random() == random.Random().random() or True
            assert "numpy" not in sys.modules
    """)
    ok(pytester.runpytest_subprocess(*QUIET), passed=1)
