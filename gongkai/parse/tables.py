"""Find 表二, 表三 and 表四 among a document's lines and read their cells.

Rows are recognised by their labels (normalised: NFKC, no whitespace, so 商业 企业, (三) and
（三） all match), never by position alone. Rows whose label was lost in a flattened PDF
(seed 武威 2023) are placed only when the rows around them leave exactly one possibility.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from gongkai import layout
from gongkai.model import Line, Place
from gongkai.parse.cells import Reading, RowText, read_row, split_row
from gongkai.parse.decode import DECODED, RowInput, decode_table3, decode_table4
from gongkai.parse.numbers import (
    BLANK,
    MAX_DIGITS,
    MAX_SPLITS,
    Value,
    compact,
    is_digit_run,
    is_whole,
    normalize,
    read_value,
    too_many_digits,
)

# Distinctive words of every 表三 row (layout.Row.words), in the table's order but 总计 last:
# a header row may name the 总计 column beside a row's own words.
T3_KEYWORDS: tuple[tuple[str, str], ...] = tuple(
    (word, row.key)
    for row in sorted(layout.TABLE3_ROWS["F2021"], key=lambda r: r.key == "total_processed")
    for word in row.words
)
_OTHER_OTHER = re.compile(r"3[.、．]?其他$")
# A row number opening a label (compact, NFKC): 一、 (二) 3. …
_ROW_NUMBER = re.compile(f"^{layout.ROW_NUMBER_PATTERN}")
_T3_HEADER = ("自然人", "商业企业", "法人或其他组织", "申请人情况", "本列数据")
_T2_BLOCK = re.compile(r"第二十条第?\(?([一二三四五六七八九十])\)?项")
# Every label (and alias) of a 表二 row in either format → its key.
T2_LABELS = {
    label: row.key
    for blocks in layout.TABLE2.values()
    for block in blocks
    for row in block.rows
    for label in (row.label, *row.aliases)
}
_T3_START = ("本列数据的勾稽关系", "申请人情况", "本年新收")
_T4_WORDS = (
    "行政复议",
    "行政诉讼",
    "结果维持",
    "结果纠正",
    "其他结果",
    "尚未审结",
    "复议后起诉",
    "直接起诉",
)
_NARRATIVE_HEADING = re.compile(r"^[#*\s]*(五|六)[、.．]")
_T4_HEADER = re.compile("|".join((*_T4_WORDS, "未经复议", "总计", "行政复议", "[、,，()（）]")))


def is_t4_header(label: str) -> bool:
    return (
        bool(label)
        and ("行政复议" in label or "结果维持" in label)
        and not _T4_HEADER.sub("", label)
    )


@dataclass
class TableRows:
    """The rows found for each table: row key (or None when the label was lost) and its text."""

    t2: list[tuple[str, RowText]] = field(default_factory=list)
    t3: list[tuple[str | None, RowText]] = field(default_factory=list)
    t4: list[RowText] = field(default_factory=list)
    t2_labels: list[str] = field(default_factory=list)  # block and column headers seen
    t3_labels: list[str] = field(default_factory=list)
    # 表三 rows of numbers left out because their label is uncertain: (line, why)
    t3_unplaced: list[tuple[int, str]] = field(default_factory=list)
    # index in t3 of the first of some rows without a label → the labels printed apart for
    # them (fewer or more than the rows: each must be among the keys the rows get)
    t3_claims: dict[int, tuple[str, ...]] = field(default_factory=dict)
    # Positions (in the lines given) that belong to a table; not line numbers: a minified web
    # page is one source line, and its narrative must not vanish with its tables.
    consumed: set[int] = field(default_factory=set)


def t3_key(label: str, fmt: str | None = None) -> str | None:
    if not label:
        return None
    if _OTHER_OTHER.search(label):
        return "other.other"
    for word, key in T3_KEYWORDS:
        if word in label:
            if key == "total_processed" and ("申请人情况" in label or "自然人" in label):
                return None  # the header row's 总计 column
            return key
    if "其他处理" in label:
        return "other"  # F2019: one row; F2021 rows carry their sub-item words
    return None


def t2_key(label: str) -> str | None:
    text = re.sub(r"^[(（]?[一二三四五六七八九十\d]+[)）.、]", "", label)
    return T2_LABELS.get(text)


def find_rows(lines: tuple[Line, ...]) -> TableRows:
    """Walk the lines once, assigning each table row to its table and row key."""
    found = TableRows()
    state: str | None = None
    pending = ""  # labels printed on their own lines, waiting for their numbers
    detached = _Detached()
    for index, line in enumerate(lines):
        if not line.table:
            raw = line.cells[0] if line.cells else ""
            if not raw.strip():
                continue
            if len(raw) > 150:  # a paragraph, never a table row: the table (if any) has ended
                if state == "t3":
                    state, pending = None, detached.flush(found)
                continue
        row = split_row(line)
        label = row.label
        has_values = any(c.strip() for c in row.cells)
        if not line.table and _NARRATIVE_HEADING.match(line.text) and not has_values:
            state, pending = None, detached.flush(found)
            continue
        if _T2_BLOCK.search(label) or label.startswith("信息内容"):
            state, pending = "t2", detached.flush(found)
            found.t2_labels.append(label)
            found.consumed.add(index)
            continue
        key2 = t2_key(label) if label else None
        if key2 is None and state == "t2" and line.table:
            # "行政许可 | 暂无 数据" or a cell holding markup: the row is still 行政许可, and its
            # unreadable cell is reported instead of the whole row vanishing.
            row = _first_cell_row(line) or row
            key2 = t2_key(row.label) if row.label else None
        if key2 and (state in (None, "t2")):
            state = "t2"
            found.t2.append((key2, row))
            found.consumed.add(index)
            continue
        if any(word in label for word in _T3_START) and not has_values:
            state, pending = "t3", detached.flush(found)
            found.t3_labels.append(label)
            found.consumed.add(index)
            continue
        if not has_values and (is_t4_header(label) or _is_t4_heading(line, label)):
            state, pending = "t4", detached.flush(found)
            if line.table:
                found.consumed.add(index)
            continue
        if state == "t4":
            if has_values and not label:
                if line.table or len([c for c in row.cells if c.strip()]) >= 5:
                    found.t4.append(row)
                    found.consumed.add(index)
            elif line.table:
                found.consumed.add(index)
            continue
        key3 = t3_key(pending + label) if (pending or label) else None
        if key3 is None and label and any(w in label for w in ("本年新收", "上年结转")):
            state = "t3"
        if state == "t3" or key3 in ("new_received", "carried_over"):
            state = "t3"
            if line.table:
                found.consumed.add(index)
            if not has_values and any(w in label for w in _T3_HEADER):
                pending = detached.flush(found)
                found.consumed.add(index)
                continue
            if not has_values:
                if label and not line.table and len(label) > 60:
                    state, pending = None, detached.flush(found)  # narrative resumed
                    continue
                if detached.rows:
                    pending = detached.flush(found)
                pending = (pending + label)[-80:]
                detached.label(label)
                found.consumed.add(index)
                found.t3_labels.append(label)
                continue
            found.consumed.add(index)
            if not label:  # numbers whose label is printed elsewhere (PDF conversions)
                detached.rows.append(row)
                continue
            if detached.rows:
                pending = detached.flush(found)
            own = t3_key(label) or (t3_key(detached.buffer + label) if detached.buffer else None)
            # a numbered label is a row of its own, never the end of a pending one: when its
            # words are not recognised (a typo), it must not take the pending row's key
            numbered = own is None and bool(_ROW_NUMBER.match(label))
            if own is None and not numbered and len(detached.keys) == 1:
                # the label's last words on the numbers' line: "（二）部分公开（区分处理的，"
                # then "只计这一情形，不计其他情形） 2 0 0 0 0 0 2"
                own = detached.keys[0]
                detached.keys.clear()
            detached.flush(found)  # labels before this row printed no numbers of their own
            # None: placed by its neighbours (_fill_lost_labels), or not at all
            found.t3.append((own if numbered else own or key3, row))
            pending = ""
            if key3 == "carried_forward":
                state = None
            continue
    detached.flush(found)
    return found


# Every 表三 row in the table's order: F2021's, with F2019's one （六） row where it stands.
_F2021_KEYS = [r.key for r in layout.TABLE3_ROWS["F2021"]]
_SIX = _F2021_KEYS.index("other.no_correction")
_T3_ORDER = {key: i for i, key in enumerate([*_F2021_KEYS[:_SIX], "other", *_F2021_KEYS[_SIX:]])}


class _Detached:
    """表三 labels printed on lines of their own and the numbers printed apart from them.

    PDF-to-Markdown converters detach labels from their numbers: two or three labels, then
    two or three rows of numbers without a label. A row of numbers is given to a label only
    when the order leaves no doubt: as many rows as labels, in order. Otherwise the rows are
    left out with a reason (never given to the nearest label: a row of 6s once went to
    "3.补正后申请内容仍不明确" instead of "2.没有现成信息需要另行制作"); a label broken over
    lines ("（三）不" / "予公开") is joined before it is looked up.
    """

    def __init__(self) -> None:
        self.keys: list[str] = []  # the rows named by labels waiting for their numbers
        self.buffer = ""  # label text not yet naming a row (a group heading, a broken label)
        self.loose = 0  # lines of label text after the last label that named a row
        self.rows: list[RowText] = []  # rows of numbers without a label

    def label(self, text: str) -> None:
        self.buffer = (self.buffer + text)[-80:]
        key = t3_key(self.buffer)
        if key is None:
            self.loose += 1
            return
        if key.startswith("other.") and self.keys and self.keys[-1] == "other":
            self.keys.pop()  # F2021: （六）其他处理 was the heading of its sub-rows
        self.keys.append(key)
        self.buffer, self.loose = "", 0

    def in_order(self) -> bool:
        """The labels name rows in the table's order, and no stray label text follows the
        last one (but the rest of that label, wrapped onto one more line): a converter that
        kept its labels in order kept its numbers in the same order."""
        positions = [_T3_ORDER.get(k, -1) for k in self.keys]
        ordered = all(a < b for a, b in zip(positions, positions[1:], strict=False))
        return ordered and -1 not in positions and self.loose <= 1

    def flush(self, found: TableRows) -> str:
        """Hand the waiting labels and rows over to ``found``; returns "" (no label pending)."""
        keys = [k for k in self.keys if k != "other"]  # （六）其他处理 heads F2021's sub-rows
        if self.rows and not self.keys:
            # no label printed apart: the rows' labels were lost (placed, if certain, by the
            # rows around them: see _fill_lost_labels)
            found.t3.extend((None, r) for r in self.rows)
        elif self.rows and len(self.rows) == len(self.keys) and self.in_order():
            found.t3.extend(zip(self.keys, self.rows, strict=True))
        elif self.rows and self.in_order():
            # more rows than labels (or fewer): some rows' labels were lost as well. The
            # rows around may still leave one order (_fill_lost_labels), which must then
            # agree with the labels printed here.
            found.t3_claims[len(found.t3)] = tuple(keys)
            found.t3.extend((None, r) for r in self.rows)
        else:
            line = self.rows[0].line if self.rows else 0
            found.t3.extend((k, RowText(line, k, [], True)) for k in keys)
            for r in self.rows:
                found.t3_unplaced.append(
                    (
                        r.line,
                        f"前面有 {len(self.keys)} 个单独成行的行名、其后有 {len(self.rows)} 行没有行名的数字"
                        + ("" if len(self.keys) != len(self.rows) else "，但行名的次序或写法不清")
                        + "，无法确定对应关系",
                    )
                )
        self.keys, self.buffer, self.loose, self.rows = [], "", 0, []
        return ""


def _first_cell_row(line: Line) -> RowText | None:
    """The row read as its first cell for the label and every later cell as a value."""
    filled = [i for i, cell in enumerate(line.cells) if cell.strip()]
    if not filled or t2_key(compact(line.cells[filled[0]])) is None:
        return None
    first = filled[0]
    cells = [c.strip() for c in line.cells[first + 1 :]]
    places = list(line.places[first + 1 :]) if any(line.places) else []
    return RowText(line.number, compact(line.cells[first]), cells, True, places=places)


def _is_t4_heading(line: Line, label: str) -> bool:
    """The section heading 四、政府信息公开行政复议、行政诉讼情况 (its variants, content/format.md §2)."""
    return not line.table and len(label) < 40 and "行政复议" in label and "行政诉讼" in label


@dataclass
class Extracted:
    table: dict[str, dict[str, object]]
    lines: dict[str, int]
    notes: list[tuple[str, str]]  # (cell path or row path, reason)
    found: bool
    conflicts: set[str] = field(default_factory=set)  # cells printed twice with different numbers
    # cell → how it was read, when not plainly printed ("decoded": see gongkai.parse.decode)
    reading: dict[str, str] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)  # where a value was printed
    _noted: set[tuple[str, str]] = field(default_factory=set)

    def note(self, where: str, why: str) -> None:
        if (where, why) not in self._noted:  # a row printed 600 times is one problem, not 600
            self._noted.add((where, why))
            self.notes.append((where, why))


_T3_SPECS = {c.key: c for c in layout.TABLE3_COLUMNS}
_T4_SPECS = {c.key: c for c in layout.TABLE4_COLUMNS}
# 表二 has 9 rows, 表三 25, 表四 one to three; a table with far more is a hostile or broken
# file, and reading only some of its rows could publish a number a later row contradicts.
MAX_TABLE_ROWS = 200
RAW_CHARS = 30  # a cell quoted in a problem is cut here (a hostile cell may be megabytes)


def _quote(raw: str) -> str:
    raw = " ".join(raw.split())
    return raw if len(raw) <= RAW_CHARS else raw[:RAW_CHARS] + "…"


def _unit_mismatch(value: Value, column: layout.Column | None) -> str | None:
    """Why a printed unit does not fit the column, or None. Never converted: 3000元 in a
    万元 column is left out, not published as 0.3 (nor as 3000)."""
    unit = value.unit
    if unit is None or column is None:
        return None
    if column.kind in ("count", "signed"):
        ok = unit in layout.COUNT_UNITS
        expected = "件数"
    elif column.unit:
        ok = unit == column.unit
        expected = f"单位为{column.unit}"
    else:
        ok = unit in layout.MONEY_UNITS
        expected = "金额"
    if ok:
        return None
    return f"印为“{_quote(value.raw)}”，单位“{unit}”与本栏（{expected}）不符，未换算、未采用"


def _not_whole(value: Value, column: layout.Column | None) -> str | None:
    """Why a printed number cannot be a count, or None. Counts are whole numbers; only fee
    and procurement amounts (``decimal`` columns) may have decimals."""
    if is_whole(value) or (column is not None and column.kind == "decimal"):
        return None
    return f"印为“{_quote(value.raw)}”，件数应为整数，不是整数的数未采用"


def _store(
    out: Extracted,
    name: str,
    key: str,
    columns: list[str],
    reading: Reading,
    line: int,
    specs: dict[str, layout.Column] | None = None,
) -> None:
    row = out.table.setdefault(key, {})
    for index, (column, value) in enumerate(zip(columns, reading.values, strict=False)):
        if value is None:
            continue
        cell = f"{name}.{key}.{column}"
        if value.number is None and not value.blank:
            if too_many_digits(value.raw):
                out.note(
                    cell, f"“{_quote(value.raw)}”位数过多（超过 {MAX_DIGITS} 位），无法作为数字发布"
                )
            else:
                out.note(cell, f"无法读作数字：“{_quote(value.raw)}”")
            continue
        mismatch = _unit_mismatch(value, (specs or {}).get(column)) or _not_whole(
            value, (specs or {}).get(column)
        )
        if mismatch:
            out.note(cell, mismatch)
            row[column] = None
            out.conflicts.add(cell)  # no later row may fill it as if nothing was wrong
            continue
        if cell in out.conflicts:
            continue
        if row.get(column) is not None and row[column] != value.number:
            out.note(cell, "同一栏目出现两个不同的数，均不采用")
            row[column] = None
            out.conflicts.add(cell)
            out.lines.pop(cell, None)
            out.places.pop(cell, None)
            continue
        row[column] = value.number
        out.lines[cell] = line
        place = reading.place(index)
        if place is not None:
            out.places[cell] = place
    if reading.note:
        out.note(f"{name}.{key}", reading.note)


def _too_many_rows(out: Extracted, name: str, rows: list) -> bool:
    if len(rows) <= MAX_TABLE_ROWS:
        return False
    out.note(name, f"找到 {len(rows)} 行，远多于该表应有的行数，不像一张统计表，整表未读取")
    return True


def read_table2(rows: list[tuple[str, RowText]], fmt: str) -> Extracted:
    out = Extracted({}, {}, [], bool(rows))
    if _too_many_rows(out, "table2", rows):
        return out
    if fmt not in layout.TABLE2:
        return out
    blocks = {r.key: b for b in layout.TABLE2[fmt] for r in b.rows}
    for key, row in rows:
        block = blocks.get(key)
        if block is None:
            out.note(f"table2.{key}", f"此行不属于 {fmt} 格式的表二")
            continue
        specs = {c.key: c for c in block.columns if c.kind != "unit"}
        columns = list(specs)
        reading = read_row(row, len(columns), label_columns=False)
        _store(out, "table2", key, columns, reading, row.line, specs)
        if key == "central_procurement" and len(reading.values) == 2:
            amount = reading.values[1]
            if amount is not None and out.table[key].get("procurement_amount") is not None:
                out.table[key]["procurement_amount_unit"] = amount.unit
    return out


def read_table3(
    rows: list[tuple[str | None, RowText]],
    fmt: str,
    unplaced: Sequence[tuple[int, str]] = (),
    claims: dict[int, tuple[str, ...]] | None = None,
) -> Extracted:
    out = Extracted({}, {}, [], bool(rows) or bool(unplaced))
    for line, why in unplaced:
        out.note("table3", f"第 {line} 行的数字未采用：{why}")
    if _too_many_rows(out, "table3", rows):
        return out
    if fmt not in layout.TABLE3_ROWS:
        return out
    order = [r.key for r in layout.TABLE3_ROWS[fmt]]
    keyed = _fill_lost_labels(rows, order, out, claims)
    columns = [c.key for c in layout.TABLE3_COLUMNS]
    budget = [MAX_SPLITS]  # run-together digits: one budget for the whole table
    readings = [(key, row, read_row(row, 7, layout.table3_row_holds, budget)) for key, row in keyed]
    # Spec §8 D1: the 总计 column is often left blank outside rows 一, 二, （七）, 四. When the
    # table itself shows that (a delimited row with its 总计 cell empty), a row printing only six
    # numbers is read as the six applicant columns with 总计 blank.
    d1 = any(
        r.values[6] is not None
        and r.values[6].blank
        and all(v is not None and v.number is not None for v in r.values[:6])
        for _, _, r in readings
    )
    for i, (key, row, reading) in enumerate(readings):
        # a row whose cells were placed by their printed positions (PDF, Word) is not re-read:
        # its numbers' columns were measured, not inferred from the other rows
        if reading.short_by_one and d1 and not row.places:
            at = [j for j, c in enumerate(row.cells) if c.strip()]
            reading = Reading(
                [*(read_value(row.cells[j]) for j in at), Value(None, blank=True)],
                places=[row.place(j) for j in at] + [None] if row.places else [],
            )
            readings[i] = (key, row, reading)
            out.note(
                f"table3.{key}", "此行只印出六个数，按本表其他行的排法读作六类申请人，总计栏为空"
            )
    decoded = _decode_runs3(readings, fmt, out)
    for key, row, reading in readings:
        _store(out, "table3", key, columns, reading, row.line, _T3_SPECS)
        for column in decoded.get(key, ()):
            if out.table.get(key, {}).get(column) is not None:
                out.reading[f"table3.{key}.{column}"] = "decoded"
    return out


def _has_run(row: RowText, width: int) -> bool:
    """The row printed digits of several cells touching: glued to the label (``规章000``);
    in plain text, fewer tokens than cells with a run among them (spaces may be stray); in a
    delimited row, one run alone (``| 6000006 | | |``: a number with several digits in a
    cell of its own is one number). Only the whole table's arithmetic may split such a row:
    a split chosen by the row's own total alone could follow a misprinted total."""
    filled = [c for c in row.cells if c.strip()]
    if row.glued:
        return True
    if row.delimited:  # too few digits for every cell: one number in a row of blanks
        return len(filled) == 1 and is_digit_run(filled[0]) and len(compact(filled[0])) >= width
    return len(filled) != width and any(is_digit_run(c) for c in filled)


