"""What a figure or a line is about, when that makes it something other than a gate's limit.

A careful reader of a roadmap leaves alone: section, week and step numbers ("3.2 Performance",
"Week 6: Performance Tests"), staffing shares ("Performance Engineer: 50% time"), rollback and
alert triggers ("roll back if performance degradation > 50%"), the product's own runtime targets
("memory usage < 1.2GB for the full network", "< 5% overhead from monitoring"), criteria scoped
to new code ("new modules with ≥ 90% coverage": not the project's floor) and a tool named in a
list of tools to use ("Linting (flake8, black)": not "flake8 passes clean"). These rules are
about how roadmaps are written, not about any one roadmap.
"""

from __future__ import annotations

import re

from gates.roadmap.quantities import Quantity

_I = re.IGNORECASE
# "3.2 Title", "3. Title", "4) Title": a number opening the line, with no unit and no comparison.
_SECTION_NUMBER = re.compile(r"\s*+(?:§\s*+)?\d++(?:\.\d++)*+[.):]?(?=\s|$)")
_LABEL_BEFORE = re.compile(
    r"\b(?:weeks?|phases?|steps?|stages?|sections?|sprints?|milestones?|parts?|chapters?|days?|months?"
    r"|years?|quarters?|iterations?|releases?|versions?|tiers?|levels?|priority|p|q|v|wk|no\.)"
    r"[ \t]*+(?:\d++[ \t]*+[-–][ \t]*+)?$",
    _I,
)
_STAFFING_AFTER = re.compile(
    r"\s*+(?:of\s++(?:[\w'’]++\s++){0,3}?)?(?:time|fte|allocation|capacity|effort|bandwidth)\b", _I
)
_STAFFING_BEFORE = re.compile(
    r"\b(?:engineers?|developers?|leads?|managers?|analysts?|designers?|scientists?|qa|devops|sre|owners?"
    r"|architects?|maintainers?|testers?|staff|team)[ \t]*+:[ \t]*+$", _I,
)
_TRIGGER = re.compile(
    r"\b(?:roll[- ]?backs?|revert(?:s|ing)?|triggers?|triggered|alerts?|alerting|alarms?|on-?call"
    r"|escalat\w*|abort|kill[- ]switch|circuit[- ]breakers?)\b", _I,
)
_NEW_CODE = re.compile(
    r"\bnew(?:ly)?(?:[- ](?:added|written))?\s++(?:code|modules?|files?|features?|functions?|classes|components?)\b"
    r"|\bchanged\s++(?:lines|code|files)\b|\bdiff\s++coverage\b|\bpatch\s++coverage\b", _I,
)
_TESTS = re.compile(r"\btests?\b|\btest[- ]?(?:suite|run|session)s?\b|\bbenchmarks?\b|\bpytest\b|\bCI\b", _I)
_RUNTIME = re.compile(
    r"\b(?:network|service|server|api|endpoint|requests?|responses?|latency|throughput|production|prod"
    r"|users?|monitoring|overhead|inference|training|pipeline|dataset|datasets|job|jobs|processing"
    r"|deployment|runtime|startup|query|queries|model)\b", _I,
)
_TOOL_LIST = re.compile(r"\([^()]{0,200}?,[^()]{0,200}?\)|:[^:]{0,200}?,")
_CLEAN = re.compile(
    r"\b(?:pass(?:es|ing)?|clean|green|no\s++(?:errors?|warnings?|issues?|findings?|violations?)"
    r"|zero|strict|enforced?|must|required?|gated?|fails?|failing)\b", _I,
)

SECTION = "a section, week or step number, or a staffing share"
TRIGGER = "a rollback or alert trigger, not a gate"
RUNTIME = "a runtime target of the product, not of the test session"
NEW_CODE = "scoped to new or changed code, not the project's floor"
TOOL_LIST = "a tool named in a list of tools to use, not a criterion that it passes"
REASONS = (SECTION, TRIGGER, RUNTIME, NEW_CODE, TOOL_LIST)
_RUNTIME_METRICS = frozenset({"test-duration", "memory", "perf-regression"})
_ON_OFF_TOOLS = frozenset({"mypy", "flake8", "bandit"})


def is_label(text: str, figure: Quantity) -> bool:
    """True when ``figure`` numbers or staffs something ("3.2", "Week 6", "50% time") rather than limiting it."""
    if figure.upper is None and not figure.unit:
        section = _SECTION_NUMBER.match(text)
        if section is not None and figure.start < section.end():
            return True
        if _LABEL_BEFORE.search(text[max(0, figure.start - 24) : figure.start]) is not None:
            return True
    if figure.unit == "%":  # "50% time", also as a range ("30–40 % of developer time")
        if _STAFFING_AFTER.match(text, figure.end) is not None:
            return True
        head = text[max(0, figure.start - 40) : figure.start] + text[figure.start : figure.start + 1].strip("0123456789")
        if _STAFFING_BEFORE.search(head) is not None:  # "QA: 25%", its colon read as a target's
            return True
    return False


def line_reason(text: str, key: str) -> str:
    """Why a line naming metric ``key`` sets no gate ("" when nothing in it says so)."""
    if _TRIGGER.search(text) is not None:
        return TRIGGER
    if key in _RUNTIME_METRICS and _TESTS.search(text) is None and _RUNTIME.search(text) is not None:
        return RUNTIME
    if key == "coverage" and _NEW_CODE.search(text) is not None:
        return NEW_CODE
    if key in _ON_OFF_TOOLS and _TOOL_LIST.search(text) is not None and _CLEAN.search(text) is None:
        return TOOL_LIST
    return ""
