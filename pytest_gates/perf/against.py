"""A/B mode (``--gates-perf-against=REF``): the benchmark's code as it was at a git ref.

The controller checks REF out into a temporary worktree outside the project (removed at
the end of the session, also when it fails). For each benchmark, :meth:`OldTree.counterpart`
builds the same call on REF's code: the project's modules the function uses are imported
a second time from the worktree, with ``sys.modules`` and ``sys.path`` swapped for the
import and restored afterwards, so both versions live side by side in one process.

What cannot work is reported as a reason (a string), never raised: the benchmark is then
judged against the stored baselines, and the summary says why.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import importlib.machinery
import importlib.util
import os
import shutil
import sys
import tempfile
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from gates.core.git import repository, run_git, text
from gates.errors import UsageError

TEST_FILE_PREFIXES = ("test_", "conftest")


def _inside(path: str | None, folder: Path) -> bool:
    if not path:
        return False
    try:
        Path(os.path.realpath(path)).relative_to(folder)
    except ValueError:
        return False
    return True


class Worktree:
    """REF checked out (detached) in a temporary folder; :meth:`remove` deletes it."""

    def __init__(self, top: Path, folder: Path, ref: str, commit: str) -> None:
        self.top, self.folder, self.ref, self.commit = top, folder, ref, commit

    @property
    def tree(self) -> Path:
        return self.folder / "tree"

    @classmethod
    def create(cls, root: Path, ref: str) -> Worktree | str:
        """The worktree of ``ref`` for the project at ``root``, or why there is none."""
        try:
            top, _ = repository(root, "--gates-perf-against")
        except UsageError as exc:
            return str(exc)
        if ref.startswith("-"):
            return f"'{ref}' is not a git ref"
        proc = run_git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
        if proc.returncode != 0:
            return f"unknown git ref '{ref}'; name an existing branch, tag or commit"
        commit = text(proc)
        folder = Path(os.path.realpath(tempfile.mkdtemp(prefix="gates-perf-against-")))
        made = run_git(top, "worktree", "add", "--detach", str(folder / "tree"), commit)
        if made.returncode != 0:
            shutil.rmtree(folder, ignore_errors=True)
            error = made.stderr.decode("utf-8", "replace").strip().splitlines() or ["?"]
            return f"git worktree add failed: {error[-1]}"
        return cls(Path(os.path.realpath(top)), folder, ref, commit)

    def remove(self) -> None:
        run_git(self.top, "worktree", "remove", "--force", str(self.tree))
        shutil.rmtree(self.folder, ignore_errors=True)
        run_git(self.top, "worktree", "prune")


class Unsupported(Exception):
    """Why the benchmark cannot be measured against REF's code."""


