"""Find the criteria a roadmap states: each subject ("largest file") paired with its figure.

Every line meant as a criterion comes out as a :class:`Criterion`: understood (a metric
and, for a limit, its bound), recognised but not measurable as written (``problem``),
or not understood (no metric). Prose that states no figure and is not a checklist
item stays prose; a line with a comparison in it ("p95 latency < 200 ms") is never
dropped silently.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from gates.errors import UsageError
from gates.roadmap.context import is_label, line_reason
from gates.roadmap.markdown import RoadmapLine, roadmap_lines
from gates.roadmap.metrics import METRICS, Metric, in_unit
from gates.roadmap.quantities import Quantity, negated, quantities

_CLAUSE_BREAK = re.compile(r";|,\s|\s[—–-]\s|\.\s|\(|\)|\s#\s")
_WORD_BEFORE = re.compile(r"([\w-]+)\W*$")
_WORD_WINDOW = 64  # how far back the word before a mention is looked for
# A line states a handful of criteria; reading at most this many subjects keeps a crafted
# line of thousands of "coverage >= 80%" linear in its length, not quadratic.
MAX_SUBJECTS = 32
NOT_MEASURABLE = "not a criterion gates can measure"
_NAMING_GAP = 24
_NAMING_WORDS = re.compile(r"[ \t]*+(?:[\w-]++[ \t]++){0,2}")


@dataclass(frozen=True)
class Bound:
    """A limit as the roadmap writes it, in the metric's unit: "< 800 lines" is (800, upper, strict)."""

    value: float
    upper: bool
    strict: bool
    written: str


@dataclass(frozen=True)
class Criterion:
    """One criterion of the roadmap, where it is written and what gates made of it."""

    path: str
    line: int
    text: str
    metric: Metric | None = None
    bound: Bound | None = None
    extra: tuple[tuple[str, Any], ...] = ()
    problem: str = ""  # why it cannot be set as written; "" when understood

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"

    @property
    def understood(self) -> bool:
        return self.metric is not None and not self.problem


@dataclass(frozen=True)
class _Subject:
    metric: Metric
    start: int
    end: int
    clause: tuple[int, int]
    until: int = -1  # where the next subject starts (-1: the end of the line)


