"""A PDF with a text layer → lines: narrative as text blocks, tables rebuilt from positions.

pypdfium2 gives every printed character with its box (:func:`_page_chars`) and the page's
thin path objects (horizontal ruling lines, :func:`_page_rules`); everything else is
geometry, the same for every producer (Chromium, LibreOffice/Word, WPS):

* characters on one baseline make a visual line; a gap of about half a character splits it
  into fragments (a cell's text, or a run of the narrative); characters are sorted by
  position, so a fallback font written in a separate run (LibreOffice) falls into place.
  Sizes are compared in ems (the width of a CJK character), not box heights, which differ
  between fonts;
* page numbers ("— 4 —", "第 3 页") set apart in the top or bottom margin, and running
  headers or footers repeated on half the pages, are dropped;
* a *value line* holds numbers printed apart from the text on its left (a table row), or a
  lone number among a table's lines (a wrapped label's row). Value lines with the lines
  around them make a table: not narrative (larger type, a paragraph's line at the margin, a
  wide gap); a table runs on over a page break when nothing else lies between;
* in a table, lines with text over the number columns are header lines: a header block
  above a run of rows gives the columns (its lowest cells: 自然人 … 总计, 本年制发件数 …;
  without a header, the columns the numbers line up in) and is written as one line; a
  header repeated at the top of the next page is dropped;
* each value line is a row: its numbers go into the header's columns (a column left blank
  is an empty cell, as in a web page's table; a number not clearly in one column leaves the
  row unplaced). Its label is the text in the label columns on its baseline, plus the lines
  of a wrapped label above and below it: a line starting with a row number (一、 （二） 3.)
  begins a label, a line continues the cell above only at a line's distance (and with no
  row border ruled between), and between two rows the widest gap divides the labels. Text
  in a label column left of another label (三、本年度办理结果, （三）不予公开: a cell spanning
  rows) is put in front of the label of each row it covers, as a web page's rowspan is. A
  numbered label with no numbers beside it is a row left blank, written as empty cells;
* a number too wide for its cell wraps ("1234" over "56"): such parts are taken out and
  the cell left empty, never read as two numbers;
* the narrative's visual lines are joined into paragraphs (a line that runs to the right
  margin continues on the next), so titles and headings broken over two lines read whole.

Every table cell carries its :class:`~gongkai.model.Place` (page, box in points from the
top-left corner of the page as shown). The parser reads the lines as it reads a web page's;
nothing here knows the tables' rows or columns, only how tables are printed (and the words
that open a header: 第二十条, 信息内容, 申请人情况 …).
"""

from __future__ import annotations

import ctypes
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from gongkai.ingest.boundary import outside_reader
from gongkai.layout import NULL_TOKENS, NUMBER_PATTERN, ROW_NUMBER_PATTERN
from gongkai.model import Line, NotAReport, Place

MAX_PAGES = 60  # a report has 3–20 pages; a 500-page file is not one
MAX_CHARS = 400_000  # printed characters in the whole file (a dense page holds ~3,000)
MAX_TABLE_LINES = 600  # visual lines in one table
MAX_RULES = 5000  # horizontal ruling lines on a page (a ruled table page has a few hundred)
MAX_LINE_CELLS = 60  # fragments on one line of a table
MIN_CHARS = 40  # fewer printed characters than this: no text layer (a scan)
GOOD_SHARE = 0.6  # below this share of readable characters the text layer is garbage

# Gaps and distances in ems (see _em_ratio).
FRAG_GAP = 0.45  # a wider gap between two characters ends a fragment
# characters within this of a line's baseline are on it: the text of one printed line
# shares its baseline exactly; lines of neighbouring cells may lie a point apart
BASELINE_TOL = 0.1
LABEL_GAP = 1.0  # numbers this far from the text on their left are a cell of their own
MARGIN_SHARE = 0.12  # page numbers are looked for in the top and bottom 12 % of a page
RUNNING_SHARE = 0.07  # running headers and footers: lines repeated in the outer 7 %

_NUMBER = re.compile(f"^{NUMBER_PATTERN}$")
_DIGITS = re.compile(r"\d+")
_NUMERIC_PIECE = re.compile(r"^[+\-]?[\d,.，．]*\d[\d,.，．]*$")  # a number or a piece of one
_FOOTER = re.compile(
    r"^[-—–－_~·.\s]*(?:第\s*)?\d{1,3}\s*(?:页)?(?:\s*[/／]\s*\d{1,3}|\s*共\s*\d{1,3}\s*页)?[-—–－_~·.\s]*$"
)
_MARKER = re.compile(f"^{ROW_NUMBER_PATTERN}")  # a row number opening a label
_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、.．]|[(（][一二三四五六七八九十]{1,3}[)）])"
)
# Words that open a table's header when printed in its label column only (a web page's
# table would hold them in a cell spanning the table).
_HEADER_WORDS = re.compile(r"第二十条|信息内容|申请人情况|本列数据|行政复议|行政诉讼")
_CJK_START = 0x2E80
# Characters dropped before the layout: spaces (gaps are measured), controls, invisibles.
_SKIP = frozenset(
    [*range(0, 33), 0x7F, 0xA0, 0xAD, 0x3000, 0xFEFF, *range(0x2000, 0x200E), 0x2028, 0x2029]
)


@dataclass(slots=True)
class _Char:
    ch: str
    x0: float
    x1: float
    top: float
    bottom: float
    base: float
    em: float = 0.0  # the font size (see _em_ratio)


@dataclass(slots=True)
class _Frag:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    base: float
    size: float
    page: int

    @property
    def mid(self) -> float:
        return (self.x0 + self.x1) / 2

    def place(self) -> Place:
        return Place(
            page=self.page + 1,
            box=(round(self.x0, 1), round(self.top, 1), round(self.x1, 1), round(self.bottom, 1)),
        )


