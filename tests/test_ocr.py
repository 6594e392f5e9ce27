"""Scans read by OCR: only digits the table's own arithmetic confirms are published.

The accuracy test generates a small scan corpus with Chromium (scripts/corpus_scan.py) and
OCRs it (~2 s of CPU per page): every published cell must equal the truth, and most of
the printed cells must be recovered.
"""

from __future__ import annotations

import io
import json
import shutil
import sys
from pathlib import Path

import pytest

from gongkai import layout
from gongkai.ingest import ocr
from gongkai.ingest.read import read_document
from gongkai.model import Document, Line, NotAReport, Place, Source
from gongkai.parse.document import parse_document
from gongkai.parse.ocr_confirm import TABLE2_CONFIDENCE
from gongkai.report import read_report

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "binary" / "fuxin_2025_f2021.page3.jpg"
TABLES = ("table2", "table3", "table4")


def _score(record, truth: dict) -> tuple[int, int, list[str]]:
    """(printed cells, recovered cells, wrong cells) against a truth line."""
    printed, right, wrong = 0, 0, []
    for name in TABLES:
        for row, cols in truth[name].items():
            for col, want in cols.items():
                if want is None or col.endswith("_unit"):
                    continue
                printed += 1
                got = getattr(record, name).get(row, {}).get(col)
                if got == want:
                    right += 1
                elif got is not None:
                    wrong.append(f"{name}.{row}.{col}: {got} (truth {want})")
    return printed, right, wrong


def test_fixture_page_publishes_only_true_numbers():
    truth = json.loads(FIXTURE.with_name(FIXTURE.name + ".truth.json").read_text("utf-8"))
    record = read_report(FIXTURE)
    assert record.source is not None and record.source.kind == "ocr"
    published = 0
    for row, cols in record.table3.items():
        for col, value in cols.items():
            if value is not None:
                published += 1
                assert value == truth["table3"][row][col], (row, col)
                assert record.reading[f"table3.{row}.{col}"] == "ocr-confirmed"
                place = record.places[f"table3.{row}.{col}"]
                assert place["page"] == 1 and 0 < place["confidence"] <= 1
    assert published >= 150  # of 175 printed
    if published < 175:  # whatever was not confirmed is said so, never published
        assert any(
            p.rule == "READ" and ("勾稽关系证实" in p.message or "没有识别出数字" in p.message)
            for p in record.problems
        )


@pytest.fixture(scope="module")
def scan_corpus(tmp_path_factory):
    if shutil.which("chromium") is None:
        pytest.skip("the scan corpus is printed by Chromium")
    sys.path.insert(0, str(ROOT / "scripts"))
    from make_binary_corpus import write_binary_corpus

    out = tmp_path_factory.mktemp("scans")
    lines = write_binary_corpus(out, 8, 3, ("scan",))
    return out, lines


def test_scan_corpus_accuracy(scan_corpus):
    """Every kind of scan (image PDF, page folder, TIFF, 长图 JPG): 0 wrong numbers, and
    at least 90 % of the printed cells recovered (the share is printed)."""
    folder, truths = scan_corpus
    printed = right = 0
    wrong: list[str] = []
    for truth in truths:
        path = folder / truth["file"]
        if truth["kind"] == "scan-pdf":
            lines = ocr.ocr_pdf(path.read_bytes())
            doc = Document(Source(str(path), "-", "ocr", "PDF", 0), tuple(lines))
        elif truth["kind"] == "pages":
            doc = ocr.read_folder(path)
        else:
            doc = read_document(path)
        from gongkai.check import checked

        record = checked(parse_document(doc))
        assert (record.agency, record.year, record.format) == (
            truth["agency"],
            truth["year"],
            truth["format"],
        )
        p, r, w = _score(record, truth)
        printed, right = printed + p, right + r
        wrong += [f"{truth['file']} {x}" for x in w]
    share = right / printed
    print(
        f"\nOCR scan corpus: {right}/{printed} printed cells recovered ({share:.1%}), wrong {len(wrong)}"
    )
    assert wrong == []
    assert share >= 0.90


def _png(img) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def test_image_that_is_not_a_report_is_refused(tmp_path):
    from PIL import Image, ImageDraw

    img = Image.new("L", (800, 600), 255)
    ImageDraw.Draw(img).text((40, 40), "HOLIDAY PHOTO 2023", fill=0)
    path = tmp_path / "photo.png"
    path.write_bytes(_png(img))
    with pytest.raises(NotAReport, match="不是政府信息公开工作年度报告|没有识别出文字"):
        read_report(path)
    blank = tmp_path / "blank.png"
    blank.write_bytes(_png(Image.new("L", (600, 800), 255)))
    with pytest.raises(NotAReport, match="没有识别出文字"):
        read_report(blank)


