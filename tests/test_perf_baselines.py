"""The baseline file: format, corrupt files, merging, and concurrent writers (processes)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from gates.errors import UsageError
from gates.perf import baselines as baselines
from gates.perf.records import LastVerdict, NewRun, Verdict

WRITER = """\
import sys
from pathlib import Path
from gates.perf import baselines as b
from gates.perf.records import NewRun
path, who = Path(sys.argv[1]), sys.argv[2]
for i in range(15):
    b.update(path, {f"{who}-{i}": NewRun((1.0, 1.1, 0.9), median=1.0)})
"""


def entry(run: tuple[float, ...] | None = (1.0, 1.2), **fields: Any) -> NewRun:
    return NewRun(run, **{"median": 1.1, **fields})


def test_absent_file_has_no_baselines(tmp_path: Path) -> None:
    assert baselines.load(tmp_path / "none.json") == {}


def test_save_merges_runs_and_is_stable(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    for i in range(baselines.MAX_RUNS + 2):
        baselines.update(path, {"t::b": entry(run=(float(i + 1),))})
    stored = baselines.load(path)["t::b"]
    assert stored.runs == tuple((float(i),) for i in range(3, baselines.MAX_RUNS + 3))
    text = path.read_text()
    assert text == baselines.dumps(baselines.load(path))  # sorted, stable
    assert list(json.loads(text)["benchmarks"]["t::b"]) == ["median", "runs", "saved"]
    assert not list(tmp_path.glob("*.tmp"))


def test_verdict_update_keeps_the_samples(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    baselines.update(path, {"t::a": entry()})
    last = LastVerdict(Verdict.OK, 1.0)
    baselines.update(path, {"t::a": last, "t::gone": LastVerdict(Verdict.FASTER)})
    stored = baselines.load(path)
    assert set(stored) == {"t::a"}
    assert stored["t::a"].runs == ((1.0, 1.2),)
    assert stored["t::a"].last == last
    assert json.loads(path.read_text())["benchmarks"]["t::a"]["last"] == {"verdict": "ok", "ratio": 1.0}


def test_memory_only_entry(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    baselines.update(path, {"t::m": NewRun(None, memory=1000)})
    assert baselines.load(path)["t::m"].runs == ()


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("{not json", "invalid JSON at line 1"),
        ("[]", 'no "benchmarks" object'),
        ('{"version": 9, "benchmarks": {}}', "format version 9"),
        ('{"version": 1, "benchmarks": {"a": 3}}', "entry 'a' is not an object"),
        ('{"version": 1, "benchmarks": {"a": {"runs": [["x"]]}}}', "no list of sample runs"),
        ('{"version": 1, "benchmarks": {"a": {"runs": []}}}', "neither samples nor memory"),
        ("[" * 100_000 + "]" * 100_000, "JSON nested too deeply"),
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
    assert set(print_.to_json()) == {"cpu", "cores", "python", "implementation"}
    assert print_.python == f"{sys.version_info.major}.{sys.version_info.minor}"


def test_a_long_run_is_kept_as_its_order_statistics() -> None:
    run = [float(v) for v in range(1000, 0, -1)]  # 1000 samples, unordered
    kept = baselines.condense(run)
    assert len(kept) == baselines.MAX_SAMPLES
    assert kept == sorted(kept) and kept[0] == 1.0 and kept[-1] == 1000.0
    assert abs(kept[len(kept) // 2] - 500.5) <= 1  # the middle one is the median
    assert baselines.condense([3.0, 1.0, 2.0]) == [1.0, 2.0, 3.0]  # short runs are kept whole


# Written by gates before the typed records (commit ad79dbb): `pytest --gates-perf=save` twice,
# then a compared run; a memory-only measurement; a run condensed to 6 significant digits.
TODAYS_FILE = """\
{
  "benchmarks": {
    "tests/test_speed.py::test_named::mem": {
      "fingerprint": {
        "cores": 2,
        "cpu": "Intel(R) Xeon(R) CPU @ 2.20GHz",
        "implementation": "CPython",
        "python": "3.11"
      },
      "last": {
        "verdict": "ok"
      },
      "memory": 96,
      "runs": [],
      "saved": "2026-11-28T12:03:07Z",
      "timer": "wall",
      "unit": "ratio to the reference workload"
    },
    "tests/test_speed.py::test_parse": {
      "fingerprint": {
        "cores": 2,
        "cpu": "Intel(R) Xeon(R) CPU @ 2.20GHz",
        "implementation": "CPython",
        "python": "3.11"
      },
      "last": {
        "ratio": 1.512,
        "verdict": "regressed"
      },
      "median": 1.25,
      "memory": 2100,
      "runs": [
        [
          0.99871,
          1.03123,
          1.0423,
          1.1
        ],
        [
          1.2,
          1.25,
          1.3
        ]
      ],
      "saved": "2026-11-28T12:03:07Z",
      "seconds": 0.00015,
      "timer": "wall",
      "unit": "ratio to the reference workload"
    }
  },
  "version": 1
}
"""


def test_a_file_of_the_previous_version_loads_and_is_written_back_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    path.write_text(TODAYS_FILE)
    stored = baselines.load(path)
    parse = stored["tests/test_speed.py::test_parse"]
    assert parse.runs == ((0.99871, 1.03123, 1.0423, 1.1), (1.2, 1.25, 1.3))
    assert (parse.median, parse.seconds, parse.memory, parse.timer) == (1.25, 0.00015, 2100, "wall")
    assert parse.last == LastVerdict(Verdict.REGRESSED, 1.512)
    assert parse.fingerprint is not None and parse.fingerprint.cores == 2
    memory = stored["tests/test_speed.py::test_named::mem"]
    assert memory.runs == () and memory.memory == 96 and memory.last == LastVerdict(Verdict.OK)
    assert baselines.dumps(stored) == TODAYS_FILE
    baselines.update(path, {"tests/test_speed.py::test_parse": LastVerdict(Verdict.REGRESSED, 1.512)})
    assert path.read_text() == TODAYS_FILE  # an update changes only what it sets


def test_keys_of_a_newer_version_are_kept(tmp_path: Path) -> None:
    data = json.loads(TODAYS_FILE)
    data["benchmarks"]["tests/test_speed.py::test_parse"]["rounds"] = {"warmup": 3}
    path = tmp_path / "b.json"
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    text = path.read_text()
    baselines.update(path, {"tests/test_speed.py::test_parse": LastVerdict(Verdict.REGRESSED, 1.512)})
    assert path.read_text() == text


FIELD = '{"version": 1, "benchmarks": {"t::a": {"runs": [[1.0]], %s}}}'


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        ('"memory": "96 B"', "entry 't::a' has \"memory\" '96 B', not a whole number of bytes"),
        ('"memory": -1', "not a whole number of bytes"),
        ('"median": "1.2"', "entry 't::a' has \"median\" '1.2', not a number"),
        ('"seconds": true', "has \"seconds\" True, not a number"),
        ('"timer": 3', "has \"timer\" 3, not a string"),
        ('"fingerprint": {"cpu": "x"}', 'has a "fingerprint" without exactly the strings cpu'),
        ('"fingerprint": "x"', 'has a "fingerprint" that is not an object'),
        ('"last": {"verdict": "slow"}', "has \"last.verdict\" 'slow', not one of ok, faster, regressed"),
        ('"last": {"verdict": "ok", "ratio": "2x"}', "has \"last.ratio\" '2x', not a number"),
        ('"last": "ok"', 'has a "last" that is not an object'),
    ],
)
def test_a_field_of_the_wrong_type_is_a_usage_error_naming_the_file(
    tmp_path: Path, fields: str, why: str
) -> None:
    path = tmp_path / "b.json"
    path.write_text(FIELD % fields)
    with pytest.raises(UsageError) as info:
        baselines.load(path)
    message = str(info.value)
    assert message.startswith(f"{path}: not a valid baseline file (")
    assert why in message and message.endswith("`pytest --gates-perf=save`")
    assert "\n" not in message


def test_a_save_keeps_the_file_mode_and_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The perf file is written like every file gates writes: its mode is kept (not reset
    to 0600), and a save interrupted just before the rename leaves the old file and no
    temporary file behind."""
    import os
    import stat

    path = tmp_path / "b.json"
    baselines.update(path, {"t::a": entry(run=(1.0,))})
    os.chmod(path, 0o664)
    baselines.update(path, {"t::a": entry(run=(2.0,))})
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o664
    before = path.read_text()

    def interrupted(*args: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        baselines.update(path, {"t::a": entry(run=(3.0,))})
    monkeypatch.undo()
    assert path.read_text() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