@dataclass(slots=True)
class _VLine:
    page: int
    base: float
    size: float
    frags: list[_Frag]
    y: float = 0.0  # position in the table's own coordinate (pages joined), set per table
    kind: str = "text"  # text | value | lone (a number alone) | label (in a table)
    values: list[_Frag] = field(default_factory=list)  # the number cells of a value line
    labels: list[_Frag] = field(default_factory=list)  # the text cells left of them
    split: float | None = None  # x where the number columns begin (value lines)

    @property
    def x0(self) -> float:
        return self.frags[0].x0

    @property
    def x1(self) -> float:
        return self.frags[-1].x1

    @property
    def top(self) -> float:
        return min(f.top for f in self.frags)

    @property
    def bottom(self) -> float:
        return max(f.bottom for f in self.frags)

    @property
    def text(self) -> str:
        return "".join(f.text for f in self.frags)


@dataclass
class _Page:
    index: int
    width: float
    height: float
    lines: list[_VLine]
    rules: list[tuple[float, float, float]] = field(default_factory=list)  # y, x0, x1


# --- reading the characters -------------------------------------------------------------


class NoTextLayer(NotAReport):
    """A PDF whose pages carry no usable text: the reader hands it to OCR."""


def pdf_lines(data: bytes) -> list[Line]:
    """The lines of a PDF's text layer; NotAReport for a PDF without one (a scan)."""
    pages = _read_pages(data)
    return _Layout(pages).lines()


def _read_pages(data: bytes) -> list[_Page]:
    import pypdfium2 as pdfium  # imported only for PDF files

    with outside_reader("pypdfium2"):
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as err:
            if "password" in str(err).lower():
                raise NotAReport("这个 PDF 设有打开密码，无法读取") from err
            raise
    try:
        with outside_reader("pypdfium2"):
            count = len(pdf)
        if count > MAX_PAGES:
            raise NotAReport(
                f"PDF 有 {count} 页，远多于一份年度报告（通常不到 20 页），"
                f"超过 {MAX_PAGES} 页的文件不读取"
            )
        read: list[tuple[int, float, float, list[_Char]]] = []
        page_rules: list[list[tuple[float, float, float]]] = []
        total = printed = good = cjk = accented = 0
        for index in range(count):
            with outside_reader("pypdfium2"):
                page = pdf[index]
            try:
                width, height, chars = _page_chars(page, MAX_CHARS - total)
                rules = _page_rules(page) if chars else []
            finally:
                page.close()
            if chars is None:
                raise NotAReport(f"PDF 的文字超过 {MAX_CHARS:,} 个字符，远多于一份年度报告，未读取")
            total += len(chars)
            printed += len(chars)
            good += sum(1 for c in chars if _readable(c.ch))
            cjk += sum(1 for c in chars if _cjk(c.ch))
            accented += sum(1 for c in chars if 0x80 <= ord(c.ch) < 0x250)
            read.append((index, width, height, chars))
            page_rules.append(rules)
    finally:
        pdf.close()
    if printed < MIN_CHARS:
        raise NoTextLayer("这个 PDF 没有文字层（可能是扫描件或图片）")
    # a font without a text encoding comes out as private-use characters, or as Latin-1
    # letters where Chinese was printed ("¸ñÊ½"); a Chinese report is mostly CJK
    if good < GOOD_SHARE * printed or (cjk < 0.05 * printed and accented > 0.2 * printed):
        raise NoTextLayer("这个 PDF 的文字层无法识别（字体没有文字编码，提取出的是乱码）")
    ratio = _em_ratio([c for *_, chars in read for c in chars])
    for *_, chars in read:
        for c in chars:
            c.em = (c.x1 - c.x0) if _cjk(c.ch) else (c.bottom - c.top) * ratio
    pages = [
        _Page(i, w, h, _visual_lines(chars, i, h), rules)
        for (i, w, h, chars), rules in zip(read, page_rules, strict=True)
    ]
    _drop_running_lines(pages)
    return pages


