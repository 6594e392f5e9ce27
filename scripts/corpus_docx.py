"""Synthetic reports typed into Word (.docx by python-docx; .doc, .wps and PDF by LibreOffice).

    python scripts/make_binary_corpus.py OUT_DIR -n 20 --seed 1 --kinds docx

Each report is typed as an agency office does: A4 with 公文 margins, a centred title in
方正小标宋简体 二号, headings and body in 黑体/仿宋_GB2312 三号 (LibreOffice substitutes a
CJK font it has), and the three tables as Word tables with real merged cells — a horizontal
span is ``w:gridSpan`` on one ``w:tc``, a vertical span a ``w:vMerge="restart"`` cell above
``w:vMerge`` continuation cells. Layout ``word`` with options (``layout_options``):
``heading_styles`` (headings in Word's 标题 1/2 styles instead of typed bold paragraphs),
``header_repeat`` (表三/表四 header rows marked 重复标题行, ``w:tblHeader``), ``cell_paragraphs``
(long labels broken by Enter into two paragraphs inside one cell), ``page_numbers`` (a footer
"— PAGE —" field), ``t3_new_page`` (part 三 starts a page; fixtures only), ``unmerged``, ``collapse_other``, ``typos`` and ``spaced`` (as in the PDFs).

python-docx stamps every zip member with the time of saving; ``stable_zip`` rewrites the
package with fixed member times (1980-01-01), and the core properties are dated from the
report, so a seed gives the same bytes. LibreOffice's .doc takes its dates from those core
properties and came out byte-identical in every run here. Its PDFs get /CreationDate,
/ModDate, the trailer /ID and /DocChecksum fixed (``stable_pdf``), but the embedded font
subsets are not always the same from one run to the next (BINARY_CORPUS.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import random
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from corpus_binary import Source, build, truth_line
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"
FONT_TITLE, FONT_HEAD, FONT_BODY, FONT_TABLE = "方正小标宋简体", "黑体", "仿宋_GB2312", "宋体"
# column widths in mm, label columns first (the page has 156 mm between the margins)
_WIDTHS = {
    "table2": [50, 35, 35, 36],
    "table3": [12, 20, 42] + [11.5] * 6 + [14],
    "table4": [10.4] * 15,
}


def choose(src: Source, seed: int) -> set[str]:
    rng = random.Random(f"{seed}/docx/{src.index}")
    opts = {
        name
        for name, p in (
            ("heading_styles", 0.3),
            ("header_repeat", 0.4),
            ("cell_paragraphs", 0.3),
            ("page_numbers", 0.6),
            ("typos", 0.2),
            ("spaced", 0.3),
            ("unmerged", 0.1),
        )
        if rng.random() < p
    }
    if src.truth["format"] == "F2021" and rng.random() < 0.3:
        opts.add("collapse_other")
    return opts


def _font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), name)


def _para(doc_or_cell, text: str, font: str, size: float, **fmt):
    p = doc_or_cell.add_paragraph()
    run = p.add_run(text)
    _font(run, font, size, fmt.get("bold", False))
    pf = p.paragraph_format
    pf.space_before = pf.space_after = Pt(0)
    if "align" in fmt:
        p.alignment = fmt["align"]
    if fmt.get("indent"):
        pf.first_line_indent = Pt(size * 2)
    pf.line_spacing = Pt(fmt.get("line", 28))
    return p


def _page_number_footer(section) -> None:
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run("— "), FONT_BODY, 14)
    run = p.add_run()
    _font(run, FONT_BODY, 14)
    for tag, attr in (("w:fldChar", "begin"), ("w:instrText", "PAGE"), ("w:fldChar", "end")):
        el = OxmlElement(tag)
        if tag == "w:fldChar":
            el.set(qn("w:fldCharType"), attr)
        else:
            el.set(qn("xml:space"), "preserve")
            el.text = attr
        run._element.append(el)
    _font(p.add_run(" —"), FONT_BODY, 14)


def _positions(grid: list) -> list[tuple[int, int, object]]:
    """(row, column, Cell) of every cell, spans placed as HTML places them."""
    taken: set[tuple[int, int]] = set()
    out = []
    for r, row in enumerate(grid):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            out.append((r, c, cell))
            taken |= {(r + i, c + j) for i in range(cell.rs) for j in range(cell.cs)}
            c += cell.cs
    return out


def _table(doc, name: str, grid: list, n_head: int, opts: set[str], rng: random.Random):
    placed = _positions(grid)
    width = max(c + cell.cs for _, c, cell in placed)
    table = doc.add_table(rows=len(grid), cols=width)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = _WIDTHS[name]
    for r, c, cell in placed:
        target = table.cell(r, c)
        if cell.cs > 1 or cell.rs > 1:
            target = target.merge(table.cell(r + cell.rs - 1, c + cell.cs - 1))
        target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        target.width = Mm(sum(widths[c : c + cell.cs]))
        text = cell.text
        lines = [text]
        if "cell_paragraphs" in opts and len(text) > 12 and not text[:1].isdigit():
            cut = rng.randint(len(text) // 3, 2 * len(text) // 3)
            lines = [text[:cut], text[cut:]]
        target.paragraphs[0].text = ""
        first = True
        for line in lines:
            p = target.paragraphs[0] if first else target.add_paragraph()
            first = False
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _font(p.add_run(line), FONT_TABLE, 10.5 if name != "table4" else 9)
            p.paragraph_format.space_after = Pt(0)
    table.autofit = False
    for i, col in enumerate(table.columns):
        col.width = Mm(widths[i])
    if "header_repeat" in opts and n_head:
        for row in table.rows[:n_head]:
            trpr = row._tr.get_or_add_trPr()
            el = OxmlElement("w:tblHeader")
            trpr.append(el)
    return table


def document(blocks: list[tuple], opts: set[str], rng: random.Random, year: int) -> bytes:
    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
    sec.left_margin, sec.right_margin = Mm(28), Mm(26)
    if "page_numbers" in opts:
        _page_number_footer(sec)
    styled = "heading_styles" in opts
    for b in blocks:
        kind = b[0]
        if kind == "title":
            for line in b[1]:
                if line:
                    _para(doc, line, FONT_TITLE, 22, align=WD_ALIGN_PARAGRAPH.CENTER, line=36)
            _para(doc, "", FONT_BODY, 16)
        elif kind == "heading":
            if styled:
                p = doc.add_heading(b[1], level=1)
            else:
                p = _para(doc, b[1], FONT_HEAD, 16, indent=True)
            if "t3_new_page" in opts and b[1].startswith("三、"):
                p.paragraph_format.page_break_before = True
        elif kind == "subheading":
            if styled:
                doc.add_heading(b[1], level=2)
            else:
                _para(doc, b[1], "楷体_GB2312", 16, indent=True, bold=True)
        elif kind == "para":
            _para(doc, b[1], FONT_BODY, 16, indent=True)
        elif kind == "sign":
            _para(doc, "", FONT_BODY, 16)
            for line in b[1]:
                _para(doc, line, FONT_BODY, 16, align=WD_ALIGN_PARAGRAPH.RIGHT)
        elif kind == "table":
            _table(doc, b[1], b[2], b[3], opts, rng)
    cp = doc.core_properties
    when = dt.datetime(year + 1, 1, 20, 9, 0, 0)
    cp.author = cp.last_modified_by = "Administrator"
    cp.created = cp.modified = when
    cp.revision = 1
    cp.title = cp.comments = ""  # python-docx's template says "generated by python-docx"
    buf = io.BytesIO()
    doc.save(buf)
    return stable_zip(buf.getvalue())


def stable_zip(data: bytes) -> bytes:
    """The same package with every member dated 1980-01-01 (python-docx uses the clock)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


