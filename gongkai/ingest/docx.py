"""Word documents → lines: a .docx read from its XML; .doc, .wps, .rtf converted by LibreOffice.

A .docx is a zip holding ``word/document.xml``. We read that part ourselves (lxml with a
parser that expands no entities and loads nothing from the network) and walk the body in
order, as a reader sees it:

* a paragraph is one single-cell :class:`Line` (a line break inside it starts another, as a
  ``<br>`` does in a web page); text boxes follow the paragraph that anchors them;
* a table is one line per row (``table=True``) laid out on its grid, with the rules of
  :mod:`gongkai.ingest.html`: a horizontal merge (``w:gridSpan``) puts the text in its first
  column and leaves the covered columns empty; a vertical merge (``w:vMerge``) copies a
  label into the rows it covers, never a value; the paragraphs of a cell are joined (a break
  between CJK characters joins them without a space); a table nested in a cell is read as
  rows of its own after the row holding it. Each cell carries its :class:`Place` (table,
  row, grid column; 1-based), a label copied down the place where it was printed.

What Word does not print is not read: deleted text of tracked changes, hidden text
(``w:vanish`` on a run or its style), hidden and deleted table rows, field codes, the second
copy of a shape in ``mc:Fallback``, headers and footers, comments. Line numbers run through
the lines in document order (a Word file has no source lines; the places say where a value
was printed).

A .doc or .wps (WPS Office writes the Word 97 binary, ``D0 CF 11 E0``) or an RTF file
(``{\\rtf``; often named .doc) is converted to .docx by LibreOffice (``soffice --headless``;
a private profile that runs no macros and fetches nothing, a time limit, a temporary folder)
and then read the same way. Without LibreOffice, or when it does not finish in time, the file
is refused with :class:`NotReadHere` (not cached: the next build tries again).

The file is untrusted: the zip's members are checked by their declared sizes before any is
read (zipfile never inflates past the declared size), and tables, rows and cells are capped.
"""

from __future__ import annotations

import contextlib
import io
import os
import posixpath
import re
import shutil
import signal
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from gongkai.ingest.boundary import outside_reader
from gongkai.ingest.html import _BREAK, _clean, _is_value  # the web page's rules for cells
from gongkai.model import Line, NotAReport, NotReadHere, Place

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
RTF_MAGIC = b"{\\rtf"  # RTF, often published with a .doc name

MAX_MEMBERS = 5_000  # a .docx has 10–50 parts, a few hundred with many images
MAX_PART_BYTES = 20 * 1024 * 1024  # word/document.xml of a real report: 0.1–2 MB
MAX_READ_BYTES = 50 * 1024 * 1024  # all parts read, together
MAX_RELS_BYTES = 1024 * 1024
MAX_TABLES = 500  # a report has three to six tables
MAX_ROWS = 20_000  # table rows in the whole document
MAX_CELLS = 200_000  # table cells in the whole document
MAX_GRID = 1_000_000  # grid positions of all table lines (rows × table width)
MAX_COLUMNS = 256  # as for web pages; the widest real table (表四) has 15 columns
MAX_SPAN = 1000
MAX_TABLE_NESTING = 20  # deeper tables are not read
MAX_PARAGRAPHS = 200_000

SOFFICE_TIMEOUT = 60.0  # seconds; a report converts in 3–6 s
SOFFICE_OUTPUT_BYTES = 50 * 1024 * 1024
INSTALL_HINT = (
    "需要 LibreOffice 才能读取 .doc/.wps/.rtf 文件：在 Debian/Ubuntu 上运行 "
    "apt-get install libreoffice-writer-nogui"
)

_W_NAMESPACES = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",  # ISO 29500 strict
)
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OFF = frozenset({"0", "false", "off", "none"})


def word_lines(data: bytes) -> tuple[str, list[Line]]:
    """The kind of a Word file by its magic bytes (``docx``, ``doc`` or ``rtf``) and its lines."""
    if data.startswith(ZIP_MAGIC):
        return "docx", docx_lines(data)
    if data.startswith(OLE_MAGIC):
        return "doc", docx_lines(convert_doc(data))
    if data.startswith(RTF_MAGIC):
        return "rtf", docx_lines(convert(data, "rtf"))
    raise ValueError("word_lines: not a zip, OLE or RTF file")  # read.py calls us only for these


