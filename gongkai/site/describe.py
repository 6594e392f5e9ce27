"""One-sentence descriptions of the pages, for search engines and link previews (the page's
``<meta name="description">``), made from the data: who, when, where and the headline counts.

A blank cell is said to be blank (未填写), never 0. The text goes into the page's front
matter through the ``yaml`` filter (:func:`gongkai.site.pages.yaml_string`), which makes it
safe there and in the HTML attribute the theme prints it into.
"""

from __future__ import annotations

from typing import Any

from gongkai.site import figures
from gongkai.site.catalog import Agency, AgencyYear

REPORT = "政府信息公开工作年度报告"


def count(value: figures.Number | None, unit: str = "件") -> str:
    if value is None:
        return "未填写"
    return f"{value:,}{unit}"


def year_text(year: int | None) -> str:
    return f"{year} 年" if year is not None else "年度不详"


def report(ay: AgencyYear) -> str:
    """盐池县科学技术局 2023 年政府信息公开工作年度报告（宁夏回族自治区 › 吴忠市 › 盐池县）：本年新收申请 1 件，…"""
    head = f"{ay.agency.name} {year_text(ay.year)}{REPORT}（{ay.agency.region_text}）"
    if ay.conflicting:
        return f"{head}：本年度有 {len(ay.reports)} 份数字不一致的报告，本站分别列出。"
    k = figures.key_figures(ay.record)
    litigation = figures.sum_known([k.lit_direct, k.lit_after_review])
    if k.lit_direct is None or k.lit_after_review is None:
        litigation = None
    errors = ay.count("error")
    return (
        f"{head}：本年新收申请 {count(k.received)}，办理结果总计 {count(k.processed)}，"
        f"行政复议 {count(k.review)}，行政诉讼 {count(litigation)}；"
        + (f"自动核验发现 {errors} 个错误。" if errors else "自动核验未发现错误。")
    )


def agency(a: Agency) -> str:
    years = [ay.year for ay in a.sorted_years() if ay.year is not None]
    span = (
        f"{years[0]}–{years[-1]} 年"
        if len(years) > 1
        else f"{years[0]} 年"
        if years
        else "年度不详"
    )
    return (
        f"{a.name}（{a.region_text}）历年{REPORT}的数据：{len(a.years)} 个年度（{span}），"
        "新收申请、办理结果、行政复议和行政诉讼，逐格读出并自动核验。"
    )


def listing(what: str, totals: Any) -> str:
    """A listing page (``totals``: listings.Totals): 2023 年的报告：共 5 份…、4 个机关，…"""
    text = f"{what}：共 {totals.reports:,} 份{REPORT}、{totals.agencies:,} 个机关"
    text += f"，本年新收申请合计 {totals.received:,} 件"
    if totals.received_missing:
        text += f"（{totals.received_missing:,} 份报告未填写，未计入）"
    if totals.with_errors:
        text += f"；{totals.with_errors:,} 份报告的自动核验发现错误"
    return text + "。"