def _drop_running_lines(pages: list[_Page]) -> None:
    """Drop a running header or footer: a line in the top or bottom margin printed on
    several pages (its digits aside: "第 3 页", a date)."""
    if len(pages) < 3:
        return
    seen: dict[str, set[int]] = {}
    for page in pages:
        for line in page.lines:
            if _in_margin(line, page.height, RUNNING_SHARE):
                seen.setdefault(_DIGITS.sub("#", _flat(line.text)), set()).add(page.index)
    running = {text for text, on in seen.items() if len(on) >= max(2, len(pages) // 2)}
    if not running:
        return
    for page in pages:
        page.lines = [
            ln
            for ln in page.lines
            if not (
                _in_margin(ln, page.height, RUNNING_SHARE)
                and _DIGITS.sub("#", _flat(ln.text)) in running
            )
        ]


def _cjk(ch: str) -> bool:
    return ord(ch) >= _CJK_START


def _em_ratio(chars: list[_Char]) -> float:
    """The font size per point of character box height. A CJK character is one em wide in
    every font; its box height depends on the font (a bold heading's differs from the body's),
    so sizes are compared in ems: the width of CJK characters, else the height scaled."""
    ratios = sorted((c.x1 - c.x0) / (c.bottom - c.top) for c in chars[:20000] if _cjk(c.ch))
    return ratios[len(ratios) // 2] if ratios else 0.85


def _readable(ch: str) -> bool:
    o = ord(ch)
    if o < 0x7F:
        return True
    if 0xE000 <= o <= 0xF8FF or o == 0xFFFD:  # private use (no ToUnicode), replacement
        return False
    return unicodedata.category(ch)[0] in "LNPS"


def _page_chars(page, budget: int) -> tuple[float, float, list[_Char] | None]:
    """The page's printed characters, boxes in points from the top-left corner of the page
    as shown (after its /Rotate)."""
    import pypdfium2.raw as pdfium_c

    # only the library's calls are the file's problem (outside_reader); the rest is ours
    with outside_reader("pypdfium2"):
        left, bottom, right, top = page.get_cropbox()
        rotation = page.get_rotation() % 360
        textpage = page.get_textpage()
    width, height = right - left, top - bottom
    try:
        with outside_reader("pypdfium2"):
            n = textpage.count_chars()
        if n > budget:
            return width, height, None
        rect = pdfium_c.FS_RECTF()
        ox, oy = ctypes.c_double(), ctypes.c_double()
        unicode_of = pdfium_c.FPDFText_GetUnicode
        box_of = pdfium_c.FPDFText_GetLooseCharBox
        origin_of = pdfium_c.FPDFText_GetCharOrigin
        chars: list[_Char] = []
        for k in range(n):
            u = unicode_of(textpage, k)
            if u in _SKIP or u > 0x10FFFF:
                continue
            if not box_of(textpage, k, rect) or not origin_of(textpage, k, ox, oy):
                continue
            x0, x1 = rect.left - left, rect.right - left
            y0, y1 = rect.bottom - bottom, rect.top - bottom  # PDF space: y upwards
            if x1 <= x0 or y1 <= y0:
                continue
            bx, by = ox.value - left, oy.value - bottom
            if rotation == 0:
                c = _Char(chr(u), x0, x1, height - y1, height - y0, height - by)
            elif rotation == 90:  # the page's left edge is shown at the top
                c = _Char(chr(u), y0, y1, x0, x1, bx)
            elif rotation == 180:
                c = _Char(chr(u), width - x1, width - x0, y0, y1, by)
            else:  # 270: the left edge is shown at the bottom
                c = _Char(chr(u), height - y1, height - y0, width - x1, width - x0, width - bx)
            chars.append(c)
    finally:
        textpage.close()
    if rotation in (90, 270):
        width, height = height, width
    # text outside the page (clipped, or written off-page on purpose) is not printed
    chars = [c for c in chars if c.x1 > 0 and c.x0 < width and c.bottom > 0 and c.top < height]
    return width, height, chars


def _page_rules(page) -> list[tuple[float, float, float]]:
    """The page's horizontal ruling lines (y, x0, x1), as shown: a table's row borders. Only
    a hint: a line drawn as a thin path object (a stroked segment, a thin filled rectangle);
    a rectangle drawn round a cell or the page is not one."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    left, bottom, right, top = page.get_cropbox()
    width, height = right - left, top - bottom
    rotation = page.get_rotation() % 360
    try:
        objects = page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=3)
        bounds = [obj.get_bounds() for obj, _ in zip(objects, range(MAX_RULES * 4), strict=False)]
    except pdfium.PdfiumError:
        return []  # the library cannot say where a path is: no hint (the text is read)
    rules = []
    for x0, y0, x1, y1 in bounds:
        x0, x1, y0, y1 = x0 - left, x1 - left, y0 - bottom, y1 - bottom
        if rotation == 0:
            box = (x0, height - y1, x1, height - y0)
        elif rotation == 90:
            box = (y0, x0, y1, x1)
        elif rotation == 180:
            box = (width - x1, y0, width - x0, y1)
        else:
            box = (height - y1, width - x1, height - y0, width - x0)
        bx0, btop, bx1, bbottom = box
        if bbottom - btop < 2.5 and bx1 - bx0 > 4:
            rules.append(((btop + bbottom) / 2, bx0, bx1))
        if len(rules) > MAX_RULES:
            return []  # not a table's borders: no hint at all
    rules.sort()
    return rules


def _visual_lines(chars: list[_Char], page: int, height: float) -> list[_VLine]:
    """Characters → visual lines (shared baseline) → fragments (split at wide gaps)."""
    if not chars:
        return []
    chars.sort(key=lambda c: c.base)
    groups: list[list[_Char]] = []
    anchor = -1e9
    for c in chars:
        tol = BASELINE_TOL * c.em
        if groups and abs(c.base - anchor) <= tol:
            groups[-1].append(c)
        else:
            groups.append([c])
            anchor = c.base
    lines = []
    for group in groups:
        group.sort(key=lambda c: c.x0)
        size = sorted(c.em for c in group)[len(group) // 2]
        frags: list[_Frag] = []
        run: list[_Char] = []
        for c in group:
            if run:
                prev = run[-1]
                if c.ch == prev.ch and abs(c.x0 - prev.x0) < 0.3 * (prev.x1 - prev.x0):
                    continue  # the same glyph printed twice (fake bold)
                if c.x0 - prev.x1 > FRAG_GAP * size:
                    frags.append(_frag(run, size, page))
                    run = []
            run.append(c)
        frags.append(_frag(run, size, page))
        base = sorted(c.base for c in group)[len(group) // 2]
        lines.append(_VLine(page, base, size, frags))
    keep = []
    for k, line in enumerate(lines):
        above = lines[k - 1] if k > 0 else None
        below = lines[k + 1] if k + 1 < len(lines) else None
        if _is_footer(line, height, above, below):
            continue
        keep.append(line)
    return keep


def _frag(run: list[_Char], size: float, page: int) -> _Frag:
    parts = [run[0].ch]
    for prev, c in zip(run, run[1:], strict=False):
        # keep the space between two Latin words (dropped with the other whitespace), never
        # inside a number ("12 345" is one number with a space, or a gap too narrow to tell)
        wide = c.x0 - prev.x1 > 0.2 * size
        if wide and _word(prev.ch) and _word(c.ch) and (_latin(prev.ch) or _latin(c.ch)):
            parts.append(" ")
        parts.append(c.ch)
    return _Frag(
        "".join(parts),
        run[0].x0,
        max(c.x1 for c in run),
        min(c.top for c in run),
        max(c.bottom for c in run),
        sorted(c.base for c in run)[len(run) // 2],
        size,
        page,
    )


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def _word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _in_margin(line: _VLine, height: float, share: float) -> bool:
    return not share * height < line.base < (1 - share) * height


def _is_footer(line: _VLine, height: float, above: _VLine | None, below: _VLine | None) -> bool:
    """A page number in the top or bottom margin, set apart from the text (a lone number
    close under a table row is that row's, not the page's)."""
    if not _in_margin(line, height, MARGIN_SHARE) or not _FOOTER.match(line.text):
        return False
    apart = 1.5 * line.size
    if line.base > height / 2:
        return above is None or line.base - above.base > apart + above.size
    return below is None or below.base - line.base > apart + line.size


# --- cells ------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _flat(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _is_number(text: str) -> bool:
    return _NUMBER.match(_flat(text)) is not None


def _is_value(text: str) -> bool:
    flat = _flat(text)
    return flat in NULL_TOKENS or _NUMBER.match(flat) is not None


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return min(a1, b1) - max(a0, b0)


# --- the layout -------------------------------------------------------------------------


@dataclass
class _Row:
    """One table row: a value line, or a numbered label printed without numbers."""

    y: float
    values: _VLine | None
    labels: list[_Frag] = field(default_factory=list)  # the row's own label text
    spans: list[list[_Frag]] = field(default_factory=list)  # cells spanning rows (in front)


@dataclass
class _Block:
    """A header block and the rows under it (the header gives the number columns)."""

    header: list[_VLine]
    rows: list[_Row] = field(default_factory=list)
    slots: list[tuple[float, float]] | None = None


class _Layout:
    def __init__(self, pages: list[_Page]) -> None:
        self.pages = pages
        self.body = [ln for p in pages for ln in p.lines]
        self._edges = _edges(pages)
        self.rules = {p.index: p.rules for p in pages}

    # -- the document's lines in order, tables replaced by their rows

    def lines(self) -> list[Line]:
        lines = self.body
        for line in lines:
            _mark_values(line)
        tables = self._tables(lines)
        out: list[Line] = []
        number = 0
        i = 0
        starts = {t[0]: t for t in tables}
        paragraph: list[_VLine] = []

        def flush() -> None:
            nonlocal number
            if paragraph:
                number += 1
                out.append(Line(number, (_paragraph_text(paragraph),)))
                paragraph.clear()

        while i < len(lines):
            if i in starts:
                flush()
                start, end = starts[i]
                table = lines[start:end]
                if _plausible(table):
                    for cells, places in _Table(table, self.rules).rows():
                        number += 1
                        out.append(Line(number, tuple(cells), True, tuple(places)))
                else:  # far larger than any real table: its lines as plain text
                    for ln in table:
                        number += 1
                        out.append(Line(number, (" ".join(f.text for f in ln.frags),)))
                i = end
                continue
            line = lines[i]
            if paragraph and not self._continues(paragraph[-1], line):
                flush()
            paragraph.append(line)
            i += 1
        flush()
        return out

    def _continues(self, a: _VLine, b: _VLine) -> bool:
        """Whether visual line b carries on the paragraph whose last line is a."""
        if abs(a.size - b.size) > 0.12 * a.size:
            return False
        if b.page == a.page:
            step = b.base - a.base
            if not 0.7 * a.size < step < 2.4 * a.size:
                return False
        elif b.page != a.page + 1:
            return False
        left, right = self._edges
        if a.x1 < right - 2.5 * a.size:
            return False  # a ends short of the margin: its paragraph ends there
        if _HEADING.match(_flat(b.text)) or _MARKER.match(_flat(b.text)):
            return False
        if b.x0 <= a.x0 + 0.5 * a.size and a.x0 <= left + 3 * a.size:
            return True  # a paragraph's next line starts at the margin, not indented
        page = self.pages[a.page]
        centre = page.width / 2
        return (
            abs((a.x0 + a.x1) / 2 - centre) < 2 * a.size
            and abs((b.x0 + b.x1) / 2 - centre) < 2 * a.size
        )

    # -- finding the tables

    def _tables(self, lines: list[_VLine]) -> list[tuple[int, int]]:
        """(start, end) index ranges of the tables among the lines."""
        cores: list[list[int]] = []
        for i, line in enumerate(lines):
            if line.kind != "value":
                continue
            if cores and self._same_table(lines, cores[-1][-1], i):
                cores[-1].append(i)
            else:
                cores.append([i])
        ranges: list[tuple[int, int]] = []
        taken = 0
        for core in cores:
            start, end = core[0], core[-1] + 1
            size = _table_size(lines, core)
            split = min(lines[i].split or 0.0 for i in core)
            # header lines above the first row
            j = start
            while j - 1 >= taken and start - (j - 1) <= 40:
                above = lines[j - 1]
                if not self._table_like(above, lines[j], size, up=True):
                    break
                j -= 1
            start = j
            # label lines below the last row
            k = end
            while k < len(lines) and k - end < 12:
                below = lines[k]
                if below.kind == "value" or not self._table_like(
                    below, lines[k - 1], size, up=False
                ):
                    break
                over = [f for f in below.frags if f.x1 > split + 0.5 * size]
                if over and not (below.kind == "lone" and len(over) == 1):
                    break  # text over the number columns: not a label line
                k += 1
            end = k
            if ranges and start < ranges[-1][1]:
                start = ranges[-1][1]
            ranges.append((start, end))
            taken = end
        return ranges

    def _same_table(self, lines: list[_VLine], a: int, b: int) -> bool:
        """Whether value lines a and b belong to one table (only table lines between)."""
        size = max(lines[a].size, lines[b].size)
        prev = lines[a]
        for j in range(a + 1, b + 1):
            line = lines[j]
            if not self._table_like(line, prev, size, up=False):
                return False
            prev = line
        return True

    def _table_like(self, line: _VLine, neighbour: _VLine, size: float, up: bool) -> bool:
        """A line next to a table that may belong to it (not narrative)."""
        if line.kind == "value":
            return True
        if line.size > 1.06 * size:
            return False  # narrative and headings are printed larger than a table
        upper, lower = (line, neighbour) if up else (neighbour, line)
        if upper.page == lower.page:
            gap = lower.top - upper.bottom
            if gap > 2.2 * size:
                return False
        else:
            if lower.page != upper.page + 1:
                return False
            if not (self._last_on_page(upper) and self._first_on_page(lower)):
                return False
        page_left, page_right = self._edges
        if len(line.frags) == 1:
            f = line.frags[0]
            wide = f.x1 - f.x0 > 0.6 * (page_right - page_left)
            if abs(f.x0 - page_left) < 1.5 and (wide or _HEADING.match(_flat(f.text))):
                return False  # a paragraph's line or a heading, at the left margin
        return True

    def _last_on_page(self, line: _VLine) -> bool:
        return self.pages[line.page].lines[-1] is line

    def _first_on_page(self, line: _VLine) -> bool:
        return self.pages[line.page].lines[0] is line


def _plausible(table: list[_VLine]) -> bool:
    """A table small enough to be one of a report's (表三 printed narrow over two pages has
    ~120 lines of ≤ 25 cells); a larger one is read as plain lines, in bounded time."""
    return len(table) <= MAX_TABLE_LINES and all(len(ln.frags) <= MAX_LINE_CELLS for ln in table)


def _edges(pages: list[_Page]) -> tuple[float, float]:
    """The text body's left and right edges: where the long lines (a paragraph's) start and
    end, over the whole document (a page of tables has few of them)."""
    long = [ln for p in pages for ln in p.lines if ln.x1 - ln.x0 > 0.45 * p.width]
    if not long:
        lines = [ln for p in pages for ln in p.lines]
        if not lines:
            return 0.0, 0.0
        return min(ln.x0 for ln in lines), max(ln.x1 for ln in lines)
    starts: dict[int, int] = {}
    for ln in long:
        starts[round(ln.x0)] = starts.get(round(ln.x0), 0) + 1
    left = max(starts, key=lambda k: (sum(c for v, c in starts.items() if abs(v - k) <= 1), -k))
    ends = sorted(ln.x1 for ln in long)
    return float(left), ends[int(0.9 * (len(ends) - 1))]


def _table_size(lines: list[_VLine], core: list[int]) -> float:
    sizes = sorted(lines[i].size for i in core)
    return sizes[len(sizes) // 2]


def _mark_values(line: _VLine) -> None:
    """A line with numbers printed apart from the text before them is a value line."""
    frags = line.frags
    values = [_is_value(f.text) for f in frags]
    # the value cells are the run of values at the end of the line
    k = len(frags)
    while k > 0 and values[k - 1]:
        k -= 1
    tail = frags[k:]
    if not tail or not any(_is_number(f.text) for f in tail):
        return
    if k == 0:
        if len(tail) < 2:
            # a lone number: a row's only number between the lines of its wrapped label, or
            # a page number, a date part: decided by the table around it
            line.kind = "lone"
            return
    else:
        gap = tail[0].x0 - frags[k - 1].x1
        if gap < LABEL_GAP * line.size:
            return  # a number running on from text ("共 12 件")
    line.kind = "value"
    line.values = tail
    line.labels = frags[:k]
    line.split = tail[0].x0


def _paragraph_text(lines: list[_VLine]) -> str:
    out = ""
    for line in lines:
        text = " ".join(f.text for f in line.frags)
        if out and (out[-1].isascii() and out[-1].isalnum()) and text[:1].isascii():
            out += " "
        out += text
    return out


# --- one table ----------------------------------------------------------------------------


class _Table:
    """The lines of one table (over one or more pages) → rows of cells with their places."""

    def __init__(
        self, lines: list[_VLine], rules: dict[int, list[tuple[float, float, float]]] | None = None
    ) -> None:
        self.lines = lines
        self.rules = rules or {}
        shift, prev = 0.0, None
        for line in lines:
            if prev is not None and line.page != prev.page:
                # the next page carries on where the last left off, a row's gap further
                shift = prev.y + 2.0 * prev.size - line.base
            line.y = line.base + shift
            prev = line
        self._unwrap_numbers()
        lines = self.lines
        values = [ln for ln in lines if ln.kind == "value"]
        self.split = min((ln.split or 0.0) for ln in values) if values else 0.0
        self.index = {id(line): i for i, line in enumerate(lines)}
        self.kinds = self._kinds()
        self.spanning = self._spanning()
        self.ys = {id(f): ln.y for ln in lines for f in ln.frags}
        # the label column's right edge: where a wrapped label line ends
        rights = [
            f.x1
            for ln, kind in zip(lines, self.kinds, strict=True)
            if kind != "header"
            for f in (ln.labels if kind == "value" else ln.frags)
            if id(f) not in self.spanning
        ]
        self.label_right = max(rights, default=0.0)

    def rows(self) -> Iterator[tuple[list[str], list[Place | None]]]:
        blocks = self._blocks()
        previous: list[tuple[float, float]] | None = None
        for block in blocks:
            block.slots = _slots(block, previous)
            previous = block.slots or previous
            if block.header:
                yield _header_cells(block.header)
            for row in block.rows:
                yield _row_cells(row, block.slots)

    # -- what each line is

    def _unwrap_numbers(self) -> None:
        """A number too wide for its cell wraps onto the next line ("1234" over "56", "98,76"
        over "5,432"): the parts could read as numbers. A run of digits nearly as wide as its
        column with digits right under it, one line down, is such a break: both parts are
        taken out, so the cell is empty (not readable with certainty), never read as two
        numbers nor joined. Rows packed without padding look the same (a loss, not a wrong
        number); a line whose label starts with a row number is a row of its own."""
        pieces = [[f for f in ln.frags if _NUMERIC_PIECE.match(f.text)] for ln in self.lines]

        def room(i: int, v: _Frag) -> float | None:
            """The distance to the next column: the nearest number beside v, on its line or
            the lines around it."""
            best = None
            for j in range(max(0, i - 4), min(len(self.lines), i + 5)):
                line = self.lines[j]
                if line.page != self.lines[i].page or abs(line.y - self.lines[i].y) > 2 * v.size:
                    continue
                for g in pieces[j]:
                    if _overlap(v.x0, v.x1, g.x0, g.x1) <= 0:
                        d = abs(g.mid - v.mid)
                        best = d if best is None else min(best, d)
            return best

        gone: set[int] = set()
        for i, upper in enumerate(self.lines):
            for j in range(i + 1, len(self.lines)):
                lower = self.lines[j]
                if lower.page != upper.page or lower.y - upper.y > 1.5 * upper.size:
                    break
                words = [f for f in lower.frags if not _NUMERIC_PIECE.match(f.text)]
                if lower.y - upper.y < 0.5 * upper.size or _starts_label(words):
                    continue
                for v in pieces[i]:
                    if id(v) in gone:
                        continue
                    digit = (v.x1 - v.x0) / sum(ch.isdigit() for ch in v.text)
                    pitch = room(i, v)
                    if pitch is None or (v.x1 - v.x0) + digit < 0.75 * pitch:
                        continue  # room for another digit: the number did not wrap
                    for w in pieces[j]:
                        if (
                            id(w) not in gone
                            and _overlap(v.x0, v.x1, w.x0, w.x1) > 0
                            and w.x1 - w.x0 <= v.x1 - v.x0 + 0.5 * digit
                        ):
                            gone.update((id(v), id(w)))
                            break
        if not gone:
            return
        for line in self.lines:
            line.frags = [f for f in line.frags if id(f) not in gone]
            line.values = [f for f in line.values if id(f) not in gone]
            line.labels = [f for f in line.labels if id(f) not in gone]
            if line.kind == "value" and not line.values:
                line.kind, line.split = "label", None
        self.lines = [ln for ln in self.lines if ln.frags]

    def _kinds(self) -> list[str]:
        """value | header | label for each line of the table."""
        lines = self.lines
        value_idx = [i for i, ln in enumerate(lines) if ln.kind == "value"]
        kinds = []
        for i, line in enumerate(lines):
            if line.kind == "value":
                kinds.append("value")
                continue
            k = bisect_left(value_idx, i)
            prev = value_idx[k - 1] if k > 0 else None
            nxt = value_idx[k] if k < len(value_idx) else None
            splits = [lines[v].split or 0.0 for v in (prev, nxt) if v is not None]
            split = min(splits) if splits else self.split
            right = [f for f in line.frags if f.mid >= split - 0.3 * f.size]
            left = [f for f in line.frags if f.mid < split - 0.3 * f.size]
            if right and all(_is_value(f.text) for f in right):
                # only null tokens (—, /, 无) under the number columns, or a lone number
                # between the lines of a wrapped label: a row
                line.kind = "value"
                line.values, line.labels, line.split = right, left, right[0].x0
                kinds.append("value")
            elif any(f.x1 > split + 0.3 * f.size for f in line.frags):
                kinds.append("header")  # text over the number columns
            elif _HEADER_WORDS.search(_flat(line.text)):
                kinds.append("header")
            else:
                kinds.append("label")
        # label lines between two header lines are part of the header (a wrapped cell)
        i = 0
        while i < len(kinds):
            if kinds[i] != "header":
                i += 1
                continue
            j = i + 1
            while j < len(kinds) and kinds[j] != "value":
                j += 1
            last = max(k for k in range(i, j) if kinds[k] == "header")
            for k in range(i, last + 1):
                kinds[k] = "header"
            i = j
        return kinds

    def _spanning(self) -> set[int]:
        """Label fragments with another label to their right: a cell spanning rows
        (三、本年度办理结果, （三）不予公开), kept apart from the rows' own labels. Only the
        lines around a fragment are looked at (a table is sorted by y)."""
        rows = [
            [] if kind == "header" else (line.labels if kind == "value" else line.frags)
            for line, kind in zip(self.lines, self.kinds, strict=True)
        ]
        ys = [line.y for line in self.lines]

        def near(i: int, reach: float) -> Iterator[_Frag]:
            j = i
            while j >= 0 and ys[i] - ys[j] <= reach:
                yield from rows[j]
                j -= 1
            j = i + 1
            while j < len(rows) and ys[j] - ys[i] <= reach:
                yield from rows[j]
                j += 1

        out: set[int] = set()
        queue: list[tuple[int, _Frag]] = []
        for i, frags in enumerate(rows):
            for f in frags:
                for g in near(i, 1.5 * f.size):
                    if (
                        g.page == f.page
                        and g.x0 >= f.x1 + 0.9 * f.size
                        and _overlap(f.top, f.bottom, g.top, g.bottom) > 0.1 * f.size
                    ):
                        out.add(id(f))
                        queue.append((i, f))
                        break
        # the rest of such a cell: stacked under or over a spanning fragment
        index = {id(f): i for i, frags in enumerate(rows) for f in frags}
        while queue:
            i, g = queue.pop()
            for f in near(i, 1.6 * g.size):
                if (
                    id(f) not in out
                    and f.page == g.page
                    and _overlap(f.x0, f.x1, g.x0, g.x1) > 0
                    and not _MARKER.match(_flat(f.text))
                ):
                    out.add(id(f))
                    queue.append((index[id(f)], f))
        return out

    def _starts_page(self, line: _VLine) -> bool:
        """The first line of the table on its page (after a page break)."""
        idx = self.index[id(line)]
        return idx > 0 and self.lines[idx - 1].page != line.page

    # -- rows

    def _blocks(self) -> list[_Block]:
        lines, kinds = self.lines, self.kinds
        blocks: list[_Block] = []
        block: _Block | None = None
        pending: list[_VLine] = []
        last: _Row | None = None
        top: float | None = None  # the y of the header's last line
        seen: set[str] = set()  # the headers printed so far
        i = 0
        while i < len(lines):
            line, kind = lines[i], kinds[i]
            if kind == "header":
                j, last_header = i, i
                while j < len(lines) and kinds[j] != "value":
                    if kinds[j] == "header":
                        last_header = j
                    j += 1
                head = _flat("".join(ln.text for ln in lines[i : last_header + 1]))
                if head in seen and block is not None and self._starts_page(line):
                    # the header repeated at the top of the next page: dropped, and a row
                    # broken by the page goes on after it
                    pending += lines[last_header + 1 : j]
                    i = j
                    continue
                seen.add(head)
                if block is not None and last is not None:
                    self._settle(block, last, pending, None, None)
                    pending = []
                header = pending + lines[i : last_header + 1] if block is None else []
                if block is not None:
                    header = lines[i : last_header + 1]
                    if pending:  # label lines after a block without rows
                        header = pending + header
                block = _Block(header)
                blocks.append(block)
                last, top = None, lines[last_header].y
                pending = list(lines[last_header + 1 : j])
                i = j
                continue
            if kind == "value":
                if block is None:
                    block = _Block([])
                    blocks.append(block)
                row = _Row(line.y, line, [f for f in line.labels if id(f) not in self.spanning])
                self._settle(block, last, pending, row, top)
                block.rows.append(row)
                last, pending = row, []
            else:
                pending.append(line)
            i += 1
        if block is None:
            return []
        if last is not None:
            self._settle(block, last, pending, None, None)
        elif pending:
            block.header = block.header + pending
        for b in blocks:
            b.rows.sort(key=lambda r: r.y)
            self._place_spans(b)
        return blocks

    def _settle(
        self,
        block: _Block,
        upper: _Row | None,
        lines: list[_VLine],
        lower: _Row | None,
        top: float | None,
    ) -> None:
        """Give the label lines between two rows (or a header and a row) to the upper row, to
        the lower row, or to rows of their own (labels printed without numbers).

        A line continues the cell above when it follows at a line's distance (see
        _continues), and a line starting with a row number (一、 （二） 3.) begins a label. So
        the lines fall into segments; the first may end the upper row's label, the last may
        begin the lower row's (when the lower row's own text does not start with a number),
        and any between are rows of their own. Where one segment could do both, the widest
        vertical gap divides it."""
        own = [[f for f in ln.frags if id(f) not in self.spanning] for ln in lines]
        items = [(ln, fs) for ln, fs in zip(lines, own, strict=True) if fs]
        if not items:
            return
        segments: list[list[tuple[_VLine, list[_Frag]]]] = []
        for item in items:
            if segments and not _starts_label(item[1]):
                prev_line, prev = segments[-1][-1]
                if self._continues(prev, prev_line.y, item[1], item[0].y):
                    segments[-1].append(item)
                    continue
            segments.append([item])
        anchored = lower.labels if lower is not None else []
        first_line, first = segments[0][0]
        # may the first segment carry on the text above it?
        if _starts_label(first):
            can_tail = False
        elif upper is not None:
            above = self._last_line(upper.labels)
            can_tail = above is None or self._continues(
                above, self.ys[id(above[0])], first, first_line.y
            )
        else:
            above = self._header_above(block, first)
            can_tail = above is not None and self._continues(
                above, self.ys[id(above[0])], first, first_line.y
            )
        # may the last segment begin the lower row's label?
        can_head = lower is not None and not _starts_label(anchored)

        def head_ok(seg: list[tuple[_VLine, list[_Frag]]]) -> bool:
            if not anchored:
                return True
            assert lower is not None
            last_line, last = seg[-1]
            return self._continues(last, last_line.y, anchored, lower.y)

        tail: list[tuple[_VLine, list[_Frag]]] = []
        head: list[tuple[_VLine, list[_Frag]]] = []
        if len(segments) == 1 and can_tail and can_head:
            seg = segments.pop()
            assert lower is not None
            start = upper.y if upper is not None else (top if top is not None else seg[0][0].y)
            ys = [start, *(ln.y for ln, _ in seg), lower.y]
            cuts = [c for c in range(len(seg) + 1) if c == len(seg) or head_ok(seg[c:])]
            cut = max(cuts, key=lambda c: ys[c + 1] - ys[c] - 0.01 * c)
            tail, head = seg[:cut], seg[cut:]
        else:
            if segments and can_tail:
                tail = segments.pop(0)
            if segments and can_head and head_ok(segments[-1]):
                head = segments.pop()
        if upper is None:
            block.header = block.header + [ln for ln, _ in tail]
        else:
            upper.labels.extend(f for _, fs in tail for f in fs)
        if lower is not None and head:
            lower.labels[:0] = [f for _, fs in head for f in fs]
        for seg in segments:
            block.rows.append(_Row(seg[0][0].y, None, [f for _, fs in seg for f in fs]))

    def _continues(self, upper: list[_Frag], y0: float, lower: list[_Frag], y1: float) -> bool:
        """Whether the lower label line may be the next line of the upper one's cell: it
        follows at the distance of a line (rows are further apart than the lines of a cell,
        except where rows are packed without padding); over a page break, when the upper
        line is full (it wrapped; a short line ends its label)."""
        if upper[0].page != lower[0].page:
            return self._full(upper)
        if self._ruled_between(upper, lower):
            return False  # a row border between them
        return y1 - y0 <= 1.5 * lower[0].size

    def _ruled_between(self, upper: list[_Frag], lower: list[_Frag]) -> bool:
        """A horizontal ruling line between two label lines, wider than both (a cell's
        border, not an underline)."""
        rules = self.rules.get(upper[0].page)
        if not rules:
            return False
        top = max(f.base for f in upper)
        bottom = min(f.top for f in lower)
        x0 = min(f.x0 for f in (*upper, *lower))
        x1 = max(f.x1 for f in (*upper, *lower))
        k = bisect_left(rules, (top, -1e9, -1e9))
        while k < len(rules) and rules[k][0] < bottom:
            _, r0, r1 = rules[k]
            if r0 < x0 - 1.0 and r1 > x1 + 1.0:
                return True
            k += 1
        return False

    def _full(self, frags: list[_Frag]) -> bool:
        """A label line that reaches the label column's right edge (so may wrap on)."""
        if not frags:
            return False
        right = max(f.x1 for f in frags)
        return right >= self.label_right - 1.6 * frags[0].size

    def _last_line(self, frags: list[_Frag]) -> list[_Frag] | None:
        if not frags:
            return None
        low = max(self.ys[id(f)] for f in frags)
        return [f for f in frags if self.ys[id(f)] == low]

    def _header_above(self, block: _Block, frags: list[_Frag]) -> list[_Frag] | None:
        """The header text in the same column as these fragments, just above them."""
        y = self.ys[id(frags[0])]
        x0, x1 = min(f.x0 for f in frags), max(f.x1 for f in frags)
        cands = [
            (ln.y, f)
            for ln in block.header
            for f in ln.frags
            if ln.y < y and _overlap(x0, x1, f.x0, f.x1) > 0
        ]
        if not cands:
            return None
        low = max(c[0] for c in cands)
        if y - low > 2.5 * frags[0].size:
            return None
        return [f for yy, f in cands if yy == low]

    def _place_spans(self, block: _Block) -> None:
        """Put each spanning cell in front of the label of every row it covers."""
        rows = [r for r in block.rows if r.values is not None]
        if not rows:
            return
        ys = {id(f): ln.y for ln in self.lines for f in ln.frags}
        start = min(r.y for r in block.rows) - 3 * rows[0].values.size  # type: ignore[union-attr]
        end = max(r.y for r in block.rows)
        frags = [
            f
            for ln, kind in zip(self.lines, self.kinds, strict=True)
            if kind != "header"
            for f in ln.frags
            if id(f) in self.spanning and start <= ys[id(f)] <= end + 4 * f.size
        ]
        frags.sort(key=lambda f: (ys[id(f)], f.x0))
        chains: list[list[_Frag]] = []
        for f in frags:
            for chain in chains:
                last = chain[-1]
                if (
                    _overlap(last.x0, last.x1, f.x0, f.x1) > 0
                    and ys[id(f)] - ys[id(last)] < 1.6 * f.size
                    and not _MARKER.match(_flat(f.text))
                ):
                    chain.append(f)
                    break
            else:
                chains.append([f])
        for chain in chains:
            top = ys[id(chain[0])] - 0.6 * chain[0].size
            bottom = ys[id(chain[-1])] + 0.6 * chain[-1].size
            covered = [r for r in rows if top <= r.y <= bottom]
            if not covered:
                mid = (top + bottom) / 2
                covered = [min(rows, key=lambda r: abs(r.y - mid))]
            for r in covered:
                r.spans.append(chain)


