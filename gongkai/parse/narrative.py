"""The counts a report's own text states: "共收到政府信息公开申请 5 件", "办结 4 件",
"结转下年度继续办理 1 件", "被申请行政复议 1 件", "未收到政府信息公开申请",
"未发生因政府信息公开引起的行政复议、行政诉讼".

:func:`statements` reads the narrative of the sections (``Record.sections``) and keeps only
what it reads with certainty: a count of this year's applications, handled applications,
carried-over applications, 行政复议 or 行政诉讼 cases *of this agency*, in 件. Anything that
may be a part (网上申请, 其中 …, 涉及…的申请), another year (上年, 2022 年, 同比), another
agency (各街道, 全区, 区政府办公室), a range or an approximation (近 10 件, 5 件以上),
another unit (件次, 个, 万件) or the agency as the reviewing body (受理行政复议案件) is left
out: the check (:mod:`gongkai.check.narrative`) flags a statement that contradicts the
table, and a statement read wrongly would accuse a report of a contradiction it does not make.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gongkai.parse.numbers import compact

# What a statement counts; the check maps each to the table cells it may mean.
RECEIVED = "received"  # this year's new applications (表三 一、本年新收)
PROCESSED = "processed"  # handled applications (表三 （七）总计)
CARRIED_OVER = "carried_over"  # from last year (表三 二、上年结转)
CARRIED_FORWARD = "carried_forward"  # into next year (表三 四、结转下年度继续办理)
REVIEW = "review"  # 行政复议 (表四)
LITIGATION = "litigation"  # 行政诉讼: 未经复议直接起诉 + 复议后起诉 (表四)
REVIEW_LITIGATION = "review_litigation"  # 行政复议和行政诉讼 together
CASES = (REVIEW, LITIGATION, REVIEW_LITIGATION)

# A quote longer than this keeps its last characters (the count and the words before it).
QUOTE_CHARS = 40
# Section text longer than this is not read (a hostile file; a real section is a few KB).
MAX_SECTION_CHARS = 200_000
# Nor a "sentence" longer than this (a table flattened into the text, or a hostile run of
# statements each of which would look back over the whole run).
MAX_SENTENCE_CHARS = 2_000


@dataclass(frozen=True)
class Statement:
    """One count the narrative states: ``count`` 件 of ``kind`` (0 for "未收到…")."""

    kind: str
    count: int
    quote: str  # the clause as printed, whitespace removed
    section: str  # the key of the section it was read in
    negation: bool = False  # said as "未收到…", "未发生…", "无…"
    # "natural_person" when the words name citizens only ("未收到公民提出的申请")
    scope: str = "all"


# -- the words ------------------------------------------------------------------------------------

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_CN_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# A count: digits, or a small Chinese numeral (一件, 两件, 十二件); not part of a decimal, a
# range (3-5 件, 3至5件) or an approximation (近 10 件, 超过 5 件; "10 余件" has no 件 after
# the digits).
_NUM = r"(?<![\d.．\-~～近约逾超过足余多第])(?<!\d至)(?<!\d到)(?P<num>\d{1,7}|[零〇一二两三四五六七八九十]{1,3})(?P<unit>件)"
# After 件: not 件次, not "5 件以上", not "5 件提案" (another thing counted in 件).
_AFTER_COUNT = re.compile(
    r"次|以上|以下|左右|多|余|之多|提案|建议|议案|信访|投诉|举报|咨询|留言|复议|诉讼"
)
# Between the words and the count: "…申请数量为 5 件", "…共计 5 件".
_FILL = r"(?:的)?(?:数量|总数|总量|共计|合计|总计|共|计|为|达到|达|是|有){0,3}"
_APPLICATION = (
    r"(?:政府信息公开(?:的)?申请|信息公开申请|政务公开申请"
    r"|依申请公开(?:政府信息)?(?:的)?(?:申请|事项)?|公开申请)"
)
_YEAR = re.compile(r"((?:19|20)\d{2})年")
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")
_CLAUSE_END = "，,、：:。！？!?；;\n"
_CONNECTOR = r"(?:和|、|及|或|与|以及)"

# A part, not the whole: a channel, a subject, another year, a change, an average.
_PART_WORDS = re.compile(
    r"其中|包括|含|网上|网络|在线|线上|信函|邮寄|当面|现场|传真|邮件|电话|口头|书面|平台"
    r"|涉及|关于|有关|类|上年|上一年|去年|前年|同比|环比|较上|比上|与上|增加|减少|增长|下降|上升"
    r"|持平|累计|历年|以来|近\d|平均|月均|每月|上半年|下半年|季度|月份|各"
)
# Another agency than the report's own, or many (a district report counting its 街道).
_OTHER_AGENCY = re.compile(
    r"[全本我][区市县省州旗盟镇乡]|各级|本级|[区市县省]级|[区市县省]直|街道|乡镇|下属|所属|直属|系统"
)
_SELF = re.compile(r"[我本该](?:机关|单位|部门|中心|局|委|办|厅|院|所|站|队|部|司|处|馆|社|会|府)")
_AGENCY_WORD = re.compile(
    r"局|委员会|委|办(?![理结件法事])|厅|政府|中心|部门|单位|公司|院|所|站|队|街道|镇|乡"
)
_PERSON = re.compile(r"自然人|公民|个人|群众")
_ORGANISATION = re.compile(r"法人|组织|企业|单位")
# Who may have applied, in full or in part, between 收到 and 申请; anything else there
# narrows the applications (涉及…的, 网上, 书面) and the statement is not read.
_APPLICANT_QUAL = re.compile(
    r"(?:了|共|共计)?(?:任何|一切)?(?:来自)?"
    r"(?:(?:公民|自然人|个人|法人|其他组织|组织|社会公众|群众|申请人|企业|单位)"
    r"(?:、|，|,|和|及|或者|或|与)?)*"
    r"(?:向(?:我|本)[^，,。；;]{0,4})?(?:提出|提交|递交|申请)?(?:的)?"
)
# The only words that may stand before a 行政复议 / 行政诉讼 count of the agency's own cases
# ("2023 年，我局因政府信息公开被申请行政复议 1 件"); anything else (受理, 办理, 维持, 全区 …)
# may make it the agency as reviewing body, one outcome, or another agency.
_CASE_WORDS = re.compile(
    r"(?:19|20)\d{2}年度?|全年|本年度?|今年|年内|年度|共|因|由于|涉及|关于|政府信息公开|信息公开"
    r"|依申请公开|工作|事项|申请|而|引发|引起|导致|产生|的|被|提起|发生|出现|相关|有|也|亦|均|并|且|同时"
)
# The agency speaking as the reviewing body ("我府作为复议机关，…"): its cases are others'.
_REVIEWER = re.compile(r"复议机关|作为")
_DISCLOSURE = re.compile(r"政府信息公开|信息公开|依申请|政务公开")
_YEAR_END = re.compile(r"12月31日|12月底|年底|年末|年终")
_CONDITIONAL = re.compile(r"如|若|假如|一旦")

_COUNTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        RECEIVED,
        re.compile(
            r"(?P<words>(?:共|总共|一共)?(?:新收|收到|接到|接收|受理)(?P<qual>[^，,。；;]{0,16}?)"
            + _APPLICATION
            + _FILL
            + _NUM
            + ")"
        ),
    ),
    (
        RECEIVED,  # "共收到 3 件政府信息公开申请"
        re.compile(
            r"(?P<words>(?:共|总共|一共)?(?:新收|收到|接到|接收|受理)(?:了)?(?:共|计)?"
            + _NUM
            + r"(?P<qual>[^，,。；;]{0,12}?)"
            + _APPLICATION
            + ")"
        ),
    ),
    (
        PROCESSED,
        re.compile(
            r"(?P<words>(?:已|共|全部)?(?:办结|办理完毕|办理完成|答复办结)(?:了)?(?:"
            + _APPLICATION
            + r")?"
            + _FILL
            + _NUM
            + ")"
        ),
    ),
    (
        CARRIED_FORWARD,
        re.compile(
            r"(?P<words>结转(?:至|到|入)?(?:下一?年度?|下年度?|(?P<next>(?:19|20)\d{2})年度?)"
            r"(?:继续)?(?:办理|处理)?(?:的)?(?:" + _APPLICATION + r"|申请)?" + _FILL + _NUM + ")"
        ),
    ),
    (
        CARRIED_OVER,
        re.compile(
            r"(?P<words>(?:上一?年度?|去年|(?P<prev>(?:19|20)\d{2})年度?)结转(?:至|到)?(?:本年度?|今年)?"
            r"(?:继续)?(?:办理)?(?:的)?(?:" + _APPLICATION + r"|申请)?" + _FILL + _NUM + ")"
        ),
    ),
    (
        REVIEW_LITIGATION,
        re.compile(r"(?P<words>行政复议" + _CONNECTOR + r"行政诉讼(?:案件)?" + _FILL + _NUM + ")"),
    ),
    (REVIEW, re.compile(r"(?P<words>行政复议(?:案件|申请)?" + _FILL + _NUM + ")")),
    (LITIGATION, re.compile(r"(?P<words>行政诉讼(?:案件)?" + _FILL + _NUM + ")")),
)

_RECEIVED_NONE = (
    re.compile(
        r"(?P<words>(?:未|没有|没)(?:收到|接到|接收到|接收)(?P<qual>[^，,。；;]{0,24}?)"
        + _APPLICATION
        + ")"
    ),
    # "本年度无公民、法人或其他组织向我局提出政府信息公开申请" (seed 青铜峡); not a "无" cell of
    # a table flattened into the text ("…0无政府信息公开申请…").
    re.compile(r"(?P<words>(?<![\d/／\-—无])无(?P<qual>[^，,。；;]{0,24}?)" + _APPLICATION + ")"),
)
_CASES_NONE = re.compile(
    r"(?P<words>(?<![\d/／\-—无])(?:未|没有|无)(?:发生|出现|产生|涉及|有)?(?P<qual>[^，,。；;]{0,24}?)"
    r"(?P<obj>行政复议" + _CONNECTOR + r"?(?:被)?(?:提起)?行政诉讼|行政复议|行政诉讼)"
    r"(?:案件|案例|情况|事件|事项|的情况|等情况|的案件)?)"
)
# What may follow a negated application or case: the end of the clause.
_CLAUSE_DONE = re.compile(r"(?:的?情况|事项|发生)?(?:[，,。；;：:）)]|$)")


# -- reading --------------------------------------------------------------------------------------


def statements(sections: dict[str, str], year: int | None) -> tuple[Statement, ...]:
    """Every count the sections state with certainty, in order, each once."""
    out: list[Statement] = []
    seen: set[tuple[str, int, bool, str]] = set()
    for key, text in sections.items():
        if len(text) > MAX_SECTION_CHARS:
            continue
        for sentence in _sentences(text):
            if len(sentence) > MAX_SENTENCE_CHARS:
                continue
            for st in _read_sentence(sentence, key, year):
                ident = (st.kind, st.count, st.negation, st.scope)
                if ident not in seen:
                    seen.add(ident)
                    out.append(st)
    return tuple(out)


_WRAP_CHARS = 25


def _sentences(text: str) -> list[str]:
    """The sentences of a section, lines that wrap mid-sentence joined (seed 盐池 breaks
    "全年受理依申请" / "公开政府信息 1 件"), a short line without a full stop (a heading)
    kept apart."""
    parts: list[str] = []
    for raw in text.split("\n"):
        line = compact(raw).lstrip("#>*-")
        if not line:
            continue
        parts.append(line)
        if len(line) < _WRAP_CHARS or _SENTENCE_END.match(line[-1]):
            parts.append("\n")
    return [s for s in _SENTENCE_END.split("".join(parts)) if s]


def _read_sentence(sentence: str, section: str, year: int | None) -> list[Statement]:
    out: list[Statement] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _COUNTS:
        for m in pattern.finditer(sentence):
            start, end = m.span("words")
            if any(a < end and start < b for a, b in taken):
                continue  # "行政复议、行政诉讼共 2 件" is not also a 行政诉讼 count
            taken.append((start, end))
            st = _count(kind, m, sentence, section, year)
            if st is not None:
                out.append(st)
    for pattern in _RECEIVED_NONE:
        for m in pattern.finditer(sentence):
            st = _received_none(m, sentence, section, year)
            if st is not None:
                out.append(st)
    for m in _CASES_NONE.finditer(sentence):
        st = _cases_none(m, sentence, section, year)
        if st is not None:
            out.append(st)
    return out


def _number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        if len(tens) > 1 or len(ones) > 1:
            return None
        t = _CN_DIGITS.get(tens, -1) if tens else 1
        o = _CN_DIGITS.get(ones, -1) if ones else 0
        return None if t <= 0 or o < 0 else t * 10 + o
    return _CN_DIGITS.get(text) if len(text) == 1 else None


def _clause_before(sentence: str, start: int) -> str:
    """The words of the clause before ``start`` (back to the last comma), and the clause
    before that when this one is only a time ("2023 年，我局…", "截至 12 月 31 日，未…")."""
    cut = max(sentence.rfind(c, 0, start) for c in _CLAUSE_END)
    return sentence[cut + 1 : start]


def _context(sentence: str, start: int, year: int | None) -> str | None:
    """The words before a statement at ``start``, or None when they make it something else
    than this agency's count for this year: another year, another agency, a part, a
    condition ("如未收到…"), a date before the year's end ("截至 11 月底")."""
    head = sentence[:start]
    years = _YEAR.findall(head)
    if years and (year is None or int(years[-1]) != year):
        return None
    if "其中" in head or _CONDITIONAL.search(head):
        return None
    if re.search(r"截[至止]", head) and not _YEAR_END.search(head):
        return None
    before = _clause_before(sentence, start)
    if _OTHER_AGENCY.search(before) or _PART_WORDS.search(before):
        return None
    if _AGENCY_WORD.search(_SELF.sub("", before).replace("政府信息", "")):
        return None
    return before


