"""Measurements on a binary corpus (make_binary_corpus.py) for the parser's choice of libraries.

    python scripts/bench_binary.py pdf  DIR            # pypdfium2 vs pdfplumber on text PDFs
    python scripts/bench_binary.py ocr  DIR [--pages 8] [--engines rapid,tess]
    python scripts/bench_binary.py docx DIR            # python-docx reading, merged cells

Single-core figures pin the process to CPU 0 (os.sched_setaffinity). Results go to stdout
as Markdown tables; BINARY_CORPUS.md holds the figures of one run.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def cpu() -> float:
    """CPU seconds of this process and its finished children: unlike the wall clock, not
    stretched when other work shares the machine (BINARY_CORPUS.md gives both)."""
    me, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


NUMBER = re.compile(r"^[+]?\d[\d,]*(\.\d+)?$")


def truths(folder: Path) -> list[dict]:
    return [json.loads(x) for x in (folder / "truth.jsonl").read_text("utf-8").splitlines()]


def one_core() -> None:
    os.sched_setaffinity(0, {0})


def all_cores() -> None:
    os.sched_setaffinity(0, set(range(os.cpu_count() or 1)))


# ---------------------------------------------------------------- text-layer PDFs


def pdfium_chars(path: Path) -> tuple[int, int]:
    """Every character with its box, as a parser would read them; → (pages, chars)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    n_chars = 0
    for i in range(len(pdf)):
        page = pdf[i]
        tp = page.get_textpage()
        n = tp.count_chars()
        text = tp.get_text_range(0, n)
        boxes = [tp.get_charbox(j, loose=False) for j in range(n)]
        n_chars += len(text) + 0 * len(boxes)
        tp.close()
        page.close()
    pages = len(pdf)
    pdf.close()
    return pages, n_chars


def plumber_read(path: Path, **settings) -> tuple[int, list[list], tuple[float, float]]:
    """extract_words + extract_tables per page; → (pages, tables per page, page size)."""
    import pdfplumber

    found = []
    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            page.extract_words()
            found.append(page.find_tables(settings or None))
            for t in found[-1]:
                t.extract()
        size = (float(pdf.pages[0].width), float(pdf.pages[0].height))
        return len(pdf.pages), found, size


def _is_frame(bbox, size) -> bool:
    """The page rectangle of corpus_pdf: 12 mm from the top and sides, 10 mm from the bottom."""
    mm = 72 / 25.4
    want = (12 * mm, 12 * mm, size[0] - 12 * mm, size[1] - 10 * mm)
    return all(abs(a - b) < 6 for a, b in zip(bbox, want, strict=True))


