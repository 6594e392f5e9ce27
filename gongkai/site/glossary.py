"""Publish stage: the words of the reports explained (名词解释), and links to them from pages.

One list makes both the glossary page (``generated/glossary.md``) and the links: a label such
as "（四）无法提供" is printed with its term linked to the glossary's entry, the entry's first
sentence as the link's tooltip. Only these words are linked; report text never is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from markupsafe import Markup, escape

PAGE = "generated/glossary.md"


@dataclass(frozen=True)
class Term:
    id: str  # the anchor on the glossary page
    word: str
    text: str  # plain Chinese; its first sentence is the tooltip
    also: tuple[str, ...] = ()  # other spellings linked to the same entry


TERMS: tuple[Term, ...] = (
    Term(
        "annual-report",
        "政府信息公开工作年度报告",
        "各级行政机关每年公布的上一年度政府信息公开工作情况。依《中华人民共和国政府信息公开条例》，"
        "报告在每年 1 月 31 日前公布，其中的统计表按国务院办公厅规定的统一格式填写，"
        "因此不同机关、不同年度的数字可以比较。",
    ),
    Term(
        "active",
        "主动公开",
        "行政机关不等人申请、自行向社会公开的政府信息，如规章、规范性文件、行政许可和行政处罚等。"
        "报告的表二统计这一部分。",
    ),
    Term(
        "on-request",
        "依申请公开",
        "公民、法人或者其他组织向行政机关申请获取某项政府信息，机关依法答复。"
        "报告的表三统计这一部分：收到多少申请、怎样办理。",
    ),
    Term(
        "applicant",
        "申请人",
        "提出政府信息公开申请的人或单位。表三按申请人分栏：自然人，法人或其他组织"
        "（商业企业、科研机构、社会公益组织、法律服务机构、其他），最后一栏是总计。",
        ("自然人", "法人或其他组织"),
    ),
    Term(
        "new",
        "本年新收",
        "本年度收到的政府信息公开申请件数（表三第一行）。",
        ("新收申请",),
    ),
    Term(
        "carry",
        "结转",
        "跨年度办理的申请。“上年结转”是上一年度收到、到年底还没办完、转到本年继续办理的件数；"
        "“结转下年度继续办理”是本年没办完、转到下一年的件数。"
        "本年的上年结转应当等于上一年度报告的结转下年度。",
    ),
    Term(
        "processed",
        "办理结果",
        "本年度办完的申请按结果分为六类：予以公开、部分公开、不予公开、无法提供、不予处理、其他处理；"
        "“（七）总计”是这六类之和。",
    ),
    Term(
        "granted",
        "予以公开",
        "申请的信息全部提供给了申请人。",
    ),
    Term(
        "partial",
        "部分公开",
        "申请的信息中有一部分依法不能公开，机关把能公开的部分提供给申请人（区分处理）。",
    ),
    Term(
        "denied",
        "不予公开",
        "申请的信息属于依法不公开的情形，机关决定不提供，例如属于国家秘密、"
        "公开后可能危及国家安全、公共安全、经济安全和社会稳定（“三安全一稳定”）、"
        "属于机关的内部事务信息或过程性信息等。",
    ),
    Term(
        "unable",
        "无法提供",
        "机关没有申请的信息（本机关不掌握）、需要另行制作、或者申请的内容经补正后仍不明确，"
        "因此无法提供。这不是拒绝公开：信息不存在或说不清要什么。",
    ),
    Term(
        "not-processed",
        "不予处理",
        "申请不作为政府信息公开申请办理：例如实际是信访、投诉、举报，重复申请，"
        "要求提供公开出版物，无正当理由大量、反复申请，或要求确认、重新出具已获取的信息。",
    ),
    Term(
        "other",
        "其他处理",
        "上面几类以外的办结方式，例如申请人无正当理由逾期不补正、不按时缴纳信息处理费，"
        "机关不再处理该申请。",
    ),
    Term(
        "review",
        "行政复议",
        "申请人认为机关的政府信息公开答复侵犯其权益，向复议机关（通常是上级机关或本级政府）申请复查。"
        "报告的表四统计复议的结果：结果维持、结果纠正、其他结果、尚未审结。",
    ),
    Term(
        "litigation",
        "行政诉讼",
        "申请人就政府信息公开向法院起诉行政机关。表四分两种：未经复议直接起诉，和复议后起诉。",
    ),
    Term(
        "upheld",
        "结果维持",
        "复议机关或法院维持了机关原来的答复。",
    ),
    Term(
        "corrected",
        "结果纠正",
        "复议机关或法院认为机关原来的答复有误，予以撤销、变更或责令重新答复。",
    ),
    Term(
        "pending",
        "尚未审结",
        "到年底复议或诉讼还没有结果。",
    ),
    Term(
        "identity",
        "勾稽关系",
        "表格里各数之间必须成立的加减关系，例如表三每一栏“本年新收 + 上年结转 = 办理结果总计 + 结转下年度”，"
        "办理结果各项之和等于总计，六类申请人之和等于总计栏。本站逐项核对，"
        "不成立的列在每份报告的“数据核验”中，报告的数字仍按原样刊出。",
    ),
    Term(
        "null",
        "未填写",
        "报告中这一格是空的，或者无法可靠读出（表中记为“—”）。它不等于 0，本站也不把它当作 0 来加总。",
    ),
)

_BY_WORD = {w: t for t in TERMS for w in (t.word, *t.also)}
_WORDS = re.compile("|".join(re.escape(w) for w in sorted(_BY_WORD, key=len, reverse=True)))


def tooltip(term: Term) -> str:
    """The entry's first sentence."""
    return term.text.split("。", 1)[0] + "。"


@cache
def _linked(text: str, href: str) -> Markup:
    out: list[str] = []
    pos = 0
    for m in _WORDS.finditer(text):
        term = _BY_WORD[m[0]]
        out.append(escape(text[pos : m.start()]))
        # no class: CSS and gongkai.js know a term by its link to the glossary (~20 a page)
        out.append(f'<a href="{escape(href)}#{term.id}">{escape(m[0])}</a>')
        pos = m.end()
    out.append(escape(text[pos:]))
    return Markup("".join(out))


def tooltips() -> dict[str, str]:
    """term id → its tooltip: ``data/terms.json``, which content/assets/gongkai.js reads to
    give every linked term its definition on hover. Written once for the site rather than
    as a title on every page (a page links ~15 terms: ~2 KB of repeated Chinese)."""
    return {term.id: tooltip(term) for term in TERMS}


def link_terms(text: str, href: str) -> Markup:
    """``text`` escaped, each glossary word in it linked to ``href`` (the glossary page)."""
    return _linked(str(text), href)
