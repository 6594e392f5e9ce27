"""Synthetic reports printed to PDF (with a text layer) by headless Chromium, with their truth.

    python scripts/make_binary_corpus.py OUT_DIR -n 20 --seed 1 --kinds pdf

Each report of ``make_corpus`` (same numbers, same agency) is laid out as an agency's PDF:
A4, WenQuanYi Micro Hei, and one of four layouts (``LAYOUTS``):

* ``ruled``         — every table cell ruled;
* ``unruled``       — no ruling lines at all;
* ``frame-ruled``   — ruled tables inside one rectangle drawn around every page;
* ``frame-unruled`` — unruled tables inside the page rectangle (the rectangle is the only
  ruling a line-based table finder sees).

with options (``layout_options`` in the truth): ``thead`` (table header rows repeated on
each page the table runs on; without it they are printed once), ``narrow`` (narrow label
columns: labels wrap over two or three lines inside their cell), ``footer`` (a page number
"— 4 —" in the bottom margin, so between two rows where a table breaks), ``unmerged`` (no
rowspan/colspan: the text in the top-left cell of the span, the rest blank),
``collapse_other`` (F2021 printed with （六）其他处理 as one row; truth: its three sub-rows
null), ``typos`` (label typos such as 其他法律行政止公开), ``spaced`` (spaces inside labels:
第二十条 第（一）项). Tables are merged as format.md says otherwise: 三、本年度办理结果 spans
the result rows, 法人或其他组织 spans 5 columns, 表二's single-value blocks span 3.

Chromium writes the print time into /CreationDate and /ModDate; they are replaced (same
length, so the xref stays valid) by 20 January of the year after the report, which makes
the bytes depend on the seed only.
"""

from __future__ import annotations

import html
import random
import re
from pathlib import Path

from corpus_binary import Source, build, truth_line

LAYOUTS = ("ruled", "unruled", "frame-ruled", "frame-unruled")
PAGE_MARGIN = {"top": "25mm", "bottom": "22mm", "left": "22mm", "right": "22mm"}
FOOTER = (
    '<div style="width:100%;text-align:center;font-size:10.5pt;'
    'font-family:\'WenQuanYi Micro Hei\',sans-serif">— <span class="pageNumber"></span> —</div>'
)
# The page rectangle: drawn from the header template, which Chromium prints on every page
# over the whole sheet (a fixed box in the body would be clipped to the content area).
FRAME = (
    '<div style="position:fixed;top:12mm;bottom:10mm;left:12mm;right:12mm;'
    'border:1.2pt solid #000"></div>'
)
_DATE = re.compile(rb"\(D:\d{14}[+-Z][^)]{0,8}\)")


def choose(src: Source, seed: int) -> tuple[str, set[str], float]:
    """Layout, options and body font size of one report (cycles the layouts by index)."""
    rng = random.Random(f"{seed}/pdf/{src.index}")
    layout = LAYOUTS[src.index % len(LAYOUTS)]
    opts = {
        name
        for name, p in (
            ("thead", 0.5),
            ("narrow", 0.4),
            ("footer", 0.6),
            ("typos", 0.2),
            ("spaced", 0.25),
        )
        if rng.random() < p
    }
    if rng.random() < 0.15 and "unruled" not in layout:
        opts.add("unmerged")
    if src.truth["format"] == "F2021" and rng.random() < 0.3:
        opts.add("collapse_other")
    return layout, opts, rng.choice((10.5, 10.5, 12.0))


_COLS = {  # label columns then value columns, in em of the table font
    ("table3", False): [3, 6, 16] + [3.2] * 7,
    ("table3", True): [1.6, 3.2, 6] + [3.2] * 7,
    ("table2", False): [14, 9, 9, 9],
    ("table2", True): [5, 5, 5, 5],
    ("table4", False): [3] * 15,
    ("table4", True): [2.2] * 15,
}


