"""How much of a flattened table gongkai.parse.decode recovers, how often it would be wrong, and at what cost.

    .venv/bin/python scripts/bench_decode.py [--tables 3000] [--seed 1]

Random 表三 (both formats) and 表四 tables with realistic counts (mostly zeros, small numbers,
now and then two to four digits) are printed the way crawled and PDF-converted text prints
them (digits of a row run together, stray spaces, some rows delimited, now and then a row lost
or a blank cell), with or without one misprinted cell (the report's own arithmetic error), and
decoded. Nothing is asserted: tests/test_decode.py does that. The table generator here is the
one tests/test_decode.py draws from (through hypothesis).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from gongkai import layout
from gongkai.parse.decode import RowInput, _cached_row, decode_table3, decode_table4

Pick = Callable[[int, int], int]  # pick(lo, hi): an int in [lo, hi], like random.randint


def count(pick: Pick, scale: int = 1) -> int:
    """A cell of a real table: mostly 0, often one digit, now and then two to four."""
    k = pick(0, 19)
    if k < 12:
        return 0
    if k < 17 or scale == 0:
        return pick(1, 9)
    if k < 19 or scale == 1:
        return pick(10, 99)
    return pick(100, 999 if scale == 2 else 9999)


def make_table3(fmt: str, pick: Pick) -> dict[str, list[int]]:
    """A 表三 whose arithmetic holds (T3-A, T3-B, T3-C). Most agencies are small (a handful
    of requests), some handle hundreds, a few thousands; most result rows are all zeros."""
    size = pick(0, 9)
    scale = 0 if size < 6 else 1 if size < 9 else 2 + pick(0, 1)
    result = layout.TABLE3_RESULT_ROWS[fmt]
    table: dict[str, list[int]] = {}
    for key in result:
        used = pick(0, 2) == 0 or key in ("granted", "unable.not_held")
        table[key] = [count(pick, max(0, scale - (j > 0))) if used else 0 for j in range(6)]
    total = [sum(table[k][j] for k in result) for j in range(6)]
    forward = [count(pick, max(0, scale - 1)) if pick(0, 2) == 0 else 0 for _ in range(6)]
    over = [pick(0, total[j] + forward[j]) if pick(0, 2) == 0 else 0 for j in range(6)]
    table["total_processed"] = total
    table["carried_forward"] = forward
    table["carried_over"] = over
    table["new_received"] = [total[j] + forward[j] - over[j] for j in range(6)]
    return {key: [*cells, sum(cells)] for key, cells in table.items()}


def make_table4(pick: Pick) -> list[int]:
    out: list[int] = []
    for _ in layout.TABLE4_GROUPS:
        cells = [count(pick) for _ in range(4)]
        out += [*cells, sum(cells)]
    return out


def corrupt(cells: list[int | None], pick: Pick) -> int:
    """Misprint one cell (the report's own error); returns its index."""
    j = pick(0, len(cells) - 1)
    while cells[j] is None:
        j = pick(0, len(cells) - 1)
    old = cells[j]
    assert old is not None
    new = count(pick) if pick(0, 3) == 0 else max(0, old + pick(-3, 3))
    cells[j] = new if new != old else old + 1
    return j


def flatten(cells: list[int | None], pick: Pick) -> tuple[tuple[str | None, ...], bool]:
    """How one row comes out of a crawled page or a PDF: (tokens, certain_bounds)."""
    style = pick(0, 9)
    blank = any(c is None for c in cells)  # only a delimited row can show a blank cell
    if style < 4 or blank:  # delimited
        if style < 2 or blank:
            return tuple(None if c is None else str(c) for c in cells), True
        tokens: list[str] = []  # a delimited row with some neighbours merged into one token
        for c in cells:
            if tokens and pick(0, 2) == 0:
                tokens[-1] += str(c)
            else:
                tokens.append(str(c))
        return tuple(tokens), True
    digits = "".join(str(c) for c in cells if c is not None)
    if style < 7:
        return (digits,), False  # glued
    out = digits[0] if digits else ""  # stray spaces, some between cells and some not
    for ch in digits[1:]:
        out += (" " if pick(0, 2) == 0 else "") + ch
    return tuple(out.split()), False


@dataclass
class Printed:
    """A table as printed (after any misprint) and what the decoder was given."""

    truth: dict[str, list[int | None]]  # row → cells as printed; absent rows are not here
    rows: list[RowInput]
    corrupted: tuple[str, int] | None


def print_table3(fmt: str, pick: Pick, misprint: bool) -> Printed:
    table: dict[str, list[int | None]] = dict(make_table3(fmt, pick))  # type: ignore[arg-type]
    truth: dict[str, list[int | None]] = {}
    for key in (r.key for r in layout.TABLE3_ROWS[fmt]):
        if pick(0, 40) == 0:
            continue  # the row's label was lost: not given
        cells = list(table[key])
        if pick(0, 60) == 0:
            cells[pick(0, 6)] = None  # a blank cell (only delimited rows show one)
        truth[key] = cells
    corrupted = None
    if misprint and truth:
        key = sorted(truth)[pick(0, len(truth) - 1)]
        if any(c is not None for c in truth[key]):
            corrupted = (key, corrupt(truth[key], pick))
    rows = []
    for key, cells in truth.items():
        tokens, certain = flatten(cells, pick)
        rows.append(RowInput(key, tokens, certain))
    return Printed(truth, rows, corrupted)


def print_table4(pick: Pick, misprint: bool) -> tuple[list[int], tuple[str | None, ...], bool]:
    cells = make_table4(pick)
    if misprint:
        corrupt(cells, pick)  # type: ignore[arg-type]
    tokens, certain = flatten(cells, pick)  # type: ignore[arg-type]
    return cells, tokens, certain


def check3(printed: Printed, fmt: str, mode: str = "cell") -> tuple[list[int], int]:
    """([cells, printed, decoded, wrong], work) of one 表三: cells counts the printed cells
    (not the blank ones nor those of lost rows)."""
    out = decode_table3(printed.rows, fmt, _mode=mode)
    counts = [0, 0, 0, 0]
    for key, row in out.cells.items():
        truth = printed.truth.get(key)
        for j, cell in enumerate(row):
            expected = None if truth is None else truth[j]
            counts[0] += expected is not None
            counts[1] += cell.how == "printed"
            counts[2] += cell.how == "decoded"
            counts[3] += cell.value is not None and cell.value != expected
    return counts, out.work


def check4(
    cells: list[int], tokens: tuple[str | None, ...], certain: bool
) -> tuple[list[int], int]:
    out = decode_table4(tokens, certain)
    counts = [0, 0, 0, 0]
    flat = [c for group in out.cells.values() for c in group]
    for cell, expected in zip(flat, cells, strict=True):
        counts[0] += 1
        counts[1] += cell.how == "printed"
        counts[2] += cell.how == "decoded"
        counts[3] += cell.value is not None and cell.value != expected
    return counts, out.work


HEAD = (
    f"{'table':<24}{'misprint':<9}{'recovered':>10}{'printed':>9}{'decoded':>9}"
    f"{'of open':>9}{'wrong':>7}{'work mean/p50/p99/max':>26}{'µs mean/p50/p99':>18}{'ns/work':>9}"
)


def run(tables: int, seed: int) -> None:
    rng = random.Random(seed)
    pick = rng.randint
    print(f"{tables} random tables per line, seed {seed}\n")
    print(HEAD)
    for fmt in layout.FORMATS:
        for misprint in (False, True):
            samples = [print_table3(fmt, pick, misprint) for _ in range(tables)]
            for mode in ("cell", "identity"):
                name = f"表三 {fmt}" + (" 1-identity" if mode == "identity" else "")
                _measure(
                    name, misprint, [lambda s=s, m=mode, f=fmt: check3(s, f, m) for s in samples]
                )
    for misprint in (False, True):
        samples4 = [print_table4(pick, misprint) for _ in range(tables)]
        _measure("表四", misprint, [lambda s=s: check4(*s) for s in samples4])
    reasons(tables, rng)
    print(
        "\nrecovered: published / printed cells (printed: placed without choice; decoded: chosen"
        "\nby arithmetic). of open: decoded / cells whose run splits more than one way."
        "\nwrong: published cells that differ from the print. 1-identity: the weaker rule"
        "\n(one identity left out at a time), for comparison only. µs: CPU time per table."
    )


def reasons(tables: int, rng: random.Random) -> None:
    """What became of the cells that needed a choice (表三, both formats), in complete tables
    (every row found, no blank cell) and in the others (a lost row leaves T3-A or T3-B with an
    unknown term in every column, so it constrains nothing)."""
    print("\n表三 cells whose run splits more than one way, by outcome:")
    for misprint in (False, True):
        for complete in (True, False):
            counts: dict[str, int] = {}
            for i in range(tables):
                fmt = layout.FORMATS[i % 2]
                printed = print_table3(fmt, rng.randint, misprint)
                whole = len(printed.truth) == len(layout.TABLE3_ROWS[fmt]) and all(
                    c is not None for row in printed.truth.values() for c in row
                )
                if whole != complete:
                    continue
                out = decode_table3(printed.rows, fmt)
                for row in out.cells.values():
                    for cell in row:
                        if cell.how != "printed" and cell.why not in ("absent", "blank"):
                            key = cell.why or "decoded"
                            counts[key] = counts.get(key, 0) + 1
            total = max(1, sum(counts.values()))
            shares = ", ".join(f"{k} {v / total:.1%}" for k, v in sorted(counts.items()))
            kind = "complete tables" if complete else "a lost row or blank"
            print(f"  {'misprint' if misprint else 'clean':<9}{kind:<22}{total:>7} cells: {shares}")


def _measure(name: str, misprint: bool, jobs: list) -> None:
    """Decode every table once; the row cache starts empty (as at the start of a parse run)."""
    _cached_row.cache_clear()
    totals = [0, 0, 0, 0]
    works, times = [], []
    for job in jobs:
        start = time.process_time_ns()
        counts, work = job()
        times.append(time.process_time_ns() - start)
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        works.append(work)
    cells, printed, decoded, wrong = totals
    works.sort()
    times.sort()
    n = len(works)
    stats = f"{statistics.mean(works):.0f}/{works[n // 2]}/{works[min(n - 1, n * 99 // 100)]}/{works[-1]}"
    clock = f"{statistics.mean(times) / 1e3:.0f}/{times[n // 2] / 1e3:.0f}/{times[min(n - 1, n * 99 // 100)] / 1e3:.0f}"
    print(
        f"{name:<24}{'yes' if misprint else 'no':<9}{(printed + decoded) / max(1, cells):>10.1%}"
        f"{printed / max(1, cells):>9.1%}{decoded / max(1, cells):>9.1%}"
        f"{decoded / max(1, cells - printed):>9.1%}{wrong:>7}{stats:>26}{clock:>18}"
        f"{sum(times) / max(1, sum(works)):>9.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tables", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    run(args.tables, args.seed)


if __name__ == "__main__":
    main()
