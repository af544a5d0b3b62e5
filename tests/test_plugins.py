"""A third party adds a checker by packaging one class under `gates.checkers`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

PLUGIN = '''
from __future__ import annotations

import ast
from gates.core.checker import Checker, Example


class NoTodoChecker(Checker):
    name = "no-todo-functions"
    code = "XT001"
    description = "no function named todo"
    rationale = "Unfinished work does not ship."
    examples = (Example("def todo():\\n    pass\\n", fails_at=(1,)), Example("def done():\\n    pass\\n"))

    def check(self, source):
        for node in ast.walk(source.tree):
            if isinstance(node, ast.FunctionDef) and node.name == "todo":
                yield self.finding(source, node, "function named todo", symbol=node.name)
'''


def install_plugin(site: Path) -> None:
    """A real installed distribution: a module plus its dist-info with entry points."""
    (site / "gates_todo.py").write_text(PLUGIN)
    info = site / "gates_todo-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: gates-todo\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        "[gates.checkers]\nno-todo-functions = gates_todo:NoTodoChecker\n"
    )


def run(args: list[str], cwd: Path, site: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "gates", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_third_party_checker_runs_lists_explains_and_is_configurable(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    install_plugin(site)
    root = tmp_path / "proj"
    root.mkdir()
    (root / "m.py").write_text(textwrap.dedent("""\
        def todo() -> None:
            pass

        def later() -> None:  # gates: ignore[XT001]
            pass
    """))
    result = run(["check", "--format", "json"], root, site)
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    assert [(f["code"], f["line"]) for f in data["findings"]] == [("XT001", 1)]
    assert "XT001" in run(["list"], root, site).stdout
    assert run(["explain", "XT001"], root, site).stdout.startswith("XT001 no-todo-functions:")
    (root / "pyproject.toml").write_text("[tool.gates.no-todo-functions]\nenabled = false\n")
    assert run(["check"], root, site).returncode == 0


def test_broken_plugin_is_a_one_line_error(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    install_plugin(site)
    (site / "gates_todo.py").write_text("raise ImportError('missing dependency foo')\n")
    result = run(["check", "."], tmp_path, site)
    assert result.returncode == 2
    assert "checker plugin 'no-todo-functions'" in result.stderr
    assert "missing dependency foo" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_checker_that_crashes_on_a_file_gives_a_finding_not_a_traceback(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    install_plugin(site)
    source = (site / "gates_todo.py").read_text()
    (site / "gates_todo.py").write_text(source.replace(
        "for node in ast.walk(source.tree):", "if 'boom' in source.text:\n            raise KeyError('boom')\n        for node in ast.walk(source.tree):"))
    root = tmp_path / "proj"
    root.mkdir()
    (root / "a.py").write_text("boom = 1\n")
    (root / "b.py").write_text("def todo():\n    pass\n")
    result = run(["check", "--format", "json", "--select", "XT001"], root, site)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert [(f["path"], f["line"]) for f in findings] == [("a.py", 1), ("b.py", 1)]
    assert "could not be checked: KeyError" in findings[0]["message"]


def test_entry_points_read_from_the_folders_are_importlib_metadatas(tmp_path: Path) -> None:
    """gates reads entry_points.txt itself (no importlib.metadata at start-up): the same
    entry points, first distribution of a name winning, on this environment's path plus a
    plugin shadowed by an earlier copy of itself; a zip file on the path falls back."""
    import importlib.metadata
    import zipfile

    from gates.core import registry

    early, late = tmp_path / "early", tmp_path / "late"
    for site in (early, late):
        site.mkdir()
        install_plugin(site)
    (late / "gates_todo-1.0.dist-info" / "entry_points.txt").write_text("[gates.checkers]\nshadowed = x:y\n")
    path = (str(early), str(late), *sys.path)
    ours = registry._scan(path)
    assert ours is not None
    theirs = importlib.metadata.distributions(path=list(path))
    expected: set[tuple[str, str, str]] = set()
    names: set[str] = set()
    for dist in theirs:
        name = registry._normalized(dist.metadata["Name"] or "")
        if name not in names:
            names.add(name)
            expected |= {(e.name, e.value, e.group) for e in dist.entry_points}
    assert set(ours) == expected
    assert ("no-todo-functions", "gates_todo:NoTodoChecker", "gates.checkers") in set(ours)
    archive = tmp_path / "plugins.zip"
    zipfile.ZipFile(archive, "w").close()
    assert registry._scan((str(archive), *path)) is None


def test_the_built_in_index_is_what_the_classes_say() -> None:
    # gates.checkers.BUILT_IN lets a run import only the checkers it uses: every built-in
    # entry point is in it, with its class's own code and default.
    from gates.checkers import BUILT_IN
    from gates.core.registry import GROUP, checker_index, plugins

    built_in = [entry for entry in plugins(GROUP) if entry.value.startswith("gates.checkers.")]
    assert sorted(entry.value for entry in built_in) == sorted(BUILT_IN)
    for info in checker_index():
        cls = info.load()
        assert (info.code, info.name, info.enabled_by_default) == (cls.code, cls.name, cls.enabled_by_default)


def test_a_default_run_imports_only_the_checkers_it_uses(tmp_path: Path) -> None:
    # Start-up: the ten gates that are off until configured are not imported by a run
    # that does not configure them; configuring one loads it (its options are validated).
    (tmp_path / "a.py").write_text("x = 1\n")
    probe = ("import sys\nfrom gates.cli import main\ncode = main(['check', 'a.py', '-q', '--no-cache'])\n"
             "print(code, sorted(m.rpartition('.')[2] for m in sys.modules if m.startswith('gates.checkers.')))")
    shown = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert shown.stdout.split("\n")[-2] == ("0 ['complexity', 'file_size', 'function_length', 'no_print', 'syntax', "
                                            "'type_coverage', 'unseeded_rng']")
    (tmp_path / "pyproject.toml").write_text("[tool.gates.bandit]\nseverity = 'loud'\n")
    broken = subprocess.run([sys.executable, "-m", "gates", "check", "-q"], cwd=tmp_path, capture_output=True,
                            text=True)
    assert broken.returncode == 2 and "tool.gates.bandit" in broken.stderr, broken.stderr
