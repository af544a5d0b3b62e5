"""Which lines changed since the merge-base with a git ref (for changed-lines coverage).

The diff is taken between the merge-base and the working tree, so committed, staged and
unstaged changes to tracked files all count. Every git problem is a :class:`UsageError`
that says what to do, never a traceback.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from gates.errors import UsageError

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            ["git", "-c", "core.quotepath=off", *args],
            cwd=root,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            check=False,
        )
    except FileNotFoundError:
        raise UsageError("changed-lines coverage needs git, which is not installed") from None


def _toplevel(root: Path) -> Path:
    proc = _git(root, "rev-parse", "--show-toplevel")
    if proc.returncode != 0:
        raise UsageError(f"{root}: not a git repository; changed-lines coverage needs one")
    return Path(proc.stdout.strip())


def check_ref(root: Path, ref: str) -> None:
    """Raise :class:`UsageError` unless ``ref`` names a commit in the repository at ``root``."""
    _toplevel(root)
    proc = _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if proc.returncode != 0:
        hint = _shallow_hint(root)
        raise UsageError(
            f"diff base '{ref}': unknown git ref; name an existing branch, tag or commit"
            f"{hint or ' (fetch it first if it lives on a remote)'}"
        )


def _shallow_hint(root: Path) -> str:
    proc = _git(root, "rev-parse", "--is-shallow-repository")
    if proc.stdout.strip() == "true":
        return (
            " — this is a shallow clone: fetch the history with `git fetch --unshallow` "
            "(GitHub Actions: actions/checkout with fetch-depth: 0)"
        )
    return ""


def merge_base(root: Path, ref: str) -> str:
    """The commit where HEAD's history meets ``ref``'s."""
    check_ref(root, ref)
    proc = _git(root, "merge-base", ref, "HEAD")
    if proc.returncode != 0:
        hint = _shallow_hint(root)
        if hint:
            raise UsageError(f"diff base '{ref}': no merge-base with HEAD{hint}")
        raise UsageError(
            f"diff base '{ref}': HEAD and '{ref}' share no history; name a ref HEAD branched from"
        )
    return proc.stdout.strip()


def _new_side(line: str, top: Path) -> str | None:
    """The absolute path a ``+++ b/name`` line names, or None for a deleted file."""
    name = line[4:]
    if name == "/dev/null":
        return None
    name = name[2:] if name.startswith("b/") else name
    return os.path.realpath(top / name)


def parse_diff(diff: str, top: Path) -> dict[str, set[int]]:
    """Added or changed line numbers (new side) of a ``--unified=0`` diff, by absolute path."""
    changed: dict[str, set[int]] = {}
    current: set[int] | None = None
    for line in diff.splitlines():
        if line.startswith("+++ "):
            path = _new_side(line, top)
            current = None if path is None else changed.setdefault(path, set())
        elif line.startswith("@@") and current is not None:
            match = _HUNK.match(line)
            if match:
                start, count = int(match.group(1)), int(match.group(2) or "1")
                current.update(range(start, start + count))
    return {path: lines for path, lines in changed.items() if lines}


def changed_lines(root: Path, ref: str) -> dict[str, set[int]]:
    """Lines changed since the merge-base of HEAD and ``ref``, by absolute file path."""
    base = merge_base(root, ref)
    top = _toplevel(root)
    proc = _git(
        root, "diff", "--no-color", "--no-ext-diff", "--src-prefix=a/", "--dst-prefix=b/",
        "--unified=0", base, "--",
    )
    if proc.returncode != 0:
        raise UsageError(f"git diff {base[:12]} failed: {proc.stderr.strip()}")
    return parse_diff(proc.stdout, top)


def repository_top(root: Path) -> Path | None:
    """The top of the git repository holding ``root`` (a folder with ``.git``), or None.

    Read from the file system, not from git: reports need it where git is not installed.
    """
    for candidate in (root, *root.parents):
        if (candidate / ".git").exists():
            return candidate
    return None
