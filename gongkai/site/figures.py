"""Publish stage: the key figures of a record, and how to name any of its cells.

Only sums of printed numbers, and only when every part is printed: a group with a null
part is null (a sum of the known parts would be a wrong number). Shares are taken of the
report's own ``（七）总计``, as printed, so a report whose outcomes do not add up to its total
shows shares that do not add up to 100 % — the report's error is shown, not repaired.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from gongkai import layout
from gongkai.model import Record

Number = int | float

_PAREN_TAIL = re.compile(r"（[^（）]*）$")


def short_label(label: str) -> str:
    """ "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" → "（二）部分公开"."""
    return _PAREN_TAIL.sub("", label) or label


def _numeral_free(label: str) -> str:
    """ "（二）部分公开" → "部分公开"."""
    return re.sub(r"^（[一二三四五六七八九十]+）", "", label)


def _outcome_groups() -> tuple[tuple[str, str], ...]:
    rows = {r.key: r.label for r in layout.TABLE3_ROWS["F2021"]}
    out = [("granted", short_label(rows["granted"])), ("partial", short_label(rows["partial"]))]
    out += [(key, label) for key, label in layout.TABLE3_GROUPS.items()]
    return tuple(out)


# (group key, label) in the table's order: 予以公开, 部分公开, 不予公开, 无法提供, 不予处理, 其他处理
OUTCOME_GROUPS: tuple[tuple[str, str], ...] = _outcome_groups()
OUTCOME_NAMES = {key: _numeral_free(label) for key, label in OUTCOME_GROUPS}
APPLICANTS: tuple[tuple[str, str], ...] = tuple(
    (c.key, c.label) for c in layout.TABLE3_COLUMNS if c.key in layout.TABLE3_APPLICANTS
)
T4_OUTCOMES: tuple[tuple[str, str], ...] = tuple(
    (c.key, c.label) for c in layout.TABLE4_COLUMNS if c.key != "total"
)
T4_GROUPS: tuple[tuple[str, str], ...] = tuple((g.key, g.label) for g in layout.TABLE4_GROUPS)


def sum_known(values: Iterable[Number | None]) -> Number | None:
    """The sum when every part is printed, else None."""
    total: Number = 0
    for v in values:
        if v is None:
            return None
        total += v
    return total


@cache  # of the layout's constants only; asked for six times per report
def group_rows(fmt: str, group: str) -> tuple[str, ...]:
    """The table3 rows of an outcome group: "denied" → denied.state_secret, …"""
    keys = layout.TABLE3_RESULT_ROWS.get(fmt, ())
    return tuple(k for k in keys if k == group or k.startswith(group + "."))


_NO_ROW: dict[str, object] = {}


def cell(record: Record, table: str, row: str, col: str) -> Number | None:
    value = getattr(record, table).get(row, _NO_ROW).get(col)
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def outcome(record: Record, group: str, col: str = "total") -> Number | None:
    """The group's sum over its rows when every one is printed (``sum_known``), else None."""
    rows = group_rows(record.format, group)
    if not rows:
        return None
    table = record.table3
    total: Number = 0
    for row in rows:
        value = table.get(row, _NO_ROW).get(col)
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return None
        total += value
    return total


@dataclass(frozen=True)
class Share:
    """A part of the year's total; ``value`` None with ``reason`` "null" or "zero"."""

    value: float | None
    reason: str | None = None  # null: a number is missing; zero: the total is 0


_NULL_SHARE = Share(None, "null")
_ZERO_SHARE = Share(None, "zero")


def share(part: Number | None, whole: Number | None) -> Share:
    if part is None or whole is None:
        return _NULL_SHARE
    if whole == 0:
        return _ZERO_SHARE
    return Share(part / whole)


@dataclass(frozen=True)
class KeyFigures:
    received: Number | None  # 一、本年新收 · 总计
    carried_over: Number | None
    processed: Number | None  # （七）总计 · 总计
    carried_forward: Number | None
    outcomes: dict[str, Number | None]  # group → total column
    shares: dict[str, Share]
    review: Number | None  # 行政复议 · 总计
    lit_direct: Number | None
    lit_after_review: Number | None
    documents: tuple[tuple[str, Number | None], ...]  # (label, value) of 表二 （一）


def key_figures(record: Record) -> KeyFigures:
    t3 = "table3"
    processed = cell(record, t3, "total_processed", "total")
    outcomes = {g: outcome(record, g) for g, _ in OUTCOME_GROUPS}
    return KeyFigures(
        received=cell(record, t3, "new_received", "total"),
        carried_over=cell(record, t3, "carried_over", "total"),
        processed=processed,
        carried_forward=cell(record, t3, "carried_forward", "total"),
        outcomes=outcomes,
        shares={g: share(v, processed) for g, v in outcomes.items()},
        review=cell(record, "table4", "review", "total"),
        lit_direct=cell(record, "table4", "lit_direct", "total"),
        lit_after_review=cell(record, "table4", "lit_after_review", "total"),
        documents=documents(record),
    )


def documents(record: Record) -> tuple[tuple[str, Number | None], ...]:
    """Documents issued in the year (表二 第二十条第（一）项, first column), by row."""
    return tuple(
        (label, cell(record, "table2", row, col))
        for label, row, col in _document_cells(record.format)
    )


@cache
def _document_cells(fmt: str) -> tuple[tuple[str, str, str], ...]:
    """(label, row, column) of the cells ``documents`` reads, for a format."""
    blocks = layout.TABLE2.get(fmt)
    if not blocks:
        return ()
    first = blocks[0]
    col = first.columns[0]
    return tuple((f"{row.label} · {col.label}", row.key, col.key) for row in first.rows)
