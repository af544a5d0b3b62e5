"""A Markdown (or plain-text) roadmap as lines of text without markup.

Checkboxes (``- [ ]``, ``- [x]``, ``✅``), list markers, bold, code spans and links are
removed; a table row becomes its subject cell plus its target cell when the table has
a target column ("| Test coverage | 45% | ≥80% |" under "Metric | Current | Target"
reads "Test coverage ≥80%"). Each line says whether it is *meant* as a criterion (a
checklist item, an item under a "Success criteria" heading, a row of a criteria table),
so that one gates cannot read is listed instead of silently dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_CRITERIA_HEADING = re.compile(
    r"criteri|success|metric|goal|target|definition of done|acceptance|quality gate|\bkpis?\b"
    r"|objective|requirement|done when|exit|checklist|deliverable", re.IGNORECASE,
)
_ITEM = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+(.*)$")
_CHECKBOX = re.compile(r"^\[([ xX✓✔])\]\s*(.*)$")
_MARK = re.compile(r"^(?:✅|❌|☐|☑️?|✔️?|✓|⬜|🔲|✗|✘|❎|🟢|🔴|🟡|🟠|⭕|⚠️?)\s*(.*)$")
_TABLE_ROW = re.compile(r"^\s*\|(.*?)\|?\s*$")
# Possessive quantifiers (*+): a line of thousands of spaces must not backtrack (linear time).
_SEPARATOR = re.compile(r"^\s*+\|?\s*+:?-{2,}+:?\s*+(?:\|\s*+:?-{2,}+:?\s*+)*+\|?\s*+$")
_TARGET_COLUMN = re.compile(r"target|goal|criteri|threshold|limit|success|required|requirement|budget|"
                            r"expect|desired|must|done when|definition", re.IGNORECASE)
_SKIP_COLUMN = re.compile(r"current|baseline|today|now|actual|status|state|owner|progress|notes?|"
                          r"phase|week|date|due|eta|priority|done", re.IGNORECASE)
# Link text without brackets: an unclosed "[[[[..." is then linear, not quadratic.
_LINK = re.compile(r"!?\[([^\[\]]*)\]\([^()]*\)")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")  # no "<" inside: linear on "<a <a <a ..."
_EMPHASIS = re.compile(r"\*\*|~~|(?<!\w)__|__(?!\w)|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])|`")


@dataclass(frozen=True)
class RoadmapLine:
    """One line of the roadmap as gates reads it.

    ``text`` is the line without markup. ``candidate`` is True when the line is meant as
    a criterion (then it is listed even when gates cannot read it); ``target`` when its
    figures come from a table's target column, so a bare "80%" there is a goal.
    """

    number: int
    text: str
    candidate: bool = False
    target: bool = False
    code: bool = False
    ticked: bool | None = None  # the checkbox state as written, when there is one


def clean(text: str) -> str:
    """Markdown emphasis, code spans, links and HTML tags removed; whitespace collapsed."""
    text = _LINK.sub(r"\1", text)
    text = _HTML_TAG.sub(" ", text)
    text = _EMPHASIS.sub("", text)
    return " ".join(text.split())


def _cells(row: str) -> list[str]:
    match = _TABLE_ROW.match(row)
    inner = match.group(1) if match else row
    return [clean(cell) for cell in re.split(r"(?<!\\)\|", inner)]


@dataclass(frozen=True)
class _Table:
    target: int | None  # the target column
    skipped: frozenset[int]  # current-state, status and planning columns

    @classmethod
    def from_header(cls, header: Sequence[str]) -> _Table:
        target = next((i for i, h in enumerate(header) if i and _TARGET_COLUMN.search(h)), None)
        skipped = frozenset(i for i, h in enumerate(header) if i and i != target and _SKIP_COLUMN.search(h))
        return cls(target, skipped)

    def row_text(self, cells: Sequence[str]) -> str:
        if self.target is not None:
            chosen = [cells[0], cells[self.target] if self.target < len(cells) else ""]
        else:
            chosen = [c for i, c in enumerate(cells) if i not in self.skipped]
        kept = [_MARK.sub(r"\1", c) for c in chosen]
        return (": " if self.target is not None else " ").join(c for c in kept if c)


def _item(text: str, number: int, criteria_section: bool) -> RoadmapLine:
    """A list item or a marked line: a criterion when it is a checklist item or under a criteria heading."""
    ticked: bool | None = None
    checkbox = _CHECKBOX.match(text)
    mark = _MARK.match(text)
    if checkbox is not None:
        ticked, text = checkbox.group(1) != " ", checkbox.group(2)
    elif mark is not None:
        ticked, text = text[0] in "✅☑✔✓🟢", mark.group(1)
    candidate = criteria_section or ticked is not None
    return RoadmapLine(number, clean(text), candidate=candidate, ticked=ticked)


def roadmap_lines(document: str) -> Iterator[RoadmapLine]:
    """Every line that carries text, numbered from 1, with what gates can tell about it."""
    reader = _Reader(document.splitlines())
    for index in range(len(reader.lines)):
        yield from reader.read(index)


class _Reader:
    """The state a line's meaning depends on: an open code fence, the section, the table."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.fence: str | None = None
        self.criteria_section = False
        self.table: _Table | None = None

    def read(self, index: int) -> Iterator[RoadmapLine]:
        raw, number = self.lines[index], index + 1
        if self._fenced(raw):
            if self.fence is not None and raw.strip() and not _FENCE.match(raw):
                yield RoadmapLine(number, raw.strip(), code=True)
            return
        if _SEPARATOR.match(raw) and "|" in raw:
            return
        if _TABLE_ROW.match(raw):
            yield from self._table_row(index)
            return
        self.table = None
        yield from _line(raw, number, self.criteria_section)
        heading = _HEADING.match(raw)
        if heading is not None:
            self.criteria_section = _CRITERIA_HEADING.search(heading.group(1)) is not None

    def _fenced(self, raw: str) -> bool:
        """True for a fence line and the lines inside a fence (opened or closed here)."""
        match = _FENCE.match(raw)
        if match and (self.fence is None or match.group(1) == self.fence):
            self.fence = match.group(1) if self.fence is None else None
            return True
        return self.fence is not None

    def _table_row(self, index: int) -> Iterator[RoadmapLine]:
        raw = self.lines[index]
        following = self.lines[index + 1] if index + 1 < len(self.lines) else ""
        if _SEPARATOR.match(following) and "-" in following:
            self.table = _Table.from_header(_cells(raw))
            return
        table = self.table or _Table(None, frozenset())
        yield _row(index + 1, _cells(raw), table, self.criteria_section)


def _row(number: int, cells: Sequence[str], table: _Table, criteria_section: bool) -> RoadmapLine:
    text = table.row_text(cells)
    candidate = table.target is not None or criteria_section
    return RoadmapLine(number, text, candidate=candidate, target=table.target is not None)


def _line(raw: str, number: int, criteria_section: bool) -> Iterator[RoadmapLine]:
    text = raw.strip()
    if text.startswith(">"):
        text = text.lstrip("> ")
    if not text:
        return
    heading = _HEADING.match(text)
    if heading is not None:
        yield RoadmapLine(number, clean(heading.group(1)))
        return
    item = _ITEM.match(text)
    if item is not None or _MARK.match(text) or _CHECKBOX.match(text):
        yield _item(item.group(1) if item else text, number, criteria_section)
        return
    yield RoadmapLine(number, clean(text))
