"""PDF with a text layer → record (gongkai.ingest.pdf).

* the LibreOffice PDFs of tests/fixtures/binary (typed into Word as an agency office would):
  every published cell equals the truth, and every printed cell is recovered;
* a synthetic corpus printed by Chromium at test time in the four layouts (ruled, unruled,
  page frame ruled or not) with narrow wrapped labels, repeated headers, footers between
  rows, unmerged cells, （六） as one row, label typos and spaces: not one wrong number, and
  at least 98 % of the printed cells recovered;
* what is not a readable PDF is refused with a reason: no text layer (a scan), a broken
  file (pypdfium2's own message), too many pages, a garbage text layer.
"""

from __future__ import annotations

import io
import json
import sys
import time
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from gongkai.ingest import pdf as pdf_reader
from gongkai.ingest.read import read_document
from gongkai.model import NotAReport
from gongkai.report import read_report

sys.path.insert(0, str(Path(__file__).resolve().parent / "hostile"))
from make_hostile import pdf_file  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures" / "binary"
PDFS = sorted(FIXTURES.glob("*.pdf"))
TABLES = ("table2", "table3", "table4")


def score(truth: dict, record) -> tuple[list[tuple[str, object, object]], int, int]:
    """(wrong cells, printed cells, recovered cells) of a record against its truth."""
    wrong, printed, recovered = [], 0, 0
    for table in TABLES:
        for row, cells in truth[table].items():
            for col, true in cells.items():
                if col == "procurement_amount_unit":
                    continue
                got = getattr(record, table).get(row, {}).get(col)
                if got is not None and got != true:
                    wrong.append((f"{table}.{row}.{col}", true, got))
                if true is not None:
                    printed += 1
                    recovered += got == true
    return wrong, printed, recovered


# --- the LibreOffice fixtures -------------------------------------------------------------


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_fixture_pdf_matches_truth(path: Path) -> None:
    truth = json.loads(Path(f"{path}.truth.json").read_text(encoding="utf-8"))
    record = read_report(path)
    assert (record.agency, record.year, record.format) == (
        truth["agency"],
        truth["year"],
        truth["format"],
    )
    wrong, printed, recovered = score(truth, record)
    assert wrong == []
    # every printed cell is read (fuxin 200, fuzhou 179, tiemenguan 198: 577 cells)
    assert recovered == printed, f"{recovered}/{printed}"
    # the report's arithmetic errors are the generator's (none here), not the reader's
    rules = {p.rule for p in record.problems} & {"T3-A", "T3-B", "T3-C", "T4-A", "T4-B", "T4-C"}
    assert rules == set(truth["errors"])
    assert record.source is not None and record.source.kind == "pdf"


def test_fixture_pdf_cells_have_places() -> None:
    record = read_report(FIXTURES / "fuxin_2025_f2021.pdf")
    assert record.places.keys() == record.lines.keys()
    place = record.places["table3.new_received.total"]
    assert place["page"] == 3  # 表三 on its own page (the fixture's t3_new_page)
    x0, top, x1, bottom = place["box"]
    assert 0 < x0 < x1 < 596 and 0 < top < bottom < 842
    # the table rows keep their cells' places, aligned with the cells
    doc = read_document(FIXTURES / "fuxin_2025_f2021.pdf")
    numbers = [line.number for line in doc.lines]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    for line in doc.lines:
        assert not line.places or len(line.places) == len(line.cells)


def test_fixture_pdf_narrative_reads_whole() -> None:
    record = read_report(FIXTURES / "fuzhou_police_2023_f2021.pdf")
    # the title wraps over two lines in the PDF ("…工作年度" / "报告"): joined again
    assert record.title == "福州市公安局2023年政府信息公开工作年度报告"
    assert set(record.sections) >= {"s1_overview", "s4_review_lit", "s5_problems", "s6_other"}
    assert "统计期限自2023年1月1日起至2023年12月31日止" in record.sections["preamble"]


# --- the synthetic corpus -----------------------------------------------------------------

SEED, COUNT = 4, 16  # seed 4: every layout with narrow, thead and footer; unmerged; both formats


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, list[dict]]:
    from make_binary_corpus import write_binary_corpus

    out = tmp_path_factory.mktemp("pdf-corpus")
    return out, write_binary_corpus(out, COUNT, SEED, ("pdf",))


