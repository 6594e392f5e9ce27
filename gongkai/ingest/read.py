"""Ingest stage: the bytes of a file → a :class:`~gongkai.model.Document` of lines of cells.

Every input, text or saved web page, ends as a list of :class:`~gongkai.model.Line`: the
number of the source line it came from and its cells. The kind of file is decided by its
content (magic bytes, markup), not by its name. Text tables arrive as tab-separated rows or
pipe Markdown rows (:mod:`gongkai.ingest.text`; a page saved as text by an archive, with
its header and the report on one long line, is cut back into lines by
:mod:`gongkai.ingest.crawl`); HTML tables are laid out on a grid
(rowspan/colspan resolved) by :mod:`gongkai.ingest.html`. The parser never sees the
original bytes again.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from gongkai.ingest.crawl import cut_lines, split_header
from gongkai.ingest.text import LINE_BREAK, decode, text_lines
from gongkai.model import Document, NotAReport, Source

MAX_BYTES = 20 * 1024 * 1024  # a real report is < 1 MB; larger files are not read whole
# A real report has a few hundred to a few thousand lines; a million-line file is not one, and
# every parsing rule walks the lines, so such a file is refused before they run.
MAX_LINES = 50_000


_HTML_SNIFF = re.compile(rb"<\s*(!doctype\s+html|html|body|table|div|p)[\s>]", re.I)
_HTML_SNIFF_TEXT = re.compile(_HTML_SNIFF.pattern.decode("ascii"), re.I)
_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")  # PNG, JPEG, TIFF
_BINARY_MAGIC = {
    b"PK\x03\x04": "一个压缩包（可能是 Word/Excel 的 docx/xlsx 文件）",
    b"\xd0\xcf\x11\xe0": "一个旧版 Office 文件（doc/xls）",
    b"GIF8": "一张 GIF 图片",
}


def read_document(path: str | Path, data: bytes | None = None) -> Document:
    """Decode a file and split it into lines of cells; raise NotAReport when it cannot be."""
    path = Path(path)
    if data is None:
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    check_size(len(data))
    digest = hashlib.sha256(data).hexdigest()
    if data.startswith(_IMAGE_MAGIC):  # a scan: read by OCR (gongkai.ingest.ocr)
        from gongkai.ingest.ocr import read_image

        return read_image(path, data)
    # Word: .docx (zip), .doc/.wps (OLE) and RTF, the last two converted by LibreOffice
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"{\\rtf")):
        from gongkai.ingest.docx import word_lines  # only Word files need it

        kind, word = word_lines(data)  # NotAReport for other zips and OLE files
        _check_line_count(len(word))
        return Document(Source(str(path), digest, kind, "", len(data)), tuple(word))
    if data[:1024].lstrip(b"\x00\t\n\r\x0c ").startswith(b"%PDF"):
        from gongkai.ingest.pdf import NoTextLayer, pdf_lines  # pypdfium2 only for PDF files

        try:
            lines = pdf_lines(data)
            kind, encoding = "pdf", ""
        except NoTextLayer:  # a scanned PDF: its page images are read by OCR
            from gongkai.ingest.ocr import ocr_pdf

            lines, kind, encoding = ocr_pdf(data), "ocr", "PDF"
        _check_line_count(len(lines))
        return Document(Source(str(path), digest, kind, encoding, len(data)), tuple(lines))
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise NotAReport(f"这是{what}，不是文本或网页；请先转换为文本（.txt）或网页（.html）")
    if not data.strip():
        raise NotAReport("文件为空")
    text, encoding = decode(data, html=bool(_HTML_SNIFF.search(data[:4096])))
    if not text.strip():
        raise NotAReport("文件为空")
    is_html = looks_like_html(path, text)
    if _looks_binary(text):
        raise NotAReport("文件内容是二进制数据，不是文本或网页")
    if not is_html:
        _refuse_markup(text)
    source = Source(str(path), digest, "html" if is_html else "text", encoding, len(data))
    header: dict[str, str] = {}
    if is_html:
        from gongkai.ingest.html import html_lines  # lxml is imported only for web pages

        tags = len(_BLOCK_TAG.findall(text))
        if tags > 5 * MAX_LINES:  # refused before lxml builds a million elements
            raise NotAReport(
                f"网页有 {tags:,} 个段落、表格单元格或换行标签，远多于一份年度报告，未读取"
            )
        lines = html_lines(text)
        _check_line_count(len(lines))
    else:
        _check_line_count(sum(1 for row in LINE_BREAK.split(text) if row and not row.isspace()))
        lines = text_lines(text)
        # a page saved by an archive of web pages: its header, and the page on one long line
        header, lines = split_header(lines)
        cut = cut_lines(lines, crawled=bool(header))
        if cut is not lines:
            _check_line_count(sum(1 for line in cut if line.table or line.text.strip()))
            lines = cut
    return Document(source, tuple(lines), header)


def check_size(size: int) -> None:
    """Refuse a file too large to be a report; callers can check its size before reading it."""
    if size > MAX_BYTES:
        raise NotAReport(f"文件超过 {MAX_BYTES // 1024 // 1024} MB，不像一份年度报告，未读取")


def _check_line_count(count: int) -> None:
    if count > MAX_LINES:
        raise NotAReport(
            f"文件有 {count:,} 行文字，远多于一份年度报告（通常不到几千行），"
            f"超过 {MAX_LINES:,} 行的文件不读取"
        )


HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")


def looks_like_html(path: Path, text: str) -> bool:
    """A web page by its content (also for UTF-16 pages). A text report that merely quotes
    markup (``<div onclick=…>`` in its narrative) stays text: outside a web-page file name
    the markup must open the file."""
    head = text[:4096]
    if path.suffix.lower() not in HTML_SUFFIXES and not head.lstrip(" \t\r\n\ufeff").startswith(
        "<"
    ):
        return False
    return bool(_HTML_SNIFF_TEXT.search(head))


_SVG_ROOT = re.compile(
    r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<svg\b", re.S | re.I
)


def _refuse_markup(text: str) -> None:
    """An SVG image or another XML file is not a text report: its markup read as lines of
    text would give a garbage agency name (``<?xmlversion=…``)."""
    head = text[:4096].lstrip("\ufeff")
    if _SVG_ROOT.match(head):
        raise NotAReport("这是一张 SVG 矢量图，不是报告；请提供报告的文本、网页、Word 或 PDF 文件")
    if head.lstrip().startswith("<?xml"):
        raise NotAReport(
            "这是一个 XML 文件（不是网页），不是报告；请提供报告的文本、网页、Word 或 PDF 文件"
        )


_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f\ufffd]")


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    return len(_CONTROL.findall(sample)) > max(8, len(sample) // 20)


_BLOCK_TAG = re.compile(r"<(?:p|br|tr|td|th|div|li|h[1-6])\b", re.I)
