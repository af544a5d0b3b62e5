"""`gates init --from ROADMAP.md` and `gates init` through the real command line."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, Completed, run_gates_process

ROADMAP = (REPO_ROOT / "tests" / "data" / "ROADMAP.md").read_text(encoding="utf-8")


def line_of(text: str, roadmap: str = ROADMAP) -> int:
    """The 1-based line of the roadmap that contains ``text`` (exactly one)."""
    numbers = [i for i, line in enumerate(roadmap.splitlines(), 1) if text in line]
    assert len(numbers) == 1, (text, numbers)
    return numbers[0]


def gates_table(folder: Path) -> dict[str, dict[str, object]]:
    with (folder / "pyproject.toml").open("rb") as handle:
        table: dict[str, dict[str, object]] = tomllib.load(handle)["tool"]["gates"]
    return table


def init(folder: Path, *args: str) -> Completed:
    return run_gates_process("init", *args, cwd=folder)


@pytest.fixture
def roadmap_project(project) -> Path:  # type: ignore[no-untyped-def]
    return project({"ROADMAP.md": ROADMAP, "relay/__init__.py": ""})


def test_realistic_roadmap_becomes_settings_each_quoting_its_line(roadmap_project: Path) -> None:
    done = init(roadmap_project, "--from", "ROADMAP.md")
    assert done.returncode == 0, done.stderr
    table = gates_table(roadmap_project)
    assert table["type-coverage"] == {"fail-under": 60}
    assert table["file-size"] == {"max": 799}  # "<800 lines"
    assert table["function-length"] == {"max": 40}  # the stricter of "< 50 lines" and "no longer than 40"
    assert table["complexity"] == {"max": 12}
    assert table["no-print"] == {"enabled": True}
    assert table["unseeded-rng"] == {"enabled": True}
    assert table["mypy"] == {"enabled": True}
    assert table["bandit"] == {"enabled": True, "severity": "high"}
    # the pytest plugin's session limits: seconds and bytes, as [tool.gates.perf] takes them
    assert table["perf"] == {"max-duration": 29.99, "max-memory": 1199999999, "max-regression": 20}
    text = (roadmap_project / "pyproject.toml").read_text(encoding="utf-8")
    for quote, setting in [
        ("Largest file", "max = 799"), ("Type coverage ≥60%", "fail-under = 60"),
        ("Functions no longer than 40 lines", "max = 40"), ("Mypy passes", "enabled = true"),
    ]:
        number = line_of(quote)
        assert any(
            line.startswith(setting) and f"# ROADMAP.md:{number}: " in line and quote in line
            for line in text.splitlines()
        ), (quote, text)
    # The settings load as `gates check` loads them (an unknown key would be exit 2).
    check = run_gates_process("check", "--select", "GT101", ".", cwd=roadmap_project)
    assert check.returncode == 0, check.stderr


def test_nothing_is_silently_dropped(roadmap_project: Path) -> None:
    # -v: every line not taken, each with why (without it: counts by reason, see test_roadmap_real)
    done = init(roadmap_project, "--from", "ROADMAP.md", "--dry-run", "-v")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    unknown = out.split("not understood")[1]
    for text in ["CI runs on every pull request", "Team trained on new patterns", "Onboarding time",
                 "p95 latency < 200 ms", "Docstring coverage ≥ 90%", "On-call load halved"]:
        assert f"ROADMAP.md:{line_of(text)}  " in unknown, text
    # The pytest plugin's gates are installed with gates: their criteria are set.
    settable = out.split("covered by another line")[0]
    for text in ["Test coverage ≥80%", "Unit tests pass in <30 seconds", "Memory usage <1.2GB",
                 "REGRESSION_THRESHOLD = 1.2"]:
        assert f"ROADMAP.md:{line_of(text)}  " in settable, text
    assert "max-duration = 29.99" in settable and "max-memory = 1199999999" in settable
    covered = out.split("covered by another line")[1]
    assert f"ROADMAP.md:{line_of('All functions < 50 lines')}  " in covered
    assert f"ROADMAP.md:{line_of('Replace print() with logging')}  " in covered
    # Prose stays prose.
    assert "Splitting" not in out and "Most of the prints" not in out
    for number in range(1, len(ROADMAP.splitlines()) + 1):
        text = ROADMAP.splitlines()[number - 1]
        if text.startswith(("- ", "1.", "2.", "3.", "4.", "| Largest", "| Function", "| Cyclomatic", "| Onb")):
            assert f"ROADMAP.md:{number}  " in out, text


def test_dry_run_prints_the_change_and_writes_nothing(project) -> None:  # type: ignore[no-untyped-def]
    folder = project({"ROADMAP.md": "- [ ] Largest file <800 lines\n- [ ] Functions ≤ 50 lines\n",
                      "pyproject.toml": '[project]\nname = "x"\n'})
    before = (folder / "pyproject.toml").read_bytes()
    done = init(folder, "--from", "ROADMAP.md", "--dry-run")
    assert done.returncode == 0, done.stderr
    assert (folder / "pyproject.toml").read_bytes() == before
    assert '+max = 799  # ROADMAP.md:1: "Largest file <800 lines"' in done.stdout
    assert '+max = 50  # ROADMAP.md:2: "Functions ≤ 50 lines"' in done.stdout
    assert "(“<800 lines” is at most 799)" in done.stdout


def test_strict_and_inclusive_bounds_through_the_command(project) -> None:  # type: ignore[no-untyped-def]
    folder = project({"ROADMAP.md": (
        "## Goals\n- Largest file < 800 lines\n- Functions ≤ 50 lines\n"
        "- Type coverage > 80%\n- Complexity under 10\n"
    )})
    done = init(folder, "--from", "ROADMAP.md")
    assert done.returncode == 0, done.stderr
    table = gates_table(folder)
    assert table["file-size"]["max"] == 799
    assert table["function-length"]["max"] == 50
    assert table["type-coverage"]["fail-under"] == 80.01
    assert table["complexity"]["max"] == 9


PYPROJECT = (
    '[build-system]\nrequires = ["setuptools>=61"]   # odd   spacing kept\n\n'
    '[project]\nname = "relay"\ndependencies = [\n    "httpx>=0.27",  # pinned by ops\n]\n\n'
    "# The project's own gates.\n[tool.gates]\nexclude = [\"migrations/\"]  # generated code\n\n"
    "[tool.gates.file-size]\nmax = 799  # agreed in review\n\n"
    '[tool.black]\nline-length = 100\n\n[tool.pytest.ini_options]\naddopts = "-ra"\n'
    "markers = [\n  'slow: slow tests',\n]\n"
)


def _split_around_gates(text: str) -> tuple[str, str]:
    """(everything before the [tool.gates] header, everything from the next table outside it)."""
    start = text.index("[tool.gates]")
    end = text.index("[tool.black]")
    return text[:start], text[end:]


def test_pyproject_is_preserved_byte_for_byte_outside_the_gates_table(project) -> None:  # type: ignore[no-untyped-def]
    folder = project({"ROADMAP.md": ROADMAP, "pyproject.toml": PYPROJECT.encode()})
    done = init(folder, "--from", "ROADMAP.md")
    assert done.returncode == 0, done.stderr
    after = (folder / "pyproject.toml").read_bytes().decode()
    head, tail = _split_around_gates(PYPROJECT)
    assert after.startswith(head) and after.endswith(tail)
    gates_part = after[len(head) : len(after) - len(tail)]
    assert 'exclude = ["migrations/"]  # generated code\n' in gates_part
    assert "max = 799  # agreed in review\n" in gates_part  # the same value: left as it was
    assert gates_part.endswith("\n\n")  # a blank line before [tool.black], as before


def test_a_file_without_gates_settings_only_grows(project) -> None:  # type: ignore[no-untyped-def]
    original = '[project]\nname = "x"  # keep\n\n[tool.black]\nline-length = 88\n'
    folder = project({"ROADMAP.md": "- [ ] Largest file <800 lines\n", "pyproject.toml": original.encode()})
    assert init(folder, "--from", "ROADMAP.md").returncode == 0
    after = (folder / "pyproject.toml").read_text()
    assert after.startswith(original)
    assert after.endswith('max = 799  # ROADMAP.md:1: "Largest file <800 lines"\n')


def test_windows_line_endings_are_kept(project) -> None:  # type: ignore[no-untyped-def]
    original = b'[project]\r\nname = "x"\r\n\r\n[tool.gates]\r\nexclude = []\r\n\r\n[tool.black]\r\nline-length = 88\r\n'
    folder = project({"ROADMAP.md": "- [ ] Largest file <800 lines\n", "pyproject.toml": original})
    assert init(folder, "--from", "ROADMAP.md").returncode == 0
    after = (folder / "pyproject.toml").read_bytes()
    assert b"max = 799" in after
    assert b"\n" not in after.replace(b"\r\n", b"")
    assert after.startswith(original[: original.index(b"[tool.black]")].rstrip(b"\r\n"))
    assert after.endswith(b"\r\n\r\n[tool.black]\r\nline-length = 88\r\n")


def test_a_conflicting_value_is_refused_without_force(project) -> None:  # type: ignore[no-untyped-def]
    original = b"[tool.gates.file-size]\nmax = 900  # legacy\n"
    folder = project({"ROADMAP.md": "- [ ] Largest file <800 lines\n- [ ] No print() calls\n",
                      "pyproject.toml": original})
    refused = init(folder, "--from", "ROADMAP.md")
    assert refused.returncode == 2
    assert (folder / "pyproject.toml").read_bytes() == original  # not even the other setting
    assert refused.stderr.count("\n") == 1 and "--force" in refused.stderr and "pyproject.toml" in refused.stderr
    assert "[tool.gates.file-size] max = 799" in refused.stdout and "pyproject.toml has 900" in refused.stdout
    assert sorted(p.name for p in folder.iterdir()) == ["ROADMAP.md", "pyproject.toml"]  # no temporary file

    forced = init(folder, "--from", "ROADMAP.md", "--force")
    assert forced.returncode == 0, forced.stderr
    assert gates_table(folder) == {"file-size": {"max": 799}, "no-print": {"enabled": True}}
    assert "overwritten" in forced.stdout

    again = init(folder, "--from", "ROADMAP.md")
    assert again.returncode == 0 and "already set" in again.stdout and "nothing to change" in again.stdout


def test_init_without_roadmap_writes_the_defaults_and_prints_the_snippets(project) -> None:  # type: ignore[no-untyped-def]
    folder = project({"app/main.py": "x = 1\n"})
    done = init(folder)
    assert done.returncode == 0, done.stderr
    table = gates_table(folder)
    assert table["function-length"]["max"] == 50
    assert table["file-size"]["max"] == 800
    assert table["type-coverage"]["fail-under"] == 60
    assert table["complexity"]["max"] == 10
    assert table["no-print"]["enabled"] is True and table["unseeded-rng"]["enabled"] is True
    assert "-   id: gates" in done.stdout and "gates-type-coverage" in done.stdout
    assert "pytest" in done.stdout
    assert run_gates_process("check", ".", cwd=folder).returncode == 0


@pytest.mark.parametrize(("files", "args", "message"), [
    ({}, ["--from", "MISSING.md"], "MISSING.md: no such roadmap file"),
    ({"R.md": b"\xff\xfe\x00bad"}, ["--from", "R.md"], "R.md: not UTF-8"),
    ({"R.md": "Just prose, nothing to measure.\n"}, ["--from", "R.md"], "R.md: no criteria found"),
    ({"R.md": "- [ ] Largest file <800 lines\n", "pyproject.toml": "[tool.gates\n"}, ["--from", "R.md"],
     "pyproject.toml: invalid TOML"),
    ({"R.md": "- [ ] Largest file <800 lines\n", "pyproject.toml": "tool = {gates = {}}\n"}, ["--from", "R.md"],
     "is not a [table]"),
])
def test_bad_input_is_one_line_naming_the_file(project, files, args, message) -> None:  # type: ignore[no-untyped-def]
    folder = project({"x.py": "", **files})
    done = init(folder, *args)
    assert done.returncode == 2
    assert message in done.stderr and done.stderr.count("\n") == 1, done.stderr
    assert "Traceback" not in done.stderr


def test_a_gate_table_named_by_its_code_is_the_one_edited(project) -> None:  # type: ignore[no-untyped-def]
    folder = project({"ROADMAP.md": "- [ ] Largest file <800 lines\n",
                      "pyproject.toml": "[tool.gates.GT103]\nmax = 900\n"})
    done = init(folder, "--from", "ROADMAP.md", "--force")
    assert done.returncode == 0, done.stderr
    assert gates_table(folder) == {"GT103": {"max": 799}}
    assert run_gates_process("check", "--select", "GT103", ".", cwd=folder).returncode == 0
