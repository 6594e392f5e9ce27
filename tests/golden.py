"""Rewrite the expected records beside the test fixtures, on purpose only.

    .venv/bin/python tests/golden.py tests/fixtures/reports/003_f5e83598e54ab4ab.txt

Each expected file must then be checked by hand, cell by cell, against its source text
before it is committed: the golden files are the tests' oracle, not the parser's echo.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from gongkai.report import read_report

KEYS = (
    "record_version",
    "agency",
    "year",
    "format",
    "table2",
    "table3",
    "table4",
    "region",
    "agency_type",
)


def expected(path: Path) -> dict:
    record = read_report(path).to_json()
    data = {key: record[key] for key in KEYS}
    data["problems"] = sorted({(p["rule"], p["severity"]) for p in record["problems"]})
    return data


def main(paths: list[str]) -> None:
    for name in paths:
        path = Path(name)
        out = path.with_name(path.name + ".expected.json")
        out.write_text(
            json.dumps(expected(path), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        print(out)


if __name__ == "__main__":
    main(sys.argv[1:])
