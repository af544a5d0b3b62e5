"""``[tool.gates]`` in pyproject.toml -> typed settings. Defaults are the roadmap criteria.

Top-level keys are run-wide settings; every table below ``[tool.gates]`` configures
one gate by name (``[tool.gates.function-length]``) with kebab-case keys, plus
``enabled``. Unknown keys, unknown gates and wrong types are a :class:`UsageError`
naming the file, the key and the fix.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gates.core.options import HELP, PARSE
from gates.errors import UsageError

RUN_KEYS = ("exclude", "per-file-ignores", "select", "ignore", "jobs")


@dataclass(frozen=True)
class Settings:
    """Run-wide settings plus the raw per-gate tables (validated against each checker)."""

    root: Path
    config_file: Path | None = None
    exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    jobs: int = 0
    gate_tables: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def where(self, table: str = "tool.gates") -> str:
        name = self.config_file.name if self.config_file else "pyproject.toml"
        return f"{name} [{table}]"

    def gate_table(self, name: str, code: str) -> Mapping[str, Any]:
        """The ``[tool.gates.<gate>]`` table of the gate called ``name`` with ``code``
        (empty when there is none): the one way to look a gate's settings up."""
        key = gate_table_key(self.gate_tables, name, code, self.where())
        return {} if key is None else self.gate_tables[key]


def gate_table_key(tables: Mapping[str, Any], name: str, code: str, where: str) -> str | None:
    """Which key of ``[tool.gates]`` configures a gate: its name, or its code (None when
    neither). Both at once is a :class:`UsageError`: which one wins would be a guess."""
    present = [key for key in (name, code) if key in tables]
    if len(present) > 1:
        raise UsageError(f"{where}: [tool.gates.{name}] and [tool.gates.{code}] configure the same gate; "
                         "merge them into one")
    return present[0] if present else None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: invalid TOML: {exc}; fix the syntax") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot be read: {exc}") from None


def _gates_table(data: Mapping[str, Any], path: Path) -> dict[str, Any] | None:
    tool = data.get("tool")
    if not isinstance(tool, dict) or "gates" not in tool:
        return None
    table = tool["gates"]
    if not isinstance(table, dict):
        raise UsageError(f"{path}: [tool.gates] must be a table")
    return table


def find_root(start: Path) -> tuple[Path, Path | None]:
    """The project root for ``start`` and its pyproject.toml (None when there is none).

    The nearest ancestor whose pyproject.toml has a [tool.gates] table wins; otherwise
    the nearest with any pyproject.toml or a .git; otherwise the current folder when
    ``start`` lies below it, else ``start`` itself.
    """
    start = start.resolve()
    if not start.is_dir():
        start = start.parent
    fallback: tuple[Path, Path | None] | None = None
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            if _gates_table(_read_toml(candidate), candidate) is not None:
                return folder, candidate
            fallback = fallback or (folder, candidate)
        elif fallback is None and (folder / ".git").exists():
            fallback = (folder, None)
    return fallback or (_outside_any_project(start), None)


def _outside_any_project(start: Path) -> Path:
    """The root when no folder above ``start`` marks a project."""
    cwd = Path.cwd().resolve()
    return cwd if start == cwd or cwd in start.parents else start


