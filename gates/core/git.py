"""Every git call gates makes: the repository, a ref's merge-base, a diff's changed lines,
untracked files and a file's base version.

Changed-lines coverage (:func:`changed_lines`) and changed-lines mode
(``gates check --diff``/``--staged``, :mod:`gates.adoption.changed_lines`) read git through
this module only, so both see the same lines. Every git problem is a :class:`UsageError`
that says what to do, never a traceback.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from gates.errors import UsageError

if TYPE_CHECKING:
    import subprocess

EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"  # git's id of the empty tree
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
# What coverage.py measures: an untracked file of another kind has no statements to count.
_SOURCE_SUFFIXES = (".py", ".pyw")


def run_git(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """``git ARGS`` in ``cwd``; output as bytes (decode with :func:`text`)."""
    import subprocess  # only when git runs: every `gates check` imports this module

    try:
        return subprocess.run(
            ["git", "-c", "core.quotepath=off", *args], cwd=cwd, capture_output=True, check=False
        )
    except FileNotFoundError:
        raise UsageError(
            "git is not installed; --diff, --staged and changed-lines coverage need it"
        ) from None


def text(proc: subprocess.CompletedProcess[bytes]) -> str:
    """A git command's output, stripped; undecodable bytes kept (surrogateescape)."""
    return proc.stdout.decode("utf-8", "surrogateescape").strip()


def _error(proc: subprocess.CompletedProcess[bytes]) -> str:
    lines = proc.stderr.decode("utf-8", "replace").strip().split("\n")
    return lines[0] if lines[0] else f"git exited with {proc.returncode}"


def repository(root: Path, purpose: str = "changed-lines coverage") -> tuple[Path, str]:
    """The top folder of the repository holding ``root``, and ``root`` relative to it
    ("" or ending in "/")."""
    proc = run_git(root, "rev-parse", "--show-toplevel")
    if proc.returncode != 0:
        raise UsageError(f"{root}: not inside a git repository; {purpose} needs one")
    top = Path(text(proc))
    relative = os.path.relpath(os.path.realpath(root), os.path.realpath(top))
    return top, "" if relative == "." else Path(relative).as_posix() + "/"


def _shallow_hint(top: Path) -> str:
    if text(run_git(top, "rev-parse", "--is-shallow-repository")) != "true":
        return ""
    return ("; this is a shallow clone: fetch the history with `git fetch --unshallow` "
            "(GitHub Actions: actions/checkout with fetch-depth: 0)")


def _check_ref(top: Path, ref: str, label: str) -> None:
    # A ref that starts with "-" would be read by git as an option.
    if ref.startswith("-") or run_git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").returncode:
        raise UsageError(f"{label}: unknown git ref; name an existing branch, tag or commit"
                         f"{_shallow_hint(top) or ' (fetch it first if it is on a remote)'}")


def check_ref(root: Path, ref: str) -> None:
    """Raise :class:`UsageError` unless ``ref`` names a commit in the repository at ``root``."""
    top, _ = repository(root)
    _check_ref(top, ref, f"diff base '{ref}'")


def merge_base(top: Path, ref: str, label: str | None = None) -> str:
    """The commit where HEAD's history meets ``ref``'s; ``label`` names the ref in errors."""
    label = label or f"diff base '{ref}'"
    _check_ref(top, ref, label)
    proc = run_git(top, "merge-base", ref, "HEAD")
    if proc.returncode != 0:
        hint = _shallow_hint(top) or f"; HEAD and {ref} share no history; name a ref HEAD branched from"
        raise UsageError(f"{label}: no merge-base with HEAD{hint}")
    return text(proc)


def has_head(top: Path) -> bool:
    """Whether the repository has a commit yet."""
    return run_git(top, "rev-parse", "--verify", "--quiet", "HEAD^{commit}").returncode == 0


@dataclass
class FileDiff:
    """One file's side of a diff: its name at the base and its changed lines (new side)."""

    old: str | None  # the top-relative path at the base; None for a file new in the diff
    lines: set[int] = field(default_factory=set)


