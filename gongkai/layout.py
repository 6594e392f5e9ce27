"""The national report formats as data: every table, row, column and label, the words that
recognise a row, the arithmetic that holds between cells, how a number and a blank are
printed, how a cell is named for a reader, and every rule a check can raise.

The one place for these facts: the parser, the checks, the pages and the dataset all read
them from here. The formats are described in words in ``content/format.md`` (the site's
格式说明 page). The keys are the project's stable data contract (record v1): the dataset,
the pages and outside checks read them, so they never change without a record-version bump.
This module imports nothing of ours.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

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
    # Distinctive words that recognise the row in a printed label however it is spaced,
    # bracketed or abbreviated (表三 only).
    words: tuple[str, ...] = ()


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
    Row("new_received", "一、本年新收政府信息公开申请数量", words=("本年新收",)),
    Row("carried_over", "二、上年结转政府信息公开申请数量", words=("上年结转",)),
    Row("granted", "（一）予以公开", words=("予以公开",)),
    Row(
        "partial",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        words=("部分公开",),
    ),
    Row("denied.state_secret", "1.属于国家秘密", words=("国家秘密",)),
    Row("denied.law_forbidden", "2.其他法律行政法规禁止公开", words=("法律行政法规禁止",)),
    Row("denied.three_safety_one_stability", "3.危及“三安全一稳定”", words=("三安全一稳定",)),
    Row("denied.third_party", "4.保护第三方合法权益", words=("第三方合法权益",)),
    Row("denied.internal_affairs", "5.属于三类内部事务信息", words=("内部事务",)),
    Row("denied.process_info", "6.属于四类过程性信息", words=("过程性信息",)),
    Row("denied.enforcement_file", "7.属于行政执法案卷", words=("行政执法案卷",)),
    Row("denied.admin_query", "8.属于行政查询事项", words=("行政查询事项",)),
    Row("unable.not_held", "1.本机关不掌握相关政府信息", words=("不掌握",)),
    Row("unable.needs_creation", "2.没有现成信息需要另行制作", words=("另行制作",)),
    Row("unable.unclear_after_correction", "3.补正后申请内容仍不明确", words=("仍不明确",)),
    Row("not_processed.petition_complaint", "1.信访举报投诉类申请", words=("信访举报投诉",)),
    Row("not_processed.repeat", "2.重复申请", words=("重复申请",)),
    Row("not_processed.publication", "3.要求提供公开出版物", words=("公开出版物",)),
    Row("not_processed.mass_repeat", "4.无正当理由大量反复申请", words=("大量反复",)),
    Row(
        "not_processed.confirm_or_reissue",
        "5.要求行政机关确认或重新出具已获取信息",
        words=("确认或重新出具",),
    ),
)
_T3_TAIL = (
    Row("total_processed", "（七）总计", words=("总计",)),
    Row("carried_forward", "四、结转下年度继续办理", words=("结转下年度",)),
)
TABLE3_ROWS: dict[str, tuple[Row, ...]] = {
    "F2021": _T3_HEAD
    + (
        Row(
            "other.no_correction",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            words=("逾期不补正",),
        ),
        Row(
            "other.fee_unpaid",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            words=("收费通知", "缴纳费用"),
        ),
        Row("other.other", "3.其他"),  # recognised by its numbering (parse.tables)
    )
    + _T3_TAIL,
    "F2019": _T3_HEAD + (Row("other", "（六）其他处理"),) + _T3_TAIL,
}
# The header note of 表三, which states its column identity (T3-A).
TABLE3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

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
TABLE4_PARTS = tuple(c.key for c in TABLE4_COLUMNS[:-1])  # they add up to the total
TABLE4_RULES = {"review": "T4-A", "lit_direct": "T4-B", "lit_after_review": "T4-C"}

# Header texts of the tables that are neither row nor column labels: how a table flattened
# into one line of text (a crawled web page) is cut back into its rows (gongkai.ingest.crawl).
TABLE2_HEADER = "信息内容"
TABLE3_HEADER = ("申请人情况", "法人或其他组织")
TABLE3_RESULTS = "三、本年度办理结果"  # the row label over （一） … （七）

SECTIONS: tuple[tuple[str, str], ...] = (
    ("s1_overview", "一、总体情况"),
    ("s2_active", "二、主动公开政府信息情况"),
    ("s3_requests", "三、收到和处理政府信息公开申请情况"),
    ("s4_review_lit", "四、政府信息公开行政复议、行政诉讼情况"),
    ("s5_problems", "五、存在的主要问题及改进情况"),
    ("s6_other", "六、其他需要报告的事项"),
)

# The words that recognise each section's heading however it is numbered (content/format.md §2):
# the canonical words first, then the variants seen in reports.
SECTION_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("s1_overview", ("总体情况",)),
    ("s2_active", ("主动公开政府信息情况", "主动公开政府信息")),
    ("s3_requests", ("收到和处理政府信息公开申请情况", "收到和处理政府信息公开申请")),
    (
        "s4_review_lit",
        (
            "行政复议、行政诉讼情况",
            "行政复议和行政诉讼情况",
            "行政复议行政诉讼情况",
            "被申请行政复议和提起行政诉讼情况",
        ),
    ),
    (
        "s5_problems",
        (
            "存在的主要问题及改进情况",
            "存在问题及改进情况",
            "存在问题和改进措施",
            "存在的主要问题及改进",
            "主要问题及改进情况",
        ),
    ),
    ("s6_other", ("其他需要报告的事项",)),
)

# -- how a value is printed ---------------------------------------------------------------

# What a report prints in a cell that holds no value: blank, a dash, 无 … (never read as 0).
NULL_TOKENS = frozenset({"", "/", "-", "—", "－", "–", "——", "无", "空", "N/A", "n/a", "NA", "／"})
# The number that opens a row label: 一、 （一） (二) 1. 2、 — not "12.5" or "2023".
ROW_NUMBER_PATTERN = r"[(（]?(?:[一二三四五六七八九十]{1,3}|\d{1,2})(?:[)）]|[、.．](?!\d))"
COUNT_UNITS = ("件", "项", "个", "条", "次", "宗", "家")
MONEY_UNITS = ("万元", "亿元", "元")
# A printed number, after NFKC (full-width digits and signs to ASCII) and without whitespace:
# optional sign, digits with optional thousands separators, optional decimals, optional
# unit. No leading zeros: "05" (a chapter number in the seed 武威) is not a table value.
NUMBER_PATTERN = (
    r"(?P<sign>[+\-±])?(?P<int>0|[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*)(?P<frac>\.\d+)?"
    rf"(?P<unit>{'|'.join(MONEY_UNITS + COUNT_UNITS)})?"
)


def table3_label(fmt: str, key: str) -> str:
    """The row label as a reader sees it, with its group: "（三）不予公开 › 1.属于国家秘密"."""
    row = next(r for r in TABLE3_ROWS[fmt] if r.key == key)
    group = key.split(".")[0]
    if "." in key and group in TABLE3_GROUPS:
        return f"{TABLE3_GROUPS[group]} › {row.label}"
    return row.label


def table2_cells(fmt: str) -> list[tuple[Block, Row, Column]]:
    return [(b, r, c) for b in TABLE2[fmt] for r in b.rows for c in b.columns]


def empty_tables(fmt: str) -> dict[str, dict[str, dict[str, Any]]]:
    """Every row and column of the format, all null: the shape the record requires (content/format.md §9)."""
    if fmt not in FORMATS:
        return {"table2": {}, "table3": {}, "table4": empty_table4()}
    t2 = {r.key: {c.key: None for c in b.columns} for b in TABLE2[fmt] for r in b.rows}
    t3 = {r.key: {c.key: None for c in TABLE3_COLUMNS} for r in TABLE3_ROWS[fmt]}
    return {"table2": t2, "table3": t3, "table4": empty_table4()}


def empty_table4() -> dict[str, dict[str, Any]]:
    return {g.key: {c.key: None for c in TABLE4_COLUMNS} for g in TABLE4_GROUPS}


# -- the arithmetic (勾稽关系) -----------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    """sum(left) == sum(right) over printed cells ("table3.granted.total" …)."""

    rule: str
    left: tuple[str, ...]
    right: tuple[str, ...]

    @property
    def cells(self) -> tuple[str, ...]:
        return self.left + self.right


@lru_cache(maxsize=8)
def identities(fmt: str) -> tuple[Identity, ...]:
    """Every identity the tables of a format must satisfy, cell by cell:

    - T3-A, each column of 表三: 一 + 二 = （七）总计 + 四 (stated in the table's header note);
    - T3-B, each column: （七）总计 = the sum of the result rows （一）…（六）;
    - T3-C, each row: 总计 = the six applicant columns;
    - T4-A/B/C, each group of 表四: 总计 = 维持 + 纠正 + 其他 + 尚未审结.
    """
    out: list[Identity] = []
    if fmt in TABLE3_ROWS:
        for col in TABLE3_COLUMNS:
            c = col.key
            out.append(
                Identity(
                    "T3-A",
                    (f"table3.new_received.{c}", f"table3.carried_over.{c}"),
                    (f"table3.total_processed.{c}", f"table3.carried_forward.{c}"),
                )
            )
            out.append(
                Identity(
                    "T3-B",
                    (f"table3.total_processed.{c}",),
                    tuple(f"table3.{r}.{c}" for r in TABLE3_RESULT_ROWS[fmt]),
                )
            )
        for row in TABLE3_ROWS[fmt]:
            out.append(
                Identity(
                    "T3-C",
                    tuple(f"table3.{row.key}.{a}" for a in TABLE3_APPLICANTS),
                    (f"table3.{row.key}.total",),
                )
            )
    for group in TABLE4_GROUPS:
        g = group.key
        out.append(
            Identity(
                TABLE4_RULES[g],
                tuple(f"table4.{g}.{p}" for p in TABLE4_PARTS),
                (f"table4.{g}.total",),
            )
        )
    return tuple(out)


def table3_row_holds(values: tuple[int, ...]) -> bool:
    """T3-C on one row printed in the table's column order (applicants, then 总计)."""
    return len(values) == len(TABLE3_COLUMNS) and values[-1] == sum(values[:-1])


def table4_holds(values: tuple[int, ...]) -> bool:
    """T4-A/B/C on 表四's one row of 15 cells, group after group (parts, then 总计)."""
    width = len(TABLE4_COLUMNS)
    return len(values) == width * len(TABLE4_GROUPS) and all(
        values[g + width - 1] == sum(values[g : g + width - 1])
        for g in range(0, len(values), width)
    )


# -- naming a cell for a reader ---------------------------------------------------------------

TABLE_NAMES = {"table2": "表二", "table3": "表三", "table4": "表四"}
TABLE_TITLES = {
    "table2": "表二（主动公开政府信息情况）",
    "table3": "表三（收到和处理政府信息公开申请情况）",
    "table4": "表四（行政复议、行政诉讼情况）",
}


@lru_cache(maxsize=8192)
def cell_name(ref: str, fmt: str | None = None) -> str:
    """A cell, row or table reference as a reader knows it:
    ``table3.denied.state_secret.total`` → 表三“（三）不予公开 › 1.属于国家秘密”“总计”栏,
    ``table3.granted`` → 表三“（一）予以公开”一行, ``table4`` → 表四.
    ``fmt`` picks the format's labels; without it both formats are tried."""
    table, _, rest = ref.partition(".")
    name = TABLE_NAMES.get(table, table)
    if not rest:
        return name
    formats = (fmt,) if fmt in FORMATS else FORMATS
    if table == "table4":
        group, _, col_key = rest.partition(".")
        g = next((x.label for x in TABLE4_GROUPS if x.key == group), group)
        c = next((x.label for x in TABLE4_COLUMNS if x.key == col_key), None)
        return f"{name}“{g}”" + (f"“{c}”栏" if c else "")
    if table == "table3":
        columns = {c.key: c.label for c in TABLE3_COLUMNS}
        for f in formats:
            # row keys hold dots themselves ("denied.state_secret"): match the longest
            for row in sorted(TABLE3_ROWS[f], key=lambda r: -len(r.key)):
                column = rest[len(row.key) + 1 :] if rest.startswith(row.key + ".") else ""
                if rest == row.key or column in columns:
                    label = table3_label(f, row.key)
                    return f"{name}“{label}”" + (f"“{columns[column]}”栏" if column else "一行")
    if table == "table2":
        row_key, _, col_key = rest.partition(".")
        for f in formats:
            for _block, row_spec, col_spec in table2_cells(f):
                if row_spec.key == row_key and (not col_key or col_spec.key == col_key):
                    where = f"“{col_spec.label}”栏" if col_key else "一行"
                    return f"{name}“{row_spec.label}”{where}"
    return f"{name}“{rest}”"


# -- the rules a check can raise ------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    id: str
    name: str  # a few Chinese words
    text: str  # what it checks, in one plain Chinese sentence


RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        Rule(
            "T3-A",
            "表三每栏收支平衡",
            "表三每一栏：本年新收 + 上年结转 = 办理结果总计 + 结转下年度（报告表头注明的勾稽关系）。",
        ),
        Rule("T3-B", "表三办理结果合计", "表三每一栏：“（七）总计”等于各项办理结果之和。"),
        Rule("T3-C", "表三申请人合计", "表三每一行：“总计”等于六类申请人之和。"),
        Rule(
            "T4-A",
            "行政复议合计",
            "表四行政复议：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结。",
        ),
        Rule(
            "T4-B",
            "直接起诉合计",
            "表四未经复议直接起诉的行政诉讼：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结。",
        ),
        Rule(
            "T4-C",
            "复议后起诉合计",
            "表四复议后起诉的行政诉讼：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结。",
        ),
        Rule(
            "T2-W",
            "表二件数可疑",
            "表二：现行有效件数（或对外公开总数量）少于本年新增的件数，可能有误。",
        ),
        Rule(
            "T2-X",
            "表二跨年度衔接",
            "表二：本年现行有效件数与上一年度报告的现行有效件数加减本年制发、废止后不一致（修订、清理也会造成差异）。",
        ),
        Rule(
            "XY-1",
            "跨年度结转",
            "本年“上年结转”应等于上一年度报告的“结转下年度继续办理”，逐栏核对。",
        ),
        Rule("FMT-YEAR", "格式与年度", "报告所用的表格格式与其年度通常使用的格式不同。"),
        Rule(
            "FORMAT",
            "格式无法识别",
            "没有识别出全国统一格式（2019 年试行格式或 2021 年格式）的表格，表二、表三无法读取。",
        ),
        Rule("MISSING", "缺少统计表", "报告中没有找到某张统计表，该表各格记为空值。"),
        Rule(
            "READ",
            "无法可靠读取",
            "某些格的数字无法确定地读出（例如数字连在一起、行名缺失、单位不符），这些格记为空值，不猜测。",
        ),
        Rule("TITLE", "机关名称", "没有在报告标题中找到机关名称。"),
        Rule("YEAR", "报告年度", "没有找到报告所属的年度。"),
        Rule(
            "YEAR-RANGE",
            "年度不可信",
            "报告中读出的年度早于《政府信息公开条例》施行的 2008 年，或晚于报告的发布日期"
            "（或网站设定的最晚年度），未采用，记为年度不明。",
        ),
        Rule(
            "DECODE",
            "字符无法解码",
            "文件中有字节不是其编码的有效字符（例如 UTF-8 文件中混入的个别字节），显示为 �，附近的文字请核对原文。",
        ),
        Rule("NEG", "负数", "件数印为负数。"),
        Rule("HUGE", "数值异常大", "数值大得不像真实的件数，请核对原文。"),
        Rule(
            "NARR",
            "正文与表格矛盾",
            "报告正文所说的件数（如“未收到政府信息公开申请”“被申请行政复议 1 件”）与报告自己的统计表不一致；只在任何合理理解下都矛盾时提示，两边的数字都照原样保留。",
        ),
    )
}
SEVERITIES = {"error": "错误", "warning": "警告", "info": "提示"}
