"""The commits of a range and each one's files, read from git objects (no checkout).

One ``git log --first-parent --raw`` pass gives every commit's changed blobs against its
first parent (a merge counts as the changes it brought to the main line; a rename is a
deletion plus an addition); the files of the oldest commit come from one ``git ls-tree``.
Blobs are read by one ``git cat-file --batch`` process, each distinct blob once.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from gates.core.git import run_git, text
from gates.errors import UsageError

# A blob id of all zeros in --raw output: the file does not exist on that side.
_NO_BLOB = "0" * 40


@dataclass(frozen=True)
class Commit:
    """One commit of the main line: its id, commit time (Unix seconds) and subject."""

    sha: str
    time: int
    subject: str


@dataclass(frozen=True)
class Change:
    """A file's new blob at a commit ("" when the commit deleted it)."""

    path: str
    blob: str


def _range_args(since: str | None, commits: int | None, revisions: Sequence[str]) -> list[str]:
    args = list(revisions) or ["HEAD"]
    if since is not None:
        args.append(f"--since={since}")
    if commits is not None:
        args.append(f"--max-count={commits}")
    return args


def _log(top: Path, prefix: str, args: list[str]) -> bytes:
    spec = ["--", prefix.rstrip("/")] if prefix else []
    proc = run_git(
        top, "log", "--first-parent", "--diff-merges=first-parent", "--raw", "--no-abbrev",
        "--no-renames", "-z", "--format=%x01%H %ct %s", *args, *spec,
    )
    if proc.returncode != 0:
        first = proc.stderr.decode("utf-8", "replace").strip().split("\n")[0]
        raise UsageError(f"git log {' '.join(args)}: {first or 'failed'}; give a range git knows (HEAD~50..HEAD)")
    return proc.stdout


def _records(output: bytes) -> Iterator[tuple[Commit, list[Change]]]:
    """(commit, its changes) from the log output, newest first, as git printed them."""
    for record in output.split(b"\x01")[1:]:
        header, _, raw = record.partition(b"\0")
        sha, time, subject = (header.decode("utf-8", "replace").rstrip("\n").split(" ", 2) + [""])[:3]
        fields = raw.split(b"\0")
        changes = []
        for meta, path in zip(fields[0::2], fields[1::2]):
            parts = meta.strip().split(b" ")
            if len(parts) < 5:
                continue
            blob = parts[3].decode("ascii")
            name = path.decode("utf-8", "surrogateescape")
            changes.append(Change(name, "" if blob == _NO_BLOB else blob))
        yield Commit(sha, int(time), subject), changes


def _tree(top: Path, sha: str, prefix: str) -> dict[str, str]:
    """Every file of the commit under ``prefix``: path -> blob."""
    spec = ["--", prefix.rstrip("/")] if prefix else []
    proc = run_git(top, "ls-tree", "-r", "-z", "--full-tree", sha, *spec)
    files: dict[str, str] = {}
    for entry in proc.stdout.split(b"\0"):
        meta, _, path = entry.partition(b"\t")
        parts = meta.split(b" ")
        if len(parts) == 3 and parts[1] == b"blob":
            files[path.decode("utf-8", "surrogateescape")] = parts[2].decode("ascii")
    return files


@dataclass(frozen=True)
class History:
    """The main line of a range, oldest first, and the files of its oldest commit."""

    commits: list[Commit]
    changes: list[list[Change]]  # changes[i]: what commits[i] changed (ignored for i = 0)
    first_files: dict[str, str]
    shallow: bool


def read_history(
    top: Path, prefix: str, since: str | None = None, commits: int | None = None,
    revisions: Sequence[str] = (),
) -> History:
    """The commits of the range (first parent) with their changes, oldest first."""
    records = list(_records(_log(top, prefix, _range_args(since, commits, revisions))))
    records.reverse()
    shallow = text(run_git(top, "rev-parse", "--is-shallow-repository")) == "true"
    if not records:
        return History([], [], {}, shallow)
    first = _tree(top, records[0][0].sha, prefix)
    return History([c for c, _ in records], [ch for _, ch in records], first, shallow)


def states(history: History) -> Iterator[tuple[Commit, dict[str, str]]]:
    """Each commit with its files (path -> blob); the dict is updated in place, copy to keep it."""
    files = dict(history.first_files)
    for index, commit in enumerate(history.commits):
        if index:
            for change in history.changes[index]:
                if change.blob:
                    files[change.path] = change.blob
                else:
                    files.pop(change.path, None)
        yield commit, files


class BlobReader:
    """One ``git cat-file --batch`` process: each blob's bytes by its id."""

    def __init__(self, top: Path) -> None:
        self.process = subprocess.Popen(
            ["git", "cat-file", "--batch"], cwd=top, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        )

    def read(self, blob: str) -> bytes:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(blob.encode("ascii") + b"\n")
        self.process.stdin.flush()
        header = self.process.stdout.readline().split()
        if len(header) != 3:  # "<id> missing": a blob a shallow or partial clone lacks
            return b""
        data = self.process.stdout.read(int(header[2]))
        self.process.stdout.read(1)  # the newline after the content
        return data

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait()
