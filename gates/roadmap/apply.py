"""Write gate settings into pyproject.toml, leaving everything else exactly as it was.

tomlkit (imported only here) edits the document in place: every other table, key,
comment and blank line keeps its bytes. A setting that already holds another value is
a conflict, changed only when asked (``force``); the file is replaced atomically, and
the result is loaded as ``gates check`` loads it before anything is written.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from gates.errors import UsageError
from gates.roadmap.bans import merged_rules

if TYPE_CHECKING:
    from tomlkit import TOMLDocument

ADD, SAME, CONFLICT, OVERWRITE = "add", "same", "conflict", "overwrite"
HEADER = "Quality gates: `gates check` reads this table; `gates init` quotes the roadmap line behind a setting."
COMMENT_WIDTH = 100


@dataclass(frozen=True)
class Setting:
    """One key of a gate's table, and the comment that says where it comes from."""

    gate: str
    key: str
    value: Any
    comment: str


@dataclass(frozen=True)
class Change:
    setting: Setting
    status: str  # ADD, SAME, CONFLICT or OVERWRITE
    existing: Any = None

    @property
    def where(self) -> str:
        return f"[tool.gates.{self.setting.gate}] {self.setting.key}"


def toml_value(value: Any) -> str:
    """``value`` as it reads in TOML: ``true``, ``"high"``, ``799``, ``[{module = "numpy"}]``."""
    return str(_toml_item(value).as_string())


def _toml_item(value: Any) -> Any:
    """A tomlkit item; a list of tables (banned-import's rules) as an array of inline tables,
    which stays beside the gate's other keys instead of becoming [[...]] sections."""
    import tomlkit

    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        array = tomlkit.array()
        for entry in value:
            table = tomlkit.inline_table()
            table.update(entry)
            array.append(table)
        return array
    return tomlkit.item(value)


def load_document(path: Path) -> tuple[str, TOMLDocument]:
    """The file's exact text (empty when it does not exist yet) and its editable document."""
    import tomlkit
    from tomlkit.exceptions import ParseError

    try:
        text = path.read_bytes().decode("utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot be read: {exc}") from None
    try:
        return text, tomlkit.parse(text)
    except ParseError as exc:
        raise UsageError(f"{path}: invalid TOML: {exc}; fix the syntax first") from None


def _table(container: Any, key: str, path: Path, *, super_table: bool) -> Any:
    """``container[key]`` as a table, created when missing; an inline table is an error."""
    import tomlkit
    from tomlkit.container import OutOfOrderTableProxy
    from tomlkit.items import Table

    if key not in container:
        table = tomlkit.table(is_super_table=super_table)
        if key == "gates":
            table.add(tomlkit.comment(HEADER))
            table.add(tomlkit.nl())
        container[key] = table
        return container[key]
    found = container[key]
    if not isinstance(found, (Table, OutOfOrderTableProxy)):
        raise UsageError(
            f"{path}: `{key}` is not a [table] (an inline table or a value); "
            f"write it as a [..{key}] table section so gates init can add to it"
        )
    return found


def _gates_of(document: TOMLDocument) -> Mapping[str, Any]:
    tool = document.get("tool")
    gates = tool.get("gates") if isinstance(tool, Mapping) else None
    return gates if isinstance(gates, Mapping) else {}


def _gate_key(document: TOMLDocument, gate: str) -> str:
    """The gate's table name in the file: its name, or its code when the file already uses that."""
    from gates.core.config import gate_table_key
    from gates.core.registry import find_checker

    cls = find_checker(gate)
    if cls is None:
        return gate
    return gate_table_key(_gates_of(document), cls.name, cls.code, "pyproject.toml [tool.gates]") or cls.name


def _existing(document: TOMLDocument, setting: Setting) -> tuple[bool, Any]:
    """(present, value) of the setting's key in the document."""
    table = _gates_of(document).get(_gate_key(document, setting.gate))
    if not isinstance(table, Mapping) or setting.key not in table:
        return False, None
    item = table[setting.key]
    return True, item.unwrap() if hasattr(item, "unwrap") else item


def plan_changes(document: TOMLDocument, settings: Sequence[Setting], *, force: bool) -> list[Change]:
    """What writing ``settings`` does to each key: added, already so, conflicting, overwritten."""
    changes = []
    for setting in settings:
        present, value = _existing(document, setting)
        if present and setting.key == "rules" and isinstance(value, list) and isinstance(setting.value, list):
            # banned-import's rules: the project's own (allow-in confirmed) stay, new modules join
            merged = merged_rules(value, setting.value)
            changes.append(Change(replace(setting, value=merged), ADD, value) if merged != value
                           else Change(setting, SAME, value))
        elif not present:
            changes.append(Change(setting, ADD))
        elif _same(value, setting.value):
            changes.append(Change(setting, SAME, value))
        else:
            changes.append(Change(setting, OVERWRITE if force else CONFLICT, value))
    return changes


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new
    return bool(old == new)


def apply_changes(path: Path, original: str, document: TOMLDocument, changes: Sequence[Change]) -> str:
    """The new text of the file with every ADD and OVERWRITE change made."""
    import tomlkit

    by_gate: dict[str, list[Setting]] = {}
    for change in changes:
        if change.status in (ADD, OVERWRITE):
            by_gate.setdefault(_gate_key(document, change.setting.gate), []).append(change.setting)
    for gate, settings in by_gate.items():
        tool = _table(document, "tool", path, super_table=True)
        gates = _table(tool, "gates", path, super_table=False)
        if gate in gates:
            table = _table(gates, gate, path, super_table=False)
            for setting in settings:
                table[setting.key] = _item(setting)
            continue
        table = tomlkit.table()
        for setting in settings:
            table.add(setting.key, _item(setting))
        table.add(tomlkit.nl())  # a blank line before whatever table follows
        gates[gate] = table
    return _tidy(original, document.as_string())


def _item(setting: Setting) -> Any:
    import tomlkit

    item = _toml_item(setting.value)
    item.comment(setting.comment)
    item.trivia.comment_ws = "  "
    return item


def _tidy(original: str, text: str) -> str:
    """Keep the file's own line endings, and a single newline at its end."""
    if "\r\n" in original and "\n" not in original.replace("\r\n", ""):
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    newline = "\r\n" if text.endswith("\r\n") else "\n"
    if text.endswith(newline * 2) and not original.endswith(newline * 2):
        text = text.rstrip("\r\n") + newline
    return text


def comment_for(where: str, quote: str) -> str:
    """``ROADMAP.md:12: "Largest file <800 lines"``, shortened to fit one line."""
    quote = "".join(ch if ch.isprintable() else " " for ch in quote)  # TOML comments allow no control characters
    if len(quote) > COMMENT_WIDTH:
        quote = quote[: COMMENT_WIDTH - 1].rstrip() + "\u2026"
    return f'{where}: "{quote}"'


def validate(path: Path, text: str) -> None:
    """Load ``text`` as ``gates check`` would load ``path``; a setting it would reject is an error."""
    from gates.core.config import _gates_table, _settings_from_table
    from gates.core.selection import select_checkers

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:  # a tomlkit bug: never write it
        raise UsageError(f"{path}: the edited file would not be valid TOML ({exc}); nothing written") from None
    table = _gates_table(data, path) or {}
    select_checkers(_settings_from_table(table, path.parent, path))


def write_text(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` atomically (a temporary file beside it, then a rename)."""
    from gates.core.files import write_atomic

    def render(handle: TextIO) -> None:
        handle.write(text)

    write_atomic(path, render)
