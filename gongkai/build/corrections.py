"""A maintainer's corrections of values gongkai misread, from the report's sidecar.

Ground rule 1 says a report's own errors are shown, never fixed. A *misreading* is ours: a
scan's digit read wrong, a cell put in the wrong column. The sidecar beside the report says
which cell should hold what, and why::

    corrections:
      - cell: table3.new_received.total
        value: 5
        reason: 原文第 2 页表三“本年新收”总计印为 5，扫描件识别为 3

:func:`sidecar_corrections` reads that list (what is wrong with it becomes a note of the
build report, never an error); :func:`apply` puts the values into the record, keeps what was
read beside them (:class:`~gongkai.model.Correction`), and runs the report's own checks
again on the corrected record. A cell the record does not have (unknown table, row or
column of the report's format), a value that is not a whole number (a decimal only in a
column of amounts), or a second correction of one cell is a note, and the correction is not
applied.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from gongkai import layout
from gongkai.check import check_record
from gongkai.model import Correction, Number, Report

MAX_CORRECTIONS = 500  # a report has ~250 cells
TABLES = ("table2", "table3", "table4")


def sidecar_corrections(data: Any) -> tuple[tuple[Correction, ...], list[str]]:
    """The sidecar's ``corrections:`` value → the corrections well formed, and notes (plain
    Chinese) on the entries left out. The cell is checked against the record later."""
    if data is None:
        return (), []
    if not isinstance(data, list):
        return (), ["附加信息中的 corrections 应为一个列表（每项含 cell、value、reason），未采用。"]
    out: list[Correction] = []
    notes: list[str] = []
    for n, item in enumerate(data[:MAX_CORRECTIONS], 1):
        where = f"附加信息中的第 {n} 项更正"
        if not isinstance(item, dict):
            notes.append(f"{where}应为“cell: …, value: …, reason: …”，未采用。")
            continue
        cell, value, reason = item.get("cell"), item.get("value"), item.get("reason")
        unknown = sorted(str(k)[:40] for k in item if k not in ("cell", "value", "reason"))
        if not isinstance(cell, str) or not cell.strip():
            notes.append(f"{where}没有写明格（cell，如 table3.new_received.total），未采用。")
        elif not isinstance(reason, str) or not reason.strip():
            notes.append(f"{where}（{cell.strip()[:80]}）没有写明理由（reason），未采用。")
        elif "value" not in item:
            notes.append(f"{where}（{cell.strip()[:80]}）没有写明更正后的值（value），未采用。")
        elif value is not None and (
            isinstance(value, bool) or not isinstance(value, int | float) or value != value
        ):
            notes.append(f"{where}（{cell.strip()[:80]}）的值不是数字，未采用。")
        else:
            if unknown:
                notes.append(f"{where}有未使用的键：{'、'.join(unknown)[:200]}")
            out.append(Correction(cell.strip(), value, reason.strip()[:500]))
    if len(data) > MAX_CORRECTIONS:
        notes.append(f"附加信息中的更正超过 {MAX_CORRECTIONS} 项，其余未采用。")
    return tuple(out), notes


def _column_kind(fmt: str, table: str, row: str, col: str) -> str:
    if table == "table2" and fmt in layout.TABLE2:
        for block in layout.TABLE2[fmt]:
            if any(r.key == row for r in block.rows):
                for c in block.columns:
                    if c.key == col:
                        return c.kind
    return "count"


def _check(report: Report, c: Correction, seen: set[str]) -> str | None:
    """Why the correction cannot be applied to this record, or None."""
    record = report.record
    table, _, rest = c.cell.partition(".")
    row, _, col = rest.rpartition(".")
    cells = getattr(record, table, None) if table in TABLES else None
    if cells is None or row not in cells or col not in cells[row]:
        return f"附加信息中的更正格 {c.cell[:80]} 不是本报告（{record.format}）表格中的格，未采用。"
    if c.cell in seen:
        return f"附加信息中对 {c.cell} 有两项更正，只采用第一项。"
    kind = _column_kind(record.format, table, row, col)
    if kind == "unit":
        return f"附加信息中的更正格 {c.cell} 是单位，不是数字，未采用。"
    if isinstance(c.value, float) and kind != "decimal":
        return f"附加信息中对 {c.cell} 的更正值 {c.value} 不是整数，未采用。"
    if kind == "count" and isinstance(c.value, int) and c.value < 0:
        return f"附加信息中对 {c.cell} 的更正值 {c.value} 是负数，未采用。"
    return None


def apply(report: Report) -> Report:
    """The report with its sidecar's corrections applied (``Report.corrections``), the
    record's own checks run again, and a note for each correction left out."""
    wanted = report.meta.corrections
    if not wanted:
        return report
    record = report.record
    notes: list[str] = []
    applied: list[Correction] = []
    seen: set[str] = set()
    tables = {t: getattr(record, t) for t in TABLES}
    copied: set[tuple[str, str]] = set()
    for c in wanted:
        why = _check(report, c, seen)
        if why is not None:
            notes.append(why)
            continue
        seen.add(c.cell)
        table, _, rest = c.cell.partition(".")
        row, _, col = rest.rpartition(".")
        if (table, row) not in copied:  # the cached record is never changed in place
            if table not in {t for t, _ in copied}:
                tables[table] = dict(tables[table])
            tables[table][row] = dict(tables[table][row])
            copied.add((table, row))
        read: Number | None = tables[table][row][col]
        tables[table][row][col] = c.value
        applied.append(replace(c, read=read))
    # dict.fromkeys: applied again to the whole record (inputs.complete), no note twice
    meta = replace(report.meta, notes=tuple(dict.fromkeys((*report.meta.notes, *notes))))
    if not applied:
        return replace(report, meta=meta)
    fixed = {c.cell for c in applied}
    arithmetic = set(check_record(record))
    kept = [
        p
        for p in record.problems
        if p not in arithmetic and not (p.rule == "READ" and p.cells and set(p.cells) <= fixed)
    ]
    corrected = replace(
        record,
        **tables,
        reading={k: v for k, v in record.reading.items() if k not in fixed},
        problems=(),
    )
    corrected = replace(corrected, problems=(*kept, *check_record(corrected)))
    return replace(report, record=corrected, meta=meta, corrections=tuple(applied))
