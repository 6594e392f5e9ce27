"""The national report formats as data: every table, row, column and label.

Transcribed from ``spec/format.md`` §10 and ``spec/record.md``. The keys are the
project's stable data contract (record v1): the dataset, the pages and outside
checks read them, so they never change without a record-version bump.
This module imports nothing of ours.
"""

from __future__ import annotations

from dataclasses import dataclass

RECORD_VERSION = 1
FORMATS = ("F2021", "F2019")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    unit: str | None = None
    kind: str = "count"  # count | decimal | signed | unit (a printed unit, not a number)


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Block:
    """One 第二十条第（N）项 block of 表二."""

    item: str  # the Chinese numeral of the 项: 一 五 六 八 九
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]

    @property
    def header(self) -> str:
        return f"第二十条第（{self.item}）项"


def _cols(*specs: tuple) -> tuple[Column, ...]:
    return tuple(Column(*s) for s in specs)


TABLE2: dict[str, tuple[Block, ...]] = {
    "F2021": (
        Block(
            "一",
            _cols(
                ("issued", "本年制发件数", "件"),
                ("repealed", "本年废止件数", "件"),
                ("valid", "现行有效件数", "件"),
            ),
            (Row("regulations", "规章"), Row("normative_docs", "行政规范性文件", ("规范性文件",))),
        ),
        Block("五", _cols(("decisions", "本年处理决定数量")), (Row("licensing", "行政许可"),)),
        Block(
            "六",
            _cols(("decisions", "本年处理决定数量")),
            (Row("penalty", "行政处罚"), Row("coercion", "行政强制")),
        ),
        Block(
            "八",
            _cols(("fee_amount", "本年收费金额（单位：万元）", "万元", "decimal")),
            (Row("admin_fees", "行政事业性收费"),),
        ),
    ),
    "F2019": (
        Block(
            "一",
            _cols(
                ("new_made", "本年新制作数量"),
                ("new_published", "本年新公开数量"),
                ("total_published", "对外公开总数量"),
            ),
            (Row("regulations", "规章"), Row("normative_docs", "规范性文件", ("行政规范性文件",))),
        ),
        Block(
            "五",
            _cols(
                ("prev_items", "上一年项目数量"),
                ("delta_items", "本年增/减", None, "signed"),
                ("decisions", "处理决定数量"),
            ),
            (Row("licensing", "行政许可"), Row("other_services", "其他对外管理服务事项")),
        ),
        Block(
            "六",
            _cols(
                ("prev_items", "上一年项目数量"),
                ("delta_items", "本年增/减", None, "signed"),
                ("decisions", "处理决定数量"),
            ),
            (Row("penalty", "行政处罚"), Row("coercion", "行政强制")),
        ),
        Block(
            "八",
            _cols(("prev_items", "上一年项目数量"), ("delta_items", "本年增/减", None, "signed")),
            (Row("admin_fees", "行政事业性收费"),),
        ),
        Block(
            "九",
            _cols(
                ("procurement_count", "采购项目数量"),
                ("procurement_amount", "采购总金额", None, "decimal"),
                ("procurement_amount_unit", "采购总金额单位", None, "unit"),
            ),
            (Row("central_procurement", "政府集中采购"),),
        ),
    ),
}

TABLE3_COLUMNS: tuple[Column, ...] = _cols(
    ("natural_person", "自然人"),
    ("commercial", "商业企业"),
    ("research", "科研机构"),
    ("public_welfare", "社会公益组织"),
    ("legal_service", "法律服务机构"),
    ("other_org", "其他"),
    ("total", "总计"),
)
TABLE3_APPLICANTS = tuple(c.key for c in TABLE3_COLUMNS[:-1])