def test_synthetic_pdfs_no_wrong_number_and_98_percent(corpus) -> None:
    folder, truths = corpus
    assert {t["layout"] for t in truths} == {"ruled", "unruled", "frame-ruled", "frame-unruled"}
    options = {o for t in truths for o in t["layout_options"]}
    assert options >= {"narrow", "thead", "footer", "unmerged", "collapse_other", "typos", "spaced"}
    wrong: list = []
    per_layout: dict[str, list[int]] = {}
    cpu = time.process_time()
    for truth in truths:
        record = read_report(folder / truth["file"])
        bad, printed, recovered = score(truth, record)
        wrong += [(truth["file"], *w) for w in bad]
        counts = per_layout.setdefault(truth["layout"], [0, 0])
        counts[0] += printed
        counts[1] += recovered
        assert (record.agency, record.year, record.format) == (
            truth["agency"],
            truth["year"],
            truth["format"],
        ), truth["file"]
    cpu = time.process_time() - cpu
    printed = sum(c[0] for c in per_layout.values())
    recovered = sum(c[1] for c in per_layout.values())
    summary = ", ".join(
        f"{layout} {r}/{p} ({r / p:.2%})" for layout, (p, r) in sorted(per_layout.items())
    )
    print(
        f"\nPDF corpus: {recovered}/{printed} printed cells recovered "
        f"({recovered / printed:.2%}); {summary}; {len(truths)} files in {cpu:.2f} s CPU"
    )
    assert wrong == []
    assert recovered / printed >= 0.98, summary


def test_numbers_wrapped_in_narrow_cells_are_never_read(tmp_path) -> None:
    """Numbers too wide for their cells wrap ("1234" over "56", "98,76" over "5,432"): each
    part looks like a number. None may be published; the cells are left empty."""
    import random
    import tempfile

    import corpus_pdf
    from browser_support import chromium
    from corpus_binary import sources

    srcs = list(sources(8, 9))
    rng = random.Random(5)
    big = (0, 7, 12345, 1234567, 98765432)
    for src in srcs:
        for cols in src.truth["table4"].values():
            for c in cols:
                cols[c] = None if cols[c] is None else rng.choice(big)
        for cols in src.truth["table3"].values():
            for c in cols:
                if cols[c] is not None and rng.random() < 0.3:
                    cols[c] = rng.choice((123456, 9876543, 55))
    with tempfile.TemporaryDirectory() as tmp, chromium(Path(tmp) / "profile") as ctx:
        truths = corpus_pdf.make(tmp_path, srcs, 9, ctx.new_page())
    wrong, recovered, printed = [], 0, 0
    for truth in truths:
        bad, p, r = score(truth, read_report(tmp_path / truth["file"]))
        wrong += bad
        printed, recovered = printed + p, recovered + r
    assert wrong == []
    assert recovered / printed > 0.7  # the rest of each table is still read


# --- refusals -----------------------------------------------------------------------------


def _saved(doc: pdfium.PdfDocument) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def scanned_pdf() -> bytes:
    """The 表三 page of a fixture as an image only: what a scanner makes."""
    source = pdfium.PdfDocument(FIXTURES / "fuxin_2025_f2021.pdf")
    page = source[2]
    width, height = page.get_size()
    doc = pdfium.PdfDocument.new()
    new = doc.new_page(width, height)
    image = pdfium.PdfImage.new(doc)
    image.set_bitmap(page.render(scale=1))
    image.set_matrix(pdfium.PdfMatrix().scale(width, height))
    new.insert_obj(image)
    new.gen_content()
    return _saved(doc)


def test_scanned_pdf_is_read_by_ocr() -> None:
    """A PDF of page images goes to OCR: only digits the table's arithmetic confirms are
    published, and each is one the page printed."""
    record = read_report("scan.pdf", scanned_pdf())
    assert record.source is not None and record.source.kind == "ocr"
    truth = json.loads((FIXTURES / "fuxin_2025_f2021.pdf.truth.json").read_text("utf-8"))
    published = 0
    for row, cells in record.table3.items():
        for col, value in cells.items():
            if value is not None:
                published += 1
                assert value == truth["table3"][row][col], (row, col)
                assert record.reading[f"table3.{row}.{col}"] == "ocr-confirmed"
    assert published > 100  # the page's 表三 is read, not refused


def test_empty_pdf_is_refused_clearly() -> None:
    doc = pdfium.PdfDocument.new()
    doc.new_page(595, 842)
    with pytest.raises(NotAReport, match="不是政府信息公开工作年度报告"):  # OCR finds nothing
        read_report("blank.pdf", _saved(doc))


@pytest.mark.parametrize("share", [0.02, 0.5, 0.9, 0.999])
def test_truncated_pdf_is_the_files_problem(share: float) -> None:
    data = (FIXTURES / "fuxin_2025_f2021.pdf").read_bytes()
    with pytest.raises(NotAReport) as err:
        read_report("cut.pdf", data[: int(len(data) * share)])
    assert "pypdfium2 无法读取此文件" in str(err.value)  # the library's message, quoted


def test_page_cap() -> None:
    doc = pdfium.PdfDocument.new()
    for _ in range(pdf_reader.MAX_PAGES + 1):
        doc.new_page(595, 842)
    with pytest.raises(NotAReport, match=f"超过 {pdf_reader.MAX_PAGES} 页"):
        read_report("long.pdf", _saved(doc))


def test_garbage_text_layer_rule() -> None:
    # a font without a text encoding gives private-use or replacement characters
    assert not pdf_reader._readable("\ue012") and not pdf_reader._readable("\ufffd")
    assert pdf_reader._readable("政") and pdf_reader._readable("7") and pdf_reader._readable("（")


