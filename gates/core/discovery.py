"""Which files a run checks, and which of them are tests.

Every ``*.py`` under the given paths, minus hidden folders, virtual environments,
build output, what ``.gitignore`` files ignore (tracked or not) and the config's
``exclude``. Symlinked folders are not followed; a symlinked file is checked only if it
points inside the project.

Nothing is skipped in silence: a folder that cannot be listed, and a ``*.py`` that is not
a regular file (a FIFO, a device, a socket: reading one could block for ever), become
entries with a ``problem``, which GT100 reports instead of reading them. A file name that
is not valid UTF-8 is shown with its odd bytes escaped (``bad\\xff.py``), so every report
and data file can hold it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

SKIPPED_DIRS = frozenset(
    {"venv", "build", "dist", "__pycache__", "node_modules", "site-packages", "__pypackages__"}
)
TEST_DIRS = frozenset({"tests", "test"})


class FileEntry(NamedTuple):  # a named tuple: one per file, cheaper to make than a dataclass
    file: Path
    path: str  # relative to the project root, with "/" separators
    is_test: bool
    problem: str | None = None  # why it cannot be read as a source file (GT100 reports it)


def is_test_path(path: str) -> bool:
    """True for test_*.py, *_test.py, conftest.py and anything under a tests/ or test/ folder."""
    *folders, name = path.split("/")
    if name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py":
        return True
    return any(folder in TEST_DIRS for folder in folders)


def shown_path(path: str) -> str:
    """``path`` as valid Unicode: the bytes of a name that is not UTF-8 (which Python
    carries as lone surrogates) escaped as ``\\xff``; any other path unchanged."""
    if path.isascii():
        return path
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return path


def invalid_pattern(pattern: str) -> str | None:
    """Why pathspec cannot compile ``pattern`` as a gitignore line; None when it can."""
    import pathspec

    try:
        pathspec.GitIgnoreSpec.from_lines([pattern])
    except ValueError as exc:  # GitIgnorePatternError is a ValueError
        return str(exc) or "not a valid pattern"
    return None


class PathMatcher:
    """Gitignore-style patterns (``**``, ``!``, trailing ``/``) over root-relative paths.

    A line git would not use (``!`` alone, a lone ``\\``) is dropped, as git drops it;
    the config's own patterns are checked when the config is read.
    """

    def __init__(self, patterns: Sequence[str]) -> None:
        self.patterns = [p for p in patterns if p.strip() and not p.lstrip().startswith("#")]
        self._spec: Any = None
        if self.patterns:
            import pathspec  # only when there is something to match

            # GitIgnoreSpec: git's own rules (and no deprecation warning, which a project
            # running with -W error would see as a failure)
            try:
                self._spec = pathspec.GitIgnoreSpec.from_lines(self.patterns)
            except ValueError:
                self.patterns = [p for p in self.patterns if invalid_pattern(p) is None]
                self._spec = pathspec.GitIgnoreSpec.from_lines(self.patterns)

    def __bool__(self) -> bool:
        return self._spec is not None

    def matches(self, path: str, is_dir: bool = False) -> bool:
        if self._spec is None:
            return False
        return bool(self._spec.match_file(path + "/" if is_dir else path))


def _rebase(pattern: str, base: str) -> str | None:
    """A pattern from ``base/.gitignore`` rewritten relative to the root."""
    line = pattern.rstrip("\n").rstrip()
    if not line or line.startswith("#"):
        return None
    negate = line.startswith("!")
    if negate:
        line = line[1:]
    if line.startswith("\\"):
        line = line[1:]
    anchored = "/" in line.rstrip("/")
    line = line.lstrip("/")
    if base:
        line = f"{base}/{line}" if anchored else f"{base}/**/{line}"
    elif anchored:
        line = "/" + line
    return ("!" if negate else "") + line


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


class _Walker:
    def __init__(self, root: Path, exclude: Sequence[str]) -> None:
        self.root = root
        self.exclude = PathMatcher(exclude)
        self.git_patterns: list[str] = []
        self.gitignore = PathMatcher([])
        self.real_root = os.path.realpath(root)
        info = root / ".git" / "info" / "exclude"
        self._add_gitignore(info, "") if info.is_file() else None

    def _add_gitignore(self, file: Path, base: str) -> None:
        rebased = [_rebase(line, base) for line in _read_lines(file)]
        new = [p for p in rebased if p]
        if new:
            self.git_patterns.extend(new)
            self.gitignore = PathMatcher(self.git_patterns)

    def relative(self, file: Path) -> str:
        try:
            return shown_path(file.relative_to(self.root).as_posix())
        except ValueError:
            return shown_path(Path(os.path.abspath(file)).as_posix())

    def skipped(self, path: str, is_dir: bool) -> bool:
        return self.exclude.matches(path, is_dir) or self.gitignore.matches(path, is_dir)

    def load_parent_gitignores(self, folder: Path) -> None:
        """The .gitignore files between the root and a folder we start walking below it."""
        try:
            parts = folder.relative_to(self.root).parts
        except ValueError:
            return
        for depth in range(len(parts)):
            here = self.root.joinpath(*parts[:depth])
            ignore = here / ".gitignore"
            if ignore.is_file():
                self._add_gitignore(ignore, "/".join(parts[:depth]))

    def walk(self, folder: Path, named: bool = True) -> Iterator[FileEntry]:
        """The files under ``folder``; a virtual environment below it is skipped (one
        named to the run is walked)."""
        base = self.relative(folder)
        base = "" if base == "." else base
        try:
            entries = self._listing(folder, base, named)
        except OSError as exc:
            if named or not _is_venv(folder):  # an unlistable virtual environment: skipped
                yield _unlistable(folder, base, exc)
            return
        for entry in entries:
            path = shown_path(f"{base}/{entry.name}" if base else entry.name)
            if entry.is_dir(follow_symlinks=False):
                if not self._prune(entry, path):
                    yield from self.walk(Path(entry.path), named=False)
            elif self._is_checked_file(entry, path):
                yield _file_entry(entry, path)

    def _listing(self, folder: Path, base: str, named: bool) -> list[os.DirEntry[str]]:
        """The folder's entries by name, its ``.gitignore`` read; none for a virtual
        environment below the named folder. The listing answers what a stat per folder
        asked before (``.gitignore``, ``pyvenv.cfg``) and per file (a regular file's type
        comes with its entry). Raises OSError when the folder cannot be listed."""
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
        names = {entry.name: entry for entry in entries}
        if not named and "pyvenv.cfg" in names:
            return []
        ignore = names.get(".gitignore")
        if ignore is not None and ignore.is_file():
            self._add_gitignore(folder / ".gitignore", base)
        return entries

    def _is_checked_file(self, entry: os.DirEntry[str], path: str) -> bool:
        if not entry.name.endswith(".py"):
            return False
        try:
            if entry.is_dir():
                return False
        except OSError:  # a symlink loop: checked, and GT100 says it cannot be read
            pass
        if entry.is_symlink() and not self._inside_root(entry.path):
            return False
        return not self.skipped(path, False)

    def _inside_root(self, file: str) -> bool:
        real = os.path.realpath(file)
        return real == self.real_root or real.startswith(self.real_root + os.sep)

    def _prune(self, entry: os.DirEntry[str], path: str) -> bool:
        name = entry.name
        if name.startswith(".") or name in SKIPPED_DIRS or name.endswith(".egg-info"):
            return True
        return self.skipped(path, True)  # a virtual environment: seen when it is listed


def _file_entry(entry: os.DirEntry[str], path: str) -> FileEntry:
    file = Path(entry.path)
    regular = entry.is_file(follow_symlinks=False)  # no stat: the listing's type
    return FileEntry(file, path, is_test_path(path), None if regular else not_regular(file))


def _is_venv(folder: Path) -> bool:
    return os.path.exists(os.path.join(folder, "pyvenv.cfg"))


_KINDS = {stat.S_IFIFO: "a FIFO", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device",
          stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a folder"}


def not_regular(file: Path) -> str | None:
    """Why ``file`` is not read as source (it is a FIFO, device, socket or folder); None
    for a regular file, and for one that cannot be stat'ed (reading it reports why)."""
    try:
        mode = os.stat(file).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode):
        return None
    kind = _KINDS.get(stat.S_IFMT(mode), "not a regular file")
    return f"file is {kind}, not a regular file: not read; remove it or exclude it"


