"""The ratchet baseline: ``.gates-baseline.json`` records what a codebase owes today, so
``gates check`` fails only on what is new or worse.

An entry is a finding as :mod:`gates.adoption.fingerprint` identifies it: path, gate code, scope
(qualified name of the function or class) and a hash of the offending code, with a
count when the same thing occurs more than once. A measured finding (a function's
length or complexity, a file's size or type coverage) also carries its value, which is
a ceiling (``max``) or, for figures where higher is better, a floor (``min``). A gate's
own figure (type coverage, coverage) below its goal is recorded as a floor.

The file is JSON with one finding per line, sorted, so it diffs and merges line by line.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from gates.errors import UsageError
from gates.adoption.fingerprint import split
from gates.adoption.review import BASELINE_FILE as BASELINE_FILE

if TYPE_CHECKING:
    from gates.core.checker import Checker
    from gates.model import Finding

FORMAT = 1
_FIX = "restore it from version control, or delete it and run `gates baseline`"


def _number(data: dict[str, Any], key: str) -> float | None:
    value = data.get(key)
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise ValueError(f"{key} must be a number, not {value!r}")
    return value


def _count(data: dict[str, Any]) -> int:
    count = data.get("count", 1)
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        raise ValueError(f"count must be a whole number >= 1, not {count!r}")
    return count


@dataclass(frozen=True, order=True)
class Entry:
    """A known finding. ``limit`` is the ceiling or floor of a measured one."""

    path: str
    code: str
    symbol: str
    hash: str
    limit: float | None = None
    floor: bool = False  # the limit is a floor (higher is better), not a ceiling
    count: int = 1

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.path, self.code, self.symbol, self.hash)

    def to_json(self) -> dict[str, Any]:
        """The entry as the file holds it: the limit under ``max`` or ``min``, the count
        only when it is not 1 (keys in this order, so the file stays as it was)."""
        data: dict[str, Any] = {"path": self.path, "code": self.code, "symbol": self.symbol,
                                "hash": self.hash}
        if self.limit is not None:
            data["min" if self.floor else "max"] = self.limit
        if self.count != 1:
            data["count"] = self.count
        return data

    @classmethod
    def from_json(cls, data: Any) -> Entry:
        """An entry from the file; ``ValueError`` says which field is wrong."""
        if not isinstance(data, dict):
            raise ValueError("a finding is not an object")
        texts = [t for t in (data.get(k) for k in ("path", "code", "symbol", "hash")) if isinstance(t, str)]
        if len(texts) != 4:
            raise ValueError("a finding needs the strings path, code, symbol and hash")
        count = _count(data)
        ceiling, floor = _number(data, "max"), _number(data, "min")
        if ceiling is not None and floor is not None:
            raise ValueError("a finding has either a max or a min, not both")
        path, code, symbol, digest = texts
        limit = floor if ceiling is None else ceiling
        return cls(path, code, symbol, digest, limit, floor is not None, count)


@dataclass
class Baseline:
    """Known findings and the floors of gate figures (by code), as read from or written to a file."""

    entries: list[Entry] = field(default_factory=list)
    floors: dict[str, float] = field(default_factory=dict)
    gate_names: dict[str, str] = field(default_factory=dict)  # for humans reading the file

    def known(self, code: str) -> int:
        return sum(e.count for e in self.entries if e.code == code)


def entry_for(finding: Finding, floor: bool, limit: float | None = None, count: int = 1) -> Entry:
    symbol, digest = split(finding.fingerprint)
    if limit is None and finding.value is not None:
        limit = round(finding.value, 2)
    return Entry(finding.path, finding.code, symbol, digest, limit, floor and limit is not None, count)


# --- reading and writing -------------------------------------------------------------


def _floors_from(data: Any) -> tuple[dict[str, float], dict[str, str]]:
    if not isinstance(data, dict):
        raise ValueError("metrics must be an object")
    floors: dict[str, float] = {}
    names: dict[str, str] = {}
    for code, metric in data.items():
        value = metric.get("min") if isinstance(metric, dict) else None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"metrics.{code} needs a number `min`")
        name = metric.get("gate", "")
        if not isinstance(name, str):
            raise ValueError(f"metrics.{code}.gate must be a string, not {name!r}")
        floors[code] = float(value)
        names[code] = name
    return floors, names


def parse(text: str) -> Baseline:
    """A baseline from the file's text; ValueError says what is wrong."""
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("the file is not a JSON object")
    if data.get("version") != FORMAT:
        raise ValueError(f"unknown version {data.get('version')!r}, this gates reads {FORMAT}")
    findings = data.get("findings", [])
    if not isinstance(findings, list):
        raise ValueError("findings must be a list")
    floors, names = _floors_from(data.get("metrics", {}))
    return Baseline([Entry.from_json(item) for item in findings], floors, names)


def load(file: Path) -> Baseline:
    """The baseline in ``file``; a file that cannot be read or understood is a UsageError."""
    try:
        return parse(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"{file}: cannot be read: {exc.strerror or exc}") from None
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:  # RecursionError: JSON too deep
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise UsageError(f"{file}: not a valid gates baseline ({reason}); {_FIX}") from None