# --- the package ------------------------------------------------------------------------


def docx_lines(data: bytes) -> list[Line]:
    """The lines of a .docx; NotAReport for any other zip or a package that cannot be read."""
    with outside_reader("zipfile"):
        package = zipfile.ZipFile(io.BytesIO(data))
        members = package.infolist()
    if len(members) > MAX_MEMBERS:
        raise NotAReport(f"压缩包有 {len(members):,} 个文件，不像一份 Word 文档，未读取")
    names = {info.filename: info for info in members}
    reader = _Parts(package, names)
    root = reader.main_document()
    if root is None:
        raise NotAReport(_not_word(reader))
    ns = _namespace(root)
    if ns is None:
        raise NotAReport(_not_word(reader))
    body = root.find(f"{{{ns}}}body")
    if body is None:
        return []
    walk = _Walk(ns, reader.hidden_styles(ns))
    walk.blocks(body, 0)
    return walk.lines


class _Parts:
    """Reads the package's XML parts, each checked by its declared size first."""

    def __init__(self, package: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo]) -> None:
        self.package = package
        self.names = names
        self.budget = MAX_READ_BYTES

    def read(self, name: str, limit: int = MAX_PART_BYTES) -> bytes | None:
        info = self.names.get(name)
        if info is None:
            return None
        size = info.file_size
        if size > limit or size > self.budget:
            raise NotAReport(
                f"Word 文档中的 {name[:80]} 解压后有 {size / 1024 / 1024:,.0f} MB，"
                f"远大于一份年度报告（可能是压缩炸弹），未读取"
            )
        self.budget -= size
        with outside_reader("zipfile"):
            return self.package.read(info)

    def xml(self, name: str, limit: int = MAX_PART_BYTES) -> etree._Element | None:
        blob = self.read(name, limit)
        if blob is None:
            return None
        return _parse_xml(blob)

    def main_document(self) -> etree._Element | None:
        """word/document.xml, or the part the package's relationships name as the document."""
        root = self.xml("word/document.xml")
        if root is not None:
            return root
        rels = self.xml("_rels/.rels", MAX_RELS_BYTES)
        if rels is None:
            return None
        for rel in rels.iter(f"{_RELS}Relationship"):
            if not rel.get("Type", "").endswith("/officeDocument"):
                continue
            target = posixpath.normpath(rel.get("Target", "").lstrip("/"))
            if target.endswith(".xml") and target in self.names and "word" in target.lower():
                root = self.xml(target)
                if root is not None and _namespace(root) is not None:
                    return root
        return None

    def hidden_styles(self, ns: str) -> frozenset[str]:
        """The ids of styles whose text is hidden (w:vanish), through their basedOn chain."""
        blob = self.read("word/styles.xml")
        if blob is None or b"vanish" not in blob:
            return frozenset()
        w = f"{{{ns}}}"
        own: dict[str, bool | None] = {}
        based: dict[str, str] = {}
        for style in _parse_xml(blob).iter(f"{w}style"):
            sid = style.get(f"{w}styleId")
            if not sid:
                continue
            vanish = style.find(f"{w}rPr/{w}vanish")
            own[sid] = None if vanish is None else _on(vanish, w)
            parent = style.find(f"{w}basedOn")
            if parent is not None and parent.get(f"{w}val"):
                based[sid] = parent.get(f"{w}val", "")
        hidden = set()
        for sid in own:
            seen = set()
            at: str | None = sid
            while at is not None and at not in seen and own.get(at) is None:
                seen.add(at)
                at = based.get(at)
            if at is not None and own.get(at):
                hidden.add(sid)
        return frozenset(hidden)


def _parse_xml(blob: bytes) -> etree._Element:
    # No entity expansion, no DTD, nothing from the network; libxml2's default limits on depth
    # and text size stay on (huge_tree off).
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    with outside_reader("lxml"):
        return etree.fromstring(blob, parser=parser)


def _namespace(root: etree._Element) -> str | None:
    for ns in _W_NAMESPACES:
        if root.tag == f"{{{ns}}}document":
            return ns
    return None


