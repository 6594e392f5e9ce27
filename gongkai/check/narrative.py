"""Check stage: the report's text against its own tables (rule NARR).

The counts the narrative states (:func:`gongkai.parse.narrative.statements`) are compared with
the cells they may mean. A statement is flagged only when it contradicts the table under
every fair reading: "收到申请 5 件" may count the 自然人 column only, or this year's and last
year's together; "行政诉讼 1 件" may count 未经复议直接起诉 and 复议后起诉 together or either
one. A blank cell decides nothing. The problem is a warning that quotes both sides: the
report contradicts itself, and neither number is changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from gongkai import layout
from gongkai.model import Problem, Record
from gongkai.parse.narrative import (
    CARRIED_FORWARD,
    CARRIED_OVER,
    LITIGATION,
    PROCESSED,
    RECEIVED,
    REVIEW,
    REVIEW_LITIGATION,
    Statement,
    statements,
)

_LIT_GROUPS = ("lit_direct", "lit_after_review")


@dataclass(frozen=True)
class Reading:
    """What the table says for one meaning of a statement: a value and the cells it is read
    from (one total, or the parts of a row whose total is blank)."""

    value: int | float
    cells: tuple[str, ...]


def check_narrative(record: Record) -> list[Problem]:
    """A NARR warning for each count the text states that the table contradicts."""
    out: list[Problem] = []
    seen: set[tuple[str, ...]] = set()
    # A scan's text is OCR: a digit in it may be misread, and a misread count would accuse
    # the report of a contradiction it does not make. Only what is said in words is compared.
    scanned = record.source is not None and record.source.kind == "ocr"
    for st in statements(record.sections, record.year):
        if scanned and not st.negation:
            continue
        found = _contradiction(record, st)
        if found is None or found in seen:
            continue
        seen.add(found)
        out.append(_problem(record, st, found))
    return out


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _cell(record: Record, ref: str) -> int | float | None:
    table, rest = ref.split(".", 1)
    row, col = rest.rsplit(".", 1)
    value = getattr(record, table).get(row, {}).get(col)
    return value if _is_number(value) else None


def _t3(record: Record, row: str, col: str) -> Reading | None:
    """A 表三 cell; for a blank 总计, the six applicants when all are printed."""
    ref = f"table3.{row}.{col}"
    value = _cell(record, ref)
    if value is not None:
        return Reading(value, (ref,))
    if col != "total":
        return None
    parts = tuple(f"table3.{row}.{a}" for a in layout.TABLE3_APPLICANTS)
    values = [_cell(record, p) for p in parts]
    if None in values:
        return None
    return Reading(sum(values), parts)  # type: ignore[arg-type]


def _t4(record: Record, group: str) -> Reading | None:
    """A 表四 group's 总计; for a blank one, its four parts when all are printed."""
    ref = f"table4.{group}.total"
    value = _cell(record, ref)
    if value is not None:
        return Reading(value, (ref,))
    parts = tuple(f"table4.{group}.{p}" for p in layout.TABLE4_PARTS)
    values = [_cell(record, p) for p in parts]
    if None in values:
        return None
    return Reading(sum(values), parts)  # type: ignore[arg-type]


def _plus(*readings: Reading | None) -> Reading | None:
    if any(r is None for r in readings):
        return None
    return Reading(
        sum(r.value for r in readings if r is not None),
        tuple(c for r in readings if r is not None for c in r.cells),
    )


def _minus(a: Reading | None, b: Reading | None) -> Reading | None:
    if a is None or b is None:
        return None
    return Reading(a.value - b.value, a.cells + b.cells)


def _positive(record: Record, refs: Iterable[str]) -> tuple[str, ...]:
    return tuple(ref for ref in refs if (_cell(record, ref) or 0) > 0)


# -- what a statement may mean --------------------------------------------------------------------


def _contradiction(record: Record, st: Statement) -> tuple[str, ...] | None:
    """The cells that contradict the statement under every reading, or None."""
    if st.kind == RECEIVED:
        return _received(record, st)
    if st.kind in (PROCESSED, CARRIED_OVER, CARRIED_FORWARD):
        return _table3_count(record, st)
    return _cases(record, st)


def _received(record: Record, st: Statement) -> tuple[str, ...] | None:
    cols = ("natural_person",) if st.scope == "natural_person" else ("total", "natural_person")
    if st.count == 0:
        return _any_received(record, "natural_person" if st.scope == "natural_person" else None)
    main = _t3(record, "new_received", cols[0])
    if main is None:
        return None
    readings: list[Reading | None] = [main]
    for col in cols:
        new, old = _t3(record, "new_received", col), _t3(record, "carried_over", col)
        readings += [new, _plus(new, old)]  # this year's, or all the year handled
    readings.append(_t3(record, "total_processed", cols[0]))
    return _unless_one_matches(st.count, main, readings)


