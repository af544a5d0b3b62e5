"""Changed-lines mode: ``gates check --diff REF`` and ``--staged``.

A finding counts when its line changed since the merge-base of HEAD and REF (committed,
staged and unstaged changes, and untracked files, which are new throughout), or, with
``--staged``, between HEAD and the index. A finding in a changed file whose own line did
not change counts too when it is new or worse than in the base version of the file: a
function that grew past its limit (its ``def`` line untouched), a print that an edit
elsewhere made the builtin again. For that the base version (``git show``) is checked
by the same checker and matched as the baseline matches (:func:`gates.adoption.baseline.match`).
Whole-project tools (GT2xx) count on changed lines only.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field, replace
from pathlib import Path
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from gates.adoption.baseline import entry_for, match
from gates.errors import UsageError
from gates.adoption.review import Review

if TYPE_CHECKING:
    from gates.core.checker import Checker
    from gates.model import Finding
    from gates.core.source import SourceFile

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
_EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"  # git's id of the empty tree


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", "-c", "core.quotepath=off", *args], cwd=cwd, capture_output=True, check=False
        )
    except FileNotFoundError:
        raise UsageError("--diff and --staged need git, which is not installed") from None


def _text(proc: subprocess.CompletedProcess[bytes]) -> str:
    return proc.stdout.decode("utf-8", "surrogateescape").strip()


def _error(proc: subprocess.CompletedProcess[bytes]) -> str:
    lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[0] if lines else f"git exited with {proc.returncode}"


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
        proc = _git(self.top, "show", f"{self.base}:{self.old_names[path]}")
        return proc.stdout if proc.returncode == 0 else None


def _repository(root: Path) -> tuple[Path, str]:
    proc = _git(root, "rev-parse", "--show-toplevel")
    if proc.returncode != 0:
        raise UsageError(f"{root}: not inside a git repository; --diff and --staged need one")
    top = Path(_text(proc))
    relative = os.path.relpath(os.path.realpath(root), os.path.realpath(top))
    return top, "" if relative == "." else Path(relative).as_posix() + "/"


def _shallow_hint(top: Path) -> str:
    if _text(_git(top, "rev-parse", "--is-shallow-repository")) != "true":
        return ""
    return ("; this is a shallow clone: run `git fetch --unshallow` "
            "(GitHub Actions: actions/checkout with fetch-depth: 0)")


def merge_base(top: Path, ref: str) -> str:
    """The commit where HEAD's history meets ``ref``'s; a clear UsageError otherwise."""
    if ref.startswith("-") or _git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").returncode:
        raise UsageError(f"--diff {ref}: unknown git ref; name a branch, tag or commit"
                         f"{_shallow_hint(top) or ' (fetch it first if it is on a remote)'}")
    proc = _git(top, "merge-base", ref, "HEAD")
    if proc.returncode != 0:
        hint = _shallow_hint(top) or f"; HEAD and {ref} share no history"
        raise UsageError(f"--diff {ref}: no merge-base with HEAD{hint}")
    return _text(proc)


def _unquote(name: str) -> str:
    """A path as git prints it in a diff header (C-quoted when unusual)."""
    if name.startswith('"') and name.endswith('"'):
        raw = name[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")
        return raw.encode("latin-1", "surrogateescape").decode("utf-8", "surrogateescape")
    return name


def parse_diff(diff: str, changes: Changes) -> None:
    """Fill ``changes`` from a ``--unified=0`` diff (new side line numbers)."""
    old_name = ""
    current: set[int] | None = None
    header = False  # between "diff --git" and the first hunk: "---"/"+++" name files there
    for line in diff.splitlines():
        if line.startswith("diff --git "):
            header, current = True, None
        elif header and line.startswith(("--- ", "+++ ")):
            name = _unquote(line[4:].rstrip("\t"))
            if line[0] == "-":
                old_name = name[2:] if name.startswith("a/") else ""
            else:
                current = _start_file(name, old_name, changes)
        elif line.startswith("@@") and current is not None:
            header = False
            current.update(_hunk_lines(line))


def _hunk_lines(line: str) -> range:
    found = _HUNK.match(line)
    if not found:
        return range(0)
    start, count = int(found.group(1)), int(found.group(2) or "1")
    return range(start, start + count)


def _start_file(new_name: str, old_name: str, changes: Changes) -> set[int] | None:
    if not new_name.startswith("b/") or not new_name[2:].startswith(changes.prefix):
        return None  # deleted, or outside the root
    path = new_name[2 + len(changes.prefix):]
    if old_name:
        changes.old_names[path] = old_name
    else:
        changes.whole.add(path)
    return changes.lines.setdefault(path, set())


def _diff(changes: Changes, *args: str) -> None:
    proc = _git(changes.top, "diff", "--no-color", "--no-ext-diff", "--find-renames",
                "--unified=0", "--src-prefix=a/", "--dst-prefix=b/", *args)
    if proc.returncode != 0:
        raise UsageError(f"git diff failed: {_error(proc)}")
    parse_diff(proc.stdout.decode("utf-8", "surrogateescape"), changes)


def changes_since(root: Path, ref: str) -> Changes:
    """What changed in the working tree since the merge-base with ``ref``; untracked files
    are new throughout."""
    top, prefix = _repository(root)
    changes = Changes(top, prefix, merge_base(top, ref), f"the merge-base with {ref}")
    _diff(changes, changes.base, "--")
    proc = _git(top, "ls-files", "--others", "--exclude-standard", "-z", "--", prefix or ".")
    for name in proc.stdout.decode("utf-8", "surrogateescape").split("\0"):
        if name.startswith(prefix) and name:
            changes.whole.add(name[len(prefix):])
    return changes


def staged_changes(root: Path) -> Changes:
    """What the index changes against HEAD (everything, before the first commit)."""
    top, prefix = _repository(root)
    has_head = _git(top, "rev-parse", "--verify", "--quiet", "HEAD^{commit}").returncode == 0
    changes = Changes(top, prefix, "HEAD" if has_head else "", "HEAD")
    _diff(changes, "--cached", "HEAD" if has_head else _EMPTY_TREE, "--")
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