_ODF_KINDS = {
    b"application/vnd.oasis.opendocument.text": "一个 OpenDocument 文本文件（odt）",
    b"application/vnd.oasis.opendocument.spreadsheet": "一个 OpenDocument 表格文件（ods）",
    b"application/vnd.oasis.opendocument.presentation": "一个 OpenDocument 演示文稿（odp）",
}
_SAVE_AS = (
    "请在 Word、WPS 或 LibreOffice 中另存为 Word 文档（.docx），或转换为文本（.txt）、网页（.html）"
)


def _not_word(parts: _Parts) -> str:
    names = parts.names
    if "xl/workbook.xml" in names:
        return _not_word_text("一个 Excel 表格文件（xlsx）")
    if "ppt/presentation.xml" in names:
        return _not_word_text("一个 PowerPoint 演示文稿（pptx）")
    if "mimetype" in names and names["mimetype"].file_size <= 200:
        mimetype = (parts.read("mimetype", 200) or b"").strip()
        what = _ODF_KINDS.get(mimetype)
        if what:
            return _not_word_text(what)
    if "OFD.xml" in names:
        return _not_word_text("一个 OFD 版式文件")
    return f"这是一个压缩包（zip），其中没有 Word 文档（word/document.xml）；{_SAVE_AS}"


def _not_word_text(what: str) -> str:
    return f"这是{what}，不是 Word 文档、文本或网页；{_SAVE_AS}"


def _on(flag: etree._Element, w: str) -> bool:
    """A Word on/off property: on unless its w:val says off."""
    return (flag.get(f"{w}val") or "on").lower() not in _OFF


def _number(value: str | None, default: int, cap: int) -> int:
    m = re.match(r"\s*(\d{1,9})", value or "")
    return min(int(m.group(1)), cap) if m else default


# --- the body ---------------------------------------------------------------------------


@dataclass
class _Cell:
    col: int  # 0-based grid column
    span: int
    vmerge: str | None  # None, "restart", "continue"
    text: str
    nested: list[etree._Element]