_T3_HEAD = (
    Row("new_received", "一、本年新收政府信息公开申请数量"),
    Row("carried_over", "二、上年结转政府信息公开申请数量"),
    Row("granted", "（一）予以公开"),
    Row("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    Row("denied.state_secret", "1.属于国家秘密"),
    Row("denied.law_forbidden", "2.其他法律行政法规禁止公开"),
    Row("denied.three_safety_one_stability", "3.危及“三安全一稳定”"),
    Row("denied.third_party", "4.保护第三方合法权益"),
    Row("denied.internal_affairs", "5.属于三类内部事务信息"),
    Row("denied.process_info", "6.属于四类过程性信息"),
    Row("denied.enforcement_file", "7.属于行政执法案卷"),
    Row("denied.admin_query", "8.属于行政查询事项"),
    Row("unable.not_held", "1.本机关不掌握相关政府信息"),
    Row("unable.needs_creation", "2.没有现成信息需要另行制作"),
    Row("unable.unclear_after_correction", "3.补正后申请内容仍不明确"),
    Row("not_processed.petition_complaint", "1.信访举报投诉类申请"),
    Row("not_processed.repeat", "2.重复申请"),
    Row("not_processed.publication", "3.要求提供公开出版物"),
    Row("not_processed.mass_repeat", "4.无正当理由大量反复申请"),
    Row("not_processed.confirm_or_reissue", "5.要求行政机关确认或重新出具已获取信息"),
)
_T3_TAIL = (
    Row("total_processed", "（七）总计"),
    Row("carried_forward", "四、结转下年度继续办理"),
)
TABLE3_ROWS: dict[str, tuple[Row, ...]] = {
    "F2021": _T3_HEAD
    + (
        Row(
            "other.no_correction",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ),
        Row(
            "other.fee_unpaid",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ),
        Row("other.other", "3.其他"),
    )
    + _T3_TAIL,
    "F2019": _T3_HEAD + (Row("other", "（六）其他处理"),) + _T3_TAIL,
}

# The group a result row belongs to, for labels such as "（三）不予公开 › 1.属于国家秘密".
TABLE3_GROUPS = {
    "denied": "（三）不予公开",
    "unable": "（四）无法提供",
    "not_processed": "（五）不予处理",
    "other": "（六）其他处理",
}
# Rows that are outcomes of the year's handling (summed by T3-B into total_processed).
TABLE3_RESULT_ROWS: dict[str, tuple[str, ...]] = {
    fmt: tuple(r.key for r in rows[2:-2]) for fmt, rows in TABLE3_ROWS.items()
}

TABLE4_GROUPS: tuple[Row, ...] = (
    Row("review", "行政复议"),
    Row("lit_direct", "行政诉讼 › 未经复议直接起诉"),
    Row("lit_after_review", "行政诉讼 › 复议后起诉"),
)
TABLE4_COLUMNS: tuple[Column, ...] = _cols(
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
)

SECTIONS: tuple[tuple[str, str], ...] = (
    ("s1_overview", "一、总体情况"),
    ("s2_active", "二、主动公开政府信息情况"),
    ("s3_requests", "三、收到和处理政府信息公开申请情况"),
    ("s4_review_lit", "四、政府信息公开行政复议、行政诉讼情况"),
    ("s5_problems", "五、存在的主要问题及改进情况"),
    ("s6_other", "六、其他需要报告的事项"),
)

NULL_TOKENS = frozenset({"", "/", "-", "—", "－", "–", "——", "无", "空", "N/A", "n/a", "NA", "／"})


def table3_label(fmt: str, key: str) -> str:
    """The row label as a reader sees it, with its group: "（三）不予公开 › 1.属于国家秘密"."""
    row = next(r for r in TABLE3_ROWS[fmt] if r.key == key)
    group = key.split(".")[0]
    if "." in key and group in TABLE3_GROUPS:
        return f"{TABLE3_GROUPS[group]} › {row.label}"
    return row.label


def table2_cells(fmt: str) -> list[tuple[Block, Row, Column]]:
    return [(b, r, c) for b in TABLE2[fmt] for r in b.rows for c in b.columns]


def empty_tables(fmt: str) -> dict[str, dict[str, dict[str, None]]]:
    """Every row and column of the format, all null: the shape record.md requires."""
    if fmt not in FORMATS:
        return {"table2": {}, "table3": {}, "table4": empty_table4()}
    t2 = {r.key: {c.key: None for c in b.columns} for b in TABLE2[fmt] for r in b.rows}
    t3 = {r.key: {c.key: None for c in TABLE3_COLUMNS} for r in TABLE3_ROWS[fmt]}
    return {"table2": t2, "table3": t3, "table4": empty_table4()}


def empty_table4() -> dict[str, dict[str, None]]:
    return {g.key: {c.key: None for c in TABLE4_COLUMNS} for g in TABLE4_GROUPS}