def table_html(name: str, grid: list, n_head: int, ruled: bool, opts: set[str]) -> str:
    narrow = "narrow" in opts
    widths = _COLS[(name, narrow)]
    total = sum(widths)
    cols = "".join(f'<col style="width:{w / total * 100:.2f}%">' for w in widths)
    rows = []
    for r, row in enumerate(grid):
        cells = []
        for c in row:
            span = (f' colspan="{c.cs}"' if c.cs > 1 else "") + (
                f' rowspan="{c.rs}"' if c.rs > 1 else ""
            )
            cells.append(f"<td{span}>{html.escape(c.text)}</td>")
        rows.append(("<tr>" + "".join(cells) + "</tr>", r < n_head))
    head = "".join(t for t, h in rows if h) if "thead" in opts else ""
    body = "".join(t for t, h in rows if not h or "thead" not in opts)
    cls = "ruled" if ruled else "unruled"
    thead = f"<thead>{head}</thead>" if head else ""
    return f'<table class="{cls} {name}"><colgroup>{cols}</colgroup>{thead}<tbody>{body}</tbody></table>'


def report_html(blocks: list[tuple], layout: str, opts: set[str], size: float) -> str:
    ruled = layout in ("ruled", "frame-ruled")
    table_size = size - (1.5 if "narrow" in opts else 1.5 if size > 11 else 1.0)
    css = f"""
body {{ font-family: 'WenQuanYi Micro Hei', sans-serif; font-size: {size}pt; line-height: 1.6;
       margin: 0; color: #000; }}
h1 {{ font-size: 18pt; text-align: center; font-weight: bold; margin: 0 0 1.2em; }}
h2 {{ font-size: {size + 1}pt; font-weight: bold; margin: 0.8em 0 0.3em; }}
h3 {{ font-size: {size}pt; font-weight: bold; margin: 0.4em 0 0.2em; text-indent: 2em; }}
p {{ text-indent: 2em; margin: 0 0 0.3em; text-align: justify; }}
p.sign {{ text-align: right; text-indent: 0; margin: 0; }}
table {{ border-collapse: collapse; width: 100%; table-layout: fixed;
         font-size: {table_size}pt; line-height: 1.3; margin: 0.4em 0 0.8em; }}
td {{ padding: 2pt 3pt; text-align: center; vertical-align: middle; word-break: break-all; }}
table.ruled td {{ border: 0.8pt solid #000; }}
tr {{ break-inside: avoid; }}
"""
    out = [
        "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>",
        f"<style>{css}</style></head><body>",
    ]
    for b in blocks:
        kind = b[0]
        if kind == "title":
            out.append("<h1>" + "<br>".join(html.escape(x) for x in b[1] if x) + "</h1>")
        elif kind == "heading":
            out.append(f"<h2>{html.escape(b[1])}</h2>")
        elif kind == "subheading":
            out.append(f"<h3>{html.escape(b[1])}</h3>")
        elif kind == "para":
            out.append(f"<p>{html.escape(b[1])}</p>")
        elif kind == "sign":
            out += [f'<p class="sign">{html.escape(x)}</p>' for x in b[1]]
        elif kind == "table":
            out.append(table_html(b[1], b[2], b[3], ruled, opts))
    out.append("</body></html>")
    return "\n".join(out)


def fixed_dates(pdf: bytes, year: int) -> bytes:
    """The print time in the PDF's Info replaced by a date of the report (same length)."""

    def sub(m: re.Match) -> bytes:
        n = len(m[0])
        stamp = f"(D:{year + 1}0120000000+00'00')".encode()
        return stamp if len(stamp) == n else (stamp[: n - 1] + b")").ljust(n, b" ")

    return _DATE.sub(sub, pdf)


def print_pdf(page, markup: str, footer: bool, frame: bool) -> bytes:
    page.set_content(markup, wait_until="load")
    page.evaluate("document.fonts.ready")
    return page.pdf(
        format="A4",
        margin=PAGE_MARGIN,
        print_background=True,
        display_header_footer=footer or frame,
        header_template=FRAME if frame else "<span></span>",
        footer_template=FOOTER if footer else "<span></span>",
    )


def make(out_dir: Path, srcs: list[Source], seed: int, page) -> list[dict]:
    """One text-layer PDF per source; returns their truth lines."""
    lines = []
    for src in srcs:
        layout, opts, size = choose(src, seed)
        rng = random.Random(f"{seed}/pdf-text/{src.index}")
        blocks, tables, quirks = build(src, rng, opts)
        markup = report_html(blocks, layout, opts, size)
        pdf = print_pdf(page, markup, "footer" in opts, layout.startswith("frame"))
        name = src.stem + ".pdf"
        (out_dir / name).write_bytes(fixed_dates(pdf, src.truth["year"]))
        lines.append(
            truth_line(src, name, "pdf", layout, opts, tables, quirks, producer="chromium")
        )
    return lines