class _Walk:
    """Collects the lines of the body: paragraphs as text, tables as grid rows."""

    def __init__(self, ns: str, hidden_styles: frozenset[str]) -> None:
        w = f"{{{ns}}}"
        self.w = w
        self.hidden_styles = hidden_styles
        self.lines: list[Line] = []
        self.tables = self.rows = self.cells = self.grid = self.paragraphs = 0
        self.P, self.R, self.T, self.TBL = f"{w}p", f"{w}r", f"{w}t", f"{w}tbl"
        self.TR, self.TC = f"{w}tr", f"{w}tc"
        self.SDT, self.SDT_CONTENT = f"{w}sdt", f"{w}sdtContent"
        self.TXBX = f"{w}txbxContent"
        self.ALTERNATE, self.CHOICE = f"{_MC}AlternateContent", f"{_MC}Choice"
        # containers whose children are blocks (paragraphs, tables) or, in a table, rows/cells
        self.WRAPPERS = frozenset({f"{w}customXml", f"{w}ins", f"{w}moveTo"})
        self.BREAKS = frozenset({f"{w}br", f"{w}cr"})
        self.TABS = frozenset({f"{w}tab", f"{w}ptab"})
        # never printed: tracked deletions, field codes, properties, phonetic guides, the
        # fallback copy of a shape (the mc:Choice copy is read)
        self.SKIP = frozenset(
            {
                f"{w}del",
                f"{w}moveFrom",
                f"{w}delText",
                f"{w}instrText",
                f"{w}delInstrText",
                f"{w}rPr",
                f"{w}pPr",
                f"{w}sdtPr",
                f"{w}sdtEndPr",
                f"{w}rt",
                f"{w}footnoteReference",
                f"{w}endnoteReference",
                f"{w}commentReference",
                f"{_MC}Fallback",
            }
        )

    def next_number(self) -> int:
        return len(self.lines) + 1

    # blocks

    def blocks(self, parent: etree._Element, depth: int) -> None:
        for child in parent:
            tag = child.tag
            if tag == self.P:
                self.paragraph(child, depth)
            elif tag == self.TBL:
                self.table(child, depth)
            elif tag == self.SDT:
                content = child.find(self.SDT_CONTENT)
                if content is not None:
                    self.blocks(content, depth)
            elif tag in self.WRAPPERS:
                self.blocks(child, depth)
            elif tag == self.ALTERNATE:
                choice = child.find(self.CHOICE)
                if choice is not None:
                    self.blocks(choice, depth)

    def paragraph(self, p: etree._Element, depth: int) -> None:
        self.paragraphs += 1
        if self.paragraphs > MAX_PARAGRAPHS:
            raise NotAReport(
                f"Word 文档有超过 {MAX_PARAGRAPHS:,} 个段落，远多于一份年度报告，未读取"
            )
        parts: list[str] = []
        boxes: list[etree._Element] = []
        self.inline(p, parts, boxes, self._style_hidden(p, "pPr", "pStyle"))
        for piece in "".join(parts).split(_BREAK):
            text = _clean(piece)
            if text:
                self.lines.append(Line(self.next_number(), (text,), False))
        for box in boxes:
            self.blocks(box, depth)

    def inline(
        self, el: etree._Element, out: list[str], boxes: list[etree._Element], hidden: bool
    ) -> None:
        """The text of a paragraph's content as printed; text boxes are collected."""
        for child in el:
            tag = child.tag
            if tag == self.T:
                if child.text:
                    out.append(child.text)
            elif tag == self.R:
                if not self._run_hidden(child, hidden):
                    self.inline(child, out, boxes, hidden)
            elif tag in self.BREAKS:
                out.append(_BREAK)
            elif tag in self.TABS:
                out.append(" ")
            elif tag == f"{self.w}noBreakHyphen":
                out.append("-")
            elif tag in self.SKIP or not isinstance(tag, str):
                continue
            elif tag == self.TXBX:
                boxes.append(child)
            elif tag == self.ALTERNATE:
                choice = child.find(self.CHOICE)
                if choice is not None:
                    self.inline(choice, out, boxes, hidden)
            else:  # hyperlinks, smart tags, content controls, fields, insertions, drawings …
                self.inline(child, out, boxes, hidden)

    def _style_hidden(self, el: etree._Element, props: str, style: str) -> bool:
        if not self.hidden_styles:
            return False
        found = el.find(f"{self.w}{props}/{self.w}{style}")
        return found is not None and found.get(f"{self.w}val") in self.hidden_styles

    def _run_hidden(self, run: etree._Element, paragraph_hidden: bool) -> bool:
        vanish = run.find(f"{self.w}rPr/{self.w}vanish")
        if vanish is not None:
            return _on(vanish, self.w)
        return self._style_hidden(run, "rPr", "rStyle") or paragraph_hidden

    # tables

    def table(self, tbl: etree._Element, depth: int) -> None:
        if depth >= MAX_TABLE_NESTING:
            return
        self.tables += 1
        if self.tables > MAX_TABLES:
            raise NotAReport(f"Word 文档有超过 {MAX_TABLES:,} 个表格，远多于一份年度报告，未读取")
        number = self.tables
        w = self.w
        rows: list[tuple[int, list[_Cell]]] = []
        width = 0
        for r, tr in enumerate(self._children(tbl, self.TR), 1):
            self.rows += 1
            if self.rows > MAX_ROWS:
                raise NotAReport(
                    f"Word 文档的表格共有超过 {MAX_ROWS:,} 行，远多于一份年度报告，未读取"
                )
            props = tr.find(f"{w}trPr")
            if props is not None and (
                _flagged(props.find(f"{w}hidden"), w) or props.find(f"{w}del") is not None
            ):
                continue  # not printed: a hidden row, or a row deleted with changes tracked
            col = 0
            if props is not None:
                before = props.find(f"{w}gridBefore")
                if before is not None:
                    col = _number(before.get(f"{w}val"), 0, MAX_COLUMNS)
            cells: list[_Cell] = []
            for tc in self._children(tr, self.TC):
                self.cells += 1
                if self.cells > MAX_CELLS:
                    raise NotAReport(
                        f"Word 文档的表格共有超过 {MAX_CELLS:,} 个单元格，远多于一份年度报告，未读取"
                    )
                if col >= MAX_COLUMNS:
                    break
                tcpr = tc.find(f"{w}tcPr")
                span, vmerge, covered = 1, None, False
                if tcpr is not None:
                    grid_span = tcpr.find(f"{w}gridSpan")
                    if grid_span is not None:
                        span = max(1, _number(grid_span.get(f"{w}val"), 1, MAX_SPAN))
                    merge = tcpr.find(f"{w}vMerge")
                    if merge is not None:
                        vmerge = "restart" if merge.get(f"{w}val") == "restart" else "continue"
                    hmerge = tcpr.find(f"{w}hMerge")  # the legacy horizontal merge
                    covered = hmerge is not None and hmerge.get(f"{w}val") != "restart"
                span = min(span, MAX_COLUMNS - col)
                if covered:
                    if cells and cells[-1].col + cells[-1].span == col:
                        cells[-1].span += span
                    col += span
                    continue
                nested: list[etree._Element] = []
                text = self._cell_text(tc, nested) if vmerge != "continue" else ""
                cells.append(_Cell(col, span, vmerge, text, nested))
                col += span
            width = max(width, col)
            rows.append((r, cells))
        self.grid += width * len(rows)
        if self.grid > MAX_GRID:
            raise NotAReport("Word 文档的表格过大（行数 × 列数），远大于一份年度报告，未读取")
        self._lay_out(number, rows, width, depth)

    def _lay_out(
        self, number: int, rows: list[tuple[int, list[_Cell]]], width: int, depth: int
    ) -> None:
        """One line per row on the grid: a vertically merged label is copied into the rows it
        covers (with the place where it was printed), a value never is."""
        above: dict[int, tuple[str, Place]] = {}  # column → the label a vMerge continues
        for r, cells in rows:
            values: dict[int, str] = {}
            places: dict[int, Place] = {}
            for cell in cells:
                for c in range(cell.col + 1, cell.col + cell.span):
                    above.pop(c, None)
                if cell.vmerge == "continue":
                    label = above.get(cell.col)
                    if label is not None:
                        values[cell.col], places[cell.col] = label
                    continue
                place = Place(table=number, row=r, col=cell.col + 1)
                values[cell.col], places[cell.col] = cell.text, place
                if cell.vmerge == "restart" and cell.text and not _is_value(cell.text):
                    above[cell.col] = (cell.text, place)
                else:
                    above.pop(cell.col, None)
            if any(values.values()):
                self.lines.append(
                    Line(
                        self.next_number(),
                        tuple(values.get(c, "") for c in range(width)),
                        True,
                        tuple(places.get(c) for c in range(width)),
                    )
                )
            for cell in cells:
                for inner in cell.nested:
                    self.table(inner, depth + 1)

    def _children(self, parent: etree._Element, tag: str) -> list[etree._Element]:
        """The rows of a table or the cells of a row, also inside content controls."""
        out: list[etree._Element] = []
        for child in parent:
            if child.tag == tag:
                out.append(child)
            elif child.tag == self.SDT:
                content = child.find(self.SDT_CONTENT)
                if content is not None:
                    out += self._children(content, tag)
            elif child.tag in self.WRAPPERS:
                out += self._children(child, tag)
        return out

    def _cell_text(self, tc: etree._Element, nested: list[etree._Element]) -> str:
        parts: list[str] = []
        self._cell_blocks(tc, parts, nested)
        return _clean("".join(parts))

    def _cell_blocks(
        self, parent: etree._Element, parts: list[str], nested: list[etree._Element]
    ) -> None:
        for child in parent:
            tag = child.tag
            if tag == self.P:
                parts.append(_BREAK)
                boxes: list[etree._Element] = []
                self.inline(child, parts, boxes, self._style_hidden(child, "pPr", "pStyle"))
                for box in boxes:
                    self._cell_blocks(box, parts, nested)
            elif tag == self.TBL:
                nested.append(child)
            elif tag == self.SDT:
                content = child.find(self.SDT_CONTENT)
                if content is not None:
                    self._cell_blocks(content, parts, nested)
            elif tag in self.WRAPPERS:
                self._cell_blocks(child, parts, nested)
            elif tag == self.ALTERNATE:
                choice = child.find(self.CHOICE)
                if choice is not None:
                    self._cell_blocks(choice, parts, nested)


