"""The formats part of ``make bench``: text-layer PDFs, OCR, and a cold build of mixed reports.

    .venv/bin/python scripts/benchmark.py --sizes '' --mixed 1000   # this part only
    .venv/bin/python scripts/bench_formats.py --mixed 200            # same, smaller, no page

Three figures (scripts/benchmark.py puts them on the 性能测试 page):

- text-layer PDFs read per CPU-second on one core (read → parse → check, the files in
  memory), on the Chromium PDFs of the binary corpus that have 4 to 6 pages;
- OCR CPU seconds per page on one core, on a small scan corpus (image PDF, page folder,
  TIFF, 长图), with the cells recovered and wrong (scripts/bench_ocr.py);
- a cold ``mkdocs build --strict`` of N mixed reports (scripts/corpus_mixed.py: text,
  Markdown, HTML, crawled pages, PDF, Word and some scans): wall and CPU seconds.

The corpora are written once under build/bench/ and reused. CPU time is what is measured
(the machine may be shared); wall time is given beside it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

PDF_RECORDS = 60  # Chromium PDFs written; those of 4–6 pages are timed
SCAN_RECORDS = 8  # records whose every 2nd PDF is scanned: 4 scans, ~14 pages
SCAN_SEED = 3


@contextlib.contextmanager
def one_core() -> Any:
    """This process on one core for the block (its children later get all cores back)."""
    if not hasattr(os, "sched_setaffinity"):
        yield
        return
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(before)})
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


def _corpus(folder: Path, n: int, seed: int, kinds: tuple[str, ...]) -> list[dict]:
    """The binary corpus in ``folder``, written on first use."""
    truth = folder / "truth.jsonl"
    marker = folder / "made.json"
    want = {"n": n, "seed": seed, "kinds": list(kinds)}
    if not (marker.is_file() and json.loads(marker.read_text()) == want and truth.is_file()):
        import shutil

        from make_binary_corpus import write_binary_corpus

        shutil.rmtree(folder, ignore_errors=True)
        write_binary_corpus(folder, n, seed, kinds)
        marker.write_text(json.dumps(want))
    return [json.loads(x) for x in truth.read_text("utf-8").splitlines()]


def pdf_rate(folder: Path, seconds: float = 5.0) -> dict[str, Any]:
    """Text-layer PDFs of 4–6 pages: reports per CPU-second on one core."""
    import pypdfium2

    from gongkai.model import NotAReport
    from gongkai.report import read_report

    truths = _corpus(folder, PDF_RECORDS, 1, ("pdf",))
    blobs = []
    for t in truths:
        data = (folder / t["file"]).read_bytes()
        pdf = pypdfium2.PdfDocument(data)
        pages = len(pdf)
        pdf.close()
        if 4 <= pages <= 6:
            blobs.append((t["file"], data, pages))
    with one_core():
        for name, data, _ in blobs:  # warm-up: lazy imports, region data
            with contextlib.suppress(NotAReport):
                read_report(name, data)
        done = pages_done = 0
        cpu, wall = time.process_time(), time.perf_counter()
        while time.perf_counter() - wall < seconds or done == 0:
            for name, data, pages in blobs:
                read_report(name, data)
                done += 1
                pages_done += pages
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {
        "files": len(blobs),
        "pages_mean": sum(p for *_, p in blobs) / max(1, len(blobs)),
        "reports_per_cpu_s": done / cpu,
        "pages_per_cpu_s": pages_done / cpu,
        "reports_per_wall_s": done / wall,
    }


def ocr_rate(folder: Path) -> dict[str, Any]:
    """OCR of a small scan corpus on one core: CPU seconds per page, cells right and wrong."""
    import bench_ocr

    from gongkai.parse.ocr_confirm import TABLE2_CONFIDENCE

    _corpus(folder, SCAN_RECORDS, SCAN_SEED, ("scan",))
    with one_core():
        r = bench_ocr.run(folder, "current", None)
    t2 = dict((th, (ok, bad)) for th, ok, bad in bench_ocr.thresholds(r))
    ok, bad = t2.get(TABLE2_CONFIDENCE, (None, None))
    return {
        "files": r["files"],
        "pages": r["pages"],
        "cpu_per_page": r["cpu"] / max(1, r["pages"]),
        "wall_per_page": r["wall"] / max(1, r["pages"]),
        "det_per_page": r["det"] / max(1, r["pages"]),
        "rec_per_page": r["rec"] / max(1, r["pages"]),
        "printed": r["printed"],
        "right": r["right"],
        "wrong": len(r["wrong"]) + len(r["meta_wrong"]),
        "t2_printed": r["t2_printed"],
        "t2_right": ok,
        "t2_wrong": bad,
        "t2_threshold": TABLE2_CONFIDENCE,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "build" / "bench")
    ap.add_argument("--mixed", type=int, default=0, help="N mixed reports for a cold build")
    args = ap.parse_args(argv)
    print(json.dumps(pdf_rate(args.out / "pdf"), indent=1))
    print(json.dumps(ocr_rate(args.out / "scans"), indent=1))
    if args.mixed:
        import benchmark

        args.seed, args.budget = benchmark.SEED, None
        print(json.dumps(benchmark.bench_mixed(args.mixed, args), indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
