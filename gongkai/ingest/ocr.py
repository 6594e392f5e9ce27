"""Scans → lines: page images read by OCR (RapidOCR, PP-OCR models shipped in its wheel).

Inputs: a PNG/JPEG/TIFF file (every frame of a multi-page TIFF is a page; a 长图, one image
of several pages stacked, is cut into page-high pieces at the emptiest row of pixels), a
PDF of page images (:func:`ocr_pdf`, called by the PDF reader when a PDF has no text
layer), and a folder of page images (:func:`read_folder`, one report, the files in name
order).

Each page is scaled so its short side is :data:`SHORT_SIDE` px (chosen by measurement,
scripts/BINARY_CORPUS.md), the text boxes are found and read, and the boxes become
:class:`Line` s:

* the page's tilt is measured from the long text boxes and taken out of the box positions;
* boxes holding a number (digits only, no leading zero, at most one decimal point) are
  clustered into rows by vertical position; a row's *label* is the text to the left of its
  first number, and its cells are the numbers, placed in the columns of its table block
  (consecutive number rows not separated by a header line across the number columns); a
  column the row does not fill is an empty cell (null, never 0), and a box that is not a
  clean number, or straddles two columns, is left empty too;
* every other text box is grouped into lines of text, each a one-cell :class:`Line`, so
  the title, the section headings and the narrative parse as they do for text.

A number cell carries its :class:`Place` (page, box in pixels of the page image as given,
the engine's confidence). Nothing here decides whether a digit is right: the parser keeps
an OCR digit only where the table's own arithmetic confirms it
(:mod:`gongkai.parse.ocr_confirm`).

What the outside libraries (Pillow, pypdfium2, RapidOCR/onnxruntime) raise on a file is the
file's "cannot be read" entry (:func:`gongkai.ingest.boundary.outside_reader`).
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import re
import statistics
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gongkai.ingest.boundary import outside_reader
from gongkai.model import Document, Line, NotAReport, Place, Source

if TYPE_CHECKING:
    from PIL.Image import Image

MAX_PAGES = 30  # a report is 3–15 pages; a longer scan is not read
MAX_PAGE_PIXELS = 25_000_000  # per page (A4 at 600 dpi is 35 MP; real scans are 150–300 dpi)
MAX_IMAGE_PIXELS = MAX_PAGES * MAX_PAGE_PIXELS  # a 长图 is cut into pages first
# Wall seconds one page may take (a dense table page takes ~2 s of CPU); checked after each
# page: onnxruntime cannot be interrupted, so a page past it ends the file's reading.
PAGE_TIMEOUT = 120.0
# px a page's short side is scaled to (~100 dpi for A4). Measured on a scan corpus
# (BINARY_CORPUS.md): 800 reads more cells than 736 or 900 and detects faster than 900.
SHORT_SIDE = 800
PAGE_RATIO = 1.6  # an image taller than this × its width holds several pages (A4: 1.414)
CUT_RATIO = 1.414  # a 长图 is cut every A4 page height, at the emptiest row near it
REREAD_CONFIDENCE = 0.5  # the most a box read again as digits only may claim
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")

_ENGINE: Any = None
# The engine's settings (measured choices: BINARY_CORPUS.md). scripts/bench_ocr.py varies
# them; the parser's cache version covers this module, so a change re-reads every scan.
ENGINE_OPTIONS: dict[str, Any] = {
    "use_cls": False,  # no 180° classifier: scans are upright
    # most boxes are 1–4 digits: a narrow recogniser input (a box is padded to this width;
    # a lone 0 misread as o at this width is read again as digits only, _read_digits)
    "rec_img_shape": [3, 48, 96],
    # one box per recogniser run: a batch is padded to its widest box, and onnxruntime on
    # one thread costs per pixel several times more in a batch of wide lines (6 × 1920 px:
    # 247 µs/px vs 36 alone) — 25 % less CPU a page than the default batch of 6
    "rec_batch_num": 1,
    "intra_op_num_threads": 1,  # one page per core
    "inter_op_num_threads": 1,
    "print_verbose": False,
    # every box is kept, however unsure the recogniser: the table's arithmetic decides
    # which digits are published (a dropped box only loses a cell)
    "text_score": 0.0,
}


def engine() -> Any:
    """The process's one RapidOCR engine, made on first use with :data:`ENGINE_OPTIONS`."""
    global _ENGINE
    if _ENGINE is None:
        from rapidocr_onnxruntime import RapidOCR

        with outside_reader("RapidOCR"):
            _ENGINE = RapidOCR(**ENGINE_OPTIONS)
    return _ENGINE


