"""Saved web pages → lines: the report's text blocks and its tables laid out on a grid.

A page saved from a government site holds the report inside the site's chrome (menus,
breadcrumbs, search box, footer). We drop what a reader never sees as text (scripts,
styles, form controls), find the element that holds the report (the lowest one around its
tables and section headings, widened to take in the title above them), and walk it: each
block of text becomes one :class:`Line`, each table row one line of cells with rowspan and
colspan resolved. Its cell rules (text joined across breaks, labels but never values copied
down a span) are shared with :mod:`gongkai.ingest.docx`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import chain, islice
from typing import NamedTuple

from lxml import etree

from gongkai.ingest.boundary import outside_reader
from gongkai.layout import NULL_TOKENS, NUMBER_PATTERN
from gongkai.model import Line

MAX_SPAN = 1000  # browsers cap colspan at 1000; a larger span is a typo or hostile
MAX_COLUMNS = 256  # spans end here; the widest real table (表四) has 15 columns
LAYOUT_CELL_CHARS = 300  # a cell holding more text than this is page layout, not data
TITLE_CHARS = 80
EXTRA_CHARS = 300  # text allowed between the title and the report body (date, source)
GRID_BUDGET = 1_000_000  # grid positions spans may cover in one table
MAX_TABLE_NESTING = 20  # deeper tables are read as plain text (and Python's stack is spared)

# Never text a reader sees. <form> is unwrapped instead: ASP.NET pages wrap the whole page in one.
_DROP = (
    "head", "title", "script", "style", "noscript", "template", "iframe", "svg", "object",
    "embed", "canvas", "select", "button", "textarea", "input",
)  # fmt: skip
_BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "caption", "center", "dd",
    "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer",
    "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li",
    "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul",
})  # fmt: skip
_CHROME_ANCESTORS = frozenset({"a", "li", "nav", "option", "footer"})
_CONTAINERS = frozenset({"article", "body", "div", "form", "main", "section", "td", "th"})
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_TITLE_CLASS = re.compile(r"title|tit\b|biaoti|headline|\bbt\b", re.I)

_SECTION_MARK = re.compile(
    r"总体情况|主动公开政府信息情况|收到和处理政府信息公开申请|行政复议[、，,]?行政诉讼情况"
    r"|存在的?主要问题|其他需要报告的事项"
)
_TABLE_MARK = re.compile(r"申请人情况|信息内容|第二十条|本年度办理结果|行政复议|本年新收")
_TITLE_MARK = re.compile(r"年度报告|年报")
_NOT_TITLE = re.compile(r"当前位置|您的位置|所在位置|首页|[>›»]")
_CHROME_TEXT = re.compile(
    r"当前位置|您的位置|所在位置|首页|版权所有|ICP|网站标识码|公网安备|网站地图"
)

_NEWLINE = re.compile(r"\r\n?")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_SPACE = re.compile(r"\s+")
_BREAK = "\x00"  # a <br> or block boundary inside a cell; control characters are gone by then
_BREAKS = re.compile(r" ?\x00[ \x00]*")
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef“”‘’]")
# [^<>], not [^>]: on "<a<a<a…" without any ">" the latter rescans the rest of the page from
# every "<" (quadratic on a hostile page).
_INLINE_TAGS = re.compile(
    r"</?(?:font|span|b|i|u|em|strong|a|small|big|sub|sup|o:p)\b[^<>]*>", re.I
)
# A start tag longer than this keeps only its name and spans: libxml2 checks each attribute
# against all earlier ones (quadratic), and a report's tags carry at most a style and spans.
LONG_TAG_CHARS = 2000
_LONG_TAG = re.compile(rf"<([A-Za-z][\w:-]{{0,30}})(\s[^<>]{{{LONG_TAG_CHARS},}})>")
_SPAN_ATTR = re.compile(r"\b(?:rowspan|colspan)\s*=\s*[\"']?\s*\d+", re.I)

# Values are never copied into the rows a rowspan covers: only labels are.
_NUMBER = re.compile(NUMBER_PATTERN)
_DIGITS = re.compile(r"\s*(\d+)")  # browsers read rowspan="2px" as 2


def html_lines(text: str) -> list[Line]:
    """Lines of a web page's report: text blocks as single cells, table rows as grid rows."""
    doc = _parse(text)
    if doc is None:
        return []
    etree.strip_elements(doc, etree.Comment, etree.ProcessingInstruction, *_DROP, with_tail=False)
    out = _Lines()
    for root in _content_roots(doc):
        out.walk(root)
    return out.lines


