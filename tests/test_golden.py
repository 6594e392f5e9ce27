"""Every fixture report parses to its hand-checked expected record (golden files beside it)."""

from __future__ import annotations

import json
from pathlib import Path

import golden
import pytest

FIXTURES = Path(__file__).parent / "fixtures"
REPORTS = sorted(
    p
    for p in FIXTURES.glob("*/*")
    if p.suffix in {".txt", ".md", ".html"} and Path(f"{p}.expected.json").exists()
)


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name)
def test_fixture_matches_golden(path: Path) -> None:
    expected = json.loads(Path(f"{path}.expected.json").read_text(encoding="utf-8"))
    got = json.loads(json.dumps(golden.expected(path), ensure_ascii=False))
    for key in ("agency", "year", "format", "region", "agency_type"):
        assert got[key] == expected[key], key
    for table in ("table2", "table3", "table4"):
        for row, cells in expected[table].items():
            assert got[table][row] == cells, f"{table}.{row}"
        assert set(got[table]) == set(expected[table])
    assert got["problems"] == expected["problems"]


def test_fixture_folder_is_not_empty() -> None:
    assert len(REPORTS) >= 5
