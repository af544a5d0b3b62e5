"""What a roadmap can ask for, and which gate setting measures it: one entry per criterion.

Each :class:`Metric` says how a criterion is written (its subject, e.g. "largest file"),
which figures it takes (units), which way the gate's limit points, and the gate and
option that hold it. A gate that is not installed (or lacks the option) is found out
at run time: its criteria are listed as recognised but not measurable here, and no
setting is ever written for it, so the config always loads. A gate that lands later
(the perf gate's time and memory budgets) needs no change here if its name and option
match the entry; otherwise it is one entry to adjust. A limit that only a test run can
measure (the session's duration and peak memory) is written by ``gates init`` and shown
by ``gates report`` as measured at test time, never judged from static figures.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from gates.roadmap import bans

_I = re.IGNORECASE


def _bandit_severity(clause: str) -> tuple[tuple[str, Any], ...]:
    """"no high-severity issues" sets bandit's threshold to high; "low" to low."""
    match = re.search(r"\b(high|medium|low)[- ]severity\b|\bseverity\s*(?:of\s*)?(high|medium|low)\b", clause, _I)
    if match is None:
        return ()
    return (("severity", (match.group(1) or match.group(2)).lower()),)


@dataclass(frozen=True)
class Metric:
    """One kind of criterion and the gate setting that measures it.

    ``option`` None: an on/off criterion ("no print()"), written as ``enabled = true``.
    Otherwise ``upper`` says the option is a maximum (True) or a floor (False), ``units``
    which figures it accepts ("" is a plain number), and ``step`` the gate's resolution,
    used to turn a strict bound into the gate's inclusive limit ("< 800" → 799).
    """

    key: str
    label: str  # what is measured, in words
    gate: str
    subject: re.Pattern[str]
    option: str | None = None
    upper: bool = True
    units: frozenset[str] = frozenset()
    step: float = 1.0
    not_after: frozenset[str] = frozenset()  # words that make the subject something else
    requires: re.Pattern[str] | None = None  # an on/off criterion must also say this
    bare: bool = False  # a figure without a comparison still states the limit
    default: bool = False  # part of the default roadmap (`gates init` without --from)
    provided_by: str = ""  # where the gate comes from, when it is not installed
    example: str = ""  # how to write the limit, for an error message
    loose: bool = False  # the subject is a common word: without a figure it is not this criterion
    at_test_time: str = ""  # measured only while the tests run (how); `gates report` cannot
    extra: Callable[[str], tuple[tuple[str, Any], ...]] = field(default=lambda clause: ())


_PROHIBITS = re.compile(
    r"\b(?:no|zero|0|remove[ds]?|removing|replace[ds]?|replacing|eliminat\w*|ban(?:ned)?|forbid\w*"
    r"|avoid\w*|without|free of|instead of|never|none)\b|→|->|\blogging\b", _I,
)