def test_huge_image_is_refused_before_it_is_decoded(tmp_path):
    from PIL import Image

    path = tmp_path / "huge.png"
    path.write_bytes(_png(Image.new("1", (8000, 8000), 1)))  # 64 MP, a few KB
    with pytest.raises(NotAReport, match="百万像素"):
        read_report(path)


def test_corrupted_image_names_the_library(tmp_path):
    data = FIXTURE.read_bytes()
    path = tmp_path / "broken.jpg"
    path.write_bytes(data[:2000])  # cut short
    with pytest.raises(NotAReport, match=r"^Pillow（JPEG 图片） 无法读取此文件（"):
        read_report(path)


def test_a_folder_of_page_images_is_one_report(tmp_path):
    folder = tmp_path / "report.pages"
    folder.mkdir()
    shutil.copy(FIXTURE, folder / "page-001.jpg")
    assert ocr.folder_pages(folder) == [folder / "page-001.jpg"]
    doc = ocr.read_folder(folder)
    assert doc.source.kind == "ocr" and doc.source.encoding == "images"
    (folder / "notes.txt").write_text("x")
    assert ocr.folder_pages(folder) == []  # not only images: not one report


def test_long_image_is_cut_into_pages():
    from PIL import Image

    page = Image.open(FIXTURE).convert("L")
    long = Image.new("L", (page.width, page.height * 3), 240)
    for i in range(3):
        long.paste(page, (0, i * page.height))
    pieces = ocr.cut_long(long)
    assert len(pieces) == 3
    assert all(p.height <= ocr.PAGE_RATIO * p.width for p in pieces)
    assert sum(p.height for p in pieces) == long.height


# --- confirmation on hand-made lines -------------------------------------------------------

_F2021_T3 = [r.key for r in layout.TABLE3_ROWS["F2021"]]


def _row(number: int, label: str, values: list[int | None], conf: float = 0.99) -> Line:
    cells = [label, *("" if v is None else str(v) for v in values)]
    places = [
        None,
        *(None if v is None else Place(page=1, box=(0, 0, 1, 1), confidence=conf) for v in values),
    ]
    return Line(number, tuple(cells), True, tuple(places))


def _document(t3: dict[str, list[int]], t2_conf: float = 0.99) -> Document:
    lines = [
        Line(1, ("某某县人民政府2023年政府信息公开工作年度报告",)),
        Line(2, ("二、主动公开政府信息情况",)),
        Line(3, ("第二十条第（一）项",)),
        Line(4, ("信息内容 本年制发件数 本年废止件数 现行有效件数",)),
        _row(5, "规章", [0, 0, 3], t2_conf),
        _row(6, "行政规范性文件", [2, 1, 40]),
        Line(7, ("三、收到和处理政府信息公开申请情况",)),
        Line(8, ("申请人情况",)),
    ]
    labels = {r.key: r.label for r in layout.TABLE3_ROWS["F2021"]}
    for i, key in enumerate(_F2021_T3):
        lines.append(_row(10 + i, labels[key], t3.get(key, [0] * 7)))
    return Document(Source("scan.png", "-", "ocr", "PNG", 0), tuple(lines))


def _table3(**rows: list[int]) -> dict[str, list[int]]:
    base = {
        "new_received": [5, 1, 0, 0, 0, 0, 6],
        "granted": [3, 1, 0, 0, 0, 0, 4],
        "unable.not_held": [2, 0, 0, 0, 0, 0, 2],
        "total_processed": [5, 1, 0, 0, 0, 0, 6],
    }
    return {**base, **{k.replace("__", "."): v for k, v in rows.items()}}


def test_confirmed_table_is_published_as_ocr_confirmed():
    record = parse_document(_document(_table3()))
    assert record.table3["new_received"] == dict(
        zip([c.key for c in layout.TABLE3_COLUMNS], [5, 1, 0, 0, 0, 0, 6], strict=True)
    )
    assert record.reading["table3.granted.total"] == "ocr-confirmed"
    assert record.table2["normative_docs"] == {"issued": 2, "repealed": 1, "valid": 40}
    assert record.reading["table2.normative_docs.valid"] == "ocr"


def test_misread_digit_breaking_a_row_total_leaves_that_row_null():
    # granted printed 3 1 0 0 0 0 4; the 3 misread as 8: its row and its column fail
    record = parse_document(_document(_table3(granted=[8, 1, 0, 0, 0, 0, 4])))
    assert all(v is None for v in record.table3["granted"].values())
    assert record.table3["new_received"]["natural_person"] == 5  # T3-A still holds
    problem = next(p for p in record.problems if "table3.granted.total" in p.cells)
    assert problem.rule == "READ" and "勾稽关系证实" in problem.message
    assert "table3.granted.natural_person" not in record.reading


