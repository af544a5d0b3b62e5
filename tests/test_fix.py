"""`gates fix`: each gate's before/after examples (the ones `gates explain` shows), and the
command on a made-up project with its own tests, from the user's side."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from gates.cli import main
from gates.core.checker import Checker, FixExample
from gates.core.registry import available_checkers
from gates.fix.run import fix_snippet

CASES = [pytest.param(cls, fix, id=f"{cls.code}-{index}")
         for cls in available_checkers() for index, fix in enumerate(cls.fix_examples)]


@pytest.mark.parametrize(("cls", "fix"), CASES)
def test_each_fix_example_is_what_gates_fix_does(cls: type[Checker], fix: FixExample) -> None:
    result = fix_snippet(cls(), fix.before, unsafe=fix.unsafe)
    assert (result.fixed or result.original).decode() == fix.after
    again = fix_snippet(cls(), fix.after, unsafe=fix.unsafe)
    assert again.fixed is None  # running twice changes nothing
    if fix.after == fix.before:
        assert result.notes or cls.code == "GT104"  # a print left alone is listed


def test_explain_shows_the_fix_examples() -> None:
    out = io.StringIO()
    assert main(["explain", "GT101"], out=out) == 0
    assert 'logger.info("hello %s", name)' in out.getvalue()


PROJECT = {
    "pyproject.toml": '[project]\nname = "shop"\n[project.scripts]\nshop = "shop.cli:main"\n'
                      '[tool.gates.fix]\nstderr-level = "warning"\n',
    "shop/__init__.py": "",
    "shop/cart.py": '''\
        """A cart."""
        import sys


        def add(items, name, count=1):
            print("adding", count, name)  # keep this comment
            if count < 0:
                print(f"bad count {count!r}", file=sys.stderr)
                return
            items[name] = items.get(name, 0) + count


        def total(items):
            print("total:", sum(items.values()), sep=" ")
            return sum(items.values())


        def dots():
            print(".", end="")
        ''',
    "shop/cli.py": '''\
        def main():
            print("usage: shop ITEM")


        if __name__ == "__main__":
            main()
        ''',
    "shop/broken.py": "def f(:\n    print('x')\n",
    "tests/test_cart.py": '''\
        from shop.cart import add, total


        def test_add():
            items = {}
            add(items, "pear", 2)
            add(items, "pear", -1)
            assert total(items) == 2
        ''',
}


@pytest.fixture()
def shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, text in PROJECT.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _gates(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(args), out=out), out.getvalue()


def _own_tests(root: Path) -> int:
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"], cwd=root,
                          capture_output=True, text=True, timeout=120)
    return done.returncode


def test_fix_on_a_project(shop: Path) -> None:
    assert _own_tests(shop) == 0
    before = {p: p.read_bytes() for p in shop.rglob("*.py")}
    code, diff = _gates("fix", "--diff", "--select", "GT101")
    assert code == 1 and '+    logger.info("adding %s %s", count, name)  # keep this comment' in diff
    assert {p: p.read_bytes() for p in shop.rglob("*.py")} == before  # --diff writes nothing

    code, out = _gates("fix", "--select", "GT101")
    assert code == 0
    cart = (shop / "shop/cart.py").read_text()
    assert 'logger.warning("bad count %r", count)' in cart and 'logger.info("total: %s", sum(' in cart
    assert "shop/cli.py:2:5: GT101 left alone: program output (in main(), a console script" in out
    assert "shop/cart.py:19:5: GT101 not fixed: end=" in out
    assert "shop/broken.py:1:7: not touched" in out
    assert "GT101 no-print: 5 prints before, 2 prints after" in out
    assert (shop / "shop/broken.py").read_bytes() == before[shop / "shop/broken.py"]
    for path in shop.rglob("*.py"):
        if path.name != "broken.py":
            compile(path.read_bytes(), str(path), "exec")
    _, check = _gates("check", "--select", "GT101", "--no-cache", "shop/cart.py", "shop/cli.py")
    assert sorted(line.split(" ")[0] for line in check.splitlines() if "GT101 " in line) == [
        "shop/cart.py:22:5:", "shop/cli.py:2:5:"]
    assert _own_tests(shop) == 0
    assert _gates("fix", "--diff", "--select", "GT101")[0] == 0  # twice: nothing left to change


def test_gt104_figure_rises(shop: Path) -> None:
    code, out = _gates("fix", "--select", "GT104", "shop/cart.py")
    assert code == 0 and "GT104 type-coverage: 0.00 % before (0 of 7 slots), 28.57 % after (2 of 7 slots)" in out
    assert "def add(items, name, count=1) -> None:" in (shop / "shop/cart.py").read_text()
    _gates("fix", "--select", "GT104", "--unsafe", "shop/cart.py")
    assert "def add(items, name, count: int = 1) -> None:" in (shop / "shop/cart.py").read_text()


def test_line_endings_and_permissions_are_kept(shop: Path) -> None:
    script = shop / "shop/tool.py"
    script.write_bytes(b"#!/usr/bin/env python3\r\ndef run(x):\r\n    print(x)\r\n")
    script.chmod(0o755)
    assert _gates("fix", "shop/tool.py")[0] == 0
    assert script.read_bytes() == (b"#!/usr/bin/env python3\r\nimport logging\r\n\r\nlogger = logging.getLogger"
                                   b"(__name__)\r\n\r\n\r\ndef run(x) -> None:\r\n    logger.info(\"%s\", x)\r\n")
    assert script.stat().st_mode & 0o777 == 0o755


def test_usage_errors(shop: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert _gates("fix", "--select", "GT102")[0] == 2
    (shop / "pyproject.toml").write_text('[tool.gates.fix]\nstderr-level = "loud"\n')
    assert _gates("fix")[0] == 2
    assert "stderr-level = 'loud': expected one of debug" in capsys.readouterr().err
    (shop / "pyproject.toml").write_text('[tool.gates.fix]\nstderr-level = "warning"\n')
    assert _gates("check", "--select", "GT101", "shop/cli.py")[0] == 1  # the table is no gate: no error
    import importlib.util

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    assert _gates("fix")[0] == 2
    assert "gates fix needs libcst: pip install 'gates[fix]'" in capsys.readouterr().err


def test_shadowed_print_and_existing_logger() -> None:
    from gates.checkers.no_print import NoPrintChecker

    code = ("import logging\n\nlog = logging.getLogger('shop')\n\n\ndef f(print):\n    print('x')\n\n\n"
            "def g(x):\n    print(x)\n")
    fixed = fix_snippet(NoPrintChecker(), code).fixed
    assert fixed is not None and fixed.decode() == code.replace("    print(x)", '    log.info("%s", x)')


@pytest.mark.parametrize(("line", "logged"), [
    ('print("100%", done)', 'logger.info("100%% %s", done)'),
    ('print("100%")', 'logger.info("100%")'),
    ("print()", 'logger.info("")'),
    ('print(f"{done:>3}", sep="")', 'logger.info("%s", f"{done:>3}")'),
    ("print(done, sep=None, end=None, file=None)", 'logger.info("%s", done)'),
])
def test_print_forms(line: str, logged: str) -> None:
    from gates.checkers.no_print import NoPrintChecker

    fixed = fix_snippet(NoPrintChecker(), f"def f(done):\n    {line}\n").fixed
    assert fixed is not None and fixed.decode().endswith(f"\n    {logged}\n")


def test_unsafe_logs_program_output_too() -> None:
    from gates.checkers.no_print import NoPrintChecker

    code = 'if __name__ == "__main__":\n    print("hi")\n'
    assert fix_snippet(NoPrintChecker(), code).fixed is None
    fixed = fix_snippet(NoPrintChecker(), code, unsafe=True).fixed
    assert fixed is not None and 'logger.info("hi")' in fixed.decode()


def test_no_other_command_imports_libcst(shop: Path) -> None:
    script = ("import sys; from gates.cli import main; main(['check', '--select', 'GT101', '.']); "
              "main(['explain', 'GT101']); sys.stderr.write(str('libcst' in sys.modules))")
    done = subprocess.run([sys.executable, "-c", script], cwd=shop, capture_output=True, text=True, timeout=120,
                          env={**__import__("os").environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    assert done.stderr.endswith("False"), done.stderr
