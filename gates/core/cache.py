"""Per-file results kept under ``.gates_cache/``, so an unchanged file is not checked again.

A file's cached result is used only when all of these are the same as when it was
stored: the file's bytes (a BLAKE2 hash of its content), its
path, the checker (its class and every option) and the environment: gates' version, a
stamp of gates' own code (size and modification time of each of its modules, so an
edited checker is never served old results), the Python version, and the module of
each third-party checker. Each environment has its own data file, so two installations
(a virtualenv and a pre-commit hook environment) do not evict each other.

The bytes are not read to learn that they are unchanged when the file's stat stamp
(size, modification and status-change times in nanoseconds, inode) equals the one kept
with the entry, as git, ruff and mypy decide it: any write changes the status-change
time (``ctime``), which ``os.utime`` cannot set back, so an edit that keeps the size and
restores the modification time is still seen. A stamp is kept only for a file whose
times are at least ``RACY_SECONDS`` older than the moment it was taken (git's "racily
clean" rule): a file written again within the same clock tick as the stat, with the
same size, can then not pass for unchanged. Any other stamp, a missing one included,
sends the run to hashing the bytes, and a matching hash restamps the entry.

Only the engine reads and writes the cache; checkers never see it. Everything here
fails soft: an unreadable, corrupt or foreign cache is ignored and rewritten, a folder
that cannot be written is simply not used. Whole-project checks (``check_project``)
are never cached.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from hashlib import blake2b
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gates.core.files import own_folder, replace_bytes
from gates.model import Finding, Location

if TYPE_CHECKING:
    from gates.core.checker import Checker

CACHE_DIR = ".gates_cache"
FORMAT = 2
RACY_SECONDS = 2.0  # a stamp this close to its file's last change is not trusted
KEEP_ENVIRONMENTS = 4  # data files of other environments kept, most recent first
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# gates' result cache: safe to delete.\n"

# A file's stat stamp: size, mtime_ns, ctime_ns, inode.
Stamp = tuple[int, int, int, int]

# One checker's result for one file: its findings and its ``measure`` (None when the
# checker returned none), or None when the checker does not apply to the file.
CheckerResult = tuple[list[Finding], Any] | None
CachedResults = dict[str, CheckerResult] | None  # by checker code; None on a miss



def content_digest(data: bytes, size: int = 16) -> str:
    """A hex BLAKE2 digest of ``size`` bytes."""
    return blake2b(data, digest_size=size).hexdigest()


def _short(text: str) -> str:
    return blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def _stat_stamp(files: Iterable[str]) -> str:
    parts = []
    for name in sorted(files):
        try:
            info = os.stat(name)
        except OSError:
            continue
        parts.append(f"{name}:{info.st_mtime_ns}:{info.st_size}")
    return _short("\n".join(parts))


def _package_files() -> list[str]:
    """Every module of the installed gates package (the code that produces results)."""
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    found: list[str] = []
    for folder, dirs, files in os.walk(top):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        found.extend(os.path.join(folder, f) for f in files if f.endswith(".py"))
    return found


def environment() -> dict[str, str]:
    """What must match for any cached result to be used."""
    import gates

    return {
        "gates": gates.__version__,
        "code": _stat_stamp(_package_files()),
        "python": sys.version,
    }


def checker_key(checker: Checker) -> str:
    """The checker's class and options, plus its module's stamp when it is not gates' own."""
    cls = type(checker)
    text = f"{cls.__module__}.{cls.__qualname__}|{checker.options!r}"
    if not cls.__module__.startswith("gates."):
        module_file = getattr(sys.modules.get(cls.__module__), "__file__", None)
        text += "|" + _stat_stamp([module_file] if module_file else [])
    return _short(text)