def bench_pdf(folder: Path) -> None:
    import logging

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # Chromium fonts lack /FontBBox
    one_core()
    lines = [t for t in truths(folder) if t["kind"] == "pdf"]
    rows: dict[str, dict] = {}
    for t in lines:
        path = folder / t["file"]
        t0 = cpu()
        pages, _ = pdfium_chars(path)
        t1 = cpu()
        _, tables, size = plumber_read(path)
        t2 = cpu()
        _, text_tables, _ = plumber_read(path, vertical_strategy="text", horizontal_strategy="text")
        biggest = max((tb for page in text_tables for tb in page), key=_cells, default=None)
        t3_text = (
            (len(biggest.rows), max(len(r.cells) for r in biggest.rows)) if biggest else (0, 0)
        )
        n_tables = sum(len(x) for x in tables)
        frame = any(_is_frame(tb.bbox, size) for page in tables for tb in page)
        t3 = _t3_table_cols(tables)
        r = rows.setdefault(
            t["layout"],
            {"n": 0, "pages": [], "pdfium": [], "plumber": [], "tables": [], "frame": 0, "t3": []},
        )
        r.setdefault("t3_text", []).append(t3_text)
        r["n"] += 1
        r["pages"].append(pages)
        r["pdfium"].append(t1 - t0)
        r["plumber"].append(t2 - t1)
        r["tables"].append(n_tables)
        r["frame"] += frame
        r["t3"].append(t3)
    print(
        "CPU seconds, pinned to one core.\n\n"
        "| layout | files | pages (mean) | pypdfium2 s/report | pdfplumber s/report |"
        " tables found / report | frame found as a table | 表三 as a 10-col table (lines)"
        " | text strategy: largest table, rows × cols |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for layout, r in sorted(rows.items()):
        m = statistics.mean
        print(
            f"| {layout} | {r['n']} | {m(r['pages']):.1f} | {m(r['pdfium']):.3f} |"
            f" {m(r['plumber']):.2f} | {m(r['tables']):.1f} | {r['frame']}/{r['n']} |"
            f" {sum(r['t3'])}/{r['n']} | {m(x for x, _ in r['t3_text']):.0f} ×"
            f" {m(y for _, y in r['t3_text']):.0f} |"
        )
    all_p = [x for r in rows.values() for x in r["pdfium"]]
    all_q = [x for r in rows.values() for x in r["plumber"]]
    pages = [x for r in rows.values() for x in r["pages"]]
    print(
        f"\nall: {len(all_p)} PDFs, {statistics.mean(pages):.1f} pages; pypdfium2 "
        f"{statistics.mean(all_p):.3f} s/report, pdfplumber {statistics.mean(all_q):.2f} s/report"
        f" ({statistics.mean(all_q) / statistics.mean(all_p):.0f}x)"
    )


def _cells(tb) -> int:
    return sum(len(r.cells) for r in tb.rows)


def _t3_table_cols(tables: list[list]) -> bool:
    """Whether some found table has the 10 columns of 表三 and holds 予以公开."""
    for page in tables:
        for tb in page:
            rows = tb.extract()
            if (
                rows
                and max(len(r) for r in rows) == 10
                and any("予以" in (c or "") for r in rows for c in r)
            ):
                return True
    return False


# ---------------------------------------------------------------- OCR


def number_tokens(pdf_path: Path) -> list[list[tuple[str, tuple[float, float, float, float]]]]:
    """Per page: the numbers standing alone (table cells) with their boxes in points."""
    import pdfplumber

    out = []
    with pdfplumber.open(str(pdf_path)) as pdf:
        for page in pdf.pages:
            bottom = float(page.height) - 62  # below the body: the page number
            words = page.extract_words(x_tolerance=1.5)
            out.append(
                [
                    (w["text"], (w["x0"], w["top"], w["x1"], w["bottom"]))
                    for w in words
                    if NUMBER.match(w["text"]) and w["top"] < bottom
                ]
            )
    return out


def rapid_engine(threads: int, **kw):
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR(intra_op_num_threads=threads, inter_op_num_threads=1, **kw)


def run_rapid(engine, img, **kw) -> list[tuple[tuple[float, float, float, float], str]]:
    import numpy as np

    res, _ = engine(np.asarray(img.convert("RGB")), **kw)
    out = []
    for box, text, _score in res or []:
        xs = [p[0] for p in box]
        ys = [p[1] for p in box]
        out.append(((min(xs), min(ys), max(xs), max(ys)), text))
    return out


def run_tess(
    img, threads: int, psm: int = 3
) -> list[tuple[tuple[float, float, float, float], str]]:
    buf = io.BytesIO()
    img.save(buf, "PNG")
    env = {**os.environ, "OMP_THREAD_LIMIT": str(threads)}
    done = subprocess.run(
        ["tesseract", "stdin", "stdout", "-l", "chi_sim", "--psm", str(psm), "tsv"],
        input=buf.getvalue(),
        capture_output=True,
        env=env,
        check=True,
    )
    out = []
    for line in done.stdout.decode("utf-8").splitlines()[1:]:
        f = line.split("\t")
        if len(f) == 12 and f[0] == "5" and f[11].strip():
            x, y, w, h = map(float, f[6:10])
            out.append(((x, y, x + w, y + h), f[11].strip()))
    return out


_FW = str.maketrans("０１２３４５６７８９，．", "0123456789,.")


def score(tokens, to_px, boxes) -> tuple[int, int, int, int, int]:
    """(cells, right, exact): a cell is right when an OCR box over its centre holds its
    number as a separate run of digits, exact when that box holds nothing else."""
    right = exact = nz = nz_right = 0
    for text, (x0, y0, x1, y1) in tokens:
        nz += text != "0"
        cx, cy = to_px((x0 + x1) / 2, (y0 + y1) / 2)
        want = text.replace(",", "").lstrip("+")
        hits = [t for (a, b, c, d), t in boxes if a - 2 <= cx <= c + 2 and b - 2 <= cy <= d + 2]
        runs = {
            r for t in hits for r in re.findall(r"\d+(?:\.\d+)?", t.translate(_FW).replace(",", ""))
        }
        if want in runs:
            right += 1
            nz_right += text != "0"
            if any(t.translate(_FW).replace(",", "").strip().lstrip("+") == want for t in hits):
                exact += 1
    return len(tokens), right, exact, nz, nz_right


# the recogniser pads every crop to at least 320 px wide (rec_img_shape [3, 48, 320]); most
# table cells are one to four digits, so a narrower floor saves most of that work
_REC160 = {"rec_img_shape": [3, 48, 160]}


def bench_ocr(folder: Path, n_pages: int, engines: set[str], scales: tuple[float, ...]) -> None:
    import random

    import pypdfium2 as pdfium
    from corpus_scan import page_transform, scan_one

    pdfs = [t for t in truths(folder) if t["kind"] == "pdf" and t["producer"] == "chromium"]
    tmp = Path(tempfile.mkdtemp(prefix="ocr-bench-"))
    # the table pages with the most non-zero numbers, one per file, the layouts in turn
    ranked: dict[str, list] = {}
    for t in pdfs[:150]:
        toks = number_tokens(folder / t["file"])
        best = max(range(len(toks)), key=lambda i: sum(x[0] != "0" for x in toks[i]))
        nonzero = sum(x[0] != "0" for x in toks[best])
        ranked.setdefault(t["layout"], []).append((nonzero, t, best, toks[best]))
    for v in ranked.values():
        v.sort(key=lambda x: -x[0])
    chosen = []
    while len(chosen) < n_pages and any(ranked.values()):
        for layout in sorted(ranked):
            if ranked[layout] and len(chosen) < n_pages:
                chosen.append(ranked[layout].pop(0))
    pages = []  # (image-only pdf, page index, scan info, tokens, layout)
    for _, t, best, toks in chosen:
        stem = t["file"].removesuffix(".pdf")
        made = scan_one(folder / t["file"], tmp, stem, "scan-pdf", random.Random(f"bench/{stem}"))
        pages.append((tmp / made["file"], best, made["scan"], toks, t["layout"]))
    nz = sum(x[0] != "0" for p in pages for x in p[3])
    print(
        f"{len(pages)} scanned pages, {sum(len(p[3]) for p in pages)} number cells"
        f" ({nz} not 0); scan dpi {[p[2]['dpi'] for p in pages]};"
        f" layouts {[p[4] for p in pages]}\n"
    )

    def mapper(scan, index, size_px, scale):
        f = page_transform(scan, index, size_px)
        k = 72.0 / scan["dpi"] * scale

        def to_px(x, y):
            u, v = f(x, y)
            return u * k, v * k

        return to_px

    configs = []
    if "rapid" in engines:
        configs.append(("rapidocr", 1, {}, {}))
        for threads in (1, 2):
            configs.append(("rapidocr no-cls", threads, {"use_cls": False}, {}))
        configs.append(
            (
                "rapidocr no-cls det960max",
                1,
                {"use_cls": False},
                {"det_limit_side_len": 960, "det_limit_type": "max"},
            )
        )
        configs.append(
            (
                "rapidocr no-cls det1280max",
                1,
                {"use_cls": False},
                {"det_limit_side_len": 1280, "det_limit_type": "max"},
            )
        )
    if "rapid-levers" in engines:
        configs.append(("rapidocr no-cls rec160", 1, {"use_cls": False}, _REC160))
        configs.append(("rapidocr no-cls rec160", 2, {"use_cls": False}, _REC160))
        det = {"det_limit_side_len": 960, "det_limit_type": "max"}
        configs.append(("rapidocr no-cls rec160 det960max", 1, {"use_cls": False}, _REC160 | det))
    if "tess" in engines:
        for threads in (1, 2):
            configs.append(("tesseract psm3", threads, {}, {"psm": 3}))
        configs.append(("tesseract psm6", 1, {}, {"psm": 6}))
    print(
        "| engine | threads | scale | CPU s/page | wall s/page | number cells right"
        " | non-zero cells right | exact box | load avg |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name, threads, call_kw, init_kw in configs:
        (one_core if threads == 1 else all_cores)()
        engine = rapid_engine(threads, **init_kw) if name.startswith("rapid") else None
        for scale in scales:
            secs, cpus, tally = [], [], [0, 0, 0, 0, 0]
            for path, index, scan, toks, _layout in pages:
                pdf = pdfium.PdfDocument(str(path))
                t0, c0 = time.perf_counter(), cpu()
                img = pdf[index].render(scale=scale, grayscale=True).to_pil()
                if engine is not None:
                    boxes = run_rapid(engine, img, **call_kw)
                else:
                    boxes = run_tess(img, threads, **init_kw)
                secs.append(time.perf_counter() - t0)
                cpus.append(cpu() - c0)
                size_scan = (
                    round(img.width / scale * scan["dpi"] / 72),
                    round(img.height / scale * scan["dpi"] / 72),
                )
                got = score(toks, mapper(scan, index, size_scan, scale), boxes)
                tally = [a + b for a, b in zip(tally, got, strict=True)]
                pdf.close()
            print(
                f"| {name} | {threads} | {scale}× | {statistics.mean(cpus):.2f} |"
                f" {statistics.mean(secs):.2f} |"
                f" {tally[1] / tally[0]:.1%} | {tally[4] / max(tally[3], 1):.1%} | {tally[2] / tally[0]:.1%} | {os.getloadavg()[0]:.1f} |",
                flush=True,
            )
    all_cores()


# ---------------------------------------------------------------- Word


def bench_docx(folder: Path) -> None:
    from docx import Document

    one_core()
    files = [folder / t["file"] for t in truths(folder) if t["kind"] == "docx"]
    secs = []
    for path in files:
        t0 = cpu()
        doc = Document(str(path))
        texts = [p.text for p in doc.paragraphs]
        for table in doc.tables:
            for row in table.rows:
                texts += [c.text for c in row.cells]
        secs.append(cpu() - t0)
    print(
        f"python-docx: {len(files)} .docx, {statistics.mean(secs) * 1000:.0f} ms per document"
        f" (open + every paragraph + every row.cells text), max {max(secs) * 1000:.0f} ms"
    )
    docs = [folder / t["file"] for t in truths(folder) if t["kind"] == "doc"]
    if docs:
        from corpus_docx import soffice_convert

        all_cores()
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            soffice_convert(docs[:1], "docx", Path(tmp))
            one = time.perf_counter() - t0
            t0 = time.perf_counter()
            soffice_convert(docs, "docx", Path(tmp))
            batch = time.perf_counter() - t0
        print(
            f"LibreOffice .doc → .docx: {one:.1f} s for one file (start included),"
            f" {batch:.1f} s for {len(docs)} in one run"
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("what", choices=("pdf", "ocr", "docx"))
    ap.add_argument("folder", type=Path)
    ap.add_argument("--pages", type=int, default=8)
    ap.add_argument(
        "--engines", default="rapid,tess", help="comma list of rapid, rapid-levers, tess"
    )
    ap.add_argument("--scales", default="1,1.5,2")
    args = ap.parse_args(argv)
    if args.what == "pdf":
        bench_pdf(args.folder)
    elif args.what == "ocr":
        scales = tuple(float(s) for s in args.scales.split(","))
        bench_ocr(args.folder, args.pages, set(args.engines.split(",")), scales)
    else:
        bench_docx(args.folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