def _starts_label(frags: list[_Frag]) -> bool:
    """Whether these label fragments (one line) begin a numbered row label."""
    if not frags:
        return False
    first = min(frags, key=lambda f: f.x0)
    return _MARKER.match(_flat(first.text)) is not None


def _slots(
    block: _Block, previous: list[tuple[float, float]] | None
) -> list[tuple[float, float]] | None:
    """The number columns of a block: the lowest header cells over the numbers."""
    values = [f for r in block.rows if r.values is not None for f in r.values.values]
    if not values:
        return previous
    # header cells over the label column (信息内容, the 表三 note) are not number columns
    labels = [f for r in block.rows for f in (*r.labels, *(g for c in r.spans for g in c))]
    split = max((f.x1 for f in labels), default=-1.0)
    # the number columns' headers are in the header's last lines (a real one has ~15)
    header = [f for ln in block.header[-40:] for f in ln.frags]
    leaves = []
    for f in header:
        if f.mid <= split:
            continue
        below = any(
            g is not f and g.base > f.base + 0.5 * f.size and _overlap(f.x0, f.x1, g.x0, g.x1) > 0.5
            for g in header
        )
        if not below:
            leaves.append((f.x0, f.x1))
    merged = _merge(leaves)
    if merged and _fits(values, merged):
        return merged
    if previous and _fits(values, previous):
        return previous
    # no header to go by: the columns the numbers themselves line up in, each held by two
    # rows or more (a stray number, such as a label's "2" read apart, makes no column; its
    # row is then not placed, and the parser takes its numbers only when they fill the row)
    rows = [r.values.values for r in block.rows if r.values is not None]
    clusters = _merge([(f.x0, f.x1) for f in values])
    if len(rows) >= 3:
        clusters = [
            (a, b)
            for a, b in clusters
            if sum(any(_overlap(a, b, f.x0, f.x1) > 0 for f in row) for row in rows) >= 2
        ]
    return clusters or None


