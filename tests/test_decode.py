"""gongkai.parse.decode: digit runs of flattened tables, split with the whole table's arithmetic.

The rule under test everywhere: a published cell is the number the report printed there,
never a guess; blanks and lost rows are never filled; a misprint does not steer a split.
"""

from __future__ import annotations

import random

import pytest
from bench_decode import print_table3, print_table4  # scripts/, the benchmark's generator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai import layout
from gongkai.parse import decode
from gongkai.parse.decode import (
    DECODED,
    PRINTED,
    RowInput,
    decode_table2_row,
    decode_table3,
    decode_table4,
)

F2021 = [r.key for r in layout.TABLE3_ROWS["F2021"]]
F2019 = [r.key for r in layout.TABLE3_ROWS["F2019"]]


def whole_table(fmt: str, rows: dict[str, list[int]]) -> dict[str, list[int]]:
    """A 表三 whose arithmetic holds: the given result rows (others 0), 一 and 二 given, the
    totals and 四 computed."""
    table = {r.key: [0] * 7 for r in layout.TABLE3_ROWS[fmt]}
    table.update({k: list(v) for k, v in rows.items()})
    result = layout.TABLE3_RESULT_ROWS[fmt]
    table["total_processed"] = [sum(table[k][j] for k in result) for j in range(7)]
    table["carried_forward"] = [
        table["new_received"][j] + table["carried_over"][j] - table["total_processed"][j]
        for j in range(7)
    ]
    for key, cells in table.items():
        assert cells[6] == sum(cells[:6]) and min(cells) >= 0, key
    return table


def glued(table: dict[str, list[int | None]], **printed: tuple[str, ...]) -> list[RowInput]:
    """Every row's digits run together, except rows given as printed tokens (stray spaces)."""
    rows = []
    for key, cells in table.items():
        tokens = printed.get(key.replace(".", "__"), ("".join(str(c) for c in cells),))
        rows.append(RowInput(key, tokens, False))
    return rows


SMALL_2021 = {
    "new_received": [64, 0, 0, 2, 0, 4, 70],
    "carried_over": [3, 0, 0, 0, 0, 0, 3],
    "granted": [30, 0, 0, 1, 0, 2, 33],
    "partial": [5, 0, 0, 0, 0, 0, 5],
    "denied.third_party": [2, 0, 0, 0, 0, 0, 2],
    "unable.not_held": [20, 0, 0, 1, 0, 1, 22],
    "unable.unclear_after_correction": [1, 0, 0, 0, 0, 0, 1],
    "not_processed.petition_complaint": [3, 0, 0, 0, 0, 0, 3],
    "not_processed.repeat": [1, 0, 0, 0, 0, 0, 1],
    "other.no_correction": [1, 0, 0, 0, 0, 0, 1],
}


def test_a_whole_flattened_f2021_table_is_decoded():
    table = whole_table("F2021", SMALL_2021)
    assert table["total_processed"] == [63, 0, 0, 2, 0, 3, 68]
    # "（七）总计63 0 02 0 368": spaces that are not separators
    out = decode_table3(glued(table, total_processed=("63", "0", "02", "0", "368")), "F2021")
    assert out.consistent and not out.exhausted
    assert out.values() == table
    # 一、本年新收政府信息公开申请数量640020470 → 64,0,0,2,0,4,70, chosen by the arithmetic
    assert {c.how for c in out.cells["new_received"]} == {DECODED}
    # 0000000 is seven zeros without any choice
    assert {c.how for c in out.cells["denied.state_secret"]} == {PRINTED}
    assert out.work < 5_000


def test_a_whole_flattened_f2019_table_is_decoded():
    table = whole_table(
        "F2019",
        {
            "new_received": [23, 0, 0, 0, 0, 0, 23],
            "carried_over": [1, 0, 0, 0, 0, 0, 1],
            "granted": [12, 0, 0, 0, 0, 0, 12],
            "partial": [1, 0, 0, 0, 0, 0, 1],
            "unable.not_held": [8, 0, 0, 0, 0, 0, 8],
            "not_processed.repeat": [1, 0, 0, 0, 0, 0, 1],
            "other": [1, 0, 0, 0, 0, 0, 1],
        },
    )
    assert table["total_processed"] == [23, 0, 0, 0, 0, 0, 23]
    # "（七）总计23 0 00 0 023" (the example: 23,0,0,0,0,0,23)
    out = decode_table3(glued(table, total_processed=("23", "0", "00", "0", "023")), "F2019")
    assert out.values() == table
    assert out.values()["total_processed"] == [23, 0, 0, 0, 0, 0, 23]
    assert out.cells["total_processed"][0].how == DECODED
    assert out.cells["total_processed"][2].how == PRINTED  # 0 in every split


