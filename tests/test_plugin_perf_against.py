"""GT303's A/B mode as users meet it: a real git repository, `--gates-perf-against=REF`,
real pytest runs (pytester), also under `-n 2`.

Verdicts must not depend on this machine's speed: the slowed function does 1.5 times the
work of REF's (flagged at a 5 % limit whatever the load: both sides meet the same
machine), the unchanged one the same work.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

QUIET = ("-p", "no:randomly", "-p", "no:hypothesispytest", "-p", "no:benchmark",
         "-p", "no:cacheprovider", "--gates-perf-no-memory")
CONFIG = """\
[tool.pytest.ini_options]
pythonpath = ["src"]

[tool.gates.perf]
sample-time = 0.0002
measure-time = 0.1
"""
LIBRARY = """\
SLOW = {slow}


def loop(n):
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def slowed():
    return loop(int(2000 * SLOW))


def same():
    return loop(2000)
"""
TESTS = """\
import abperf
from abperf import slowed

def test_slowed(perf):
    perf(slowed)

def test_same(perf):
    perf(lambda: abperf.same())

def test_builtin(perf):
    perf(sorted, [3, 1, 2])
"""


def git(root: Path, *args: str) -> str:
    command = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args]
    return subprocess.run(command, cwd=root, check=True, capture_output=True, text=True).stdout


def project(pytester: pytest.Pytester, commit: bool = True) -> pytest.Pytester:
    """REF (HEAD~1) with both functions alike; HEAD with ``slowed`` 1.5 times slower."""
    pytester.makefile(".toml", pyproject=CONFIG)
    package = pytester.path / "src" / "abperf"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(LIBRARY.format(slow=1.0))
    pytester.makepyfile(test_ab=TESTS)
    if commit:
        git(pytester.path, "init", "-q")
        git(pytester.path, "add", "-A")
        git(pytester.path, "commit", "-qm", "base")
        (package / "__init__.py").write_text(LIBRARY.format(slow=1.5))
        git(pytester.path, "commit", "-qam", "slower")
    return pytester


@pytest.mark.parametrize("workers", [(), ("-n", "2")], ids=["one process", "xdist"])
def test_a_slowdown_in_head_is_flagged_and_unchanged_code_passes(
    pytester: pytest.Pytester, workers: tuple[str, ...]
) -> None:
    project(pytester)
    run = pytester.runpytest_subprocess if workers else pytester.runpytest
    result = run(*QUIET, *workers, "--gates-perf-against=HEAD~1")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines([
        "*test_slowed regressed: *% slower than HEAD~1's code measured in the same run*",
    ])
    result.stdout.fnmatch_lines([
        "benchmark*against*ratio*verdict",
        "*test_ab.py::test_builtin*baseline*no baseline",
        "*test_ab.py::test_same*HEAD~1*ok",
        "*test_ab.py::test_slowed*HEAD~1*1.[45]?x*regressed",
        "1 benchmark(s) not measured against HEAD~1, judged against the stored baselines:",
        "*test_builtin: the benchmark calls no code of the project's modules*",
    ])
    # the temporary worktree is gone, also after a failed session
    assert git(pytester.path, "worktree", "list").count("\n") == 1


def test_against_head_itself_nothing_is_flagged(pytester: pytest.Pytester) -> None:
    project(pytester)
    result = pytester.runpytest(*QUIET, "--gates-perf-against=HEAD")
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(["*gates: perf A/B against HEAD (*), measured in the same run*"])
    result.stdout.fnmatch_lines(["*test_same*HEAD*ok", "*test_slowed*HEAD*ok"])


def test_unknown_ref_falls_back_visibly(pytester: pytest.Pytester) -> None:
    project(pytester)
    result = pytester.runpytest(*QUIET, "-n", "2", "--gates-perf-against=no-such-branch")
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines([
        "*test_slowed*baseline*no baseline",
        "A/B mode against no-such-branch not possible: unknown git ref 'no-such-branch'*; "
        "benchmarks judged against the stored baselines",
    ])
    assert "Traceback" not in result.stdout.str()


def test_outside_a_git_repository_falls_back_visibly(pytester: pytest.Pytester) -> None:
    project(pytester, commit=False)
    result = pytester.runpytest(*QUIET, "--gates-perf-against=main")
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(["A/B mode against main not possible: *not inside a git repository*"])


def test_code_missing_in_ref_or_not_importable_twice_falls_back(pytester: pytest.Pytester) -> None:
    project(pytester)
    package = pytester.path / "src" / "abperf"
    added = "\n\ndef added():\n    return 1\n\n\nclass Counter:\n    def run(self):\n        return loop(100)\n"
    (package / "__init__.py").write_text(LIBRARY.format(slow=1.0) + added)
    pytester.makepyfile(test_more="""
        import abperf

        def test_added(perf):
            perf(abperf.added)

        def test_method_of_current_object(perf):
            perf(abperf.Counter().run)
    """)
    result = pytester.runpytest(*QUIET, "test_more.py", "--gates-perf-against=HEAD~1")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines([
        "2 benchmark(s) not measured against HEAD~1*",
        "*test_added: abperf.added does not exist in HEAD~1",
        "*test_method_of_current_object: a bound method of an object built from the current code*",
    ])
