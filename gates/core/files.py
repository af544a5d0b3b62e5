"""Write a file all at once or not at all: a temporary file beside it, then a rename.

Nothing gates writes (reports, badges, baselines) is ever left half-written: a reader
sees the old file or the new one, and a failure while writing leaves no partial file.
Every command that takes an output path writes through :func:`write_output`, where ``-``
(or no path) means the standard output.
"""

from __future__ import annotations

import os
from collections.abc import Callable
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
        render(stdout)
        stdout.flush()
    else:
        write_atomic(Path(destination), render)


def write_atomic(path: Path, render: Callable[[TextIO], None]) -> None:
    """Call ``render`` on a temporary file beside ``path`` and rename it into place.

    Creates missing parent folders. If ``render`` raises, the temporary file is removed
    and ``path`` is left as it was. An unwritable destination is a :class:`UsageError`.
    """
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


def replace_bytes(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` all at once: a temporary file created exclusively beside
    it (a fresh random name, never opened through a symlink), then a rename over ``target``
    (which replaces a symlink there rather than writing through it). Raises OSError."""
    handle, temporary = _exclusive_temporary(target)
    try:
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