def _flagged(flag: etree._Element | None, w: str) -> bool:
    return flag is not None and _on(flag, w)


# --- .doc, .wps and .rtf: LibreOffice ----------------------------------------------------

_UTF16 = {name: name.encode("utf-16-le") for name in ("WordDocument", "Workbook", "PowerPoint Document", "EncryptedPackage")}  # fmt: skip


def convert_doc(data: bytes) -> bytes:
    """A Word 97 file (.doc, or a .wps of WPS Office) as .docx bytes, by LibreOffice."""
    if _UTF16["EncryptedPackage"] in data:
        raise NotAReport("这是一个设置了密码的 Office 文件，无法读取；请去掉密码后再提供")
    if _UTF16["WordDocument"] not in data:
        if _UTF16["Workbook"] in data:
            raise NotAReport(_not_word_text("一个旧版 Excel 表格文件（xls）"))
        if _UTF16["PowerPoint Document"] in data:
            raise NotAReport(_not_word_text("一个旧版 PowerPoint 演示文稿（ppt）"))
        raise NotAReport(_not_word_text("一个旧版 Office 格式的文件（其中没有 Word 文档）"))
    return convert(data, "doc")


def convert(data: bytes, suffix: str) -> bytes:
    """A .doc or .rtf as .docx bytes, by LibreOffice in a temporary folder with its own
    profile; NotReadHere without LibreOffice or when it takes too long."""
    soffice = soffice_path()
    if soffice is None:
        raise NotReadHere(INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="gongkai-word-") as tmp:
        folder = Path(tmp)
        source = folder / f"report.{suffix}"
        source.write_bytes(data)
        (folder / "out").mkdir()
        (folder / "profile" / "user").mkdir(parents=True)
        (folder / "profile" / "user" / "registrymodifications.xcu").write_text(
            _PROFILE, encoding="utf-8"
        )
        command = [
            soffice,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nolockcheck",
            "--convert-to",
            "docx",
            "--outdir",
            str(folder / "out"),
            str(source),
        ]
        code, detail = run_converter(command, SOFFICE_TIMEOUT)
        made = folder / "out" / "report.docx"
        if not made.is_file():
            raise NotAReport(
                f"LibreOffice 未能把这个 .{suffix} 文件转换为 .docx（退出码 {code}"
                + (f"：{detail}" if detail else "")
                + "）"
            )
        if made.stat().st_size > SOFFICE_OUTPUT_BYTES:
            raise NotAReport("LibreOffice 转换出的 .docx 过大，不像一份年度报告，未读取")
        return made.read_bytes()