def read_roadmap(path: Path) -> str:
    """The roadmap's text; a missing or undecodable file is a one-line error naming it."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such roadmap file; give the path of your ROADMAP.md") from None
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path}: not UTF-8 text ({exc.reason}); save the roadmap as UTF-8") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot be read: {exc.strerror or exc}") from None


def parse_roadmap(document: str, path: str) -> list[Criterion]:
    """Every criterion of ``document`` (the roadmap's text), in the order written."""
    found: list[Criterion] = []
    for line in roadmap_lines(document):
        found.extend(criteria_of_line(line, path))
    return found


def _clauses(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _CLAUSE_BREAK.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def _clause_of(spans: Sequence[tuple[int, int]], at: int) -> tuple[int, int]:
    """The clause holding position ``at`` (spans are sorted and disjoint: a binary search)."""
    index = bisect.bisect_right(spans, (at, len(spans) and spans[-1][1] + 1)) - 1
    if index >= 0 and spans[index][0] <= at <= spans[index][1]:
        return spans[index]
    return (0, 0)


def _mentions(metric: Metric, text: str, spans: Sequence[tuple[int, int]]) -> list[_Subject]:
    """Where ``text`` names ``metric``'s subject, minus mentions of something else ("type coverage")."""
    found = []
    required: dict[tuple[int, int], bool] = {}  # each clause searched once: linear time
    for match in metric.subject.finditer(text):
        before = _WORD_BEFORE.search(text[max(0, match.start() - _WORD_WINDOW) : match.start()])
        if before is not None and before.group(1).lower() in metric.not_after:
            continue
        clause = _clause_of(spans, match.start())
        if metric.requires is not None:
            if clause not in required:
                required[clause] = metric.requires.search(text[clause[0] : clause[1]]) is not None
            if not required[clause]:
                continue
        found.append(_Subject(metric, match.start(), match.end(), clause))
    return found


def _subjects(text: str) -> list[_Subject]:
    """Each metric's subject in the line; overlapping matches keep the earliest (then the first metric)."""
    spans = _clauses(text)
    found = sorted((s for m in METRICS for s in _mentions(m, text, spans)), key=lambda s: s.start)
    kept: list[_Subject] = []
    reach = -1  # kept subjects are disjoint and sorted: only the furthest end can overlap
    for subject in found:
        if subject.start >= reach:
            kept.append(subject)
            reach = subject.end
            if len(kept) == MAX_SUBJECTS:
                break
    return [replace(subject, until=later.start) for subject, later in zip(kept, kept[1:])] + kept[-1:]


def criteria_of_line(line: RoadmapLine, path: str) -> list[Criterion]:
    """The criteria one line states (usually one; "functions < 50 lines, files < 800 lines" two)."""
    text = line.text
    figures = _figures(line)
    understood, problems, weak = _readings(line, path, figures)
    if understood or problems:
        return understood + ([] if line.code else problems)
    if line.code or not (line.candidate or any(q.upper is not None for q in figures)):
        return []
    return weak[:1] or [Criterion(path, line.number, text, problem=NOT_MEASURABLE)]


def _figures(line: RoadmapLine) -> list[Quantity]:
    """The line's figures, minus section, week or step numbers and staffing shares (they limit nothing)."""
    return [q for q in quantities(line.text, target=line.target) if not is_label(line.text, q)]


def _in_context(criterion: Criterion, strong: bool, text: str, context: list[Criterion]) -> tuple[Criterion, bool]:
    """``criterion``, or why its line sets no gate (a rollback trigger, a runtime target: gates.roadmap.context)."""
    if criterion.metric is None or not (criterion.understood or strong):
        return criterion, strong
    reason = line_reason(text, criterion.metric.key)
    if not reason:
        return criterion, strong
    context.append(_problem(criterion, reason))
    return context[-1], True


def _readings(
    line: RoadmapLine, path: str, figures: list[Quantity]
) -> tuple[list[Criterion], list[Criterion], list[Criterion]]:
    """(understood, problems worth listing, problems worth listing only on a criterion line)."""
    claimed: set[int] = set()
    understood: dict[str, Criterion] = {}
    problems: list[Criterion] = []
    weak: list[Criterion] = []
    context: list[Criterion] = []
    previous = 0
    for subject in _subjects(line.text):
        criterion, strong = _in_context(
            *_read(subject, line.text, figures, claimed, previous, path, line.number), line.text, context
        )
        previous = subject.end
        if criterion.understood:
            understood.setdefault(subject.metric.key, criterion)
        else:
            (problems if strong else weak).append(criterion)
    problems = [p for p in problems if p.metric is not None and p.metric.key not in understood]
    if context and not understood:  # "new modules", "roll back if": why the line sets nothing, once
        return [], context[:1], weak
    return list(understood.values()), problems, weak


def _rank(subject: _Subject, figure: Quantity) -> tuple[int, int]:
    """How well ``figure`` bounds ``subject``: in its clause after it, else before it, else later in the line."""
    inside = subject.clause[0] <= figure.start <= subject.clause[1]
    if figure.start >= subject.end:
        return (0 if inside else 2, figure.start)
    if inside and figure.end <= subject.start:
        return (1, -figure.end)
    return (3, 0)


def _pick(subject: _Subject, fitting: list[Quantity]) -> Quantity | None:
    """The figure that bounds ``subject`` (in a range, the end that points the gate's way);
    of several limits written for it ("≤ 60 lines (phase 1), ≤ 45 lines (phase 3)"), the
    tightest, as across lines (:mod:`gates.roadmap.choose`)."""
    way = subject.metric.upper

    def rank(q: Quantity) -> tuple[int, bool, int]:
        group, position = _rank(subject, q)
        return group, q.upper is not None and q.upper != way, position

    best = min(fitting, key=rank, default=None)
    if best is None or _rank(subject, best)[0] == 3:
        return None
    end = subject.until if subject.until >= 0 else math.inf
    later = [q for q in fitting if best.start < q.start < end and best.upper is not None and q.upper == best.upper]
    value = _value_in(subject.metric)
    return (min if way else max)([best, *later], key=value)


def _value_in(metric: Metric) -> Callable[[Quantity], float]:
    def value(q: Quantity) -> float:
        converted = in_unit(metric, q.value, q.unit)
        return 0.0 if converted is None else converted
    return value


def _fitting(subject: _Subject, text: str, figures: list[Quantity], claimed: set[int]) -> list[Quantity]:
    """The figures that can bound the subject's metric: unclaimed, not today's state, a
    bound (or a floor's figure naming it: "achieve 90% test coverage"), in its unit."""
    metric = subject.metric
    return [
        q for q in figures
        # a bare figure states a limit only with a unit ("20%", "1.2x"): a plain "2" in prose counts things
        if id(q) not in claimed and not q.current
        and (q.is_bound or (metric.bare and q.unit != "") or _names_floor(subject, text, q))
        and in_unit(metric, q.value, q.unit) is not None
    ]


def _names_floor(subject: _Subject, text: str, figure: Quantity) -> bool:
    """"90% test coverage", "80 % line coverage": a percentage right before a floor's
    subject (two words at most between them) is that floor, as a reader takes it."""
    if subject.metric.upper or figure.unit != "%" or not 0 <= subject.start - figure.end <= _NAMING_GAP:
        return False
    return _NAMING_WORDS.fullmatch(text, figure.end, subject.start) is not None


def _read(
    subject: _Subject, text: str, figures: list[Quantity], claimed: set[int],
    previous: int, path: str, number: int,
) -> tuple[Criterion, bool]:
    """The criterion ``subject`` states, and whether a problem with it is worth listing
    even on a line that is not a checklist item (a figure is attached to it)."""
    metric = subject.metric
    base = Criterion(path, number, text, metric, extra=metric.extra(text))
    if metric.option is None:
        return _on_off(base, subject, figures)
    figure = _pick(subject, _fitting(subject, text, figures, claimed))
    if figure is None:
        return _without_figure(base, subject, [q for q in figures if id(q) not in claimed])
    claimed.add(id(figure))
    return _bounded(base, figure, text[previous : figure.start])


def _bounded(base: Criterion, figure: Quantity, between: str) -> tuple[Criterion, bool]:
    metric = base.metric
    assert metric is not None
    value = in_unit(metric, figure.value, figure.unit)
    assert value is not None
    if metric.bare or figure.upper is None:
        upper, strict = metric.upper, False
    else:
        upper, strict = figure.upper, figure.strict
        if negated(between):
            upper, strict = not upper, not strict
    bound = Bound(value, upper, strict, figure.text)
    if upper != metric.upper:
        kind = "ceiling" if metric.upper else "floor"
        return _problem(base, f"gates sets a {kind} for {metric.label}; \u201c{figure.text}\u201d is not one"), True
    return Criterion(base.path, base.line, base.text, metric, bound, base.extra), True


def _on_off(base: Criterion, subject: _Subject, figures: list[Quantity]) -> tuple[Criterion, bool]:
    """"No print()", "mypy passes": on or off. A limit other than zero cannot be set."""
    lo, hi = subject.clause
    for figure in figures:
        if lo <= figure.start <= hi and figure.upper is not None and figure.unit == "":
            allowed = figure.value - 1 if figure.strict and figure.upper else figure.value
            if not figure.upper or allowed >= 1:
                metric = base.metric
                assert metric is not None
                return _problem(base, f"gate {metric.gate} allows none; \u201c{figure.text}\u201d cannot be set"), True
    return base, True


def _without_figure(base: Criterion, subject: _Subject, figures: list[Quantity]) -> tuple[Criterion, bool]:
    metric = base.metric
    assert metric is not None
    lo, hi = subject.clause
    other = [q for q in figures if lo <= q.start <= hi and q.is_bound]
    if other:
        units = " or ".join(sorted(u or "a plain number" for u in metric.units))
        message = f"{metric.label} is measured in {units}; \u201c{other[0].text}\u201d is not"
        return _problem(base, message), True
    if metric.loose:
        return Criterion(base.path, base.line, base.text, problem=NOT_MEASURABLE), False
    message = f"mentions {metric.label} but no limit gates can read (write it like \u201c{metric.example}\u201d)"
    return Criterion(base.path, base.line, base.text, None, problem=message), False


def _problem(base: Criterion, message: str) -> Criterion:
    return Criterion(base.path, base.line, base.text, base.metric, None, base.extra, problem=message)