def _parse(text: str) -> etree._Element | None:
    # libxml2 counts only \n as a line break; read.text_lines counts a lone \r too.
    text = _CONTROL.sub(" ", _NEWLINE.sub("\n", text))
    text = _LONG_TAG.sub(_short_tag, text)
    doc, too_deep = _parse_bytes(text)
    if too_deep:
        # Past 2048 levels libxml2 stops and drops the rest of the page; such depth comes from
        # unclosed <font>/<span> in pasted Word HTML, so read it again without inline tags.
        text = _INLINE_TAGS.sub("", text)
        doc, too_deep = _parse_bytes(text)
    if too_deep:
        # Still too deep: a report wrapped in thousands of <div>s or of one-cell layout
        # tables. Those wrappers say nothing about the report: one of each is kept.
        doc, _ = _parse_bytes(_flatten_wrappers(text))
    return doc


_WRAPPER_TAGS = re.compile(
    r"<(?:div|section|article|center|blockquote|main|header|footer|aside)\b[^<>]*>", re.I
)
_WRAPPER_ENDS = re.compile(
    r"</(?:div|section|article|center|blockquote|main|header|footer|aside)\s*>", re.I
)
# a run of tables each opening straight into one cell that opens the next: page layout
_CELL_OPEN = r"<table\b[^<>]*>\s*(?:<tbody\b[^<>]*>\s*)?<tr\b[^<>]*>\s*<t[dh]\b[^<>]*>\s*"
_CELL_CLOSE = r"</t[dh]\s*>\s*</tr\s*>\s*(?:</tbody\s*>\s*)?</table\s*>\s*"
_NESTED_OPEN = re.compile(rf"(?:{_CELL_OPEN}){{2,}}", re.I)
_NESTED_CLOSE = re.compile(rf"(?:{_CELL_CLOSE}){{2,}}", re.I)


def _flatten_wrappers(text: str) -> str:
    """The page without its wrapper elements (each a block boundary) and with every run of
    nested one-cell tables cut to one table."""
    text = _WRAPPER_ENDS.sub("", _WRAPPER_TAGS.sub("<br>", text))
    text = _NESTED_OPEN.sub(lambda m: re.match(_CELL_OPEN, m.group(), re.I).group(), text)  # type: ignore[union-attr]
    return _NESTED_CLOSE.sub(lambda m: re.match(_CELL_CLOSE, m.group(), re.I).group(), text)  # type: ignore[union-attr]


def _short_tag(m: re.Match[str]) -> str:
    spans = " ".join(_SPAN_ATTR.findall(m.group(2))[:2])
    return f"<{m.group(1)} {spans}>" if spans else f"<{m.group(1)}>"


def _parse_bytes(text: str) -> tuple[etree._Element | None, bool]:
    # Bytes in a fixed encoding: lxml refuses a str holding <?xml encoding=…?>, and a
    # <meta charset> must not re-decode what read.decode has decoded already. etree's parser,
    # not lxml.html's: the lxml.html element classes cost a third of the run time.
    parser = etree.HTMLParser(encoding="utf-8", huge_tree=True)
    data = text.encode("utf-8", errors="replace")
    with outside_reader("lxml"):
        try:
            doc = etree.fromstring(data, parser=parser)
        except etree.XMLSyntaxError:
            return None, False  # nothing lxml can build a tree from ("Document is empty")
    return doc, any("Excessive depth" in e.message for e in parser.error_log)


# --- the content root -------------------------------------------------------------------


def _content_roots(doc: etree._Element) -> list[etree._Element]:
    """The element(s) holding the report, in document order; <body> when nothing marks it."""
    body = doc.find("body")
    body = doc if body is None else body
    anchors, titles = [], []
    holds_tables: dict[etree._Element, bool] = {}
    for node in body.xpath(".//text()"):
        if len(node) > 200:
            continue
        owner = node.getparent()
        if owner is None:
            continue
        if node.is_tail:
            owner = owner.getparent()
            if owner is None:
                continue
        squeezed = _SPACE.sub("", node)
        table = _nearest(owner, "table")
        if table is not None:
            if table not in holds_tables:
                holds_tables[table] = table.find(".//table") is not None
            if holds_tables[table]:
                table = None  # a table holding tables lays out the page; it is not report data
        if len(squeezed) <= 40 and _SECTION_MARK.search(squeezed) and not _in_chrome(owner):
            anchors.append(owner)
        elif table is not None and _TABLE_MARK.search(squeezed):
            anchors.append(table)
        if _TITLE_MARK.search(squeezed) and table is None and not _in_chrome(owner):
            titles.append(owner)
    if not anchors:
        return [body]
    core = _lowest_common_ancestor(anchors)
    while core.tag not in _CONTAINERS and core.getparent() is not None:
        core = core.getparent()  # one heading or one table marks the box around it
    title = _title_above(core, titles)
    if title is None:
        return [core]
    both = _lowest_common_ancestor([core, title])
    extra = _text_outside(both, (core, title))
    if len(extra) > EXTRA_CHARS or _CHROME_TEXT.search(extra):
        return [title, core]  # the box around both holds the site's menus or footer
    return [both]