def _merge(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for a, b in sorted(spans):
        if out and a < out[-1][1]:
            out[-1] = (out[-1][0], max(b, out[-1][1]))
        else:
            out.append((a, b))
    return out


def _slot_of(f: _Frag, slots: list[tuple[float, float]]) -> int | None:
    """The column a number sits in: the one it overlaps, else clearly the nearest."""
    over = [k for k, (a, b) in enumerate(slots) if _overlap(a, b, f.x0, f.x1) > 0]
    if len(over) == 1:
        return over[0]
    if len(over) > 1:
        return None
    dist = sorted((abs((a + b) / 2 - f.mid), k) for k, (a, b) in enumerate(slots))
    if len(dist) == 1:
        return dist[0][1] if dist[0][0] < 2 * (f.x1 - f.x0) + 2 * f.size else None
    centres = sorted((a + b) / 2 for a, b in slots)
    pitch = min(b - a for a, b in zip(centres, centres[1:], strict=False))
    if dist[0][0] < 0.5 * dist[1][0] and dist[0][0] < 0.5 * pitch:
        return dist[0][1]
    return None


def _fits(values: list[_Frag], slots: list[tuple[float, float]]) -> bool:
    return bool(slots) and all(_slot_of(f, slots) is not None for f in values)


def _chains(frags: list[_Frag], pitch: float = 1.6) -> list[list[_Frag]]:
    """Fragments stacked in one column (a cell's wrapped lines), in reading order."""
    chains: list[list[_Frag]] = []
    active: list[list[_Frag]] = []  # chains whose last line is close enough above
    for f in sorted(frags, key=lambda f: (f.page, f.top, f.x0)):
        active = [
            c for c in active if c[-1].page == f.page and f.base - c[-1].base < pitch * f.size
        ]
        for chain in active:
            last = chain[-1]
            if _overlap(last.x0, last.x1, f.x0, f.x1) > 0 and f.base > last.base:
                chain.append(f)
                break
        else:
            chains.append([f])
            active.append(chains[-1])
    return chains


def _header_cells(lines: list[_VLine]) -> tuple[list[str], list[Place | None]]:
    """A header block as one row: its cells (wrapped lines joined) in reading order."""
    chains = _chains([f for ln in lines for f in ln.frags])
    chains.sort(key=lambda c: (c[0].page, c[0].top, c[0].x0))
    return ["".join(f.text for f in c) for c in chains], [c[0].place() for c in chains]


def _row_cells(
    row: _Row, slots: list[tuple[float, float]] | None
) -> tuple[list[str], list[Place | None]]:
    cells: list[str] = []
    places: list[Place | None] = []
    for chain in sorted(row.spans, key=lambda c: min(f.x0 for f in c)):
        cells.append("".join(f.text for f in chain))
        places.append(chain[0].place())
    if row.labels:
        chains = _chains(row.labels, pitch=3.0)
        chains.sort(key=lambda c: min(f.x0 for f in c))
        for chain in chains:
            cells.append("".join(f.text for f in chain))
            places.append(chain[0].place())
    width = len(slots) if slots else 0
    if row.values is None:
        return cells + [""] * width, places + [None] * width
    values = row.values.values
    placed: list[_Frag | None] = [None] * width
    ok = slots is not None
    if slots is not None:
        for f in values:
            k = _slot_of(f, slots)
            if k is None or placed[k] is not None:
                ok = False
                break
            placed[k] = f
    if ok:
        cells += [f.text if f is not None else "" for f in placed]
        places += [f.place() if f is not None else None for f in placed]
    else:  # the columns are unclear: the numbers in order, no blank placed
        cells += [f.text for f in values]
        places += [f.place() for f in values]
    return cells, places