def _tokens(row: RowText) -> tuple[tuple[str, ...], bool]:
    """What a row printed, for the decoder: its filled cells (normalized), and whether the
    gaps between them are certain cell boundaries (a delimited row) or maybe stray spaces.

    The empty cells of a delimited row with a run are left out: they may be blank cells or
    the padding a flattened table leaves (``| 6000006 | | | |``), and only the run's digits
    are certain; a reading that needed them to be blanks is not published."""
    filled = tuple(normalize(c).strip() for c in row.cells if c.strip())
    return filled, row.delimited and not row.glued


def _certain_ints(reading: Reading) -> tuple[int | None, ...] | None:
    """A row read with certainty as whole numbers and blanks (None), else None."""
    out: list[int | None] = []
    for v in reading.values:
        if v is not None and v.blank:
            out.append(None)
        elif v is not None and isinstance(v.number, int):
            out.append(v.number)
        else:
            return None
    return tuple(out)


def _decode_runs3(
    readings: list[tuple[str, RowText, Reading]], fmt: str, out: Extracted
) -> dict[str, list[str]]:
    """Split the run-together digits of 表三 with the whole table's arithmetic at once
    (:func:`gongkai.parse.decode.decode_table3`); the rows read with certainty take part as
    fixed numbers. Replaces the readings of those rows in place; returns row key → the
    columns whose value the arithmetic chose."""
    runs = [i for i, (_, row, _r) in enumerate(readings) if _has_run(row, 7)]
    if not runs:
        return {}
    # a row printed twice (with numbers) is a conflict _store reports; its runs are not split
    counts = Counter(key for key, row, _ in readings if any(c.strip() for c in row.cells))
    inputs: list[RowInput] = []
    for i, (key, row, reading) in enumerate(readings):
        if counts[key] > 1:
            continue  # a row printed twice: the conflict is reported by _store
        if i in runs:
            tokens, bounds = _tokens(row)
            inputs.append(RowInput(key, tokens, bounds))
        elif (fixed := _certain_ints(reading)) is not None:
            inputs.append(RowInput(key, fixed, True))
    table = decode_table3(inputs, fmt)
    chosen: dict[str, list[str]] = {}
    columns = [c.key for c in layout.TABLE3_COLUMNS]
    for i in runs:
        key, row, reading = readings[i]
        cells = table.cells.get(key)
        if cells is None or counts[key] > 1:
            twice = "数字连在一起，且此行印了不止一次，未拆分"
            readings[i] = (key, row, Reading([None] * 7, twice, raw=reading.raw))
            continue
        values = [
            Value(c.value, raw=str(c.value))
            if c.value is not None
            else (BLANK if c.why == "blank" else None)
            for c in cells
        ]
        notes = {c.note for c in cells if c.value is None and c.why != "blank" and c.note}
        readings[i] = (key, row, Reading(values, "；".join(sorted(notes)) or None, raw=reading.raw))
        chosen[key] = [col for col, c in zip(columns, cells, strict=True) if c.how == DECODED]
    if not table.consistent:
        out.note(
            "table3",
            "数字连在一起的各行，无论怎样拆分都不能同时满足本表的勾稽关系，需要拆分的格未采用",
        )
    return chosen


