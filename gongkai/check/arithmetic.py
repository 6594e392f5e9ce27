"""Check stage: the report's own arithmetic (勾稽关系) and the plausibility of its values.

Checks only ever compare printed numbers; a cell that is ``None`` makes its check
skip (it is reported by the parser instead). Nothing here changes a value.
"""

from __future__ import annotations

from gongkai import layout
from gongkai.model import Problem, Record

_T3_COL = {c.key: c.label for c in layout.TABLE3_COLUMNS}
_T4_COL = {c.key: c.label for c in layout.TABLE4_COLUMNS}
_T4_GROUP = {g.key: g.label for g in layout.TABLE4_GROUPS}
_T4_RULE = {"review": "T4-A", "lit_direct": "T4-B", "lit_after_review": "T4-C"}
# Larger than any real count: the biggest municipal aggregates are ~10^7 (spec §8 D12).
ABSURD = 10**9


def _row_label(fmt: str, key: str) -> str:
    return layout.table3_label(fmt, key)


def _num(x: float) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


def check_record(record: Record) -> list[Problem]:
    problems: list[Problem] = []
    fmt = record.format
    problems += _check_values(record)
    if fmt in layout.TABLE3_ROWS:
        problems += _check_t3(record.table3, fmt)
    problems += _check_t4(record.table4)
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
                cell = f"{name}.{row}.{col}"
                if value < 0 and col != "delta_items":
                    out.append(
                        Problem(
                            "NEG",
                            "error",
                            (cell,),
                            f"{cell} 印为负数 {_num(value)}，件数不应为负。",
                            value,
                        )
                    )
                elif abs(value) >= ABSURD:
                    out.append(
                        Problem(
                            "HUGE",
                            "warning",
                            (cell,),
                            f"{cell} 印为 {_num(value)}，数值异常大，请核对原文。",
                            value,
                        )
                    )
    return out


def _check_t3(t3: dict, fmt: str) -> list[Problem]:
    out: list[Problem] = []
    results = layout.TABLE3_RESULT_ROWS[fmt]
    for col, col_label in _T3_COL.items():
        a, b = t3["new_received"][col], t3["carried_over"][col]
        c, d = t3["total_processed"][col], t3["carried_forward"][col]
        if None not in (a, b, c, d) and a + b != c + d:
            out.append(
                Problem(
                    "T3-A",
                    "error",
                    tuple(
                        f"table3.{r}.{col}"
                        for r in (
                            "new_received",
                            "carried_over",
                            "total_processed",
                            "carried_forward",
                        )
                    ),
                    f"表三“{col_label}”栏：本年新收 {a} 件加上年结转 {b} 件共 {a + b} 件，"
                    f"但办理结果总计 {c} 件加结转下年度 {d} 件共 {c + d} 件，两者不等。",
                    c + d,
                    a + b,
                )
            )
        parts = [t3[r][col] for r in results]
        total = t3["total_processed"][col]
        if total is not None and None not in parts and sum(parts) != total:
            nonzero = [f"{_row_label(fmt, r)} {t3[r][col]}" for r in results if t3[r][col]]
            detail = "、".join(nonzero) if nonzero else "全部为 0"
            out.append(
                Problem(
                    "T3-B",
                    "error",
                    (f"table3.total_processed.{col}", *(f"table3.{r}.{col}" for r in results)),
                    f"表三“{col_label}”栏：“（七）总计”印为 {total}，但各项办理结果相加为 {sum(parts)}（{detail}）。",
                    total,
                    sum(parts),
                )
            )
    for row in t3:
        cells = t3[row]
        applicants = [cells[c] for c in layout.TABLE3_APPLICANTS]
        total = cells["total"]
        if total is not None and None not in applicants and sum(applicants) != total:
            out.append(
                Problem(
                    "T3-C",
                    "error",
                    tuple(f"table3.{row}.{c}" for c in _T3_COL),
                    f"表三“{_row_label(fmt, row)}”一行：总计印为 {total}，但六类申请人相加为 {sum(applicants)}。",
                    total,
                    sum(applicants),
                )
            )
    return out


def _check_t4(t4: dict) -> list[Problem]:
    out = []
    for group, cells in t4.items():
        parts = [cells[c] for c in ("upheld", "corrected", "other", "pending")]
        total = cells["total"]
        if total is not None and None not in parts and sum(parts) != total:
            out.append(
                Problem(
                    _T4_RULE[group],
                    "error",
                    tuple(f"table4.{group}.{c}" for c in _T4_COL),
                    f"表四“{_T4_GROUP[group]}”：总计印为 {total}，但结果维持、结果纠正、其他结果、尚未审结相加为 {sum(parts)}。",
                    total,
                    sum(parts),
                )
            )
    return out


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
