"""`gates history` on real git repositories with made-up histories: renames, a merge, a
commit that does not parse, a commit without Python files, a config that changes, a
shallow clone. Every figure is checked."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from gates.cli import app

PYPROJECT = "[tool.gates]\n\n[tool.gates.function-length]\nmax = {max}\n"
PRINTS = "def f{i}():\n    print({i})\n"


def git(root: Path, *args: str, day: str = "2026-01-05") -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": f"{day}T12:00:00Z", "GIT_COMMITTER_DATE": f"{day}T12:00:00Z",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True, env=env).stdout


def commit(root: Path, message: str, day: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-qm", message, day=day)


def prints(count: int, start: int = 0) -> str:
    return "".join(PRINTS.format(i=i) for i in range(start, start + count))


def weekly(root: Path, versions: list[str]) -> Path:
    """A repository with one commit a week from 2026-03-02, each writing m.py anew."""
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    for week, text in enumerate(versions):
        (root / "m.py").write_text(text)
        commit(root, f"w{week}", f"2026-03-{2 + 7 * week:02d}")
    return root


def long_function(lines: int) -> str:
    return "def long():\n" + "    x = 1\n" * (lines - 1)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six commits on main, a week apart: no-print 3, 4 (a rename), 6 (a merge), 6 with a
    file that does not parse, 4, 4 (a commit without Python files)."""
    root = tmp_path_factory.mktemp("history") / "repo"
    (root / "pkg").mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    (root / "pyproject.toml").write_text(PYPROJECT.format(max=50))
    (root / "pkg" / "a.py").write_text(prints(3))
    (root / "pkg" / "test_a.py").write_text(prints(5))  # a test: prints allowed
    commit(root, "one", "2026-01-05")
    git(root, "mv", "pkg/a.py", "pkg/b.py")
    (root / "pkg" / "b.py").write_text(prints(4) + long_function(60))
    commit(root, "rename a to b, one more print, a 60-line function", "2026-01-12")
    git(root, "checkout", "-qb", "feature")
    (root / "pkg" / "c.py").write_text(prints(2))
    commit(root, "feature: c", "2026-01-14")
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "--no-ff", "-m", "merge feature", "feature", day="2026-01-19")
    (root / "pkg" / "bad.py").write_text("def broken(:\n")
    (root / "pyproject.toml").write_text(PYPROJECT.format(max=70))
    commit(root, "a broken file; max 70", "2026-01-26")
    (root / "pkg" / "bad.py").unlink()
    (root / "pkg" / "b.py").write_text(prints(2) + long_function(60))
    commit(root, "fix it, fewer prints", "2026-02-02")
    (root / "README.md").write_text("no Python here\n")
    commit(root, "readme", "2026-02-09")
    return root


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = app.main(list(argv), out)
    return code, out.getvalue()


def history_json(root: Path, *extra: str) -> dict[str, Any]:
    code, text = run("history", str(root), *extra, "--format", "json", "--no-cache")
    assert code == 0
    data: dict[str, Any] = json.loads(text)
    return data


def figures(data: dict[str, Any], code: str) -> list[float]:
    return [s["figures"][code]["measured"] for s in data["samples"]]


def test_each_commits_figures(repo: Path) -> None:
    data = history_json(repo)
    assert [s["subject"] for s in data["samples"]] == [
        "one", "rename a to b, one more print, a 60-line function", "merge feature",
        "a broken file; max 70", "fix it, fewer prints", "readme"]
    assert figures(data, "GT101") == [3, 4, 6, 6, 4, 4]
    assert figures(data, "GT100") == [0, 0, 0, 1, 0, 0]
    assert figures(data, "GT102") == [2, 60, 60, 60, 60, 60]
    # The limit of each commit's own config: 60 lines fail max 50, pass max 70.
    passed = [s["figures"]["GT102"]["passed"] for s in data["samples"]]
    assert passed == [True, False, False, True, True, True]
    assert [s["files"] for s in data["samples"]] == [2, 2, 3, 4, 3, 3]
    assert data["config"] == "commit" and data["shallow"] is False


def test_config_now_judges_the_past_by_todays_limits(repo: Path) -> None:
    data = history_json(repo, "--config-now")
    assert [s["figures"]["GT102"]["passed"] for s in data["samples"]] == [True] * 6
    assert data["config"] == "now"


def test_figure_at_head_equals_gates_check(repo: Path) -> None:
    code, text = run("check", str(repo), "--format", "json", "--no-cache", "--exit-zero")
    assert code == 0
    checked = {g["code"]: g["measured"] for g in json.loads(text)["gates"]}
    head = history_json(repo)["samples"][-1]["figures"]
    assert {c: f["measured"] for c, f in head.items()} == checked


def test_head_equals_gates_check_on_this_repository() -> None:
    here = Path(__file__).resolve().parents[1]
    if not (here / ".git").exists():
        pytest.skip("not a git checkout")
    code, text = run("check", str(here), "--format", "json", "--no-cache", "--exit-zero")
    checked = {g["code"]: g["measured"] for g in json.loads(text)["gates"]}
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "*.py", "pyproject.toml"], cwd=here,
                           capture_output=True, text=True).stdout
    if dirty.strip():
        pytest.skip("uncommitted Python changes: HEAD is not the working tree")
    head = history_json(here, "--commits", "1")["samples"][-1]["figures"]
    assert {c: f["measured"] for c, f in head.items()} == checked


def test_weekly_sampling_and_a_range(repo: Path) -> None:
    data = history_json(repo, "--every", "week")
    # The feature commit (2026-01-14) is not on the main line; one commit a week remains.
    assert len(data["samples"]) == 6
    ranged = history_json(repo, "HEAD~2..HEAD")
    assert [s["subject"] for s in ranged["samples"]] == ["fix it, fewer prints", "readme"]
    assert figures(ranged, "GT101") == [4, 4]


