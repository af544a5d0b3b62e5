"""Figures in roadmap prose: a number, its unit, and the bound written around it.

``< 800 lines``, ``≥80%``, ``at least 80 percent``, ``under 30 seconds``, ``1.2GB``,
``1.2x``, ``80%+``, ``no more than 50 lines``, ``= 1.2``, ``from 45% to 80%``. Values
are kept in a canonical unit (``%``, ``ratio``, ``lines``, ``s``, ``B`` or none); a
negation before the comparison ("no function longer than 50 lines") is applied later,
when the figure is paired with what it bounds (:func:`negated`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

# (pattern, upper, strict): upper = the figure is a maximum. Longest phrases first.
_COMPARATORS: tuple[tuple[str, bool, bool], ...] = (
    (r"less than or equal to|at or below|at or under", True, False),
    (r"greater than or equal to|at or above", False, False),
    (r"no (?:more|greater|larger|bigger|longer|higher) than|not (?:more|greater) than", True, False),
    (r"no (?:less|fewer|lower|shorter|smaller) than|not (?:less|fewer) than", False, False),
    (r"not (?:over|above|exceeding)|never (?:over|above)", True, False),
    (r"not (?:below|under)|never (?:below|under)", False, False),
    (r"at most|up to|(?:a )?max(?:imum)?(?: of)?\.?|within|≤|<=|=<|⩽", True, False),
    (r"at least|(?:a )?min(?:imum)?(?: of)?\.?|≥|>=|⩾", False, False),
    (r"less than|fewer than|lower than|shorter than|smaller than|under|below|<", True, True),
    (r"more than|greater than|higher than|longer than|larger than|bigger than|over|above"
     r"|exceed(?:s|ing)?|>", False, True),
)
_TARGET_BEFORE = (
    r"=|:|→|->|⇒|\bto|\btarget(?:ed|s)?(?: of| at| is)?|\bgoal(?: of| is)?|\baim(?: for)?"
    r"|\breach(?:es|ing)?|\b(?:should|must|shall|will) be"
)
_SUFFIX_LOWER = r"\+|\s*(?:or (?:more|higher|above|better|greater)|and (?:above|up)|minimum|min\b|at minimum)"
_SUFFIX_UPPER = r"\s*(?:or (?:less|fewer|lower|below|under)|and below|max(?:imum)?\b|at most|tops)"

# (pattern, canonical unit, factor). Tried in order at the same position.
_UNITS: tuple[tuple[str, str, float], ...] = (
    (r"%|percent\b|per\s?cent\b|pct\b", "%", 1.0),
    (r"lines?\s+of\s+code\b|lines?\b|loc\b|sloc\b", "lines", 1.0),
    (r"ms\b|milliseconds?\b", "s", 0.001),
    (r"s\b|secs?\b|seconds?\b", "s", 1.0),
    (r"mins?\b|minutes?\b", "s", 60.0),
    (r"h\b|hrs?\b|hours?\b", "s", 3600.0),
    (r"kib\b", "B", 2.0**10), (r"mib\b", "B", 2.0**20), (r"gib\b", "B", 2.0**30), (r"tib\b", "B", 2.0**40),
    (r"kb\b", "B", 1e3), (r"mb\b", "B", 1e6), (r"gb\b", "B", 1e9), (r"tb\b", "B", 1e12),
    (r"bytes?\b|b\b", "B", 1.0),
    (r"x\b|×|times\b", "ratio", 1.0),
)
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\d]|\.\d|,\d{3})")
_UNIT = re.compile(r"[ \t]?-?[ \t]?(?:" + "|".join(f"({p})" for p, _, _ in _UNITS) + ")", re.IGNORECASE)
_COMPARATOR_END = re.compile(
    "(?:" + "|".join(f"({p})" for p, _, _ in _COMPARATORS) + r")\s*[~≈]?\s*$", re.IGNORECASE
)
_TARGET_END = re.compile(rf"(?:{_TARGET_BEFORE})\s*[~≈]?\s*$", re.IGNORECASE)
_LOWER_AFTER = re.compile(_SUFFIX_LOWER, re.IGNORECASE)
_UPPER_AFTER = re.compile(_SUFFIX_UPPER, re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:no|not|never|none|nothing|zero|without)\b|n't\b", re.IGNORECASE)
_LOOKBACK = 48  # the longest comparison phrase, with room for spaces
_CURRENT = re.compile(r"\b(?:currently|current|now|today|was|from|baseline|actual|at present)\s*:?\s*$", re.IGNORECASE)
# A stretch goal is not the limit: "stretch goal 90 %", "ideally 95%", "aspirational: 100%".
_ASPIRATION = re.compile(
    r"\b(?:stretch(?:[- ](?:goal|target))?|aspirational(?:[- ](?:goal|target))?|ideally|nice[- ]to[- ]have"
    r"|eventually|long[- ]term(?:[- ](?:goal|target))?|dream)\b[^\d]{0,12}$", re.IGNORECASE,
)
# A range bounds both ways: "70–80 %", "70 % - 80 %", "between 75% and 85%". The dash is
# tight ("70–80") or the first figure has its unit ("70 % – 80 %"), so "Phase 2 - 80 %"
# (a label, then a figure) is no range.
_TIGHT_DASH = re.compile(r"[-–—]")
_SPACED_DASH = re.compile(r"[ \t]*[-–—][ \t]*")
_BETWEEN = re.compile(r"\bbetween[ \t]*$", re.IGNORECASE)
_AND = re.compile(r"[ \t]+and[ \t]+", re.IGNORECASE)


@dataclass(frozen=True)
class Quantity:
    """A figure found in a line, with the comparison written right before or after it.

    ``upper`` is True for a maximum ("< 800", "at most 50", "50 or less"), False for a
    minimum ("≥ 80", "80%+"), None when no comparison is written. ``target`` marks a
    figure written as a goal without a comparison (": 80%", "= 1.2", "→ 80%", a table's
    target column); ``current`` one written as today's state ("currently 45%").
    """

    value: float
    unit: str
    upper: bool | None
    strict: bool
    target: bool
    current: bool
    start: int  # where the comparison (or the number) starts
    end: int
    text: str

    @property
    def is_bound(self) -> bool:
        return (self.upper is not None or self.target) and not self.current


def _number(match: re.Match[str]) -> float:
    return float(match.group(1).replace(",", "") + (match.group(2) or ""))


def _unit(text: str, at: int) -> tuple[str, float, int]:
    """(canonical unit, factor, end) of the unit written at ``at``; ("", 1, at) if none."""
    match = _UNIT.match(text, at)
    if match is None:
        return "", 1.0, at
    index = next(i for i, group in enumerate(match.groups()) if group is not None)
    _, unit, factor = _UNITS[index]
    return unit, factor, match.end()


def _before(text: str, start: int) -> tuple[bool | None, bool, bool, int]:
    """(upper, strict, target, start) from the comparison written right before ``start``."""
    offset = max(0, start - _LOOKBACK)
    head = text[offset:start]
    match = _COMPARATOR_END.search(head)
    if match is not None and not _inside_word(text, offset + match.start()):
        index = next(i for i, group in enumerate(match.groups()) if group is not None)
        _, upper, strict = _COMPARATORS[index]
        return upper, strict, False, offset + match.start()
    target = _TARGET_END.search(head)
    if target is not None and not _inside_word(text, offset + target.start()):
        return None, False, True, offset + target.start()
    return None, False, False, start


def _inside_word(text: str, at: int) -> bool:
    """True when a phrase found at ``at`` is the tail of a longer word ("th-under 5")."""
    return at > 0 and text[at].isalpha() and text[at - 1].isalpha()


def _after(text: str, end: int) -> tuple[bool | None, int]:
    """The comparison written right after a figure: "80%+", "50 lines or less"."""
    for pattern, upper in ((_LOWER_AFTER, False), (_UPPER_AFTER, True)):
        match = pattern.match(text, end)
        if match is not None:
            return upper, match.end()
    return None, end


def quantities(text: str, *, target: bool = False) -> list[Quantity]:
    """Every figure in ``text``; ``target`` marks them all as goals (a table's target column)."""
    found = []
    matches = list(_NUMBER.finditer(text))
    for match in matches:
        unit, factor, end = _unit(text, match.end())
        upper, strict, is_target, start = _before(text, match.start())
        if upper is None:
            upper, end = _after(text, end)
        head = text[max(0, match.start() - _LOOKBACK) : match.start()]
        current = upper is None and _CURRENT.search(head) is not None or _ASPIRATION.search(head) is not None
        found.append(Quantity(
            value=_number(match) * factor, unit=unit, upper=upper, strict=strict,
            target=is_target or target, current=current, start=start, end=end,
            text=text[start:end].strip().lstrip(":=").strip(),
        ))
    return _ranges(text, found, matches)


def _ranges(text: str, found: list[Quantity], matches: list[re.Match[str]]) -> list[Quantity]:
    """Each range's low end a minimum and its high end a maximum, in the high end's unit."""
    for index in range(len(found) - 1):
        low, high = found[index], found[index + 1]
        if not _is_range(text, low, high, matches[index + 1].start()):
            continue
        value = low.value * (high.value / _number(matches[index + 1])) if low.unit == "" else low.value
        if value > high.value:
            continue
        # Both ends span the whole range: what is written around it is about both
        # ("30–40 % of their time" is a staffing share at either end).
        span = text[low.start : high.end].strip()
        found[index] = replace(low, value=value, unit=high.unit, upper=False, target=False, end=high.end, text=span)
        found[index + 1] = replace(high, upper=True, strict=False, target=False, start=low.start, text=span)
    return found


def _is_range(text: str, low: Quantity, high: Quantity, high_number: int) -> bool:
    """True when ``low`` and ``high`` are written as one range: "70–80 %", "between 75% and 85%"."""
    # "30–50 lines at most": a maximum written after the range is its high end's
    if high.unit == "" or low.unit not in ("", high.unit) or low.upper is not None or high.upper is False:
        return False
    gap = text[low.end : high_number]
    if (_SPACED_DASH if low.unit else _TIGHT_DASH).fullmatch(gap):
        return True
    return _AND.fullmatch(gap) is not None and _BETWEEN.search(text[max(0, low.start - 12) : low.start]) is not None


def negated(text: str) -> bool:
    """True when ``text`` (what lies between a subject's start and its figure) negates it."""
    return _NEGATION.search(text) is not None
