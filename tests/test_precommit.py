"""The pre-commit hooks: the manifest, its documentation, and the real `pre-commit`.

The tests marked ``slow`` run pre-commit itself in temporary git repositories, as a user
would: a commit with a violation is refused with the finding shown, a clean one passes.

Where the hooks come from: a session-wide git repository holding this working tree as
one commit (tracked and untracked files, minus what .gitignore ignores). try-repo's own
handling of a dirty tree commits staged and modified tracked files only, so a new,
not yet added file (a new checker, this manifest) would silently be missing.

What gets installed, and how often: pre-commit installs gates with pip into a hook
environment. The commit tests share one PRE_COMMIT_HOME for the whole session (and
across pytest-xdist workers), so that happens once. ``pre-commit try-repo`` always
installs into a throwaway store of its own (it ignores PRE_COMMIT_HOME), so each
try-repo call pays one install; the try-repo test is kept to two calls.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from gates.core.registry import available_checkers

REPO_ROOT = Path(__file__).resolve().parent.parent
HOOKS_FILE = REPO_ROOT / ".pre-commit-hooks.yaml"
EXAMPLES = REPO_ROOT / "examples"
_MARKER = re.compile(r"#\s*violation:\s*(GT\d+)")


def manifest() -> list[dict[str, Any]]:
    hooks = yaml.safe_load(HOOKS_FILE.read_text(encoding="utf-8"))
    assert isinstance(hooks, list)
    return hooks


def hook_ids() -> set[str]:
    return {hook["id"] for hook in manifest()}


def readme_section(title: str) -> str:
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"README.md has no '## {title}' section"
    return match.group(1)


# --- the manifest and its documentation ---------------------------------------------


def test_one_hook_per_gate_and_one_for_all_gates() -> None:
    expected = {"gates": "gates check"} | {
        f"gates-{cls.name}": f"gates check --select {cls.code}"
        for cls in available_checkers()
        if not cls.runtime_only  # seeds act while the tests run: nothing for a hook to check
    }
    assert {hook["id"]: hook["entry"] for hook in manifest()} == expected


@pytest.mark.parametrize("hook", manifest(), ids=lambda hook: hook["id"])
def test_every_hook_follows_the_conventions(hook: dict[str, Any]) -> None:
    assert hook["language"] == "python"
    assert hook["types"] == ["python"]
    assert hook["require_serial"] is True  # gates parallelises itself; one summary per gate
    assert hook["name"].startswith("gates") and hook["description"]
    assert "minimum_pre_commit_version" in hook
    assert hook["args"] == ["--"]  # file names after it are never options


def test_the_manifest_is_valid_for_pre_commit() -> None:
    result = run_pre_commit(REPO_ROOT, "validate-manifest", str(HOOKS_FILE))
    assert result.returncode == 0, result.output


def test_every_hook_id_is_documented_in_the_readme() -> None:
    section = readme_section("pre-commit")
    for hook in manifest():
        row = f"| `{hook['id']}` | `{hook['entry']}`"
        assert row in section, f"README.md's pre-commit table lacks: {row} ..."
    documented = set(re.findall(r"^\| `([a-z0-9-]+)` \|", section, re.M))
    assert documented == hook_ids(), "README.md documents hooks that do not exist"


def _yaml_blocks(text: str) -> list[str]:
    return re.findall(r"^```yaml\n(.*?)^```", text, re.M | re.S)


@pytest.mark.parametrize(
    "config",
    [
        pytest.param(EXAMPLES / ".pre-commit-config.yaml", id="examples"),
        pytest.param(None, id="readme-snippet"),
    ],
)
def test_configs_we_ship_are_valid_and_use_only_existing_hooks(
    config: Path | None, tmp_path: Path
) -> None:
    if config is None:
        blocks = _yaml_blocks(readme_section("pre-commit"))
        assert len(blocks) == 1
        config = tmp_path / ".pre-commit-config.yaml"
        config.write_text(blocks[0], encoding="utf-8")
    used = [
        hook["id"]
        for repo in yaml.safe_load(config.read_text(encoding="utf-8"))["repos"]
        for hook in repo["hooks"]
    ]
    assert used and set(used) <= hook_ids(), f"unknown hooks: {set(used) - hook_ids()}"
    result = run_pre_commit(tmp_path, "validate-config", str(config))
    assert result.returncode == 0, result.output


# Not in the example: a project total the fully annotated example passes, and the
# wrapped tools, off by default, whose hooks install the tool.
# Whole-project hooks (and the coverage hook, which needs a test run first) are left out
# of the example, whose commits only show the per-file gates; so are the architecture
# gates, which check nothing until the project writes its rules.
NOT_IN_EXAMPLE = {
    "gates-type-coverage", "gates-flake8", "gates-mypy", "gates-bandit", "gates-coverage", "gates-perf",
    "gates-banned-import", "gates-layers", "gates-import-cycles",
}


def test_the_example_config_runs_one_hook_per_gate() -> None:
    config = yaml.safe_load((EXAMPLES / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    used = {hook["id"] for repo in config["repos"] for hook in repo["hooks"]}
    assert used == hook_ids() - {"gates"} - NOT_IN_EXAMPLE


# --- running the real pre-commit ------------------------------------------------------


@dataclass
class Run:
    returncode: int
    output: str  # stdout and stderr together, as the user sees them


def run_pre_commit(cwd: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    return _run([sys.executable, "-m", "pre_commit", *args], cwd, env)


def run_git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    return _run(["git", *args], cwd, env)


def _run(command: list[str], cwd: Path, env: dict[str, str] | None) -> Run:
    proc = subprocess.run(
        command,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=600,  # a cold pip install of the hook environment
    )
    return Run(proc.returncode, proc.stdout)


def _shared_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's temporary folder; under pytest-xdist, the one all workers share."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def git_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Git and pre-commit isolated from the user's settings, with one shared hook store."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    home = _shared_dir(tmp_path_factory) / "pre-commit-home"
    home.mkdir(exist_ok=True)  # pre-commit locks its store: workers may share it
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(
        PRE_COMMIT_HOME=str(home),
        PRE_COMMIT_COLOR="never",
        NO_COLOR="1",
        GIT_CONFIG_GLOBAL=os.devnull,  # no signing, hooksPath or templates of the user's
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="gates tests",
        GIT_AUTHOR_EMAIL="tests@gates.invalid",
        GIT_COMMITTER_NAME="gates tests",
        GIT_COMMITTER_EMAIL="tests@gates.invalid",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    return env


@dataclass(frozen=True)
class HookRepo:
    path: Path
    rev: str


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory, git_env: dict[str, str]) -> HookRepo:
    """This working tree committed into a repository of its own (see the module docstring)."""
    if not (REPO_ROOT / ".git").exists():
        pytest.skip("the hook tests need a git checkout of gates (not an unpacked sdist)")
    # The user's own git settings (safe.directory) apply to reading this checkout.
    env = {k: v for k, v in os.environ.items() if k not in ("GIT_DIR", "GIT_INDEX_FILE")}
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True,
    )
    assert listed.returncode == 0, listed.stderr
    final = _shared_dir(tmp_path_factory) / "hook-repo"
    if not final.exists():
        build = tmp_path_factory.mktemp("hook-repo-build")
        for name in filter(None, listed.stdout.split("\0")):
            source = REPO_ROOT / name
            if source.is_file():  # skips deleted files and submodules
                (build / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, build / name, follow_symlinks=False)
        for args in (("init", "-q"), ("add", "-A"), ("commit", "-q", "-m", "working tree")):
            assert run_git(build, *args, env=git_env).returncode == 0
        try:
            build.rename(final)
        except OSError:  # another xdist worker got there first: use theirs
            assert final.exists()
    rev = run_git(final, "rev-parse", "HEAD", env=git_env)
    return HookRepo(final, rev.output.strip())


@pytest.fixture
def user_repo(tmp_path: Path, git_env: dict[str, str]) -> Path:
    repo = tmp_path / "project"
    repo.mkdir()
    assert run_git(repo, "init", "-q", env=git_env).returncode == 0
    return repo


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text), encoding="utf-8")


def install_hooks(repo: Path, hooks: HookRepo, ids: list[str], env: dict[str, str]) -> None:
    """The config `pre-commit try-repo` would write, but installed as the git hook."""
    config = {"repos": [{"repo": str(hooks.path), "rev": hooks.rev, "hooks": [{"id": i} for i in ids]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    installed = run_pre_commit(repo, "install", env=env)
    assert installed.returncode == 0, installed.output


def commit(repo: Path, message: str, env: dict[str, str]) -> Run:
    assert run_git(repo, "add", "-A", env=env).returncode == 0
    return run_git(repo, "commit", "-m", message, env=env)


def commit_count(repo: Path, env: dict[str, str]) -> int:
    log = run_git(repo, "rev-list", "--count", "HEAD", env=env)
    return int(log.output) if log.returncode == 0 else 0


def status_line(hook_id: str, status: str) -> re.Pattern[str]:
    name = next(hook["name"] for hook in manifest() if hook["id"] == hook_id)
    return re.compile(rf"^{re.escape(name)}\.+{status}$", re.M)


CLEAN_PROJECT = {
    "pyproject.toml": "[project]\nname = 'shop'\nversion = '1.0'\n\n[tool.gates]\n",
    "shop/__init__.py": "",
    "shop/cli.py": """\
        import logging

        log = logging.getLogger(__name__)


        def main(argv: list[str]) -> int:
            log.info("starting with %s", argv)
            return 0
        """,
    # Tests are not production code: a print here passes every gate.
    "tests/test_cli.py": """\
        from shop.cli import main


        def test_main() -> None:
            print("running main")
            assert main([]) == 0
        """,
}
PRINTING_CLI = """\
    import logging

    log = logging.getLogger(__name__)


    def main(argv: list[str]) -> int:
        print("starting with", argv)
        return 0
    """


@pytest.mark.slow
@pytest.mark.parametrize("hook_id", ["gates", "gates-no-print"])
def test_a_commit_with_a_violation_is_refused_and_a_clean_one_passes(
    hook_id: str, user_repo: Path, hook_repo: HookRepo, git_env: dict[str, str]
) -> None:
    install_hooks(user_repo, hook_repo, [hook_id], git_env)
    write(user_repo, CLEAN_PROJECT)
    clean = commit(user_repo, "clean code", git_env)
    assert clean.returncode == 0, clean.output
    assert status_line(hook_id, "Passed").search(clean.output), clean.output

    write(user_repo, {"shop/cli.py": PRINTING_CLI})
    refused = commit(user_repo, "a print slipped in", git_env)
    assert refused.returncode != 0, refused.output
    assert status_line(hook_id, "Failed").search(refused.output), refused.output
    assert "shop/cli.py:7:5: GT101 print() call in production code" in refused.output
    assert commit_count(user_repo, git_env) == 1


@pytest.mark.slow
def test_the_all_gates_hook_judges_type_coverage_on_the_whole_project(
    user_repo: Path, hook_repo: HookRepo, git_env: dict[str, str]
) -> None:
    """One unannotated helper committed into a well-annotated project passes: GT104 is a
    project figure, measured over every file, not the staged subset ("0.00 % of 3 slots").
    A commit that brings the project under the floor is refused, naming the figure."""
    install_hooks(user_repo, hook_repo, ["gates"], git_env)
    typed = "".join(f"def f{i}(x: int) -> int:\n    return x\n\n\n" for i in range(20))
    write(user_repo, {**CLEAN_PROJECT, "shop/typed.py": typed})
    assert commit(user_repo, "annotated", git_env).returncode == 0
    write(user_repo, {"shop/helper.py": "def helper(x, y):\n    return x + y\n"})
    helper = commit(user_repo, "one unannotated helper", git_env)
    assert helper.returncode == 0, helper.output
    assert status_line("gates", "Passed").search(helper.output), helper.output
    untyped = "".join(f"def g{i}(x):\n    return x\n\n\n" for i in range(40))
    write(user_repo, {"shop/untyped.py": untyped})
    refused = commit(user_repo, "many unannotated functions", git_env)
    assert refused.returncode != 0, refused.output
    assert re.search(r"type-coverage \(GT104\) +FAILED +3\d\.\d\d % of 1\d\d slots", refused.output), refused.output


@pytest.mark.slow
def test_the_coverage_hook_reads_the_data_file_in_its_own_environment(
    user_repo: Path, hook_repo: HookRepo, git_env: dict[str, str]
) -> None:
    """`gates-coverage` needs coverage.py in the hook's environment, which pre-commit builds
    from the manifest alone: without it, the hook could only say "pip install coverage"."""
    install_hooks(user_repo, hook_repo, ["gates-coverage"], git_env)
    write(user_repo, {**CLEAN_PROJECT,
                      "pyproject.toml": CLEAN_PROJECT["pyproject.toml"] + "[tool.gates.coverage]\nfail-under = 90\n"})
    measured = subprocess.run(
        [sys.executable, "-m", "coverage", "run", "--source=shop", "-m", "pytest", "-q", "-p", "no:gates", "tests"],
        cwd=user_repo, env=git_env, capture_output=True, text=True,
    )
    assert measured.returncode == 0, measured.stdout + measured.stderr
    assert run_git(user_repo, "add", "pyproject.toml", "shop", "tests", env=git_env).returncode == 0
    ran = run_pre_commit(user_repo, "run", "gates-coverage", "--all-files", env=git_env)
    assert ran.returncode == 0, ran.output
    assert status_line("gates-coverage", "Passed").search(ran.output), ran.output


@pytest.mark.slow
def test_the_coverage_hook_works_from_try_repo(
    user_repo: Path, hook_repo: HookRepo, git_env: dict[str, str]
) -> None:
    """try-repo builds the hook's environment from the manifest alone, in a store of its
    own: coverage.py must come from `additional_dependencies`, or the hook cannot read
    `.coverage` (issue 15)."""
    write(user_repo, {**CLEAN_PROJECT,
                      "pyproject.toml": CLEAN_PROJECT["pyproject.toml"] + "[tool.gates.coverage]\nfail-under = 99\n",
                      "shop/extra.py": "def unused() -> int:\n    return 1\n"})
    measured = subprocess.run(
        [sys.executable, "-m", "coverage", "run", "--source=shop", "-m", "pytest", "-q", "-p", "no:gates", "tests"],
        cwd=user_repo, env=git_env, capture_output=True, text=True,
    )
    assert measured.returncode == 0, measured.stdout + measured.stderr
    assert run_git(user_repo, "add", "pyproject.toml", "shop", "tests", env=git_env).returncode == 0
    ran = run_pre_commit(user_repo, "try-repo", str(hook_repo.path), "gates-coverage", "--all-files", env=git_env)
    assert ran.returncode == 1, ran.output  # judged: 5 of 7 statements, under the floor of 99 %
    assert status_line("gates-coverage", "Failed").search(ran.output), ran.output
    assert re.search(r"coverage \(GT301\) +FAILED +total 71 ?% < 99 ?%", ran.output), ran.output
    assert "pip install" not in ran.output and "coverage.py is not installed" not in ran.output


@pytest.mark.slow
def test_file_names_that_look_like_options_are_checked_not_obeyed(
    user_repo: Path, hook_repo: HookRepo, git_env: dict[str, str]
) -> None:
    """A committed ``--output=x.py`` must not become ``gates check --output=x.py`` (which
    overwrote it with the report), nor ``-q.py`` a usage error for every hook."""
    install_hooks(user_repo, hook_repo, ["gates", "gates-no-print"], git_env)
    write(user_repo, CLEAN_PROJECT)
    hostile = {"--output=x.py": "VALUE = 1\n", "-q.py": "print('hello')\n"}
    write(user_repo, hostile)
    refused = commit(user_repo, "odd names", git_env)
    assert refused.returncode != 0, refused.output
    assert "-q.py:1:1: GT101 print() call in production code" in refused.output
    assert "usage" not in refused.output
    assert (user_repo / "--output=x.py").read_text(encoding="utf-8") == "VALUE = 1\n"
    assert not (user_repo / "x.py").exists()


@pytest.mark.slow
def test_the_example_config_refuses_each_planted_violation(
    tmp_path: Path, hook_repo: HookRepo, git_env: dict[str, str]
) -> None:
    repo = tmp_path / "examples"
    shutil.copytree(EXAMPLES, repo)
    planted: dict[str, tuple[str, int]] = {}  # code -> (path, line)
    for file in repo.rglob("*.py"):
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            for code in _MARKER.findall(line):
                planted[code] = (file.relative_to(repo).as_posix(), number)
    held_back = tmp_path / "held-back"  # first commit: the clean part of the project only
    planted_files = sorted({path for path, _ in planted.values()})  # GT102 and GT106 share one
    for path in planted_files:
        (held_back / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).rename(held_back / path)
    config = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    ids = [hook["id"] for hook in config["repos"][0]["hooks"]]
    assert run_git(repo, "init", "-q", env=git_env).returncode == 0
    install_hooks(repo, hook_repo, ids, git_env)

    clean = commit(repo, "the clean modules", git_env)
    assert clean.returncode == 0, clean.output
    for hook_id in ids:
        assert status_line(hook_id, "Passed").search(clean.output), clean.output

    for path in planted_files:
        (held_back / path).rename(repo / path)
    refused = commit(repo, "the modules with violations", git_env)
    assert refused.returncode != 0, refused.output
    for hook_id in ids:
        assert status_line(hook_id, "Failed").search(refused.output), refused.output
    for code, (path, line) in planted.items():
        assert re.search(rf"^{re.escape(path)}:{line}:\d+: {code} ", refused.output, re.M), code
    assert commit_count(repo, git_env) == 1


@pytest.mark.slow
def test_try_repo_runs_a_hook_of_this_repository(
    user_repo: Path, hook_repo: HookRepo, git_env: dict[str, str]
) -> None:
    """`pre-commit try-repo <gates> <hook>` on the staged files, as the README says."""
    write(user_repo, {**CLEAN_PROJECT, "shop/cli.py": PRINTING_CLI})
    assert run_git(user_repo, "add", "-A", env=git_env).returncode == 0
    refused = run_pre_commit(user_repo, "try-repo", str(hook_repo.path), "gates-no-print", env=git_env)
    assert refused.returncode == 1, refused.output
    assert status_line("gates-no-print", "Failed").search(refused.output), refused.output
    assert "shop/cli.py:7:5: GT101 print() call in production code" in refused.output

    write(user_repo, {"shop/cli.py": CLEAN_PROJECT["shop/cli.py"]})
    assert run_git(user_repo, "add", "-A", env=git_env).returncode == 0
    passed = run_pre_commit(user_repo, "try-repo", str(hook_repo.path), "gates-no-print", env=git_env)
    assert passed.returncode == 0, passed.output
    assert status_line("gates-no-print", "Passed").search(passed.output), passed.output
    assert run_git(user_repo, "commit", "-q", "-m", "clean", env=git_env).returncode == 0
