"""Publish stage: each report's text as the site publishes it — its 原文 page.

The page a reader opens to check a number: the text gongkai read, line by line, each line
numbered with an anchor (``#L12``), and every table cell of the agency-year page links to the
line it was read from (:func:`cell_links`). A PDF or scan is shown page by page
(``原文第 N 页``, ``#P3``). A page saved on one long line (a crawled page, a minified web page)
was cut into pieces that keep the source line's number (:mod:`gongkai.ingest.crawl`): its
pieces are ``#L1``, ``#L1-2``, ``#L1-3`` …, and a cell links to the piece holding its row.

It is a light, standalone HTML file beside the agency-year page
(``agencies/<agency>/<year>/原文.html``, ``原文-2.html`` for a second report of the same
year), not a MkDocs page: the text alone, with no theme around it (a quarter of the bytes).
Every string is escaped (markupsafe): report text may hold HTML, Markdown, Jinja or snippet
syntax, and stays text. Nothing here reads the clock: the page is a function of the record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import escape

from gongkai import layout
from gongkai.model import Line, Record, Report, SourceLine
from gongkai.parse.cells import split_row
from gongkai.parse.tables import t2_key, t3_key
from gongkai.site import pages

# A page stays light on a phone: past this many characters only the lines that numbers were
# read from are shown (a real report has 5,000–30,000).
SOURCE_MAX = 200_000
LINE_MAX = 20_000  # a line longer than this (a whole report on one line) shows its start
KIND_NOTES = {
    "text": "文本文件：行号即文件中的行号（空行不列出）。",
    "html": "网页：每个段落、标题或表格行一行，行号是它在网页源代码中的行号（同一行上的几段标为 12、12-2、12-3…）。",
    "pdf": "PDF 文件：按页列出读出的文字（原文第 N 页），表格每行一行，各格以“|”隔开。",
    "ocr": "扫描件：按页列出文字识别（OCR）读出的文字（原文第 N 页），识别可能有误，以原件为准。",
    "docx": "Word 文档：段落和表格行按顺序编号，表格各格以“|”隔开。",
    "doc": "Word 文档（经 LibreOffice 转换）：段落和表格行按顺序编号，表格各格以“|”隔开。",
    "rtf": "RTF 文档（经 LibreOffice 转换）：段落和表格行按顺序编号，表格各格以“|”隔开。",
}
CUT_NOTE = (
    "原文整篇（或大段）印在一行上，本站按标题和表格行把它切开：第 N 行切出的各段标为 N、N-2、N-3…"
)


@dataclass(frozen=True)
class SearchMeta:
    """The search index reads the report's words here, on its 原文 page, and shows the result
    as its agency-year page (content/assets/gongkai.js): under that page's title, found by
    the agency's place names too."""

    title: str  # "盐池县科学技术局 2023 年"
    region: str = ""  # "宁夏回族自治区 › 吴忠市 › 盐池县"
    places: str = ""  # gongkai.site.places.places_text


# The file name of a 原文 page (source_docs): 原文.html, 原文-2.html …
SOURCE_PAGE = re.compile(r"原文(?:-\d+)?\.html")


def source_docs(doc_path: str, count: int) -> list[str]:
    """The 原文 pages of an agency-year page's reports: ``agencies/x/2023.md`` →
    ``agencies/x/2023/原文.html`` (then ``原文-2.html`` …): beside the served page, so a
    cell's link is only ``原文.html#L12``."""
    folder = doc_path[: -len(".md")]
    return [
        f"{folder}/原文.html" if i == 0 else f"{folder}/原文-{i + 1}.html" for i in range(count)
    ]


def anchors(text: tuple[SourceLine, ...]) -> list[str]:
    """The anchor of each line: ``L12``; the later pieces of a cut line ``L12-2`` …"""
    seen: dict[int, int] = {}
    out = []
    for line in text:
        k = seen[line.number] = seen.get(line.number, 0) + 1
        out.append(f"L{line.number}" if k == 1 else f"L{line.number}-{k}")
    return out


def cell_anchors(record: Record) -> dict[str, str]:
    """cell reference → the anchor of the line (or piece of a cut line) it was read from."""
    text = record.text
    if not text or not record.lines:
        return {}
    names = anchors(text)
    pieces: dict[int, list[int]] = {}
    for i, line in enumerate(text):
        pieces.setdefault(line.number, []).append(i)
    out: dict[str, str] = {}
    rows: dict[int, dict[str, str]] = {}  # cut line → row key → anchor
    for ref, number in record.lines.items():
        found = pieces.get(number)
        if not found:
            continue
        if len(found) == 1:
            out[ref] = names[found[0]]
            continue
        if number not in rows:
            rows[number] = _row_pieces(text, found, names, record.format)
        table, _, rest = ref.partition(".")
        row = rest.rsplit(".", 1)[0]
        out[ref] = rows[number].get(f"{table}.{row}") or rows[number].get(table) or names[found[0]]
    return out