def soffice_convert(files: list[Path], fmt: str, out_dir: Path) -> list[Path]:
    """Convert with one headless LibreOffice run (its own profile); → the written files."""
    if not files:
        return []
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        cmd = [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            fmt,
            "--outdir",
            str(out_dir),
            *map(str, files),
        ]
        env = {**os.environ, "SOURCE_DATE_EPOCH": "0", "TZ": "UTC"}
        subprocess.run(cmd, check=True, capture_output=True, timeout=600, env=env)
    ext = fmt.split(":")[0]
    out = [out_dir / (f.stem + "." + ext) for f in files]
    missing = [p for p in out if not p.exists()]
    if missing:
        raise RuntimeError(f"soffice wrote no {ext} for {missing[:3]}")
    return out


_PDF_DATE = re.compile(rb"\(D:\d{14}[^)]{0,8}\)")
_PDF_ID = re.compile(rb"(?<=/ID \[ <)[0-9A-F]+(?=>\s*<)|(?<=>\n<)[0-9A-F]+(?=> \])")
_PDF_SUM = re.compile(rb"(?<=/DocChecksum /)[0-9A-F]+")


def stable_pdf(pdf: bytes, year: int) -> bytes:
    """LibreOffice's PDF with its dates, trailer /ID and /DocChecksum (which change with the
    clock) replaced by values of the same length derived from the rest of the file."""

    def date(m: re.Match) -> bytes:
        stamp = f"(D:{year + 1}0120090000+00'00')".encode()
        return stamp.ljust(len(m[0]))[: len(m[0]) - 1] + b")"

    pdf = _PDF_DATE.sub(date, pdf)
    digest = hashlib.md5(_PDF_SUM.sub(b"", _PDF_ID.sub(b"", pdf))).hexdigest().upper().encode()

    def same_length(m: re.Match) -> bytes:
        return (digest * 2)[: len(m[0])]

    return _PDF_SUM.sub(same_length, _PDF_ID.sub(same_length, pdf))


