"""Parse throughput on one core: reports per second, read + parse + checks + region.

    .venv/bin/python scripts/bench_parse.py [FILES...] [--seconds 5]
    .venv/bin/python scripts/bench_parse.py build/binary/*.pdf     # text-layer PDFs

Without FILES it parses the reports in reports/. Files are read into memory first, so the
figure is the parser's own speed, not the disk's. For PDFs it also gives the mean page count
(a PDF's cost grows with its pages: pypdfium2 reads every character with its box).
"""

from __future__ import annotations

import argparse
import contextlib
import time
from pathlib import Path

from gongkai.model import NotAReport
from gongkai.report import read_report


def bench(paths: list[Path], seconds: float) -> tuple[int, float, float]:
    blobs = [(p, p.read_bytes()) for p in paths]
    for path, data in blobs:  # warm-up: region data, regexes, lazy imports
        with contextlib.suppress(NotAReport):
            read_report(path, data)
    done, start, cpu = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - start < seconds:
        for path, data in blobs:
            with contextlib.suppress(NotAReport):
                read_report(path, data)
            done += 1
    return done, time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    paths = args.files or sorted(
        p for p in Path("reports").iterdir() if p.suffix in {".txt", ".md", ".html", ".htm", ".pdf"}
    )
    done, elapsed, cpu = bench(paths, args.seconds)
    pdfs = [p for p in paths if p.read_bytes()[:4] == b"%PDF"]
    if pdfs:
        import pypdfium2

        pages = sum(len(pypdfium2.PdfDocument(p)) for p in pdfs) / len(pdfs)
        print(f"{len(pdfs)} of the files are PDFs, {pages:.1f} pages on average")
    # CPU time is the fair figure on a shared machine; wall time is what a user waits.
    print(
        f"{done} parses of {len(paths)} files: {done / cpu:.0f} reports per CPU-second "
        f"({done / elapsed:.0f}/s wall, {elapsed:.1f} s)"
    )


if __name__ == "__main__":
    main()