def test_shallow_clone_says_how_far_back_it_saw(repo: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{repo}", str(clone)], check=True)
    code, text = run("history", str(clone), "--no-cache")
    assert code == 0
    assert "shallow clone: history seen back to 2026-02-02" in text
    data = history_json(clone)
    assert data["shallow"] is True and figures(data, "GT101") == [4, 4]


def test_forecast_of_a_falling_count(tmp_path: Path) -> None:
    root = weekly(tmp_path / "r", [prints(count) for count in (20, 18, 16, 14)])
    code, text = run("history", str(root), "--no-cache")
    assert "no-print: 14 prints → 0 prints by 2026-05-11 at −2.0 a week" in text
    flat = weekly(tmp_path / "flat", [prints(5) + f"# {week}\n" for week in range(3)])
    assert "no-print: 5 prints → 0 prints: not reached, the trend is flat" in run("history", str(flat), "--no-cache")[1]


def test_roadmap_date_holds_or_not(tmp_path: Path) -> None:
    root = weekly(tmp_path / "r", [prints(count) for count in (20, 18, 16, 14)])
    roadmap = tmp_path / "ROADMAP.md"
    roadmap.write_text("## Criteria\n- no print statements in production code by 2026-04-30\n")
    text = run("history", str(root), "--no-cache", "--roadmap", str(roadmap))[1]
    assert "by 2026-05-11" in text and "roadmap 2026-04-30" in text and "will not hold" in text


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.svgs = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in {"meta", "br", "circle", "line", "polyline"}:
            self.stack.append(tag)
        self.svgs += tag == "svg"

    def handle_endtag(self, tag: str) -> None:
        if tag in {"circle", "line", "polyline"}:
            return
        assert self.stack and self.stack.pop() == tag, tag


def test_html_page_is_well_formed_with_valid_svg(repo: Path, tmp_path: Path) -> None:
    page = tmp_path / "history.html"
    assert run("history", str(repo), "--format", "html", "-o", str(page), "--no-cache")[0] == 0
    text = page.read_text()
    parser = _Tags()
    parser.feed(text)
    assert parser.stack == [] and parser.svgs == 7
    svgs = text.split("<svg")[1:]
    for part in svgs:
        root = ET.fromstring("<svg" + part.split("</svg>")[0] + "</svg>")
        circles = root.findall("{http://www.w3.org/2000/svg}circle")
        assert len(circles) == 6
        title = circles[0].find("{http://www.w3.org/2000/svg}title")
        assert title is not None and (title.text or "").startswith(git(repo, "rev-list", "--max-parents=0", "HEAD")[:8])
    assert "http" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_csv_markdown_and_perf(repo: Path, tmp_path: Path) -> None:
    rows = list(csv.reader(io.StringIO(run("history", str(repo), "--format", "csv", "--no-cache")[1])))
    assert rows[0][:3] == ["commit", "date", "syntax"] and len(rows) == 7
    assert [r[3] for r in rows[1:]] == ["3.0", "4.0", "6.0", "6.0", "4.0", "4.0"]
    markdown = run("history", str(repo), "--format", "markdown", "--no-cache")[1]
    assert "| no-print |" in markdown and "| 3 prints | 4 prints |" in markdown


def test_perf_baselines_over_the_commits_that_changed_them(tmp_path: Path) -> None:
    root = tmp_path / "r"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    for week, median in enumerate([1.0, 1.25]):
        data: dict[str, Any] = {"version": 1, "benchmarks": {"test_x::fast": {"median": median, "runs": [[median]]}}}
        (root / ".performance_baselines.json").write_text(json.dumps(data))
        (root / "m.py").write_text(f"X = {week}\n")
        commit(root, f"w{week}", f"2026-03-{2 + 7 * week:02d}")
    data = history_json(root)
    assert [p["median"] for p in data["perf"]["test_x::fast"]] == [1.0, 1.25]


def test_cache_is_used_the_second_time(repo: Path) -> None:
    first = json.loads(run("history", str(repo), "--format", "json")[1])
    second = json.loads(run("history", str(repo), "--format", "json")[1])
    assert second["analysed"] == 0 and second["samples"] == first["samples"]


def test_bad_range_is_a_usage_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("history", str(repo), "nosuchbranch..HEAD")[0] == 2
    assert "gates: error: git log" in capsys.readouterr().err


def test_gates_check_is_warm_after_history(repo: Path) -> None:
    """The newest commit's results fill gates check's own cache (the checkout is at HEAD)."""
    run("history", str(repo), "--format", "json")
    stored = next((repo / ".gates_cache").glob("results-*.json")).read_text()
    assert '"pkg/b.py"' in stored and '"pkg/c.py"' in stored and '"pkg/test_a.py"' in stored


def test_a_past_config_it_cannot_read_is_replaced_with_a_note(tmp_path: Path) -> None:
    root = tmp_path / "r"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "pyproject.toml").write_text("[tool.gates]\n[tool.gates.no-such-gate]\nmax = 1\n")
    (root / "m.py").write_text(prints(2))
    commit(root, "a gate this version does not know", "2026-03-02")
    (root / "pyproject.toml").write_text("[tool.gates]\n")
    commit(root, "fixed", "2026-03-09")
    data = history_json(root)
    assert figures(data, "GT101") == [2, 2]
    assert [s["config"] for s in data["samples"]] == ["now", "commit"]
    assert len(data["notes"]) == 1 and "unknown gate 'no-such-gate'" in data["notes"][0]