def _fill_lost_labels(
    rows: list[tuple[str | None, RowText]],
    order: list[str],
    out: Extracted,
    claims: dict[int, tuple[str, ...]] | None = None,
) -> list[tuple[str, RowText]]:
    """Give rows without a label the only keys their labelled neighbours leave for them
    (and, where labels were printed apart for some of them, only if those are among the
    keys, in order)."""
    position = {key: i for i, key in enumerate(order)}
    keyed: list[tuple[str, RowText]] = []
    i = 0
    while i < len(rows):
        key, row = rows[i]
        if key is not None:
            if key in position:
                keyed.append((key, row))
            else:
                out.note(f"table3.{key}", "此行不属于本报告格式的表三")
            i += 1
            continue
        j = i
        while j < len(rows) and rows[j][0] is None:
            j += 1
        before = next((position[k] for k, _ in reversed(keyed) if k in position), -1)
        after = next((position[k] for k, _ in rows[j:] if k in position), len(order))
        gap = [k for k in order[before + 1 : after]]
        claimed = [k for n in range(i, j) for k in (claims or {}).get(n, ())]
        fits = all(k in gap for k in claimed) and claimed == sorted(claimed, key=gap.index)
        if len(gap) == j - i and fits:
            keyed.extend(zip(gap, (r for _, r in rows[i:j]), strict=True))
        else:
            for _, lost in rows[i:j]:
                why = (
                    f"前面有 {len(claimed)} 个单独成行的行名、其后有 {j - i} 行没有行名的数字，"
                    "无法确定对应关系"
                    if claimed
                    else "无法确定属于哪一行"
                )
                out.note("table3", f"第 {lost.line} 行的数字没有行名，{why}，未采用")
        i = j
    return keyed


