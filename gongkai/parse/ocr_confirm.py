"""A scan's digits are published only where the table's own arithmetic confirms them.

OCR misreads digits (0 as 8, 1 as 7) with high confidence, so the engine's word is not
enough. After the tables of a document read by OCR (``source.kind == "ocr"``) are parsed:

* 表三 and 表四: a cell is kept only when at least one identity of
  :func:`gongkai.layout.identities` that holds it is fully read and holds (T3-C row sums,
  T3-A/T3-B column identities, T4 group totals), when no fully read identity holding it
  fails, and when every other cell of its confirming identity is kept too (two misreads
  that cancel in a row still break their columns, which takes the row's word away). The
  rest are null, with one READ problem per table. Kept cells are ``reading = "ocr-confirmed"``.
  A cell the parser chose *by* the arithmetic (a run of digits split, a row with extra
  numbers) is never confirmed by it: such cells are null.
* 表二 has no identities: a cell is kept only when the engine's confidence in its box is at
  least :data:`TABLE2_CONFIDENCE` and its text is plain digits (``reading = "ocr"``).
"""

from __future__ import annotations

from typing import Any

from gongkai import layout
from gongkai.model import Line, Place, Problem
from gongkai.parse.numbers import compact, read_value

# The recogniser's score a 表二 box needs. Measured (scripts/bench_ocr.py, two scan corpora,
# 668 printed 表二 cells; scripts/BINARY_CORPUS.md): no wrong 表二 number at any threshold,
# and the share published is flat from 0.9 to 0.98 (31–33 %), so the higher threshold costs
# ~1 point; below 0.8 the gain is boxes read a second time as digits only (capped at
# ocr.REREAD_CONFIDENCE = 0.5), ambiguous by definition. Real scans are dirtier than the
# corpus: the margin stays.
TABLE2_CONFIDENCE = 0.95
UNCONFIRMED = "扫描件识别的数字未能由本表的勾稽关系证实，未采用"
UNSEEN = "扫描件中没有识别出数字（原文可能空白，也可能未能识别），记为空值"
UNSURE_T2 = "扫描件识别的数字把握不足（表二没有勾稽关系可以证实），未采用"


def confirm(
    fmt: str,
    tables: dict[str, dict[str, dict[str, Any]]],
    cell_lines: dict[str, int],
    reading: dict[str, str],
    lines: tuple[Line, ...],
) -> tuple[dict[str, dict[str, Any]], list[Problem]]:
    """Null the unconfirmed OCR cells of ``tables`` in place; set ``reading`` of the kept
    ones; → (cell → Place.to_json() of the kept cells, the READ problems)."""
    by_number = {line.number: line for line in lines}
    places: dict[str, Place] = {}
    unsure: set[str] = set()  # read cells the arithmetic may not vouch for
    values: dict[str, Any] = {}
    for name in ("table2", "table3", "table4"):
        for row, cols in tables[name].items():
            for col, value in cols.items():
                if value is None or col.endswith("_unit"):
                    continue
                cell = f"{name}.{row}.{col}"
                values[cell] = value
                place, extra = _place(cell, value, cols, by_number.get(cell_lines.get(cell, -1)))
                if place is not None:
                    places[cell] = place
                if extra or reading.get(cell) == "decoded":
                    unsure.add(cell)
    unseen = [  # cells of the rows read where the engine saw no clean number
        f"{name}.{row}.{col}"
        for name in ("table3", "table4")
        for row, cols in tables[name].items()
        if any(v is not None for v in cols.values())
        for col, v in cols.items()
        if v is None
    ]
    kept = _confirmed(fmt, values, unsure)
    for cell in values:
        if cell.startswith("table2."):
            place = places.get(cell)
            ok = (
                place is not None
                and place.confidence is not None
                and place.confidence >= TABLE2_CONFIDENCE
            )
            if ok:
                kept.add(cell)
    problems: list[Problem] = []
    for name in ("table2", "table3", "table4"):
        dropped = sorted(c for c in values if c.startswith(name + ".") and c not in kept)
        if dropped:
            why = UNSURE_T2 if name == "table2" else UNCONFIRMED
            problems.append(
                Problem(
                    "READ",
                    "warning",
                    tuple(dropped),
                    f"{layout.TABLE_NAMES[name]}有 {len(dropped)} 格：{why}。",
                )
            )
    for name in ("table3", "table4"):
        cells = tuple(c for c in unseen if c.startswith(name + "."))
        if cells:
            problems.append(
                Problem(
                    "READ",
                    "warning",
                    cells,
                    f"{layout.TABLE_NAMES[name]}有 {len(cells)} 格：{UNSEEN}。",
                )
            )
    out_places: dict[str, dict[str, Any]] = {}
    for cell in values:
        name, row, col = _split(cell)
        if cell in kept:
            reading[cell] = "ocr" if name == "table2" else "ocr-confirmed"
            if cell in places:
                out_places[cell] = places[cell].to_json()
        else:
            tables[name][row][col] = None
            reading.pop(cell, None)
            cell_lines.pop(cell, None)
    return out_places, problems