def _unquote(name: str) -> str:
    """A path as git prints it in a diff header (C-quoted when unusual)."""
    if name.startswith('"') and name.endswith('"'):
        raw = name[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")
        return raw.encode("latin-1", "surrogateescape").decode("utf-8", "surrogateescape")
    return name


def _header_path(line: str, prefix: str) -> str | None:
    """The path a ``--- a/name`` or ``+++ b/name`` line names; None for /dev/null."""
    name = _unquote(line[4:].rstrip("\t"))
    return name[len(prefix):] if name.startswith(prefix) else None


def _hunk_lines(line: str) -> range:
    found = _HUNK.match(line)
    if not found:
        return range(0)
    start, count = int(found.group(1)), int(found.group(2) or "1")
    return range(start, start + count)


def parse_diff(diff: str) -> dict[str, FileDiff]:
    """The files of a ``--unified=0 --src-prefix=a/ --dst-prefix=b/`` diff by top-relative
    new path (deleted files left out), with their added or changed line numbers.

    Lines are split on "\\n" only: ``str.splitlines`` also splits on U+2028, form feeds
    and the like, which may appear inside a changed line and would fake a header there.
    """
    files: dict[str, FileDiff] = {}
    old: str | None = None
    current: FileDiff | None = None
    header = False  # between "diff --git" and the first hunk: "---"/"+++" name files there
    for line in diff.split("\n"):
        if line.startswith("diff --git "):
            header, current, old = True, None, None
        elif header and line.startswith("--- "):
            old = _header_path(line, "a/")
        elif header and line.startswith("+++ "):
            new = _header_path(line, "b/")
            current = None if new is None else files.setdefault(new, FileDiff(old))
        elif line.startswith("@@") and current is not None:
            header = False
            current.lines.update(_hunk_lines(line))
    return files


def diff(top: Path, *args: str) -> dict[str, FileDiff]:
    """``git diff ARGS`` (renames found, no context), parsed by :func:`parse_diff`."""
    proc = run_git(top, "diff", "--no-color", "--no-ext-diff", "--find-renames",
                   "--unified=0", "--src-prefix=a/", "--dst-prefix=b/", *args)
    if proc.returncode != 0:
        raise UsageError(f"git diff failed: {_error(proc)}")
    return parse_diff(proc.stdout.decode("utf-8", "surrogateescape"))


def untracked(top: Path, prefix: str) -> list[str]:
    """Top-relative paths of the files under ``prefix`` that git does not track nor ignore."""
    proc = run_git(top, "ls-files", "--others", "--exclude-standard", "-z", "--", prefix or ".")
    names = proc.stdout.decode("utf-8", "surrogateescape").split("\0")
    return [name for name in names if name and name.startswith(prefix)]


def show(top: Path, commit: str, path: str) -> bytes | None:
    """The top-relative ``path`` as it is in ``commit``, or None when it is not there."""
    proc = run_git(top, "show", f"{commit}:{path}")
    return proc.stdout if proc.returncode == 0 else None


def _line_count(path: str) -> int:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return 0
    return data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)


def changed_lines(root: Path, ref: str) -> dict[str, set[int]]:
    """Lines changed since the merge-base of HEAD and ``ref`` (committed, staged and
    unstaged changes, and untracked files, every line of which is new), by absolute
    file path."""
    top, prefix = repository(root)
    base = merge_base(top, ref)
    changed = {
        os.path.realpath(top / path): found.lines
        for path, found in diff(top, base, "--").items()
        if found.lines
    }
    for path in untracked(top, prefix):
        if path.endswith(_SOURCE_SUFFIXES):
            absolute = os.path.realpath(top / path)
            changed[absolute] = set(range(1, _line_count(absolute) + 1))
    return changed


def repository_top(root: Path) -> Path | None:
    """The top of the git repository holding ``root`` (a folder with ``.git``), or None.

    Read from the file system, not from git: reports need it where git is not installed.
    """
    for candidate in (root, *root.parents):
        if (candidate / ".git").exists():
            return candidate
    return None
