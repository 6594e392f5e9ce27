"""Word files: .docx read from its XML (merged cells on the grid, what Word prints and nothing
else, places), .doc/.wps/RTF through LibreOffice (no network, no orphan processes), and
hostile packages refused before they are inflated.

The accuracy bar: on Word files typed by python-docx (scripts/corpus_docx.py, made at test
time, with .doc/.wps made by LibreOffice) no number is wrong and at least 98 % of the printed
cells are recovered.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import struct
import tempfile
import zipfile
from pathlib import Path

import pytest

from gongkai.build import inputs
from gongkai.ingest import docx
from gongkai.ingest.read import read_document
from gongkai.model import Line, NotAReport, NotReadHere, Place
from gongkai.report import read_report

HERE = Path(__file__).parent
FIXTURES = sorted((HERE / "fixtures" / "binary").glob("*.docx"))
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
WORD_OLE = OLE + "WordDocument".encode("utf-16-le") + bytes(64)


# --- helpers --------------------------------------------------------------------------------


def package(files: dict[str, bytes | str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
    return out.getvalue()


def word(body: str, styles: str | None = None) -> bytes:
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}" xmlns:mc="{MC}">'
        f"<w:body>{body}</w:body></w:document>"
    )
    return package(
        {"word/document.xml": document, **({"word/styles.xml": styles} if styles else {})}
    )


def p(*runs: str) -> str:
    return (
        "<w:p>"
        + "".join(r if r.startswith("<") else f"<w:r><w:t>{r}</w:t></w:r>" for r in runs)
        + "</w:p>"
    )


def tc(*paragraphs: str, span: int = 1, vmerge: str | None = None, extra: str = "") -> str:
    props = (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "") + (
        "" if vmerge is None else f'<w:vMerge w:val="{vmerge}"/>' if vmerge else "<w:vMerge/>"
    )
    return f"<w:tc><w:tcPr>{props}{extra}</w:tcPr>{''.join(p(t) for t in paragraphs) or p()}</w:tc>"


def tr(*cells: str, props: str = "") -> str:
    return f"<w:tr><w:trPr>{props}</w:trPr>{''.join(cells)}</w:tr>"


def tbl(*rows: str) -> str:
    return f"<w:tbl>{''.join(rows)}</w:tbl>"


def lines(data: bytes) -> list[Line]:
    return list(read_document("r.docx", data).lines)


def cells(data: bytes) -> list[tuple[str, ...]]:
    return [line.cells for line in lines(data)]


def score(record, truth) -> tuple[list, int, int]:
    wrong, printed, recovered = [], 0, 0
    for table in ("table2", "table3", "table4"):
        for row, values in truth[table].items():
            for col, true in values.items():
                got = getattr(record, table).get(row, {}).get(col)
                if got is not None and got != true:
                    wrong.append((f"{table}.{row}.{col}", true, got))
                if true is not None:
                    printed += 1
                    recovered += got == true
    return wrong, printed, recovered


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")  # a zombie is dead, waiting for its parent to reap it


@pytest.fixture(scope="module")
def soffice() -> str:
    found = docx.soffice_path()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(
                "LibreOffice is missing: make test installs it (scripts/system-deps.sh office)"
            )
        pytest.skip(
            "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui"
        )
    return found


# --- the fixtures (typed into Word by python-docx, truth beside them) --------------------------


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_fixture_numbers_equal_the_truth(path: Path) -> None:
    truth = json.loads(path.with_name(path.name + ".truth.json").read_text("utf-8"))
    record = read_report(path)
    assert record.source is not None and record.source.kind == "docx"
    assert (record.agency, record.year, record.format) == (
        truth["agency"],
        truth["year"],
        truth["format"],
    )
    wrong, printed, recovered = score(record, truth)
    assert wrong == []
    assert recovered == printed, f"{recovered}/{printed}"
    assert not [p for p in record.problems if p.severity == "error"]


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_fixture_places_are_aligned_with_cells(path: Path) -> None:
    doc = read_document(path)
    assert [line.number for line in doc.lines] == list(range(1, len(doc.lines) + 1))
    for line in doc.lines:
        if not line.table:
            assert line.places == () and len(line.cells) == 1
            continue
        assert len(line.places) == len(line.cells)
        for text, place in zip(line.cells, line.places, strict=True):
            if text:
                assert place is not None and place.table and place.row and place.col


def test_fixture_table3_row_on_its_grid_with_places() -> None:
    path = HERE / "fixtures" / "binary" / "fuxin_2025_f2021.docx"
    truth = json.loads(path.with_name(path.name + ".truth.json").read_text("utf-8"))
    granted = next(line for line in read_document(path).lines if "（一）予以公开" in line.cells)
    order = (
        "natural_person",
        "commercial",
        "research",
        "public_welfare",
        "legal_service",
        "other_org",
        "total",
    )
    assert granted.cells == (
        "三、本年度办理结果",
        "（一）予以公开",
        "",
        *(str(truth["table3"]["granted"][k]) for k in order),
    )
    # 表三 is the document's second table; its row 6 (three header rows, 一, 二, then 予以公开)
    assert granted.places[3] == Place(table=2, row=6, col=4)
    assert granted.places[2] is None  # covered by （一）予以公开's gridSpan
    # the rowspan label is copied down with the place where it was printed (its first row)
    later = next(line for line in read_document(path).lines if "（七）总计" in line.cells)
    assert later.cells[0] == "三、本年度办理结果" and later.places[0] == Place(
        table=2, row=6, col=1
    )


# --- merges, as a web page's rowspan/colspan ---------------------------------------------------


def test_grid_span_puts_the_text_in_its_first_column() -> None:
    data = word(
        tbl(tr(tc("第二十条第（一）项", span=4)), tr(tc("规章"), tc("1"), tc("0"), tc("5")))
    )
    got = lines(data)
    assert [line.cells for line in got] == [
        ("第二十条第（一）项", "", "", ""),
        ("规章", "1", "0", "5"),
    ]
    assert got[0].places == (Place(table=1, row=1, col=1), None, None, None)
    assert got[1].places[3] == Place(table=1, row=2, col=4)


def test_vertical_merge_copies_a_label_never_a_value() -> None:
    data = word(
        tbl(
            tr(
                tc("三、本年度办理结果", vmerge="restart"),
                tc("（一）予以公开"),
                tc("7", vmerge="restart"),
            ),
            tr(tc(vmerge=""), tc("（二）部分公开"), tc(vmerge="")),
            tr(tc("四、结转"), tc("x"), tc("2")),
        )
    )
    got = lines(data)
    assert [line.cells for line in got] == [
        ("三、本年度办理结果", "（一）予以公开", "7"),
        ("三、本年度办理结果", "（二）部分公开", ""),
        ("四、结转", "x", "2"),
    ]
    assert got[1].places == (Place(table=1, row=1, col=1), Place(table=1, row=2, col=2), None)


def test_grid_before_and_legacy_horizontal_merge_keep_columns() -> None:
    data = word(
        tbl(
            tr(tc("a"), tc("b"), tc("c")),
            tr(tc("x"), tc("y"), props='<w:gridBefore w:val="1"/>'),
            tr(
                tc("m", extra='<w:hMerge w:val="restart"/>'),
                tc("hidden", extra="<w:hMerge/>"),
                tc("n"),
            ),
        )
    )
    assert cells(data) == [("a", "b", "c"), ("", "x", "y"), ("m", "", "n")]


def test_cell_paragraphs_and_breaks_join_cjk_without_a_space() -> None:
    body = tbl(
        tr(
            tc("（二）部分公开（区分处理", "的，只计这一情形）"),
            "<w:tc>" + p("本年新", "<w:r><w:br/><w:t>制作数量</w:t></w:r>") + "</w:tc>",
            tc("Total", "count"),
        )
    )
    assert cells(word(body)) == [
        ("（二）部分公开（区分处理的，只计这一情形）", "本年新制作数量", "Total count")
    ]


def test_nested_table_rows_follow_the_outer_row() -> None:
    inner = tbl(tr(tc("内"), tc("1")))
    body = tbl(
        tr("<w:tc>" + p("外") + inner + "</w:tc>", tc("2")),
        tr(tc("下"), tc("3")),
    ) + p("后")
    got = lines(word(body))
    assert [line.cells for line in got] == [("外", "2"), ("内", "1"), ("下", "3"), ("后",)]
    assert got[1].places[1] == Place(table=2, row=1, col=2)
    assert [line.number for line in got] == [1, 2, 3, 4]


# --- what Word prints, and nothing else ----------------------------------------------------------


def test_paragraph_breaks_start_lines_and_tabs_are_spaces() -> None:
    body = p("阜新市人民政府", "<w:r><w:br/></w:r>", "2025年报告") + p(
        "规章", "<w:r><w:tab/></w:r>", "3"
    )
    assert cells(word(body)) == [("阜新市人民政府",), ("2025年报告",), ("规章 3",)]


def test_hidden_runs_styles_and_rows_are_left_out() -> None:
    styles = (
        f'<w:styles xmlns:w="{W}"><w:style w:type="character" w:styleId="Hidden"><w:rPr><w:vanish/>'
        '</w:rPr></w:style><w:style w:type="character" w:styleId="Secret"><w:basedOn w:val="Hidden"/>'
        "</w:style></w:styles>"
    )
    body = p(
        "许可",
        '<w:del w:id="1"><w:r><w:delText>9</w:delText></w:r></w:del>',
        '<w:ins w:id="2"><w:r><w:t>1</w:t></w:r></w:ins>',
        "<w:r><w:rPr><w:vanish/></w:rPr><w:t>8</w:t></w:r>",
        '<w:r><w:rPr><w:vanish w:val="false"/></w:rPr><w:t>2</w:t></w:r>',
        '<w:r><w:rPr><w:rStyle w:val="Secret"/></w:rPr><w:t>7</w:t></w:r>',
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE 6</w:instrText></w:r>',
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
        "<mc:AlternateContent><mc:Choice><w:r><w:t>3</w:t></w:r></mc:Choice>"
        "<mc:Fallback><w:r><w:t>3</w:t></w:r></mc:Fallback></mc:AlternateContent>",
    ) + tbl(
        tr(tc("规章"), tc("4")),
        tr(tc("规章"), tc("5"), props="<w:hidden/>"),
        tr(tc("规章"), tc("6"), props='<w:del w:id="3"/>'),
    )
    assert cells(word(body, styles)) == [("许可123",), ("规章", "4")]


def test_content_controls_and_text_boxes_are_read() -> None:
    box = f"<w:r><w:pict><w:txbxContent>{p('框内文字')}</w:txbxContent></w:pict></w:r>"
    body = (
        f"<w:sdt><w:sdtPr/><w:sdtContent>{p('控件文字')}</w:sdtContent></w:sdt>"
        + p("段落", box)
        + tbl(f"<w:sdt><w:sdtContent>{tr(tc('行'), tc('1'))}</w:sdtContent></w:sdt>")
    )
    assert cells(word(body)) == [("控件文字",), ("段落",), ("框内文字",), ("行", "1")]


# --- refusals: not Word, broken, hostile -------------------------------------------------------


def test_zip_bomb_is_refused_before_it_is_inflated() -> None:
    bomb = word(" " * 30_000_000)
    assert len(bomb) < 100_000
    with pytest.raises(NotAReport, match="压缩炸弹"):
        read_document("bomb.docx", bomb)


def test_a_member_lying_about_its_size_is_refused() -> None:
    data = bytearray(word(p("标题")))
    at = data.index(b"PK\x01\x02")  # central directory entry: uncompressed size at +24
    data[at + 24 : at + 28] = struct.pack("<I", 0x7FFF_FFFF)
    with pytest.raises(NotAReport, match="压缩炸弹"):
        read_document("liar.docx", bytes(data))


def test_too_many_members_is_refused() -> None:
    data = package(
        {"word/document.xml": "<x/>", **{f"m/{i}": "" for i in range(docx.MAX_MEMBERS + 1)}}
    )
    with pytest.raises(NotAReport, match="个文件"):
        read_document("many.docx", data)


def test_too_many_tables_is_refused() -> None:
    data = word(tbl(tr(tc("1"))) * (docx.MAX_TABLES + 1))
    with pytest.raises(NotAReport, match="表格"):
        read_document("tables.docx", data)


def test_corrupted_docx_names_the_library() -> None:
    good = FIXTURES[0].read_bytes()
    with pytest.raises(NotAReport, match="zipfile 无法读取此文件"):
        read_document("cut.docx", good[: len(good) // 2])
    broken = bytearray(good)
    info = zipfile.ZipFile(io.BytesIO(good)).getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    broken[start + 100 : start + 400] = bytes(300)  # the deflated XML damaged
    with pytest.raises(NotAReport, match="zipfile 无法读取此文件"):
        read_document("damaged.docx", bytes(broken))
    with pytest.raises(NotAReport, match="lxml 无法读取此文件"):
        read_document("bad.docx", package({"word/document.xml": "<w:document><w:body>"}))


def test_entities_are_not_expanded() -> None:
    doctype = '<!DOCTYPE w:document [<!ENTITY a "lol"><!ENTITY x SYSTEM "file:///etc/passwd">]>'
    document = f'<?xml version="1.0"?>{doctype}<w:document xmlns:w="{W}"><w:body>{p("A&a;B&x;")}</w:body></w:document>'
    got = cells(package({"word/document.xml": document}))
    assert "lol" not in str(got) and "root:" not in str(got)


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"xl/workbook.xml": "<workbook/>", "[Content_Types].xml": "<Types/>"}, "Excel"),
        ({"ppt/presentation.xml": "<p/>"}, "PowerPoint"),
        (
            {"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"},
            "OpenDocument 文本",
        ),
        ({"OFD.xml": "<ofd/>"}, "OFD"),
        ({"readme.txt": "hello"}, "压缩包"),
        ({"word/document.xml": "<html/>"}, "压缩包"),
    ],
    ids=["xlsx", "pptx", "odt", "ofd", "zip", "not-wordml"],
)
def test_other_zips_are_refused_clearly(files: dict[str, str], message: str) -> None:
    with pytest.raises(NotAReport, match=message) as err:
        read_document("r.docx", package(files))
    assert ".docx" in str(err.value)


def test_document_part_found_through_the_package_relationships() -> None:
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="/word/document2.xml"/></Relationships>'
    )
    document = f'<w:document xmlns:w="{W}"><w:body>{p("正文")}</w:body></w:document>'
    data = package({"_rels/.rels": rels, "word/document2.xml": document})
    assert cells(data) == [("正文",)]


# --- .doc and .wps ------------------------------------------------------------------------------


def test_doc_without_libreoffice_says_how_to_install_it(monkeypatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    with pytest.raises(NotReadHere) as err:
        read_document("r.doc", WORD_OLE)
    assert str(err.value) == docx.INSTALL_HINT
    assert "apt-get install libreoffice-writer-nogui" in str(err.value)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (OLE + "Workbook".encode("utf-16-le"), "Excel"),
        (OLE + "PowerPoint Document".encode("utf-16-le"), "PowerPoint"),
        (OLE + "EncryptedPackage".encode("utf-16-le"), "密码"),
        (OLE, "旧版 Office"),
    ],
    ids=["xls", "ppt", "encrypted", "other"],
)
def test_other_ole_files_are_refused_without_libreoffice(
    monkeypatch, data: bytes, message: str
) -> None:
    monkeypatch.setattr(docx, "run_converter", lambda *a: pytest.fail("converted"))
    with pytest.raises(NotAReport, match=message) as err:
        read_document("r.doc", data)
    assert not isinstance(err.value, NotReadHere)


def test_libreoffice_timeout_kills_its_process_group(monkeypatch, tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    fake = tmp_path / "soffice"
    fake.write_text(f"#!/bin/sh\nsleep 300 &\necho $! > {pids}\necho $$ >> {pids}\nwait\n")
    fake.chmod(0o755)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(docx, "soffice_path", lambda: str(fake))
    monkeypatch.setattr(docx, "SOFFICE_TIMEOUT", 2.0)
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    with pytest.raises(NotReadHere, match="已终止"):
        read_document("r.doc", WORD_OLE)
    started = [int(x) for x in pids.read_text().split()]
    assert len(started) == 2  # the launcher and the child it started
    for _ in range(500):  # SIGKILL is delivered at once; give the kernel a moment to reap
        if not any(alive(pid) for pid in started):
            break
        os.sched_yield()
        Path("/proc/self/stat").read_bytes()
    assert not any(alive(pid) for pid in started)
    assert list(scratch.iterdir()) == []  # the temporary folder is gone


def test_a_converter_that_writes_nothing_is_the_files_problem(monkeypatch, tmp_path: Path) -> None:
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\necho 'Error: source file could not be loaded' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setattr(docx, "soffice_path", lambda: str(fake))
    with pytest.raises(NotAReport, match="could not be loaded") as err:
        read_document("r.doc", WORD_OLE)
    assert not isinstance(err.value, NotReadHere)  # cached like any other refusal


def test_the_build_does_not_cache_a_missing_converter(monkeypatch, tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "r.doc").write_bytes(WORD_OLE)
    cache = tmp_path / "cache"
    monkeypatch.setattr(docx, "soffice_path", lambda: None)
    (first,), parsed = inputs.parse_all([reports / "r.doc"], tmp_path, cache)
    assert isinstance(first, inputs.Failure) and first.message == docx.INSTALL_HINT
    # LibreOffice installed since: the file is read this time
    monkeypatch.setattr(docx, "convert_doc", lambda data: FIXTURES[0].read_bytes())
    (second,), parsed = inputs.parse_all([reports / "r.doc"], tmp_path, cache)
    assert parsed == 1 and not isinstance(second, inputs.Failure)
    assert second.record.source.kind == "doc"


def test_libreoffice_fetches_nothing_a_document_links_to(soffice: str, tmp_path: Path) -> None:
    """A .doc linking an image on a web server: the converter's profile sends every request to a
    dead proxy (and blocks untrusted links), so the server hears nothing."""
    import http.server
    import threading

    heard: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            heard.append(self.command)
            self.send_response(404)
            self.end_headers()

        do_HEAD = do_OPTIONS = do_PROPFIND = do_GET  # noqa: N815

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = tmp_path / "linked.html"
        url = f"http://127.0.0.1:{server.server_port}/seal.png"
        page.write_text(
            f'<html><body><p>链接县科学技术局2023年政府信息公开工作年度报告</p><img src="{url}"></body></html>',
            encoding="utf-8",
        )
        profile = (tmp_path / "profile").as_uri()
        command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to"]
        docx.run_converter([*command, "doc:MS Word 97", "--outdir", str(tmp_path), str(page)], 120)
        doc = (tmp_path / "linked.doc").read_bytes()
        assert url.encode("utf-16-le") in doc or url.encode() in doc  # the .doc links the image
        heard.clear()
        got = cells(docx.convert_doc(doc))
        assert got[0] == ("链接县科学技术局2023年政府信息公开工作年度报告",)
        assert heard == []
    finally:
        server.shutdown()


def test_rtf_is_read_through_libreoffice(soffice: str, tmp_path: Path) -> None:
    """RTF (often published as .doc) converts like a .doc and reads as the .docx it came from."""
    path = HERE / "fixtures" / "binary" / "tiemenguan_2020_f2019.docx"
    profile = (tmp_path / "profile").as_uri()
    command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "rtf"]
    docx.run_converter([*command, "--outdir", str(tmp_path), str(path)], 120)
    rtf = (tmp_path / path.name).with_suffix(".rtf").read_bytes()
    assert rtf.startswith(b"{\\rtf")
    record, original = read_report("r.doc", rtf), read_report(path)
    assert record.source is not None and record.source.kind == "rtf"
    for table in ("table2", "table3", "table4"):
        assert getattr(record, table) == getattr(original, table)


# --- accuracy on a synthetic Word corpus --------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, soffice: str) -> tuple[Path, list[dict]]:
    import corpus_docx
    from corpus_binary import sources

    out = tmp_path_factory.mktemp("word")
    # 20 .docx; every 7th also .doc (3), the first .doc also as .wps; no LibreOffice PDFs
    made = corpus_docx.make(out, list(sources(20, 4)), 4, doc_every=7, pdf_every=1)
    return out, made


def test_corpus_no_wrong_number_and_98_percent_recovered(corpus) -> None:
    folder, truths = corpus
    kinds = sorted(t["kind"] for t in truths)
    assert (kinds.count("docx"), kinds.count("doc"), kinds.count("wps")) == (20, 3, 1)
    wrong, printed, recovered = [], 0, 0
    tables: dict[str, dict] = {}
    for t in truths:
        record = read_report(folder / t["file"])
        assert record.source is not None
        assert record.source.kind == ("docx" if t["kind"] == "docx" else "doc")
        assert (record.agency, record.year, record.format) == (
            t["agency"],
            t["year"],
            t["format"],
        ), t["file"]
        w, n, r = score(record, t)
        wrong += [(t["file"], *x) for x in w]
        printed += n
        recovered += r
        tables[t["file"]] = {k: getattr(record, k) for k in ("table2", "table3", "table4")}
    assert wrong == []
    share = recovered / printed
    print(f"\nWord corpus: {recovered}/{printed} printed cells recovered ({share:.2%}), 0 wrong")
    assert share >= 0.98, f"{recovered}/{printed}"
    # LibreOffice's .doc (and the .wps copy) read exactly as the .docx it was made from
    for t in truths:
        if t["kind"] != "docx":
            assert tables[t["file"]] == tables[t["file"].rsplit(".", 1)[0] + ".docx"], t["file"]