def _row_pieces(
    text: tuple[SourceLine, ...], found: list[int], names: list[str], fmt: str
) -> dict[str, str]:
    """The pieces of one cut line that are table rows, by the row key the parser's own label
    rules give them (``table3.granted``), and per table the first row piece (``table4``)."""
    out: dict[str, str] = {}
    for i in found:
        line = text[i]
        if not line.table:
            continue
        label = split_row(Line(line.number, line.cells, True)).label
        key2 = t2_key(label) if label else None
        key3 = t3_key(label, fmt) if label and key2 is None else None
        if key2:
            out.setdefault(f"table2.{key2}", names[i])
        elif key3:
            out.setdefault(f"table3.{key3}", names[i])
        else:  # 表四's run of values has no label of its own
            out.setdefault("table4", names[i])
    return out


def _squash(text: str) -> str:
    return "".join(text.split())


def section_anchors(record: Record, sections: dict[str, str]) -> dict[str, str]:
    """section key → the anchor of the line of the 原文 page where its text begins: the
    first line, at or after the previous section's, that holds the text's first characters
    (a section's text is made of the report's lines, so it is found; a missing one has no
    anchor)."""
    text = record.text
    if not text:
        return {}
    names = anchors(text)
    lines = [_squash(" ".join(line.cells)) for line in text]
    out: dict[str, str] = {}
    at = 0
    for key, body in sections.items():
        head = _squash(body)[:12]
        if not head:
            continue
        for i in range(at, len(lines)):
            if head in lines[i] or (len(lines[i]) >= 4 and head.startswith(lines[i])):
                out[key] = names[i]
                at = i
                break
    return out


def outline(record: Record, text_doc: str) -> list[tuple[str, str, str | None, int]]:
    """(key, heading, link to where it begins on the 原文 page or None, characters) for the six
    sections in order (a section the parser did not find: 0 characters), then anything
    else it kept: the agency-year page's guide to the report's text, which the 原文 page
    holds (once on the site)."""
    sections = record.sections
    found = section_anchors(record, sections)
    name = text_doc.rsplit("/", 1)[1]
    keys: list[tuple[str, str]] = []
    if sections.get("preamble"):
        keys.append(("preamble", "报告开头"))
    keys += list(layout.SECTIONS)
    known = {k for k, _ in keys}
    keys += [(k, k) for k in sorted(sections) if k not in known]
    out: list[tuple[str, str, str | None, int]] = []
    for key, heading in keys:
        anchor = found.get(key)
        chars = len(_squash(sections.get(key) or ""))
        out.append((key, heading, f"{name}#{anchor}" if anchor else None, chars))
    return out


def cell_links(record: Record, doc: str) -> dict[str, str]:
    """cell reference → the link from the agency-year page to its line on the 原文 page."""
    name = doc.rsplit("/", 1)[1]
    return {ref: f"{name}#{anchor}" for ref, anchor in cell_anchors(record).items()}


def _line_html(line: SourceLine, anchor: str) -> str:
    # Compact markup, a few hundred lines a page: an anchor (L12, L12-3) needs no quotes; the
    # line's number is shown by source.css from its id, and assets/source.js makes it a link
    # to the line; a table line's cells are set apart by "|", as text (" | " was a tenth of
    # a page), and a run of table lines is one <div class=t> (page_html).
    if line.table:
        return f"<p id={anchor}>{escape('|'.join(line.cells))}</p>\n"
    text, heading = pages.unmark(" ".join(c for c in line.cells if c).strip())
    shown = escape(text[:LINE_MAX])
    if len(text) > LINE_MAX:
        shown += (
            f"<span class=gap>……（本行共 {len(text):,} 字，此处只显示前 {LINE_MAX:,} 字）</span>"
        )
    return f"<p id={anchor}{' class=h' if heading else ''}>{shown}</p>\n"


def _shown(text: tuple[SourceLine, ...], cited: set[str], names: list[str]) -> list[int | None]:
    """Indexes of the lines shown: all, or, past SOURCE_MAX characters, the cited ones (None
    marks lines left out)."""
    out: list[int | None] = []
    total = 0
    for i, line in enumerate(text):
        total += min(LINE_MAX, sum(len(c) for c in line.cells))
        if total <= SOURCE_MAX or names[i] in cited:
            out.append(i)
        elif out and out[-1] is not None:
            out.append(None)
    return out


def _meta_value(text: str) -> str:
    """A value for Pagefind's inline ``key:value`` metadata, which uses "," and ":" as its
    separators (a name has neither; the fullwidth forms read the same)."""
    return text.replace(",", "，").replace(":", "：")


