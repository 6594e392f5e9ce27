"""Crawled web text: an archive's header, a site's chrome, and a whole report on one line.

Archives of government sites save each page as text: a header of ``key: value`` lines
(``标题:``, ``发布时间:``, ``原文链接:`` …, up to a separator such as ``==== 正文 ====``), then
the page's text, often the whole report on ONE line: breadcrumbs in front (``当前位置：首页 >
…``), headings run into the text (``一、总体情况2021年，我区…``) and the tables flattened so
that the digits of adjacent cells touch (``行政规范性文件693665``).

:func:`split_header` takes the header off (its fields go on the
:class:`~gongkai.model.Document`); :func:`cut_lines` cuts a very long line into pseudo-lines,
each keeping the source line's number, before the things the parser recognises line by line:

* the six section headings (``layout.SECTION_WORDS``), anywhere in the line;
* inside the tables' region only (from the heading of part 二 to that of part 五): the 表二
  block and column headers, every 表二/表三 row label (``layout.TABLE2``, ``TABLE3_ROWS``,
  ``TABLE3_GROUPS``), the 表三 header, the 表四 header and its run of digits. A label
  without its numbering (``予以公开`` rather than ``（一）予以公开``) is cut only where
  numbers follow it as in a table, never inside a sentence that merely mentions it;
* before the first heading: the site's chrome (breadcrumbs, 来源, 字号, 微信, 打印 …) is
  dropped, so it never becomes the title, the agency or the narrative, and a title run into
  the first sentence is set apart; in a crawled page, the footer after the last part too.

In a page with an archive's header every text line is cut (a crawl may keep a few line
breaks, never the table's rows); in any other text file, only lines longer than
``LONG_LINE``.

A table row becomes a one-line table row (``Line.table``): its label, then its printed
values. Whether whitespace separates cells is decided for the whole document (``_separated``):
when nearly every row of several cells prints them apart, one printed cell between spaces,
whitespace is a separator (a crawler that spaces cells) and the cells are taken as printed,
never run together again (a blank cell prints nothing there); otherwise the digits touch and
whitespace is stray (``23 0 00 0 023``): it is removed, and cells are separated only where
the print itself separates them (a null token such as ``/``, a sign). A run of digits is
split by the parser only when the row's arithmetic allows exactly one split
(:mod:`gongkai.parse.cells`); values that cannot be placed are one piece no number reads from
(``UNPLACED``); anything unsure stays null.

This module reads labels from :mod:`gongkai.layout` only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from gongkai import layout
from gongkai.model import Line

# ---------------------------------------------------------------- the header

# Keys an archive writes above the page's text (any of them starts a header).
HEADER_KEYS = frozenset({
    "标题", "题目", "文章标题", "发布时间", "发布日期", "发文日期", "成文日期", "文号",
    "发文字号", "发布机构", "发文机关", "来源", "信息来源", "栏目", "分类", "主题分类",
    "索引号", "原文链接", "原文地址", "链接", "网址", "URL", "url", "采集时间", "抓取时间",
    "作者", "关键词", "公开方式", "有效性",
})  # fmt: skip
URL_KEYS = ("原文链接", "原文地址", "链接", "网址", "URL", "url")
PUBLISHED_KEYS = ("发布时间", "发布日期", "发文日期")
TITLE_KEYS = ("标题", "文章标题", "题目")
MAX_HEADER_LINES = 40
HEADER_VALUE_CHARS = 2000  # a value is cut here (a hostile header may be megabytes)

_HEADER_LINE = re.compile(r"\s*([A-Za-z\u4e00-\u9fff]{1,6})\s*[:：][ \t\u3000]*(.*)")
# "==== 正文 ====", "----------", "======" (a word between the rules is optional)
_SEPARATOR = re.compile(r"\s*[=\-*#_~—─━]{3,}\s*(?:[\u4e00-\u9fff]{1,4}\s*[=\-*#_~—─━]*)?\s*")


def split_header(lines: list[Line]) -> tuple[dict[str, str], list[Line]]:
    """The archive's header (key → value as printed) and the lines after it.

    A header is two or more ``key: value`` lines with known keys at the top of the file (blank
    lines between them allowed), or one such line followed by a separator line. Anything else
    is not a header, and the lines come back unchanged."""
    header: dict[str, str] = {}
    keys = 0
    separator = False
    end = 0
    for index, line in enumerate(lines[:MAX_HEADER_LINES]):
        text = line.cells[0] if line.cells and not line.table else None
        if text is not None and not text.strip():
            continue
        m = _HEADER_LINE.fullmatch(text) if text is not None else None
        if m and m.group(1) in HEADER_KEYS:
            header.setdefault(m.group(1), m.group(2).strip()[:HEADER_VALUE_CHARS])
            keys, end = keys + 1, index + 1
            continue
        if keys and text is not None and len(text) < 200 and _SEPARATOR.fullmatch(text):
            separator, end = True, index + 1
        break
    if keys >= 2 or (keys and separator):
        return header, lines[end:]
    return {}, lines


def header_value(header: dict[str, str], keys: Iterable[str]) -> str | None:
    """The first non-empty value among ``keys``."""
    for key in keys:
        value = header.get(key, "").strip()
        if value:
            return value
    return None


# ---------------------------------------------------------------- labels as printed

LONG_LINE = 1000  # a text line longer than this holds more than a paragraph: it is cut
MAX_PIECES = 5000  # pseudo-lines cut from one line; the rest stays whole (hostile input)
# The three tables of a report take a few thousand characters; a longer stretch between the
# headings of parts 二 and 五 is not cut into rows (a hostile or broken file).
MAX_TABLE_CHARS = 100_000

_CLASSES = {
    "（": "[（(]", "(": "[（(]", "）": "[）)]", ")": "[）)]", "，": "[，,]", ",": "[，,]",
    "、": "[、，,]", "“": "[“”\"]", "”": "[“”\"]", '"': "[“”\"]", "：": "[:：]", ":": "[:：]",
    "/": "[/／]", ".": "[.．]",
}  # fmt: skip
_SP = r"[ \t\u3000\u00a0]*"  # whitespace that may fall anywhere in a printed label


def _flex(text: str) -> str:
    """A regex for a label as printed: either bracket and comma width, any quotes, and
    whitespace anywhere between its characters."""
    return _SP.join(_CLASSES.get(ch, re.escape(ch)) for ch in text if not ch.isspace())


def _alternatives(labels: Iterable[str]) -> str:
    """One regex for several labels, the longest first (so 行政规范性文件 beats 规范性文件)."""
    return "|".join(_flex(t) for t in sorted(set(labels), key=len, reverse=True))


# Labels too common to be a row's without their numbering (3.其他 of 表三 （六）).
_GENERIC = frozenset({"其他"})
_NUMBERING = re.compile(r"([一二三四五六七八九十])、|（([一二三四五六七八九十])）|(\d+)\.")


@dataclass(frozen=True)
class _Label:
    """A row label: its numbering as printed (optional) and its text."""

    pattern: re.Pattern[str]
    needs_number: bool  # too short to be recognised without its numbering (3.其他)


def _row_label(label: str) -> _Label:
    number = ""
    m = _NUMBERING.match(label)
    if m:
        if m.group(1):
            number = re.escape(m.group(1)) + _SP + "[、.．，,]"
        elif m.group(2):
            number = "[（(]" + _SP + re.escape(m.group(2)) + _SP + "[）)]"
        else:
            number = re.escape(m.group(3)) + _SP + "[.．、]"
        label = label[m.end() :]
    body = _flex(label)
    # a note in brackets at the end is often left out: （二）部分公开（区分处理的，…）
    note = re.fullmatch(r"(.+?)（([^（）]+)）", label)
    if note:
        body = _flex(note.group(1)) + "(?:" + _SP + _flex(f"（{note.group(2)}）") + ")?"
    pattern = f"(?P<num>{number})?{_SP}(?:{body})" if number else f"(?:{body})"
    return _Label(re.compile(pattern), needs_number=label in _GENERIC)


def _table_labels() -> tuple[list[_Label], list[_Label], int]:
    t2 = {
        text
        for blocks in layout.TABLE2.values()
        for block in blocks
        for row in block.rows
        for text in (row.label, *row.aliases)
    }
    t3 = {row.label for rows in layout.TABLE3_ROWS.values() for row in rows}
    t3 |= {*layout.TABLE3_GROUPS.values(), layout.TABLE3_RESULTS}
    order = sorted(t3, key=len, reverse=True)
    return (
        [_row_label(t) for t in sorted(t2, key=len, reverse=True)],
        [_row_label(t) for t in order],
        len(layout.TABLE3_COLUMNS),
    )


_T2_ROWS, _T3_ROWS, _T3_WIDTH = _table_labels()
_T4_WIDTH = len(layout.TABLE4_COLUMNS) * len(layout.TABLE4_GROUPS)
_T2_COLUMNS = {
    column.label for blocks in layout.TABLE2.values() for b in blocks for column in b.columns
}
_T2_BLOCK = re.compile(
    rf"第{_SP}二{_SP}十{_SP}条{_SP}第?{_SP}[（(]?{_SP}[一二三四五六七八九十]{_SP}[）)]?{_SP}项"
)
_T2_HEAD = re.compile(
    _flex(layout.TABLE2_HEADER) + f"(?:{_SP}(?P<col>{_alternatives(_T2_COLUMNS)}))*"
)
_T2_COLUMN = re.compile(_alternatives(_T2_COLUMNS))
_T3_HEAD_WORDS = _alternatives([*layout.TABLE3_HEADER, *(c.label for c in layout.TABLE3_COLUMNS)])
_T3_NOTE_START = layout.TABLE3_NOTE.strip("（）")[:9]  # 本列数据的勾稽关系
_T3_HEAD = re.compile(
    rf"(?:[（(]{_SP})?{_flex(_T3_NOTE_START)}(?:[^（(）)\d]{{0,40}}?[）)])?(?:{_SP}(?:{_T3_HEAD_WORDS}))*"
    rf"|(?:{_flex(layout.TABLE3_HEADER[0])})(?:{_SP}(?:{_T3_HEAD_WORDS}))*"
)
_T4_WORDS = _alternatives(
    [
        *(part for group in layout.TABLE4_GROUPS for part in group.label.split(" › ")),
        *(c.label for c in layout.TABLE4_COLUMNS),
    ]
)
# 未经复议直接起诉: where 表四's header leaves its first row (see _Cutter._piece)
_T4_SUBGROUP = re.compile(_flex(layout.TABLE4_GROUPS[1].label.split(" › ")[1]))
_T4_HEAD = re.compile(rf"(?:(?:{_T4_WORDS}){_SP}){{3,}}")

# The values after a label: digits (a digit followed by "." or "、" and a character is the
# numbering of the next label: 00000008.属于行政查询事项), decimals and thousands separators,
# null tokens, signs, units, and stray whitespace.
_VALUE_RUN = re.compile(
    r"(?:[0-9０-９](?![.．、][ \t\u3000]*[\u4e00-\u9fff])|[.．,](?=[0-9０-９])"
    r"|[/／—–\-－−+＋]|无|空|万元|亿元|[元件项个条次宗家]|[ \t\u3000\u00a0])*"
)
_HAS_VALUE = re.compile(r"[0-9０-９/／—–\-－−无空]")
# Where the print itself separates cells: around a null token, before a sign.
_NULL_TOKEN = re.compile(r"(——|[/／—]|无|空)")
# before a sign after a digit; after a dash before 0 ("-0…" is a null token, then a cell)
_SIGN = re.compile(r"(?<=[0-9０-９.])(?=[+＋\-－−–])|(?<=[\-－−–])(?=[0０])")
_PRINTED_CELL = re.compile(
    r"[+＋\-－−–]?(?:[0０]|[1-9１-９][0-9０-９]*|[1-9１-９][0-9０-９]{0,2}(?:[,，][0-9０-９]{3})+)"
    r"(?:[.．][0-9０-９]+)?(?:万元|亿元|[元件项个条次宗家])?|——|[/／—–\-－]|无|空"
)
_WHITESPACE = re.compile(r"[\s\u3000\u00a0]+")
# What ends a sentence rather than a table cell: a label followed by its values and then
# one of these is a sentence that mentions the label ("其中予以公开3件，…").
_PUNCTUATION = frozenset("，,。；;、：:）)！？!?”")

# ---------------------------------------------------------------- headings

_SECTION_OF: dict[str, int] = {
    word: index for index, (_, words) in enumerate(layout.SECTION_WORDS, 1) for word in words
}
_NUMERAL_INDEX = {n: i for i, n in enumerate("一二三四五六", 1)}
_HEADING = re.compile(
    rf"(?<![（(第])(?P<num>[一二三四五六]){_SP}[、.．]{_SP}"
    r"(?P<pre>[^\s，,。；;、：:\d]{0,12}?)"
    rf"(?P<words>{'|'.join(re.escape(w) for w in sorted(_SECTION_OF, key=len, reverse=True))})"
)
_ENUMERATION = frozenset("，,；;、")

# ---------------------------------------------------------------- the site's chrome

_BREADCRUMB = re.compile(
    r"(?:(?:当前位置|您的位置|您现在的位置|您当前的位置|所在位置|当前页面)\s*[:：]?\s*|(?=首页\s*[>›»＞]))"
    r"(?:[^\s>›»＞]{1,20}\s*[>›»＞]+\s*)*"
    r"(?:[^\s>›»＞\d]{1,16}(?=\s|$))?"
)
_CHROME = re.compile(
    r"【?\s*字\s*[号体]\s*[:：]?\s*(?:[大中小默认]\s*){1,4}】?"
    r"|(?:发布时间|发布日期|更新时间|时间|日期)\s*[:：]\s*\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
    r"(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
    r"|(?:来源|信息来源|文章来源|作者|发布机构|责任编辑|编辑|供稿)\s*[:：]\s*(?:[^\s:：]{1,40}(?=\s|$))?"
    r"|(?:浏览次数|点击数|点击量|阅读次数|阅读量|访问次数|浏览量)\s*[:：]?\s*\d*"
    r"|(?<!\S)(?:[【\[]?(?:打印本页|打印|关闭窗口|关闭本页|关闭|返回顶部|返回|收藏|分享到|分享"
    r"|微信|微博|QQ空间|扫一扫在手机打开当前页|扫一扫)[】\]]?\s*)+(?=\s|$)"
)
# The site's footer: the line ends here (after the report's last part).
_FOOTER = re.compile(
    r"(?:【\s*)?(?:打印本页|关闭窗口)|扫一扫在手机打开当前页|相关链接|版权所有|网站标识码|ICP备"
    r"|公网安备"
)
# A title run into the first sentence: "…2021年政府信息公开工作年度报告根据《条例》…"
_TITLE_RUN_IN = re.compile(
    r"[^，,。；;！？!?]{2,80}?(?:政府信息公开|政务公开)[^，,。；;！？!?]{0,8}?年度报告"
    r"(?=\s*[^\s》”」』）)，,。；;、：:])"
)


# ---------------------------------------------------------------- cutting


def cut_lines(lines: list[Line], crawled: bool = False) -> list[Line]:
    """Lines with every very long text line cut into pseudo-lines (see the module's doc);
    ``crawled``: the file had an archive's header, so every text line is cut (a crawl may
    keep a few line breaks, but never the table's rows) and the site's chrome is dropped."""
    if not crawled and not any(
        not line.table and line.cells and len(line.cells[0]) > LONG_LINE for line in lines
    ):
        return lines
    out: list[Line | _Row] = []
    cutter = _Cutter(crawled)
    for line in lines:
        text = line.cells[0] if line.cells and not line.table else None
        if text is None or not text.strip():
            out.append(line)
        elif crawled or len(text) > LONG_LINE:
            out.extend(cutter.cut(line.number, text))
        else:
            cutter.heading(text)
            out.append(line)
    separated = _separated([row for row in out if isinstance(row, _Row)])
    return [item if isinstance(item, Line) else item.line(separated) for item in out]


@dataclass
class _Cut:
    start: int
    end: int  # where the label ends (the values follow)
    kind: str  # heading | block | head2 | head3 | head4 | row2 | row3
    section: int = 0  # headings: which part
    numbered: bool = False
    width: int | None = None  # head2: the number of columns named


class _Cutter:
    """Cuts long lines one after another, remembering which part of the report it is in."""

    def __init__(self, crawled: bool) -> None:
        self.crawled = crawled
        self.section = 0  # the last heading seen (0: before the first)
        self.width: int | None = None  # the columns of the 表二 block being read

    def heading(self, text: str) -> None:
        """A short line that is a heading moves the reader into its part."""
        m = _HEADING.match(text.strip())
        if m and (k := self._heading_index(m, text.strip())) and k > self.section:
            self.section = k

    def _heading_index(self, m: re.Match[str], text: str) -> int | None:
        k = _SECTION_OF[m.group("words")]
        if _NUMERAL_INDEX[m.group("num")] != k:
            return None
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        if before in _ENUMERATION or after in _ENUMERATION:
            return None  # "本报告由一、总体情况，二、…组成"
        return k

    def cut(self, number: int, text: str) -> list[Line | _Row]:
        heads: list[tuple[int, int, int]] = []
        section = self.section
        for m in _HEADING.finditer(text):
            k = self._heading_index(m, text)
            if k is not None and k > section:
                heads.append((m.start(), m.end(), k))
                section = k
        out: list[Line | _Row] = []
        position = 0
        for start, end, k in [*heads, (len(text), len(text), 0)]:
            tables = self.section in (2, 3, 4) or (
                self.section < 2 and _has_table(text, position, start)
            )
            if tables and start - position <= MAX_TABLE_CHARS:
                out.extend(self._table_part(number, text, position, start))
            else:
                part = self._text_part(text[position:start])
                out.extend(Line(number, (piece,)) for piece in part)
            if not k:
                break
            out.append(Line(number, (text[start:end].strip(),)))
            self.section, position = k, end
            if len(out) > MAX_PIECES:  # a hostile line: the rest is kept whole
                rest = text[end:].strip()
                return out + ([Line(number, (rest,))] if rest else [])
        return out

    def _text_part(self, text: str) -> list[str]:
        if self.section == 0 or (self.section == 6 and self.crawled):
            return self.chrome(text)
        return [text.strip()] if text.strip() else []

    def chrome(self, text: str) -> list[str]:
        """A piece of text before the first heading (or, in a crawled page, after the last)
        without the site's chrome, cut where the chrome was; a title run into the first
        sentence is set apart."""
        if self.section == 6:
            m = _FOOTER.search(text)
            if m:
                text = text[: m.start()]
        spans = [m.span() for m in _CHROME.finditer(text) if m.end() > m.start()]
        if self.section == 0:
            spans += [m.span() for m in _BREADCRUMB.finditer(text) if m.end() > m.start()]
        pieces: list[str] = []
        position = 0
        for start, end in sorted(spans):
            if start >= position:
                pieces.append(text[position:start])
            position = max(position, end)
        pieces.append(text[position:])
        out: list[str] = []
        for piece in pieces:
            piece = piece.strip()
            m = _TITLE_RUN_IN.match(piece) if self.section == 0 else None
            if m:
                out += [m.group(0).strip(), piece[m.end() :].strip()]
            elif piece:
                out.append(piece)
        return [p for p in out if p]

    # -- the tables ------------------------------------------------------------------------

    def _table_part(self, number: int, text: str, start: int, end: int) -> list[Line | _Row]:
        """Cut a stretch of the tables' region before each header and row label."""
        found = sorted(_table_cuts(text, start, end), key=lambda c: (c.start, c.start - c.end))
        chosen: list[_Cut] = []
        for i, c in enumerate(found):
            if chosen and c.start < chosen[-1].end:
                continue  # inside a header or label already cut
            if c.kind in ("row2", "row3") and not c.numbered:
                j = i + 1
                while j < len(found) and found[j].start < c.end:
                    j += 1
                if not _in_table(text, c, found[j].start if j < len(found) else end):
                    continue
            chosen.append(c)
        out: list[Line | _Row] = []
        first = chosen[0].start if chosen else end
        if text[start:first].strip():
            out.append(Line(number, (text[start:first].strip(),)))
        for i, c in enumerate(chosen):
            stop = chosen[i + 1].start if i + 1 < len(chosen) else end
            out.extend(self._piece(number, text, c, stop))
        return out

    def _piece(self, number: int, text: str, c: _Cut, stop: int) -> list[Line | _Row]:
        label = text[c.start : c.end].strip()
        if c.kind in ("block", "head3"):
            return [Line(number, (text[c.start : stop].strip(),))]
        if c.kind == "head2":
            self.width = c.width
        width = {"row2": self.width, "row3": _T3_WIDTH, "head4": _T4_WIDTH}.get(c.kind)
        m = _VALUE_RUN.match(text, c.end, stop)
        values = m.group(0) if m else ""
        rest = text[c.end + len(values) : stop].strip()
        out: list[Line | _Row] = []
        if c.kind == "head2":
            out.append(Line(number, (label,)))
        elif c.kind == "head4":
            # as table rows (no narrative); the words of its first row alone, so that the
            # parser knows 表四 even without the heading of part 四
            sub = _T4_SUBGROUP.search(label)
            split = sub.start() if sub else 0
            for part in (label[:split], label[split:]) if split > 0 else (label,):
                out.append(Line(number, (part.strip(),), True))
        if values.strip() and _HAS_VALUE.search(values) and c.kind != "head2":
            out.append(_Row(number, None if c.kind == "head4" else label, values, width))
        elif c.kind in ("row2", "row3"):
            out.append(Line(number, (label,)))
        elif values.strip():
            rest = (values + rest).strip()
        if rest:
            out.append(Line(number, (rest,)))
        return out


def _table_cuts(text: str, start: int, end: int) -> Iterator[_Cut]:
    for m in _T2_BLOCK.finditer(text, start, end):
        yield _Cut(m.start(), m.end(), "block")
    for m in _T2_HEAD.finditer(text, start, end):
        width = len(_T2_COLUMN.findall(m.group(0))) or None
        yield _Cut(m.start(), m.end(), "head2", width=width)
    for m in _T3_HEAD.finditer(text, start, end):
        yield _Cut(m.start(), m.end(), "head3")
    for m in _T4_HEAD.finditer(text, start, end):
        yield _Cut(m.start(), m.end(), "head4")
    for kind, labels in (("row2", _T2_ROWS), ("row3", _T3_ROWS)):
        for label in labels:
            for m in label.pattern.finditer(text, start, end):
                numbered = bool(m.groupdict().get("num"))
                if label.needs_number and not numbered:
                    continue
                # the label itself ends where its text ends, before any whitespace
                yield _Cut(m.start(), m.start() + len(m.group(0).rstrip()), kind, numbered=numbered)


def _in_table(text: str, c: _Cut, stop: int) -> bool:
    """A label printed without its numbering is a table row only when values follow it and
    no sentence goes on after them, or when the next label follows it at once (a row whose
    cells are all blank)."""
    m = _VALUE_RUN.match(text, c.end, stop)
    values = m.group(0) if m else ""
    after = c.end + len(values)
    if not values.strip():
        return after >= stop
    if not _HAS_VALUE.search(values):
        return False
    return after >= stop or text[after] not in _PUNCTUATION


def _has_table(text: str, start: int, end: int) -> bool:
    """Tables before any heading of their parts (a page without headings)."""
    return bool(_T2_BLOCK.search(text, start, end) or _T3_HEAD.search(text, start, end))


@dataclass(frozen=True)
class _Row:
    """A table row cut from a line: its label (none for 表四's values) and the text of its
    values as printed, made into a :class:`Line` once the whole document is cut."""

    number: int
    label: str | None
    values: str
    width: int | None  # the row's number of cells, when known

    def apart(self) -> bool:
        """Printed as a crawler that separates cells prints a row: two or more words, each
        one printed cell (a number or a null token), no more than the row's cells (a blank
        cell prints nothing)."""
        words = self.values.split()
        return 2 <= len(words) <= (self.width or 0) and all(map(_PRINTED_CELL.fullmatch, words))

    def line(self, separated: bool) -> Line:
        words = self.values.split()
        if not separated:
            cells = _cells(self.values, self.width)
        elif self.width is None or len(words) == 1 or self.apart():
            cells = tuple(words)
        else:  # more words than cells, or one that is no cell: no reading is certain
            cells = (UNPLACED.join(words),)
        return Line(self.number, cells if self.label is None else (self.label, *cells), True)


# Joins the words of a row's values that cannot be placed in its cells (one cell no number
# reads from; it shows where the page separated them).
UNPLACED = "·"


def _separated(rows: list[_Row]) -> bool:
    """Whether whitespace separates the cells of this document's tables (a crawler that put a
    space between cells), rather than falling here and there into runs of touching digits.

    Separated, nearly every row of several cells prints them apart, one printed cell
    between two spaces (a blank cell may be left out, so the cells are never run together);
    touching, most rows print runs of digits (0000000, 640020470, 3///) and whitespace is
    stray."""
    known = [row for row in rows if row.width and row.width > 1]
    return bool(known) and 5 * sum(row.apart() for row in known) >= 4 * len(known)


def _cells(values: str, width: int | None) -> tuple[str, ...]:
    """The printed values of a row of touching digits as cells: whitespace is stray there
    (``23 0 00 0 023``), so it is removed, and the run is cut only where the print itself
    separates cells (around a null token, before a sign). Each cell is then one printed cell
    or several run together, never part of one: as many as the columns are the row's cells;
    a run of digits alone is split by the parser only when the table's arithmetic allows one
    split; fewer leave the row null.

    Two cases stay one piece no number reads from (the row keeps its label, its cells stay
    null): more cells than columns (the values took in something else), and six for 表三's
    seven, which the parser would place by position when another row of the table shows a
    blank 总计 (content/format.md §7; a crawl never shows which cell is missing). Such a piece
    holds a null token or a sign, so it is never a run of digits."""
    run = _WHITESPACE.sub("", values)
    parts = [p for p in _NULL_TOKEN.split(run) if p]
    cells = [c for p in parts for c in _SIGN.split(p) if c]
    if width is not None and (len(cells) > width or (width == _T3_WIDTH == len(cells) + 1)):
        return ("".join(cells),)
    return tuple(cells)