# --- text boxes -------------------------------------------------------------------------

_NUMBER = re.compile(r"(?:0|[1-9]\d*)(?:\.\d+)?")
# What a number cell may be misread as: digits and the letters and marks they are confused
# with. A box of only these is a number cell, read or not.
_NUMBERISH = re.compile(r"[\dOoIl|.,，。·:：'`_\-—–－]+")
_FOOTER = re.compile(r"[-—–－]+\s*\d{1,3}\s*[-—–－]+")


@dataclass
class Box:
    text: str
    score: float
    page: int
    bbox: tuple[float, float, float, float]  # x0, top, x1, bottom on the page as given
    x0: float = 0.0  # deskewed, in working pixels
    x1: float = 0.0
    y0: float = 0.0
    y1: float = 0.0

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def yc(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def h(self) -> float:
        return self.y1 - self.y0

    @property
    def number(self) -> bool:
        return _NUMBER.fullmatch(self.text) is not None

    @property
    def numberish(self) -> bool:
        return _NUMBERISH.fullmatch(self.text) is not None


def _clean(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _tilt(quads: list[Any]) -> float:
    """The page's tilt (radians, y down) from the top edges of the long text boxes."""
    angles = []
    for q in quads:
        (x0, y0), (x1, y1) = q[0], q[1]
        width, height = math.hypot(x1 - x0, y1 - y0), math.hypot(q[3][0] - x0, q[3][1] - y0)
        if width > 4 * height and x1 > x0:
            angles.append(math.atan2(y1 - y0, x1 - x0))
    return statistics.median(angles) if angles else 0.0


def _boxes(result: list[Any], page: int, scale: float) -> list[Box]:
    quads = [r[0] for r in result]
    a = _tilt(quads)
    cos, sin = math.cos(a), math.sin(a)
    out = []
    for quad, text, score in result:
        text = _clean(str(text))
        if not text:
            continue
        xs = [float(p[0]) for p in quad]
        ys = [float(p[1]) for p in quad]
        # rotate by -a: the rows become horizontal
        rx = [x * cos + y * sin for x, y in zip(xs, ys, strict=True)]
        ry = [-x * sin + y * cos for x, y in zip(xs, ys, strict=True)]
        x0, top, x1, bottom = (round(v / scale, 1) for v in (min(xs), min(ys), max(xs), max(ys)))
        out.append(
            Box(text, float(score), page, (x0, top, x1, bottom), min(rx), max(rx), min(ry), max(ry))
        )
    return out


# --- boxes → lines ------------------------------------------------------------------------


@dataclass
class _Row:
    boxes: list[Box]  # in x order
    label: list[Box]
    cells: list[Box]  # the number-like boxes after the label

    @property
    def top(self) -> float:
        return statistics.median(b.y0 for b in self.cells)

    @property
    def bottom(self) -> float:
        return statistics.median(b.y1 for b in self.cells)

    @property
    def yc(self) -> float:
        return (self.top + self.bottom) / 2


def _cluster_rows(boxes: list[Box], tolerance: float) -> list[list[Box]]:
    rows: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: b.yc):
        if rows and abs(box.yc - statistics.fmean(b.yc for b in rows[-1])) <= tolerance:
            rows[-1].append(box)
        else:
            rows.append([box])
    return [sorted(r, key=lambda b: b.x0) for r in rows]


def page_lines(boxes: list[Box], height: float, first_number: int) -> list[Line]:
    """The lines of one page, top to bottom, numbered from ``first_number``."""
    if not boxes:
        return []
    unit = statistics.median(b.h for b in boxes)  # one line of text
    numbers = [b for b in boxes if b.number and b.h < 1.8 * unit]
    rows: list[_Row] = []
    taken: set[int] = set()
    for group in _cluster_rows(numbers, unit * 0.5):
        band_top = statistics.median(b.y0 for b in group)
        band_bottom = statistics.median(b.y1 for b in group)
        members = [
            b
            for b in boxes
            if band_top <= b.yc <= band_bottom and b.h < 1.8 * unit and id(b) not in taken
        ]
        members.sort(key=lambda b: b.x0)
        # cells: the boxes after the last one that is text (label words)
        start = 0
        for i, b in enumerate(members):
            if not b.numberish:
                start = i + 1
        cells = members[start:]
        if not any(b.number for b in cells):
            continue  # a number inside a line of text: the line is narrative
        label = members[:start]
        if not label and len(cells) == 1 and _margin(cells[0], height):
            continue  # a page number
        taken.update(id(b) for b in members)
        rows.append(_Row(members, label, cells))
    text = [b for b in boxes if id(b) not in taken]
    items: list[tuple[float, list[Box] | _Row]] = [(r.yc, r) for r in rows]
    for group in _cluster_rows(text, unit * 0.5):
        if len(group) == 1 and _FOOTER.fullmatch(group[0].text):
            continue  # "— 3 —"
        items.append((statistics.fmean(b.yc for b in group), group))
    items.sort(key=lambda item: item[0])
    blocks = _blocks([i for _, i in items])
    out: list[Line] = []
    n = first_number
    right = max(b.x1 for b in boxes)
    left = min(b.x0 for b in boxes)
    paragraph: list[list[Box]] = []  # lines of text that run on (each reaching the right edge)

    def flush() -> None:
        nonlocal n
        if paragraph:
            out.append(Line(n, ("".join(_words(line) for line in paragraph),)))
            n += 1
            paragraph.clear()

    for _, item in items:
        if isinstance(item, _Row):
            flush()
            out.append(_row_line(item, blocks.columns[id(item)], n))
            n += 1
        elif id(item) not in blocks.fragments:
            if paragraph and not _runs_on(paragraph[-1], item, left):
                flush()  # a heading, a title (larger type), an indented first line
            paragraph.append(item)
            if item[-1].x1 < right - 2 * unit:
                flush()  # the line ends short of the right edge: the paragraph ends
    flush()
    return out


def _runs_on(previous: list[Box], line: list[Box], left: float) -> bool:
    """A line continues the paragraph above: same type size, starting at the left margin."""
    h0 = statistics.median(b.h for b in previous)
    h1 = statistics.median(b.h for b in line)
    return abs(h0 - h1) <= 0.2 * max(h0, h1) and line[0].x0 - left <= h1


def _words(line: list[Box]) -> str:
    """A line of text boxes: touching boxes joined, boxes apart (columns) with a space."""
    text = line[0].text
    for a, b in zip(line, line[1:], strict=False):
        gap = b.x0 - a.x1
        text += ("" if gap < 0.8 * min(a.h, b.h) else " ") + b.text
    return text


def _margin(box: Box, height: float) -> bool:
    return box.y0 < 0.06 * height or box.y1 > 0.94 * height


@dataclass
class _Blocks:
    columns: dict[int, list[float]]  # row → the column centres of its block
    fragments: set[int]  # text lines that are parts of a row's label


def _blocks(items: list[list[Box] | _Row]) -> _Blocks:
    """Table blocks: consecutive number rows, broken by a line of text that reaches into
    the number columns (a header row). A block's columns are its number boxes' centres;
    a block of one row (表四's) takes them from the column titles just above it when
    they account for every number. Lines of text between a block's rows and left of its
    numbers are the parts of wrapped labels: each joins the label of the nearest row."""
    out = _Blocks({}, set())
    block: list[_Row] = []
    texts: list[list[Box]] = []  # label fragments met in the current block
    header: list[list[Box]] = []  # the text lines just before the current block

    def close() -> None:
        if not block:
            return
        cells = [b for r in block for b in r.cells]
        centres = _columns(cells)
        above = [b for line in header[-4:] for b in line if b.x1 > cells[0].x0 - cells[0].h]
        if len(block) == 1 and above:
            titles = _columns(above)
            if len(titles) > len(centres) and all(
                min(abs(t - b.xc) for t in titles) <= b.h for b in cells
            ):
                centres = titles
        for r in block:
            out.columns[id(r)] = centres
        start = min(b.x0 for b in cells)
        last = block[-1].yc
        for line in texts:
            yc = statistics.fmean(b.yc for b in line)
            h = statistics.median(b.h for b in line)
            # between two rows, or the rest of the last row's label just under it
            if all(b.x1 <= start for b in line) and (yc < last or yc - last <= 1.5 * h):
                nearest = min(block, key=lambda r: abs(r.yc - yc))
                if abs(nearest.yc - yc) <= 2.5 * h:
                    nearest.label.extend(line)
                    out.fragments.add(id(line))
        block.clear()
        texts.clear()
        header.clear()

    for item in items:
        if isinstance(item, _Row):
            if block and item.cells[0].x0 > max(r.cells[-1].x1 for r in block):
                close()  # a row entirely right of the rows before: another table
            block.append(item)
            continue
        if block and any(b.x1 > min(r.cells[0].x0 for r in block) for b in item):
            close()  # text over the number columns: a header row, a new table
        if block:
            texts.append(item)
        else:
            header.append(item)
    close()
    return out


def _columns(cells: list[Box]) -> list[float]:
    """Column centres: the number boxes' centres clustered along x."""
    unit = statistics.median(b.h for b in cells)
    xs = sorted(b.xc for b in cells)
    groups: list[list[float]] = [[xs[0]]]
    for x in xs[1:]:
        if x - groups[-1][-1] > unit:
            groups.append([x])
        else:
            groups[-1].append(x)
    return [statistics.median(g) for g in groups]


def _label(boxes: list[Box]) -> str:
    """A label printed over several lines and label columns (a group heading such as
    （三）不予公开 left of the row's own words): columns left to right (boxes whose x
    ranges overlap), each top to bottom."""
    columns: list[list[Box]] = []
    for b in sorted(boxes, key=lambda b: b.x0):
        if columns and b.x0 < max(c.x1 for c in columns[-1]):
            columns[-1].append(b)
        else:
            columns.append([b])
    return " ".join(b.text for col in columns for b in sorted(col, key=lambda b: b.yc))


def _row_line(row: _Row, centres: list[float], number: int) -> Line:
    """A number row on its block's columns: the label, then one cell per column."""
    slots: list[Box | None] = [None] * len(centres)
    spoiled: set[int] = set()
    for b in row.cells:
        inside = [i for i, c in enumerate(centres) if b.x0 <= c <= b.x1]
        nearest = min(range(len(centres)), key=lambda i: abs(centres[i] - b.xc))
        if len(inside) > 1 or abs(centres[nearest] - b.xc) > b.h:
            spoiled.update(inside)  # straddles two columns, or lies between them
            continue
        if slots[nearest] is not None:
            spoiled.add(nearest)
        slots[nearest] = b
    cells: list[str] = []
    places: list[Place | None] = []
    if row.label:
        cells.append(_label(row.label))
        places.append(None)
    for i, slot in enumerate(slots):
        if slot is None or i in spoiled or not slot.number:
            cells.append("")  # nothing printed, or not a clean number: null
            places.append(None)
        else:
            cells.append(slot.text)
            places.append(Place(page=slot.page, box=slot.bbox, confidence=round(slot.score, 4)))
    return Line(number, tuple(cells), True, tuple(places))


# --- pages --------------------------------------------------------------------------------


def ocr_page(img: Image, page: int) -> tuple[list[Box], float]:
    """The text boxes of one page image (any mode, any size within the caps), and the
    page's height in working pixels."""
    import numpy as np
    from PIL import Image as PILImage

    with outside_reader("Pillow"):
        grey = img.convert("L")
        scale = min(1.0, SHORT_SIDE / min(grey.size))
        if scale < 1.0:
            size = (max(1, round(grey.width * scale)), max(1, round(grey.height * scale)))
            grey = grey.resize(size, PILImage.Resampling.LANCZOS)
        pixels = np.asarray(grey.convert("RGB"))
    ocr = engine()
    with outside_reader("RapidOCR"):
        result, _ = ocr(pixels, use_cls=False)
        result = [list(r) for r in result or []]
        # a lone 0 is often read as the letter o: such boxes are read again as digits only
        again = [r for r in result if _misread_number(_clean(str(r[1])))]
        for r, (text, score) in zip(
            again, _read_digits(ocr, pixels, [r[0] for r in again]), strict=True
        ):
            if _NUMBER.fullmatch(text):
                # misread once: never sure enough for 表二, which has no arithmetic
                r[1], r[2] = text, min(score, REREAD_CONFIDENCE)
    return _boxes(result, page, scale), float(grey.height)


_LOOKALIKE = re.compile(r"[\dOoIl|]*[OoIl|][\dOoIl|]*")


def _misread_number(text: str) -> bool:
    """A short box of digits and the letters they are mistaken for (o, O, l, I, |), with no
    sign or point that a digits-only reading would drop."""
    return len(text) <= 4 and _LOOKALIKE.fullmatch(text) is not None


def _read_digits(ocr: Any, pixels: Any, quads: list[Any]) -> list[tuple[str, float]]:
    """Read boxes again with the recogniser's output limited to the digits (CTC greedy
    decoding over the digits and the blank): what the engine read as o, O or l becomes
    the digit it most resembles. Only ever a candidate: the arithmetic decides."""
    import numpy as np

    if not quads:
        return []
    rec = ocr.text_rec
    chars = rec.postprocess_op.character  # index 0 is CTC's blank
    allowed = np.array([0] + [i for i, c in enumerate(chars) if c in "0123456789"])
    crops = ocr.get_crop_img_list(pixels, [np.array(q, dtype=np.float32) for q in quads])
    _, height, width = rec.rec_image_shape
    out = []
    for crop in crops:
        ratio = max(width / height, crop.shape[1] / max(1, crop.shape[0]))
        batch = rec.resize_norm_img(crop, ratio)[np.newaxis].astype(np.float32)
        preds = rec.session(batch)[0][0][:, allowed]  # time steps × (blank + digits)
        best, probs = preds.argmax(axis=1), preds.max(axis=1)
        text, scores, prev = "", [], 0
        for i, p in zip(best, probs, strict=True):
            if i != 0 and i != prev:
                text += chars[allowed[i]]
                scores.append(float(p))
            prev = i
        out.append((text, min(scores) if scores else 0.0))
    return out


def ocr_images(pages: Iterable[Image]) -> list[Line]:
    """Lines of a report's page images, in order (each already within the caps)."""
    lines: list[Line] = []
    for page, img in enumerate(pages, 1):
        if page > MAX_PAGES:
            raise NotAReport(f"扫描件超过 {MAX_PAGES} 页，不像一份年度报告，未识别")
        start = time.monotonic()
        boxes, height = ocr_page(img, page)
        if time.monotonic() - start > PAGE_TIMEOUT:
            raise NotAReport(f"扫描件第 {page} 页的文字识别超过 {PAGE_TIMEOUT:.0f} 秒，未读取")
        lines.extend(page_lines(boxes, height, len(lines) + 1))
    return lines


def _check_pixels(width: int, height: int, what: str) -> None:
    if width * height > MAX_PAGE_PIXELS * (1 if height <= PAGE_RATIO * width else MAX_PAGES):
        raise NotAReport(
            f"{what}有 {width}×{height} 像素，超过每页 {MAX_PAGE_PIXELS // 1_000_000} 百万像素的上限，未识别"
        )


def image_pages(data: bytes) -> Iterator[Image]:
    """The pages of an image file: every frame of a TIFF, a 长图 cut into pages."""
    from PIL import Image as PILImage

    reader = f"Pillow（{image_kind(data) or '图片'} 图片）"
    with outside_reader(reader):
        img = PILImage.open(io.BytesIO(data))
        frames = getattr(img, "n_frames", 1)
    if frames > MAX_PAGES:
        raise NotAReport(f"图片有 {frames} 页，超过 {MAX_PAGES} 页，不像一份年度报告，未识别")
    count = 0
    for frame in range(frames):
        with outside_reader(reader):
            img.seek(frame)
            _check_pixels(img.width, img.height, "图片")
            page = img.convert("L")
        for piece in cut_long(page, reader):
            count += 1
            if count > MAX_PAGES:
                raise NotAReport(f"图片超过 {MAX_PAGES} 页，不像一份年度报告，未识别")
            yield piece


def cut_long(img: Image, reader: str = "Pillow") -> list[Image]:
    """A 长图 (taller than PAGE_RATIO × its width) cut into A4-high pieces, each cut at the
    row with least ink within a tenth of a page of the nominal cut."""
    import numpy as np

    w, h = img.size
    if h <= PAGE_RATIO * w:
        return [img]
    with outside_reader(reader):
        ink = (255 - np.asarray(img, dtype=np.uint8)).astype(np.int32)
    # the darkness of each row above the row's own typical background
    rows = ink.sum(axis=1) - np.median(ink, axis=1) * w
    step = round(CUT_RATIO * w)
    pieces, top = [], 0
    while h - top > PAGE_RATIO * w:
        lo, hi = top + step - step // 10, min(h - 1, top + step + step // 10)
        cut = lo + int(np.argmin(rows[lo:hi]))
        pieces.append(img.crop((0, top, w, cut)))
        top = cut
    pieces.append(img.crop((0, top, w, h)))
    return pieces


def ocr_pdf(data: bytes) -> list[Line]:
    """Lines of a PDF of page images (no text layer), for the PDF reader."""
    import pypdfium2 as pdfium

    with outside_reader("pypdfium2"):
        pdf = pdfium.PdfDocument(data)
    try:
        with outside_reader("pypdfium2"):
            count = len(pdf)
        if count > MAX_PAGES:
            raise NotAReport(f"PDF 有 {count} 页，超过 {MAX_PAGES} 页，不像一份年度报告，未识别")
        return ocr_images(_pdf_pages(pdf, count))
    finally:
        pdf.close()


def _pdf_pages(pdf: Any, count: int) -> Iterator[Image]:
    for i in range(count):
        with outside_reader("pypdfium2"):
            page = pdf[i]
            w, h = page.get_size()  # points
            scale = SHORT_SIDE / max(1.0, min(w, h))
            _check_pixels(round(w * scale), round(h * scale), f"PDF 第 {i + 1} 页")
            yield page.render(scale=scale, grayscale=True).to_pil()


# --- documents ----------------------------------------------------------------------------

_KINDS = {b"\x89PNG": "PNG", b"\xff\xd8\xff": "JPEG", b"II*\x00": "TIFF", b"MM\x00*": "TIFF"}


def image_kind(data: bytes) -> str | None:
    return next((k for magic, k in _KINDS.items() if data.startswith(magic)), None)


def read_image(path: str | Path, data: bytes) -> Document:
    """An image file (PNG, JPEG, TIFF) read by OCR as one report."""
    kind = image_kind(data) or "image"
    lines = ocr_images(image_pages(data))
    return _document(str(path), hashlib.sha256(data).hexdigest(), kind, len(data), lines)


_PAGE_NUMBER = re.compile(r"\d+")


def is_page_folder(names: list[str]) -> bool:
    """A folder is one scanned report when its files (hidden ones aside) are all images
    named in page order: the last number in each name, in name order, counts 1, 2, 3 …
    (or 0, 1, 2 …): page-001.jpg, page-002.jpg; 1.png, 2.png. Any other folder's files are
    inputs of their own."""
    names = sorted(names)
    if not names or any(os.path.splitext(n)[1].lower() not in IMAGE_SUFFIXES for n in names):
        return False
    numbers = []
    for name in names:
        found = _PAGE_NUMBER.findall(os.path.splitext(name)[0])
        if not found:
            return False
        numbers.append(int(found[-1]))
    return numbers in (list(range(1, len(names) + 1)), list(range(len(names))))


def folder_pages(folder: Path) -> list[Path]:
    """The page images of a page folder (see :func:`is_page_folder`) in order, else []."""
    files = [p for p in folder.iterdir() if not p.name.startswith(".")]
    if any(not p.is_file() for p in files) or not is_page_folder([p.name for p in files]):
        return []
    return sorted(files, key=lambda p: p.name)


def folder_digest(folder: Path, file_digest: Callable[[Path], str] | None = None) -> str:
    """The SHA-256 of a page folder: its pages' names and their own SHA-256s, in page order.

    ``file_digest`` gives a file's SHA-256; the build passes :meth:`gongkai.cache.Hashes.digest`,
    which remembers it by the file's stamps exactly as for any other input file, so an
    unchanged folder costs one listing and a ``stat`` per page, not a reading of every image.
    Without it each page is read. A page added, removed, renamed or rewritten changes the
    digest, and so the folder is read again; nothing else does."""
    digest = hashlib.sha256()
    for p in folder_pages(folder):
        page = (
            file_digest(p)
            if file_digest is not None
            else hashlib.sha256(p.read_bytes()).hexdigest()
        )
        digest.update(p.name.encode("utf-8") + b"\0" + page.encode("ascii"))
    return digest.hexdigest()


def read_folder(folder: str | Path, name: str | None = None) -> Document:
    """A folder of page images (page-001.jpg, page-002.jpg …) read by OCR as one report.
    Its digest is :func:`folder_digest`'s, of the bytes read here."""
    folder = Path(folder)
    files = folder_pages(folder)
    if not files:
        raise NotAReport("文件夹中应只有按页序命名的图片（PNG、JPEG、TIFF，如 page-001.jpg）")
    if len(files) > MAX_PAGES:
        raise NotAReport(f"文件夹有 {len(files)} 张图片，超过 {MAX_PAGES} 页，未识别")
    digest = hashlib.sha256()
    blobs = []
    for p in files:
        blob = p.read_bytes()
        page = hashlib.sha256(blob).hexdigest()
        digest.update(p.name.encode("utf-8") + b"\0" + page.encode("ascii"))
        blobs.append(blob)

    def pages() -> Iterator[Image]:
        for blob in blobs:
            yield from image_pages(blob)

    lines = ocr_images(pages())
    size = sum(map(len, blobs))
    return _document(name or str(folder), digest.hexdigest(), "images", size, lines)


def _document(path: str, digest: str, kind: str, size: int, lines: list[Line]) -> Document:
    if not lines:
        raise NotAReport("扫描件中没有识别出文字")
    return Document(Source(path, digest, "ocr", kind, size), tuple(lines))