class OldTree:
    """Imports the project's modules from REF's worktree, beside the current ones."""

    def __init__(self, top: Path, tree: Path, ref: str) -> None:
        self.top, self.tree, self.ref = top, tree, ref
        self._modules: dict[str, dict[str, types.ModuleType]] = {}  # top package -> old ones
        self._failed: dict[str, str] = {}

    def counterpart(self, func: Callable[[], Any]) -> Callable[[], Any] | str:
        """The same call on REF's code, or why it cannot be built."""
        try:
            old, changed = self._translate(func, depth=0)
        except Unsupported as exc:
            return str(exc)
        if not changed:
            return "the benchmark calls no code of the project's modules (nothing to compare)"
        return old  # type: ignore[no-any-return]

    # --- objects of the current tree -> the same objects of REF's tree ----------------

    def _project_module(self, name: str | None) -> types.ModuleType | None:
        """The module ``name`` when it is the project's own code (not a test file)."""
        module = sys.modules.get(name or "")
        if module is None or not _inside(getattr(module, "__file__", None), self.top):
            return None
        if Path(module.__file__ or "").name.startswith(TEST_FILE_PREFIXES):
            return None
        return module

    def _translate(self, obj: Any, depth: int) -> tuple[Any, bool]:
        """``obj``'s counterpart in REF and whether it differs from ``obj``."""
        if depth > 3:
            return obj, False
        if isinstance(obj, functools.partial):
            return self._partial(obj, depth)
        if isinstance(obj, types.ModuleType):
            if self._project_module(obj.__name__) is None:
                return obj, False
            return self._import(obj.__name__), True
        if isinstance(obj, types.MethodType):
            return self._method(obj, depth)
        if isinstance(obj, (types.FunctionType, type)):
            return self._named(obj, depth)
        return obj, False

    def _partial(self, obj: functools.partial[Any], depth: int) -> tuple[Any, bool]:
        func, changed = self._translate(obj.func, depth + 1)
        args = [self._translate(a, depth + 1) for a in obj.args]
        kwargs = {k: self._translate(v, depth + 1) for k, v in obj.keywords.items()}
        changed = changed or any(c for _, c in args) or any(c for _, c in kwargs.values())
        new = functools.partial(func, *(a for a, _ in args), **{k: v for k, (v, _) in kwargs.items()})
        return new, changed

    def _method(self, obj: types.MethodType, depth: int) -> tuple[Any, bool]:
        if isinstance(obj.__self__, type):  # a classmethod: take it from REF's class
            owner, changed = self._translate(obj.__self__, depth + 1)
            return (getattr(owner, obj.__name__), True) if changed else (obj, False)
        if self._project_module(getattr(obj.__func__, "__module__", None)) is not None:
            raise Unsupported(
                "a bound method of an object built from the current code; benchmark a "
                "function that builds the object, so that REF's class builds it too")
        return obj, False

    def _named(self, obj: Any, depth: int) -> tuple[Any, bool]:
        """A function or class: REF's by module and qualified name, or rebuilt on REF's
        modules when it is defined in a test file or inside another function."""
        module = self._project_module(getattr(obj, "__module__", None))
        if module is not None and "<locals>" not in obj.__qualname__:
            old: Any = self._import(module.__name__)
            for part in obj.__qualname__.split("."):
                if not hasattr(old, part):
                    raise Unsupported(f"{obj.__module__}.{obj.__qualname__} does not exist in {self.ref}")
                old = getattr(old, part)
            return old, True
        if isinstance(obj, types.FunctionType):
            return self._rebuilt(obj, depth)
        return obj, False

    def _rebuilt(self, func: types.FunctionType, depth: int) -> tuple[Any, bool]:
        """``func``'s code with REF's modules, functions and classes in its globals and
        closure (a lambda or helper in the test file that calls the project)."""
        names = set(func.__code__.co_names)
        scope = dict(func.__globals__)
        changed = False
        for name in names & scope.keys():
            scope[name], moved = self._translate(scope[name], depth + 1)
            changed = changed or moved
        cells = []
        for cell in func.__closure__ or ():
            value, moved = self._translate(cell.cell_contents, depth + 1)
            cells.append(types.CellType(value))
            changed = changed or moved
        if not changed:
            return func, False
        rebuilt = types.FunctionType(func.__code__, scope, func.__name__, func.__defaults__,
                                     tuple(cells) if func.__closure__ else None)
        rebuilt.__kwdefaults__ = func.__kwdefaults__
        return rebuilt, True

    # --- importing REF's copy -----------------------------------------------------------

    def _import(self, name: str) -> types.ModuleType:
        """REF's module ``name``, imported in isolation (cached per top-level package)."""
        top_name = name.partition(".")[0]
        if top_name in self._failed:
            raise Unsupported(self._failed[top_name])
        try:
            return self._load(name, top_name)
        except Unsupported as exc:
            self._failed[top_name] = str(exc)
            raise

    def _source_root(self, top_name: str) -> Path:
        """The folder in REF's tree that ``top_name`` is imported from (``src/`` or the top)."""
        module = sys.modules[top_name]
        file = Path(os.path.realpath(module.__file__ or ""))
        if not _inside(str(file), self.top):
            raise Unsupported(f"{top_name} is not imported from this repository ({file})")
        for other in _package_names(top_name):
            path = getattr(sys.modules[other], "__file__", None) or ""
            if path.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES)):
                raise Unsupported(
                    f"{top_name} has a compiled extension module ({Path(path).name}): "
                    f"{self.ref}'s would need a build")
        package_dir = file.parent if file.name == "__init__.py" else file
        return self.tree / package_dir.parent.relative_to(self.top)

    def _load(self, name: str, top_name: str) -> types.ModuleType:
        cached = self._modules.setdefault(top_name, {})
        if name in cached:
            return cached[name]
        root = self._source_root(top_name)
        with _swapped(top_name, cached, root):
            try:
                module = _import_from(name, top_name, root, self.ref)
            except Unsupported:
                raise
            except Exception as exc:  # REF's code may fail in any way when imported
                raise Unsupported(f"importing {name} from {self.ref} failed: "
                                  f"{type(exc).__name__}: {exc}") from None
        if not _inside(getattr(module, "__file__", None), self.tree):
            raise Unsupported(f"{name} was imported from {getattr(module, '__file__', '?')}, "
                              f"not from {self.ref}'s tree")
        return module


def _package_names(top_name: str) -> list[str]:
    return [n for n in sys.modules if n == top_name or n.startswith(top_name + ".")]


@contextlib.contextmanager
def _swapped(top_name: str, cached: dict[str, types.ModuleType], root: Path) -> Iterator[None]:
    """``sys.modules`` holding REF's modules of the package (``cached``) and ``sys.path``
    starting at REF's source root; afterwards REF's modules go back to ``cached`` and the
    current ones to ``sys.modules``."""
    current = {n: sys.modules.pop(n) for n in _package_names(top_name)}
    sys.modules.update(cached)
    sys.path.insert(0, str(root))
    try:
        yield
    finally:
        for key in _package_names(top_name):
            cached[key] = sys.modules.pop(key)
        sys.modules.update(current)
        sys.path.remove(str(root))


def _import_from(name: str, top_name: str, root: Path, ref: str) -> types.ModuleType:
    # The top package through PathFinder at REF's root: an editable install's finder in
    # sys.meta_path would otherwise find the current one first.
    if top_name not in sys.modules:
        spec = importlib.machinery.PathFinder.find_spec(top_name, [str(root)])
        if spec is None or spec.loader is None:
            raise Unsupported(f"{top_name} does not exist in {ref}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[top_name] = module
        spec.loader.exec_module(module)
    return importlib.import_module(name)