# The private profile LibreOffice starts with: no macros, no images or links loaded from
# where the document points (an untrusted file must not make the converter fetch anything).
_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetProxyType" oor:op="fuse"><value>2</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPProxyName" oor:op="fuse"><value>127.0.0.1</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPProxyPort" oor:op="fuse"><value>9</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPSProxyName" oor:op="fuse"><value>127.0.0.1</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPSProxyPort" oor:op="fuse"><value>9</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetFTPProxyName" oor:op="fuse"><value>127.0.0.1</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetFTPProxyPort" oor:op="fuse"><value>9</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetNoProxy" oor:op="fuse"><value></value></prop></item>
</oor:items>
"""


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def run_converter(command: list[str], timeout: float) -> tuple[int, str]:
    """Run a converter in a session of its own; on timeout kill its whole process group
    (LibreOffice's launcher starts soffice.bin as a child). → exit code and its stderr."""
    try:
        proc = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as err:
        raise NotReadHere(f"无法启动 LibreOffice（{err.strerror or type(err).__name__}）") from err
    try:
        _, err_bytes = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc.pid)
        proc.communicate()
        raise NotReadHere(
            f"LibreOffice 转换这个文件超过 {timeout:g} 秒仍未完成，已终止；下次构建时会再试"
        ) from None
    finally:
        _kill_group(proc.pid)  # anything the converter left running in its group
    detail = " ".join(err_bytes.decode("utf-8", "replace").split())[:200]
    return proc.returncode, detail


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):  # the group is gone
        os.killpg(pid, signal.SIGKILL)
