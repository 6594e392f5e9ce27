"""Publish stage: Markdown pages from the Jinja2 templates in ``gongkai/templates``.

Every string that comes from a report (agency names, narrative, file names) is escaped by
Jinja's autoescape and placed inside raw HTML blocks, which Markdown leaves alone: report
text can never become HTML, Markdown, a snippet include or a template. Page titles, which
MkDocs and Material print unescaped, go through :func:`gongkai.catalog.safe_title`.

Links are relative to the page, with MkDocs' ``use_directory_urls`` layout
(``agencies/x/2023.md`` is served as ``agencies/x/2023/``), so the site works under any
sub-path (GitHub Pages project sites).
"""

from __future__ import annotations

import contextlib
import json
import posixpath
import re
import shutil
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import (
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    pass_context,
)
from markupsafe import Markup, escape
from pymdownx.slugs import slugify  # type: ignore[import-untyped]

from gongkai import layout
from gongkai.cache import pages_version
from gongkai.check import indicators
from gongkai.site import describe, figures, glossary
from gongkai.site.catalog import UNKNOWN_REGION, safe_title
from gongkai.site.figures import Share
from gongkai.site.places import places_text

TEMPLATES = Path(__file__).parent / "templates"
NULL_TITLE = "报告未填写或无法可靠读取"
ZERO_TITLE = "总计为 0，无法计算比例"
OCR_TITLES = {
    "ocr-confirmed": "扫描件识别的数字，经本表的勾稽关系证实",
    "ocr": "扫描件识别的数字（表二），识别把握高，但未经加总证实",
}
DECODED_TITLE = "原文中这个数与相邻的数连在一起，按本表的勾稽关系拆分得出"
FORMAT_NAMES = {"F2021": "2021 年格式", "F2019": "2019 年试行格式", "unknown": "未能识别"}


def url_of(doc_path: str) -> str:
    """The served URL path of a docs file: "a/b.md" → "a/b/", "a/index.md" → "a/"."""
    if not doc_path.endswith(".md"):
        return doc_path
    stem = doc_path[: -len(".md")]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def relative(from_doc: str, to: str) -> str:
    """A link from one docs page to a docs page or file, relative to the served page."""
    start = url_of(from_doc).rstrip("/") or "."
    target = url_of(to)
    is_dir = target == "" or target.endswith("/")
    rel = _relpath(target.rstrip("/") or ".", start)
    if is_dir:
        return "./" if rel == "." else rel + "/"
    return rel


def _relpath(path: str, start: str) -> str:
    """``posixpath.relpath`` for clean relative paths, without its two ``os.getcwd()`` calls
    (a page has dozens of links; 10,000 pages have a million)."""
    if "//" in path + start or "./" in path + "/" + start + "/":
        return posixpath.relpath(path, start)
    s = [] if start == "." else start.split("/")
    t = [] if path == "." else path.split("/")
    common = 0
    for a, b in zip(s, t, strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(s) - common) + t[common:]) or "."


# A blank cell and a share of a zero total: marked by class only. Their tooltips (NULL_TITLE,
# ZERO_TITLE) are given by content/assets/gongkai.js from data/terms.json: a page may hold
# a hundred blanks.
_NULL_MARK = Markup('<span class="gk-null">—</span>')
_ZERO_MARK = Markup('<span class="gk-na">不适用</span>')


def number(value: Any) -> Markup:
    """A cell as the report printed it; null as a distinct mark, never as 0."""
    if value is None:
        return _NULL_MARK
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int):
        return Markup(f"{value:,}")
    if isinstance(value, float):
        return Markup(escape(f"{value:,}"))
    return escape(str(value))  # a printed unit such as 元


def percent(s: Share) -> Markup:
    if s.value is None:
        if s.reason == "zero":
            return _ZERO_MARK
        return number(None)
    pct = s.value * 100
    if 0 < pct < 0.1:
        return Markup("&lt;0.1%")
    return Markup(f"{pct:.1f}%")


