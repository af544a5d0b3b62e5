"""Never a phantom figure: the checks that a set of shard records is one whole run.

Each problem is a sentence naming the shard (its record's path); any problem makes the
combined verdict "incomplete", and no figure is computed from a partial set.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from gates.combine.record import ShardRecord


def _short(commit: str) -> str:
    return commit[:12] if commit else "no commit (not a git checkout)"


def _odd_ones(records: Sequence[ShardRecord], field: str, what: str) -> list[str]:
    """Shards whose ``field`` differs from the most common value among the shards."""
    values = Counter(getattr(r, field) for r in records)
    if len(values) < 2:
        return []
    usual, _ = values.most_common(1)[0]
    show = _short if field == "commit" else str
    return [f"{r.label} ran {what} {show(getattr(r, field))}, the others {show(usual)}"
            for r in records if getattr(r, field) != usual]


def _out_of_range(records: Sequence[ShardRecord], expected: int) -> list[str]:
    problems = []
    for r in records:
        if r.total is not None and r.total != expected:
            problems.append(f"{r.label} is one of {r.total} shards, but {expected} are expected")
        if r.number is not None and r.number > expected:
            problems.append(f"{r.label} has index {r.number}, beyond the {expected} expected shards")
    return problems


def _claims(records: Sequence[ShardRecord]) -> dict[int, list[ShardRecord]]:
    claimed: dict[int, list[ShardRecord]] = defaultdict(list)
    for r in records:
        if r.number is not None:
            claimed[r.number].append(r)
    return claimed


def _duplicates(records: Sequence[ShardRecord], claimed: dict[int, list[ShardRecord]]) -> list[str]:
    problems = [f"{len(owners)} shards claim index {number}: " + "; ".join(o.label for o in owners)
                for number, owners in sorted(claimed.items()) if len(owners) > 1]
    names = Counter(r.name for r in records if r.number is None)
    problems += [f"{count} shards are named {name!r}" for name, count in names.items() if count > 1]
    return problems


def _count(records: Sequence[ShardRecord], claimed: dict[int, list[ShardRecord]], expected: int) -> list[str]:
    if len(records) < expected:
        missing = sorted(set(range(1, expected + 1)) - set(claimed)) if claimed else []
        which = f": index {', '.join(map(str, missing))} missing" if missing else ""
        return [f"found {len(records)} of {expected} shards{which}"]
    if len(records) > expected:
        return [f"found {len(records)} shard records, {expected} expected"]
    return []


def _numbering(records: Sequence[ShardRecord], expected: int) -> list[str]:
    claimed = _claims(records)
    return (_out_of_range(records, expected) + _duplicates(records, claimed)
            + _count(records, claimed, expected))


def _overlaps(records: Sequence[ShardRecord]) -> list[str]:
    """Shards that ran the same tests: their figures would be counted twice."""
    owner: dict[str, int] = {}
    shared: dict[tuple[int, int], list[str]] = defaultdict(list)
    for i, r in enumerate(records):
        for test in r.tests:
            first = owner.setdefault(test, i)
            if first != i:
                shared[(first, i)].append(test)
    return [
        f"{records[a].label} and {records[b].label} both ran {len(tests)} "
        f"test{'s' if len(tests) != 1 else ''} (e.g. {tests[0]})"
        for (a, b), tests in sorted(shared.items())
    ]


def _coverage_gaps(records: Sequence[ShardRecord]) -> list[str]:
    measured = [r for r in records if r.coverage is not None]
    if not measured or len(measured) == len(records):
        return []
    return [f"{r.label} has no coverage data, the other shards have" for r in records if r.coverage is None]


# pytest's exit statuses of a whole session: tests passed, some failed, none collected.
WHOLE_SESSION = {0: "", 1: "", 5: ""}
EXIT_NAMES = {2: "interrupted", 3: "internal error", 4: "usage error"}


def _cut_short(records: Sequence[ShardRecord]) -> list[str]:
    """Shards whose session did not run to its end (interrupted, a collection error):
    their tests and data are a part of their share."""
    return [f"{r.label} ended with pytest exit status {r.exitstatus} "
            f"({EXIT_NAMES.get(r.exitstatus, 'not a finished run')}): run it again"
            for r in records if r.exitstatus not in WHOLE_SESSION]


def expected_count(records: Sequence[ShardRecord], expect: int | None) -> int | None:
    """``--expect``, else the shards' own total when they agree on one."""
    if expect is not None:
        return expect
    totals = {r.total for r in records}
    return totals.pop() if len(totals) == 1 else None


def problems(records: Sequence[ShardRecord], expected: int) -> list[str]:
    """Everything that keeps ``records`` from being one whole run; empty when complete."""
    found = _numbering(records, expected)
    found += _odd_ones(records, "commit", "commit")
    found += _odd_ones(records, "config", "with gates settings")
    found += _overlaps(records)
    found += _cut_short(records)
    found += _coverage_gaps(records)
    return found