def test_two_misreads_that_cancel_in_a_row_are_not_published():
    # 3 1 → 2 2: the row still adds up to 4, but both columns break
    record = parse_document(_document(_table3(granted=[2, 2, 0, 0, 0, 0, 4])))
    assert record.table3["granted"]["natural_person"] is None
    assert record.table3["granted"]["commercial"] is None
    # the row's own sum no longer vouches for anything; its 总计 (truly 4) is still
    # confirmed by its column (（七）总计 = the result rows)
    assert record.table3["granted"]["total"] == 4


def test_table2_low_confidence_box_is_null():
    record = parse_document(_document(_table3(), t2_conf=TABLE2_CONFIDENCE - 0.1))
    assert record.table2["regulations"] == {"issued": None, "repealed": None, "valid": None}
    assert record.table2["normative_docs"]["valid"] == 40
    assert any("表二" in p.message and "把握不足" in p.message for p in record.problems)


def test_build_reads_a_page_folder_as_one_input(tmp_path):
    from gongkai.build.inputs import find_inputs, parse_all

    reports = tmp_path / "reports"
    pages = reports / "scan.pages"
    pages.mkdir(parents=True)
    shutil.copy(FIXTURE, pages / "page-001.jpg")
    shutil.copy(FIXTURE, reports / "photo-1.jpg")  # an image on its own is an input too
    (reports / "other").mkdir()
    shutil.copy(FIXTURE, reports / "other" / "cover.jpg")  # not named in page order
    found = find_inputs(reports)
    assert found.reports == [reports / "other" / "cover.jpg", reports / "photo-1.jpg", pages]
    results, parsed = parse_all([pages], tmp_path, tmp_path / "cache")
    assert parsed == 1 and results[0].path == "reports/scan.pages"
    assert results[0].record.source.kind == "ocr"
    again, parsed = parse_all([pages], tmp_path, tmp_path / "cache")
    assert parsed == 0  # cached by the pages' digest
    assert ocr.is_page_folder(["1.png", "2.png", "3.png"])
    assert not ocr.is_page_folder(["1.png", "3.png"]) and not ocr.is_page_folder(["a.png"])


def test_unchanged_page_folder_is_neither_ocred_nor_read_again(tmp_path, monkeypatch):
    """The page-folder digest is remembered per page by its stamps, like any input file: an
    unchanged folder costs no OCR and no reading of its images; a page added or rewritten
    with other bytes is read again, a page rewritten with the same bytes is hashed again
    but not OCRed."""
    from gongkai import cache
    from gongkai.build.inputs import parse_all

    monkeypatch.setattr(cache, "RECENT_NS", 0)  # remember files however new they are
    pages = tmp_path / "reports" / "scan.pages"
    pages.mkdir(parents=True)
    shutil.copy(FIXTURE, pages / "page-001.jpg")
    ocr_calls: list[int] = []
    reads: list[str] = []
    real_page, real_read = ocr.ocr_page, Path.read_bytes

    def counted_page(img, page):
        ocr_calls.append(page)
        return real_page(img, page)

    def counted_read(self):
        if self.parent == pages:
            reads.append(self.name)
        return real_read(self)

    monkeypatch.setattr(ocr, "ocr_page", counted_page)
    monkeypatch.setattr(Path, "read_bytes", counted_read)
    cache_dir = tmp_path / "cache"

    def build() -> tuple[list, int]:
        ocr_calls.clear()
        reads.clear()
        return parse_all([pages], tmp_path, cache_dir)

    first, parsed = build()
    assert parsed == 1 and ocr_calls == [1]
    assert first[0].record is not None

    again, parsed = build()
    assert (parsed, ocr_calls, reads) == (0, [], [])
    assert again[0].record == first[0].record

    (pages / "page-001.jpg").write_bytes(FIXTURE.read_bytes())  # same bytes, new stamps
    _, parsed = build()
    assert (parsed, ocr_calls, reads) == (0, [], ["page-001.jpg"])  # hashed, not OCRed

    shutil.copy(FIXTURE, pages / "page-002.jpg")  # a page added
    _, parsed = build()
    assert parsed == 1 and ocr_calls == [1, 2]

    # a page's bytes changed (bytes after the JPEG's end: the same picture)
    (pages / "page-002.jpg").write_bytes(FIXTURE.read_bytes() + b"\0")
    _, parsed = build()
    assert parsed == 1 and ocr_calls == [1, 2]
    _, parsed = build()
    assert (parsed, ocr_calls, reads) == (0, [], [])