# --- geometry on hand-made pages ---------------------------------------------------------


def text_pdf(lines: list[tuple[float, float, str]], rotate: int = 0, pages: int = 1) -> bytes:
    """A PDF printing ASCII (or Latin-1) lines (x, y, text) in Helvetica on each page. With
    ``rotate`` 90 the page is shown turned clockwise and the text is drawn turned back, so
    it reads upright."""
    ops = []
    for x, y, text in lines:
        # turned: the page's left edge is shown at the top, so a line lower on the shown
        # page lies further right on the unturned one
        matrix = f"0 1 -1 0 {842 - y} {x}" if rotate == 90 else f"1 0 0 1 {x} {y}"
        ops.append(f"BT /F1 11 Tf {matrix} Tm ({text}) Tj ET")
    stream = "\n".join(ops).encode("latin-1")
    box = "[0 0 842 595]" if rotate == 90 else "[0 0 595 842]"
    kids = " ".join(f"{5 + i} 0 R" for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for _ in range(pages):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox {box} /Rotate {rotate} /Contents 3 0 R "
            "/Resources << /Font << /F1 4 0 R >> >> >>".encode()
        )
    return pdf_file(objects)


LINES = [
    (60, 780, "Annual report on open government information of the county"),
    (60, 760, "First part of the narrative runs here and on"),
    (60, 700, "Second paragraph"),
]


@pytest.mark.parametrize("rotate", [0, 90])
def test_lines_in_reading_order_on_turned_pages(rotate: int) -> None:
    lines = pdf_reader.pdf_lines(text_pdf(LINES, rotate))
    texts = [line.cells[0] for line in lines]
    assert texts[0].startswith("Annual report on open government")
    assert texts[-1] == "Second paragraph"
    assert all(not line.table for line in lines)


def test_footer_between_rows_is_dropped() -> None:
    rows = [(60, 780 - 16 * i, f"Row label number {i} of the table") for i in range(3)]
    lines = pdf_reader.pdf_lines(text_pdf([*rows, (280, 40, "- 3 -")]))
    assert not any("3 -" in line.text for line in lines)


def test_running_header_is_dropped() -> None:
    body = [(60, 700 - 16 * i, f"Body line number {i} of the page text") for i in range(3)]
    lines = pdf_reader.pdf_lines(text_pdf([(200, 815, "County Gazette No. 7"), *body], pages=3))
    text = " ".join(line.text for line in lines)
    assert "Gazette" not in text
    assert text.count("Body line number 0 of") == 3


def test_latin1_mojibake_is_refused_as_garbage() -> None:
    # a Chinese font without a text encoding read as Latin-1 letters
    garbage = [
        (60, 780 - 16 * i, "\xb8\xf1\xca\xbd\xd5\xfe\xb8\xae\xd0\xc5\xcf\xa2" * 3) for i in range(5)
    ]
    with pytest.raises(pdf_reader.NoTextLayer, match="文字层无法识别"):
        pdf_reader.pdf_lines(text_pdf(garbage))  # handed to OCR by the reader


def test_lone_number_under_a_row_is_not_a_page_number() -> None:
    # a table's last row near the page bottom with a wrapped number's second part under it
    rows = [(60, 120 + 16 * i, f"Row label number {i} of the table") for i in range(3)]
    near = [(60, 90, "Row label 3"), (300, 90, "7"), (300, 78, "12")]
    lines = pdf_reader.pdf_lines(text_pdf([*rows, *near, (280, 30, "4")]))
    text = " ".join(line.text for line in lines)
    assert "12" in text.split() and "4" not in text.split()  # the page number is dropped


def test_placed_rows_are_not_re_read_as_six_applicants() -> None:
    """format.md §8 D1 reads a text row of six numbers as the six applicants when other rows
    leave 总计 blank; a PDF row's numbers were placed by position, so it is left alone."""
    from gongkai.model import Line, Place
    from gongkai.parse.tables import find_rows, read_table3

    at = Place(page=1, box=(0.0, 0.0, 1.0, 1.0))
    rows = [
        ("申请人情况",),
        ("一、本年新收政府信息公开申请数量", "1", "0", "0", "0", "0", "0", ""),
        ("二、上年结转政府信息公开申请数量", "0", "0", "0", "0", "0", "2"),  # 6 numbers
    ]
    lines = tuple(
        Line(i + 1, r, True, tuple(at if c else None for c in r)) for i, r in enumerate(rows)
    )
    out = read_table3(find_rows(lines).t3, "F2021")
    assert out.table["new_received"]["natural_person"] == 1  # placed, 总计 blank
    assert all(v is None for v in out.table.get("carried_over", {}).values())  # not guessed
    assert out.places["table3.new_received.natural_person"] == at
    # the same rows as text (no places): D1 applies, as before
    text = tuple(Line(line.number, line.cells, True) for line in lines)
    assert read_table3(find_rows(text).t3, "F2021").table["carried_over"]["natural_person"] == 0