def _split(cell: str) -> tuple[str, str, str]:
    name, rest = cell.split(".", 1)
    row, col = rest.rsplit(".", 1)
    return name, row, col


def _confirmed(fmt: str, values: dict[str, Any], unsure: set[str]) -> set[str]:
    """The cells of 表三/表四 the identities confirm (see the module's docstring)."""
    complete = [
        ident
        for ident in layout.identities(fmt)
        if all(isinstance(values.get(c), int) for c in ident.cells)
    ]
    holds = {
        ident: sum(values[c] for c in ident.left) == sum(values[c] for c in ident.right)
        for ident in complete
    }
    failing = {c for ident, ok in holds.items() if not ok for c in ident.cells}
    rejected = set(unsure) | failing
    while True:
        # an identity vouches for its cells only while none of them is rejected
        clean = [i for i, ok in holds.items() if ok and not rejected.intersection(i.cells)]
        kept = {c for i in clean for c in i.cells}
        candidates = {c for c in values if not c.startswith("table2.")}
        newly = {c for c in candidates - kept if c not in rejected}
        if not newly:
            return kept
        rejected |= newly


def _place(
    cell: str, value: Any, cols: dict[str, Any], line: Line | None
) -> tuple[Place | None, bool]:
    """The Place of a cell's box on its line (found by its column among the line's value
    cells, counted from the right, and checked against the value); and whether the line
    printed more numbers than the row has columns (the parser then chose among them by
    the arithmetic)."""
    if line is None or not line.places:
        return None, False
    width = len([c for c in cols if not c.endswith("_unit")])
    name = cell.split(".", 1)[0]
    value_cells = [
        (text, place)
        for text, place in zip(line.cells, line.places, strict=False)
        if place is not None or not text.strip()
    ]
    if name == "table4":
        return _table4_place(cell, value, line), False
    filled = sum(1 for text, _ in value_cells if text.strip())
    extra = filled > width
    columns = [c for c in cols if not c.endswith("_unit")]
    index = columns.index(_split(cell)[2])
    pos = len(value_cells) - width + index
    if not 0 <= pos < len(value_cells):
        return None, extra
    text, place = value_cells[pos]
    if place is None or read_value(compact(text)).number != value:
        return None, extra
    return place, extra


def _table4_place(cell: str, value: Any, line: Line) -> Place | None:
    groups = [g.key for g in layout.TABLE4_GROUPS]
    columns = [c.key for c in layout.TABLE4_COLUMNS]
    _, group, col = _split(cell)
    cells = [(t, p) for t, p in zip(line.cells, line.places, strict=False) if p or not t.strip()]
    if len(cells) != len(groups) * len(columns):
        return None
    text, place = cells[groups.index(group) * len(columns) + columns.index(col)]
    if place is None or read_value(compact(text)).number != value:
        return None
    return place