def _strings(value: Any, path: Path, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UsageError(f'{path}: [tool.gates] {key}: expected a list of strings, like ["GT101"]')
    return tuple(value)


def _keys(keys: tuple[str, ...], path: Path, key: str) -> tuple[str, ...]:
    """Gate keys, none of them empty: "" is a prefix of every code (all gates, or none)."""
    if any(not k.strip() for k in keys):
        raise UsageError(f'{path}: [tool.gates] {key}: an empty gate key ""; remove it, or write a code (GT101), a prefix (GT1) or a name')
    return keys


def _patterns(patterns: tuple[str, ...], path: Path, key: str) -> tuple[str, ...]:
    """``patterns`` when each is a gitignore line pathspec can use; else a UsageError."""
    from gates.core.discovery import invalid_pattern

    for pattern in patterns:
        if pattern.strip() and (why := invalid_pattern(pattern)) is not None:
            raise UsageError(f"{path}: [tool.gates] {key}: {pattern!r} is not a valid gitignore pattern ({why})")
    return patterns


def load_settings(config_file: Path | None = None, *, start: Path | None = None) -> Settings:
    """Read settings from ``config_file``, or from the project found above ``start``."""
    if config_file is not None:
        if not config_file.is_file():
            raise UsageError(f"{config_file}: config file not found; check the --config path")
        path: Path | None = config_file.resolve()
        root = config_file.resolve().parent
    else:
        root, path = find_root(start or Path.cwd())
    if path is None:
        return Settings(root=root)
    data = _read_toml(path)
    table = _gates_table(data, path)
    if table is None:
        # A file given with --config may hold the gates table at its top level.
        table = data if config_file is not None and "tool" not in data else {}
    return _settings_from_table(table, root, path)


def settings_from_toml(data: bytes, root: Path, path: Path) -> Settings:
    """Settings from a pyproject.toml's bytes (``gates history`` reads them from a past commit)."""
    try:
        parsed = tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: invalid TOML: {exc}; fix the syntax") from None
    table = _gates_table(parsed, path)
    return _settings_from_table(table or {}, root, path)


def _settings_from_table(table: Mapping[str, Any], root: Path, path: Path) -> Settings:
    gate_tables: dict[str, Mapping[str, Any]] = {}
    values: dict[str, Any] = {}
    for key, value in table.items():
        if isinstance(value, dict) and key != "per-file-ignores":
            gate_tables[key] = value
        elif key in RUN_KEYS:
            values[key] = value
        else:
            raise UsageError(
                f"{path}: unknown key '{key}' in [tool.gates]; "
                f"known keys: {', '.join(RUN_KEYS)}, or a gate table like [tool.gates.no-print]"
            )
    ignores = values.get("per-file-ignores", {})
    if not isinstance(ignores, dict):
        raise UsageError(
            f'{path}: [tool.gates] per-file-ignores: expected a table like {{"scripts/*" = ["GT101"]}}'
        )
    jobs = values.get("jobs", 0)
    if not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 0:
        raise UsageError(f"{path}: [tool.gates] jobs: expected a whole number >= 0 (0 = automatic)")
    _patterns(tuple(ignores), path, "per-file-ignores")
    return Settings(
        root=root,
        config_file=path,
        exclude=_patterns(_strings(values.get("exclude", []), path, "exclude"), path, "exclude"),
        per_file_ignores=tuple(
            (pattern, _strings(codes, path, f"per-file-ignores.{pattern}"))
            for pattern, codes in ignores.items()
        ),
        select=_keys(_strings(values.get("select", []), path, "select"), path, "select"),
        ignore=_keys(_strings(values.get("ignore", []), path, "ignore"), path, "ignore"),
        jobs=jobs,
        gate_tables=gate_tables,
    )


_TYPE_NAMES = {bool: "true or false", int: "a whole number", float: "a number", str: "a string"}


def _check_type(value: Any, default: Any) -> bool:
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, int):
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if isinstance(default, tuple):
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    return isinstance(value, type(default))


def build_options(
    options_type: type[Any], table: Mapping[str, Any], where: str
) -> tuple[Any, bool | None]:
    """Options for one gate from its table, and its ``enabled`` value (None if unset)."""
    fields = {f.name.replace("_", "-"): f for f in dataclasses.fields(options_type)}
    enabled: bool | None = None
    kwargs: dict[str, Any] = {}
    for key, value in table.items():
        if key == "enabled":
            if not isinstance(value, bool):
                raise UsageError(f"{where} enabled: expected true or false")
            enabled = value
            continue
        if key not in fields:
            known = ", ".join(["enabled", *fields]) or "enabled"
            raise UsageError(f"{where}: unknown key '{key}'; known keys: {known}{_did_you_mean(key, fields)}")
        spec = fields[key]
        kwargs[spec.name] = _option_value(spec, key, value, where)
    return options_type(**kwargs), enabled


def _option_value(spec: dataclasses.Field[Any], key: str, value: Any, where: str) -> Any:
    """One option's typed value from its TOML value; a :class:`UsageError` when it is wrong."""
    if PARSE in spec.metadata:
        try:
            return spec.metadata[PARSE](value)
        except ValueError as exc:
            raise UsageError(f"{where} {key}: {exc}") from None
    default = _default(spec)
    if not _check_type(value, default):
        expected = _TYPE_NAMES.get(type(default), "a list of strings")
        raise UsageError(f"{where} {key}: expected {expected}, got {value!r}; e.g. {_example(key, spec)}")
    return tuple(value) if isinstance(default, tuple) else value


def _example(key: str, spec: dataclasses.Field[Any]) -> str:
    """The option set to its default, with its help as a TOML comment (as `gates explain`)."""
    text = spec.metadata.get(HELP, "")
    return f"{key} = {_toml(_default(spec))}" + (f"  # {text}" if text else "")


def _did_you_mean(key: str, fields: Mapping[str, dataclasses.Field[Any]]) -> str:
    """The known key closest to a misspelt one, with what it means ('' when none is close)."""
    import difflib  # only for a misspelt key

    close = difflib.get_close_matches(key, list(fields), n=1)
    return f"; did you mean {_example(close[0], fields[close[0]])}" if close else ""


def _default(spec: dataclasses.Field[Any]) -> Any:
    if spec.default_factory is not dataclasses.MISSING:
        return spec.default_factory()
    return spec.default


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, tuple):
        return "[" + ", ".join(f'"{v}"' for v in value) + "]"
    return str(value)


def default_table(options_type: type[Any]) -> Sequence[tuple[str, str]]:
    """(kebab-case key, default as TOML) for ``gates explain``."""
    result = []
    for spec in dataclasses.fields(options_type):
        default = _default(spec)
        result.append((spec.name.replace("_", "-"), _toml(default)))
    return result