def _quote(sentence: str, m: re.Match[str]) -> str:
    """The clause of the statement up to its last word."""
    text = _clause_before(sentence, m.start("words")) + m.group("words")
    return text[-QUOTE_CHARS:].translate(_FULL_WIDTH)


# The text is read after NFKC (full-width brackets to ASCII); a quote shows them as printed.
_FULL_WIDTH = str.maketrans("():;?!", "（）：；？！")


def _scope(qual: str) -> str | None:
    """Whose applications the words between 收到 and 申请 leave: all, citizens only, or
    (None) some other part."""
    if not _APPLICANT_QUAL.fullmatch(qual):
        return None
    person, organisation = _PERSON.search(qual), _ORGANISATION.search(qual)
    if organisation and not person:
        return None
    return "natural_person" if person and not organisation else "all"


def _count(
    kind: str, m: re.Match[str], sentence: str, section: str, year: int | None
) -> Statement | None:
    count = _number(m.group("num"))
    if count is None or _AFTER_COUNT.match(sentence, m.end("unit")):
        return None
    groups = m.groupdict()
    own = groups.get("next") or groups.get("prev")  # "结转 2024 年", "2022 年结转"
    if own is not None and (year is None or int(own) != year + (1 if groups.get("next") else -1)):
        return None
    before = _context(sentence, m.start("words"), year)
    if before is None:
        return None
    scope = "all"
    if kind in CASES:
        if _CASE_WORDS.sub("", _SELF.sub("", before)):
            return None  # "受理行政复议案件 5 件", "复议后起诉 1 件", "市政府行政复议 3 件"
        if not (section == "s4_review_lit" or _DISCLOSURE.search(sentence)):
            return None  # a 行政复议 of the agency's work in general, not of 政府信息公开
        if _REVIEWER.search(sentence[: m.start("words")]):
            return None
        if kind == LITIGATION and re.search("行政复议" + _CONNECTOR + "$", sentence[: m.start()]):
            return None  # the tail of "行政复议、行政诉讼各 1 件"
        if count and re.search("各|均|分别", m.group("words")):
            return None
    else:
        found = _scope(groups.get("qual") or "")
        if found is None or (found != "all" and kind != RECEIVED):
            return None
        scope = found
        if kind != RECEIVED and not re.search(_APPLICATION, sentence):
            return None  # "办结人大代表建议 5 件": handled, but not applications
    return Statement(kind, count, _quote(sentence, m), section, scope=scope)