def test_a_row_alone_is_not_decoded_by_its_own_total():
    """Split by its own total only, 640020470 reads 64,0,0,2,0,4,70; but a misprinted total
    would make another split fit as well, so alone it is not published."""
    out = decode_table3([RowInput("new_received", ("640020470",), False)], "F2021")
    row = out.cells["new_received"]
    assert all(c.value is None for c in row)
    assert {c.why for c in row} == {"fragile"}
    assert all(c.why == "absent" for c in out.cells["granted"])


def test_a_misprinted_total_does_not_steer_a_split():
    """The report meant 0,5,20,3,5,0 with a total of 33 and printed 42: 052035042. The only
    split that adds up is 0,5,2,0,35,0,42 — five wrong numbers."""
    alone = decode_table3([RowInput("granted", ("052035042",), False)], "F2021")
    assert alone.consistent  # the row's own arithmetic accepts the wrong split …
    # … so nothing that needed it is published (the leading 0 is a cell of its own anyway)
    assert [c.value for c in alone.cells["granted"]] == [0] + [None] * 6
    assert {c.why for c in alone.cells["granted"][1:]} == {"fragile"}
    # In the whole table the column sums expose the misprint: nothing decoded, printed cells stay.
    table = whole_table(
        "F2021",
        {
            **SMALL_2021,
            "granted": [0, 5, 20, 3, 5, 0, 33],
            "new_received": [34, 5, 20, 5, 5, 4, 73],
        },
    )
    printed = {k: list(v) for k, v in table.items()}
    printed["granted"][6] = 42
    out = decode_table3(glued(printed), "F2021")
    assert not out.consistent
    for key, row in out.cells.items():
        for j, cell in enumerate(row):
            assert cell.value in (None, printed[key][j])
            assert cell.how != DECODED
    assert {c.why for c in out.cells["granted"] if c.value is None} == {"inconsistent"}


def test_a_misprint_elsewhere_leaves_the_affected_cells_null():
    table = whole_table("F2021", SMALL_2021)
    printed = {k: list(v) for k, v in table.items()}
    printed["total_processed"][6] = 69  # the report's own error: 63+2+3 is 68
    out = decode_table3(glued(printed), "F2021")
    assert not out.consistent
    for key, row in out.cells.items():
        for j, cell in enumerate(row):
            assert cell.value in (None, printed[key][j]), (key, j)
    assert out.values()["denied.state_secret"] == [0] * 7  # printed: no choice involved


def test_fewer_digits_than_cells_is_never_filled():
    table = whole_table("F2021", SMALL_2021)
    rows = [r for r in glued(table) if r.key != "partial"]
    rows.append(RowInput("partial", ("50005",), False))  # five digits for seven cells
    out = decode_table3(rows, "F2021")
    assert [c.value for c in out.cells["partial"]] == [None] * 7
    assert {c.why for c in out.cells["partial"]} == {"too_few_digits"}
    # that row constrains nothing; what the rest of the table settles is still right
    for key, row in out.cells.items():
        for j, cell in enumerate(row):
            assert cell.value in (None, table[key][j])


def test_blank_cells_and_lost_rows_stay_null():
    table = whole_table("F2021", SMALL_2021)
    rows = [r for r in glued(table) if r.key not in ("granted", "carried_forward")]
    rows.append(RowInput("granted", ("30", "", "", "1", "", "2", "33"), True))  # delimited
    out = decode_table3(rows, "F2021")
    assert [c.value for c in out.cells["granted"]] == [30, None, None, 1, None, 2, 33]
    assert out.cells["granted"][1].why == "blank"
    assert {c.why for c in out.cells["carried_forward"]} == {"absent"}
    for key, row in out.cells.items():
        for j, cell in enumerate(row):
            assert cell.value in (None, table[key][j])


