"""The ``gates`` command: the parser and the dispatch to one module per command.

``check`` and ``report`` (:mod:`gates.cli.check`), ``badge``, ``baseline``, ``init``,
``list`` (:mod:`gates.cli.listing`), ``explain``, ``history``, ``combine`` and ``fix``.
Exit codes: 0 every gate passed, 1 a gate failed, 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import atexit
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn, TextIO

from gates import __version__
from gates.cli.badge import add_badge_command, run_badge
from gates.cli.baseline import add_baseline_command, run_baseline
from gates.cli.check import add_check_commands, run_check
from gates.cli.combine import add_combine_command, run_combine
from gates.cli.explain import add_explain_command, run_explain
from gates.cli.listing import add_list_command, run_list
from gates.errors import UsageError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _run_init(args: argparse.Namespace, out: TextIO) -> int:
    from gates.cli.init import run_init  # tomlkit: only for `gates init`

    return run_init(args, out)


def _run_history(args: argparse.Namespace, out: TextIO) -> int:
    from gates.cli.history import run_history  # git and the history package: only for `gates history`

    return run_history(args, out)


def _run_fix(args: argparse.Namespace, out: TextIO) -> int:
    from gates.cli.fix import run_fix  # libcst: only for `gates fix`

    return run_fix(args, out)


COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    "check": run_check,
    "report": run_check,
    "badge": run_badge,
    "baseline": run_baseline,
    "init": _run_init,
    "list": run_list,
    "explain": run_explain,
    "history": _run_history,
    "combine": run_combine,
    "fix": _run_fix,
}


def _history(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from gates.cli.history import add_history_command

    add_history_command(sub)


def _fix(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from gates.cli.fix import add_fix_command

    add_fix_command(sub)


def _roadmap(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from gates.cli.roadmap_options import add_roadmap_commands  # gates init, gates report --roadmap

    add_roadmap_commands(sub)


Adder = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]
# Each command's sub-parser and what it needs (`report --roadmap` is added to report's).
_ADDERS: dict[str, tuple[Adder, ...]] = {
    "check": (add_check_commands, _roadmap), "report": (add_check_commands, _roadmap),
    "init": (add_check_commands, _roadmap), "badge": (add_badge_command,),
    "baseline": (add_baseline_command,), "list": (add_list_command,), "explain": (add_explain_command,),
    "history": (_history,), "combine": (add_combine_command,), "fix": (_fix,),
}

_EVERY: tuple[Adder, ...] = (add_check_commands, add_badge_command, add_baseline_command, _roadmap, add_list_command,
                             add_explain_command, _history, add_combine_command, _fix)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, one sub-command per module; only ``command``'s when it
    names one (a run builds its own sub-parser, not all eleven)."""
    parser = argparse.ArgumentParser(
        prog="gates",
        description="Quality gates for Python: roadmap criteria enforced on every commit and CI run.",
    )
    parser.add_argument("--version", action="version", version=f"gates {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for add in _ADDERS.get(command or "", _EVERY):
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; returns the exit code (never raises for user errors)."""
    out = out or sys.stdout
    arguments = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(arguments[0] if arguments else None)
    try:
        args = parser.parse_args(arguments)
    except SystemExit as exc:  # argparse: --help, --version, or a usage error (2)
        return int(exc.code or 0)
    try:
        return COMMANDS[args.command](args, out)
    except UsageError as exc:
        sys.stderr.write(f"gates: error: {exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("gates: interrupted\n")
        return 130
    except BrokenPipeError:  # a command with no verdict (list, explain) whose reader left
        from gates.core.files import silence_stdout

        silence_stdout(sys.stdout)
        return EXIT_OK


def entry() -> NoReturn:
    """The ``gates`` command (console script and ``python -m gates``): :func:`main`, its
    exit handlers run and its output flushed, then out of the process without tearing the
    interpreter down, as mypy does: freeing every module and object at exit is 10-20 ms
    of every run, and nothing is left to clean up (outputs are closed and worker pools
    shut down inside main; coverage.py's or a plugin's ``atexit`` handlers still run)."""
    code = main()
    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    if run_exit_handlers is None:  # not CPython: leave the ordinary way
        raise SystemExit(code)
    run_exit_handlers()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that left early, or a stream already closed
            pass
    os._exit(code)


if __name__ == "__main__":
    entry()