def _plain(value: Any) -> bool:
    """True for what survives the JSON round trip below: numbers, strings, tuples of them."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return True
    return isinstance(value, tuple) and all(_plain(v) for v in value)


def _thaw(value: Any) -> Any:
    return tuple(_thaw(v) for v in value) if isinstance(value, list) else value


def _encode(path: str, finding: Finding) -> list[Any]:
    own_path = "" if finding.path == path else finding.path
    return [finding.code, finding.gate, own_path, finding.line, finding.column,
            finding.message, finding.value, finding.symbol, finding.fingerprint]


def _decode(path: str, row: list[Any]) -> Finding:
    code, gate, own_path, line, column, message, value, symbol, fingerprint = row
    location = Location(own_path or path, line, column)
    return Finding(code, gate, location, message, value, symbol, fingerprint)


def _decode_result(path: str, stored: Any) -> CheckerResult:
    if stored is None:
        return None
    rows, measure = stored
    return [_decode(path, row) for row in rows], _thaw(measure)


def encode_result(path: str, result: CheckerResult) -> Any:
    """One checker's result as the cache stores it (None when its measure cannot be kept)."""
    if result is None:
        return None
    if not _plain(result[1]):
        raise ValueError("a measure JSON cannot carry exactly")
    return [[_encode(path, f) for f in result[0]], result[1]]


def decode_result(path: str, stored: Any) -> CheckerResult:
    """What :func:`encode_result` stored, for ``path``."""
    return _decode_result(path, stored)


def checksum(payload: bytes) -> str:
    return blake2b(payload, digest_size=16).hexdigest()


def stamp(file: Path | str) -> Stamp:
    """The file's stat stamp (raises OSError as ``os.stat`` does)."""
    info = os.stat(file)
    return info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino


def _trusted(found: Stamp | None, taken_ns: int) -> list[int] | None:
    """The stamp as stored: None when the file changed too shortly before it was taken."""
    if found is None or taken_ns - max(found[1], found[2]) < RACY_SECONDS * 1e9:
        return None
    return list(found)


def _entry_for(entry: Any, digest: str) -> dict[str, Any] | None:
    """The stored results of a file entry ``[digest, {checker key: result}, stamp]`` if
    current."""
    if isinstance(entry, list) and len(entry) == 3 and entry[0] == digest:
        results = entry[1]
        return results if isinstance(results, dict) else None
    return None


def read_entries(folder: Path, file: Path, form: int, env: dict[str, str]) -> dict[str, Any]:
    """A cache file's entries (a header line of JSON, then the entries): none when the
    folder is a link, or the file is missing, of another format or environment, or
    damaged in any way (the header's checksum covers every byte of the entries)."""
    if folder.is_symlink():
        return {}  # never read results planted through a link
    try:
        header, _, payload = file.read_bytes().partition(b"\n")
        meta = json.loads(header)
        if (
            meta.get("format") != form
            or meta.get("environment") != env
            or meta.get("checksum") != checksum(payload)
        ):
            return {}
        entries = json.loads(payload)
    except (OSError, ValueError, AttributeError, RecursionError):
        return {}  # RecursionError: JSON nested deeper than the parser's stack
    return entries if isinstance(entries, dict) else {}