# Reports converted to Markdown by their publisher (or a crawler) keep its marks: "# 标题",
# "## 小标题", "- 条目", "> 引文", "**加粗**". They are not the report's words: the 原文 page
# shows the line without them (a heading as a heading line), every other character kept.
_HEADING_MARK = re.compile(r"^#{1,6}[ \t]+(?=\S)")
_LINE_MARK = re.compile(r"^(?:[-*+][ \t]+|>[ \t]*)(?=\S)")
_PAGE_NUMBER = re.compile(r"^-\s*\d+\s*-$")  # "- 3 -": printed text, not a list item
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")


def unmark(line: str) -> tuple[str, bool]:
    """A narrative line without Markdown marks, and whether it was a heading."""
    heading = _HEADING_MARK.match(line)
    if heading:
        line = line[heading.end() :]
    elif not _PAGE_NUMBER.match(line):
        line = _LINE_MARK.sub("", line, count=1)
    line = _BOLD.sub(r"\1", line)
    if line.startswith("**") and "**" not in line[2:]:
        line = line[2:]  # a bold run the line break cut in two ("**收到和处理政府信息")
    elif line.endswith("**") and "**" not in line[:-2]:
        line = line[:-2]
    return line.strip(), heading is not None


def yaml_string(text: str) -> Markup:
    """A YAML front-matter value: a safe title written as a JSON (thus YAML) string."""
    return Markup(json.dumps(safe_title(text), ensure_ascii=False))


def yaml_description(text: str) -> Markup:
    """A page's meta description in its front matter: as safe as a title, a little longer."""
    return Markup(json.dumps(safe_title(text, 300), ensure_ascii=False))


@cache
def _identity_totals() -> dict[tuple[str, tuple[str, ...]], tuple[str, ...]]:
    """(rule, cells) of every identity of every format → the printed total it checks: the side
    that is one cell (（七）总计, a 总计 column), or both sides when neither is (T3-A)."""
    out = {}
    for fmt in layout.FORMATS:
        for identity in layout.identities(fmt):
            sides = [side for side in (identity.left, identity.right) if len(side) == 1]
            out[(identity.rule, identity.cells)] = sides[0] if sides else identity.cells
    return out


def wrong_cells(problem: Any) -> tuple[str, ...]:
    """The cells a problem marks in the tables: for a sum that does not add up, the total the
    report printed (one cell, not the whole column of its parts); else every cell it cites."""
    return _identity_totals().get((problem.rule, tuple(problem.cells)), tuple(problem.cells))


def flags_for(problems: Any) -> dict[str, list[str]]:
    """cell reference → the rules that cite it (errors and warnings only)."""
    out: dict[str, list[str]] = {}
    for p in problems:
        if p.severity in ("error", "warning"):
            for ref in wrong_cells(p):
                out.setdefault(ref, [])
                if p.rule not in out[ref]:
                    out[ref].append(p.rule)
    return out


def cell_flags(flags: dict[str, list[str]], table: str, row: str, col: str) -> list[str]:
    rules: list[str] = []
    for ref in (f"{table}.{row}.{col}", f"{table}.{row}", table):
        for rule in flags.get(ref, ()):
            if rule not in rules:
                rules.append(rule)
    return rules


# layout.table3_label scans the rows on each call; the pages ask for it ~25 times per report.
table3_label = cache(layout.table3_label)


def raw_cell(record: Any, table: str, row: str, col: str) -> Any:
    """A cell as the record holds it (a number, a printed unit, or None)."""
    return getattr(record, table).get(row, {}).get(col)


