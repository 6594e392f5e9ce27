"""Check stage: what a checked record's numbers mean — the indicators of one agency-year.

Each indicator is a ratio of sums of cells (表三 in its 总计 column, 表四 in its groups),
defined once here with its formula in words; the site, the downloads and the tests read
these definitions. A value is computed only when

- the report has a known format and prints every input cell (a blank is never 0: the
  value is "—", with the missing cell named);
- the report's own arithmetic holds on those cells: no error or warning of the rules in
  :data:`CONSISTENCY_RULES` cites one of them (otherwise "—", with the rule and its text);
- the denominator is not 0 ("不适用", never 0 %).

A denominator below the indicator's gate (10 applications, 5 cases) gives a value shown
only as its counts ("1/1") and never ranked. A report with no applications at all (一 and
二 both 0) has no application indicator ("不适用（无申请）"). Both formats give every
indicator: they differ only in （六）其他处理, one row in 2019, three in 2021.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from gongkai import layout
from gongkai.model import Problem, Record

Number = int | float

APPLICATIONS_GATE = 10
CASES_GATE = 5
# The report's own checks whose problems make its cells unusable for an indicator.
CONSISTENCY_RULES = frozenset({"T3-A", "T3-B", "T3-C", "T4-A", "T4-B", "T4-C", "NEG", "HUGE"})
_T3_NAMES = {"granted", "partial", "total_processed", "new_received", "carried_over"}
_T3_NAMES |= {"carried_forward", "denied", "unable", "not_processed", "other", "unable.not_held"}


@dataclass(frozen=True)
class Indicator:
    key: str
    name: str
    formula: str  # in the table's own words
    note: str  # why it is defined so, in one sentence
    numerator: tuple[str, ...]  # terms: a 表三 row or group (总计 column) or a 表四 cell
    denominator: tuple[str, ...]
    minus: tuple[str, ...] = ()  # terms taken away from the denominator
    scale: int = 1  # 1: a share (shown as %); 100: per 100 applications
    gate: int = APPLICATIONS_GATE
    sample: str = "申请"  # what the denominator counts
    higher_first: bool = False  # ranked from the highest value (第 1 = highest)

    @property
    def unit(self) -> str:
        return "%" if self.scale == 1 else "件/百件申请"

    @property
    def applications(self) -> bool:
        """An indicator of the applications (表三), not of the cases (表四)."""
        return self.sample == "申请"


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "disclosure",
        "实质公开率",
        "（予以公开 + 部分公开）÷（七）总计",
        "本年办结的申请中，全部或部分公开了信息的比例：通行的衡量口径。",
        ("granted", "partial"),
        ("total_processed",),
        higher_first=True,
    ),
    Indicator(
        "disclosure_merits",
        "实质公开率（不含不予处理、其他处理）",
        "（予以公开 + 部分公开）÷（（七）总计 − （五）不予处理 − （六）其他处理）",
        "只看按实体作出决定的申请：信访投诉、重复申请、逾期不补正等未就信息本身作出决定的申请不计入。",
        ("granted", "partial"),
        ("total_processed",),
        minus=("not_processed", "other"),
        higher_first=True,
    ),
    Indicator(
        "denied",
        "不予公开率",
        "（三）不予公开 ÷（七）总计",
        "本年办结的申请中，以法定理由不予公开的比例。",
        ("denied",),
        ("total_processed",),
    ),
    Indicator(
        "unable",
        "无法提供率",
        "（四）无法提供 ÷（七）总计",
        "本年办结的申请中，因信息不存在、需另行制作或申请内容不明确而无法提供的比例。",
        ("unable",),
        ("total_processed",),
    ),
    Indicator(
        "not_held",
        "其中：本机关不掌握",
        "（四）1.本机关不掌握相关政府信息 ÷（七）总计",
        "无法提供中最常见的理由，单独列出。",
        ("unable.not_held",),
        ("total_processed",),
    ),
    Indicator(
        "carried",
        "结转率",
        "四、结转下年度继续办理 ÷（一、本年新收 + 二、上年结转）",
        "本年应办理的申请中，到年底仍未办结、结转下年度的比例。",
        ("carried_forward",),
        ("new_received", "carried_over"),
    ),
    Indicator(
        "review_rate",
        "行政复议（每百件申请）",
        "表四 行政复议总计 ÷（七）总计 × 100",
        "每办结 100 件申请，被申请行政复议的件数。",
        ("review.total",),
        ("total_processed",),
        scale=100,
    ),
    Indicator(
        "litigation_rate",
        "行政诉讼（每百件申请）",
        "表四 行政诉讼总计（未经复议直接起诉 + 复议后起诉）÷（七）总计 × 100",
        "每办结 100 件申请，被提起行政诉讼的件数。",
        ("lit_direct.total", "lit_after_review.total"),
        ("total_processed",),
        scale=100,
    ),
    Indicator(
        "review_corrected",
        "行政复议被纠错率",
        "表四 行政复议 结果纠正 ÷（总计 − 尚未审结）",
        "已审结的行政复议案件中，结果被纠正的比例。",
        ("review.corrected",),
        ("review.total",),
        minus=("review.pending",),
        gate=CASES_GATE,
        sample="案件",
    ),
    Indicator(
        "litigation_corrected",
        "行政诉讼被纠错率",
        "表四 行政诉讼 结果纠正 ÷（总计 − 尚未审结），两类诉讼合计",
        "已审结的行政诉讼案件（未经复议直接起诉与复议后起诉合计）中，结果被纠正的比例。",
        ("lit_direct.corrected", "lit_after_review.corrected"),
        ("lit_direct.total", "lit_after_review.total"),
        minus=("lit_direct.pending", "lit_after_review.pending"),
        gate=CASES_GATE,
        sample="案件",
    ),
)
BY_KEY = {i.key: i for i in INDICATORS}

# What a value that is not a number says, in a word, and why.
STATUS_TEXT = {
    "ok": "",
    "small": "样本不足",
    "zero": "不适用",
    "none": "不适用（无申请）",
    "null": "—",
    "inconsistent": "—",
    "format": "—",
}


@dataclass(frozen=True)
class Value:
    """One indicator of one report. ``status``: ok (ranked), small (below the gate: counts
    only, never ranked), zero (denominator 0), none (no applications), null (an input not
    printed), inconsistent (the report's arithmetic fails on an input), format (no format)."""

    key: str
    status: str
    numerator: Number | None = None
    denominator: Number | None = None
    value: float | None = None  # the share (0–1) or the count per 100; for ok and small
    reason: str | None = None

    @property
    def ranked(self) -> bool:
        return self.status == "ok"

    def to_json(self) -> dict[str, Any]:
        return {
            "value": None if self.value is None else round(self.value, 6),
            "numerator": self.numerator,
            "denominator": self.denominator,
            "status": self.status,
            "reason": self.reason,
        }


@cache
def cells(fmt: str, term: str) -> tuple[str, ...]:
    """The cells a term sums: a 表三 row or outcome group in the 总计 column, or a 表四 cell."""
    if term in _T3_NAMES:
        rows = layout.TABLE3_RESULT_ROWS.get(fmt, ())
        group = tuple(r for r in rows if r == term or r.startswith(term + "."))
        return tuple(f"table3.{r}.total" for r in group or (term,))
    return (f"table4.{term}",)


@cache
def inputs(fmt: str, ind: Indicator) -> tuple[str, ...]:
    terms = ind.numerator + ind.denominator + ind.minus
    return tuple(c for t in terms for c in cells(fmt, t))


@cache
def _place(ref: str) -> tuple[str, str, str]:
    table, rest = ref.split(".", 1)
    row, col = rest.rsplit(".", 1)
    return table, row, col


_NO_ROW: dict[str, Any] = {}


def _value(record: Record, ref: str) -> Number | None:
    table, row, col = _place(ref)
    value = getattr(record, table).get(row, _NO_ROW).get(col)
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _sum(record: Record, fmt: str, terms: tuple[str, ...]) -> Number:
    total: Number = 0
    for term in terms:
        for ref in cells(fmt, term):
            value = _value(record, ref)
            assert value is not None  # every input was checked before
            total += value
    return total


def _cites(problem_ref: str, ref: str) -> bool:
    return ref == problem_ref or ref.startswith(problem_ref + ".")


def _spoils(problem: Problem, refs: tuple[str, ...]) -> bool:
    """A problem of the report's own arithmetic that cites one of the inputs."""
    return (
        problem.rule in CONSISTENCY_RULES
        and problem.severity in ("error", "warning")
        and any(_cites(cited, ref) for cited in problem.cells for ref in refs)
    )


def no_applications(record: Record) -> bool:
    """一、本年新收 and 二、上年结转 both printed as 0: nothing to decide this year."""
    return (
        _value(record, "table3.new_received.total") == 0
        and _value(record, "table3.carried_over.total") == 0
    )


def indicator(record: Record, ind: Indicator) -> Value:
    fmt = record.format
    if fmt not in layout.FORMATS:
        return Value(ind.key, "format", reason="未能识别报告格式，没有可用的表格数字。")
    if ind.applications and no_applications(record):
        return Value(ind.key, "none", reason="本年没有新收或上年结转的申请。")
    refs = inputs(fmt, ind)
    for ref in refs:
        if _value(record, ref) is None:
            where = layout.cell_name(ref, fmt)
            return Value(ind.key, "null", reason=f"{where}未填写或无法可靠读取。")
    for problem in record.problems:
        if _spoils(problem, refs):
            name = layout.RULES[problem.rule].name
            return Value(
                ind.key,
                "inconsistent",
                reason=f"报告自身的数字不一致（{problem.rule} {name}）：{problem.message}",
            )
    num = _sum(record, fmt, ind.numerator)
    den = _sum(record, fmt, ind.denominator) - _sum(record, fmt, ind.minus)
    if den < 0 or num < 0 or (ind.scale == 1 and num > den):
        return Value(
            ind.key,
            "inconsistent",
            num,
            den,
            reason=f"分子 {num} 与分母 {den} 不能构成比例，报告的数字不一致。",
        )
    if den == 0:
        return Value(ind.key, "zero", num, den, reason=f"分母为 0（没有可计算的{ind.sample}）。")
    value = num / den * ind.scale
    if den < ind.gate:
        return Value(
            ind.key,
            "small",
            num,
            den,
            value,
            f"只有 {_num(den)} 件{ind.sample}，少于 {ind.gate} 件，只列出件数，不参与排名。",
        )
    return Value(ind.key, "ok", num, den, value)


def _num(x: Number) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


def indicators(record: Record) -> dict[str, Value]:
    """Every indicator of a checked record, in :data:`INDICATORS` order."""
    return {ind.key: indicator(record, ind) for ind in INDICATORS}