class ResultCache:
    """The results of one environment: loaded once per run, saved once at its end."""

    def __init__(self, root: Path, checkers: Sequence[Checker]) -> None:
        self.opened_ns = time.time_ns()  # before any stamp of this run is taken
        self.root = root
        self.folder = root / CACHE_DIR
        self.environment = environment()
        name = _short(json.dumps(self.environment, sort_keys=True))
        self.file = self.folder / f"results-{name}.json"
        self.keys = {c.code: checker_key(c) for c in checkers}
        self.files: dict[str, Any] = self._load()
        self.dirty = False

    def _load(self) -> dict[str, Any]:
        """The stored entries; none when the file is missing, foreign or damaged in any way
        (the header's checksum covers every byte of the entries)."""
        return read_entries(self.folder, self.file, FORMAT, self.environment)

    def current(
        self, path: str, file: Path, codes: Iterable[str]
    ) -> tuple[CachedResults, str, Stamp | None]:
        """The asked checkers' stored results for ``file`` as it is now (None on any miss),
        the digest of its bytes and its stamp, taken before anything read it ("" and None
        when it cannot be read). A file with its stored stamp is not read; any other is
        hashed once."""
        try:
            digest, found = self.current_digest(path, file)
        except OSError:
            return None, "", None
        return self.lookup(path, digest, codes), digest, found

    def current_digest(self, path: str, file: Path) -> tuple[str, Stamp]:
        """The digest of ``file``'s bytes and its stamp, taken first: the stored digest when
        the stamp is the stored one (the bytes are not read), else a hash of the bytes."""
        found = stamp(file)
        digest = self.digest(path, found)
        if digest is None:
            digest = content_digest(file.read_bytes())
            self.restamp(path, digest, found)
        return digest, found

    def digest(self, path: str, found: Stamp) -> str | None:
        """The stored digest of ``path`` when its stamp is the stored one: unchanged bytes."""
        entry: Any = self.files.get(path)
        if isinstance(entry, list) and len(entry) == 3 and isinstance(entry[0], str):
            if entry[2] == list(found):
                return entry[0]
        return None

    def restamp(self, path: str, digest: str, found: Stamp) -> None:
        """Keep ``found`` as the stamp of these bytes of ``path`` (hashed: they are)."""
        entry: Any = self.files.get(path)
        kept = _trusted(found, self.opened_ns)
        if _entry_for(entry, digest) is not None and kept is not None and entry[2] != kept:
            entry[2] = kept
            self.dirty = True

    def lookup(self, path: str, digest: str, codes: Iterable[str]) -> dict[str, CheckerResult] | None:
        """Every asked checker's result for this content of ``path``, or None on any miss."""
        results = _entry_for(self.files.get(path), digest)
        if results is None:
            return None
        found: dict[str, CheckerResult] = {}
        try:
            for code in codes:
                key = self.keys[code]
                if key not in results:
                    return None
                found[code] = _decode_result(path, results[key])
        except (TypeError, ValueError, KeyError):
            return None
        return found

    def current_measures(self, path: str, file: Path, codes: Iterable[str]) -> dict[str, Any] | None:
        """The asked checkers' stored measures for ``file`` as it is now, those that applied
        and measured something (their findings are not decoded); None on any miss."""
        try:
            digest, _ = self.current_digest(path, file)
        except OSError:
            return None
        results = _entry_for(self.files.get(path), digest)
        if results is None:
            return None
        found: dict[str, Any] = {}
        try:
            for code in codes:
                stored = results[self.keys[code]]
                if stored is not None and stored[1] is not None:
                    found[code] = _thaw(stored[1])
        except (TypeError, ValueError, KeyError, IndexError):
            return None
        return found

    def store(
        self, path: str, digest: str, results: Mapping[str, CheckerResult],
        found: Stamp | None = None,
    ) -> None:
        """Keep these checkers' results for this content of ``path``, and ``found`` (taken
        before the bytes were read) as its stamp when it can be trusted."""
        encoded: dict[str, Any] = {}
        for code, result in results.items():
            if result is None:
                encoded[self.keys[code]] = None
            elif _plain(result[1]):  # a measure JSON cannot carry exactly is not cached
                encoded[self.keys[code]] = [[_encode(path, f) for f in result[0]], result[1]]
        entry: Any = self.files.get(path)
        current = _entry_for(entry, digest)
        if current is not None:
            current.update(encoded)  # results of other gate selections for the same bytes
            entry[2] = _trusted(found, self.opened_ns)
        else:
            self.files[path] = [digest, encoded, _trusted(found, self.opened_ns)]
        self.dirty = True

    def save(self) -> None:
        """Write the entries (of files that still exist) if anything changed; never raises."""
        if not self.dirty:
            return
        kept = {p: e for p, e in self.files.items() if (self.root / p).exists()}
        payload = json.dumps(kept, separators=(",", ":")).encode("utf-8")
        meta = {"format": FORMAT, "environment": self.environment, "checksum": checksum(payload)}
        try:
            if not own_folder(self.folder):
                return  # not a real folder (a committed symlink): run without a cache
            self._prepare_folder()
            replace_bytes(self.file, json.dumps(meta).encode("utf-8") + b"\n" + payload)
            self._forget_other_environments()
        except OSError:
            return  # a read-only checkout: run without a cache

    def _prepare_folder(self) -> None:
        for name, text in ((".gitignore", "# created by gates\n*\n"), ("CACHEDIR.TAG", _TAG)):
            marker = self.folder / name
            if not marker.is_file() or marker.is_symlink():
                replace_bytes(marker, text.encode("utf-8"))

    def _forget_other_environments(self) -> None:
        others = sorted(
            (f for f in self.folder.glob("results-*.json") if f != self.file),
            key=lambda f: f.stat().st_mtime, reverse=True,
        )
        for old in others[KEEP_ENVIRONMENTS - 1 :]:
            old.unlink(missing_ok=True)