def _unlistable(folder: Path, base: str, exc: OSError) -> FileEntry:
    why = exc.strerror or str(exc)
    problem = f"folder cannot be listed ({why}): nothing under it was checked; fix its permissions or exclude it"
    return FileEntry(folder, base or ".", False, problem)


def discover(paths: Sequence[Path], root: Path, exclude: Sequence[str] = ()) -> list[FileEntry]:
    """The files to check under ``paths``, each once, in a stable order.

    A path named explicitly is checked even when a .gitignore above it ignores it (the
    user asked for it); the config's ``exclude`` still applies, so pre-commit, which
    names files, skips excluded ones. A file named explicitly is checked whatever its
    suffix (pre-commit passes files by type).
    """
    seen: set[Path] = set()
    found: list[FileEntry] = []
    for given in paths:
        walker = _Walker(root, exclude)
        absolute = Path(os.path.abspath(given))
        path = walker.relative(absolute)
        if walker.exclude.matches(path, absolute.is_dir()):
            continue
        walker.load_parent_gitignores(absolute if absolute.is_dir() else absolute.parent)
        if walker.gitignore.matches(path, absolute.is_dir()):
            walker = _Walker(root, exclude)  # named explicitly: ignore what hides it
        if absolute.is_dir():
            entries: Iterator[FileEntry] = walker.walk(absolute)
        elif absolute.is_symlink() and not walker._inside_root(str(absolute)):
            continue
        else:
            entries = iter((FileEntry(absolute, path, is_test_path(path), not_regular(absolute)),))
        found.extend(entries if len(paths) == 1 else _unseen(entries, seen))  # one walk lists each file once
    return found


def _unseen(entries: Iterator[FileEntry], seen: set[Path]) -> Iterator[FileEntry]:
    """The entries whose file is not in ``seen`` (which they are added to)."""
    for entry in entries:
        if entry.file not in seen:
            seen.add(entry.file)
            yield entry


def rest_of_project(
    paths: Sequence[Path], found: Sequence[FileEntry], root: Path, exclude: Sequence[str] = ()
) -> list[FileEntry]:
    """When files are named (a commit hook names the staged ones), the project's other
    files, found as ``discover([root])`` finds them: the gates whose figure is a project
    total measure those too. None when only folders are named: each is a project then."""
    if all(os.path.isdir(p) for p in paths):
        return []
    named = {entry.path for entry in found}  # root-relative: one string per file
    return [entry for entry in discover([root], root, exclude) if entry.path not in named]
