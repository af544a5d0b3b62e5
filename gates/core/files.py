"""Write a file all at once or not at all: a temporary file beside it, then a rename.

Nothing gates writes (reports, badges, baselines) is ever left half-written: a reader
sees the old file or the new one, and a failure while writing leaves no partial file.
Every command that takes an output path writes through :func:`write_output`, where ``-``
(or no path) means the standard output.

An existing target is never replaced by something of another kind: a symlink is written
through to the regular file it resolves to (and stays a symlink), a FIFO or a character
device (``-o /dev/stdout``, ``-o /dev/null``) is written as a stream, and anything else
(a folder, a socket) is refused with a one-line error.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from gates.errors import UsageError


def is_stdout(destination: Path | str | None) -> bool:
    """Whether an output path means the standard output: none given, or ``-``."""
    return destination is None or str(destination) == "-"


def write_output(
    destination: Path | str | None, render: Callable[[TextIO], None], stdout: TextIO
) -> None:
    """Call ``render`` on ``stdout`` (then flush it) when ``destination`` is None or ``-``;
    else on the file ``destination``, written atomically by :func:`write_atomic`."""
    if destination is None or str(destination) == "-":
        try:
            render(stdout)
            stdout.flush()
        except BrokenPipeError:  # `gates check | head -1`: the reader has gone
            silence_stdout(stdout)
    else:
        write_atomic(Path(destination), render)


def silence_stdout(stream: TextIO) -> None:
    """Point the standard output at the null device once its reader has closed the pipe,
    as flake8 and ruff do: the command still returns its verdict's exit code, and the
    interpreter's last flush at exit finds nothing to fail on."""
    try:
        target = stream.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (a test's StringIO)
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, target)
    finally:
        os.close(null)


def write_atomic(path: Path, render: Callable[[TextIO], None]) -> None:
    """Call ``render`` on a temporary file beside ``path`` and rename it into place.

    Creates missing parent folders. If ``render`` raises, the temporary file is removed
    and ``path`` is left as it was. An unwritable destination is a :class:`UsageError`.
    A symlink is written through to its regular file; a FIFO or character device is
    written as a stream; any other existing non-file is a :class:`UsageError`.
    """
    path, stream = _target(path)
    if stream:
        _write_stream(path, render)
        return
    import tempfile  # it pulls in shutil and the compression modules: only when writing

    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise UsageError(f"{path}: cannot be written: {exc.strerror or exc}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            render(out)
            out.flush()
            os.fsync(out.fileno())
        _keep_permissions(path, temporary)
        os.replace(temporary, path)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise UsageError(f"{path}: cannot be written: {exc.strerror or exc}") from None
        raise


def _target(path: Path) -> tuple[Path, bool]:
    """Where to write for ``path``, and whether as a stream (no temporary file, no rename)."""
    try:
        link = stat.S_ISLNK(os.lstat(path).st_mode)
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if os.path.islink(path):
            raise UsageError(f"{path}: is a symlink to a missing file; name its target or remove the link") from None
        return path, False
    except OSError as exc:
        raise UsageError(f"{path}: cannot be written: {exc.strerror or exc}") from None
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        return path, True
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
        raise UsageError(f"{path}: cannot be written: it is {kind}; name a file to write")
    # Through a symlink to the file it points at: a shared file stays shared.
    return (Path(os.path.realpath(path)) if link else path), False


def _write_stream(path: Path, render: Callable[[TextIO], None]) -> None:
    try:
        with open(path, "w", encoding="utf-8", newline="\n") as out:
            render(out)
    except BrokenPipeError:
        return  # a FIFO whose reader went away: what it read is all it wanted
    except OSError as exc:
        raise UsageError(f"{path}: cannot be written: {exc.strerror or exc}") from None


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``<path>.lock`` (created beside ``path``, never through a
    symlink) for the block: read-modify-write cycles on ``path`` run one at a time."""
    lock_path = path.with_name(path.name + ".lock")
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    try:
        handle = os.open(lock_path, flags, 0o644)
    except OSError as exc:
        raise UsageError(f"{lock_path}: cannot be created: {exc.strerror or exc}; remove it") from None
    try:
        if sys.platform == "win32":  # pragma: no cover
            import msvcrt

            msvcrt.locking(handle, msvcrt.LK_LOCK, 1)
        else:
            import fcntl

            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # the lock goes with the closed handle


def _keep_permissions(path: Path, temporary: str) -> None:
    """mkstemp creates the file 0600; a report is as readable as any file the user makes."""
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(temporary, mode)


def own_folder(path: Path) -> bool:
    """Create ``path`` (one level) if missing; True when it is then a real folder.

    A folder gates owns inside a project it did not write (``.gates_cache``) may be a
    committed symlink to anywhere: gates writes into it only when it is a real folder,
    never through a link.
    """
    import stat

    try:
        os.mkdir(path)
    except FileExistsError:
        pass
    except OSError:
        return False
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def replace_bytes(target: Path, data: bytes, mode: int | None = None) -> None:
    """Write ``data`` to ``target`` all at once: a temporary file created exclusively beside
    it (a fresh random name, never opened through a symlink), then a rename over ``target``
    (which replaces a symlink there rather than writing through it). ``mode``: the new
    file's permission bits (``gates fix`` keeps a script executable). Raises OSError."""
    handle, temporary = _exclusive_temporary(target)
    try:
        if mode is not None:
            os.fchmod(handle, mode)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    finally:
        Path(temporary).unlink(missing_ok=True)


def _exclusive_temporary(target: Path) -> tuple[int, str]:
    """A new file beside ``target`` with a random name, as ``tempfile.mkstemp`` makes one
    (created exclusively, never through a symlink), without importing tempfile: the
    result cache writes on many runs of a pre-commit hook, which pays for every import."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(100):
        temporary = str(target.parent / f".{target.name}.{os.urandom(6).hex()}.tmp")
        try:
            return os.open(temporary, flags, 0o644), temporary
        except FileExistsError:
            continue
    raise FileExistsError(f"{target.parent}: no free temporary name")