def render(baseline: Baseline, out: TextIO) -> None:
    """The file's text: stable key order, one finding per line, sorted."""
    out.write('{\n  "version": %d,\n' % FORMAT)
    out.write('  "about": "gates ratchet baseline: known findings and floors; '
              '`gates baseline --update` tightens it",\n')
    metrics = [
        f'    "{code}": ' + json.dumps({"gate": baseline.gate_names.get(code, ""), "min": floor})
        for code, floor in sorted(baseline.floors.items())
    ]
    out.write('  "metrics": {' + ("\n" + ",\n".join(metrics) + "\n  " if metrics else "") + "},\n")
    rows = [f"    {json.dumps(e.to_json(), ensure_ascii=False)}" for e in sorted(baseline.entries)]
    out.write('  "findings": [' + ("\n" + ",\n".join(rows) + "\n  " if rows else "") + "]\n}\n")


def save(baseline: Baseline, file: Path, stdout: TextIO | None = None) -> None:
    """Write ``baseline`` to ``file`` atomically (``-``: to ``stdout``, default sys.stdout)."""
    import sys

    from gates.core.files import write_output

    write_output(file, lambda out: render(baseline, out), stdout or sys.stdout)


# --- matching ------------------------------------------------------------------------


@dataclass
class Match:
    """A gate's findings against known entries: known (as good or better), worse, new."""

    known: list[tuple[Finding, Entry]] = field(default_factory=list)
    worse: list[tuple[Finding, Entry]] = field(default_factory=list)
    new: list[Finding] = field(default_factory=list)


def is_worse(value: float, entry: Entry) -> bool:
    if entry.limit is None:
        return False
    shown = round(value, 2)
    return shown < entry.limit if entry.floor else shown > entry.limit


@dataclass
class _Slot:
    entry: Entry
    left: int  # how many more findings this entry may match

    def fit(self, value: float | None) -> tuple[bool, float]:
        """Sort key: a slot the value is not worse than first, then the tightest limit."""
        limit = self.entry.limit
        if value is None or limit is None:
            return (False, 0.0)
        return (is_worse(value, self.entry), abs(limit - value))


class _Pool:
    """Known entries looked up by one kind of key; the passes share the slots' counts."""

    def __init__(self, slots: Iterable[_Slot], key: Callable[[Entry], tuple[str, ...]]) -> None:
        self.slots: dict[tuple[str, ...], list[_Slot]] = {}
        for slot in slots:
            self.slots.setdefault(key(slot.entry), []).append(slot)

    def take(self, key: tuple[str, ...], value: float | None) -> Entry | None:
        """The best entry left under ``key`` for a finding of this value (two functions of
        the same name in one file each keep their own ceiling)."""
        open_slots = [slot for slot in self.slots.get(key, ()) if slot.left > 0]
        if not open_slots:
            return None
        slot = min(open_slots, key=lambda s: s.fit(value))
        slot.left -= 1
        return slot.entry


class _Pools:
    """The three passes of :func:`match`, each over the entries it may use."""

    def __init__(self, entries: Sequence[Entry], vanished: Callable[[str], bool]) -> None:
        slots = [_Slot(entry, entry.count) for entry in entries]
        self.exact = _Pool(slots, lambda e: (e.path, e.symbol, e.hash))
        self.by_scope = _Pool([s for s in slots if s.entry.limit is not None], lambda e: (e.path, e.symbol))
        self.moved = _Pool([s for s in slots if vanished(s.entry.path)], lambda e: (e.symbol, e.hash))

    def take(self, finding: Finding) -> Entry | None:
        symbol, digest = split(finding.fingerprint)
        entry = self.exact.take((finding.path, symbol, digest), finding.value)
        if entry is None and finding.value is not None:
            entry = self.by_scope.take((finding.path, symbol), finding.value)
        return entry or self.moved.take((symbol, digest), finding.value)


def match(
    findings: Sequence[Finding], entries: Sequence[Entry], vanished: Callable[[str], bool]
) -> Match:
    """Match one gate's findings to its known entries, in three passes, each consuming
    an entry's count: (path, scope, hash); then, for measured findings, (path, scope), so
    a function whose ``def`` line changed keeps its ceiling; then (scope, hash) among the
    entries whose file no longer exists (a moved or renamed file)."""
    pools = _Pools(entries, vanished)
    result = Match()
    for finding in sorted(findings, key=lambda f: f.sort_key()):
        entry = pools.take(finding)
        if entry is None:
            result.new.append(finding)
        elif finding.value is not None and is_worse(finding.value, entry):
            result.worse.append((finding, entry))
        else:
            result.known.append((finding, entry))
    return result


def with_limit_noted(finding: Finding, entry: Entry) -> Finding:
    """A worse finding, its message saying what the baseline allowed."""
    from dataclasses import replace

    return replace(finding, message=f"{finding.message} (baseline allows {entry.limit:g})")


def in_gate(checker: Checker, entries: Iterable[Entry]) -> list[Entry]:
    return [e for e in entries if e.code == checker.code]