def _title_above(core: etree._Element, candidates: list[etree._Element]) -> etree._Element | None:
    """The title nearest above the report body and outside it, headings preferred."""
    order = {el: i for i, el in enumerate(core.getroottree().getroot().iter())}
    above = []
    for el in candidates:
        text = _SPACE.sub("", "".join(el.itertext()))
        if (
            order[el] < order[core]
            and len(text) <= TITLE_CHARS
            and not _NOT_TITLE.search(text)
            and core not in el.iterdescendants()
        ):
            above.append(el)
    headings = [el for el in above if _heading_like(el)]
    pick = headings or above
    return pick[-1] if pick else None


def _heading_like(el: etree._Element) -> bool:
    """An <hN>, or inside one or a class="title" box (the title text often sits in a <span>)."""
    for node in islice(chain((el,), el.iterancestors()), 4):
        names = f"{node.get('class', '')} {node.get('id', '')}"
        if node.tag in _HEADING_TAGS or _TITLE_CLASS.search(names):
            return True
    return False


def _nearest(el: etree._Element, tag: str) -> etree._Element | None:
    if el.tag == tag:
        return el
    return next(el.iterancestors(tag), None)


def _in_chrome(el: etree._Element) -> bool:
    """Inside a link, list item or <nav>: menus and "related reports" lists, not the report."""
    if el.tag in _CHROME_ANCESTORS:
        return True
    return next(el.iterancestors(*_CHROME_ANCESTORS), None) is not None


def _lowest_common_ancestor(elements: list[etree._Element]) -> etree._Element:
    common: list[etree._Element] | None = None
    for el in elements:
        path = [*reversed(list(el.iterancestors())), el]
        if common is None:
            common = path
            continue
        n = 0
        while n < min(len(common), len(path)) and common[n] is path[n]:
            n += 1
        common = common[:n]
    assert common  # every element shares the <html> root
    return common[-1]


def _text_outside(root: etree._Element, skip: tuple[etree._Element, ...]) -> str:
    """The text under root but outside the skipped elements, whitespace removed."""
    parts: list[str] = []
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        if event == "start":
            if el in skip:
                walker.skip_subtree()
            elif el.text:
                parts.append(el.text)
        elif el is not root and el.tail:
            parts.append(el.tail)
    return _SPACE.sub("", "".join(parts))


# --- walking: blocks and tables ---------------------------------------------------------


class _Lines:
    """Collects lines while walking: inline text gathers into a block until a block boundary."""

    def __init__(self, start: int = 1, depth: int = 0) -> None:
        self.lines: list[Line] = []
        self._start = start
        self._depth = depth  # tables around this walk
        self._parts: list[str] = []
        self._number: int | None = None

    @property
    def last(self) -> int:
        return self.lines[-1].number if self.lines else self._start

    def walk(self, root: etree._Element) -> None:
        walker = etree.iterwalk(root, events=("start", "end"))
        for event, el in walker:
            tag = el.tag
            if event == "start":
                if tag in _BLOCK:
                    self.flush()
                if tag == "table" and self._depth < MAX_TABLE_NESTING:
                    rows = _table_lines(el, self.last, self._depth + 1)
                    if rows is not None:
                        self.lines.extend(rows)
                        walker.skip_subtree()
                        continue
                self.add(el.text, el.sourceline)
            else:
                if tag in _BLOCK:
                    self.flush()
                if el is not root:
                    self.add(el.tail, el.sourceline)
        self.flush()

    def add(self, text: str | None, number: int | None) -> None:
        if not text:
            return
        if self._number is None and not text.isspace():
            self._number = number or self.last
        self._parts.append(text)

    def flush(self) -> None:
        text = _clean("".join(self._parts))
        if text:
            self.lines.append(Line(self._number or self.last, (text,), False))
        self._parts.clear()
        self._number = None


def _clean(text: str) -> str:
    """Collapse whitespace; a line break inside a cell joins CJK text (本年新<br>制作数量)."""
    text = _SPACE.sub(" ", text.translate(_INVISIBLE))
    if _BREAK in text:
        text = _BREAKS.sub(_join, text)
    return text.strip()


