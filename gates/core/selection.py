"""Which checkers a run uses: each one configured from its `[tool.gates.<name>]` table
(options validated), then narrowed by `select` / `ignore` from the config or the command line."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from gates.core.checker import Checker
from gates.core.config import Settings, build_options
from gates.core.discovery import PathMatcher
from gates.errors import UsageError
from gates.core.registry import CheckerInfo, checker_index

# Tables of [tool.gates] that configure a command, not a gate: [tool.gates.fix] (`gates fix`).
COMMAND_TABLES = frozenset({"fix"})


def resolve_keys(keys: Iterable[str], where: str) -> set[str]:
    """Codes for a list of codes, code prefixes (GT1) or names; unknown keys are an error."""
    codes: set[str] = set()
    for key in keys:
        if not key.strip():  # "" would be a prefix of every code: all gates, or none
            raise UsageError(f"{where}: an empty gate key ''; write a code (GT101), a prefix (GT1) or a name")
        matched = [
            info.code
            for info in checker_index()
            if key == info.name or info.code.startswith(key.upper())
        ]
        if not matched:
            known = ", ".join(f"{c.code} ({c.name})" for c in checker_index())
            raise UsageError(f"{where}: unknown gate '{key}'; known gates: {known}")
        codes.update(matched)
    return codes


def configure(
    cls: type[Checker], table: Mapping[str, Any], settings: Settings
) -> tuple[Checker, bool | None]:
    """One checker with its options from its config table (validated), and its `enabled`."""
    where = settings.where(f"tool.gates.{cls.name}")
    options, enabled = build_options(cls.options_type, table, where)
    checker = cls(options)
    problem = checker.check_options()
    if problem:
        raise UsageError(f"{where}: {problem}")
    return checker, enabled


def _configured(settings: Settings) -> tuple[dict[str, Checker], dict[str, bool]]:
    """The checkers the config has a table for, with their options (validated whether the
    run uses them or not), and whether each registered checker is on."""
    checkers: dict[str, Checker] = {}
    enabled: dict[str, bool] = {}
    known: set[str] = set()
    for info in checker_index():
        table = settings.gate_table(info.name, info.code)
        is_enabled = None
        if table:
            checkers[info.code], is_enabled = configure(info.load(), table, settings)
        enabled[info.code] = info.enabled_by_default if is_enabled is None else is_enabled
        known.update((info.name, info.code))
    unknown = [key for key in settings.gate_tables if key not in known and key not in COMMAND_TABLES]
    if unknown:
        names = ", ".join(c.name for c in checker_index())
        raise UsageError(f"{settings.where()}: unknown gate '{unknown[0]}'; known gates: {names}")
    return checkers, enabled


def _with_defaults(info: CheckerInfo, checkers: dict[str, Checker], settings: Settings) -> Checker:
    """The checker of ``info``: as configured, or with its default options."""
    if info.code not in checkers:
        checkers[info.code] = configure(info.load(), {}, settings)[0]
    return checkers[info.code]


def _ignored_codes(settings: Settings, ignore: Sequence[str] | None) -> set[str]:
    if ignore is not None:
        return resolve_keys(ignore, "--ignore")
    return resolve_keys(settings.ignore, settings.where())


def select_checkers(
    settings: Settings,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
) -> list[Checker]:
    """Instantiate the checkers this run uses, options validated against their tables.

    ``select``/``ignore`` from the command line replace those of the config. GT100
    (syntax) comes with any gate that needs a parsed tree unless it is ignored
    explicitly: a file that does not parse must never pass silently.
    """
    checkers, enabled = _configured(settings)
    chosen_select = select if select else settings.select
    source = "--select" if select else settings.where()
    if chosen_select:
        codes = resolve_keys(chosen_select, source)
    else:
        codes = {code for code, on in enabled.items() if on}
    ignored = _ignored_codes(settings, ignore)
    index = {info.code: info for info in checker_index()}
    if any(_with_defaults(index[c], checkers, settings).needs_tree for c in codes):
        codes.add("GT100")
    return [_with_defaults(index[code], checkers, settings) for code in sorted(codes - ignored)]


def per_file_ignores(settings: Settings) -> Callable[[str], frozenset[str]]:
    """The codes ``per-file-ignores`` silences for a root-relative path (codes, code
    prefixes and names resolved as ``select`` resolves them; an unknown key is an error)."""
    rules = [
        (PathMatcher([pattern]), frozenset(resolve_keys(keys, settings.where())))
        for pattern, keys in settings.per_file_ignores
    ]

    def ignored(path: str) -> frozenset[str]:
        return frozenset().union(*(codes for matcher, codes in rules if matcher.matches(path)))

    return ignored
