"""How gates describe data another tool wrote: missing, its age, stale."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gates.core.datafile import format_age, inspect_data_file


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(-3, "0 s"), (59, "59 s"), (60, "1 min"), (3599, "59 min"), (3600, "1 h"),
     (2 * 86400 - 1, "47 h"), (2 * 86400, "2 days")],
)
def test_age_is_said_in_the_unit_a_person_thinks_in(seconds: float, text: str) -> None:
    assert format_age(seconds) == text


def test_missing_fresh_and_stale(tmp_path: Path) -> None:
    data, source = tmp_path / ".coverage", tmp_path / "a.py"
    missing = inspect_data_file(data, tmp_path, [source])
    assert not missing.exists and missing.note("run pytest --cov first") == "no .coverage: run pytest --cov first"
    source.write_text("x = 1\n")
    data.write_text("")
    os.utime(source, (1000, 1000))
    os.utime(data, (2000, 2000))
    fresh = inspect_data_file(data, tmp_path, [source, tmp_path / "gone.py"], now=2000 + 7200)
    assert fresh.note("") == "from .coverage, 2 h old" and not fresh.stale
    os.utime(source, (3000, 3000))
    stale = inspect_data_file(data, tmp_path, [source], now=9200)
    assert stale.note("") == "from .coverage, 2 h old; stale: 1 file changed since"