def _join(m: re.Match[str]) -> str:
    text, start, end = m.string, m.start(), m.end()
    if start and end < len(text) and _CJK.match(text[start - 1]) and _CJK.match(text[end]):
        return ""
    return " "


@lru_cache(maxsize=4096)
def _is_value(text: str) -> bool:
    flat = "".join(unicodedata.normalize("NFKC", text).split())
    return flat in NULL_TOKENS or _NUMBER.fullmatch(flat) is not None


def _span(value: str | None) -> int:
    m = _DIGITS.match(value or "")
    return min(int(m.group(1)), MAX_SPAN) if m else 1


class _Row(NamedTuple):
    number: int | None
    cells: list[_Cell]


class _Cell:
    __slots__ = ("text", "rows", "cols", "nested")

    def __init__(self, el: etree._Element) -> None:
        self.nested: list[etree._Element] = []
        self.text = _cell_text(el, self.nested)
        self.rows = _span(el.get("rowspan"))  # 0 = to the end of the table, as in HTML
        self.cols = max(_span(el.get("colspan")), 1)


def _cell_text(cell: etree._Element, nested: list[etree._Element]) -> str:
    """The cell's own text: block boundaries and <br> as line breaks, nested tables left out."""
    parts: list[str] = []
    walker = etree.iterwalk(cell, events=("start", "end"))
    for event, el in walker:
        if event == "start":
            if el is not cell and el.tag == "table":
                nested.append(el)
                walker.skip_subtree()
                continue
            if el.tag in _BLOCK:
                parts.append(_BREAK)
            if el.text:
                parts.append(el.text)
        elif el is not cell:
            if el.tag in _BLOCK:
                parts.append(_BREAK)
            if el.tail:
                parts.append(el.tail)
    return _clean("".join(parts))


def _table_items(table: etree._Element) -> list[_Row | etree._Element]:
    """The table's own rows, and stray elements between rows (kept as text blocks)."""
    items: list[_Row | etree._Element] = []

    def scan(group: etree._Element, top: bool) -> None:
        loose: _Row | None = None  # <td> without a <tr>, as broken pages have
        for child in group:
            tag = child.tag
            if tag in ("td", "th"):
                if loose is None:
                    loose = _Row(child.sourceline, [])
                    items.append(loose)
                loose.cells.append(_Cell(child))
                continue
            loose = None
            if tag == "tr":
                cells = [_Cell(c) for c in child if c.tag in ("td", "th")]
                items.append(_Row(child.sourceline, cells))
            elif tag in ("thead", "tbody", "tfoot") and top:
                scan(child, False)
            elif tag not in ("colgroup", "col"):
                items.append(child)

    scan(table, True)
    return items


def _table_lines(table: etree._Element, last: int, depth: int) -> list[Line] | None:
    """The rows of a data table on its grid; None for a table that only lays out the page."""
    items = _table_items(table)
    rows = [item for item in items if isinstance(item, _Row)]
    for row in rows:
        for cell in row.cells:
            if len(cell.text) > LAYOUT_CELL_CHARS or len(cell.nested) > 1:
                return None
    grid = _grid([row.cells for row in rows])
    width = max((max(values, default=-1) + 1 for values in grid), default=0)
    out = _Lines(last, depth)
    placed = iter(grid)
    for item in items:
        if not isinstance(item, _Row):
            out.walk(item)
            continue
        values = next(placed)
        if values:
            cells = tuple(values.get(i, "") for i in range(width))
            out.lines.append(Line(item.number or out.last, cells, True))
        for cell in item.cells:
            for inner in cell.nested:
                out.walk(inner)
    return out.lines


def _grid(rows: list[list[_Cell]]) -> list[dict[int, str]]:
    """Place cells on the grid. A label spanning rows is copied into each row, a value is not;
    the columns a colspan covers after the first stay empty."""
    grid: list[dict[int, str]] = [{} for _ in rows]
    taken: list[set[int]] = [set() for _ in rows]
    budget = GRID_BUDGET
    for r, cells in enumerate(rows):
        c = 0
        for cell in cells:
            while c in taken[r]:
                c += 1
            end_row = len(rows) if cell.rows == 0 else min(len(rows), r + cell.rows)
            end_col = min(c + cell.cols, MAX_COLUMNS)
            budget -= (end_row - r) * (end_col - c)
            if budget < 0 or c >= MAX_COLUMNS:  # absurd spans: place the rest without any
                end_row, end_col = r + 1, c + 1
            copy = not _is_value(cell.text)
            for rr in range(r, end_row):
                taken[rr].update(range(c, end_col))
                if cell.text and (rr == r or copy):
                    grid[rr][c] = cell.text
            c = end_col
    return grid