def test_cells_read_with_certainty_and_delimited_runs():
    table = whole_table(
        "F2021",
        {
            **SMALL_2021,
            "granted": [1030, 0, 0, 1, 0, 2, 1033],
            "new_received": [1064, 0, 0, 2, 0, 4, 1070],
        },
    )
    tokens = {
        "granted": ("1,030", 0, "0102", "1033"),  # a separated number, an int, a short run
    }
    rows = [
        RowInput(k, tokens[k], True) if k in tokens else RowInput(k, ("".join(map(str, v)),), False)
        for k, v in table.items()
    ]
    out = decode_table3(rows, "F2021")
    assert out.values()["granted"] == [1030, 0, 0, 1, 0, 2, 1033]
    assert out.values() == table


def test_table4_one_run_of_fifteen_cells():
    out = decode_table4(("10203120001200000",), False)
    values = out.values()
    # 行政复议 1,0,2,0,3 and 复议后起诉 all 0 are settled. 未经复议直接起诉 reads 12,0,0,0,12 when all
    # three totals hold, but 1,20,0,0,12 (its 总计 misprinted) prints the same digits: not published.
    assert values["review"] == [1, 0, 2, 0, 3]
    assert values["lit_after_review"] == [0, 0, 0, 0, 0]
    assert values["lit_direct"] == [None, None, 0, None, None]
    assert {c.why for c in out.cells["lit_direct"] if c.value is None} == {"fragile"}
    spaced = decode_table4(("1", "0", "2", "0", "3", "12", "0", "0", "0", "12", *["0"] * 5), True)
    assert spaced.values()["lit_direct"] == [12, 0, 0, 0, 12]  # delimited: printed
    assert decode_table4(("000000000000000",), False).values()["review"] == [0] * 5


def test_table4_group_boundaries_decoded_by_arithmetic():
    # 3,1,0,2,6 | 3,3,1,0,7 | 0,0,0,12,12: 17 digits for 15 cells
    out = decode_table4(("31026331070001212",), False)
    assert out.values() == {
        "review": [3, 1, 0, 2, 6],
        "lit_direct": [3, 3, 1, 0, 7],
        "lit_after_review": [0, 0, 0, None, None],  # 12,12 or (a misprinted 总计) 1,212 …
    }
    assert out.cells["review"][0].how == DECODED  # where the groups meet: arithmetic chose


def test_table2_rows_have_no_arithmetic():
    assert [c.value for c in decode_table2_row(("693665",), 3)] == [None, None, None]
    assert {c.why for c in decode_table2_row(("693665",), 3)} == {"ambiguous"}
    assert [c.value for c in decode_table2_row(("000",), 3)] == [0, 0, 0]
    assert [c.how for c in decode_table2_row(("000",), 3)] == [PRINTED] * 3
    assert [c.value for c in decode_table2_row(("1003",), 3)] == [10, 0, 3]  # no 03, no 00
    assert [c.value for c in decode_table2_row(("0693",), 3)] == [0, None, None]
    assert [c.value for c in decode_table2_row(("12",), 3)] == [None, None, None]


def test_hostile_runs_exhaust_the_budget_and_publish_nothing_that_needed_a_choice():
    rows = [RowInput(k, ("123456789" * 4,), False) for k in F2021]
    out = decode_table3(rows, "F2021", budget=20_000)
    assert out.exhausted and not out.consistent
    assert all(c.value is None for row in out.cells.values() for c in row)
    assert out.work <= 20_000 + sum(36 for _ in F2021) + 1
    assert decode_table3(rows[:1], "F2021", budget=10).exhausted
    too_long = decode_table3([RowInput("granted", ("1" * 61,), False)], "F2021")
    assert {c.why for c in too_long.cells["granted"]} == {"too_long"}
    megabytes = decode_table3([RowInput("granted", ("1" * 2_000_000,), False)], "F2021")
    assert {c.why for c in megabytes.cells["granted"]} == {"too_long"}
    assert decode._cached_row.cache_info().currsize < 5000  # never kept
    tokens = tuple("0" for _ in range(100_000))
    assert {c.why for c in decode_table4(tokens, True).cells["review"]} == {"too_long"}
    odd = decode_table3([RowInput("granted", ("12a",), False)], "F2021")
    assert {c.why for c in odd.cells["granted"]} == {"not_a_number"}


def test_rows_are_checked():
    with pytest.raises(ValueError):
        decode_table3([RowInput("nope", ("0",), False)], "F2021")
    with pytest.raises(ValueError):
        decode_table3([RowInput("granted", ("0",), False)] * 2, "F2021")
    with pytest.raises(ValueError):
        decode_table3([RowInput("other", ("0",), False)], "F2021")  # F2019's row