def _link(doc: str, target: str) -> str:
    """A link from the static file ``doc`` (served at its own path, not as a folder)."""
    return pages.relative(doc.rsplit("/", 1)[0] + "/index.md", target)


def page_html(report: Report, doc: str, page_doc: str, search: SearchMeta | None = None) -> str:
    """The 原文 page of one report (``doc``), linked back to its agency-year page; with
    ``search``, marked for the search index (the text's lines, not the table lines: those
    are left out by gongkai.site.search.EXCLUDED)."""
    record = report.record
    text = record.text
    names = anchors(text)
    cited = set(cell_anchors(record).values())
    kind = record.source.kind if record.source is not None else "text"
    cut = len({line.number for line in text}) < len(text) and kind in ("text", "html")
    year = f"{record.year} 年" if record.year is not None else "年度不详"
    title = f"{record.agency or '未能识别机关名称'} {year}政府信息公开工作年度报告 · 原文"
    back = _link(doc, page_doc)
    root = _link(doc, "index.md")
    body: list[str] = []
    page: int | None = None
    shown = _shown(text, cited, names)
    table = False  # in a run of table lines: <div class=t>
    for i in shown:
        line = text[i] if i is not None else None
        starts = line is not None and line.page is not None and line.page != page
        if table and (line is None or starts or not line.table):
            body.append("</div>\n")
            table = False
        if i is None or line is None:
            body.append('<p class="gap">……</p>\n')
            continue
        if starts:
            page = line.page
            body.append(f'<h2 id="P{page}">原文第 {page} 页</h2>\n')
        if line.table and not table:
            body.append("<div class=t>")
            table = True
        body.append(_line_html(line, names[i]))
    if table:
        body.append("</div>\n")
    left_out = len(text) - sum(1 for i in shown if i is not None)
    e = escape
    ig = " data-pagefind-ignore" if search else ""  # the site's words, not the report's
    head = [
        "<!doctype html>\n",
        '<html lang="zh"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        f"<title>{e(title)}</title>",
        f'<meta name="description" content="{e(title)}：本站从报告文件中读出的文字，逐行编号。">',
        f'<link rel="stylesheet" href="{e(_link(doc, "assets/source.css"))}">',
        "</head><body>\n" + ("<div data-pagefind-body>" if search else "") + "<header>",
        f'<p{ig}><a href="{e(root)}">公开</a> › <a href="{e(back)}">{e(record.agency or "")} {e(year)}报告</a></p>',
        (f'<h1 data-pagefind-meta="title:{e(_meta_value(search.title))}">' if search else "<h1>")
        + f"{e(record.title or title)} <small>原文</small></h1>",
        (
            f'<p hidden data-pagefind-ignore data-pagefind-meta="region">{e(search.region)}</p>'
            if search and search.region
            else ""
        ),
        (
            f'<p hidden data-pagefind-weight="5" data-pagefind-meta="places">{e(search.places)}</p>'
            if search and search.places
            else ""
        ),
        f"<p{ig}>本页是本站从报告文件中读出的文字，逐行编号；报告页面上表格里的每个数字都链接到读出它的那一行。",
        e(KIND_NOTES.get(kind, KIND_NOTES["text"])),
        e(CUT_NOTE) if cut else "",
        "</p>",
    ]
    facts = []
    if report.url:
        facts.append(
            f'原文链接：<a href="{e(report.url)}" rel="nofollow noopener noreferrer">{e(report.url)}</a>'
        )
    if report.published:
        facts.append(f"发布日期：{e(report.published)}")
    if record.source is not None:
        facts.append(
            f"文件：{e(report.path.rsplit('/', 1)[-1])}，SHA-256 <code>{record.source.sha256}</code>"
        )
    head.append(f"<p{ig}>{'；'.join(facts)}</p>" if facts else "")
    if left_out:
        head.append(
            f'<p class="gap">本报告文字过长，本页只列出前 {SOURCE_MAX:,} 字和读出数字的各行，另有 {left_out:,} 行未列出（以“……”标出）。</p>'
        )
    if not text:
        body.append('<p class="gap">没有读出文字。</p>\n')
    # The date of the data is not written here (one new report would rewrite every 原文
    # page): the small shared data/version.js fills it in, as in the site's footer.
    foot = [
        "</main>\n" + ("</div>" if search else "") + "<footer><p>",
        f'数据更新于 <span class="gk-updated">（见<a href="{e(_link(doc, "data/index.md"))}#version">数据说明</a>）</span>。',
        f'发现本站读错的数字？见<a href="{e(_link(doc, "data/index.md"))}#corrections">更正说明</a>。',
        f'</p></footer>\n<script src="{e(_link(doc, "data/version.js"))}" defer></script>',
        f'<script src="{e(_link(doc, "assets/source.js"))}" defer></script>',
        "\n</body></html>\n",
    ]
    return "".join([*head, '</header>\n<main class="src">\n', *body, *foot])
