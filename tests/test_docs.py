"""The docs site builds without a warning, and README stays a newcomer's page."""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import REPO_ROOT


def test_the_docs_build_strictly(tmp_path: Path) -> None:
    """`mkdocs build --strict`: a broken link, anchor or page left out of the nav fails."""
    pytest.importorskip("mkdocs")
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=300,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    assert (tmp_path / "site" / "index.html").is_file()


def test_the_readme_is_short_and_keeps_the_two_set_up_commands() -> None:
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 200
    assert "python3 -m pip install -e . && gates report examples/" in text
    assert "python3 -m pip install -e '.[dev]' && python3 -m pytest -n 2" in text


# --- Every option is documented -------------------------------------------------------


def test_every_option_of_every_gate_has_a_one_line_help() -> None:
    """A gate's options feed its page, `gates explain` and the config errors: none without help."""
    from gates.core.options import option_help
    from gates.core.registry import available_checkers

    missing = [f"{cls.code} {key}" for cls in available_checkers()
               for key, text in option_help(cls.options_type).items()
               if not text.strip() or "\n" in text]
    assert missing == [], f"options without a one-line help (use gates.core.checker.option): {missing}"


def test_explain_shows_each_option_with_its_help(run_gates, tmp_path: Path) -> None:
    explained = run_gates("explain", "GT102", cwd=tmp_path).stdout
    assert "  max = 50           # the longest a def may be, in lines" in explained
    assert '  mode = "physical"  # "physical" counts every line' in explained
    perf = run_gates("explain", "GT303", cwd=tmp_path).stdout
    assert "max-regression = 20.0" in perf and "# the most a benchmark may be slower" in perf


# --- The gate pages are generated --------------------------------------------------------


def test_the_gate_pages_are_what_the_checkers_generate_now() -> None:
    """docs/gates/<code>.md is gate_page(checker) for every built-in gate, and nothing else."""
    from gates.core.docs import PAGES_COMMAND, builtin_gate_pages

    pages = builtin_gate_pages()
    folder = REPO_ROOT / "docs" / "gates"
    assert {p.name for p in folder.glob("GT*.md")} == set(pages), f"run `{PAGES_COMMAND}` and commit"
    stale = [name for name, text in pages.items() if (folder / name).read_text(encoding="utf-8") != text]
    assert stale == [], f"out of date: {stale}; run `{PAGES_COMMAND}` and commit docs/gates/"


