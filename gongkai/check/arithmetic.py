"""Check stage: the report's own arithmetic (勾稽关系) and the plausibility of its values.

Checks only ever compare printed numbers; a cell that is ``None`` makes its check
skip (it is reported by the parser instead). Nothing here changes a value.
"""

from __future__ import annotations

from functools import lru_cache

from gongkai import layout
from gongkai.model import Problem, Record

_T3_COL = {c.key: c.label for c in layout.TABLE3_COLUMNS}
_T4_GROUP = {g.key: g.label for g in layout.TABLE4_GROUPS}
# Larger than any real count: the biggest municipal aggregates are ~10^7 (content/format.md §7).
ABSURD = 10**9


def _row_label(fmt: str, key: str) -> str:
    return layout.table3_label(fmt, key)


def _num(x: float) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


def check_record(record: Record) -> list[Problem]:
    problems: list[Problem] = []
    fmt = record.format
    problems += _check_values(record)
    problems += _check_identities(record)
    if fmt in layout.TABLE2:
        problems += _check_t2(record.table2, fmt)
    problems += _check_format_year(fmt, record.year)
    return problems


def _check_values(record: Record) -> list[Problem]:
    out = []
    for name in ("table2", "table3", "table4"):
        for row, cols in getattr(record, name).items():
            for col, value in cols.items():
                if not isinstance(value, int | float) or isinstance(value, bool):
                    continue
                if abs(value) < ABSURD and (value >= 0 or col == "delta_items"):
                    continue  # the usual case: nothing to say, no name to make
                cell = f"{name}.{row}.{col}"
                where = layout.cell_name(cell, record.format)
                if value < 0 and col != "delta_items":
                    out.append(
                        Problem(
                            "NEG",
                            "error",
                            (cell,),
                            f"{where}印为负数 {_num(value)}，件数不应为负。",
                            value,
                        )
                    )
                elif abs(value) >= ABSURD:
                    out.append(
                        Problem(
                            "HUGE",
                            "warning",
                            (cell,),
                            f"{where}印为 {_num(value)}，数值异常大，请核对原文。",
                            value,
                        )
                    )
    return out


@lru_cache(maxsize=1024)
def _parts(ref: str) -> tuple[str, str, str]:
    table, row_col = ref.split(".", 1)
    row, col = row_col.rsplit(".", 1)
    return table, row, col


def _value(record: Record, ref: str) -> int | float | None:
    table, row, col = _parts(ref)
    value = getattr(record, table).get(row, _NO_ROW).get(col)
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


_NO_ROW: dict[str, object] = {}


def _check_identities(record: Record) -> list[Problem]:
    """Every identity of the format (:func:`gongkai.layout.identities`) whose cells are all
    printed and whose two sides differ."""
    out = []
    for identity in layout.identities(record.format):
        left = [_value(record, ref) for ref in identity.left]
        right = [_value(record, ref) for ref in identity.right]
        if None in left or None in right:
            continue
        a, b = sum(left), sum(right)  # type: ignore[arg-type]
        if a != b:
            message = _RULE_MESSAGES.get(identity.rule, _t4)
            out.append(message(record, identity, left, right))
    return out


def _column(ref: str) -> str:
    return _T3_COL[ref.rsplit(".", 1)[1]]


def _t3a(record: Record, identity: layout.Identity, left: list, right: list) -> Problem:
    a, b = left
    c, d = right
    return Problem(
        identity.rule,
        "error",
        identity.cells,
        f"表三“{_column(identity.left[0])}”一栏：本年新收 {a} 件、上年结转 {b} 件，共 {a + b} 件；"
        f"办理结果总计 {c} 件、结转下年度 {d} 件，共 {c + d} 件。这两个数应当相等，报告却不等。",
        c + d,
        a + b,
    )


def _t3b(record: Record, identity: layout.Identity, left: list, right: list) -> Problem:
    (total,) = left
    fmt = record.format
    results = layout.TABLE3_RESULT_ROWS[fmt]
    nonzero = [f"{_row_label(fmt, r)} {v} 件" for r, v in zip(results, right, strict=True) if v]
    detail = "、".join(nonzero) if nonzero else "全部为 0"
    return Problem(
        identity.rule,
        "error",
        identity.cells,
        f"表三“{_column(identity.left[0])}”一栏：报告印的办理结果总计是 {total}，"
        f"但各项办理结果加起来是 {sum(right)}（{detail}）。",
        total,
        sum(right),
    )


def _t3c(record: Record, identity: layout.Identity, left: list, right: list) -> Problem:
    (total,) = right
    row = identity.right[0].split(".", 1)[1].rsplit(".", 1)[0]
    return Problem(
        identity.rule,
        "error",
        identity.cells,
        f"表三“{_row_label(record.format, row)}”一行：报告印的总计是 {total}，"
        f"但六类申请人加起来是 {sum(left)}。",
        total,
        sum(left),
    )


def _t4(record: Record, identity: layout.Identity, left: list, right: list) -> Problem:
    (total,) = right
    group = identity.right[0].split(".")[1]
    return Problem(
        identity.rule,
        "error",
        identity.cells,
        f"表四“{_T4_GROUP[group]}”：报告印的总计是 {total}，"
        f"但结果维持、结果纠正、其他结果、尚未审结加起来是 {sum(left)}。",
        total,
        sum(left),
    )


_RULE_MESSAGES = {"T3-A": _t3a, "T3-B": _t3b, "T3-C": _t3c}


def _check_t2(t2: dict, fmt: str) -> list[Problem]:
    out = []
    names = {
        "regulations": "规章",
        "normative_docs": "行政规范性文件" if fmt == "F2021" else "规范性文件",
    }
    for row, label in names.items():
        cells = t2.get(row, {})
        if fmt == "F2021":
            issued, repealed, valid = cells.get("issued"), cells.get("repealed"), cells.get("valid")
            if None not in (issued, repealed, valid) and valid < issued - repealed:
                out.append(
                    Problem(
                        "T2-W",
                        "warning",
                        tuple(f"table2.{row}.{c}" for c in ("issued", "repealed", "valid")),
                        f"表二“{label}”：现行有效 {valid} 件少于本年制发 {issued} 件减本年废止 {repealed} 件，请核对。",
                        valid,
                        issued - repealed,
                    )
                )
        else:
            new_pub, total_pub = cells.get("new_published"), cells.get("total_published")
            if None not in (new_pub, total_pub) and total_pub < new_pub:
                out.append(
                    Problem(
                        "T2-W",
                        "warning",
                        (f"table2.{row}.new_published", f"table2.{row}.total_published"),
                        f"表二“{label}”：对外公开总数量 {total_pub} 少于本年新公开数量 {new_pub}，请核对。",
                        total_pub,
                        new_pub,
                    )
                )
    return out


def _check_format_year(fmt: str, year: int | None) -> list[Problem]:
    if year is None or fmt == "unknown":
        return []
    expected = "F2021" if year >= 2021 else "F2019" if year >= 2019 else None
    if expected and expected != fmt:
        names = {"F2021": "2021 年格式", "F2019": "2019 年试行格式"}
        return [
            Problem(
                "FMT-YEAR",
                "warning",
                (),
                f"{year} 年的报告通常使用{names[expected]}，本报告使用的是{names[fmt]}。",
            )
        ]
    return []