def make(
    out_dir: Path, srcs: list[Source], seed: int, doc_every: int = 4, pdf_every: int = 3
) -> list[dict]:
    """A .docx per source; every ``doc_every``-th also as .doc (the first of them also as
    .wps), every ``pdf_every``-th also exported to PDF by LibreOffice."""
    lines: list[dict] = []
    docs: list[tuple[Source, Path, dict]] = []
    pdfs: list[tuple[Source, Path, dict]] = []
    for src in srcs:
        opts = choose(src, seed)
        rng = random.Random(f"{seed}/docx-text/{src.index}")
        blocks, tables, quirks = build(src, rng, opts)
        name = src.stem + ".docx"
        (out_dir / name).write_bytes(document(blocks, opts, rng, src.truth["year"]))
        line = truth_line(src, name, "docx", "word", opts, tables, quirks, producer="python-docx")
        lines.append(line)
        if src.index % doc_every == 1:
            docs.append((src, out_dir / name, line))
        if src.index % pdf_every == 2:
            pdfs.append((src, out_dir / name, line))
    with tempfile.TemporaryDirectory(prefix="lo-out-") as tmp:
        tmpdir = Path(tmp)
        for (src, _, line), made in zip(
            docs, soffice_convert([p for _, p, _ in docs], "doc", tmpdir), strict=True
        ):
            name = src.stem + ".doc"
            shutil.move(made, out_dir / name)
            lines.append({**line, "file": name, "kind": "doc", "producer": "libreoffice"})
            if len([x for x in lines if x["kind"] == "wps"]) == 0:
                wps = src.stem + ".wps"
                shutil.copyfile(out_dir / name, out_dir / wps)
                lines.append({**line, "file": wps, "kind": "wps", "producer": "libreoffice"})
        for (src, _, line), made in zip(
            pdfs, soffice_convert([p for _, p, _ in pdfs], "pdf", tmpdir), strict=True
        ):
            name = src.stem + ".word.pdf"
            (out_dir / name).write_bytes(stable_pdf(made.read_bytes(), src.truth["year"]))
            lines.append(
                {
                    **line,
                    "file": name,
                    "kind": "pdf",
                    "layout": "word-export",
                    "producer": "libreoffice",
                }
            )
    return lines