def td(
    record: Any,
    table: str,
    row: str,
    col: str,
    flags: dict[str, list[str]],
    links: dict[str, str] | None = None,
    fixes: dict[str, Any] | None = None,
    unlinked: bool = False,
) -> Markup:
    """One table cell: the value (or the null mark), flagged when a check cites it, linked to
    the line of the 原文 page it was read from (``links``), marked when a maintainer
    corrected it (``fixes``); ``unlinked``: a cell with no line in a row whose other cells
    have theirs (:func:`tds`). Python rather than a macro: it runs ~200 times a page."""
    value = number(raw_cell(record, table, row, col))
    if links or fixes:
        value = source_cell(value, f"{table}.{row}.{col}", links, fixes)
    rules = cell_flags(flags, table, row, col) if flags else []
    how = record.reading.get(f"{table}.{row}.{col}") if record.reading else None
    # plain concatenation of Markup (already escaped): Markup.format costs ~10 µs a cell
    if how == "decoded":
        value = Markup(f'<span class="gk-decoded" title="{DECODED_TITLE}">{value}</span>')
    elif how is not None:  # "ocr-confirmed" or "ocr": read from a scan
        title = OCR_TITLES.get(how, OCR_TITLES["ocr"])
        value = Markup(f'<span class="gk-ocr" title="{title}">{value}</span>')
    if rules:
        mark = "gk-flag gk-nl" if unlinked else "gk-flag"
        return Markup(f'<td class="{mark}" title="核验：{escape("、".join(rules))}">{value}</td>')
    return Markup(f"<td class=gk-nl>{value}</td>" if unlinked else f"<td>{value}</td>")


CORRECTED_TITLE = "本站维护者更正：程序读出 {read}，原文为 {value}（{reason}）"


def source_cell(
    value: Markup,
    ref: str,
    links: dict[str, str] | None,
    fixes: dict[str, Any] | None,
) -> Markup:
    """A cell's value linked to its line on the 原文 page, and marked when corrected (with
    what the program had read and why)."""
    href = links.get(ref) if links else None
    if href is not None:
        # no quotes: the link is "原文.html#L12" (or #L12-3), ~200 of them a page
        value = Markup(f"<a href={href}>{value}</a>")
    fix = fixes.get(ref) if fixes else None
    if fix is not None:
        title = CORRECTED_TITLE.format(
            read="空" if fix.read is None else fix.read,
            value="空" if fix.value is None else fix.value,
            reason=fix.reason,
        )
        value = Markup(f'<span class="gk-corrected" title="{escape(title)}">{value}</span>')
    return value


def tds(
    record: Any,
    table: str,
    row: str,
    cols: Any,
    flags: dict[str, list[str]],
    links: dict[str, str] | None = None,
    fixes: dict[str, Any] | None = None,
) -> Markup:
    """The cells of one table row (:func:`td`). Most rows were read from one line of the
    report: then only the first cell carries the link to it, and content/assets/gongkai.js
    links the row's other cells without a link of their own to the same line when the page
    loads (without JavaScript the first cell still gives the line). Two hundred links of
    ~26 bytes were an eighth of an agency-year page. In a row read from several lines, a
    cell with no line (never read) is marked ``gk-nl`` so that the script leaves it alone."""
    keys = [c.key for c in cols]
    hrefs = [links.get(f"{table}.{row}.{k}") if links else None for k in keys]
    if len(keys) < 2 or len(set(hrefs)) != 1 or None in hrefs:
        some = any(h is not None for h in hrefs)
        return Markup("").join(
            td(record, table, row, k, flags, links, fixes, unlinked=some and h is None)
            for k, h in zip(keys, hrefs, strict=True)
        )
    first, *rest = keys
    cells = [td(record, table, row, first, flags, links, fixes)]
    cells += [td(record, table, row, k, flags, None, fixes) for k in rest]
    return Markup("").join(cells)


def table_pages(record: Any) -> dict[str, int]:
    """ "table3" → the first page of the source where the table's values were printed (for
    the inputs that have pages: PDF, scans)."""
    out: dict[str, int] = {}
    for ref, place in record.places.items():
        page = place.get("page")
        if page is not None:
            table = ref.split(".", 1)[0]
            out[table] = min(out.get(table, page), page)
    return out


@pass_context
def link(context: Any, target: str) -> str:
    return relative(context["page"], target)


# The listing pages name every agency and every report once or more (15,000 rows with a link
# per year at 10,000 reports): their rows are made here rather than by a macro, ~10× faster.
# The output is exactly what the templates wrote (tests/test_pages.py).


def region_text(region: Any) -> Markup:
    """ "宁夏回族自治区 › 吴忠市 › 盐池县": the levels known, or 未能识别地区."""
    if not region:
        return Markup(UNKNOWN_REGION)
    return escape(" › ".join(x for x in (region.province, region.city, region.county) if x))


def _year_text(year: int | None) -> str:
    return str(year) if year is not None else "年度不详"


