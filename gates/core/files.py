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
