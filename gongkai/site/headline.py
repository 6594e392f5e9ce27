"""Publish stage: one sentence in plain Chinese that says what a report's numbers say.

"2023 年收到 1 件政府信息公开申请，办结 1 件，其中无法提供 1 件；没有行政复议和行政诉讼。"

Made from the published numbers only (:mod:`gongkai.site.figures`): a number the report did
not print (null) is said to be not reported, never taken as 0, and nothing is added up unless
every part is printed. The report's own arithmetic errors are not repaired here: the sentence
quotes the printed totals, and the page's 数据核验 says where they disagree.
"""

from __future__ import annotations

from gongkai.site.figures import OUTCOME_NAMES, KeyFigures, Number

MAX_OUTCOMES = 3  # the largest outcomes named after 办结


def _n(value: Number) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:,g}"


def headline(year: int | None, k: KeyFigures) -> str:
    """The report in one sentence (two clauses: requests; review and litigation)."""
    when = f"{year} 年" if year is not None else "本年度"
    return f"{_requests(when, k)}；{_review_litigation(k)}。"


def _requests(when: str, k: KeyFigures) -> str:
    parts: list[str] = []
    if k.received is None:
        parts.append(f"{when}新收政府信息公开申请的件数报告未填写")
    elif k.received == 0:
        parts.append(f"{when}没有收到政府信息公开申请")
    else:
        parts.append(f"{when}收到 {_n(k.received)} 件政府信息公开申请")
    if k.carried_over:  # 0 and null both go unsaid here: the cards show them
        parts.append(f"另有上年结转 {_n(k.carried_over)} 件")
    nothing_to_do = k.received == 0 and k.carried_over == 0
    if k.processed is None:
        parts.append("办结件数报告未填写")
    elif k.processed == 0:
        named = _largest_outcomes(k)
        if named:  # the report's own error, quoted as printed (数据核验 says more)
            parts.append("办理结果总计印为 0，但列出" + "、".join(named))
        elif not nothing_to_do:
            parts.append("办结 0 件")
    else:
        done = f"办结 {_n(k.processed)} 件"
        named = _largest_outcomes(k)
        if named:
            done += "，其中" + "、".join(named)
        parts.append(done)
    if k.carried_forward:
        parts.append(f"{_n(k.carried_forward)} 件结转下年度继续办理")
    return "，".join(parts)


def _largest_outcomes(k: KeyFigures) -> list[str]:
    """ "予以公开 3 件" … for the largest printed outcomes (ties in the table's order)."""
    known = [(g, v) for g, v in k.outcomes.items() if v]
    known.sort(key=lambda item: -item[1])
    return [f"{OUTCOME_NAMES[g]} {_n(v)} 件" for g, v in known[:MAX_OUTCOMES]]


def _review_litigation(k: KeyFigures) -> str:
    review, direct, after = k.review, k.lit_direct, k.lit_after_review
    litigation = None if direct is None or after is None else direct + after
    if review == 0 and litigation == 0:
        return "没有行政复议和行政诉讼"
    if review is None and direct is None and after is None:
        return "行政复议和行政诉讼的件数报告未填写"
    parts = []
    if review is None:
        parts.append("行政复议件数报告未填写")
    elif review == 0:
        parts.append("没有行政复议")
    else:
        parts.append(f"行政复议 {_n(review)} 件")
    if litigation is None:
        pieces = [
            f"{label}的件数报告未填写" if v is None else f"{label} {_n(v)} 件"
            for label, v in (("未经复议直接起诉", direct), ("复议后起诉", after))
        ]
        parts.append("行政诉讼中" + "、".join(pieces))
    elif litigation == 0:
        parts.append("没有行政诉讼")
    else:
        parts.append(f"行政诉讼 {_n(litigation)} 件")
    return "，".join(parts)
