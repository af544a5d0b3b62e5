"""The typed records of GT303's data: verdict words, and the entries of
``.performance_baselines.json``.

``from_json`` takes what :func:`json.loads` gave and checks every field's type; bad data
raises ``ValueError`` with the rest of a sentence that starts with the benchmark ("entry
'k' has "memory" '96 B', not a whole number of bytes"); the loader names the file and the fix.
``to_json`` gives back the same keys and values, so a file read and written again is
unchanged, byte for byte. Standard library only, and named tuples rather than dataclasses
(a tenth of the cost to define): the pytest plugin imports this module on every run.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, NamedTuple


class Verdict(StrEnum):
    """What became of one benchmark; the value is the word the file and the table show."""

    OK = "ok"
    FASTER = "faster"
    REGRESSED = "regressed"
    NO_BASELINE = "no baseline"  # nothing stored to compare with
    OTHER_MACHINE = "other machine"  # stored on another machine: not compared
    SAVED = "saved"  # --gates-perf=save: measured and stored, not judged
    # Measured while a tracer or profiler ran (coverage, a debugger, sys.monitoring):
    # such timings are not the code's; never judged, never saved, never in the file.
    TRACED = "not judged (tracer)"


JUDGED = (Verdict.OK, Verdict.FASTER, Verdict.REGRESSED)  # the verdicts a file keeps
JsonObject = dict[str, Any]


def _number(data: Mapping[str, Any], key: str, label: str = "") -> float | None:
    """A number or absent; ints stay ints so that the file is written back unchanged."""
    value = data.get(key)
    if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return value
    raise ValueError(f'has "{label or key}" {value!r}, not a number')


def _whole(data: Mapping[str, Any], key: str, what: str) -> int | None:
    value = data.get(key)
    if value is None or (isinstance(value, int) and not isinstance(value, bool) and value >= 0):
        return value
    raise ValueError(f'has "{key}" {value!r}, not a whole number of {what}')


def _text(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None or isinstance(value, str):
        return value
    raise ValueError(f'has "{key}" {value!r}, not a string')


def _object(value: Any, problem: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(problem)
    return value


def _given(**fields: Any) -> JsonObject:
    """The fields that have a value: absent ones are not written."""
    return {key: value for key, value in fields.items() if value is not None}


class Fingerprint(NamedTuple):
    """What makes timings comparable: CPU model, core count, Python version and flavour."""

    cpu: str
    cores: int
    python: str
    implementation: str

    def to_json(self) -> JsonObject:
        return {"cpu": self.cpu, "cores": self.cores, "python": self.python,
                "implementation": self.implementation}

    @classmethod
    def from_json(cls, value: Any) -> Fingerprint:
        data = _object(value, 'has a "fingerprint" that is not an object')
        texts = [data.get(key) for key in ("cpu", "python", "implementation")]
        cores = data.get("cores")
        if (set(data) != {"cpu", "cores", "python", "implementation"}
                or not all(isinstance(t, str) for t in texts)
                or not isinstance(cores, int) or isinstance(cores, bool)):
            raise ValueError('has a "fingerprint" without exactly the strings cpu, python, '
                             "implementation and the whole number cores")
        return cls(texts[0], cores, texts[1], texts[2])  # type: ignore[arg-type]


class LastVerdict(NamedTuple):
    """A benchmark's verdict in its last compared run, and its ratio to the baseline."""

    verdict: Verdict
    ratio: float | None = None

    def to_json(self) -> JsonObject:
        return _given(verdict=self.verdict.value, ratio=self.ratio)

    @classmethod
    def from_json(cls, value: Any) -> LastVerdict:
        data = _object(value, 'has a "last" that is not an object')
        word = data.get("verdict")
        if word not in JUDGED:
            words = ", ".join(v.value for v in JUDGED)
            raise ValueError(f'has "last.verdict" {word!r}, not one of {words}')
        return cls(Verdict(word), _number(data, "ratio", "last.ratio"))


def _runs(value: Any) -> tuple[tuple[float, ...], ...]:
    def is_run(run: Any) -> bool:
        return isinstance(run, list) and bool(run) and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in run)

    if not isinstance(value, list) or not all(is_run(run) for run in value):
        raise ValueError("has no list of sample runs")
    return tuple(tuple(run) for run in value)


_KNOWN = ("runs", "median", "seconds", "memory", "unit", "timer", "fingerprint", "saved", "last")


class PerfEntry(NamedTuple):
    """One benchmark's baseline: the kept runs of samples (ratios to the reference
    workload, each run sorted), what was saved with them, and the last verdict.

    ``extra`` holds keys this version does not know, written back as they were."""

    runs: tuple[tuple[float, ...], ...] = ()
    median: float | None = None  # of the run saved last
    seconds: float | None = None  # the benchmark's own median time in that run
    memory: int | None = None  # peak bytes allocated by one call
    unit: str | None = None
    timer: str | None = None
    fingerprint: Fingerprint | None = None
    saved: str | None = None  # when, UTC, ISO 8601
    last: LastVerdict | None = None
    extra: tuple[tuple[str, Any], ...] = ()

    def samples(self) -> list[float]:
        """Every stored sample, all runs pooled."""
        return [float(v) for run in self.runs for v in run]

    def to_json(self) -> JsonObject:
        data = _given(
            median=self.median, seconds=self.seconds, memory=self.memory, unit=self.unit,
            timer=self.timer, saved=self.saved,
            fingerprint=self.fingerprint and self.fingerprint.to_json(),
            last=self.last and self.last.to_json(),
        )
        data["runs"] = [list(run) for run in self.runs]
        return {**data, **dict(self.extra)}

    @classmethod
    def from_json(cls, value: Any) -> PerfEntry:
        data = _object(value, "is not an object")
        fingerprint, last = data.get("fingerprint"), data.get("last")
        entry = cls(
            _runs(data.get("runs")), _number(data, "median"), _number(data, "seconds"),
            _whole(data, "memory", "bytes"), _text(data, "unit"), _text(data, "timer"),
            None if fingerprint is None else Fingerprint.from_json(fingerprint),
            _text(data, "saved"), None if last is None else LastVerdict.from_json(last),
            tuple((k, v) for k, v in data.items() if k not in _KNOWN),
        )
        if not entry.runs and entry.memory is None:
            raise ValueError("has neither samples nor memory")
        return entry


class NewRun(NamedTuple):
    """A measurement to store (``--gates-perf=save``): it becomes the benchmark's entry,
    after the runs already stored, or alone when ``replace`` (``--gates-perf=accept``, or
    a saved run at another level than the stored ones: the code changed). Without ``run``
    (memory measured only) no samples."""

    run: tuple[float, ...] | None
    median: float | None = None
    seconds: float | None = None
    memory: int | None = None
    unit: str | None = None
    timer: str | None = None
    fingerprint: Fingerprint | None = None
    replace: bool = False  # drop the stored runs: this run is the new level