def _any_received(record: Record, only: str | None) -> tuple[str, ...] | None:
    """The cells that say an application came in this year: a 本年新收 cell above 0 (the
    总计 first), or, when nothing was carried over from last year, any handled or
    carried-forward application (seed 武威: 本年新收 0, 上年结转 0, （四）无法提供 1)."""
    cols = (only,) if only else tuple(c.key for c in layout.TABLE3_COLUMNS)[::-1]
    new = _positive(record, (f"table3.new_received.{c}" for c in cols))
    if new:
        return new[:1]
    fmt = record.format
    if fmt not in layout.TABLE3_ROWS:
        return None
    for col in cols:
        carried = [_cell(record, f"table3.carried_over.{c}") for c in (col, "total")]
        if None in carried or any(carried):
            continue
        rows = (*layout.TABLE3_RESULT_ROWS[fmt], "total_processed", "carried_forward")
        handled = _positive(record, (f"table3.{r}.{col}" for r in rows))
        if handled:
            return (handled[0], f"table3.carried_over.{col}")
    return None


def _table3_count(record: Record, st: Statement) -> tuple[str, ...] | None:
    row = {
        PROCESSED: "total_processed",
        CARRIED_OVER: "carried_over",
        CARRIED_FORWARD: "carried_forward",
    }[st.kind]
    main = _t3(record, row, "total")
    if main is None:
        return None
    readings = [main, _t3(record, row, "natural_person")]
    if st.kind == PROCESSED:  # said of all the year's applications, or of the new ones
        new, old = _t3(record, "new_received", "total"), _t3(record, "carried_over", "total")
        forward = _t3(record, "carried_forward", "total")
        readings += [new, _plus(new, old), _minus(_plus(new, old), forward)]
        results = [
            _t3(record, r, "total") for r in layout.TABLE3_RESULT_ROWS.get(record.format, ())
        ]
        readings.append(_plus(*results) if results else None)
    return _unless_one_matches(st.count, main, readings)


def _cases(record: Record, st: Statement) -> tuple[str, ...] | None:
    groups = {
        REVIEW: ("review",),
        LITIGATION: _LIT_GROUPS,
        REVIEW_LITIGATION: ("review", *_LIT_GROUPS),
    }[st.kind]
    if st.count == 0:
        refs = (f"table4.{g}.{c}" for g in groups for c in ("total", *layout.TABLE4_PARTS))
        cells = _positive(record, refs)
        totals = tuple(c for c in cells if c.endswith(".total"))
        return (totals or cells[:1]) or None
    review = _t4(record, "review")
    direct, after = _t4(record, "lit_direct"), _t4(record, "lit_after_review")
    if st.kind == REVIEW:
        main, readings = review, [review, _plus(review, after)]
    elif st.kind == LITIGATION:
        main = _plus(direct, after)
        readings = [main, direct, after]
    else:
        main = _plus(review, direct, after)
        readings = [main, _plus(review, direct), _plus(review, after)]
    return _unless_one_matches(st.count, main, readings)


def _unless_one_matches(
    count: int, main: Reading | None, readings: list[Reading | None]
) -> tuple[str, ...] | None:
    if main is None or any(r is not None and r.value == count for r in readings):
        return None
    return main.cells


# -- the message ----------------------------------------------------------------------------------


def _num(x: float) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


def _problem(record: Record, st: Statement, cells: tuple[str, ...]) -> Problem:
    fmt = record.format
    values = [_cell(record, c) for c in cells]
    if st.count and len(cells) > 1:  # a sum: "表四…是 1，…是 0，共 1"
        parts = "，".join(
            f"{layout.cell_name(c, fmt)}是 {_num(v or 0)}"
            for c, v in zip(cells, values, strict=True)
        )
        table = f"{parts}，共 {_num(sum(v or 0 for v in values))}"
    elif st.kind == RECEIVED and st.count == 0 and len(cells) == 2 and ".carried_over." in cells[1]:
        table = f"{layout.cell_name(cells[0], fmt)}是 {_num(values[0] or 0)}，且上年结转为 0"
    else:
        table = "，".join(
            f"{layout.cell_name(c, fmt)}是 {_num(v or 0)}"
            for c, v in zip(cells, values, strict=True)
        )
    return Problem(
        "NARR",
        "warning",
        cells,
        f"正文说“{st.quote}”，但{table}。",
    )