METRICS: tuple[Metric, ...] = (
    Metric("type-coverage", "type coverage", "type-coverage",
           example="type coverage ≥ 60%",
           subject=re.compile(r"\btype[- ]?(?:hint|annotation|check(?:ing)?)?s?[- ]coverage\b"
                      r"|\bannotation[- ]coverage\b|\btype[- ](?:hints?|annotations?)\b", _I),
           option="fail-under", upper=False, units=frozenset({"%"}), step=0.01, default=True),
    Metric("coverage", "test coverage", "coverage",
           example="test coverage ≥ 80%",
           subject=re.compile(r"\bcoverage\b", _I),
           option="fail-under", upper=False, units=frozenset({"%"}), step=0.01, default=True,
           not_after=frozenset({"type", "types", "typing", "hint", "hints", "annotation", "annotations",
                                "docstring", "docstrings", "doc", "docs", "documentation", "branch",
                                "mutation", "api", "feature", "platform", "check", "checking", "validation",
                                "requirement", "requirements", "geographic", "network", "market"}),
           provided_by="the gates pytest plugin (GT301)"),
    Metric("file-size", "largest file", "file-size",
           loose=True, example="files < 800 lines",
           subject=re.compile(r"\b(?:files?|modules?)\b(?:\s+(?:size|length))?", _I),
           option="max", units=frozenset({"lines", ""}), default=True,
           not_after=frozenset({"test", "tests", "data", "config", "log", "baseline"})),
    Metric("function-length", "longest function", "function-length",
           loose=True, example="functions < 50 lines",
           subject=re.compile(r"\b(?:functions?|methods?|defs?)\b(?:\s+(?:length|size))?", _I),
           option="max", units=frozenset({"lines", ""}), default=True,
           not_after=frozenset({"test", "tests", "helper"})),
    Metric("complexity", "cyclomatic complexity", "complexity",
           example="complexity ≤ 10",
           subject=re.compile(r"\b(?:(?:cyclomatic|mccabe)\s+)?complexity\b", _I),
           option="max", units=frozenset({""}), default=True,
           not_after=frozenset({"cognitive", "time", "space", "algorithmic", "accidental"})),
    Metric("no-print", "no print() in production code", "no-print",
           re.compile(r"\bprint\b(?:\s*\(\s*\))?", _I), requires=_PROHIBITS, default=True),
    Metric("unseeded-rng", "random generators seeded", "unseeded-rng",
           re.compile(r"\b(?:un)?seed(?:s|ed|ing)?\b|\b(?:deterministic|reproducible)\s+"
                      r"(?:tests?|test runs?|randomness|random\w*|rngs?|results|seeds?)\b", _I),
           default=True),
    Metric("mypy", "mypy passes", "mypy", re.compile(r"\bmypy\b", _I)),
    Metric("bandit", "bandit security scan", "bandit",
           re.compile(r"\bbandit\b|\bsecurity\s+(?:scan\w*|lint\w*)|\bsast\b", _I), extra=_bandit_severity),
    Metric("flake8", "flake8 passes", "flake8", re.compile(r"\bflake8\b", _I)),
    Metric("banned-import", "no import of a retired module", "banned-import", bans.SUBJECT,
           requires=bans.RETIRES, extra=bans.ban_rule),
    Metric("test-duration", "test-suite duration", "perf",
           loose=True, example="tests pass in < 30 seconds",
           subject=re.compile(r"\btests\b|\btest[- ](?:suite|run)s?\b|\bsuite\b", _I),
           option="max-duration", units=frozenset({"s"}), step=0.01,
           provided_by="the perf gate of the gates pytest plugin",
           at_test_time="the session's duration, by the gates pytest plugin (`pytest`: max-duration)"),
    Metric("memory", "peak memory", "perf",
           loose=True, example="memory < 1.2 GB",
           subject=re.compile(r"\b(?:memory|ram|rss|heap)\b", _I),
           option="max-memory", units=frozenset({"B"}),
           provided_by="the perf gate of the gates pytest plugin",
           at_test_time="the session's peak RSS, by the gates pytest plugin (`pytest`: max-memory)"),
    Metric("perf-regression", "slowdown against the baseline", "perf",
           loose=True, example="no regression over 20%",
           subject=re.compile(r"\bregress\w*|\bslow(?:er|down)\b|\bperformance\b|\bperf\b", _I),
           option="max-regression", units=frozenset({"%", "ratio", ""}), step=0.01, bare=True,
           default=True, provided_by="the perf gate of the gates pytest plugin (GT303)"),
)


def metric(key: str) -> Metric:
    return next(m for m in METRICS if m.key == key)


def in_unit(metric: Metric, value: float, unit: str) -> float | None:
    """``value`` in the metric's own unit, or None when the figure does not fit it."""
    if metric.key == "perf-regression":
        return _slowdown_percent(value, unit)
    if unit not in metric.units:
        return None
    return value


def _slowdown_percent(value: float, unit: str) -> float | None:
    """A regression threshold as a percentage: "20%", "1.2x" and a bare ratio 1.2 are all 20."""
    if unit == "%":
        return value
    if unit in ("ratio", "") and 1.0 < value < 10.0:
        return round((value - 1.0) * 100.0, 6)
    return None