def agency_list(page: str, agencies: Any) -> Markup:
    """Agencies with their region and a link to each year (region and type pages)."""
    out = ['<ul class="gk-list gk-agencies">\n']
    for a in agencies:
        years = " · ".join(
            f'<a href="{escape(relative(page, ay.doc_path))}">{escape(_year_text(ay.year))}</a>'
            for ay in a.sorted_years()
        )
        out.append(
            f'<li><a href="{escape(relative(page, a.doc_path))}">{escape(a.name)}</a> '
            f'<span class="gk-dim">{region_text(a.region)}</span> '
            f'<span class="gk-years">{years}</span></li>\n'
        )
    out.append("</ul>")
    return Markup("".join(out))


def report_list(page: str, agency_years: Any) -> Markup:
    """One year's reports: agency, region, and a badge when the checks found errors."""
    out = ['<ul class="gk-list">\n']
    for ay in agency_years:
        badge = ' <span class="gk-badge gk-badge-error">核验有错误</span>' if ay.has_errors else ""
        out.append(
            f'<li><a href="{escape(relative(page, ay.doc_path))}">{escape(ay.agency.name)}</a> '
            f'<span class="gk-dim">{region_text(ay.agency.region)}</span>{badge}</li>\n'
        )
    out.append("</ul>")
    return Markup("".join(out))