def _received_none(
    m: re.Match[str], sentence: str, section: str, year: int | None
) -> Statement | None:
    if not _CLAUSE_DONE.match(sentence, m.end("words")):
        return None  # "未收到政府信息公开申请答复的投诉", "…申请人…", "无…申请收费"
    scope = _scope(m.group("qual"))
    if scope is None or _context(sentence, m.start("words"), year) is None:
        return None
    return Statement(RECEIVED, 0, _quote(sentence, m), section, negation=True, scope=scope)


def _cases_none(
    m: re.Match[str], sentence: str, section: str, year: int | None
) -> Statement | None:
    if not _CLAUSE_DONE.match(sentence, m.end("words")):
        return None  # "未发生行政复议被纠错", "无行政诉讼败诉案件"
    before = _context(sentence, m.start("words"), year)
    if before is None or _CASE_WORDS.sub("", _SELF.sub("", before + m.group("qual"))):
        return None
    if not (section == "s4_review_lit" or _DISCLOSURE.search(sentence)):
        return None  # "全年未发生行政复议" about the agency's work in general
    if _REVIEWER.search(sentence[: m.start("words")]):
        return None
    obj = m.group("obj")
    kind = REVIEW if "行政诉讼" not in obj else LITIGATION if "行政复议" not in obj else None
    return Statement(kind or REVIEW_LITIGATION, 0, _quote(sentence, m), section, negation=True)
