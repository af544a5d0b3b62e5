"""Changed-lines mode: ``gates check --diff REF`` and ``--staged``.

A finding counts when its line changed since the merge-base of HEAD and REF (committed,
staged and unstaged changes, and untracked files, which are new throughout), or, with
``--staged``, between HEAD and the index. A finding in a changed file whose own line did
not change counts too when it is new or worse than in the base version of the file: a
function that grew past its limit (its ``def`` line untouched), a print that an edit
elsewhere made the builtin again. For that the base version (``git show``) is checked
by the same checker and matched as the baseline matches (:func:`gates.adoption.baseline.match`).
Whole-project tools (GT2xx) count on changed lines only. Every git call is in
:mod:`gates.core.git`; this module decides which findings count.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from gates.adoption.baseline import entry_for, match
from gates.adoption.review import Review
from gates.core import git

if TYPE_CHECKING:
    from gates.core.checker import Checker
    from gates.model import Finding
    from gates.core.source import SourceFile

@dataclass
class Changes:
    """Changed lines by root-relative path, and how to read a file's base version."""

    top: Path  # the repository's top folder
    prefix: str  # the root relative to ``top``, "" or ending in "/"
    base: str  # the commit the diff is against ("" when there is none: every file is new)
    label: str = "the base"  # the base as the user named it, for messages
    lines: dict[str, set[int]] = field(default_factory=dict)
    old_names: dict[str, str] = field(default_factory=dict)  # root path -> base path (top-relative)
    whole: set[str] = field(default_factory=set)  # new files: every line is changed

    def touches(self, path: str, line: int) -> bool:
        return path in self.whole or line in self.lines.get(path, ())

    def changed(self, path: str) -> bool:
        return path in self.whole or path in self.old_names

    def base_bytes(self, path: str) -> bytes | None:
        """The file as it was at the base, or None when it did not exist there."""
        if not self.base or path in self.whole or path not in self.old_names:
            return None
        return git.show(self.top, self.base, self.old_names[path])

    def add(self, files: Mapping[str, git.FileDiff]) -> None:
        """Take the files of a diff (top-relative) that lie under the root."""
        for name, found in files.items():
            if not name.startswith(self.prefix):
                continue
            path = name[len(self.prefix):]
            if found.old is None:
                self.whole.add(path)
            else:
                self.old_names[path] = found.old
            self.lines.setdefault(path, set()).update(found.lines)


_PURPOSE = "--diff and --staged"


def changes_since(root: Path, ref: str) -> Changes:
    """What changed in the working tree since the merge-base with ``ref``; untracked files
    are new throughout."""
    top, prefix = git.repository(root, _PURPOSE)
    changes = Changes(top, prefix, git.merge_base(top, ref, f"--diff {ref}"), f"the merge-base with {ref}")
    changes.add(git.diff(top, changes.base, "--"))
    changes.whole.update(name[len(prefix):] for name in git.untracked(top, prefix))
    return changes


def staged_changes(root: Path) -> Changes:
    """What the index changes against HEAD (everything, before the first commit)."""
    top, prefix = git.repository(root, _PURPOSE)
    has_head = git.has_head(top)
    changes = Changes(top, prefix, "HEAD" if has_head else "", "HEAD")
    changes.add(git.diff(top, "--cached", "HEAD" if has_head else git.EMPTY_TREE, "--"))
    return changes


class DiffReview(Review):
    """Only findings on changed lines, and those of changed files that are new or worse
    than in the file's base version, count."""

    def __init__(self, changes: Changes) -> None:
        self.changes = changes
        self._bases: dict[str, SourceFile | None] = {}

    def keep(self, checker: Checker, findings: list[Finding]) -> list[Finding]:
        kept: list[Finding] = []
        elsewhere: dict[str, list[Finding]] = {}
        for finding in findings:
            if self.changes.touches(finding.path, finding.line):
                kept.append(finding)
            elif self.changes.changed(finding.path):
                elsewhere.setdefault(finding.path, []).append(finding)
        for path, group in elsewhere.items():
            kept += self._new_or_worse(checker, path, group)
        return sorted(kept, key=lambda f: f.sort_key())

    def floor(self, checker: Checker, measures: Sequence[tuple[str, Any]]) -> tuple[float, str] | None:
        """The gate's figure at the base: the same files, changed ones as they were there
        (a file new since the base is not counted; one deleted since is not either)."""
        if not measures or not checker.higher_is_better():
            return None
        before = [(path, self._base_measure(checker, path, value)) for path, value in measures]
        kept = [(path, value) for path, value in before if value is not None]
        return checker.summarize([], kept).measured, self.changes.label

    def _base_measure(self, checker: Checker, path: str, value: Any) -> Any:
        if not self.changes.changed(path):
            return value
        base = self._base(path)
        return checker.measure(base) if base is not None and checker.applies_to(base) else None

    def _base(self, path: str) -> SourceFile | None:
        if path not in self._bases:
            from gates.core.discovery import is_test_path
            from gates.core.source import SourceFile

            data = self.changes.base_bytes(path)
            self._bases[path] = (
                None if data is None else SourceFile.from_bytes(data, path, is_test=is_test_path(path))
            )
        return self._bases[path]

    def _new_or_worse(self, checker: Checker, path: str, group: list[Finding]) -> list[Finding]:
        """The findings of ``group`` (one file, lines unchanged) that the base version of
        the file does not have, or has with a better value."""
        from gates.adoption.fingerprint import with_fingerprints
        from gates.core.suppression import is_suppressed

        base = self._base(path)
        if base is None or not checker.applies_to(base):
            return []  # nothing to compare with (a whole-project tool): changed lines only
        found = [f for f in checker.check(base) if not is_suppressed(f, base.lines)]
        before = [
            entry_for(f, checker.higher_is_better(f))
            for f in with_fingerprints(found, base)
        ]
        result = match(group, before, lambda _: False)
        grown = [replace(f, message=f"{f.message} ({e.limit:g} at the base)") for f, e in result.worse]
        return [*result.new, *grown]