def _is_zero(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == 0


def all_zero(record: Any, table: str) -> bool:
    """Every cell of the table (as the format lays it out) printed, and printed 0: the page
    says so in one line and folds the table away. A blank is not 0 (the table stays open)."""
    shape = layout.empty_tables(record.format)[table]
    return bool(shape) and all(
        _is_zero(raw_cell(record, table, row, col)) for row, cols in shape.items() for col in cols
    )


_LINE = re.compile(r"#L(\d+)")


def table_lines(links: dict[str, str] | None, table: str) -> tuple[str, str] | None:
    """(href, "原文第 12–14 行") of the lines a table was read from: where an all-zero table,
    said in one line instead of drawn, can be checked. None when no cell has a line."""
    found = []
    for ref, href in (links or {}).items():
        m = _LINE.search(href) if ref.startswith(table + ".") else None
        if m:
            found.append((int(m.group(1)), href))
    if not found:
        return None
    (first, href), last = min(found), max(n for n, _ in found)
    return href, (f"原文第 {first} 行" if first == last else f"原文第 {first}–{last} 行")


def flagged(flags: dict[str, list[str]], table: str) -> bool:
    """Does a check mark a cell (or a row, or all) of the table?"""
    return any(ref == table or ref.startswith(table + ".") for ref in flags)


def legend_marks(record: Any, flags: dict[str, list[str]]) -> set[str]:
    """The marks the tables of ``record`` use, of those the legend explains: "null" (a blank
    cell), "flag" (a cell a check cites), "decoded" (split by the arithmetic), "ocr" (read
    from a scan). A legend names only these, once a report."""
    marks: set[str] = set()
    shapes = layout.empty_tables(record.format)
    for table, shape in shapes.items():
        if any(
            raw_cell(record, table, row, col) is None for row, cols in shape.items() for col in cols
        ):
            marks.add("null")
            break
    if flags:
        marks.add("flag")
    for how in (record.reading or {}).values():
        marks.add("decoded" if how == "decoded" else "ocr")
    return marks


# The agency-year page prints every number of its charts in its own tables: a chart there
# names the table that holds its numbers (its id, text) instead of repeating them.
FIGURE_TABLES = {
    "applicants": ("t3", "表三“一、本年新收政府信息公开申请数量”一行"),
    "outcomes": ("outcomes", "“主要数据”中的办理结果表"),
    "review_litigation": ("t4", "表四"),
}


def figure_table_ref(name: str, n: int, record: Any) -> tuple[str, str] | None:
    """(href, text) of the table on the agency-year page that prints chart ``name``'s numbers
    for report ``n``, or None (the format is not known: no 表三 or 表四 is drawn)."""
    ref = FIGURE_TABLES.get(name)
    if ref is None or record.format not in layout.TABLE3_ROWS:
        return None
    return f"#{ref[0]}-{n}", ref[1]


# The agency page's 历年报告 table prints, a year a row, the numbers of two of its trend
# charts (the years a chart draws: those known and not in conflict): these name its columns.
AGENCY_FIGURE_COLUMNS = {
    "trend_received": "“本年新收申请”一栏",
    "trend_review": "“行政复议”“行政诉讼”三栏",
}


def agency_figure_ref(name: str) -> tuple[str, str] | None:
    """(href, text) of the columns of the agency page's 历年报告 table that print trend chart
    ``name``'s numbers, or None (the chart has its own table)."""
    columns = AGENCY_FIGURE_COLUMNS.get(name)
    return ("#years", f"上方“历年报告”表的{columns}") if columns else None


def zero_figure(fig: Any) -> bool:
    """A figure whose values are all printed and all 0 (nothing to draw)."""
    return bool(fig.rows) and all(_is_zero(v) for _, values in fig.rows for v in values)


# the heading ids MkDocs makes (mkdocs.yml: toc with pymdownx's slugify, lower case), for the
# in-page contents of long pages
_SLUG = slugify(case="lower")


def terms_json() -> str:
    """``data/terms.json``: the tooltips every page shares, which content/assets/gongkai.js
    gives the marked elements: the glossary's definitions (by term id), the indicators'
    formulas (by key), and what the blank and 不适用 marks mean."""
    return json.dumps(
        {
            "terms": glossary.tooltips(),
            "indicators": {ind.key: ind.formula for ind in indicators.INDICATORS},
            "marks": {"null": NULL_TITLE, "zero": ZERO_TITLE},
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )


@cache
def heading_id(text: str) -> str:
    return _SLUG(text, "-")


@pass_context
def terms(context: Any, text: str) -> Markup:
    """A label with its glossary words linked (:mod:`gongkai.site.glossary`)."""
    return glossary.link_terms(text, relative(context["page"], glossary.PAGE))


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=StrictUndefined,
    )
    env.filters.update(
        num=number,
        pct=percent,
        yaml=yaml_string,
        description=yaml_description,
        url=url_of,
        cell_ref=lambda ref, fmt: layout.cell_name(ref, fmt),
        terms=terms,
    )
    env.globals.update(
        link=link,
        layout=layout,
        figures=figures,
        cell_flags=cell_flags,
        td=td,
        tds=tds,
        agency_list=agency_list,
        report_list=report_list,
        table3_label=table3_label,
        flags_for=flags_for,
        wrong_cells=wrong_cells,
        all_zero=all_zero,
        table_lines=table_lines,
        flagged=flagged,
        zero_figure=zero_figure,
        figure_table_ref=figure_table_ref,
        agency_figure_ref=agency_figure_ref,
        legend_marks=legend_marks,
        heading_id=heading_id,
        glossary_page=glossary.PAGE,
        severity=layout.SEVERITIES,
        rules=layout.RULES,
        null_title=NULL_TITLE,
        places_text=places_text,  # the place names a search may use (hidden, indexed)
        describe=describe,  # the pages' meta descriptions
    )
    return env


_ENV: Environment | None = None


def _env() -> Environment:
    global _ENV
    if _ENV is None:
        _ENV = environment()
    return _ENV


def keep_compiled(folder: Path) -> None:
    """Keep the compiled templates in ``folder`` (build/cache): compiling them costs 0.2 s in
    every new process (every ``mkdocs build``). Jinja checks each file against the template's
    source; the compiled code also depends on the options of :func:`environment`, so the files
    live in a subfolder named by the code version, and older subfolders are removed."""
    current = folder / pages_version()
    current.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        if old != current and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
    _env().bytecode_cache = _Compiled(str(current))


class _Compiled(FileSystemBytecodeCache):
    """A compiled template that cannot be stored (build/ deleted meanwhile) is only a miss."""

    def dump_bytecode(self, bucket: Any) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def render(template: str, page: str, **context: Any) -> str:
    """Render ``templates/<template>`` as the docs page ``page`` (for relative links)."""
    text = _env().get_template(template).render(page=page, **context)
    if not text.startswith("---\n"):
        raise ValueError(f"{template}: a page must start with its front matter")
    return text
