"""The baseline file: format, corrupt files, merging, and concurrent writers (processes)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gates.perf import baselines as baselines
from gates.errors import UsageError

WRITER = """\
import sys
from pathlib import Path
from gates.perf import baselines as b
path, who = Path(sys.argv[1]), sys.argv[2]
for i in range(15):
    b.update(path, {f"{who}-{i}": {"save": True, "run": [1.0, 1.1, 0.9], "median": 1.0}})
"""


def entry(**fields: object) -> dict[str, object]:
    return {"save": True, "run": [1.0, 1.2], "median": 1.1, **fields}


def test_absent_file_has_no_baselines(tmp_path: Path) -> None:
    assert baselines.load(tmp_path / "none.json") == {}


def test_save_merges_runs_and_is_stable(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    for i in range(baselines.MAX_RUNS + 2):
        baselines.update(path, {"t::b": entry(run=[float(i + 1)])})
    stored = baselines.load(path)["t::b"]
    assert stored["runs"] == [[float(i)] for i in range(3, baselines.MAX_RUNS + 3)]
    text = path.read_text()
    assert text == baselines.dumps(json.loads(text)["benchmarks"])  # sorted, stable
    assert not list(tmp_path.glob("*.tmp"))


def test_verdict_update_keeps_the_samples(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    baselines.update(path, {"t::a": entry()})
    baselines.update(path, {"t::a": {"last": {"verdict": "ok", "ratio": 1.0}}, "t::gone": {"x": 1}})
    stored = baselines.load(path)
    assert set(stored) == {"t::a"}
    assert stored["t::a"]["runs"] == [[1.0, 1.2]]
    assert stored["t::a"]["last"]["verdict"] == "ok"


def test_memory_only_entry(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    baselines.update(path, {"t::m": {"save": True, "run": None, "memory": 1000}})
    assert baselines.load(path)["t::m"]["runs"] == []


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("{not json", "invalid JSON at line 1"),
        ("[]", 'no "benchmarks" object'),
        ('{"version": 9, "benchmarks": {}}', "format version 9"),
        ('{"version": 1, "benchmarks": {"a": 3}}', "entry 'a' is not an object"),
        ('{"version": 1, "benchmarks": {"a": {"runs": [["x"]]}}}', "no list of sample runs"),
        ('{"version": 1, "benchmarks": {"a": {"runs": []}}}', "neither samples nor memory"),
    ],
)
def test_broken_file_is_a_usage_error(tmp_path: Path, text: str, why: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(text)
    with pytest.raises(UsageError) as info:
        baselines.load(path)
    message = str(info.value)
    assert message.startswith(f"{path}: not a valid baseline file")
    assert why in message and "--gates-perf=save" in message
    with pytest.raises(UsageError):
        baselines.update(path, {"t::a": entry()})
    assert path.read_text() == text  # never silently overwritten


def test_concurrent_writers_drop_nothing(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    procs = [
        subprocess.Popen([sys.executable, str(script), str(path), f"w{n}"]) for n in range(4)
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0, 0]
    stored = baselines.load(path)
    assert set(stored) == {f"w{n}-{i}" for n in range(4) for i in range(15)}
    assert not list(tmp_path.glob("*.tmp"))


def test_fingerprint_fields() -> None:
    print_ = baselines.fingerprint()
    assert set(print_) == {"cpu", "cores", "python", "implementation"}
    assert print_["python"] == f"{sys.version_info.major}.{sys.version_info.minor}"


def test_a_long_run_is_kept_as_its_order_statistics() -> None:
    run = [float(v) for v in range(1000, 0, -1)]  # 1000 samples, unordered
    kept = baselines.condense(run)
    assert len(kept) == baselines.MAX_SAMPLES
    assert kept == sorted(kept) and kept[0] == 1.0 and kept[-1] == 1000.0
    assert abs(kept[len(kept) // 2] - 500.5) <= 1  # the middle one is the median
    assert baselines.condense([3.0, 1.0, 2.0]) == [1.0, 2.0, 3.0]  # short runs are kept whole