def read_table4(rows: list[RowText]) -> Extracted:
    out = Extracted({}, {}, [], bool(rows))
    if _too_many_rows(out, "table4", rows):
        return out
    if not rows:
        return out
    groups = [g.key for g in layout.TABLE4_GROUPS]
    columns = [c.key for c in layout.TABLE4_COLUMNS]
    if len(rows) == 1:
        row = rows[0]
    else:  # values spread over several lines: join them, empties kept
        cells = [c for r in rows for c in r.cells]
        places = [r.place(i) for r in rows for i in range(len(r.cells))]
        row = RowText(
            rows[0].line,
            "",
            cells,
            all(r.delimited for r in rows),
            places=places if any(places) else [],
        )
    reading = read_row(row, 15, layout.table4_holds, [MAX_SPLITS])
    chosen: set[str] = set()
    if _has_run(row, 15):
        tokens, bounds = _tokens(row)
        table = decode_table4(tokens, bounds)
        values: list[Value | None] = []
        why: set[str] = set()
        for group in groups:
            for column, cell in zip(columns, table.cells[group], strict=True):
                if cell.value is not None:
                    values.append(Value(cell.value, raw=str(cell.value)))
                    if cell.how == DECODED:
                        chosen.add(f"table4.{group}.{column}")
                else:
                    values.append(BLANK if cell.why == "blank" else None)
                    if cell.why != "blank" and cell.note:
                        why.add(cell.note)
        reading = Reading(values, "；".join(sorted(why)) or None, raw=reading.raw)
    for g, group in enumerate(groups):
        part = Reading(reading.values[g * 5 : g * 5 + 5], places=reading.places[g * 5 : g * 5 + 5])
        _store(out, "table4", group, columns, part, row.line, _T4_SPECS)
    out.reading.update(
        (cell, "decoded") for cell in sorted(chosen) if _stored(out, cell) is not None
    )
    if reading.note:
        out.note("table4", reading.note)
    return out


def _stored(out: Extracted, cell: str) -> object:
    _, row, column = cell.split(".")
    return out.table.get(row, {}).get(column)
