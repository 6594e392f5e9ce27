"""One table row as printed → its label and exactly the cells the format expects.

A row's numbers are trusted only when they can be placed with certainty:

* the row holds exactly as many values as the format has columns (padding cells dropped);
* it holds more, and every way of dropping the extras gives the same cells
  (seed 武威 2023: eight or nine zeros for seven columns);
* it holds fewer, and the empty cells of a delimited row fill exactly the missing places
  (seed 青铜峡 2020: the 行政复议 cells left blank);
* its digits ran together ("640020470") and exactly one split satisfies the table's own
  arithmetic (content/format.md §7; e.g. 64,0,0,2,0,4,70).

Anything else leaves the cells ``None`` with a reason; a guess is never published.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from gongkai.model import Line, Place
from gongkai.parse.numbers import (
    Value,
    compact,
    decode_runs,
    is_digit_run,
    is_value_token,
    read_value,
)

Check = Callable[[tuple[int, ...]], bool]

# "规章000", "行政规范性文件000" (content/format.md §7): a label with its digits glued on.
_GLUED = re.compile(r"^(?P<label>.*[\u4e00-\u9fff）)”\"])(?P<digits>\d+)$")


@dataclass
class RowText:
    """A line split into its label and the cells that may hold values."""

    line: int
    label: str  # compact (no whitespace, NFKC)
    cells: list[str]  # value cells; "" is an empty cell of a delimited row
    delimited: bool
    glued: bool = False  # the values were glued to the label or to each other
    # where each value cell was printed (PDF, scan, Word), aligned with ``cells``; or empty
    places: list[Place | None] = field(default_factory=list)

    def place(self, index: int) -> Place | None:
        return self.places[index] if index < len(self.places) else None


@dataclass
class Reading:
    values: list[Value | None]  # one per expected column; None: not readable with certainty
    note: str | None = None  # why some cells are None
    short_by_one: bool = False  # exactly one value fewer than columns, placement unknown
    raw: list[str] = field(default_factory=list)
    # where each value was printed, aligned with ``values`` (empty when the row has no places)
    places: list[Place | None] = field(default_factory=list)

    def place(self, index: int) -> Place | None:
        return self.places[index] if index < len(self.places) else None


def split_row(line: Line) -> RowText:
    places: list[Place | None] = []
    if line.table:
        cells: list[str] = []
        for i, cell in enumerate(line.cells):
            place = line.places[i] if i < len(line.places) else None
            parts = cell.split()
            if len(parts) > 1 and all(is_value_token(p) for p in parts):
                cells.extend(parts)  # "0 0 0" in one cell of a flattened PDF table
                places.extend([None] * len(parts))  # one box for several numbers: none
            else:
                cells.append(cell.strip())
                places.append(place)
    else:
        cells = line.cells[0].split() if line.cells else []
        places = [None] * len(cells)
    last_label = -1
    for i, cell in enumerate(cells):
        if cell and not is_value_token(cell) and not is_digit_run(cell):
            last_label = i
    label_cells = cells[: last_label + 1]
    values = cells[last_label + 1 :]
    value_places = places[last_label + 1 :]
    glued = False
    if label_cells:
        m = _GLUED.match(compact(label_cells[-1]))
        if m and not any(v.strip() for v in values):
            label_cells = [*label_cells[:-1], m["label"]]
            values = [m["digits"]]
            value_places = [None]  # the box holds the label too
            glued = True
    if not line.table:
        value_places = [p for v, p in zip(values, value_places, strict=True) if v]
        values = [v for v in values if v]
    if not any(value_places):
        value_places = []
    return RowText(
        line.number, compact("".join(label_cells)), values, line.table, glued, value_places
    )


def read_row(
    row: RowText,
    width: int,
    check: Check | None = None,
    budget: list[int] | None = None,
    label_columns: bool = True,
) -> Reading:
    """Place the printed values of a row into `width` cells, or leave them None.

    ``label_columns``: the empty cells before the values may be unused label columns of a
    grid row (表三: its labels span up to three columns). Not so in 表二, whose label is one
    column and whose shorter blocks leave their padding at the right end: there a leading
    empty cell is a blank value."""
    cells = list(row.cells)
    filled_at = [i for i, c in enumerate(cells) if c.strip()]
    filled = [cells[i] for i in filled_at]
    if not filled:
        return Reading([None] * width, "此行没有数字", raw=cells)
    # One run of digits for a whole row. In a delimited row with a cell for every column a
    # lone number may just be one cell (pipe rows with a blank 总计 column): there the run is
    # split only when the row's arithmetic accepts exactly one split, else read by position.
    lone_run = len(filled) == 1 and is_digit_run(filled[0]) and width > 1
    # numbers split out of one printed run share its box
    run_place = [row.place(filled_at[0])] * width if len(filled) == 1 else []
    if row.glued or (lone_run and not (row.delimited and len(cells) >= width)):
        return _with_places(_read_glued(filled, width, check, cells, budget), run_place)
    if lone_run and check is not None and len(compact(filled[0])) >= width:
        decoded = _read_glued(filled, width, check, cells, budget)
        if decoded.note is None:
            return _with_places(decoded, run_place)
        return Reading([None] * width, decoded.note, raw=cells)  # one number or a run: unsure
    values = [read_value(c) for c in filled]
    if len(filled) == width:
        return Reading(list(values), raw=cells, places=[row.place(i) for i in filled_at])
    if len(filled) > width:
        places = [row.place(i) for i in filled_at]
        return _read_extra(values, width, check, cells, places)
    # Fewer values than columns: a delimited row's empty cells may be the blanks.
    lead, end = 0, len(cells)
    # Leading empties first: they are the unused label columns of a grid row (HTML, content/format.md §4).
    while label_columns and end - lead > width and not cells[lead].strip():
        lead += 1
    while end - lead > width and not cells[end - 1].strip():
        end -= 1
    if row.delimited and end - lead == width:
        placed: list[Value | None] = [read_value(c) for c in cells[lead:end]]
        return Reading(placed, raw=cells, places=[row.place(i) for i in range(lead, end)])
    if len(filled) == width - 1:
        return Reading([None] * width, f"此行印出 {len(filled)} 个数，应有 {width} 个", True, cells)
    return Reading(
        [None] * width, f"此行印出 {len(filled)} 个数，应有 {width} 个，无法对应到栏目", raw=cells
    )


def _with_places(reading: Reading, places: list[Place | None]) -> Reading:
    if reading.note is None and any(places):
        reading.places = list(places)
    return reading


def _read_extra(
    values: Sequence[Value],
    width: int,
    check: Check | None,
    raw: list[str],
    places: list[Place | None] | None = None,
) -> Reading:
    # Padding cells of a flattened table: the extras are at either end. Keep the cells on
    # which every candidate window agrees, after the arithmetic has ruled windows out.
    starts = list(range(len(values) - width + 1))
    if check is not None:
        numeric = [
            i for i in starts if all(isinstance(v.number, int) for v in values[i : i + width])
        ]
        passing = [
            i
            for i in numeric
            if check(tuple(v.number for v in values[i : i + width]))  # type: ignore[misc]
        ]
        if passing:
            starts = passing
    windows = [list(values[i : i + width]) for i in starts]
    agreed: list[Value | None] = []
    for i in range(width):
        column = {(w[i].number, w[i].blank) for w in windows}
        agreed.append(windows[0][i] if len(column) == 1 else None)
    note = (
        None
        if all(v is not None for v in agreed)
        else f"此行多出 {len(values) - width} 个数，部分栏目无法确定"
    )
    # a value's box is known when one window is left (the windows agree on the number, not
    # on which printed cell it came from)
    at = places[starts[0] : starts[0] + width] if places and len(starts) == 1 else []
    return Reading(agreed, note, raw=raw, places=list(at))


def _read_glued(
    filled: list[str],
    width: int,
    check: Check | None,
    raw: list[str],
    budget: list[int] | None = None,
) -> Reading:
    split = decode_runs(filled, width, check, budget)
    if split is None:
        return Reading([None] * width, f"数字连在一起（{''.join(filled)}），无法唯一拆分", raw=raw)
    return Reading([Value(n, raw=str(n)) for n in split], raw=raw)