def test_every_gate_page_is_in_the_nav_and_the_gates_table() -> None:
    from gates.core.docs import builtin_gate_pages

    nav = (REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    table = (REPO_ROOT / "docs" / "gates" / "index.md").read_text(encoding="utf-8")
    for name in builtin_gate_pages():
        code = name.removesuffix(".md")
        assert f": gates/{name}\n" in nav, f"mkdocs.yml's nav lacks gates/{name}"
        assert f"| [{code}]({name}) |" in table, f"docs/gates/index.md's table does not link {name}"


def test_a_gate_page_shows_options_examples_and_failing_lines() -> None:
    from gates.checkers.function_length import FunctionLengthChecker
    from gates.core.docs import gate_page

    page = gate_page(FunctionLengthChecker)
    assert page.startswith("# GT102 function-length\n")
    assert "| `max` | `50` | the longest a def may be, in lines" in page
    assert '**Fails at line 1 with `max = 3`**\n\n```python linenums="1" hl_lines="1"\n' in page
    assert page.count("```python") == len(FunctionLengthChecker.examples)


def test_the_page_generator_writes_the_pages_and_removes_stale_ones(tmp_path: Path) -> None:
    (tmp_path / "GT999.md").write_text("a gate that is gone\n")
    (tmp_path / "index.md").write_text("kept\n")
    done = subprocess.run([sys.executable, str(REPO_ROOT / "docs" / "gen_gate_pages.py"), str(tmp_path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    written = sorted(p.name for p in tmp_path.iterdir())
    assert "GT999.md" not in written and "index.md" in written and "GT101.md" in written
    assert (tmp_path / "GT101.md").read_text() == (REPO_ROOT / "docs" / "gates" / "GT101.md").read_text()


# --- Every command shown in the docs runs ------------------------------------------------

DOC_FILES = [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").rglob("*.md"))]


def _sh_commands() -> list[tuple[str, str]]:
    """(file:line, command) of every command in the ```sh blocks, `a && b` as two commands."""
    found = []
    for path in DOC_FILES:
        text = path.read_text(encoding="utf-8")
        for block in re.finditer(r"^```sh\n(.*?)^```", text, re.S | re.M):
            first = text.count("\n", 0, block.start(1)) + 1
            for offset, line in enumerate(block[1].splitlines()):
                where = f"{path.relative_to(REPO_ROOT)}:{first + offset}"
                found += [(where, part.strip()) for part in line.split("&&") if part.strip()]
    return found


SH_COMMANDS = _sh_commands()


def test_commands_are_shown_in_sh_blocks_only() -> None:
    """Another shell fence (bash, console, shell) would escape the test below."""
    for path in DOC_FILES:
        fences = set(re.findall(r"^```(bash|console|shell|shell-session|zsh)\s*$", path.read_text(), re.M))
        assert not fences, f"{path}: use ```sh for a command the tests run, ```text for a template"
    assert len(SH_COMMANDS) >= 30


def _copy_of_examples(tmp_path: Path) -> Path:
    """A copy of the example project to run the commands in: they leave no file in the repository."""
    shutil.copytree(REPO_ROOT / "examples", tmp_path / "examples",
                    ignore=shutil.ignore_patterns(".gates_cache", "__pycache__"))
    return tmp_path


def _check_pip(args: list[str]) -> None:
    """`python3 -m pip install -e .[extras]` installs this repository: not run (it changes the
    environment), but the path must be this repository and every extra must exist."""
    assert args[:3] == ["pip", "install", "-e"] and len(args) == 4, args
    target = re.fullmatch(r"\.(?:\[([\w,-]+)\])?", args[3])
    assert target, f"pip installs {args[3]}, not this repository"
    extras = (tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"])
    assert set((target[1] or "").split(",")) - {""} <= set(extras), f"unknown extra in {args[3]}"


@pytest.mark.parametrize("where,command", SH_COMMANDS, ids=[w for w, _ in SH_COMMANDS])
def test_a_command_of_the_docs_runs(where: str, command: str, tmp_path: Path) -> None:
    """Each ```sh line runs as shown, from a copy of examples/: exit 0 or 1, never an error."""
    from conftest import run_gates_in_process

    args = shlex.split(command)
    cwd = _copy_of_examples(tmp_path)
    if args[0] == "gates":
        done = run_gates_in_process(*args[1:], cwd=cwd)
        assert done.returncode in (0, 1), f"{where}: {command}\n{done.stderr}"
        assert "error" not in done.stderr.lower() and done.stdout, f"{where}: {command}\n{done.stderr}"
    elif args[0] == "flake8":
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), os.environ.get("PYTHONPATH", "")])}
        done_flake8 = subprocess.run([sys.executable, "-m", *args], cwd=cwd, capture_output=True,
                                     text=True, timeout=120, env=env)
        assert done_flake8.returncode in (0, 1) and not done_flake8.stderr, f"{where}: {done_flake8.stderr}"
        assert " GT1" in done_flake8.stdout, f"{where}: gates' flake8 plugin reported nothing"
    elif args[:2] == ["python3", "-m"] and args[2] == "pip":
        _check_pip(args[2:])
    elif args[:3] == ["python3", "-m", "pytest"]:
        # This very suite: not run inside itself; its options must exist (-n is pytest-xdist's).
        assert set(args[3:]) <= {"-n", "2", "-q"} and importlib.util.find_spec("xdist"), command
    else:
        pytest.fail(f"{where}: `{command}` is neither run nor checked by this test; run it here "
                    "or show it in a ```text block if it is a template")
