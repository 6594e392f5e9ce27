"""The bar of issue #2 on reports nobody hand-tuned the parser for: the synthetic corpus.

Every number the parser emits equals the truth, at least 95 % of the printed cells are
recovered, and the broken rules it finds are exactly those the generator broke.
"""

from __future__ import annotations

import pytest
from make_corpus import generate  # noqa: E402

from gongkai.report import read_report

ARITHMETIC = {"T3-A", "T3-B", "T3-C", "T4-A", "T4-B", "T4-C"}


@pytest.fixture(scope="module")
def parsed():
    return [(report, read_report(report.name, report.data)) for report in generate(400, seed=11)]


def test_no_wrong_number_and_95_percent_recovered(parsed):
    wrong, printed, recovered = [], 0, 0
    for report, record in parsed:
        truth = report.truth
        ambiguous = set(truth.get("ambiguous_cells", []))
        for table in ("table2", "table3", "table4"):
            for row, cells in truth[table].items():
                for col, true in cells.items():
                    got = getattr(record, table).get(row, {}).get(col)
                    path = f"{table}.{row}.{col}"
                    if got is not None and got != true:
                        wrong.append((report.name, path, true, got))
                    if true is not None and path not in ambiguous:
                        printed += 1
                        recovered += got == true
    assert wrong == []
    assert recovered / printed >= 0.95, f"{recovered}/{printed}"


def test_identity_and_broken_rules_match_truth(parsed):
    for report, record in parsed:
        truth = report.truth
        assert (record.agency, record.year, record.format) == (
            truth["agency"],
            truth["year"],
            truth["format"],
        ), report.name
        found = {p.rule for p in record.problems} & ARITHMETIC
        assert found == set(truth["errors"]), report.name
