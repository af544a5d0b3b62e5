"""A Python file read and parsed once, shared by every checker in a run."""

from __future__ import annotations

import ast
import io
import sys
import warnings
from collections.abc import Callable, Iterator
from types import FrameType
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
PYTHON = "{}.{}".format(*sys.version_info)
# CPython's recursion limit when nothing raised it: what `python -m py_compile` and an
# import see. The CLI raises the limit for its own walks over deep trees; a file parsed
# or compiled only thanks to that would still fail at import.
DEFAULT_RECURSION = 1000


@dataclass(frozen=True)
class ParseError:
    """Why a file could not be turned into a tree, and where."""

    reason: str
    line: int = 1
    column: int = 1
    subject: str = "file"  # what the reason is about; "" when the reason says it itself


@dataclass
class SourceFile:
    """One file's text and tree. ``tree`` is None when the file could not be parsed."""

    path: str
    text: str
    tree: ast.Module | None
    error: ParseError | None = None
    is_test: bool = False
    # Parsed only above Python's default recursion limit: compiling it may fail at import.
    deep: bool = False
    _shared: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def lines(self) -> list[str]:
        """Physical lines without their line endings (index 0 is line 1)."""
        return self.text.split("\n")

    @cached_property
    def line_count(self) -> int:
        """Number of physical lines, as ``wc -l`` counts them plus an unterminated last line."""
        if not self.text:
            return 0
        return self.text.count("\n") + (0 if self.text.endswith("\n") else 1)

    def shared(self, factory: Callable[[SourceFile], T]) -> T:
        """Compute an analysis of this file once and hand the same result to every caller."""
        if factory not in self._shared:
            self._shared[factory] = factory(self)
        result: T = self._shared[factory]
        return result

    @classmethod
    def from_source(cls, path: str, text: str, *, is_test: bool = False) -> SourceFile:
        """Parse already-decoded text (used for examples and tests)."""
        text = _normalise_newlines(text)
        try:
            with default_recursion():
                tree, error = _parse(text, path)
            deep = False
        except RecursionError:  # parses only with the limit the caller raised
            tree, error = _parse(text, path, deep=True)
            deep = tree is not None
        return cls(path=path, text=text, tree=tree, error=error, is_test=is_test, deep=deep)

    @classmethod
    def unreadable(cls, path: str, problem: str, *, is_test: bool = False) -> SourceFile:
        """A file (or folder) discovery found but gates must not read: ``problem`` says why."""
        return cls(path=path, text="", tree=None, error=ParseError(problem, subject=""), is_test=is_test)

    @classmethod
    def read(cls, file: Path, path: str, *, is_test: bool = False) -> SourceFile:
        """Read, decode and parse a file; any failure becomes ``error``, never an exception."""
        try:
            data = file.read_bytes()
        except OSError as exc:
            reason = f"cannot be read: {exc.strerror or exc}"
            return cls(path=path, text="", tree=None, error=ParseError(reason), is_test=is_test)
        return cls.from_bytes(data, path, is_test=is_test)

    @classmethod
    def from_bytes(cls, data: bytes, path: str, *, is_test: bool = False) -> SourceFile:
        """Decode (PEP 263) and parse a file's bytes; any failure becomes ``error``."""
        text, error = _decode(data)
        if error is not None:
            return cls(path=path, text="", tree=None, error=error, is_test=is_test)
        return cls.from_source(path, text, is_test=is_test)


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _decode(data: bytes) -> tuple[str, ParseError | None]:
    encoding = "utf-8"  # PEP 263's default, when no BOM and no cookie in the first two lines
    second = data.find(b"\n", data.find(b"\n") + 1)  # the end of line 2 (-1: there is none)
    head = data if second < 0 else data[:second]
    if b"coding" in head or data.startswith(b"\xef\xbb\xbf"):
        import tokenize  # only for the files that may declare an encoding

        try:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        except SyntaxError as exc:
            return "", ParseError(f"cannot be decoded: {exc.msg}", exc.lineno or 1)
    try:
        return data.decode(encoding), None
    except (UnicodeDecodeError, LookupError) as exc:
        line = data[: getattr(exc, "start", 0)].count(b"\n") + 1
        return "", ParseError(f"cannot be decoded as {encoding}: {exc}", line)


@contextmanager
def default_recursion() -> Iterator[None]:
    """Inside the block, the recursion limit leaves as many frames above the caller as a
    fresh interpreter has (DEFAULT_RECURSION); put back as it was afterwards."""
    previous = sys.getrecursionlimit()
    depth, frame = 0, sys._getframe()  # type: int, FrameType | None
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    sys.setrecursionlimit(DEFAULT_RECURSION + depth)
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)


def _parse(text: str, path: str, *, deep: bool = False) -> tuple[ast.Module | None, ParseError | None]:
    """The tree, or why there is none. A RecursionError propagates unless ``deep``."""
    try:
        with warnings.catch_warnings():
            # A checked file's invalid escapes and the like are not our output to show.
            warnings.simplefilter("ignore")
            return ast.parse(text, filename=path), None
    except SyntaxError as exc:
        if "\0" in text:  # looked for once parsing failed, not in every file
            return None, _nul(text)
        kind = type(exc).__name__
        column = max(exc.offset or 1, 1)
        reason = f"does not parse with Python {PYTHON}: {kind}: {exc.msg}"
        return None, ParseError(reason, exc.lineno or 1, column)
    except RecursionError as exc:
        if not deep:
            raise
        return None, ParseError(f"does not parse: RecursionError: {exc}")
    except (ValueError, MemoryError) as exc:
        if "\0" in text:  # a ValueError before Python 3.11.4
            return None, _nul(text)
        return None, ParseError(f"does not parse: {type(exc).__name__}: {exc}")


def _nul(text: str) -> ParseError:
    """The parser refuses a NUL without saying where: at its line."""
    return ParseError("contains a NUL byte", text[: text.index("\0")].count("\n") + 1)


def line_of_each(text: str, starts: list[int]) -> list[int]:
    """The line number of each of the sorted offsets ``starts`` in ``text``, counting the
    newlines from one offset to the next only (one pass over the text in all)."""
    numbers: list[int] = []
    line, previous = 1, 0
    for start in starts:
        line += text.count("\n", previous, start)
        previous = start
        numbers.append(line)
    return numbers
