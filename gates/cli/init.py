"""``gates init [--from ROADMAP.md] [--dry-run] [--force]``: the roadmap's criteria into pyproject.toml.

Without ``--from`` the default criteria are written (every installed gate's default
limit), followed by the pre-commit and pytest snippets that turn the gates on.
Returns the exit code; the listing goes to ``out``; a conflict is a :class:`UsageError`
after the listing, and then nothing is written.
"""

from __future__ import annotations

import argparse
import difflib
import os
from pathlib import Path
from typing import TextIO

from gates.errors import UsageError
from gates.core.discovery import shown_path as shown_name
from gates.reporters.printable import printable
from gates.roadmap.apply import CONFLICT, apply_changes, load_document, plan_changes, validate, write_text
from gates.roadmap.choose import SETTINGS, Entry, choose, entries, listing, settings_of, summary
from gates.roadmap.metrics import METRICS
from gates.roadmap.parse import Bound, Criterion, parse_roadmap, read_roadmap
from gates.roadmap.plan import Requirement, option_defaults, resolve

PRE_COMMIT = """\
.pre-commit-config.yaml (pre-commit runs the gates on every commit):

    repos:
    -   repo: https://example.invalid/gates  # your clone of gates (a git URL or a local path)
        rev: v{version}                          # a tag or commit sha of it
        hooks:
        -   id: gates                        # every enabled gate on the staged files
            args: [--ignore, GT104]
        -   id: gates-type-coverage          # type coverage over the whole project
"""


def target_file(config: Path | None) -> Path:
    """The pyproject.toml to write: ``--config``, else the project's (found as ``gates check`` finds it)."""
    from gates.core.config import find_root

    if config is not None:
        return config
    root, found = find_root(Path.cwd())
    return found or root / "pyproject.toml"


def shown_path(path: Path, folder: Path) -> str:
    """``path`` relative to ``folder`` with ``/``, as the comments quote it; absolute when outside."""
    relative = os.path.relpath(path.resolve(), folder.resolve())
    shown = path.resolve().as_posix() if relative.startswith("..") else Path(relative).as_posix()
    # A TOML comment holds one line of text: a newline or other control character in the
    # name is escaped (\n), as the text output shows it.
    return printable(shown_name(shown))


def default_requirements() -> list[Requirement]:
    """Every default criterion, each at its gate's default limit (or why its gate is missing)."""
    from gates.core.registry import find_checker

    result = []
    for metric in METRICS:
        if not metric.default:
            continue
        cls = find_checker(metric.gate)
        text = f"default: {metric.label}"
        bound = None
        if cls is not None and metric.option is not None:
            value = option_defaults(cls).get(metric.option)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                sign = "\u2264" if metric.upper else "\u2265"
                bound = Bound(float(value), metric.upper, False, f"{sign} {value:g}")
                text = f"default: {metric.label} {bound.written}{' %' if metric.step < 1 else ''}"
        result.append(resolve(Criterion("", 0, text, metric, bound)))
    return result


def _unified(path: Path, before: str, after: str) -> list[str]:
    name = path.name
    diff = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{name}", f"b/{name}"
    )
    return [line.rstrip("\r\n") for line in diff]


def _pytest_snippet(pyproject: Path) -> list[str]:
    from importlib.metadata import entry_points

    if not any(entry.name == "gates" for entry in entry_points(group="pytest11")):
        return ["pytest: the gates pytest plugin (coverage gate, test seeds) is not installed here;",
                "    `gates check` and the pre-commit hooks above cover the static gates."]
    package = pyproject.parent.name.replace("-", "_")
    return [
        "pytest (pyproject.toml; the plugin measures coverage and seeds every test):",
        "",
        "    [tool.pytest.ini_options]",
        f'    addopts = "--gates-cov={package}"',
    ]


def run_init(args: argparse.Namespace, out: TextIO) -> int:
    from gates import __version__

    pyproject = target_file(args.config)
    if args.roadmap is not None:
        source = shown_path(args.roadmap, pyproject.parent)
        criteria = parse_roadmap(read_roadmap(args.roadmap), source)
        if not criteria:
            raise UsageError(
                f"{args.roadmap}: no criteria found; write them as checklist items, "
                "e.g. \u201c- [ ] Test coverage \u2265 80%\u201d"
            )
        requirements = [resolve(c) for c in criteria]
        origin = f"{len(criteria)} criteria in {source}"
    else:
        requirements = default_requirements()
        origin = "the default criteria"
    _write(pyproject, requirements, args, out, origin)
    if args.roadmap is None:
        out.write("\n" + PRE_COMMIT.format(version=__version__) + "\n")
        out.write("\n".join(_pytest_snippet(pyproject)) + "\n")
    return 0


def _write(pyproject: Path, requirements: list[Requirement], args: argparse.Namespace,
           out: TextIO, origin: str) -> None:
    """Plan, list, validate and write (or, with --dry-run, print the change)."""
    original, document = load_document(pyproject)
    chosen = choose(requirements)
    changes = plan_changes(document, settings_of(chosen), force=args.force)
    found = entries(requirements, chosen, changes)
    out.write(f"gates init: {origin}, for {os.path.relpath(pyproject)}\n")
    # the settings first, in full; what was not taken as counts by reason unless -v asks for each line
    if getattr(args, "verbose", False) or args.roadmap is None:
        shown = listing(found)
    else:
        shown = listing(found, SETTINGS) + summary(found)
    out.write("\n".join(shown) + "\n")
    conflicts = [c for c in changes if c.status == CONFLICT]
    if conflicts:
        out.flush()
        plural = "s conflict" if len(conflicts) != 1 else " conflicts"
        raise UsageError(
            f"{pyproject}: {len(conflicts)} setting{plural} with the roadmap (listed above); "
            "nothing written; rerun with --force to overwrite"
        )
    text = apply_changes(pyproject, original, document, changes)
    validate(pyproject, text)
    out.write("\n" + _verdict(pyproject, original, text, found, args.dry_run) + "\n")
    if args.dry_run:
        diff = _unified(pyproject, original, text)
        if diff:
            out.write("\n" + "\n".join(diff) + "\n")
    elif text != original:
        write_text(pyproject, text)


def _verdict(pyproject: Path, original: str, text: str, found: list[Entry], dry_run: bool) -> str:
    unread = sum(e.group not in SETTINGS for e in found)
    tail = f"; {unread} not taken (above)" if unread else ""
    if text == original:
        return f"{pyproject.name}: nothing to change{tail}"
    verb = "would be written (dry run: the change below)" if dry_run else "written"
    return f"{pyproject.name}: {verb}{tail}"