def test_the_work_counter_is_deterministic():
    """Rows are cached between tables, their cost is charged again: same input, same work."""
    table = whole_table("F2021", SMALL_2021)
    first = decode_table3(glued(table), "F2021")
    again = decode_table3(glued(table), "F2021")
    assert first.work == again.work and first.values() == again.values()


def test_the_column_sum_solver_agrees_with_enumeration(monkeypatch):
    """Tables with many rows in doubt are solved by dynamic programming over column sums, one
    leave-one-out system at a time; on small tables both ways must give the same cells."""
    rng = random.Random(20260101)
    samples = []
    for i in range(300):
        fmt = layout.FORMATS[i % 2]
        samples.append((fmt, print_table3(fmt, rng.randint, i % 3 == 0)))
    enumerated = [decode_table3(s.rows, fmt).cells for fmt, s in samples]
    monkeypatch.setattr(decode, "LEAF_CAP", 0)
    solved = [decode_table3(s.rows, fmt).cells for fmt, s in samples]
    assert solved == enumerated
    # and the shortcut for a row whose every cell the other rows fix (Row.near) agrees with
    # searching its splits
    monkeypatch.setattr(decode, "LEAF_CAP", 4096)
    monkeypatch.setattr(decode, "_NEAR", False)
    decode._cached_row.cache_clear()
    searched = [decode_table3(s.rows, fmt).cells for fmt, s in samples]
    decode._cached_row.cache_clear()
    assert searched == enumerated


def test_table4_left_out_groups_agree_with_enumeration(monkeypatch):
    """Long 表四 runs leave one group out at a time without enumerating it; short ones are
    enumerated whole. Both ways give the same cells."""
    rng = random.Random(4)
    samples = [print_table4(rng.randint, i % 2 == 0)[1:] for i in range(400)]
    enumerated = [decode_table4(*s).cells for s in samples]
    monkeypatch.setattr(decode, "FEW_SPLITS", 0)
    assert [decode_table4(*s).cells for s in samples] == enumerated


# ----------------------------------------------------------------------------------------
# The property: random realistic tables, flattened the ways crawled and PDF text flattens
# them, sometimes with one misprinted cell; every published cell is the printed number.


def assert_never_wrong(printed, out) -> tuple[int, int]:
    published = needed = 0
    for key, row in out.cells.items():
        truth = printed.truth.get(key)
        for j, cell in enumerate(row):
            expected = None if truth is None else truth[j]
            if cell.value is not None:
                assert cell.value == expected, (key, j, cell, truth, printed.corrupted)
                published += 1
            if cell.how is None:
                assert cell.why in decode.REASONS
            needed += expected is not None
    return published, needed


@settings(
    max_examples=1200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.randoms(use_true_random=False), st.sampled_from(layout.FORMATS), st.booleans())
def test_random_flattened_tables_never_publish_a_wrong_number(rnd, fmt, misprint):
    printed = print_table3(fmt, rnd.randint, misprint)
    out = decode_table3(printed.rows, fmt)
    assert_never_wrong(printed, out)
    if printed.corrupted is None:  # the printed table itself satisfies every identity
        assert out.consistent or out.exhausted
    assert out.work <= decode.DEFAULT_BUDGET + 25 * decode.MAX_UNITS


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False), st.booleans())
def test_random_flattened_table4_never_publishes_a_wrong_number(rnd, misprint):
    cells, tokens, certain = print_table4(rnd.randint, misprint)
    out = decode_table4(tokens, certain)
    flat = [c for group in out.cells.values() for c in group]
    for cell, expected in zip(flat, cells, strict=True):
        assert cell.value in (None, expected)


def test_many_seeded_tables_never_publish_a_wrong_number():
    """The same property on a fixed sample (no shrinking, but the same tables every run),
    with and without a misprint; most cells are recovered when nothing is misprinted."""
    rng = random.Random(7)
    for misprint in (False, True):
        published = needed = 0
        for i in range(400):
            fmt = layout.FORMATS[i % 2]
            printed = print_table3(fmt, rng.randint, misprint)
            p, n = assert_never_wrong(printed, decode_table3(printed.rows, fmt))
            published, needed = published + p, needed + n
        assert published / needed > (0.9 if not misprint else 0.7)
